"""An extraction run (``corridor.extract.run``) on a real SQLite store."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from corridor.document import Document
from corridor.embed import get_embedder
from corridor.extract.run import (
    EXTRACTOR_VERSION,
    embed_after_extract,
    embed_sentences,
    extract_documents,
    extract_facts,
    extraction_input,
    extraction_todo,
)
from corridor.ingest.run import IngestReport, article_item, ingest_inputs, ingest_pipeline
from corridor.settings import Settings
from corridor.store.sqlite import SQLiteStore
from tests.test_extract_service import ARTICLE


@pytest.fixture
def stored(tmp_path: Path) -> Iterator[tuple[SQLiteStore, str]]:
    """A pool holding ARTICLE, not extracted yet; the store and the document's id."""
    db = str(tmp_path / "pool.db")
    store, settings = SQLiteStore(db), Settings(db=db)
    report = IngestReport()
    item = article_item({"url": "https://example.test/ml1", "date": "2024-06-10",
                         "text": ARTICLE})
    ingest_inputs(store, settings, [item], ingest_pipeline(settings), report)
    yield store, report.stored_ids[0]
    store.close()


def _counts(store: SQLiteStore) -> dict[str, int]:
    return {t: store.conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
            for t in ("sentences", "entities", "events", "commitments", "roles")}


def test_extract_facts_reads_only_the_stored_fields(stored: tuple[SQLiteStore, str]) -> None:
    store, doc_id = stored
    doc = extraction_input(store.get_document(doc_id))
    assert isinstance(doc, Document) and doc.id == doc_id and doc.raw is None
    entities, roles = extract_facts(doc)
    names = {e.name for e in entities}
    assert "Ahsan Iqbal" in names and doc.sentences and doc.events
    assert all(r.doc_id == doc_id for r in roles)


def test_extract_documents_saves_and_embeds(stored: tuple[SQLiteStore, str]) -> None:
    store, doc_id = stored
    assert extraction_todo(store) == [doc_id]
    done: list[str] = []
    assert extract_documents(store, [doc_id], done.append) == 1
    assert done == [doc_id] and extraction_todo(store) == []
    assert extraction_todo(store, everything=True) == [doc_id]
    # saved as this extractor's output: another version would redo it
    assert store.extraction_todo(EXTRACTOR_VERSION) == []
    assert store.extraction_todo(EXTRACTOR_VERSION + "-next") == [doc_id]
    first = _counts(store)
    assert first["sentences"] > 0 and first["events"] > 0
    # every sentence got its vector: nothing is left to embed
    assert store.sentences_to_hash([doc_id]) == []
    vectors = store.conn.execute("SELECT count(*) FROM sentence_vectors WHERE model = ?",
                                 (get_embedder().model_id,)).fetchone()[0]
    assert vectors > 0
    assert embed_sentences(store) == 0
    # re-extraction replaces the facts: the same counts
    assert extract_documents(store, [doc_id]) == 1
    assert _counts(store) == first


def test_nothing_to_extract(stored: tuple[SQLiteStore, str]) -> None:
    store, _ = stored
    assert extract_documents(store, []) == 0
    embed_after_extract(store, None)  # no sentences yet: nothing to embed
    assert embed_sentences(store) == 0
