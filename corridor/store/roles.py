"""What Corridor needs from a database, split by role.

Each consumer names the role it reads (a report needs ``FactStore``, the token
check ``TokenStore``), so a new backend or a test double implements only what
is used. ``Store`` is every role at once: what the service holds and what
``SQLiteStore`` / ``PostgresStore`` implement. Backends map their driver errors
to ``corridor.errors.StoreError``; writes happen inside ``transaction()``, and
a failure inside it rolls back everything written in it.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from contextlib import AbstractContextManager
from typing import TYPE_CHECKING, Any, Protocol

from .records import (
    ApiToken,
    CheckRun,
    CommitmentFilters,
    CommitmentRecord,
    EntityRecord,
    EventFilters,
    EventRecord,
    MentionRecord,
    QuarantineRecord,
    RoleStamp,
    SearchFilters,
    SearchHit,
    SentenceHit,
    SentenceMention,
    SentenceRecord,
    StoredCheck,
    StoredDocument,
)

if TYPE_CHECKING:  # neither loads for a command that only reads (start-up, issue 14)
    import numpy as np
    import numpy.typing as npt

    from ..document import Document

__all__ = [
    "AdminStore",
    "CheckStore",
    "DocumentStore",
    "FactStore",
    "SentenceStore",
    "Store",
    "TokenStore",
    "Transactional",
]


class Transactional(Protocol):
    def transaction(self) -> AbstractContextManager[None]:
        """All writes inside commit together or not at all."""
        ...


class DocumentStore(Transactional, Protocol):
    """Documents: ingest (dedup, quarantine, runs) and reading them back."""

    def seen_source(self, source_key: str, raw_hash: str) -> str | None:
        """Doc id when this exact input was already stored or linked."""
        ...

    def doc_by_hash(self, content_hash: str) -> str | None: ...

    def near_candidates(
        self, bands: Sequence[tuple[int, int]]
    ) -> list[tuple[str, list[int]]]:
        """Documents sharing any LSH band key: (doc id, minhash signature)."""
        ...

    def add_document(self, doc: Document, bands: Sequence[tuple[int, int]]) -> None: ...

    def add_source_link(self, doc: Document, doc_id: str, kind: str) -> None: ...

    def add_quarantine(
        self, *, source_key: str, origin: str | None, url: str | None, code: str,
        stage: str | None, message: str, raw: bytes | None, raw_size: int | None,
        raw_hash: str,
    ) -> bool:
        """Record an input that could not be processed; False if already recorded."""
        ...

    def start_run(self, targets: Sequence[str]) -> int: ...

    def finish_run(self, run_id: int, counts: dict[str, Any]) -> None: ...

    def get_document(self, doc_id: str) -> StoredDocument:
        """Raise NotFound when absent."""
        ...

    def search(
        self, query: str, filters: SearchFilters, limit: int = 20, offset: int = 0
    ) -> list[SearchHit]: ...

    def iter_documents(self) -> Iterator[StoredDocument]: ...

    def quarantined(self, limit: int = 100) -> list[QuarantineRecord]: ...

    def document_count(self) -> int: ...

    def recent_documents(self, limit: int = 50, since: str | None = None) -> list[StoredDocument]:
        """Newest ingested first; ``since`` is an ISO timestamp (inclusive). No sources."""
        ...

    def highlight_document(self, doc_id: str, query: str) -> list[tuple[int, int]]:
        """``[start, end)`` ranges of ``query``'s matches in the document's text."""
        ...


class FactStore(Transactional, Protocol):
    """What extraction found: entities, roles, mentions, events, commitments, sectors."""

    def save_extraction(
        self, doc: Document, entities: Sequence[EntityRecord], roles: Sequence[RoleStamp],
        plover: dict[str, str | None], version: str,
    ) -> None:
        """Replace everything extracted from ``doc`` (idempotent)."""
        ...

    def extraction_todo(self, version: str, everything: bool = False) -> list[str]:
        """Ids of documents not yet extracted with ``version`` (all when ``everything``)."""
        ...

    def list_entities(
        self, type: str | None = None, query: str | None = None, limit: int = 100
    ) -> list[EntityRecord]:
        """Entities by number of mentions, most first."""
        ...

    def find_entity(self, name: str) -> EntityRecord | None:
        """An entity by id, canonical name or alias (case-insensitive)."""
        ...

    def entity_roles(self, entity_id: str) -> list[RoleStamp]: ...

    def entity_mentions(self, entity_id: str, limit: int = 50) -> list[MentionRecord]: ...

    def document_mentions(self, doc_id: str) -> list[SentenceMention]:
        """Every entity mention in a document, by offset (offsets into its text)."""
        ...

    def list_events(self, filters: EventFilters, limit: int = 100) -> list[EventRecord]: ...

    def list_commitments(
        self, filters: CommitmentFilters, limit: int = 100
    ) -> list[CommitmentRecord]: ...

    def document_sectors(
        self, doc_ids: Sequence[str]
    ) -> dict[str, list[tuple[str, int, int]]]:
        """For each document that has any: its ``(sector, start, end)`` rows (the
        offsets of the supporting sentence), by offset."""
        ...


class SentenceStore(Transactional, Protocol):
    """Sentences as evidence: their vectors, keyword and vector search, their facts."""

    def sentences_to_hash(self, doc_ids: Sequence[str] | None = None) -> list[tuple[str, int, str]]:
        """(doc id, index, text) of sentences whose text hash is not recorded yet."""
        ...

    def texts_without_vector(self, model: str) -> dict[str, str]:
        """text hash -> text of recorded sentences with no vector for ``model`` (a pool
        embedded with another model, or a run killed between its hash rows and vectors)."""
        ...

    def missing_vectors(self, model: str, hashes: Sequence[str]) -> set[str]:
        """The text hashes among ``hashes`` that have no vector for ``model``."""
        ...

    def save_sentence_vectors(
        self, model: str, hashes: Sequence[tuple[str, int, str]],
        vectors: Mapping[str, npt.NDArray[np.float32]],
    ) -> None:
        """Record each sentence's (doc id, index, text hash) and new vectors by hash."""
        ...

    def vectors_by_hash(
        self, model: str, hashes: Sequence[str]
    ) -> dict[str, npt.NDArray[np.float32]]:
        """Stored vectors of ``model`` keyed by text hash (the ``sentence_vectors``
        table); hashes without a vector are left out. Pledges keep the vectors of
        commitment actions there (saved with ``save_sentence_vectors(model, [], ...)``)."""
        ...

    def vector_search(
        self, model: str, vector: npt.NDArray[np.float32], filters: SearchFilters,
        limit: int = 20, doc_ids: Sequence[str] | None = None,
    ) -> list[SentenceHit]:
        """Sentences by cosine similarity to ``vector`` (unit length), best first."""
        ...

    def sentence_search(
        self, query: str, filters: SearchFilters, limit: int = 20, *, any_term: bool = False,
        doc_ids: Sequence[str] | None = None,
    ) -> list[SentenceHit]:
        """Sentences by BM25, best first; ``any_term``: OR the words instead of AND."""
        ...

    def get_sentences(self, keys: Sequence[tuple[str, int]]) -> list[SentenceHit]:
        """The sentences with these (doc id, index) keys that exist, in key order."""
        ...

    def sentence_records(
        self, keys: Sequence[tuple[str, int]]
    ) -> dict[tuple[str, int], SentenceRecord]:
        """The extracted mentions and events of each sentence."""
        ...

    def sentences_mentioning(
        self, entity_ids: Sequence[str], filters: SearchFilters, limit: int = 50
    ) -> list[tuple[str, int]]:
        """Keys of sentences that mention any of the entities, most entities first."""
        ...


class CheckStore(Transactional, Protocol):
    """Checked claims: their verdicts, run history, vectors and links."""

    def save_check(
        self, *, claim: str, claim_key: str, model: str | None,
        vector: npt.NDArray[np.float32] | None, verdict: str, confidence: float, reason: str,
        result: dict[str, Any], judge: str,
    ) -> int:
        """Store a check run (creating the check for a new claim key); the check id."""
        ...

    def get_check(self, check_id: int) -> StoredCheck:
        """Raise NotFound when absent."""
        ...

    def find_check(self, claim_key: str) -> StoredCheck | None: ...

    def list_checks(self, limit: int = 50, verdict: str | None = None) -> list[StoredCheck]:
        """Most recently updated first."""
        ...

    def check_runs(self, check_id: int) -> list[CheckRun]:
        """The history of a check, oldest first."""
        ...

    def check_vectors(self, model: str) -> list[tuple[int, str, npt.NDArray[np.float32]]]:
        """(check id, claim, vector) of every check embedded with ``model``."""
        ...

    def link_claims(self, check_id: int, matched_id: int, kind: str, similarity: float) -> None:
        """Record that a check's claim matched an earlier check (idempotent)."""
        ...


class TokenStore(Protocol):
    """API tokens (only ``sha256(secret)`` is kept)."""

    def add_token(self, name: str, token_hash: str) -> ApiToken:
        """Store a new token; StoreError when an active token has this name."""
        ...

    def revoke_token(self, token_id: int) -> ApiToken:
        """Mark a token revoked (idempotent); NotFound when absent."""
        ...

    def list_tokens(self) -> list[ApiToken]:
        """Every token, revoked ones included, oldest first."""
        ...

    def token_by_hash(self, token_hash: str) -> ApiToken | None:
        """The token whose secret hashes to ``token_hash`` (revoked or not)."""
        ...

    def revoked_token_hashes(self) -> list[str]:
        """The secret hashes of every revoked token (a restore revokes them again)."""
        ...

    def touch_token(self, token_id: int) -> None:
        """Record that the token was just used."""
        ...


class AdminStore(Transactional, Protocol):
    """The pool as a whole: schema, statistics, integrity, backup and restore."""

    def migrate(self) -> list[str]:
        """Apply pending named migrations; return the names applied."""
        ...

    def stats(self) -> dict[str, Any]: ...

    def backup(self, dest: str) -> None:
        """Write a consistent copy of the whole pool to ``dest`` while it stays in use."""
        ...

    def restore(self, src: str) -> None:
        """Replace the pool's contents with the backup at ``src``, checked first.

        A backup that is damaged, not a Corridor pool, or from a newer version
        raises before anything stored is touched.
        """
        ...

    def check_integrity(self) -> list[str]:
        """Problems found (empty when consistent)."""
        ...

    def close(self) -> None: ...


class Store(DocumentStore, FactStore, SentenceStore, CheckStore, TokenStore, AdminStore,
            Protocol):
    """Every role: what the service holds and each backend implements."""
