"""The records the store reads and writes: plain dataclasses, no database in sight."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

__all__ = [
    "ApiToken",
    "CheckRun",
    "Citation",
    "ClaimLink",
    "CommitmentFilters",
    "CommitmentRecord",
    "EntityRecord",
    "EventFilters",
    "EventRecord",
    "MentionRecord",
    "QuarantineRecord",
    "RoleStamp",
    "SearchFilters",
    "SearchHit",
    "SentenceEvent",
    "SentenceHit",
    "SentenceMention",
    "SentenceRecord",
    "SourceLink",
    "StoredCheck",
    "StoredDocument",
]


@dataclass
class SearchFilters:
    since: str | None = None  # ISO date, inclusive
    until: str | None = None  # ISO date, inclusive
    source: str | None = None
    lang: str | None = None


@dataclass
class SearchHit:
    doc_id: str
    title: str | None
    url: str | None
    source: str | None
    published: str | None
    lang: str | None
    score: float
    snippet: str
    #: ``[start, end)`` ranges of matched terms inside ``snippet``
    highlights: list[tuple[int, int]] = field(default_factory=list)


@dataclass
class SourceLink:
    source_key: str
    kind: str  # original | exact | near
    similarity: float | None
    url: str | None
    source: str | None
    title: str | None
    published: str | None
    seen_at: str


@dataclass
class StoredDocument:
    id: str
    source_key: str
    origin: str
    url: str | None
    source: str | None
    title: str | None
    published: str | None
    date_source: str | None
    dateline_place: str | None
    lang: str | None
    encoding: str | None
    text: str
    content_hash: str
    ingested_at: str
    sources: list[SourceLink] = field(default_factory=list)
    dateline_date: str | None = None  # the day the dateline states (it is not in ``text``)

    def to_dict(self) -> dict[str, Any]:
        from dataclasses import asdict

        return asdict(self)


@dataclass
class QuarantineRecord:
    id: int
    source_key: str
    origin: str | None
    url: str | None
    code: str
    stage: str | None
    message: str
    raw_size: int | None
    raw_hash: str
    created_at: str


@dataclass
class Citation:
    """Where a fact comes from: a sentence of a stored document."""

    doc_id: str
    start: int
    end: int
    sentence: str
    title: str | None = None
    source: str | None = None
    published: str | None = None
    url: str | None = None


@dataclass
class EntityRecord:
    id: str
    type: str
    name: str
    country: str | None = None
    aliases: list[str] = field(default_factory=list)
    in_lexicon: bool = False
    mentions: int = 0
    documents: int = 0


@dataclass
class RoleStamp:
    """A role a document states for a person, dated by the document."""

    entity_id: str
    role: str
    country: str | None
    date: str | None
    doc_id: str
    start: int
    end: int


@dataclass
class MentionRecord:
    entity_id: str | None
    label: str
    text: str
    role: str | None
    citation: Citation


@dataclass
class EventRecord:
    """A stored event. ``date`` is a day the text states for it; ``date_inferred`` a
    day resolved from a relative phrase, with ``date_basis`` (how); ``parties`` the
    countries its participants act for; ``support`` the ``[start, end]`` of every
    sentence that reports it (the citation is the first)."""

    id: int
    type: str
    plover: str | None
    date: str | None
    date_phrase: str | None
    place: str | None
    ordinal: str | None
    participants: list[str]
    participant_names: list[str]
    citation: Citation
    date_inferred: str | None = None
    date_basis: str | None = None
    parties: list[str] = field(default_factory=list)
    support: list[tuple[int, int]] = field(default_factory=list)


@dataclass
class CommitmentRecord:
    id: int
    parties: list[str]
    modality: str
    action: str
    sectors: list[str]
    projects: list[str]
    citation: Citation


@dataclass
class EventFilters:
    since: str | None = None
    until: str | None = None
    type: str | None = None
    entity: str | None = None  # entity id
    place: str | None = None  # entity id of the place (or the place as stored)
    doc_id: str | None = None


@dataclass
class CommitmentFilters:
    party: str | None = None
    sector: str | None = None
    project: str | None = None  # entity id
    doc_id: str | None = None


@dataclass
class ApiToken:
    """An API token as stored: its secret is never kept, only ``sha256(secret)``."""

    id: int
    name: str
    created_at: str
    revoked_at: str | None = None
    last_used_at: str | None = None


@dataclass
class SentenceHit:
    """A sentence of a stored document (a search result or a piece of evidence)."""

    doc_id: str
    idx: int
    start: int
    end: int
    text: str
    title: str | None = None
    source: str | None = None
    published: str | None = None
    url: str | None = None
    lang: str | None = None
    score: float = 0.0
    #: rank in each retriever that found it ("keyword", "semantic"), 1-based
    ranks: dict[str, int] = field(default_factory=dict)
    #: ``[start, end)`` ranges of matched terms inside ``text``
    highlights: list[tuple[int, int]] = field(default_factory=list)

    @property
    def key(self) -> tuple[str, int]:
        return (self.doc_id, self.idx)


@dataclass
class SentenceMention:
    """An entity mention inside a sentence; offsets into the document text."""

    entity_id: str | None
    label: str
    text: str
    role: str | None
    start: int
    end: int


@dataclass
class SentenceEvent:
    """An event a sentence reports, for the checker. ``date`` is the stated date, or the
    one resolved from the event's own date phrase ("on Monday"; the checker only uses
    it when that phrase is in the evidence); an assumed date is never given."""

    type: str
    date: str | None
    date_phrase: str | None
    place: str | None
    ordinal: str | None
    participants: list[str] = field(default_factory=list)


@dataclass
class SentenceRecord:
    """What extraction recorded for one sentence: its mentions and events."""

    doc_id: str
    idx: int
    mentions: list[SentenceMention] = field(default_factory=list)
    events: list[SentenceEvent] = field(default_factory=list)


@dataclass
class ClaimLink:
    """A stored check that a claim matched: ``auto`` (same claim) or ``suggested``."""

    check_id: int
    matched_id: int
    kind: str
    similarity: float
    claim: str
    created_at: str


@dataclass
class CheckRun:
    """One run of a check (its history): the verdict as it stood then."""

    id: int
    check_id: int
    verdict: str
    confidence: float
    reason: str
    result: dict[str, Any]
    judge: str
    documents: int
    checked_at: str


@dataclass
class StoredCheck:
    """A checked claim with its latest verdict (``result``: the whole verdict as JSON)."""

    id: int
    claim: str
    verdict: str
    confidence: float
    reason: str
    result: dict[str, Any]
    created_at: str
    updated_at: str
    runs: int = 0
    links: list[ClaimLink] = field(default_factory=list)
