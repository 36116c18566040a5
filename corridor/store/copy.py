"""Copy a whole pool between backends (``corridor migrate --from ... --to ...``).

Every table is copied row for row with its ids (document rowids that
``lsh_bands`` points at, event, mention, check and token ids), in an order
that keeps insertion order where the backends rely on it (sentences, event
participants). The target must be empty; everything is written in one
transaction, so a failed copy leaves the target as empty as it was. The
source is read inside one read transaction (a consistent snapshot) and
streamed in batches. The PostgreSQL full-text columns are computed while
copying; the SQLite FTS5 indexes follow by their triggers. Counts are
compared before the copy commits.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from ..errors import ConfigError, StoreError
from .base import Store

__all__ = ["TABLES", "copy_pool"]

_BATCH = 1000


@dataclass(frozen=True)
class Table:
    name: str
    columns: tuple[str, ...]
    sqlite_order: str
    pg_order: str
    identity: str | None = None  # the PostgreSQL identity column to move past the copied ids


_DOC = ("rowid", "id", "source_key", "origin", "url", "source", "title", "published",
        "date_source", "dateline_place", "dateline_date", "lang", "encoding", "text",
        "content_hash", "minhash", "ingested_at")

#: every table of a pool, parents before children
TABLES: tuple[Table, ...] = (
    Table("documents", _DOC, "rowid", "rowid", "rowid"),
    Table("sources", ("source_key", "raw_hash", "doc_id", "kind", "similarity", "url", "source",
                      "title", "published", "seen_at"), "rowid", "seen_at, source_key, raw_hash"),
    Table("lsh_bands", ("band", "key", "doc"), "band, key, doc", "band, key, doc"),
    Table("quarantine", ("id", "source_key", "origin", "url", "code", "stage", "message", "raw",
                         "raw_size", "raw_hash", "created_at"), "id", "id", "id"),
    Table("ingest_runs", ("id", "started_at", "finished_at", "targets", "counts"), "id", "id",
          "id"),
    Table("api_tokens", ("id", "name", "hash", "created_at", "revoked_at", "last_used_at"), "id",
          "id", "id"),
    Table("entities", ("id", "type", "name", "country", "in_lexicon"), "rowid", "id"),
    Table("entity_aliases", ("entity_id", "alias"), "rowid", "entity_id, alias"),
    Table("sentences", ("doc_id", "idx", "start", "end", "text"), "rowid", "seq", "seq"),
    Table("mentions", ("id", "doc_id", "entity_id", "label", "start", "end", "text", "role",
                       "country", "sentence"), "id", "id", "id"),
    Table("roles", ("entity_id", "role", "country", "date", "doc_id", "start", "end"), "rowid",
          "entity_id, role, doc_id"),
    Table("events", ("id", "doc_id", "type", "plover", "start", "end", "sentence", "date",
                     "date_phrase", "place", "ordinal", "date_inferred", "date_basis", "parties",
                     "support"), "id", "id", "id"),
    Table("event_participants", ("event_id", "entity_id"), "rowid", "seq", "seq"),
    Table("doc_sectors", ("doc_id", "sector", "start", "end"), "rowid", "doc_id, sector, start"),
    Table("commitments", ("id", "doc_id", "start", "end", "sentence", "parties", "modality",
                          "action", "sectors", "projects"), "id", "id", "id"),
    Table("extraction_state", ("doc_id", "version", "extracted_at"), "rowid", "doc_id"),
    Table("sentence_vectors", ("text_hash", "model", "dim", "vec"), "text_hash, model",
          "text_hash, model"),
    Table("sentence_hashes", ("rowid", "doc_id", "idx", "text_hash"), "rowid", "rowid", "rowid"),
    Table("checks", ("id", "claim", "claim_key", "model", "vec", "verdict", "confidence",
                     "reason", "result", "created_at", "updated_at"), "id", "id", "id"),
    Table("check_runs", ("id", "check_id", "verdict", "confidence", "reason", "result", "judge",
                         "documents", "checked_at"), "id", "id", "id"),
    Table("claim_links", ("check_id", "matched_id", "kind", "similarity", "created_at"), "rowid",
          "check_id, matched_id"),
)
_KNOWN = {t.name for t in TABLES} | {"schema_migrations"}


def _cols(table: Table) -> str:
    return ", ".join(f'"{c}"' for c in table.columns)


class _Side:
    """One end of a copy: reads, writes and counts rows of one backend."""

    def __init__(self, store: Store) -> None:
        self.store = store
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
        self.pg = store

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
        self.pg.conn.execute("BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        try:
            yield
        finally:
            self.pg.conn.execute("ROLLBACK")

    def rows(self, table: Table) -> Iterator[list[tuple[Any, ...]]]:
        if self.kind == "sqlite":
            cur = self.sqlite.execute(
                f"SELECT {_cols(table)} FROM {table.name} ORDER BY {table.sqlite_order}")
            while batch := cur.fetchmany(_BATCH):
                yield [tuple(r) for r in batch]
            return
        with self.pg.conn.cursor(name=f"copy_{table.name}") as named:
            named.execute(f"SELECT {_cols(table)} FROM {table.name} ORDER BY {table.pg_order}")
            while page := named.fetchmany(_BATCH):
                yield [tuple(r.values()) for r in page]

    def count(self, table: str) -> int:
        if self.kind == "sqlite":
            return int(self.sqlite.execute(f"SELECT count(*) FROM {table}").fetchone()[0])
        return int(self.pg._scalar(f"SELECT count(*) FROM {table}"))

    def unknown_tables(self) -> list[str]:
        """Tables with rows that this copy does not know (a newer schema)."""
        if self.kind == "sqlite":
            names = [r[0] for r in self.sqlite.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table'"
                " AND name NOT LIKE 'sqlite_%' AND sql NOT LIKE 'CREATE VIRTUAL%'")]
            names = [n for n in names if not n.endswith(
                ("_data", "_idx", "_content", "_docsize", "_config"))]
        else:
            names = [r["tablename"] for r in self.pg._x(
                "SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")]
        return sorted(n for n in names if n not in _KNOWN and self.count(n))

    # -- writing ------------------------------------------------------------
    def write(self, table: Table, rows: Sequence[tuple[Any, ...]]) -> None:
        if self.kind == "sqlite":
            marks = ",".join("?" * len(table.columns))
            try:
                self.sqlite.executemany(
                    f"INSERT INTO {table.name} ({_cols(table)}) VALUES ({marks})", rows)
            except sqlite3.Error as exc:
                raise StoreError(f"copying {table.name} failed: {exc}") from exc
            return
        import psycopg

        from .postgres_fts import tsvector_literal

        columns = list(table.columns)
        if table.name == "documents":
            title, text = columns.index("title"), columns.index("text")
            rows = [(*r, tsvector_literal(r[title], r[text])) for r in rows]
            columns.append("tsv")
        elif table.name == "sentences":
            text = columns.index("text")
            rows = [(*r, tsvector_literal(None, r[text])) for r in rows]
            columns.append("tsv")
        names = ", ".join(f'"{c}"' for c in columns)
        try:
            with self.pg.conn.cursor() as cur, \
                    cur.copy(f"COPY {table.name} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        except psycopg.Error as exc:
            raise StoreError(f"copying {table.name} failed: {exc}") from exc

    def finish(self) -> None:
        """Move PostgreSQL identity sequences past the copied ids."""
        if self.kind != "postgres":
            return
        for table in TABLES:
            if table.identity:
                self.pg._x(
                    f"SELECT setval(pg_get_serial_sequence('{table.name}', '{table.identity}'),"
                    f" coalesce(max({table.identity}), 0) + 1, false) FROM {table.name}")


def copy_pool(source: Store, target: Store) -> dict[str, int]:
    """Copy every record of ``source`` into the empty ``target``; rows per table."""
    src, dst = _Side(source), _Side(target)
    unknown = src.unknown_tables()
    if unknown:
        raise StoreError("the source pool has tables this version cannot copy: "
                         + ", ".join(unknown))
    busy = [t.name for t in TABLES if dst.count(t.name)]
    if busy:
        raise StoreError("the target pool is not empty (" + ", ".join(busy[:5])
                         + "); copy into a new database")
    counts: dict[str, int] = {}
    with target.transaction(), src.snapshot():
        for table in TABLES:
            n = 0
            for batch in src.rows(table):
                dst.write(table, batch)
                n += len(batch)
            counts[table.name] = n
        dst.finish()
        for table in TABLES:
            if dst.count(table.name) != counts[table.name]:
                raise StoreError(f"copy check failed: {table.name} has "
                                 f"{dst.count(table.name)} rows, the source {counts[table.name]}")
    return counts
