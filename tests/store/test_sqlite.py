"""What only the SQLite backend has: the file, WAL, trigger-kept FTS5 indexes.

The Store contract itself is tested on every backend in test_store.py.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from corridor.store.base import EventFilters, SearchFilters
from corridor.store.sqlite import SQLiteStore, migration_files, split_sql
from tests.store.docs import add, make_doc


def test_migrations_recorded_once(tmp_path: Path) -> None:
    first = SQLiteStore(tmp_path / "a.db")
    assert first.applied_migrations() == [name for name, _ in migration_files()]
    assert first.applied_migrations()[:2] == ["0001_documents", "0002_fts"]
    first.close()
    again = SQLiteStore(tmp_path / "a.db")
    assert again.migrate() == []
    assert again.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_opening_an_up_to_date_pool_takes_no_write_lock(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A command opens the pool while an ingest holds the write lock: with every
    migration applied, opening only reads, so it does not wait for the batch."""
    import sqlite3

    from corridor.store import sqlite as sqlite_store

    path = tmp_path / "a.db"
    SQLiteStore(path).close()
    writer = sqlite3.connect(path, isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")  # an ingest's open batch
    monkeypatch.setattr(sqlite_store, "BUSY_TIMEOUT_MS", 100)  # a lock wait fails fast
    try:
        reader = SQLiteStore(path, create=False)
        assert reader.search("anything", SearchFilters()) == []
        reader.close()
    finally:
        writer.execute("ROLLBACK")
        writer.close()


def test_split_sql_keeps_triggers_whole() -> None:
    parts = split_sql("CREATE TABLE a(x);\nCREATE TRIGGER t AFTER INSERT ON a BEGIN\n"
                      "  INSERT INTO a VALUES (1);\n  INSERT INTO a VALUES (2);\nEND;\n")
    assert len(parts) == 2 and parts[1].endswith("END;")


def test_fts_follows_inserts_updates_deletes(tmp_path: Path) -> None:
    store = SQLiteStore(tmp_path / "pool.db")
    doc = make_doc("The ministers discussed the Gwadar port expansion in detail.", "k1",
                   title="Port talks", published="2024-03-01", source="Example News", lang="en")
    add(store, doc)
    assert [h.doc_id for h in store.search("gwadar", SearchFilters())] == [doc.id]
    store.conn.execute("UPDATE documents SET text = 'Nothing about ports now.' WHERE id = ?",
                       (doc.id,))
    assert store.search("gwadar", SearchFilters()) == []
    assert store.search("ports", SearchFilters())
    store.conn.execute("DELETE FROM sources")
    store.conn.execute("DELETE FROM lsh_bands")
    store.conn.execute("DELETE FROM documents")
    assert store.search("ports", SearchFilters()) == []
    assert store.check_integrity() == []


OLD_EVENTS = "Pakistan and China held talks on Monday. They signed a pact on 3 March 2025."


def test_event_dates_migration_keeps_older_rows_honest(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A pool extracted before 0006: a date resolved from "on Monday" becomes inferred."""
    import corridor.store.sqlite as backend

    # later migrations stay: add_document writes the documents columns they add
    older = [(name, sql) for name, sql in migration_files() if name != "0006_event_dates"]
    monkeypatch.setattr(backend, "migration_files", lambda: older)
    store = SQLiteStore(tmp_path / "old.db")
    doc = make_doc(OLD_EVENTS, "k1", published="2025-03-05", lang="en")
    add(store, doc)
    with store.transaction():
        store.conn.executemany(
            "INSERT INTO events(doc_id, type, start, end, sentence, date, date_phrase)"
            " VALUES (?,?,?,?,?,?,?)",
            [(doc.id, "MEET", 21, 26, 0, "2025-03-03", "on Monday"),
             (doc.id, "SIGN", 46, 52, 1, "2025-03-03", "on 3 March 2025")])
    store.close()
    monkeypatch.undo()
    store = SQLiteStore(tmp_path / "old.db")
    assert "0006_event_dates" in store.applied_migrations()
    meet, sign = sorted(store.list_events(EventFilters(), 10), key=lambda e: e.type)
    assert meet.date is None and meet.date_inferred == "2025-03-03"
    assert meet.date_basis and "on Monday" in meet.date_basis
    assert sign.date == "2025-03-03" and sign.date_inferred is None
    assert meet.parties == [] and meet.support == []
    store.close()


def test_dateline_date_is_stored_and_older_pools_get_the_column(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """0007: the day a dateline states is kept with the document (its text has no dateline)."""
    import corridor.store.sqlite as backend

    older = [(name, sql) for name, sql in migration_files() if name < "0007"]
    monkeypatch.setattr(backend, "migration_files", lambda: older)
    store = SQLiteStore(tmp_path / "old.db")
    store.close()
    monkeypatch.undo()
    store = SQLiteStore(tmp_path / "old.db")
    assert "0007_dateline_date" in store.applied_migrations()
    doc = make_doc("The two ministers met in the capital.", "k1", published="2025-02-07",
                   dateline_place="Lahore", dateline_date="2025-02-06")
    add(store, doc)
    assert doc.id is not None
    stored = store.get_document(doc.id)
    assert (stored.dateline_place, stored.dateline_date) == ("Lahore", "2025-02-06")
