"""Online backup and checked restore of a SQLite pool (the SQLite backup API)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from ..errors import MigrationError, StoreError
from .backup_file import part_file

__all__ = ["backup_to", "restore_from"]


def backup_to(conn: sqlite3.Connection, dest: str) -> None:
    """Copy the live database behind ``conn`` to ``dest`` atomically.

    The copy is written next to ``dest`` and renamed into place once it is
    complete and passes ``PRAGMA integrity_check``, so a crash never leaves a
    half-written file under the backup's name. Readers and writers of the
    live pool go on meanwhile (WAL).
    """
    try:
        with part_file(dest) as part:
            out = sqlite3.connect(part)
            try:
                conn.backup(out)
                out.execute("PRAGMA journal_mode=DELETE")
                result = out.execute("PRAGMA integrity_check").fetchone()[0]
            finally:
                out.close()
            if result != "ok":
                raise StoreError(f"the backup copy failed its integrity check: {result}")
    except sqlite3.Error as exc:
        raise StoreError(f"backup to {dest} failed: {exc}") from exc


def _open_checked(src: str, known_migrations: set[str]) -> sqlite3.Connection:
    path = Path(src)
    if not path.is_file():
        raise StoreError(f"no backup file at {src}")
    with open(path, "rb") as fh:
        if fh.read(16) != b"SQLite format 3\x00":
            raise StoreError(f"{src} is not a SQLite database, so not a Corridor backup")
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        result = conn.execute("PRAGMA integrity_check").fetchone()[0]
        if result != "ok":
            raise StoreError(f"backup {src} is damaged: {result}")
        try:
            applied = {r[0] for r in conn.execute("SELECT name FROM schema_migrations")}
            conn.execute("SELECT count(*) FROM documents").fetchone()
        except sqlite3.Error as exc:
            raise StoreError(f"{src} is not a Corridor pool ({exc})") from exc
        newer = sorted(applied - known_migrations)
        if newer:
            raise MigrationError(
                f"backup {src} comes from a newer Corridor (migrations {', '.join(newer)});"
                " upgrade Corridor before restoring it")
    except BaseException:
        conn.close()
        raise
    return conn


def restore_from(conn: sqlite3.Connection, src: str, known_migrations: set[str]) -> None:
    """Replace the database behind ``conn`` with the checked backup at ``src``.

    The backup API writes all pages in one step under a write lock, so other
    connections see either the old pool or the restored one.
    """
    try:
        source = _open_checked(src, known_migrations)
        try:
            source.backup(conn)
        finally:
            source.close()
    except sqlite3.Error as exc:
        raise StoreError(f"restore from {src} failed: {exc}") from exc
