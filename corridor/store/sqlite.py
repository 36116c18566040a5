"""SQLite backend: one file, WAL, named recorded migrations, FTS5 by triggers."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import MigrationError, NotFound, StoreBusy, StoreError
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
from .fts_query import HL_CLOSE, HL_OPEN, build_query, split_highlights
from .sql_filters import filter_sql as _filter_sql
from .sqlite_backup import backup_to, restore_from
from .sqlite_extract import ExtractionTables
from .sqlite_pledges import PledgeReads
from .sqlite_vectors import VectorTables

if TYPE_CHECKING:
    from ..document import Document

__all__ = ["SQLiteStore", "corrupted_pool", "damaged_reason", "is_corruption",
           "salvage_revoked_hashes"]

_DOC_COLUMNS = (
    "id, source_key, origin, url, source, title, published, date_source, dateline_place, "
    "dateline_date, lang, encoding, text, content_hash, ingested_at"
)


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def migration_files() -> list[tuple[str, str]]:
    """(name, sql) of every packaged migration rendered for SQLite, in name order."""
    return schema.migration_files("sqlite")


def split_sql(script: str) -> list[str]:
    """Split a script into complete statements (trigger bodies stay whole)."""
    statements: list[str] = []
    buf = ""
    for line in script.splitlines(keepends=True):
        if not buf and (not line.strip() or line.lstrip().startswith("--")):
            continue
        buf += line
        if sqlite3.complete_statement(buf):
            statements.append(buf.strip())
            buf = ""
    if buf.strip():
        raise MigrationError(f"incomplete SQL statement at the end of a migration: {buf[:80]!r}")
    return statements


#: (what is wrong, SQL counting the rows where it is)
_CONSISTENCY_CHECKS = (
    ("sentences point at missing documents",
     "SELECT count(*) FROM sentences s LEFT JOIN documents d ON d.id = s.doc_id"
     " WHERE d.id IS NULL"),
    ("extraction records point at missing documents",
     "SELECT count(*) FROM extraction_state x LEFT JOIN documents d ON d.id = x.doc_id"
     " WHERE d.id IS NULL"),
    ("embedded sentences have no stored vector",
     "SELECT count(*) FROM sentence_hashes h WHERE NOT EXISTS"
     " (SELECT 1 FROM sentence_vectors v WHERE v.text_hash = h.text_hash)"),
)


#: how long a writer waits for another process's write transaction before giving up
BUSY_TIMEOUT_MS = 30_000


def _is_busy(exc: sqlite3.Error) -> bool:
    code = getattr(exc, "sqlite_errorcode", None)
    return code in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED) or "locked" in str(exc) \
        or "busy" in str(exc)


#: SQLite's primary result codes for a damaged file and for a file that is not a database
_SQLITE_CORRUPT, _SQLITE_NOTADB = 11, 26


def is_corruption(exc: BaseException) -> bool:
    """True for SQLite's "database disk image is malformed" / "file is not a database"."""
    if not isinstance(exc, sqlite3.DatabaseError):
        return False
    code = getattr(exc, "sqlite_errorcode", None)
    if isinstance(code, int) and code & 0xFF in (_SQLITE_CORRUPT, _SQLITE_NOTADB):
        return True
    text = str(exc).lower()
    return "malformed" in text or "not a database" in text


def corrupted_pool(path: str, exc: BaseException) -> StoreError:
    """The error for a pool file SQLite cannot read: what is wrong and what to do."""
    return StoreError(
        f"{path} is not a valid Corridor pool: the file is corrupted or is not a SQLite "
        f"database (SQLite says: {exc}). Restore it from a backup: "
        f"corridor restore BACKUP --db {path} (the damaged file is set aside first)")


def damaged_reason(path: str | Path) -> str | None:
    """Why the SQLite file at ``path`` cannot serve as a pool (not SQLite, or
    corrupted: ``PRAGMA quick_check``), or None (sound, or no file there)."""
    target = Path(path)
    if not target.is_file():
        return None
    try:
        conn = sqlite3.connect(str(target), timeout=BUSY_TIMEOUT_MS / 1000)
        try:
            result = [str(r[0]) for r in conn.execute("PRAGMA quick_check(5)")]
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        return str(exc) if is_corruption(exc) else None
    return None if result == ["ok"] else "; ".join(result)


def salvage_revoked_hashes(path: str | Path) -> list[str]:
    """The revoked tokens' secret hashes that can still be read from a (damaged)
    pool file; empty when that table cannot be read."""
    try:
        conn = sqlite3.connect(f"{Path(path).resolve().as_uri()}?mode=ro", uri=True)
        try:
            rows = conn.execute("SELECT hash FROM api_tokens WHERE revoked_at IS NOT NULL")
            return [str(r[0]) for r in rows]
        finally:
            conn.close()
    except sqlite3.Error:
        return []


class SQLiteStore(ExtractionTables, VectorTables, PledgeReads, Store):
    """A pool in one SQLite file.

    ``create``: make the file when there is none (``corridor ingest``); without
    it a missing file raises StoreError ("no pool at ..."), so a mistyped
    ``--db`` of a read command does not quietly answer from a new, empty pool.
    A file SQLite finds damaged raises StoreError (:func:`corrupted_pool`).
    """

    def __init__(self, path: str | Path, *, migrate: bool = True, create: bool = True) -> None:
        self.path = str(path)
        if not create and self.path != ":memory:" and not Path(self.path).exists():
            raise StoreError(
                f"no Corridor pool at {self.path}: the file does not exist (check --db or "
                f"$CORRIDOR_DB). Create a pool with: corridor ingest PATH... --db {self.path}")
        try:
            if self.path != ":memory:":
                Path(self.path).parent.mkdir(parents=True, exist_ok=True)
            self.conn = sqlite3.connect(self.path, isolation_level=None,
                                        timeout=BUSY_TIMEOUT_MS / 1000,
                                        check_same_thread=False)
            self.conn.row_factory = sqlite3.Row
            self.conn.execute("PRAGMA journal_mode=WAL")
            self.conn.execute("PRAGMA synchronous=NORMAL")
            self.conn.execute("PRAGMA foreign_keys=ON")
            self.conn.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        except sqlite3.Error as exc:
            if is_corruption(exc):
                raise corrupted_pool(self.path, exc) from exc
            raise StoreError(f"cannot open SQLite database {self.path}: {exc}") from exc
        self._depth = 0
        if migrate:
            try:
                self.migrate()
            except BaseException:
                self.conn.close()
                raise

    # -- schema -----------------------------------------------------------
    def migrate(self) -> list[str]:
        """Apply the migrations not applied yet; their names.

        A damaged file raises StoreError (:func:`corrupted_pool`), not a driver error.
        """
        try:
            return self._migrate()
        except sqlite3.DatabaseError as exc:
            if is_corruption(exc):
                raise corrupted_pool(self.path, exc) from exc
            raise StoreError(f"cannot read the schema of {self.path}: {exc}") from exc
        except StoreError as exc:  # e.g. BEGIN or a migration statement on a damaged file
            if exc.__cause__ is not None and is_corruption(exc.__cause__):
                raise corrupted_pool(self.path, exc.__cause__) from exc
            raise

    def _migrate(self) -> list[str]:
        files = migration_files()
        if self._applied_already({name for name, _ in files}):
            # the usual case: nothing to apply, so no write transaction (which would
            # wait behind an ingest's open batch before a search could even start)
            return []
        self.conn.execute(
            "CREATE TABLE IF NOT EXISTS schema_migrations "
            "(name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)"
        )
        applied: list[str] = []
        for name, sql in files:
            with self.transaction():
                row = self.conn.execute(
                    "SELECT 1 FROM schema_migrations WHERE name = ?", (name,)
                ).fetchone()
                if row:
                    continue
                try:
                    for statement in split_sql(sql):
                        self.conn.execute(statement)
                except sqlite3.Error as exc:
                    raise MigrationError(f"migration {name} failed: {exc}") from exc
                self.conn.execute(
                    "INSERT INTO schema_migrations(name, applied_at) VALUES (?, ?)",
                    (name, _now()),
                )
                applied.append(name)
        return applied

    def _applied_already(self, names: set[str]) -> bool:
        """Whether every migration in ``names`` is recorded (read only, no lock taken)."""
        if self.conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table'"
                             " AND name = 'schema_migrations'").fetchone() is None:
            return False
        done = {r[0] for r in self.conn.execute("SELECT name FROM schema_migrations")}
        return names <= done

    def applied_migrations(self) -> list[str]:
        rows = self.conn.execute("SELECT name FROM schema_migrations ORDER BY name")
        return [r[0] for r in rows]

    @contextmanager
    def transaction(self) -> Iterator[None]:
        if self._depth:
            self._depth += 1
            try:
                yield
            finally:
                self._depth -= 1
            return
        try:
            self.conn.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            if _is_busy(exc):
                raise StoreBusy("another process has been writing to the pool for longer "
                                f"than the wait ({BUSY_TIMEOUT_MS // 1000} s); nothing was "
                                "written, try again shortly") from exc
            raise StoreError(f"cannot start a write transaction: {exc}") from exc
        except sqlite3.Error as exc:
            raise StoreError(f"cannot start a write transaction: {exc}") from exc
        self._depth = 1
        try:
            yield
        except BaseException:
            self._depth = 0
            self.conn.execute("ROLLBACK")
            raise
        self._depth = 0
        try:
            self.conn.execute("COMMIT")
        except sqlite3.Error as exc:
            self.conn.execute("ROLLBACK")
            raise StoreError(f"commit failed: {exc}") from exc

    # -- ingest -----------------------------------------------------------
    def seen_source(self, source_key: str, raw_hash: str) -> str | None:
        row = self.conn.execute(
            "SELECT doc_id FROM sources WHERE source_key = ? AND raw_hash = ?",
            (source_key, raw_hash),
        ).fetchone()
        return str(row[0]) if row else None

    def doc_by_hash(self, content_hash: str) -> str | None:
        row = self.conn.execute(
            "SELECT id FROM documents WHERE content_hash = ?", (content_hash,)
        ).fetchone()
        return str(row[0]) if row else None

    def near_candidates(self, bands: Sequence[tuple[int, int]]) -> list[tuple[str, list[int]]]:
        import numpy as np  # loaded by an ingest only, not by every command

        # one primary-key lookup per band: a row-value IN (VALUES ...) makes
        # SQLite scan the whole table, which grows linearly with the pool
        docs: set[int] = set()
        for band, key in bands:
            docs.update(r[0] for r in self.conn.execute(
                "SELECT doc FROM lsh_bands WHERE band = ? AND key = ?", (band, key)))
        out = []
        for rowid in sorted(docs):
            row = self.conn.execute(
                "SELECT id, minhash FROM documents WHERE rowid = ?", (rowid,)).fetchone()
            if row is not None and row[1] is not None:
                signature = np.frombuffer(row[1], dtype=np.uint32).astype(int).tolist()
                out.append((str(row[0]), signature))
        return out

    def add_document(self, doc: Document, bands: Sequence[tuple[int, int]]) -> None:
        import numpy as np

        sig = np.asarray(doc.minhash or [], dtype=np.uint32).tobytes()
        with self.transaction():
            try:
                cur = self.conn.execute(
                    "INSERT INTO documents (id, source_key, origin, url, source, title, published,"
                    " date_source, dateline_place, dateline_date, lang, encoding, text,"
                    " content_hash, minhash, ingested_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                    (doc.id, doc.source_key, doc.origin, doc.url, doc.source, doc.title,
                     doc.published, doc.date_source, doc.dateline_place, doc.dateline_date,
                     doc.lang, doc.encoding,
                     doc.text, doc.content_hash, sig, _now()),
                )
                rowid = cur.lastrowid
                self.conn.executemany(
                    "INSERT OR IGNORE INTO lsh_bands(band, key, doc) VALUES (?, ?, ?)",
                    [(b, k, rowid) for b, k in bands],
                )
            except sqlite3.IntegrityError as exc:
                raise StoreError(f"document {doc.id} conflicts with a stored one: {exc}") from exc
            assert doc.id is not None
            self.add_source_link(doc, doc.id, "original")

    def add_source_link(self, doc: Document, doc_id: str, kind: str) -> None:
        self.conn.execute(
            "INSERT OR IGNORE INTO sources (source_key, raw_hash, doc_id, kind, similarity, url,"
            " source, title, published, seen_at) VALUES (?,?,?,?,?,?,?,?,?,?)",
            (doc.source_key, doc.raw_hash, doc_id, kind, doc.similarity, doc.url, doc.source,
             doc.title, doc.published, _now()),
        )

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
        cur = self.conn.execute(
            "INSERT OR IGNORE INTO quarantine (source_key, origin, url, code, stage, message, raw,"
            " raw_size, raw_hash, created_at) VALUES (?,?,?,?,?,?,?,?,?,?)",
            (source_key, origin, url, code, stage, message, raw, raw_size, raw_hash, _now()),
        )
        return cur.rowcount > 0

    def start_run(self, targets: Sequence[str]) -> int:
        cur = self.conn.execute(
            "INSERT INTO ingest_runs(started_at, targets) VALUES (?, ?)",
            (_now(), json.dumps(list(targets))),
        )
        assert cur.lastrowid is not None
        return cur.lastrowid

    def finish_run(self, run_id: int, counts: dict[str, Any]) -> None:
        self.conn.execute(
            "UPDATE ingest_runs SET finished_at = ?, counts = ? WHERE id = ?",
            (_now(), json.dumps(counts), run_id),
        )

    # -- read -------------------------------------------------------------
    def get_document(self, doc_id: str) -> StoredDocument:
        row = self.conn.execute(
            f"SELECT {_DOC_COLUMNS} FROM documents WHERE id = ?", (doc_id,)
        ).fetchone()
        if row is None:
            raise NotFound(f"no document with id {doc_id!r}")
        doc = StoredDocument(**dict(row))
        links = self.conn.execute(
            "SELECT source_key, kind, similarity, url, source, title, published, seen_at "
            "FROM sources WHERE doc_id = ? ORDER BY seen_at, source_key",
            (doc_id,),
        )
        doc.sources = [SourceLink(**dict(r)) for r in links]
        return doc

    def iter_documents(self) -> Iterator[StoredDocument]:
        for row in self.conn.execute(f"SELECT {_DOC_COLUMNS} FROM documents ORDER BY rowid"):
            yield StoredDocument(**dict(row))

    def search(
        self, query: str, filters: SearchFilters, limit: int = 20, offset: int = 0
    ) -> list[SearchHit]:
        fts = build_query(query)
        if not fts.expression:
            return []
        table = "doc_trigram" if fts.trigram else "doc_fts"
        where, params = _filter_sql(filters)
        sql = (
            f"SELECT d.id, d.title, d.url, d.source, d.published, d.lang, "
            f"bm25({table}, 4.0, 1.0) AS rank, "
            f"snippet({table}, 1, '{HL_OPEN}', '{HL_CLOSE}', '…', 24) AS snip "
            f"FROM {table} JOIN documents d ON d.rowid = {table}.rowid "
            f"WHERE {table} MATCH ? {where} ORDER BY rank LIMIT ? OFFSET ?"
        )
        try:
            rows = self.conn.execute(sql, [fts.expression, *params, limit, offset]).fetchall()
        except sqlite3.OperationalError as exc:
            raise StoreError(f"search failed for {query!r}: {exc}") from exc
        hits = []
        for r in rows:
            snippet, spans = split_highlights(r["snip"] or "")
            hits.append(SearchHit(doc_id=r["id"], title=r["title"], url=r["url"],
                                  source=r["source"], published=r["published"], lang=r["lang"],
                                  score=-float(r["rank"]), snippet=snippet, highlights=spans))
        return hits

    def quarantined(self, limit: int = 100) -> list[QuarantineRecord]:
        rows = self.conn.execute(
            "SELECT id, source_key, origin, url, code, stage, message, raw_size, raw_hash,"
            " created_at FROM quarantine ORDER BY id DESC LIMIT ?",
            (limit,),
        )
        return [QuarantineRecord(**dict(r)) for r in rows]

    def stats(self) -> dict[str, Any]:
        one = self._scalar
        by_lang = dict(self.conn.execute(
            "SELECT coalesce(lang, '?'), count(*) FROM documents GROUP BY 1 ORDER BY 2 DESC"
        ).fetchall())
        by_source = dict(self.conn.execute(
            "SELECT coalesce(source, '?'), count(*) FROM documents GROUP BY 1 "
            "ORDER BY 2 DESC LIMIT 20"
        ).fetchall())
        by_code = dict(self.conn.execute(
            "SELECT code, count(*) FROM quarantine GROUP BY 1 ORDER BY 2 DESC"
        ).fetchall())
        size = Path(self.path).stat().st_size if self.path != ":memory:" else 0
        return {
            "documents": one("SELECT count(*) FROM documents"),
            "duplicates_exact": one("SELECT count(*) FROM sources WHERE kind = 'exact'"),
            "duplicates_near": one("SELECT count(*) FROM sources WHERE kind = 'near'"),
            "quarantined": one("SELECT count(*) FROM quarantine"),
            "quarantined_by_code": by_code,
            "with_date": one("SELECT count(*) FROM documents WHERE published IS NOT NULL"),
            "earliest": one("SELECT min(published) FROM documents"),
            "latest": one("SELECT max(published) FROM documents"),
            "by_language": by_lang,
            "by_source": by_source,
            "ingest_runs": one("SELECT count(*) FROM ingest_runs"),
            "migrations": self.applied_migrations(),
            "database": self.path,
            "database_bytes": size,
        }

    def _scalar(self, sql: str) -> Any:
        row = self.conn.execute(sql).fetchone()
        return row[0] if row else None

    def check_integrity(self) -> list[str]:
        problems = []
        result = self._scalar("PRAGMA integrity_check")
        if result != "ok":
            problems.append(f"integrity_check: {result}")
        for table in ("doc_fts", "doc_trigram", "sent_fts", "sent_trigram"):
            try:
                self.conn.execute(
                    f"INSERT INTO {table}({table}, rank) VALUES ('integrity-check', 1)"
                )
            except sqlite3.DatabaseError as exc:
                problems.append(f"{table}: {exc}")
        orphans = self._scalar(
            "SELECT count(*) FROM sources s LEFT JOIN documents d ON d.id = s.doc_id "
            "WHERE d.id IS NULL"
        )
        if orphans:
            problems.append(f"{orphans} source links point at missing documents")
        for fk in self.conn.execute("PRAGMA foreign_key_check").fetchall()[:5]:
            problems.append(f"foreign key: {fk[0]} row {fk[1]} points at missing {fk[2]}")
        for what, sql in _CONSISTENCY_CHECKS:
            n = self._scalar(sql)
            if n:
                problems.append(f"{n} {what}")
        return problems

    def backup(self, dest: str) -> None:
        if self.path != ":memory:" and Path(dest).resolve() == Path(self.path).resolve():
            raise StoreError("the backup file must not be the pool itself")
        backup_to(self.conn, dest)

    def restore(self, src: str) -> None:
        if self._depth:
            raise StoreError("cannot restore inside a transaction")
        restore_from(self.conn, src, {name for name, _ in migration_files()})
        self.migrate()  # a backup from an older version is brought up to date

    def close(self) -> None:
        self.conn.close()

    # -- API tokens -------------------------------------------------------
    # (and the reads the HTTP service needs: recent documents, highlights)
    _TOKEN_COLUMNS = "id, name, created_at, revoked_at, last_used_at"

    def add_token(self, name: str, token_hash: str) -> ApiToken:
        with self.transaction():
            try:
                cur = self.conn.execute(
                    "INSERT INTO api_tokens(name, hash, created_at) VALUES (?, ?, ?)",
                    (name, token_hash, _now()),
                )
            except sqlite3.IntegrityError as exc:
                raise StoreError(f"an active token named {name!r} already exists") from exc
            assert cur.lastrowid is not None
            return self._token(cur.lastrowid)

    def _token(self, token_id: int) -> ApiToken:
        row = self.conn.execute(
            f"SELECT {self._TOKEN_COLUMNS} FROM api_tokens WHERE id = ?", (token_id,)
        ).fetchone()
        if row is None:
            raise NotFound(f"no API token with id {token_id}")
        return ApiToken(**dict(row))

    def revoke_token(self, token_id: int) -> ApiToken:
        with self.transaction():
            self._token(token_id)
            self.conn.execute(
                "UPDATE api_tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL",
                (_now(), token_id),
            )
            return self._token(token_id)

    def list_tokens(self) -> list[ApiToken]:
        rows = self.conn.execute(f"SELECT {self._TOKEN_COLUMNS} FROM api_tokens ORDER BY id")
        return [ApiToken(**dict(r)) for r in rows]

    def token_by_hash(self, token_hash: str) -> ApiToken | None:
        row = self.conn.execute(
            f"SELECT {self._TOKEN_COLUMNS} FROM api_tokens WHERE hash = ?", (token_hash,)
        ).fetchone()
        return ApiToken(**dict(row)) if row else None

    def revoked_token_hashes(self) -> list[str]:
        rows = self.conn.execute(
            "SELECT hash FROM api_tokens WHERE revoked_at IS NOT NULL ORDER BY id")
        return [str(r[0]) for r in rows]

    def touch_token(self, token_id: int) -> None:
        with self.transaction():
            self.conn.execute(
                "UPDATE api_tokens SET last_used_at = ? WHERE id = ?", (_now(), token_id)
            )

    def recent_documents(self, limit: int = 50, since: str | None = None) -> list[StoredDocument]:
        where, params = ("WHERE ingested_at >= ?", [since]) if since else ("", [])
        rows = self.conn.execute(
            f"SELECT {_DOC_COLUMNS} FROM documents {where} "
            "ORDER BY ingested_at DESC, rowid DESC LIMIT ?",
            [*params, limit],
        )
        return [StoredDocument(**dict(r)) for r in rows]

    def highlight_document(self, doc_id: str, query: str) -> list[tuple[int, int]]:
        fts = build_query(query)
        if not fts.expression:
            return []
        table = "doc_trigram" if fts.trigram else "doc_fts"
        try:
            row = self.conn.execute(
                f"SELECT highlight({table}, 1, '{HL_OPEN}', '{HL_CLOSE}') FROM {table} "
                f"WHERE {table} MATCH ? AND {table}.rowid = "
                "(SELECT rowid FROM documents WHERE id = ?)",
                (fts.expression, doc_id),
            ).fetchone()
        except sqlite3.OperationalError as exc:
            raise StoreError(f"highlighting {query!r} failed: {exc}") from exc
        if row is None or row[0] is None:
            return []
        return split_highlights(row[0])[1]
