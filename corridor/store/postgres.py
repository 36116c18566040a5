"""PostgreSQL backend (psycopg 3): the same tables, semantics and results as SQLite.

Selected by ``--db postgresql://user@host/dbname`` (or ``CORRIDOR_DB``). The
schema (``corridor/store/migrations_pg``) mirrors the SQLite one column for
column so pools copy losslessly between backends (``corridor/store/copy.py``).
Full-text search: ``postgres_fts`` (tsvector built in Python, pg_trgm for
Chinese substrings). Vectors: float32 ``bytea`` searched by numpy, as on
SQLite. Writes inside ``transaction()`` commit together or not at all; the
connection is otherwise in autocommit mode, like the SQLite backend's.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import subprocess
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit, urlunsplit

import numpy as np
import psycopg
from psycopg import sql
from psycopg.rows import DictRow, dict_row

from ..errors import MigrationError, StoreError
from . import schema
from .backup_file import part_file
from .dialect import POSTGRES
from .postgres_fts import tsvector_literal
from .postgres_text import PgTextSearch
from .sql import now
from .sql_checks import CheckTables
from .sql_facts import FactTables
from .sql_search import SearchTables
from .sql_sentences import SentenceTables
from .sql_tokens import TokenTables

if TYPE_CHECKING:
    from ..vectors.store_ann import VectorRows

__all__ = ["PostgresStore", "migration_files", "redact"]

#: (what is wrong, SQL counting the rows where it is)
_CONSISTENCY_CHECKS = (
    ("source links point at missing documents",
     "SELECT count(*) FROM sources s LEFT JOIN documents d ON d.id = s.doc_id"
     " WHERE d.id IS NULL"),
    ("documents have no full-text index entry", "SELECT count(*) FROM documents WHERE tsv IS NULL"),
    ("sentences have no full-text index entry", "SELECT count(*) FROM sentences WHERE tsv IS NULL"),
    ("LSH bands point at missing documents",
     "SELECT count(*) FROM lsh_bands b LEFT JOIN documents d ON d.rowid = b.doc"
     " WHERE d.rowid IS NULL"),
    ("embedded sentences have no stored vector",
     "SELECT count(*) FROM sentence_hashes h WHERE NOT EXISTS"
     " (SELECT 1 FROM sentence_vectors v WHERE v.text_hash = h.text_hash)"),
)


def migration_files() -> list[tuple[str, str]]:
    """(name, sql) of every packaged migration rendered for PostgreSQL, in name order."""
    return schema.migration_files("postgres")


def redact(url: str) -> str:
    """``url`` without its password (for messages and stats)."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    netloc = parts.netloc.rsplit("@", 1)
    user = netloc[0].split(":", 1)[0]
    return urlunsplit(parts._replace(netloc=f"{user}:***@{netloc[1]}"))


#: advisory lock every transaction takes first: one writer at a time per server
_WRITE_LOCK = 7242156

class PostgresStore(FactTables, SentenceTables, SearchTables, CheckTables, TokenTables):
    """A pool in a PostgreSQL database (``url``)."""

    dialect = POSTGRES
    text_search = PgTextSearch()
    _driver_error = psycopg.Error

    def __init__(self, url: str, *, migrate: bool = True) -> None:
        self.url = url
        self.conn: psycopg.Connection[DictRow] = self._connect()
        self._depth = 0
        if migrate:
            self.migrate()

    def _connect(self) -> psycopg.Connection[DictRow]:
        try:
            return psycopg.connect(self.url, autocommit=True, row_factory=dict_row,
                                   connect_timeout=30)
        except psycopg.Error as exc:
            raise StoreError(f"cannot connect to PostgreSQL at {redact(self.url)}: {exc}") from exc

    # -- schema -----------------------------------------------------------
    def migrate(self) -> list[str]:
        applied: list[str] = []
        with self.transaction():
            # one migrator at a time (two processes opening a new pool together)
            self._x("SELECT pg_advisory_xact_lock(7242155)")
            self._x("CREATE TABLE IF NOT EXISTS schema_migrations "
                    "(name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)")
        for name, script in migration_files():
            with self.transaction():
                self._x("SELECT pg_advisory_xact_lock(7242155)")
                if self._one("SELECT 1 FROM schema_migrations WHERE name = %s", (name,)):
                    continue
                try:
                    self.conn.execute(script.encode("utf-8"))
                except psycopg.Error as exc:
                    raise MigrationError(f"migration {name} failed: {exc}") from exc
                self._x("INSERT INTO schema_migrations(name, applied_at) VALUES (%s, %s)",
                        (name, now()))
                applied.append(name)
        return applied

    def _begin(self) -> None:
        self._x("BEGIN")
        # one writing transaction at a time across processes, as SQLite's
        # BEGIN IMMEDIATE: dedup's check-then-insert and re-extraction must not
        # interleave with another ingest (found by the concurrency test)
        self._x("SELECT pg_advisory_xact_lock(%s)", (_WRITE_LOCK,))

    def _rollback(self) -> None:
        # a broken connection has nothing committed to roll back
        with contextlib.suppress(psycopg.Error):
            self.conn.execute("ROLLBACK")

    # -- what SqlStore leaves to the backend ----------------------------------
    def _x(self, statement: str, params: Sequence[Any] | None = None, *,
           what: str = "") -> psycopg.Cursor[DictRow]:
        """Run a statement written for psycopg (``%s`` placeholders): the migrations'
        bookkeeping and the approximate index (``corridor/vectors/store_ann``)."""
        cur: psycopg.Cursor[DictRow] = self._run(statement, params, what=what)
        return cur

    def _one(self, statement: str, params: Sequence[Any] | None = None) -> DictRow | None:
        return self._x(statement, params).fetchone()

    def _scalar(self, statement: str, params: Sequence[Any] | None = None) -> Any:
        row = self._one(statement, params)
        return next(iter(row.values())) if row else None

    def _index_columns(self, title: str | None, text: str) -> tuple[str, str, list[Any]]:
        return ", tsv", ", ?::tsvector", [tsvector_literal(title, text)]

    def _open_ann_rows(self) -> VectorRows:
        from ..vectors.store_ann import pg_rows

        return pg_rows(self)

    def _still_stored(
        self, hashes: Sequence[tuple[str, int, str]]
    ) -> list[tuple[str, int, str]]:
        """The rows of ``hashes`` whose sentence still exists, locked against deletion.

        Another process may re-extract a document (deleting and re-inserting
        its sentences) between reading its sentences and saving their
        vectors; such rows are skipped (a later ``embed`` picks the new ones
        up) instead of failing the whole batch on the foreign key.
        """
        if not hashes:
            return []
        alive = {(r["doc_id"], int(r["idx"])) for r in self.all(
            "SELECT s.doc_id, s.idx FROM sentences s JOIN unnest(?::text[], ?::int[])"
            " AS k(doc_id, idx) ON s.doc_id = k.doc_id AND s.idx = k.idx FOR KEY SHARE OF s",
            ([h[0] for h in hashes], [h[1] for h in hashes]))}
        return [h for h in hashes if (h[0], h[1]) in alive]

    def _database(self) -> tuple[str, int]:
        return redact(self.url), int(self.scalar("SELECT pg_database_size(current_database())"))

    # -- ingest -----------------------------------------------------------
    def near_candidates(self, bands: Sequence[tuple[int, int]]) -> list[tuple[str, list[int]]]:
        if not bands:
            return []
        rows = self.all(
            "SELECT d.rowid, d.id, d.minhash FROM documents d WHERE d.rowid IN"
            " (SELECT b.doc FROM lsh_bands b JOIN unnest(?::int[], ?::bigint[]) AS q(band, key)"
            "  ON b.band = q.band AND b.key = q.key) ORDER BY d.rowid",
            ([b for b, _ in bands], [k for _, k in bands]))
        out = []
        for row in rows:
            if row["minhash"] is not None:
                signature = np.frombuffer(row["minhash"], dtype=np.uint32).astype(int).tolist()
                out.append((str(row["id"]), signature))
        return out

    def check_integrity(self) -> list[str]:
        return self._consistency(_CONSISTENCY_CHECKS)

    def close(self) -> None:
        self.conn.close()

    # -- backup and restore (pg_dump / pg_restore, custom format) ---------
    def _pg_tool(self, name: str) -> str:
        """The pg_dump/pg_restore matching the server's major version, else the one on PATH."""
        major = int(self._scalar("SHOW server_version_num")) // 10000
        for candidate in (Path(f"/usr/lib/postgresql/{major}/bin/{name}"),
                          *sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"),
                                  reverse=True)):
            if candidate.exists():
                return str(candidate)
        found = shutil.which(name)
        if found is None:
            raise StoreError(f"{name} not found: install the PostgreSQL client programs "
                             "(Debian: postgresql-client)")
        return found

    def _tool(self, *args: str) -> subprocess.CompletedProcess[bytes]:
        env = dict(os.environ, PGCONNECT_TIMEOUT="30")
        try:
            return subprocess.run(list(args), capture_output=True, check=False, env=env,
                                  timeout=3600)
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise StoreError(f"{Path(args[0]).name} failed: {exc}") from exc

    def backup(self, dest: str) -> None:
        """``pg_dump --format=custom`` to ``dest.part``, listed back, then renamed into place."""
        with part_file(dest) as part:
            res = self._tool(self._pg_tool("pg_dump"), "--format=custom", "--no-owner",
                             "--no-privileges", "--file", str(part), "--dbname", self.url)
            if res.returncode != 0:
                raise StoreError(f"pg_dump failed: {res.stderr.decode(errors='replace')}")
            self._check_dump(str(part), known_version=False)

    def _check_dump(self, src: str, *, known_version: bool = True) -> set[str]:
        """Refuse a file that is not a complete Corridor dump (of a version we know);
        the names of the tables it holds."""
        path = Path(src)
        if not path.is_file():
            raise StoreError(f"no backup file at {src}")
        with open(path, "rb") as fh:
            if fh.read(5) != b"PGDMP":
                raise StoreError(f"{src} is not a pg_dump custom-format archive, "
                                 "so not a Corridor PostgreSQL backup")
        restore = self._pg_tool("pg_restore")
        listing = self._tool(restore, "--list", str(path))
        if listing.returncode != 0:
            raise StoreError(f"backup {src} is damaged: "
                             f"{listing.stderr.decode(errors='replace').strip()}")
        toc = listing.stdout.decode(errors="replace")
        tables = set(re.findall(r"^\d+; \d+ \d+ TABLE \S+ (\S+) ", toc, re.MULTILINE))
        if "documents" not in tables:
            raise StoreError(f"{src} holds no Corridor tables")
        data = self._tool(restore, "--data-only", "--table", "schema_migrations", "--file", "-",
                          str(path))
        if data.returncode != 0:
            raise StoreError(f"backup {src} is damaged: "
                             f"{data.stderr.decode(errors='replace').strip()}")
        names = _copy_rows(data.stdout.decode("utf-8", errors="replace"), "schema_migrations")
        if not names or "0001_documents" not in names:
            raise StoreError(f"{src} is not a Corridor pool (no schema_migrations)")
        unknown = sorted(set(names) - {name for name, _ in migration_files()})
        if unknown and known_version:
            raise MigrationError(f"backup {src} comes from a newer Corridor "
                                 f"(unknown migrations: {', '.join(unknown)})")
        # read every block once: a truncated or corrupted archive fails here
        full = self._tool(restore, "--file", os.devnull, str(path))
        if full.returncode != 0:
            raise StoreError(f"backup {src} is damaged: "
                             f"{full.stderr.decode(errors='replace').strip()}")
        return tables

    def restore(self, src: str) -> None:
        if self._depth:
            raise StoreError("cannot restore inside a transaction")
        dumped = self._check_dump(src)
        # only Corridor's tables and those the dump recreates: the database may hold others
        ours = set(schema.table_names()) | {"schema_migrations"} | dumped
        with self.transaction():
            tables = [r["t"] for r in self._x(
                "SELECT tablename AS t FROM pg_tables WHERE schemaname = current_schema()")
                if r["t"] in ours]
            if tables:
                self._x("DROP TABLE " + ", ".join(
                    sql.Identifier(t).as_string(self.conn) for t in tables) + " CASCADE")
        res = self._tool(self._pg_tool("pg_restore"), "--single-transaction",
                         "--exit-on-error", "--no-owner", "--no-privileges", "--no-comments",
                         "--dbname", self.url, src)
        if res.returncode != 0:
            raise StoreError(
                "pg_restore failed; the pool is now empty, restore the copy kept before "
                f"(--keep): {res.stderr.decode(errors='replace').strip()}")
        if hasattr(self, "_vec_cache"):
            self._vec_cache.clear()
        # a new session: no statement prepared against the dropped tables survives
        self.conn.close()
        self.conn = self._connect()
        self.migrate()  # a backup from an older version is brought up to date

def _copy_rows(script: str, table: str) -> list[str]:
    """First column of the rows of ``COPY table ... FROM stdin`` in a pg_restore script."""
    out: list[str] = []
    inside = False
    for line in script.splitlines():
        if not inside:
            inside = line.startswith("COPY ") and f"{table} " in line
            continue
        if line == "\\.":
            break
        out.append(line.split("\t", 1)[0])
    return out
