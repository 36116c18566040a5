"""The index behind Store.vector_search: threshold switch, equality with exact
search, filters, incremental upkeep and persistence (real stores, real model)."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from corridor.embed import get_embedder
from corridor.service import Corridor
from corridor.store.base import SearchFilters
from corridor.vectors import store_ann

ARTICLES = [
    ("https://a.example/port", "2023-02-10", "Harbour Daily",
     "The river port at Northtown will get two new cranes next spring, the port authority "
     "said on Friday. Dredging of the main channel is due to finish in March. Officials "
     "expect cargo traffic to double within three years of the expansion."),
    ("https://b.example/rail", "2023-06-01", "Rail Gazette",
     "Engineers began relaying the northern railway line between Avalon and Eastford this "
     "week. The upgrade will raise train speeds to 160 kilometres per hour. The ministry "
     "said the first section would reopen to passengers in the autumn."),
    ("https://c.example/school", "2024-01-15", "Campus Times",
     "Three new technical colleges opened in the hill districts on Monday. Each college "
     "offers courses in welding, electrical work and computer repair. The education board "
     "plans to enrol four thousand students in the first year."),
    ("https://d.example/loan", "2024-05-20", "Money Wire",
     "The central bank agreed a currency swap line worth two billion dollars with its "
     "neighbour. The swap will help pay for imports of fuel and machinery. Analysts said "
     "the deal would ease pressure on foreign exchange reserves."),
    ("https://e.example/wheat", "2024-09-03", "Farm Weekly",
     "Wheat farmers in the southern plains reported a record harvest this season. New "
     "irrigation canals brought water to fields that had been dry for a decade. Grain "
     "prices fell slightly at the wholesale markets in the capital."),
]
QUERIES = ["cranes for the harbour", "faster trains on the rail line",
           "vocational training colleges", "foreign currency swap agreement",
           "irrigation and a big grain harvest"]


def _articles() -> list[dict[str, str]]:
    return [{"url": u, "date": d, "source": s, "title": t.split(".")[0], "text": t}
            for u, d, s, t in ARTICLES]


@pytest.fixture(scope="module")
def pool_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("ann") / "pool.db"
    with Corridor(str(path)) as c:
        report = c.ingest_articles(_articles())
        assert report.stored == len(ARTICLES)
    return path


@pytest.fixture
def pool(pool_file: Path, tmp_path: Path) -> Path:
    path = tmp_path / "pool.db"
    shutil.copy(pool_file, path)
    return path


@pytest.fixture
def ann_on(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("CORRIDOR_ANN_MIN_VECTORS", "0")
    monkeypatch.delenv("CORRIDOR_ANN_DIR", raising=False)
    yield


def _search(db: str, query: str, **filters: Any) -> list[tuple[str, int, float]]:
    with Corridor(db) as c:
        hits = c.search_sentences(query, mode="semantic", limit=5, **filters)
    return [(h.doc_id, h.idx, round(h.score, 5)) for h in hits]


def test_threshold_switch(pool: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CORRIDOR_ANN_MIN_VECTORS", "1000000")
    exact = _search(str(pool), QUERIES[0])
    assert not Path(str(pool) + ".ann").exists()  # below the threshold: no index
    monkeypatch.setenv("CORRIDOR_ANN_MIN_VECTORS", "0")
    monkeypatch.setenv("CORRIDOR_ANN_NPROBE", "1000")  # every list: must equal exact
    approx = _search(str(pool), QUERIES[0])
    assert Path(str(pool) + ".ann").is_dir()
    assert approx == exact and len(exact) == 5


def test_threshold_switch_in_one_process(pool: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CORRIDOR_ANN_NPROBE", "1")
    with Corridor(str(pool)) as c:
        model = get_embedder().model_id
        for threshold, used in (("1000000", False), ("0", True), ("1000000", False)):
            monkeypatch.setenv("CORRIDOR_ANN_MIN_VECTORS", threshold)
            c.search_sentences(QUERIES[1], mode="semantic", limit=3)
            rows = c.store._ann_rows  # type: ignore[attr-defined]
            assert (store_ann._ready(rows, model) is not None) == used, threshold
        assert Path(str(pool) + ".ann").is_dir()


def test_bad_threshold_is_a_clear_error(pool: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from corridor.errors import ConfigError

    monkeypatch.setenv("CORRIDOR_ANN_MIN_VECTORS", "many")
    with pytest.raises(ConfigError, match="CORRIDOR_ANN_MIN_VECTORS"):
        _search(str(pool), QUERIES[0])


def test_default_nprobe_finds_the_right_sentence(pool: Path, ann_on: None,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    for query, (url, *_rest) in zip(QUERIES, ARTICLES, strict=True):
        monkeypatch.setenv("CORRIDOR_ANN_MIN_VECTORS", "1000000")
        exact = _search(str(pool), query)
        monkeypatch.setenv("CORRIDOR_ANN_MIN_VECTORS", "0")
        approx = _search(str(pool), query)
        assert approx[0] == exact[0], query
        with Corridor(str(pool)) as c:
            assert c.document(approx[0][0]).url == url


def test_filters_are_honoured(pool: Path, ann_on: None, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CORRIDOR_ANN_NPROBE", "1")  # few candidates: the walk must fill in
    for exact_docs in ("0", "2000"):  # over-fetch + walk, and exact over the allowed docs
        monkeypatch.setenv("CORRIDOR_ANN_EXACT_DOCS", exact_docs)
        with Corridor(str(pool)) as c:
            hits = c.search_sentences(QUERIES[0], mode="semantic", since="2024-01-01",
                                      source="Farm Weekly", limit=3)
            assert hits and all(h.source == "Farm Weekly" for h in hits)
            assert {h.doc_id for h in hits} == {c.document(hits[0].doc_id).id}
            later = c.search_sentences(QUERIES[1], mode="semantic", since="2024-01-01",
                                       limit=20)
            assert later and all((h.published or "") >= "2024-01-01" for h in later)
            assert len(later) == 9  # every sentence of the three 2024 articles
            assert c.search_sentences(QUERIES[1], mode="semantic", lang="xx") == []


def test_doc_ids_restrict_search(pool: Path, ann_on: None) -> None:
    with Corridor(str(pool)) as c:
        target = c.search_sentences(QUERIES[3], mode="semantic", limit=1)[0].doc_id
        vector = get_embedder().embed([QUERIES[0]])[0]
        hits = c.store.vector_search(get_embedder().model_id, vector, SearchFilters(), 5,
                                     doc_ids=[target])
        assert hits and {h.doc_id for h in hits} == {target}


def test_incremental_add_and_persistence(pool: Path, ann_on: None,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    db = str(pool)
    _search(db, QUERIES[0])  # builds and saves the index
    folder = store_ann.sqlite_rows(None, db).model_folder(get_embedder().model_id)
    assert folder is not None and folder.parent == Path(db + ".ann")
    assert (folder / "current.json").exists()

    def no_build(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("the index was rebuilt instead of loaded / extended")

    monkeypatch.setattr(store_ann, "build_index", no_build)
    with Corridor(db) as c:  # a new process opens the saved index
        c.ingest_articles([{
            "url": "https://f.example/bridge", "date": "2024-10-10", "source": "Civic News",
            "title": "Bridge", "text": "A suspension bridge across the gorge was opened to "
            "traffic on Sunday after six years of construction work by the two provinces."}])
        hits = c.search_sentences("new suspension bridge over the gorge", mode="semantic",
                                  limit=3)
        assert c.document(hits[0].doc_id).url == "https://f.example/bridge"
        rows = c.store._ann_rows  # type: ignore[attr-defined]
        state = rows.states[get_embedder().model_id]
        assert state.index is not None and state.index.delta_size() >= 1


def test_deleted_sentences_never_come_back(pool: Path, ann_on: None) -> None:
    db = str(pool)
    first = _search(db, QUERIES[4])[0]
    with Corridor(db) as c:
        c.search_sentences(QUERIES[4], mode="semantic", limit=1)  # index loaded
        c.store.conn.execute(  # type: ignore[attr-defined]
            "DELETE FROM sentence_hashes WHERE doc_id = ?", (first[0],))
        hits = c.search_sentences(QUERIES[4], mode="semantic", limit=5)
        assert hits and first[0] not in {h.doc_id for h in hits}


def test_same_results_on_both_backends(db_url: str, ann_on: None,
                                       monkeypatch: pytest.MonkeyPatch) -> None:
    with Corridor(db_url) as c:
        c.ingest_articles(_articles())
    results = []
    for threshold in ("1000000", "0"):
        monkeypatch.setenv("CORRIDOR_ANN_MIN_VECTORS", threshold)
        monkeypatch.setenv("CORRIDOR_ANN_NPROBE", "1000")
        results.append(_search(db_url, QUERIES[2], since="2023-03-01"))
    assert results[0] == results[1] and len(results[0]) == 5
    assert np.isfinite([r[2] for r in results[1]]).all()


def test_a_replaced_table_is_noticed(pool: Path, ann_on: None,
                                     monkeypatch: pytest.MonkeyPatch) -> None:
    builds: list[int] = []
    real_build = store_ann.build_index

    def counting(*args: Any, **kwargs: Any) -> Any:
        builds.append(1)
        return real_build(*args, **kwargs)

    monkeypatch.setattr(store_ann, "build_index", counting)
    db = str(pool)
    model = get_embedder().model_id
    with Corridor(db) as c:
        c.search_sentences(QUERIES[0], mode="semantic", limit=3)
        assert len(builds) == 1
        c.search_sentences(QUERIES[1], mode="semantic", limit=3)
        assert len(builds) == 1  # nothing changed: no rebuild
        state = c.store._ann_rows.states[model]  # type: ignore[attr-defined]
        probed = next(iter(state.probes))
        # what a restore of another pool looks like: same rowid, another sentence
        c.store.conn.execute(  # type: ignore[attr-defined]
            "UPDATE sentence_hashes SET text_hash = 'other' WHERE rowid = ?", (probed,))
        c.search_sentences(QUERIES[1], mode="semantic", limit=3)
        assert len(builds) == 2
    store_ann._SHARED.clear()  # a new process: the saved index must be checked too
    with Corridor(db) as c:
        c.search_sentences(QUERIES[1], mode="semantic", limit=3)
        assert len(builds) == 2  # the index saved after the rebuild matches: loaded
        state = c.store._ann_rows.states[model]  # type: ignore[attr-defined]
        c.store.conn.execute(  # type: ignore[attr-defined]
            "UPDATE sentence_hashes SET text_hash = 'again' WHERE rowid = ?",
            (next(iter(state.probes)),))
    store_ann._SHARED.clear()
    with Corridor(db) as c:
        c.search_sentences(QUERIES[1], mode="semantic", limit=3)
        assert len(builds) == 3  # the saved index no longer matches the table: rebuilt
