"""An extraction run: stored documents' facts (re-)extracted and saved, then embedded.

``extract_facts`` is the pure part (no I/O; the Dask engine runs it on
workers); ``extract_documents`` reads each document from the store, extracts
it and saves its facts, one document per transaction, while a second thread
embeds the sentences of the documents already saved (``extract/vectors.py``:
sentence vectors for semantic search and claim checks; extraction on one core,
the embedder on the other); then ``embed_after_extract`` embeds what is left:
commitment-action vectors for pledge clustering.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from contextlib import nullcontext
from typing import Protocol

from ..document import Document
from ..errors import ConfigError
from ..store.base import (
    DocumentStore,
    EntityRecord,
    FactStore,
    RoleStamp,
    SentenceStore,
    StoredDocument,
)
from .vectors import SentenceVectors


class ExtractStore(DocumentStore, FactStore, SentenceStore, Protocol):
    """What an extraction run reads and writes: documents, facts, sentence vectors."""

__all__ = [
    "EMBED_EVERY",
    "EXTRACTOR_VERSION",
    "embed_after_extract",
    "embed_sentences",
    "extract_documents",
    "extract_facts",
    "extraction_input",
    "extraction_todo",
    "plover_types",
    "save_facts",
]

#: documents extracted between two hand-overs to the background embedder
EMBED_EVERY = 8

#: bump when extraction output changes; `corridor extract` redoes older documents
EXTRACTOR_VERSION = "extract-2"  # 2: news statements, merged events, inferred dates

_log = logging.getLogger("corridor")


def extraction_todo(store: ExtractStore, everything: bool = False) -> list[str]:
    """Documents whose facts are missing or from an older extractor (all with ``everything``)."""
    return store.extraction_todo(EXTRACTOR_VERSION, everything)


def extraction_input(stored: StoredDocument) -> Document:
    """What extraction reads of a stored document (its stored fields, nothing else)."""
    return Document(stored.source_key, origin=stored.origin, url=stored.url,
                    source=stored.source, text=stored.text, title=stored.title,
                    published=stored.published, dateline_place=stored.dateline_place,
                    dateline_date=stored.dateline_date, lang=stored.lang, id=stored.id)


def extract_facts(doc: Document) -> tuple[list[EntityRecord], list[RoleStamp]]:
    """Extract ``doc``'s facts in place; its entity records and role stamps. No I/O
    (the Dask engine runs it on workers)."""
    from . import entity_catalog, entity_roles, extract

    assert doc.id is not None
    extract(doc)
    catalog = entity_catalog(doc.mentions)
    entities = [EntityRecord(id=e.id, type=e.type, name=e.name, country=e.country,
                             aliases=list(e.aliases), in_lexicon=e.in_lexicon)
                for e in catalog.values()]
    roles = [RoleStamp(r.entity_id, r.role, r.country, r.date, doc.id, r.start, r.end)
             for r in entity_roles(doc)]
    return entities, roles


def plover_types() -> dict[str, str | None]:
    """Corridor's event types -> their PLOVER types (saved with each event)."""
    from . import EVENT_TYPES, plover_type

    return {t: plover_type(t) for t in EVENT_TYPES}


def save_facts(store: ExtractStore, doc: Document, entities: list[EntityRecord],
               roles: list[RoleStamp], plover: dict[str, str | None]) -> None:
    """Replace ``doc``'s stored facts with these (in the caller's transaction)."""
    store.save_extraction(doc, entities, roles, plover, EXTRACTOR_VERSION)


def extract_documents(
    store: ExtractStore, doc_ids: Sequence[str], progress: Callable[[str], None] | None = None,
) -> int:
    """(Re-)extract the facts of ``doc_ids``, in order, then embed them; how many.

    Each document's facts are replaced in one transaction, so an
    interrupted run leaves every document either fully old or fully new.
    """
    ids = list(doc_ids)
    plover = plover_types()
    vectors = _background_vectors(store) if ids else None
    # saved when the loop ends, abandoned (left to the next run) when it fails
    with vectors or nullcontext():
        for n, doc_id in enumerate(ids, 1):
            doc = extraction_input(store.get_document(doc_id))
            entities, roles = extract_facts(doc)
            save_facts(store, doc, entities, roles, plover)
            if vectors is not None and (n % EMBED_EVERY == 0 or n == len(ids)):
                vectors.add(ids[(n - 1) // EMBED_EVERY * EMBED_EVERY:n])
            if progress:
                progress(doc_id)
    if ids:  # what is left: commitment actions (and sentences, without a model)
        embed_after_extract(store, ids)
    return len(ids)


def _background_vectors(store: ExtractStore) -> SentenceVectors | None:
    """Sentence vectors computed beside the extraction; None without a model (then
    ``embed_after_extract`` says so once)."""
    try:
        return SentenceVectors(store, background=True)
    except ConfigError:
        return None


def embed_sentences(store: ExtractStore, doc_ids: Sequence[str] | None = None,
                    batch: int = 512) -> int:
    """Embed stored sentences that have no vector yet (all, or those of ``doc_ids``).

    Vectors are keyed by the hash of the sentence text, so re-extraction
    and sentences repeated across articles cost nothing. Returns how many
    new texts were embedded.
    """
    with SentenceVectors(store, batch=batch) as vectors:
        vectors.add(doc_ids)
    return vectors.embedded


def embed_after_extract(store: ExtractStore, doc_ids: Sequence[str] | None) -> None:
    """Embed what an extraction left without vectors: the sentences of ``doc_ids``
    (all not yet embedded with None) and those documents' commitment actions. No
    embedding model installed: a warning, and semantic search stays off."""
    from ..pledges import embed_actions

    try:
        embed_sentences(store, doc_ids)
        if doc_ids is not None:  # commitment actions, for clustering pledges
            embed_actions(store, doc_ids)
    except ConfigError as exc:  # the embedding model is not installed
        _log.warning("sentences not embedded (semantic search unavailable): %s", exc)
