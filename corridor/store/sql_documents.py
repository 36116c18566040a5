"""Documents: ingest (dedup lookups, source links, quarantine, runs) and reads, for both
backends. Text orders by code point (``COLLATE "C"``) so both list alike."""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any

from ..errors import NotFound, StoreError
from .records import QuarantineRecord, SourceLink, StoredDocument
from .sql import SqlStore, now

if TYPE_CHECKING:
    from ..document import Document

__all__ = ["DOC_COLUMNS", "DocumentTables"]

DOC_COLUMNS = (
    "id, source_key, origin, url, source, title, published, date_source, dateline_place, "
    "dateline_date, lang, encoding, text, content_hash, ingested_at"
)
_PAGE = 500  # documents per keyset page of iter_documents


class DocumentTables(SqlStore):
    def _index_columns(self, title: str | None, text: str) -> tuple[str, str, list[Any]]:
        """What a ``documents`` or ``sentences`` row carries for full-text search besides
        its text: (column list, value list, values), each list led by a comma; nothing
        where the backend indexes by trigger (SQLite's FTS5 tables)."""
        return "", "", []

    # -- ingest -----------------------------------------------------------
    def seen_source(self, source_key: str, raw_hash: str) -> str | None:
        row = self.one("SELECT doc_id FROM sources WHERE source_key = ? AND raw_hash = ?",
                       (source_key, raw_hash))
        return str(row["doc_id"]) if row else None

    def doc_by_hash(self, content_hash: str) -> str | None:
        row = self.one("SELECT id FROM documents WHERE content_hash = ?", (content_hash,))
        return str(row["id"]) if row else None

    def add_document(self, doc: Document, bands: Sequence[tuple[int, int]]) -> None:
        import numpy as np  # loaded by an ingest only, not by every command

        sig = np.asarray(doc.minhash or [], dtype=np.uint32).tobytes()
        columns, marks, extra = self._index_columns(doc.title, doc.text)
        with self.transaction():
            row = self.one(
                "INSERT INTO documents (id, source_key, origin, url, source, title, published,"
                " date_source, dateline_place, dateline_date, lang, encoding, text, content_hash,"
                f" minhash, ingested_at{columns}) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?{marks})"
                " ON CONFLICT DO NOTHING RETURNING rowid",
                (doc.id, doc.source_key, doc.origin, doc.url, doc.source, doc.title,
                 doc.published, doc.date_source, doc.dateline_place, doc.dateline_date,
                 doc.lang, doc.encoding, doc.text, doc.content_hash, sig, now(), *extra))
            if row is None:
                raise StoreError(f"document {doc.id} conflicts with a stored one "
                                 "(same id or content hash)")
            self.many("INSERT INTO lsh_bands(band, key, doc) VALUES (?, ?, ?)"
                      " ON CONFLICT DO NOTHING", [(b, k, row["rowid"]) for b, k in bands])
            assert doc.id is not None
            self.add_source_link(doc, doc.id, "original")

    def add_source_link(self, doc: Document, doc_id: str, kind: str) -> None:
        self.execute(
            "INSERT INTO sources (source_key, raw_hash, doc_id, kind, similarity, url,"
            " source, title, published, seen_at) VALUES (?,?,?,?,?,?,?,?,?,?)"
            " ON CONFLICT DO NOTHING",
            (doc.source_key, doc.raw_hash, doc_id, kind, doc.similarity, doc.url, doc.source,
             doc.title, doc.published, now()))

    def add_quarantine(
        self, *, source_key: str, origin: str | None, url: str | None, code: str,
        stage: str | None, message: str, raw: bytes | None, raw_size: int | None,
        raw_hash: str,
    ) -> bool:
        cur = self.execute(
            "INSERT INTO quarantine (source_key, origin, url, code, stage, message, raw,"
            " raw_size, raw_hash, created_at) VALUES (?,?,?,?,?,?,?,?,?,?)"
            " ON CONFLICT DO NOTHING",
            (source_key, origin, url, code, stage, message, raw, raw_size, raw_hash, now()))
        return int(cur.rowcount) > 0

    def start_run(self, targets: Sequence[str]) -> int:
        row = self.one("INSERT INTO ingest_runs(started_at, targets) VALUES (?, ?) RETURNING id",
                       (now(), json.dumps(list(targets))))
        assert row is not None
        return int(row["id"])

    def finish_run(self, run_id: int, counts: dict[str, Any]) -> None:
        self.execute("UPDATE ingest_runs SET finished_at = ?, counts = ? WHERE id = ?",
                     (now(), json.dumps(counts), run_id))

    # -- read -------------------------------------------------------------
    def get_document(self, doc_id: str) -> StoredDocument:
        row = self.one(f"SELECT {DOC_COLUMNS} FROM documents WHERE id = ?", (doc_id,))
        if row is None:
            raise NotFound(f"no document with id {doc_id!r}")
        doc = StoredDocument(**dict(row))
        links = self.all(
            "SELECT source_key, kind, similarity, url, source, title, published, seen_at "
            'FROM sources WHERE doc_id = ? ORDER BY seen_at COLLATE "C", source_key COLLATE "C"',
            (doc_id,))
        doc.sources = [SourceLink(**dict(r)) for r in links]
        return doc

    def iter_documents(self) -> Iterator[StoredDocument]:
        last = 0
        while True:  # keyset pages: no long-lived cursor, constant memory
            rows = self.all(f"SELECT rowid AS rowid, {DOC_COLUMNS} FROM documents"
                            " WHERE rowid > ? ORDER BY rowid LIMIT ?", (last, _PAGE))
            if not rows:
                return
            for row in rows:
                fields = dict(row)
                last = fields.pop("rowid")
                yield StoredDocument(**fields)

    def quarantined(self, limit: int = 100) -> list[QuarantineRecord]:
        rows = self.all(
            "SELECT id, source_key, origin, url, code, stage, message, raw_size, raw_hash,"
            " created_at FROM quarantine ORDER BY id DESC LIMIT ?", (limit,))
        return [QuarantineRecord(**dict(r)) for r in rows]

    def recent_documents(self, limit: int = 50, since: str | None = None) -> list[StoredDocument]:
        where, params = ("WHERE ingested_at >= ?", [since]) if since else ("", [])
        rows = self.all(f"SELECT {DOC_COLUMNS} FROM documents {where}"
                        ' ORDER BY ingested_at COLLATE "C" DESC, rowid DESC LIMIT ?',
                        [*params, limit])
        return [StoredDocument(**dict(r)) for r in rows]

    def document_count(self) -> int:
        return int(self.scalar("SELECT count(*) FROM documents"))

    # -- statistics -------------------------------------------------------
    def applied_migrations(self) -> list[str]:
        return [r["name"] for r in self.all(
            'SELECT name FROM schema_migrations ORDER BY name COLLATE "C"')]

    def _database(self) -> tuple[str, int]:
        """Where the pool is (no password) and its size in bytes."""
        raise NotImplementedError

    def stats(self) -> dict[str, Any]:
        one = self.scalar
        where, size = self._database()
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
            "database": where,
            "database_bytes": size,
        }
