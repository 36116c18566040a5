"""What only the SQLite backend has: the file, WAL, trigger-kept FTS5 indexes.

The Store contract itself is tested on every backend in test_store.py.
"""

from __future__ import annotations

from pathlib import Path

from corridor.store.base import SearchFilters
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
