"""SQLite backend: one file, WAL, named recorded migrations, FTS5 by triggers."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import MigrationError, StoreBusy, StoreError
from . import schema
from .dialect import SQLITE
from .sql import now
from .sql_checks import CheckTables
from .sql_facts import FactTables
from .sql_search import SearchTables
from .sql_sentences import SentenceTables
from .sql_tokens import TokenTables
from .sqlite_backup import backup_to, restore_from
from .sqlite_text import SqliteTextSearch

if TYPE_CHECKING:
    from ..vectors.store_ann import VectorRows

__all__ = ["SQLiteStore", "corrupted_pool", "damaged_reason", "is_corruption",
           "salvage_revoked_hashes"]


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
    ("source links point at missing documents",
     "SELECT count(*) FROM sources s LEFT JOIN documents d ON d.id = s.doc_id"
     " WHERE d.id IS NULL"),
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


class SQLiteStore(FactTables, SentenceTables, SearchTables, CheckTables, TokenTables):
    """A pool in one SQLite file.

    ``create``: make the file when there is none (``corridor ingest``); without
    it a missing file raises StoreError ("no pool at ..."), so a mistyped
    ``--db`` of a read command does not quietly answer from a new, empty pool.
    A file SQLite finds damaged raises StoreError (:func:`corrupted_pool`), when
    opening and on any later statement alike.
    """

    dialect = SQLITE
    text_search = SqliteTextSearch()
    _driver_error = sqlite3.Error

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
                    (name, now()),
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

    def _begin(self) -> None:
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

    # -- what SqlStore leaves to the backend ----------------------------------
    def _store_error(self, exc: Exception, what: str) -> StoreError:
        if is_corruption(exc):
            return corrupted_pool(self.path, exc)
        if isinstance(exc, sqlite3.OperationalError) and _is_busy(exc):
            return StoreBusy(f"the pool stayed locked by another process for longer than the "
                             f"wait ({BUSY_TIMEOUT_MS // 1000} s); try again shortly: {exc}")
        return super()._store_error(exc, what)

    def _run_many(self, statement: str, rows: Sequence[Sequence[Any]]) -> None:
        self.conn.executemany(statement, rows)

    def _open_ann_rows(self) -> VectorRows:
        from ..vectors.store_ann import sqlite_rows

        return sqlite_rows(self.conn, self.path)

    def _database(self) -> tuple[str, int]:
        return self.path, Path(self.path).stat().st_size if self.path != ":memory:" else 0

    def near_candidates(self, bands: Sequence[tuple[int, int]]) -> list[tuple[str, list[int]]]:
        import numpy as np  # loaded by an ingest only, not by every command

        # one primary-key lookup per band: a row-value IN (VALUES ...) makes
        # SQLite scan the whole table, which grows linearly with the pool
        docs: set[int] = set()
        for band, key in bands:
            docs.update(r["doc"] for r in self.all(
                "SELECT doc FROM lsh_bands WHERE band = ? AND key = ?", (band, key)))
        out = []
        for rowid in sorted(docs):
            row = self.one("SELECT id, minhash FROM documents WHERE rowid = ?", (rowid,))
            if row is not None and row["minhash"] is not None:
                signature = np.frombuffer(row["minhash"], dtype=np.uint32).astype(int).tolist()
                out.append((str(row["id"]), signature))
        return out

    def check_integrity(self) -> list[str]:
        problems = []
        result = self.scalar("PRAGMA integrity_check")
        if result != "ok":
            problems.append(f"integrity_check: {result}")
        for table in ("doc_fts", "doc_trigram", "sent_fts", "sent_trigram"):
            try:  # FTS5's own check: its error is the finding, not a failure
                self.conn.execute(
                    f"INSERT INTO {table}({table}, rank) VALUES ('integrity-check', 1)"
                )
            except sqlite3.DatabaseError as exc:
                problems.append(f"{table}: {exc}")
        for fk in self.all("PRAGMA foreign_key_check")[:5]:
            problems.append(f"foreign key: {fk[0]} row {fk[1]} points at missing {fk[2]}")
        return problems + self._consistency(_CONSISTENCY_CHECKS)

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
