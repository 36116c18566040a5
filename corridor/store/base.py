"""The Store interface: small, so a second backend (PostgreSQL) can implement it.

Like httpx's transports: the service talks only to this interface; backends
map their driver errors to ``corridor.errors.StoreError``. Writes happen inside
``transaction()``; a failure inside it rolls back everything written in it.
"""

from __future__ import annotations

import abc
from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from typing import Any

from ..document import Document

__all__ = [
    "Citation",
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
    "SourceLink",
    "Store",
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


@dataclass
class CommitmentFilters:
    party: str | None = None
    sector: str | None = None
    project: str | None = None  # entity id
    doc_id: str | None = None


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
    def check_integrity(self) -> list[str]:
        """Problems found (empty when consistent)."""

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
    def list_events(self, filters: EventFilters, limit: int = 100) -> list[EventRecord]: ...

    @abc.abstractmethod
    def list_commitments(
        self, filters: CommitmentFilters, limit: int = 100
    ) -> list[CommitmentRecord]: ...

    @abc.abstractmethod
    def close(self) -> None: ...
