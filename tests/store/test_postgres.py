"""What only the PostgreSQL backend has: server migrations, tsvector building,
pg_dump/pg_restore backups, the install hint when psycopg is missing."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from corridor.errors import ConfigError, MigrationError, StoreError
from corridor.service import open_store
from corridor.store.base import EventFilters, SearchFilters
from corridor.store.postgres_fts import build_pg_query, lexeme, snippet, tsvector_literal
from tests.store.docs import add, make_doc


def test_missing_psycopg_gives_install_hint(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in [m for m in sys.modules if m.startswith(("corridor.store.postgres", "psycopg"))]:
        monkeypatch.delitem(sys.modules, name)
    monkeypatch.setitem(sys.modules, "psycopg", None)  # import psycopg -> ImportError
    with pytest.raises(ConfigError, match=r"pip install 'corridor\[postgres\]'"):
        open_store("postgresql://nobody@127.0.0.1:1/pool")


def test_unreachable_server_is_store_error() -> None:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    with pytest.raises(StoreError, match="cannot connect"):
        open_store(f"postgresql://nobody:secret@127.0.0.1:{port}/pool?connect_timeout=2")


def test_migrations_recorded_once(pg_empty_url: str) -> None:
    from corridor.store.postgres import PostgresStore, migration_files

    first = PostgresStore(pg_empty_url)
    assert first.applied_migrations() == [name for name, _ in migration_files()]
    first.close()
    again = PostgresStore(pg_empty_url)
    assert again.migrate() == []
    assert again.stats()["migrations"] == [name for name, _ in migration_files()]
    again.close()


def test_tsvector_literal_is_well_formed() -> None:
    lit = tsvector_literal("O'Brien's port", "C:\\path and O'Brien met; the port.")
    assert "'o''brien'" not in lit  # the apostrophe splits words, as FTS5 does
    # title words weigh A; text positions start after a gap, so no phrase spans both
    assert "'brien':2A,17" in lit and "'path':14" in lit and "'port':4A,20" in lit
    assert lexeme("Café") == "cafe" and lexeme("شِنہوا") == "شنہوا" and lexeme("经济") is None
    # Arabic code points unified to Urdu ones; ھ kept apart from ہ
    assert lexeme("پاكستان") == lexeme("پاکستان") and lexeme("پھل") != lexeme("پہل")


def test_text_with_quotes_backslashes_and_marks_is_searchable(pg_url: str) -> None:
    store = open_store(pg_url)
    add(store, make_doc("O'Brien said C:\\temp\\x held 'quoted' words; شِنہوا reported it.",
                        "k", title="Back\\slash 'title'"))
    for query in ("brien", "temp", "quoted", "شنہوا", "slash", '"o brien"'):
        assert len(store.search(query, SearchFilters())) == 1, query
    store.close()


def test_long_document_keeps_every_word(pg_url: str) -> None:
    store = open_store(pg_url)
    words = [f"w{i}" for i in range(40_000)]  # beyond tsvector's 16,383 positions
    add(store, make_doc(" ".join(words) + " finalword", "long"))
    assert len(store.search("finalword", SearchFilters())) == 1
    assert len(store.search("w39999", SearchFilters())) == 1
    store.close()


def test_snippet_marks_the_best_window() -> None:
    text = " ".join(["filler"] * 60 + ["Gwadar", "port", "talks"] + ["filler"] * 60)
    snip, spans = snippet(text, build_pg_query("gwadar port"))
    assert snip.startswith("…") and snip.endswith("…")
    assert [snip[a:b] for a, b in spans] == ["Gwadar", "port"]


def test_backup_and_restore_round_trip(pg_url: str, tmp_path: Path) -> None:
    store = open_store(pg_url)
    add(store, make_doc("The first story about the railway upgrade plan.", "a"))
    store.add_token("desk", "hash-1")
    dump = tmp_path / "pool.dump"
    store.backup(str(dump))
    assert dump.read_bytes()[:5] == b"PGDMP"
    add(store, make_doc("A second story, written after the backup was taken.", "b"))
    assert store.stats()["documents"] == 2
    store._x("CREATE TABLE other_app (x integer)")  # not Corridor's: left alone
    store._x("INSERT INTO other_app VALUES (7)")
    store.restore(str(dump))
    assert store.stats()["documents"] == 1
    assert store._scalar("SELECT x FROM other_app") == 7
    assert [h.snippet for h in store.search("railway", SearchFilters())]
    assert store.search("second", SearchFilters()) == []
    assert [t.name for t in store.list_tokens()] == ["desk"]
    assert store.check_integrity() == []
    # ids go on after the restored ones
    add(store, make_doc("A third story after the restore.", "c"))
    assert store.stats()["documents"] == 2
    store.close()


def test_bad_backups_are_refused_before_anything_changes(pg_url: str, tmp_path: Path) -> None:
    store = open_store(pg_url)
    add(store, make_doc("A story that must survive a bad restore.", "a"))
    dump = tmp_path / "pool.dump"
    store.backup(str(dump))
    truncated = tmp_path / "truncated.dump"
    truncated.write_bytes(dump.read_bytes()[: dump.stat().st_size // 2])
    text = tmp_path / "notes.txt"
    text.write_text("not a dump")
    for bad in (truncated, text, tmp_path / "missing.dump"):
        with pytest.raises(StoreError):
            store.restore(str(bad))
    # a backup from a newer Corridor (a migration this version does not know)
    store._x("INSERT INTO schema_migrations VALUES ('9999_future', 'now')")
    store.backup(str(tmp_path / "newer.dump"))
    store._x("DELETE FROM schema_migrations WHERE name = '9999_future'")
    with pytest.raises(MigrationError, match="newer"):
        store.restore(str(tmp_path / "newer.dump"))
    assert store.stats()["documents"] == 1
    assert store.search("survive", SearchFilters())
    store.close()


def test_corridor_db_setting_selects_postgres(pg_url: str,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    from corridor.service import Corridor
    from corridor.store.postgres import PostgresStore

    monkeypatch.setenv("CORRIDOR_DB", pg_url.replace("postgresql://", "postgres://"))
    with Corridor() as corridor:
        assert isinstance(corridor.store, PostgresStore)
        assert corridor.stats()["documents"] == 0


def test_event_dates_migration_keeps_older_rows_honest(
    pg_empty_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A pool extracted before 0006: a date resolved from "on Monday" becomes inferred."""
    import corridor.store.postgres as backend

    # later migrations stay: add_document writes the documents columns they add
    older = [(name, sql) for name, sql in backend.migration_files() if name != "0006_event_dates"]
    monkeypatch.setattr(backend, "migration_files", lambda: older)
    store = backend.PostgresStore(pg_empty_url)
    doc = make_doc("Pakistan and China held talks on Monday. They signed a pact on 3 March 2025.",
                   "k1", published="2025-03-05", lang="en")
    add(store, doc)
    with store.transaction():
        for row in [(doc.id, "MEET", 21, 26, 0, "2025-03-03", "on Monday"),
                    (doc.id, "SIGN", 46, 52, 1, "2025-03-03", "on 3 March 2025")]:
            store._x('INSERT INTO events(doc_id, type, start, "end", sentence, date, date_phrase)'
                     " VALUES (%s,%s,%s,%s,%s,%s,%s)", row)
    store.close()
    monkeypatch.undo()
    store = backend.PostgresStore(pg_empty_url)
    assert "0006_event_dates" in store.applied_migrations()
    meet, sign = sorted(store.list_events(EventFilters(), 10), key=lambda e: e.type)
    assert meet.date is None and meet.date_inferred == "2025-03-03"
    assert meet.date_basis and "on Monday" in meet.date_basis
    assert sign.date == "2025-03-03" and sign.date_inferred is None
    assert meet.parties == [] and meet.support == []
    store.close()
