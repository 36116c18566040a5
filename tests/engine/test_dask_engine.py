"""The Dask engine stores exactly what the single-process ingest stores.

A real ``LocalCluster`` (2 worker processes) cleans, extracts and embeds; the
same corpus goes through ``Corridor.ingest`` into another SQLite file and the
two databases are compared table by table (timestamps aside), sentence
vectors to within 1e-5.
"""

from __future__ import annotations

import json
import os
import socket
import sqlite3
import sys
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import numpy as np
import pytest
from typer.testing import CliRunner

from corridor.cli import app
from corridor.engine import dask_engine
from corridor.errors import ConfigError
from corridor.ingest.sources import iter_sources
from corridor.service import Corridor
from corridor.settings import Settings

distributed = pytest.importorskip("distributed")

CHUNK = 3
#: FTS5 index internals: their layout depends on transaction boundaries, not content
_SHADOW = ("_data", "_idx", "_docsize", "_config", "_content")
_SKIP_TABLES = {"schema_migrations", "ingest_runs", "sentence_vectors"}


def _snapshot(db: Path) -> dict[str, list[tuple[Any, ...]]]:
    """Every table's rows (not timestamps, not FTS internals)."""
    conn = sqlite3.connect(db)
    try:
        tables = [r[0] for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
        out: dict[str, list[tuple[Any, ...]]] = {}
        for table in tables:
            if table in _SKIP_TABLES or table.endswith(_SHADOW):
                continue
            cols = [r[1] for r in conn.execute(f'PRAGMA table_info("{table}")')
                    if not r[1].endswith("_at")]
            names = ", ".join(f'"{c}"' for c in cols)
            rows = conn.execute(f'SELECT {names} FROM "{table}"').fetchall()
            out[table] = sorted(rows, key=repr)  # ids and rowids are columns where they matter
        return out
    finally:
        conn.close()


def _vectors(db: Path) -> dict[tuple[str, str], np.ndarray]:
    conn = sqlite3.connect(db)
    try:
        return {(h, m): np.frombuffer(v, dtype=np.float32)
                for h, m, v in conn.execute("SELECT text_hash, model, vec FROM sentence_vectors")}
    finally:
        conn.close()


def _report(report: Any) -> dict[str, Any]:
    data: dict[str, Any] = report.to_dict()
    data.pop("seconds")
    return data


@pytest.fixture(scope="module")
def cluster() -> Iterator[str]:
    """The engine's own LocalCluster (2 worker processes, warmed); its scheduler address.

    Tests pass it as ``scheduler``, so one cluster start serves both paths:
    starting a local cluster and connecting to a running scheduler.
    """
    with dask_engine.dask_client(workers=2) as client:
        pids = client.run(os.getpid)
        assert len(pids) == 2 and os.getpid() not in pids.values()
        yield client.scheduler.address


@pytest.fixture(scope="module")
def reference(
    tmp_path_factory: pytest.TempPathFactory, engine_corpus: SimpleNamespace,
) -> dict[str, Any]:
    """The corpus through the single-process path: report, progress, database."""
    work = tmp_path_factory.mktemp("single")
    folder = engine_corpus.write(work / "corpus")
    calls: list[tuple[str, str, str]] = []
    with Corridor(settings=Settings(db=str(work / "single.db"))) as pool:
        report = pool.ingest([str(folder)], progress=lambda *a: calls.append(a))
        again = pool.ingest([str(folder)])
    return {"folder": folder, "db": work / "single.db", "report": _report(report),
            "again": _report(again), "calls": calls}


def test_corpus_spreads_duplicates_over_partitions(reference: dict[str, Any]) -> None:
    """The corpus does what the equality test needs: duplicates in other chunks than
    their originals (and one in the same chunk), plus drops and quarantines."""
    report = reference["report"]
    assert report["duplicates"] == {"near": 3, "exact": 2}
    assert report["dropped"] == {"too_short": 1}
    assert report["quarantined"] == {"binary": 1, "malformed": 1, "unsupported": 1}
    assert report["stored"] == report["extracted"] == 9
    keys = [item.source_key for item in iter_sources([str(reference["folder"])], Settings())]
    calls = reference["calls"]
    assert [k for _, k, _ in calls] == keys
    chunk_of = {key: i // CHUNK for i, key in enumerate(keys)}
    original_of_id = {detail: key for outcome, key, detail in calls if outcome == "stored"}
    pairs = [(key, original_of_id[detail.split(" of ")[1]])
             for outcome, key, detail in calls if outcome == "duplicate"]
    same_chunk = [chunk_of[dup] == chunk_of[orig] for dup, orig in pairs]
    assert same_chunk.count(True) == 1 and same_chunk.count(False) == 4


def test_same_records_as_single_process(
    cluster: str, reference: dict[str, Any], tmp_path: Path,
) -> None:
    db = tmp_path / "dask.db"
    calls: list[tuple[str, str, str]] = []
    with Corridor(settings=Settings(db=str(db))) as pool:
        report = dask_engine.ingest_dask(
            pool, [str(reference["folder"])], lambda *a: calls.append(a),
            scheduler=cluster, chunk_size=CHUNK)
        assert _report(report) == reference["report"]
        assert calls == reference["calls"]  # same outcomes, same order, same doc ids
        again = dask_engine.ingest_dask(pool, [str(reference["folder"])], scheduler=cluster,
                                        chunk_size=CHUNK)
        assert _report(again) == reference["again"]
        assert again.unchanged == 14 and again.stored == 0
        assert pool.check_integrity() == []
        assert pool.search("desalination")[0].doc_id
        assert pool.events(limit=1000) == Corridor(
            settings=Settings(db=str(reference["db"]))).events(limit=1000)

    expected, actual = _snapshot(reference["db"]), _snapshot(db)
    assert sorted(actual) == sorted(expected)
    for table in expected:
        assert actual[table] == expected[table], table
    assert len(expected["entities"]) > 10 and len(expected["events"]) > 5
    assert len(expected["sentence_hashes"]) == len(expected["sentences"]) > 30

    want, got = _vectors(reference["db"]), _vectors(db)
    assert sorted(got) == sorted(want)
    for key, vector in want.items():
        np.testing.assert_allclose(got[key], vector, atol=1e-5)


def test_cli_engine_dask(cluster: str, reference: dict[str, Any], tmp_path: Path) -> None:
    db = tmp_path / "cli.db"
    result = CliRunner().invoke(app, [
        "ingest", str(reference["folder"]), "--db", str(db), "--engine", "dask",
        "--scheduler", cluster, "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    data.pop("seconds")
    assert data == reference["report"]


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port


def test_unreachable_scheduler_is_a_config_error(tmp_path: Path) -> None:
    address = f"tcp://127.0.0.1:{_closed_port()}"
    with Corridor(settings=Settings(db=str(tmp_path / "x.db"))) as pool:
        with pytest.raises(ConfigError, match="cannot reach the Dask scheduler at tcp://127"):
            pool.ingest_distributed(["x"], items=[], scheduler=address)
        with pytest.raises(ConfigError, match="bad Dask scheduler address"):
            pool.ingest_distributed(["x"], items=[], scheduler="no-port-here")
        with pytest.raises(ConfigError, match="workers must be >= 1"):
            pool.ingest_distributed(["x"], items=[], workers=0)
    result = CliRunner().invoke(app, [
        "ingest", str(tmp_path), "--db", str(tmp_path / "cli.db"), "--engine", "dask",
        "--scheduler", address])
    assert result.exit_code == 2
    assert "cannot reach the Dask scheduler" in result.output


def test_missing_dask_gives_the_install_hint(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(sys.modules, "distributed", None)  # import fails as if not installed
    with Corridor(settings=Settings(db=str(tmp_path / "x.db"))) as pool, \
            pytest.raises(ConfigError, match=r"pip install 'corridor\[dask\]'"):
        pool.ingest_distributed(["x"], items=[])
    result = CliRunner().invoke(app, [
        "ingest", str(tmp_path), "--db", str(tmp_path / "cli.db"), "--engine", "dask"])
    assert result.exit_code == 2
    assert "corridor[dask]" in result.output


def test_scheduler_needs_the_dask_engine(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, [
        "ingest", str(tmp_path), "--db", str(tmp_path / "cli.db"), "--workers", "2"])
    assert result.exit_code == 2
    assert "--engine dask" in result.output


def _api_view(pool: Corridor) -> dict[str, Any]:
    """What a user can read back, timestamps aside (any backend)."""
    docs = []
    for doc in pool.store.iter_documents():
        data = doc.to_dict()
        data.pop("ingested_at")
        full = pool.document(doc.id).to_dict()
        data["sources"] = sorted(
            (s["source_key"], s["kind"], s["similarity"]) for s in full["sources"])
        docs.append(data)
    quarantine = sorted((q.source_key, q.code, q.stage, q.message, q.raw_hash)
                        for q in pool.quarantine(1000))
    entities = sorted(repr(e) for e in pool.entities(limit=1000))
    events = sorted(repr((e.type, e.date, e.participants, e.citation)) for e in
                    pool.events(limit=1000))
    commitments = sorted(repr((c.parties, c.modality, c.action, c.citation)) for c in
                         pool.commitments(limit=1000))
    return {"documents": sorted(docs, key=lambda d: d["id"]), "quarantine": quarantine,
            "entities": entities, "events": events, "commitments": commitments,
            "semantic": [(h.doc_id, h.idx) for h in
                         pool.search_sentences("railway financing", mode="semantic")]}


def test_postgres_store(cluster: str, reference: dict[str, Any], pg_url: str) -> None:
    """The engine writes through the Store interface only: the same pool on PostgreSQL."""
    calls: list[tuple[str, str, str]] = []
    with Corridor(pg_url) as pool:
        report = dask_engine.ingest_dask(
            pool, [str(reference["folder"])], lambda *a: calls.append(a),
            scheduler=cluster, chunk_size=CHUNK)
        assert _report(report) == reference["report"]
        assert calls == reference["calls"]
        got = _api_view(pool)
    with Corridor(str(reference["db"])) as single:
        want = _api_view(single)
    for part in want:
        assert got[part] == want[part], part


def test_sentences_a_worker_skips_still_get_vectors(
    cluster: str, reference: dict[str, Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Workers skip sentences they embedded earlier in the run (the driver has stored
    them by then). Should such a vector never reach the store (a worker that
    embedded it for an aborted run), the driver embeds the sentence: none is lost."""
    conn = sqlite3.connect(reference["db"])
    rows = set(conn.execute("SELECT doc_id, idx, text_hash FROM sentence_hashes"))
    conn.close()
    monkeypatch.setattr(dask_engine, "_run_token", lambda: "run-x")
    with distributed.Client(cluster, set_as_default=False) as client:
        # every worker believes it already embedded every sentence in this run
        client.run(setattr, dask_engine, "_EMBEDDED", ("run-x", {h for _, _, h in rows}))
        db = tmp_path / "skipped.db"
        with Corridor(settings=Settings(db=str(db))) as pool:
            report = dask_engine.ingest_dask(pool, [str(reference["folder"])],
                                             scheduler=cluster, chunk_size=CHUNK)
        client.run(setattr, dask_engine, "_EMBEDDED", ("", set()))
    assert _report(report) == reference["report"]
    conn = sqlite3.connect(db)
    assert set(conn.execute("SELECT doc_id, idx, text_hash FROM sentence_hashes")) == rows
    conn.close()
    want, got = _vectors(reference["db"]), _vectors(db)
    assert sorted(got) == sorted(want)
    for key, vector in want.items():
        np.testing.assert_allclose(got[key], vector, atol=1e-5)
