"""``copy_pool``: every table of the schema copied row for row, in order.

The tables come from the schema (``corridor/store/schema.py``) and the
columns from the databases' catalogues; these tests copy a pool with rows in
every table and compare each table row for row (tests/store/test_backends.py
compares what the copies answer across the two backends).
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import pytest

from corridor.errors import StoreError
from corridor.service import Corridor, open_store
from corridor.store import sqlite as sqlite_backend
from corridor.store.copy import copy_pool
from corridor.store.schema import POSTGRES_ONLY_COLUMNS, table_names
from corridor.store.sqlite import SQLiteStore
from tests.store.test_backends import ARTICLES


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite pool with rows in every table (made once; copy it before changing it)."""
    db = tmp_path_factory.mktemp("seeded") / "pool.db"
    with Corridor(str(db)) as pool:
        report = pool.ingest_articles(ARTICLES, label="copy")
        assert report.stored == 4
        pool.create_token("newsroom")
        pool.check("Pakistan and China held the fourth meeting of the working group on ports")
    with sqlite3.connect(db) as conn:  # a link as a reworded claim would make
        conn.execute("INSERT INTO claim_links(check_id, matched_id, kind, similarity, created_at)"
                     " SELECT id, id, 'suggested', 0.9, created_at FROM checks")
    conn.close()
    return db


def _dump(store: Any) -> dict[str, list[tuple[Any, ...]]]:
    """Every schema table's rows (shared columns), in the order the copy reads them."""
    from corridor.store.copy import _Side

    side = _Side(store)
    out = {}
    with side.snapshot():
        for table in table_names():
            columns = [c for c in side.columns(table) if c not in POSTGRES_ONLY_COLUMNS]
            out[table] = [tuple(bytes(v) if isinstance(v, memoryview) else v for v in row)
                          for batch in side.rows(table, columns) for row in batch]
    return out


def test_every_table_has_rows_in_the_seeded_pool(seeded: Path) -> None:
    store = SQLiteStore(seeded)
    try:
        assert [t for t, rows in _dump(store).items() if not rows] == []
    finally:
        store.close()


def test_sqlite_to_sqlite_copies_every_row(seeded: Path, tmp_path: Path) -> None:
    source, target = SQLiteStore(seeded), SQLiteStore(tmp_path / "copy.db")
    try:
        counts = copy_pool(source, target)
        before, after = _dump(source), _dump(target)
        assert list(counts) == list(table_names())
        for table in table_names():
            assert after[table] == before[table], table
            assert counts[table] == len(before[table])
        # the FTS5 indexes followed by their triggers
        rows = target.conn.execute(
            "SELECT count(*) FROM doc_fts WHERE doc_fts MATCH 'academies'").fetchone()
        assert rows[0] == 1
    finally:
        source.close()
        target.close()
    with Corridor(str(tmp_path / "copy.db")) as copied:
        assert copied.check_integrity() == []
        assert [h.title for h in copied.search("瓜达尔港")] == ["中巴经济走廊合作会议"]


def test_copy_into_an_older_schema_is_refused(seeded: Path, tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    older = [(n, s) for n, s in sqlite_backend.migration_files() if n < "0007"]
    monkeypatch.setattr(sqlite_backend, "migration_files", lambda: older)
    target = SQLiteStore(tmp_path / "old.db")
    monkeypatch.undo()
    source = SQLiteStore(seeded, migrate=False)
    try:
        with pytest.raises(StoreError, match=r"no column documents\.dateline_date"):
            copy_pool(source, target)
        assert target.conn.execute("SELECT count(*) FROM documents").fetchone()[0] == 0
    finally:
        source.close()
        target.close()


def test_a_table_the_schema_does_not_know_is_refused(seeded: Path, tmp_path: Path) -> None:
    newer = tmp_path / "newer.db"
    with sqlite3.connect(seeded) as src, sqlite3.connect(newer) as dst:
        src.backup(dst)
    with sqlite3.connect(newer) as conn:
        conn.execute("CREATE TABLE later_feature (x TEXT)")
        conn.execute("INSERT INTO later_feature VALUES ('y')")
    conn.close()
    source, target = SQLiteStore(newer), SQLiteStore(tmp_path / "copy.db")
    try:
        with pytest.raises(StoreError, match="cannot copy: later_feature"):
            copy_pool(source, target)
    finally:
        source.close()
        target.close()


@pytest.mark.postgres
def test_sqlite_to_postgres_and_back_copies_every_row(seeded: Path, tmp_path: Path,
                                                      pg_url: str) -> None:
    source = SQLiteStore(seeded)
    middle = open_store(pg_url)
    back = SQLiteStore(tmp_path / "back.db")
    try:
        copy_pool(source, middle)
        copy_pool(middle, back)
        before = _dump(source)
        for copied in (_dump(middle), _dump(back)):
            for table in table_names():
                assert sorted(copied[table], key=repr) == sorted(before[table], key=repr), table
            # insertion order kept where the backends read by it (PostgreSQL by `seq`)
            for table in ("sentences", "event_participants"):
                assert copied[table] == before[table], table
        # the tsvector was computed while copying; identities continue after the copied ids
        tsv = middle.conn.execute(  # type: ignore[attr-defined]
            "SELECT count(*) AS n FROM sentences WHERE tsv IS NULL").fetchone()
        assert tsv["n"] == 0
        token = middle.add_token("second", "0" * 64)
        assert token.id == max(t.id for t in middle.list_tokens())
    finally:
        source.close()
        middle.close()
        back.close()
