"""A fresh pool's schema on each backend, compared with the expected dump.

``schema_expected/sqlite.txt`` and ``schema_expected/postgres.txt`` were
written by :func:`sqlite_schema` / :func:`pg_schema` from pools migrated by the
two hand-written migration folders of commit ee0ea0b (``migrations/`` and
``migrations_pg/``), before the migrations were written once as templates
(``corridor/store/schema.py``). A fresh pool must still end with that schema:
the same tables, columns, types, defaults, keys, indexes, triggers and FTS
objects (comments, white space and identifier quoting aside).
"""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

import pytest

from corridor.errors import MigrationError
from corridor.store.schema import migration_files, render, table_names
from corridor.store.sqlite import SQLiteStore

EXPECTED = Path(__file__).parent / "schema_expected"


def normalise_sql(text: str | None) -> str:
    """SQL without comments and identifier quotes, white space folded."""
    if text is None:
        return "-"
    text = re.sub(r"--[^\n]*", "", text).replace('"', "")
    text = re.sub(r"\s+", " ", text)
    return re.sub(r"\s*([(),])\s*", r"\1", text).strip()


def sqlite_schema(conn: sqlite3.Connection) -> list[str]:
    """Every schema object, and every table's columns, one sorted line each."""
    lines = []
    objects = conn.execute("SELECT type, name, tbl_name, sql FROM sqlite_master").fetchall()
    for kind, name, table, sql in objects:
        lines.append(f"{kind} {name} on {table}: {normalise_sql(sql)}")
        if kind == "table":
            for cid, col, typ, notnull, default, pk, hidden in conn.execute(
                    f'PRAGMA table_xinfo("{name}")'):
                lines.append(f"column {name}.{cid} {col} {typ} notnull={notnull} "
                             f"default={default} pk={pk} hidden={hidden}")
    return sorted(lines)


_PG_QUERIES = (
    ("column", """
     SELECT c.table_name, c.ordinal_position, c.column_name, c.data_type, c.is_nullable,
            c.column_default, c.is_identity, c.identity_generation, a.attstorage
       FROM information_schema.columns c
       JOIN pg_attribute a ON a.attrelid = format('%I.%I', c.table_schema, c.table_name)::regclass
                          AND a.attname = c.column_name
      WHERE c.table_schema = current_schema()"""),
    ("index", "SELECT tablename, indexname, indexdef FROM pg_indexes"
              " WHERE schemaname = current_schema()"),
    ("constraint", "SELECT conrelid::regclass::text, conname, contype,"
                   " pg_get_constraintdef(oid) FROM pg_constraint"
                   " WHERE connamespace = current_schema()::regnamespace"),
    ("trigger", "SELECT tgrelid::regclass::text, tgname, pg_get_triggerdef(oid)"
                " FROM pg_trigger WHERE NOT tgisinternal"),
    ("extension", "SELECT extname FROM pg_extension"),
    ("sequence", "SELECT sequencename, data_type::text, start_value, increment_by"
                 " FROM pg_sequences WHERE schemaname = current_schema()"),
    ("relation", "SELECT relname, relkind FROM pg_class"
                 " WHERE relnamespace = current_schema()::regnamespace"),
)


def pg_schema(url: str) -> list[str]:
    """Columns, indexes, constraints, triggers, extensions and sequences, sorted lines."""
    import psycopg

    lines = []
    with psycopg.connect(url) as conn:
        for kind, query in _PG_QUERIES:
            for row in conn.execute(query):
                lines.append(kind + " " + " | ".join(str(v) for v in row))
    return sorted(lines)


def _expected(name: str) -> list[str]:
    return (EXPECTED / name).read_text("utf-8").splitlines()


def test_fresh_sqlite_pool_has_the_expected_schema(tmp_path: Path) -> None:
    store = SQLiteStore(tmp_path / "pool.db")
    try:
        assert sqlite_schema(store.conn) == _expected("sqlite.txt")
    finally:
        store.close()


@pytest.mark.postgres
def test_fresh_postgres_pool_has_the_expected_schema(pg_empty_url: str) -> None:
    from corridor.store.postgres import PostgresStore

    PostgresStore(pg_empty_url).close()
    assert pg_schema(pg_empty_url) == _expected("postgres.txt")


def test_both_backends_have_the_same_migration_names() -> None:
    names = [name for name, _ in migration_files("sqlite")]
    assert names == [name for name, _ in migration_files("postgres")]
    assert names[0] == "0001_documents" and names == sorted(names)


def test_table_names_are_the_pool_tables_in_creation_order(tmp_path: Path) -> None:
    store = SQLiteStore(tmp_path / "pool.db")
    try:
        created = [r[0] for r in store.conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND sql NOT LIKE 'CREATE VIRTUAL%'"
            " AND name NOT LIKE '%fts%' AND name NOT LIKE '%trigram%'"
            " AND name != 'schema_migrations' ORDER BY rowid")]
    finally:
        store.close()
    assert list(table_names()) == created
    assert table_names()[:2] == ("documents", "sources") and "claim_links" in table_names()


def test_tokens_are_spelled_per_backend() -> None:
    template = "CREATE TABLE t (id {serial_pk}, v {blob}) ;\nCREATE INDEX t_v ON t({nocase:v});"
    assert render(template, "sqlite") == (
        "CREATE TABLE t (id INTEGER PRIMARY KEY, v BLOB) ;\n"
        "CREATE INDEX t_v ON t(v COLLATE NOCASE);")
    assert render(template, "postgres") == (
        "CREATE TABLE t (id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, v BYTEA) ;\n"
        "CREATE INDEX t_v ON t(lower(v));")
    with pytest.raises(MigrationError, match="unknown schema token"):
        render("{fulltext_column:documents}", "sqlite")
    with pytest.raises(MigrationError, match="lacks its argument"):
        render("{nocase}", "postgres")
