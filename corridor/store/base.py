"""The Store interface: small, so a second backend (PostgreSQL) can implement it.

Like httpx's transports: the service talks only to this interface; backends
map their driver errors to ``corridor.errors.StoreError``. Writes happen inside
``transaction()``; a failure inside it rolls back everything written in it.
"""

from __future__ import annotations

import abc
from collections.abc import Iterator, Mapping, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # neither loads for a command that only reads (start-up, issue 14)
    import numpy as np
    import numpy.typing as npt

    from ..document import Document

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
    "Store",
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


class Store(abc.ABC):
    """What Corridor needs from a database."""

    @abc.abstractmethod
    def migrate(self) -> list[str]:
        """Apply pending named migrations; return the names applied."""

    @abc.abstractmethod
    def transaction(self) -> AbstractContextManager[None]:
        """All writes inside commit together or not at all."""

    # -- ingest ---------------------------------------------------------
    @abc.abstractmethod
    def seen_source(self, source_key: str, raw_hash: str) -> str | None:
        """Doc id when this exact input was already stored or linked."""

    @abc.abstractmethod
    def doc_by_hash(self, content_hash: str) -> str | None: ...

    @abc.abstractmethod
    def near_candidates(
        self, bands: Sequence[tuple[int, int]]
    ) -> list[tuple[str, list[int]]]:
        """Documents sharing any LSH band key: (doc id, minhash signature)."""

    @abc.abstractmethod
    def add_document(self, doc: Document, bands: Sequence[tuple[int, int]]) -> None: ...

    @abc.abstractmethod
    def add_source_link(self, doc: Document, doc_id: str, kind: str) -> None: ...

    @abc.abstractmethod
    def add_quarantine(
        self,
        *,
        source_key: str,
        origin: str | None,
        url: str | None,
        code: str,
        stage: str | None,
        message: str,
        raw: bytes | None,
        raw_size: int | None,
        raw_hash: str,
    ) -> bool:
        """Record an input that could not be processed; False if already recorded."""

    @abc.abstractmethod
    def start_run(self, targets: Sequence[str]) -> int: ...

    @abc.abstractmethod
    def finish_run(self, run_id: int, counts: dict[str, Any]) -> None: ...

    # -- read -----------------------------------------------------------
    @abc.abstractmethod
    def get_document(self, doc_id: str) -> StoredDocument:
        """Raise NotFound when absent."""

    @abc.abstractmethod
    def search(
        self, query: str, filters: SearchFilters, limit: int = 20, offset: int = 0
    ) -> list[SearchHit]: ...

    @abc.abstractmethod
    def iter_documents(self) -> Iterator[StoredDocument]: ...

    @abc.abstractmethod
    def quarantined(self, limit: int = 100) -> list[QuarantineRecord]: ...

    @abc.abstractmethod
    def stats(self) -> dict[str, Any]: ...

    @abc.abstractmethod
    def backup(self, dest: str) -> None:
        """Write a consistent copy of the whole pool to ``dest`` while it stays in use."""

    @abc.abstractmethod
    def restore(self, src: str) -> None:
        """Replace the pool's contents with the backup at ``src``, checked first.

        A backup that is damaged, not a Corridor pool, or from a newer version
        raises before anything stored is touched.
        """

    @abc.abstractmethod
    def check_integrity(self) -> list[str]:
        """Problems found (empty when consistent)."""

    # -- sentence vectors, sentence search and checks ---------------------
    @abc.abstractmethod
    def sentences_to_hash(self, doc_ids: Sequence[str] | None = None) -> list[tuple[str, int, str]]:
        """(doc id, index, text) of sentences whose text hash is not recorded yet."""

    @abc.abstractmethod
    def missing_vectors(self, model: str, hashes: Sequence[str]) -> set[str]:
        """The text hashes among ``hashes`` that have no vector for ``model``."""

    @abc.abstractmethod
    def save_sentence_vectors(
        self, model: str, hashes: Sequence[tuple[str, int, str]],
        vectors: Mapping[str, npt.NDArray[np.float32]],
    ) -> None:
        """Record each sentence's (doc id, index, text hash) and new vectors by hash."""

    @abc.abstractmethod
    def vector_search(
        self, model: str, vector: npt.NDArray[np.float32], filters: SearchFilters,
        limit: int = 20, doc_ids: Sequence[str] | None = None,
    ) -> list[SentenceHit]:
        """Sentences by cosine similarity to ``vector`` (unit length), best first."""

    @abc.abstractmethod
    def sentence_search(
        self, query: str, filters: SearchFilters, limit: int = 20, *, any_term: bool = False,
        doc_ids: Sequence[str] | None = None,
    ) -> list[SentenceHit]:
        """Sentences by BM25, best first; ``any_term``: OR the words instead of AND."""

    @abc.abstractmethod
    def get_sentences(self, keys: Sequence[tuple[str, int]]) -> list[SentenceHit]:
        """The sentences with these (doc id, index) keys that exist, in key order."""

    @abc.abstractmethod
    def sentence_records(
        self, keys: Sequence[tuple[str, int]]
    ) -> dict[tuple[str, int], SentenceRecord]:
        """The extracted mentions and events of each sentence."""

    @abc.abstractmethod
    def sentences_mentioning(
        self, entity_ids: Sequence[str], filters: SearchFilters, limit: int = 50
    ) -> list[tuple[str, int]]:
        """Keys of sentences that mention any of the entities, most entities first."""

    @abc.abstractmethod
    def document_count(self) -> int: ...

    @abc.abstractmethod
    def save_check(
        self, *, claim: str, claim_key: str, model: str | None,
        vector: npt.NDArray[np.float32] | None, verdict: str, confidence: float, reason: str,
        result: dict[str, Any], judge: str,
    ) -> int:
        """Store a check run (creating the check for a new claim key); the check id."""

    @abc.abstractmethod
    def get_check(self, check_id: int) -> StoredCheck:
        """Raise NotFound when absent."""

    @abc.abstractmethod
    def find_check(self, claim_key: str) -> StoredCheck | None: ...

    @abc.abstractmethod
    def list_checks(self, limit: int = 50, verdict: str | None = None) -> list[StoredCheck]:
        """Most recently updated first."""

    @abc.abstractmethod
    def check_runs(self, check_id: int) -> list[CheckRun]:
        """The history of a check, oldest first."""

    @abc.abstractmethod
    def check_vectors(self, model: str) -> list[tuple[int, str, npt.NDArray[np.float32]]]:
        """(check id, claim, vector) of every check embedded with ``model``."""

    @abc.abstractmethod
    def link_claims(self, check_id: int, matched_id: int, kind: str, similarity: float) -> None:
        """Record that a check's claim matched an earlier check (idempotent)."""

    # -- extraction -------------------------------------------------------
    @abc.abstractmethod
    def save_extraction(
        self,
        doc: Document,
        entities: Sequence[EntityRecord],
        roles: Sequence[RoleStamp],
        plover: dict[str, str | None],
        version: str,
    ) -> None:
        """Replace everything extracted from ``doc`` (idempotent)."""

    @abc.abstractmethod
    def extraction_todo(self, version: str, everything: bool = False) -> list[str]:
        """Ids of documents not yet extracted with ``version`` (all when ``everything``)."""

    @abc.abstractmethod
    def list_entities(
        self, type: str | None = None, query: str | None = None, limit: int = 100
    ) -> list[EntityRecord]:
        """Entities by number of mentions, most first."""

    @abc.abstractmethod
    def find_entity(self, name: str) -> EntityRecord | None:
        """An entity by id, canonical name or alias (case-insensitive)."""

    @abc.abstractmethod
    def entity_roles(self, entity_id: str) -> list[RoleStamp]: ...

    @abc.abstractmethod
    def entity_mentions(self, entity_id: str, limit: int = 50) -> list[MentionRecord]: ...

    @abc.abstractmethod
    def document_mentions(self, doc_id: str) -> list[SentenceMention]:
        """Every entity mention in a document, by offset (offsets into its text)."""

    @abc.abstractmethod
    def list_events(self, filters: EventFilters, limit: int = 100) -> list[EventRecord]: ...

    @abc.abstractmethod
    def list_commitments(
        self, filters: CommitmentFilters, limit: int = 100
    ) -> list[CommitmentRecord]: ...

    @abc.abstractmethod
    def close(self) -> None: ...

    # -- API tokens -------------------------------------------------------
    # (and the reads the HTTP service needs: recent documents, highlights)
    @abc.abstractmethod
    def add_token(self, name: str, token_hash: str) -> ApiToken:
        """Store a new token; StoreError when an active token has this name."""

    @abc.abstractmethod
    def revoke_token(self, token_id: int) -> ApiToken:
        """Mark a token revoked (idempotent); NotFound when absent."""

    @abc.abstractmethod
    def list_tokens(self) -> list[ApiToken]:
        """Every token, revoked ones included, oldest first."""

    @abc.abstractmethod
    def token_by_hash(self, token_hash: str) -> ApiToken | None:
        """The token whose secret hashes to ``token_hash`` (revoked or not)."""

    @abc.abstractmethod
    def revoked_token_hashes(self) -> list[str]:
        """The secret hashes of every revoked token (a restore revokes them again)."""

    @abc.abstractmethod
    def touch_token(self, token_id: int) -> None:
        """Record that the token was just used."""

    @abc.abstractmethod
    def recent_documents(self, limit: int = 50, since: str | None = None) -> list[StoredDocument]:
        """Newest ingested first; ``since`` is an ISO timestamp (inclusive). No sources."""

    @abc.abstractmethod
    def highlight_document(self, doc_id: str, query: str) -> list[tuple[int, int]]:
        """``[start, end)`` ranges of ``query``'s matches in the document's text."""

    # -- pledges and reports (issue 4) -------------------------------------
    @abc.abstractmethod
    def vectors_by_hash(
        self, model: str, hashes: Sequence[str]
    ) -> dict[str, npt.NDArray[np.float32]]:
        """Stored vectors of ``model`` keyed by text hash (the ``sentence_vectors``
        table); hashes without a vector are left out. Pledges keep the vectors of
        commitment actions there (saved with ``save_sentence_vectors(model, [], ...)``)."""

    @abc.abstractmethod
    def document_sectors(
        self, doc_ids: Sequence[str]
    ) -> dict[str, list[tuple[str, int, int]]]:
        """For each document that has any: its ``(sector, start, end)`` rows (the
        offsets of the supporting sentence), by offset."""
