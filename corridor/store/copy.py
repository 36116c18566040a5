"""Copy a whole pool between backends (``corridor migrate --from ... --to ...``).

The tables and their order (parents before children) are the schema's
(:func:`corridor.store.schema.table_names`); each table's columns, key and
identity columns are read from the live catalogues of the two databases, so
nothing here repeats the schema. Every row is copied with its ids (document
rowids that ``lsh_bands`` points at, event, mention, check and token ids), in
an order that keeps insertion order where the backends rely on it (SQLite's
rowid, PostgreSQL's ``seq``: sentences, event participants). The target must be
empty; everything is written in one transaction, so a failed copy leaves the
target as empty as it was. The source is read inside one read transaction (a
consistent snapshot) and streamed in batches. The PostgreSQL full-text column
``tsv`` is computed while copying; the SQLite FTS5 indexes follow by their
triggers. Counts are compared before the copy commits.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from ..errors import ConfigError, StoreError
from .base import Store
from .schema import POSTGRES_ONLY_COLUMNS, table_names

__all__ = ["copy_pool"]

_BATCH = 1000
#: computed from title and text while copying into PostgreSQL, never copied
_COMPUTED = "tsv"


def _quoted(columns: Sequence[str]) -> str:
    return ", ".join(f'"{c}"' for c in columns)


class _Side:
    """One end of a copy: its catalogue, and reading, writing and counting rows."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self._columns: dict[str, list[str]] = {}
        from .sqlite import SQLiteStore

        if isinstance(store, SQLiteStore):
            self.kind = "sqlite"
            self.sqlite: sqlite3.Connection = store.conn
            return
        try:
            from .postgres import PostgresStore
        except ImportError as exc:  # pragma: no cover - psycopg missing
            raise ConfigError(f"cannot copy from/to {type(store).__name__}: {exc}") from exc
        if not isinstance(store, PostgresStore):
            raise ConfigError(f"cannot copy a pool held by {type(store).__name__}")
        self.kind = "postgres"
        self.pg = store.conn

    def _query(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        if self.kind == "sqlite":
            return [tuple(r) for r in self.sqlite.execute(sql, params)]
        return [tuple(r.values()) for r in self.pg.execute(sql, params or None)]

    # -- catalogue ----------------------------------------------------------
    def columns(self, table: str) -> list[str]:
        """The table's columns in their order."""
        if table not in self._columns:
            self._columns[table] = [r[0] for r in self._query(
                "SELECT name FROM pragma_table_info(?) ORDER BY cid" if self.kind == "sqlite"
                else "SELECT column_name FROM information_schema.columns WHERE table_schema ="
                " current_schema() AND table_name = %s ORDER BY ordinal_position", (table,))]
        return self._columns[table]

    def order(self, table: str) -> str:
        """ORDER BY that reads the table in insertion order, or else by its key."""
        if self.kind == "sqlite":
            sql = self._query("SELECT sql FROM sqlite_master WHERE name = ?", (table,))[0][0]
            if not re.search(r"WITHOUT\s+ROWID\s*$", sql, re.IGNORECASE):
                return "rowid"
            key = [r[0] for r in self._query(
                "SELECT name FROM pragma_table_info(?) WHERE pk > 0 ORDER BY pk", (table,))]
        elif "seq" in self.columns(table):
            return "seq"
        else:
            key = [r[0] for r in self._query(
                "SELECT k.column_name FROM information_schema.table_constraints c"
                " JOIN information_schema.key_column_usage k"
                " USING (constraint_schema, constraint_name, table_name)"
                " WHERE c.table_schema = current_schema() AND c.table_name = %s"
                " AND c.constraint_type = 'PRIMARY KEY' ORDER BY k.ordinal_position", (table,))]
        return _quoted(key or self.columns(table))

    def identities(self) -> list[tuple[str, str]]:
        """(table, column) of every PostgreSQL identity column of the pool."""
        if self.kind == "sqlite":
            return []
        return [(t, c) for t, c in self._query(
            "SELECT table_name, column_name FROM information_schema.columns"
            " WHERE table_schema = current_schema() AND is_identity = 'YES'"
            " ORDER BY table_name, column_name") if t in table_names()]

    def unknown_tables(self) -> list[str]:
        """Tables with rows that this copy does not know (a newer schema)."""
        if self.kind == "sqlite":
            names = [r[0] for r in self._query(
                "SELECT name FROM sqlite_master WHERE type = 'table'"
                " AND name NOT LIKE 'sqlite_%' AND sql NOT LIKE 'CREATE VIRTUAL%'")]
            names = [n for n in names if not n.endswith(
                ("_data", "_idx", "_content", "_docsize", "_config"))]
        else:
            names = [r[0] for r in self._query(
                "SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")]
        known = {*table_names(), "schema_migrations"}
        return sorted(n for n in names if n not in known and self.count(n))

    def count(self, table: str) -> int:
        return int(self._query(f'SELECT count(*) FROM "{table}"')[0][0])

    # -- reading ------------------------------------------------------------
    @contextmanager
    def snapshot(self) -> Iterator[None]:
        """One consistent read view for the whole copy."""
        if self.kind == "sqlite":
            self.sqlite.execute("BEGIN")
            try:
                yield
            finally:
                self.sqlite.execute("ROLLBACK")
            return
        self.pg.execute("BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        try:
            yield
        finally:
            self.pg.execute("ROLLBACK")

    def rows(self, table: str, columns: Sequence[str]) -> Iterator[list[tuple[Any, ...]]]:
        select = f'SELECT {_quoted(columns)} FROM "{table}" ORDER BY {self.order(table)}'
        if self.kind == "sqlite":
            cur = self.sqlite.execute(select)
            while batch := cur.fetchmany(_BATCH):
                yield [tuple(r) for r in batch]
            return
        with self.pg.cursor(name=f"copy_{table}") as named:
            named.execute(select)
            while page := named.fetchmany(_BATCH):
                yield [tuple(r.values()) for r in page]

    # -- writing ------------------------------------------------------------
    def write(self, table: str, columns: Sequence[str],
              rows: Sequence[tuple[Any, ...]]) -> None:
        if self.kind == "sqlite":
            marks = ",".join("?" * len(columns))
            try:
                self.sqlite.executemany(
                    f'INSERT INTO "{table}" ({_quoted(columns)}) VALUES ({marks})', rows)
            except sqlite3.Error as exc:
                raise StoreError(f"copying {table} failed: {exc}") from exc
            return
        import psycopg

        from .postgres_fts import tsvector_literal

        names = list(columns)
        if _COMPUTED in self.columns(table):
            title = names.index("title") if "title" in names else None
            text = names.index("text")
            rows = [(*r, tsvector_literal(None if title is None else r[title], r[text]))
                    for r in rows]
            names.append(_COMPUTED)
        try:
            with self.pg.cursor() as cur, \
                    cur.copy(f'COPY "{table}" ({_quoted(names)}) FROM STDIN') as copy:
                for row in rows:
                    copy.write_row(row)
        except psycopg.Error as exc:
            raise StoreError(f"copying {table} failed: {exc}") from exc

    def finish(self) -> None:
        """Move PostgreSQL identity sequences past the copied ids."""
        for table, column in self.identities():
            self._query(
                f"SELECT setval(pg_get_serial_sequence('\"{table}\"', '{column}'),"
                f' coalesce(max("{column}"), 0) + 1, false) FROM "{table}"')


def _copied_columns(src: _Side, dst: _Side, table: str) -> list[str]:
    """The source's columns that the target has too (the computed ``tsv`` aside)."""
    have = set(dst.columns(table))
    columns = [c for c in src.columns(table) if c != _COMPUTED]
    lost = [c for c in columns if c not in have and c not in POSTGRES_ONLY_COLUMNS]
    if lost:
        raise StoreError(f"the target pool has no column {table}.{lost[0]}; "
                         "is it an older Corridor version?")
    return [c for c in columns if c in have]


def copy_pool(source: Store, target: Store) -> dict[str, int]:
    """Copy every record of ``source`` into the empty ``target``; rows per table."""
    src, dst = _Side(source), _Side(target)
    unknown = src.unknown_tables()
    if unknown:
        raise StoreError("the source pool has tables this version cannot copy: "
                         + ", ".join(unknown))
    tables = table_names()
    busy = [t for t in tables if dst.count(t)]
    if busy:
        raise StoreError("the target pool is not empty (" + ", ".join(busy[:5])
                         + "); copy into a new database")
    counts: dict[str, int] = {}
    with target.transaction(), src.snapshot():
        for table in tables:
            columns = _copied_columns(src, dst, table)
            n = 0
            for batch in src.rows(table, columns):
                dst.write(table, columns, batch)
                n += len(batch)
            counts[table] = n
        dst.finish()
        for table in tables:
            if dst.count(table) != counts[table]:
                raise StoreError(f"copy check failed: {table} has "
                                 f"{dst.count(table)} rows, the source {counts[table]}")
    return counts
