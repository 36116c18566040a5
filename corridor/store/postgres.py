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
import json
import os
import re
import shutil
import subprocess
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import numpy as np
import psycopg
from psycopg import sql
from psycopg.rows import DictRow, dict_row

from ..document import Document
from ..errors import MigrationError, NotFound, StoreError
from . import schema
from .base import (
    ApiToken,
    QuarantineRecord,
    SearchFilters,
    SearchHit,
    SourceLink,
    Store,
    StoredDocument,
)
from .postgres_extract import PgExtractionTables
from .postgres_fts import build_pg_query, highlight_spans, snippet, tsvector_literal
from .postgres_sql import PgBase, filter_sql, match_sql
from .postgres_vectors import PgVectorTables

__all__ = ["PostgresStore", "migration_files", "redact"]

_DOC_COLUMNS = (
    "id, source_key, origin, url, source, title, published, date_source, dateline_place, "
    "dateline_date, lang, encoding, text, content_hash, ingested_at"
)
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


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


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

class PostgresStore(PgExtractionTables, PgVectorTables, PgBase, Store):
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
                        (name, _now()))
                applied.append(name)
        return applied

    def applied_migrations(self) -> list[str]:
        rows = self._x('SELECT name FROM schema_migrations ORDER BY name COLLATE "C"')
        return [r["name"] for r in rows]

    @contextmanager
    def transaction(self) -> Iterator[None]:  # see _WRITE_LOCK
        if self._depth:
            self._depth += 1
            try:
                yield
            finally:
                self._depth -= 1
            return
        self._x("BEGIN")
        # one writing transaction at a time across processes, as SQLite's
        # BEGIN IMMEDIATE: dedup's check-then-insert and re-extraction must not
        # interleave with another ingest (found by the concurrency test)
        self._x("SELECT pg_advisory_xact_lock(%s)", (_WRITE_LOCK,))
        self._depth = 1
        try:
            yield
        except BaseException:
            self._depth = 0
            self._rollback()
            raise
        self._depth = 0
        try:
            self.conn.execute("COMMIT")
        except psycopg.Error as exc:
            self._rollback()
            raise StoreError(f"commit failed: {exc}") from exc

    def _rollback(self) -> None:
        # a broken connection has nothing committed to roll back
        with contextlib.suppress(psycopg.Error):
            self.conn.execute("ROLLBACK")

    # -- ingest -----------------------------------------------------------
    def seen_source(self, source_key: str, raw_hash: str) -> str | None:
        row = self._one("SELECT doc_id FROM sources WHERE source_key = %s AND raw_hash = %s",
                        (source_key, raw_hash))
        return str(row["doc_id"]) if row else None

    def doc_by_hash(self, content_hash: str) -> str | None:
        row = self._one("SELECT id FROM documents WHERE content_hash = %s", (content_hash,))
        return str(row["id"]) if row else None

    def near_candidates(self, bands: Sequence[tuple[int, int]]) -> list[tuple[str, list[int]]]:
        if not bands:
            return []
        rows = self._x(
            "SELECT d.rowid, d.id, d.minhash FROM documents d WHERE d.rowid IN"
            " (SELECT b.doc FROM lsh_bands b JOIN unnest(%s::int[], %s::bigint[]) AS q(band, key)"
            "  ON b.band = q.band AND b.key = q.key) ORDER BY d.rowid",
            ([b for b, _ in bands], [k for _, k in bands]))
        out = []
        for row in rows:
            if row["minhash"] is not None:
                signature = np.frombuffer(row["minhash"], dtype=np.uint32).astype(int).tolist()
                out.append((str(row["id"]), signature))
        return out

    def add_document(self, doc: Document, bands: Sequence[tuple[int, int]]) -> None:
        sig = np.asarray(doc.minhash or [], dtype=np.uint32).tobytes()
        with self.transaction():
            row = self._one(
                "INSERT INTO documents (id, source_key, origin, url, source, title, published,"
                " date_source, dateline_place, dateline_date, lang, encoding, text, content_hash,"
                " minhash, ingested_at, tsv) VALUES (%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,"
                "%s,%s,%s::tsvector) ON CONFLICT DO NOTHING RETURNING rowid",
                (doc.id, doc.source_key, doc.origin, doc.url, doc.source, doc.title,
                 doc.published, doc.date_source, doc.dateline_place, doc.dateline_date,
                 doc.lang, doc.encoding,
                 doc.text, doc.content_hash, sig, _now(),
                 tsvector_literal(doc.title, doc.text)))
            if row is None:
                raise StoreError(f"document {doc.id} conflicts with a stored one "
                                 "(same id or content hash)")
            self._many("INSERT INTO lsh_bands(band, key, doc) VALUES (%s, %s, %s)"
                       " ON CONFLICT DO NOTHING", [(b, k, row["rowid"]) for b, k in bands])
            assert doc.id is not None
            self.add_source_link(doc, doc.id, "original")

    def add_source_link(self, doc: Document, doc_id: str, kind: str) -> None:
        self._x(
            "INSERT INTO sources (source_key, raw_hash, doc_id, kind, similarity, url,"
            " source, title, published, seen_at) VALUES (%s,%s,%s,%s,%s,%s,%s,%s,%s,%s)"
            " ON CONFLICT DO NOTHING",
            (doc.source_key, doc.raw_hash, doc_id, kind, doc.similarity, doc.url, doc.source,
             doc.title, doc.published, _now()))

    def add_quarantine(
        self,
        *,
        source_key: str,
        origin: str | None,
        url: str | None,
        code: str,
        stage: str | None,
        message: str,
        raw: bytes | None,
        raw_size: int | None,
        raw_hash: str,
    ) -> bool:
        cur = self._x(
            "INSERT INTO quarantine (source_key, origin, url, code, stage, message, raw,"
            " raw_size, raw_hash, created_at) VALUES (%s,%s,%s,%s,%s,%s,%s,%s,%s,%s)"
            " ON CONFLICT DO NOTHING",
            (source_key, origin, url, code, stage, message, raw, raw_size, raw_hash, _now()))
        return cur.rowcount > 0

    def start_run(self, targets: Sequence[str]) -> int:
        row = self._one("INSERT INTO ingest_runs(started_at, targets) VALUES (%s, %s)"
                        " RETURNING id", (_now(), json.dumps(list(targets))))
        assert row is not None
        return int(row["id"])

    def finish_run(self, run_id: int, counts: dict[str, Any]) -> None:
        self._x("UPDATE ingest_runs SET finished_at = %s, counts = %s WHERE id = %s",
                (_now(), json.dumps(counts), run_id))

    # -- read -------------------------------------------------------------
    def get_document(self, doc_id: str) -> StoredDocument:
        row = self._one(f"SELECT {_DOC_COLUMNS} FROM documents WHERE id = %s", (doc_id,))
        if row is None:
            raise NotFound(f"no document with id {doc_id!r}")
        doc = StoredDocument(**row)
        links = self._x(
            "SELECT source_key, kind, similarity, url, source, title, published, seen_at "
            'FROM sources WHERE doc_id = %s ORDER BY seen_at COLLATE "C", source_key COLLATE "C"',
            (doc_id,))
        doc.sources = [SourceLink(**r) for r in links]
        return doc

    def iter_documents(self) -> Iterator[StoredDocument]:
        last = 0
        while True:  # keyset pages: no long-lived cursor, constant memory
            rows = self._x(f"SELECT rowid, {_DOC_COLUMNS} FROM documents WHERE rowid > %s"
                           " ORDER BY rowid LIMIT 500", (last,)).fetchall()
            if not rows:
                return
            for row in rows:
                last = row.pop("rowid")
                yield StoredDocument(**row)

    def search(
        self, query: str, filters: SearchFilters, limit: int = 20, offset: int = 0
    ) -> list[SearchHit]:
        q = build_pg_query(query)
        if q.empty:
            return []
        cond, cparams, score, sparams = match_sql(q, "d.title", "d.text", "d.tsv")
        where, params = filter_sql(filters)
        rows = self._x(
            f"SELECT d.id, d.title, d.url, d.source, d.published, d.lang, d.text, {score} AS rank"
            f" FROM documents d WHERE {cond}{where} ORDER BY rank DESC, d.rowid"
            " LIMIT %s OFFSET %s", [*sparams, *cparams, *params, limit, offset],
            what=f"search for {query!r}")
        hits = []
        for r in rows:
            snip, spans = snippet(r["text"], q)
            hits.append(SearchHit(doc_id=r["id"], title=r["title"], url=r["url"],
                                  source=r["source"], published=r["published"], lang=r["lang"],
                                  score=float(r["rank"]), snippet=snip, highlights=spans))
        return hits

    def quarantined(self, limit: int = 100) -> list[QuarantineRecord]:
        rows = self._x(
            "SELECT id, source_key, origin, url, code, stage, message, raw_size, raw_hash,"
            " created_at FROM quarantine ORDER BY id DESC LIMIT %s", (limit,))
        return [QuarantineRecord(**r) for r in rows]

    def _pairs(self, sql: str) -> dict[str, int]:
        return {r["k"]: int(r["n"]) for r in self._x(sql)}

    def stats(self) -> dict[str, Any]:
        one = self._scalar
        return {
            "documents": one("SELECT count(*) FROM documents"),
            "duplicates_exact": one("SELECT count(*) FROM sources WHERE kind = 'exact'"),
            "duplicates_near": one("SELECT count(*) FROM sources WHERE kind = 'near'"),
            "quarantined": one("SELECT count(*) FROM quarantine"),
            "quarantined_by_code": self._pairs(
                'SELECT code AS k, count(*) AS n FROM quarantine GROUP BY 1'
                ' ORDER BY 2 DESC, code COLLATE "C"'),
            "with_date": one("SELECT count(*) FROM documents WHERE published IS NOT NULL"),
            "earliest": one('SELECT min(published COLLATE "C") FROM documents'),
            "latest": one('SELECT max(published COLLATE "C") FROM documents'),
            "by_language": self._pairs(
                "SELECT coalesce(lang, '?') AS k, count(*) AS n FROM documents GROUP BY 1"
                ' ORDER BY 2 DESC, coalesce(lang, \'?\') COLLATE "C"'),
            "by_source": self._pairs(
                "SELECT coalesce(source, '?') AS k, count(*) AS n FROM documents GROUP BY 1"
                ' ORDER BY 2 DESC, coalesce(source, \'?\') COLLATE "C" LIMIT 20'),
            "ingest_runs": one("SELECT count(*) FROM ingest_runs"),
            "migrations": self.applied_migrations(),
            "database": redact(self.url),
            "database_bytes": one("SELECT pg_database_size(current_database())"),
        }

    def check_integrity(self) -> list[str]:
        problems = []
        for what, query in _CONSISTENCY_CHECKS:
            n = self._scalar(query)
            if n:
                problems.append(f"{n} {what}")
        return problems

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
        target = Path(dest)
        if target.is_dir():
            raise StoreError(f"backup target {dest} is a folder; give a file name")
        target.parent.mkdir(parents=True, exist_ok=True)
        part = target.with_name(target.name + ".part")
        part.unlink(missing_ok=True)
        try:
            res = self._tool(self._pg_tool("pg_dump"), "--format=custom", "--no-owner",
                             "--no-privileges", "--file", str(part), "--dbname", self.url)
            if res.returncode != 0:
                raise StoreError(f"pg_dump failed: {res.stderr.decode(errors='replace')}")
            self._check_dump(str(part), known_version=False)
            with open(part, "rb") as fh:
                os.fsync(fh.fileno())
            os.replace(part, target)
        finally:
            part.unlink(missing_ok=True)

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

    # -- API tokens -------------------------------------------------------
    _TOKEN_COLUMNS = "id, name, created_at, revoked_at, last_used_at"

    def add_token(self, name: str, token_hash: str) -> ApiToken:
        with self.transaction():
            row = self._one("INSERT INTO api_tokens(name, hash, created_at) VALUES (%s, %s, %s)"
                            " ON CONFLICT DO NOTHING RETURNING id", (name, token_hash, _now()))
            if row is None:
                raise StoreError(f"an active token named {name!r} already exists")
            return self._token(int(row["id"]))

    def _token(self, token_id: int) -> ApiToken:
        row = self._one(f"SELECT {self._TOKEN_COLUMNS} FROM api_tokens WHERE id = %s",
                        (token_id,))
        if row is None:
            raise NotFound(f"no API token with id {token_id}")
        return ApiToken(**row)

    def revoke_token(self, token_id: int) -> ApiToken:
        with self.transaction():
            self._token(token_id)
            self._x("UPDATE api_tokens SET revoked_at = %s WHERE id = %s AND revoked_at IS NULL",
                    (_now(), token_id))
            return self._token(token_id)

    def list_tokens(self) -> list[ApiToken]:
        return [ApiToken(**r) for r in
                self._x(f"SELECT {self._TOKEN_COLUMNS} FROM api_tokens ORDER BY id")]

    def token_by_hash(self, token_hash: str) -> ApiToken | None:
        row = self._one(f"SELECT {self._TOKEN_COLUMNS} FROM api_tokens WHERE hash = %s",
                        (token_hash,))
        return ApiToken(**row) if row else None

    def revoked_token_hashes(self) -> list[str]:
        return [str(r["hash"]) for r in self._x(
            "SELECT hash FROM api_tokens WHERE revoked_at IS NOT NULL ORDER BY id")]

    def touch_token(self, token_id: int) -> None:
        with self.transaction():
            self._x("UPDATE api_tokens SET last_used_at = %s WHERE id = %s", (_now(), token_id))

    def recent_documents(self, limit: int = 50, since: str | None = None) -> list[StoredDocument]:
        where, params = ("WHERE ingested_at >= %s", [since]) if since else ("", [])
        rows = self._x(f"SELECT {_DOC_COLUMNS} FROM documents {where} "
                       'ORDER BY ingested_at COLLATE "C" DESC, rowid DESC LIMIT %s',
                       [*params, limit])
        return [StoredDocument(**r) for r in rows]

    def highlight_document(self, doc_id: str, query: str) -> list[tuple[int, int]]:
        q = build_pg_query(query)
        if q.empty:
            return []
        cond, cparams, _, _ = match_sql(q, "d.title", "d.text", "d.tsv")
        row = self._one(f"SELECT d.text FROM documents d WHERE d.id = %s AND {cond}",
                        [doc_id, *cparams], what=f"highlighting {query!r}")
        if row is None:
            return []
        return highlight_spans(row["text"], q)


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
