"""Sentence vectors computed beside an extraction (``corridor.extract.vectors``)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from corridor.embed import get_embedder
from corridor.extract.run import EMBED_EVERY, embed_after_extract, extract_documents
from corridor.extract.vectors import SentenceVectors
from corridor.ingest.run import IngestReport, article_item, ingest_inputs, ingest_pipeline
from corridor.settings import Settings
from corridor.store.sqlite import SQLiteStore

_SHARED = "Both ministers said the corridor would carry trade for decades."


def _article(n: int) -> str:
    return (f"Officials from the two countries met in Lahore on day {n} of the talks. "
            f"They reviewed {n + 2} projects on roads, ports and power plants. "
            f"{_SHARED} The next round is planned for the spring of {2030 + n}.")


@pytest.fixture
def pool(tmp_path: Path) -> Iterator[tuple[SQLiteStore, list[str]]]:
    """A pool of more articles than one hand-over holds, not extracted yet; one sentence
    is the same in every article."""
    db = str(tmp_path / "pool.db")
    store, settings = SQLiteStore(db), Settings(db=db, min_words=1)
    report = IngestReport()
    items = [article_item({"url": f"https://example.test/{n}", "date": "2024-06-10",
                           "text": _article(n)}) for n in range(EMBED_EVERY * 2 + 3)]
    ingest_inputs(store, settings, items, ingest_pipeline(settings), report)
    assert len(report.stored_ids) == len(items)
    yield store, report.stored_ids
    store.close()


def _vectors(store: SQLiteStore) -> dict[str, bytes]:
    rows = store.conn.execute("SELECT text_hash, vec FROM sentence_vectors WHERE model = ?",
                              (get_embedder().model_id,)).fetchall()
    return {r[0]: bytes(r[1]) for r in rows}


def _extracted_without_vectors(store: SQLiteStore, ids: list[str]) -> None:
    extract_documents(store, ids)
    store.conn.execute("DELETE FROM sentence_hashes")
    store.conn.execute("DELETE FROM sentence_vectors")
    store.conn.commit()


def _unbacked(store: SQLiteStore) -> int:
    """Sentences marked as embedded whose vector is missing."""
    return store.conn.execute(
        "SELECT count(*) FROM sentence_hashes h LEFT JOIN sentence_vectors v"
        " ON v.text_hash = h.text_hash WHERE v.text_hash IS NULL").fetchone()[0]


def test_extraction_embeds_every_sentence_once(pool: tuple[SQLiteStore, list[str]]) -> None:
    store, ids = pool
    assert extract_documents(store, ids) == len(ids)
    assert store.sentences_to_hash(None) == []
    texts = {r[0] for r in store.conn.execute("SELECT text FROM sentences")}
    stored = _vectors(store)
    assert len(stored) == len(texts)  # the shared sentence once, not once per article
    assert _unbacked(store) == 0


def test_background_and_inline_store_the_same_vectors(
        pool: tuple[SQLiteStore, list[str]]) -> None:
    store, ids = pool
    extract_documents(store, ids)
    background = _vectors(store)
    _extracted_without_vectors(store, ids)
    with SentenceVectors(store) as inline:
        for start in range(0, len(ids), 3):
            inline.add(ids[start:start + 3])
    assert inline.embedded == len(background)
    inline_vectors = _vectors(store)
    assert inline_vectors.keys() == background.keys()
    for key, vec in background.items():
        a, b = np.frombuffer(vec, np.float32), np.frombuffer(inline_vectors[key], np.float32)
        assert np.abs(a - b).max() < 1e-5


def test_an_interrupted_run_leaves_no_sentence_without_its_vector(
        pool: tuple[SQLiteStore, list[str]]) -> None:
    store, ids = pool
    _extracted_without_vectors(store, ids)
    vectors = SentenceVectors(store, background=True)
    vectors.add(ids[:EMBED_EVERY])
    vectors.add(ids[EMBED_EVERY:])
    vectors.abandon()  # as a failure in the extraction would
    assert _unbacked(store) == 0
    assert store.sentences_to_hash(None)  # what was not saved is found again ...
    embed_after_extract(store, None)  # ... and the next run's catch-up embeds it
    assert store.sentences_to_hash(None) == [] and _unbacked(store) == 0


def test_a_failing_embedder_stops_the_run_with_its_error(
        pool: tuple[SQLiteStore, list[str]]) -> None:
    store, ids = pool
    _extracted_without_vectors(store, ids)

    class Broken:
        model_id = get_embedder().model_id

        def load(self) -> None:
            pass

        def embed(self, texts: list[str]) -> np.ndarray:
            raise RuntimeError("model failed")

    vectors = SentenceVectors(store, embedder=Broken(), background=True)  # type: ignore[arg-type]
    vectors.add(ids)
    with pytest.raises(RuntimeError, match="model failed"):
        vectors.close()
    assert _unbacked(store) == 0


def test_a_pool_embedded_with_another_model_is_embedded_again(
        pool: tuple[SQLiteStore, list[str]]) -> None:
    store, ids = pool
    extract_documents(store, ids)
    before = _vectors(store)
    assert before and _unbacked(store) == 0
    # as a pool embedded by an earlier release: its vectors under another model id
    store.conn.execute("UPDATE sentence_vectors SET model = 'an-earlier-model'")
    store.conn.commit()
    assert store.texts_without_vector(get_embedder().model_id)
    embed_after_extract(store, None)  # what an ingest's catch-up (or `corridor embed`) runs
    assert _vectors(store) == before  # every text again, with the same vectors
    assert store.texts_without_vector(get_embedder().model_id) == {}
    # the earlier model's vectors are left as they were
    assert store.conn.execute("SELECT count(*) FROM sentence_vectors WHERE model = "
                              "'an-earlier-model'").fetchone()[0] == len(before)
