"""The SQL written once for both backends: its spelling per driver, one copy of every
method, driver errors mapped on read paths as on writes, the role protocols."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from corridor.errors import StoreError
from corridor.store import roles
from corridor.store.base import SearchFilters, Store
from corridor.store.dialect import POSTGRES, SQLITE
from corridor.store.sqlite import SQLiteStore

from .docs import add, make_doc

#: what only one backend can do its own way (schema, locks, files, LSH lookups)
BACKEND_OWN = {"migrate", "backup", "restore", "check_integrity", "close", "near_candidates"}


def test_one_spelling_for_each_driver() -> None:
    stmt = ("SELECT coalesce(lang, '?') AS k FROM documents d WHERE d.url ILIKE ?"
            ' AND d.published >= ? COLLATE "C" AND d.title = \'100%\' ORDER BY "end" LIMIT ?')
    assert POSTGRES.sql(stmt) == (
        "SELECT coalesce(lang, '?') AS k FROM documents d WHERE d.url ILIKE %s"
        ' AND d.published >= %s COLLATE "C" AND d.title = \'100%%\' ORDER BY "end" LIMIT %s')
    assert SQLITE.sql(stmt) == (
        "SELECT coalesce(lang, '?') AS k FROM documents d WHERE d.url LIKE ?"
        " AND d.published >= ? AND d.title = '100%' ORDER BY \"end\" LIMIT ?")
    assert SQLITE.any_of("s.doc_id", ["a", "b"]) == ("s.doc_id IN (?,?)", ["a", "b"])
    assert POSTGRES.any_of("s.doc_id", ["a", "b"]) == ("s.doc_id = ANY(?)", [["a", "b"]])


def test_backends_share_every_statement() -> None:
    """Each method of the store is one function for both backends, but for BACKEND_OWN."""
    pytest.importorskip("psycopg")
    from corridor.store.postgres import PostgresStore

    names = [n for n in dir(Store) if not n.startswith("_")]
    assert set(BACKEND_OWN) <= set(names)
    for name in names:
        shared = getattr(SQLiteStore, name) is getattr(PostgresStore, name)
        assert shared == (name not in BACKEND_OWN), name


def test_every_method_has_one_role() -> None:
    parts = [roles.DocumentStore, roles.FactStore, roles.SentenceStore, roles.CheckStore,
             roles.TokenStore, roles.AdminStore]
    own = [{n for n in vars(p) if not n.startswith("_")} for p in parts]
    every = {n for n in dir(Store) if not n.startswith("_")}
    assert set().union(*own) | {"transaction"} == every
    assert sum(len(o) for o in own) == len(set().union(*own))  # no method in two roles


def test_driver_errors_on_read_paths_are_store_errors(store: Store) -> None:
    add(store, make_doc("Pakistan and China signed a port agreement.", "k1"))
    store.conn.execute("DROP TABLE api_tokens")  # type: ignore[attr-defined]
    with pytest.raises(StoreError, match="api_tokens"):
        store.list_tokens()
    with pytest.raises(StoreError, match="api_tokens"):
        store.token_by_hash("0" * 64)
    assert store.search("port", SearchFilters())  # the rest of the pool still answers


def test_damaged_file_read_later_is_the_corrupted_pool_error(tmp_path: Path) -> None:
    db = tmp_path / "pool.db"
    store = SQLiteStore(db)
    add(store, make_doc("Pakistan and China signed a port agreement.", "k1"))
    store.close()
    store = SQLiteStore(db, migrate=False)
    with open(db, "r+b") as fh:  # wreck every page after the schema's first one
        fh.seek(4096)
        fh.write(b"\xff" * (db.stat().st_size - 4096))
    try:
        with pytest.raises(StoreError, match="not a valid Corridor pool") as info:
            store.search("port", SearchFilters())
        assert isinstance(info.value.__cause__, sqlite3.DatabaseError)
    finally:
        store.close()
