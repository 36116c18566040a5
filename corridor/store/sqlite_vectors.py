"""SQLite tables for sentence search (BM25 and vectors) and stored claim checks.

Vectors are float32 BLOBs keyed by (SHA-256 of the sentence text, model id),
searched by brute force with numpy over a matrix cached per connection and
rebuilt when the set of embedded sentences changes. The stdlib ``sqlite3``
here is built without ``enable_load_extension``, so the sqlite-vec extension
cannot be loaded; exact brute force over 384-dimensional unit vectors costs
about 10 ms per 100,000 sentences and needs no index upkeep (docs/choices.md).
"""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from ..errors import NotFound, StoreError
from .base import (
    CheckRun,
    ClaimLink,
    SearchFilters,
    SentenceEvent,
    SentenceHit,
    SentenceMention,
    SentenceRecord,
    StoredCheck,
)
from .fts_query import HL_CLOSE, HL_OPEN, build_query, has_cjk, split_highlights
from .sql_filters import filter_sql

if TYPE_CHECKING:
    # numpy and the vector index load on the first vector read or write, so that
    # keyword commands (`corridor search`) start without them (issue 14)
    import numpy as np
    import numpy.typing as npt

    from ..vectors.store_ann import VectorRows

__all__ = ["VectorTables"]

_SENT_COLUMNS = (
    "s.doc_id, s.idx, s.start, s.end, s.text, d.title, d.source, d.published, d.url, d.lang"
)
_WORD = re.compile(r"\w+", re.UNICODE)
#: words too common to help an OR query (BM25 weighs them low anyway; this keeps it fast)
_STOP = frozenset(
    [
        "a", "an", "the", "of", "in", "on", "at", "to", "for", "from", "by", "with", "and",
        "or", "but", "not", "no", "is", "are", "was", "were", "be", "been", "being", "has",
        "have", "had", "do", "does", "did", "it", "its", "this", "that", "these", "those", "he",
        "she", "they", "his", "her", "their", "them", "as", "which", "who", "whom", "whose",
        "what", "when", "where", "while", "than", "then", "so", "such", "also", "into", "over",
        "about"
    ]
)


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")



def _hit(row: sqlite3.Row, score: float = 0.0) -> SentenceHit:
    return SentenceHit(doc_id=row["doc_id"], idx=row["idx"], start=row["start"], end=row["end"],
                       text=row["text"], title=row["title"], source=row["source"],
                       published=row["published"], url=row["url"], lang=row["lang"], score=score)


def _any_term_query(text: str) -> tuple[str, bool]:
    """An FTS5 expression that ORs the words of ``text`` (for claims as queries)."""
    if has_cjk(text):
        chunks = [c for run in re.findall(r"\w+", text) for c in
                  (run[i:i + 3] for i in range(0, max(1, len(run) - 2), 2)) if len(c) >= 3]
        terms = list(dict.fromkeys(chunks))
        trigram = True
    else:
        words = [w for w in _WORD.findall(text) if w.lower() not in _STOP]
        terms = list(dict.fromkeys(w.lower() for w in words))
        trigram = False
    return " OR ".join('"' + t.replace('"', '""') + '"' for t in terms[:64]), trigram


class VectorTables:
    """Mixin for SQLiteStore: needs ``self.conn`` and ``self.transaction()``."""

    conn: sqlite3.Connection
    _vec_cache: dict[str, tuple[tuple[int, int, int], list[tuple[str, int]],
                                npt.NDArray[np.float32]]]
    _ann_rows: VectorRows

    def transaction(self) -> Any:  # provided by SQLiteStore
        raise NotImplementedError

    # -- vectors ----------------------------------------------------------
    def sentences_to_hash(
        self, doc_ids: Sequence[str] | None = None
    ) -> list[tuple[str, int, str]]:
        sql = ("SELECT s.doc_id, s.idx, s.text FROM sentences s LEFT JOIN sentence_hashes h"
               " ON h.doc_id = s.doc_id AND h.idx = s.idx WHERE h.text_hash IS NULL")
        if doc_ids is None:
            rows = self.conn.execute(sql + " ORDER BY s.rowid").fetchall()
        else:
            rows = []
            for doc_id in dict.fromkeys(doc_ids):
                rows += self.conn.execute(sql + " AND s.doc_id = ? ORDER BY s.idx",
                                          (doc_id,)).fetchall()
        return [(r[0], int(r[1]), r[2]) for r in rows]

    def missing_vectors(self, model: str, hashes: Sequence[str]) -> set[str]:
        missing = set()
        for h in dict.fromkeys(hashes):
            row = self.conn.execute(
                "SELECT 1 FROM sentence_vectors WHERE text_hash = ? AND model = ?", (h, model)
            ).fetchone()
            if row is None:
                missing.add(h)
        return missing

    def save_sentence_vectors(
        self, model: str, hashes: Sequence[tuple[str, int, str]],
        vectors: Mapping[str, npt.NDArray[np.float32]],
    ) -> None:
        import numpy as np

        with self.transaction():
            self.conn.executemany(
                "INSERT OR IGNORE INTO sentence_vectors(text_hash, model, dim, vec)"
                " VALUES (?,?,?,?)",
                [(h, model, int(v.shape[0]), np.asarray(v, dtype=np.float32).tobytes())
                 for h, v in vectors.items()])
            self.conn.executemany(
                "INSERT INTO sentence_hashes(doc_id, idx, text_hash) VALUES (?,?,?)"
                " ON CONFLICT(doc_id, idx) DO UPDATE SET text_hash = excluded.text_hash",
                list(hashes))

    def _vector_matrix(
        self, model: str
    ) -> tuple[list[tuple[str, int]], npt.NDArray[np.float32]]:
        from .vector_rank import stack_vectors

        if not hasattr(self, "_vec_cache"):
            self._vec_cache = {}
        row = self.conn.execute(
            "SELECT count(*), coalesce(max(rowid), 0) FROM sentence_hashes").fetchone()
        nvec = self.conn.execute(
            "SELECT count(*) FROM sentence_vectors WHERE model = ?", (model,)).fetchone()[0]
        stamp = (int(row[0]), int(row[1]), int(nvec))
        cached = self._vec_cache.get(model)
        if cached is not None and cached[0] == stamp:
            return cached[1], cached[2]
        keys: list[tuple[str, int]] = []
        blobs: list[bytes] = []
        for r in self.conn.execute(
            "SELECT h.doc_id, h.idx, v.vec FROM sentence_hashes h JOIN sentence_vectors v"
            " ON v.text_hash = h.text_hash AND v.model = ? ORDER BY h.rowid", (model,)
        ):
            keys.append((r[0], int(r[1])))
            blobs.append(r[2])
        matrix = stack_vectors(blobs)
        self._vec_cache[model] = (stamp, keys, matrix)
        return keys, matrix

    def vector_search(
        self, model: str, vector: npt.NDArray[np.float32], filters: SearchFilters,
        limit: int = 20, doc_ids: Sequence[str] | None = None,
    ) -> list[SentenceHit]:
        from ..vectors.store_ann import ann_pick, sqlite_rows
        from .vector_rank import exact_pick

        where, params = filter_sql(filters)
        allowed: set[str] | None = None
        if where or doc_ids is not None:
            sql = "SELECT d.id FROM documents d WHERE 1=1" + where
            allowed = {r[0] for r in self.conn.execute(sql, params)}
            if doc_ids is not None:
                allowed &= set(doc_ids)
        # above CORRIDOR_ANN_MIN_VECTORS sentences: the IVF index (corridor/vectors)
        if not hasattr(self, "_ann_rows"):
            self._ann_rows = sqlite_rows(self.conn, getattr(self, "path", ":memory:"))
        approx = ann_pick(self._ann_rows, model, vector, limit, allowed)
        if approx is not None:
            return self._hits_for(approx)
        keys, matrix = self._vector_matrix(model)
        return self._hits_for(exact_pick(keys, matrix, vector, model, limit, allowed))

    def _hits_for(self, picked: list[tuple[tuple[str, int], float]]) -> list[SentenceHit]:
        from .vector_rank import scored_hits

        return scored_hits(self.get_sentences, picked)

    # -- sentences --------------------------------------------------------
    def sentence_search(
        self, query: str, filters: SearchFilters, limit: int = 20, *, any_term: bool = False,
        doc_ids: Sequence[str] | None = None,
    ) -> list[SentenceHit]:
        if any_term:
            expression, trigram = _any_term_query(query)
        else:
            fts = build_query(query)
            expression, trigram = fts.expression, fts.trigram
        if not expression:
            return []
        table = "sent_trigram" if trigram else "sent_fts"
        where, params = filter_sql(filters)
        if doc_ids is not None:
            ids = list(dict.fromkeys(doc_ids))
            if not ids:
                return []
            where += f" AND s.doc_id IN ({','.join('?' * len(ids))})"
            params += ids
        sql = (
            f"SELECT {_SENT_COLUMNS}, bm25({table}) AS rank,"
            f" highlight({table}, 0, '{HL_OPEN}', '{HL_CLOSE}') AS hl"
            f" FROM {table} JOIN sentences s ON s.rowid = {table}.rowid"
            f" JOIN documents d ON d.id = s.doc_id"
            f" WHERE {table} MATCH ? {where} ORDER BY rank LIMIT ?"
        )
        try:
            rows = self.conn.execute(sql, [expression, *params, limit]).fetchall()
        except sqlite3.OperationalError as exc:
            raise StoreError(f"sentence search failed for {query!r}: {exc}") from exc
        out = []
        for r in rows:
            hit = _hit(r, -float(r["rank"]))
            text, spans = split_highlights(r["hl"] or "")
            if text == hit.text:
                hit.highlights = spans
            out.append(hit)
        return out

    def get_sentences(self, keys: Sequence[tuple[str, int]]) -> list[SentenceHit]:
        out = []
        for doc_id, idx in keys:
            row = self.conn.execute(
                f"SELECT {_SENT_COLUMNS} FROM sentences s JOIN documents d ON d.id = s.doc_id"
                " WHERE s.doc_id = ? AND s.idx = ?", (doc_id, idx)).fetchone()
            if row is not None:
                out.append(_hit(row))
        return out

    def sentence_records(
        self, keys: Sequence[tuple[str, int]]
    ) -> dict[tuple[str, int], SentenceRecord]:
        out: dict[tuple[str, int], SentenceRecord] = {}
        for doc_id, idx in dict.fromkeys(keys):
            rec = SentenceRecord(doc_id, idx)
            for r in self.conn.execute(
                "SELECT entity_id, label, text, role, start, end FROM mentions"
                " WHERE doc_id = ? AND sentence = ? ORDER BY start", (doc_id, idx)
            ):
                rec.mentions.append(SentenceMention(r[0], r[1], r[2], r[3], r[4], r[5]))
            # every event the sentence reports (an event keeps each reporting sentence in
            # `support`); the date resolved from its own phrase counts, an assumed one not
            for r in self.conn.execute(
                "SELECT ev.id, ev.type, coalesce(ev.date, CASE WHEN ev.date_phrase IS NOT NULL"
                " THEN ev.date_inferred END), ev.date_phrase, ev.place, ev.ordinal FROM events ev"
                " WHERE ev.doc_id = ? AND (ev.sentence = ? OR EXISTS (SELECT 1"
                " FROM json_each(ev.support) j JOIN sentences s ON s.doc_id = ev.doc_id"
                " AND s.idx = ? WHERE json_extract(j.value, '$[0]') = s.start))"
                " ORDER BY ev.start", (doc_id, idx, idx)
            ).fetchall():
                parts = [p[0] for p in self.conn.execute(
                    "SELECT entity_id FROM event_participants WHERE event_id = ?"
                    " ORDER BY rowid", (r[0],))]
                rec.events.append(SentenceEvent(r[1], r[2], r[3], r[4], r[5], parts))
            out[(doc_id, idx)] = rec
        return out

    def sentences_mentioning(
        self, entity_ids: Sequence[str], filters: SearchFilters, limit: int = 50
    ) -> list[tuple[str, int]]:
        ids = list(dict.fromkeys(entity_ids))
        if not ids:
            return []
        where, params = filter_sql(filters)
        sql = (
            "SELECT m.doc_id, m.sentence, count(DISTINCT m.entity_id) AS n FROM mentions m"
            " JOIN documents d ON d.id = m.doc_id"
            f" WHERE m.entity_id IN ({','.join('?' * len(ids))}) AND m.sentence IS NOT NULL"
            f" {where} GROUP BY m.doc_id, m.sentence"
            " ORDER BY n DESC, d.published DESC, m.doc_id, m.sentence LIMIT ?"
        )
        return [(r[0], int(r[1])) for r in self.conn.execute(sql, [*ids, *params, limit])]

    def document_count(self) -> int:
        return int(self.conn.execute("SELECT count(*) FROM documents").fetchone()[0])

    # -- checks -------------------------------------------------------------
    def save_check(
        self, *, claim: str, claim_key: str, model: str | None,
        vector: npt.NDArray[np.float32] | None, verdict: str, confidence: float, reason: str,
        result: dict[str, Any], judge: str,
    ) -> int:
        import numpy as np

        blob = None if vector is None else np.asarray(vector, dtype=np.float32).tobytes()
        payload = json.dumps(result, ensure_ascii=False, sort_keys=True)
        now = _now()
        with self.transaction():
            row = self.conn.execute(
                "SELECT id FROM checks WHERE claim_key = ?", (claim_key,)).fetchone()
            if row is None:
                cur = self.conn.execute(
                    "INSERT INTO checks(claim, claim_key, model, vec, verdict, confidence, reason,"
                    " result, created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?)",
                    (claim, claim_key, model, blob, verdict, confidence, reason, payload, now,
                     now))
                assert cur.lastrowid is not None
                check_id = int(cur.lastrowid)
            else:
                check_id = int(row[0])
                self.conn.execute(
                    "UPDATE checks SET claim = ?, model = coalesce(?, model),"
                    " vec = coalesce(?, vec), verdict = ?, confidence = ?, reason = ?,"
                    " result = ?, updated_at = ? WHERE id = ?",
                    (claim, model, blob, verdict, confidence, reason, payload, now, check_id))
            self.conn.execute(
                "INSERT INTO check_runs(check_id, verdict, confidence, reason, result, judge,"
                " documents, checked_at) VALUES (?,?,?,?,?,?,?,?)",
                (check_id, verdict, confidence, reason, payload, judge, self.document_count(),
                 now))
        return check_id

    def _check(self, row: sqlite3.Row) -> StoredCheck:
        runs = self.conn.execute(
            "SELECT count(*) FROM check_runs WHERE check_id = ?", (row["id"],)).fetchone()[0]
        links = [ClaimLink(r[0], r[1], r[2], float(r[3]), r[4], r[5]) for r in self.conn.execute(
            "SELECT l.check_id, l.matched_id, l.kind, l.similarity, c.claim, l.created_at"
            " FROM claim_links l JOIN checks c ON c.id = l.matched_id WHERE l.check_id = ?"
            " ORDER BY l.similarity DESC", (row["id"],))]
        return StoredCheck(id=row["id"], claim=row["claim"], verdict=row["verdict"],
                           confidence=row["confidence"], reason=row["reason"],
                           result=json.loads(row["result"]), created_at=row["created_at"],
                           updated_at=row["updated_at"], runs=int(runs), links=links)

    def get_check(self, check_id: int) -> StoredCheck:
        row = self.conn.execute("SELECT * FROM checks WHERE id = ?", (check_id,)).fetchone()
        if row is None:
            raise NotFound(f"no check with id {check_id}")
        return self._check(row)

    def find_check(self, claim_key: str) -> StoredCheck | None:
        row = self.conn.execute(
            "SELECT * FROM checks WHERE claim_key = ?", (claim_key,)).fetchone()
        return self._check(row) if row is not None else None

    def list_checks(self, limit: int = 50, verdict: str | None = None) -> list[StoredCheck]:
        where, params = ("WHERE verdict = ?", [verdict.upper()]) if verdict else ("", [])
        rows = self.conn.execute(
            f"SELECT * FROM checks {where} ORDER BY updated_at DESC, id DESC LIMIT ?",
            [*params, limit]).fetchall()
        return [self._check(r) for r in rows]

    def check_runs(self, check_id: int) -> list[CheckRun]:
        rows = self.conn.execute(
            "SELECT * FROM check_runs WHERE check_id = ? ORDER BY id", (check_id,))
        return [CheckRun(id=r["id"], check_id=r["check_id"], verdict=r["verdict"],
                         confidence=r["confidence"], reason=r["reason"],
                         result=json.loads(r["result"]), judge=r["judge"],
                         documents=r["documents"], checked_at=r["checked_at"]) for r in rows]

    def check_vectors(self, model: str) -> list[tuple[int, str, npt.NDArray[np.float32]]]:
        import numpy as np

        rows = self.conn.execute(
            "SELECT id, claim, vec FROM checks WHERE model = ? AND vec IS NOT NULL ORDER BY id",
            (model,))
        return [(int(r[0]), r[1], np.frombuffer(r[2], dtype=np.float32)) for r in rows]

    def link_claims(self, check_id: int, matched_id: int, kind: str, similarity: float) -> None:
        with self.transaction():
            self.conn.execute(
                "INSERT INTO claim_links(check_id, matched_id, kind, similarity, created_at)"
                " VALUES (?,?,?,?,?) ON CONFLICT(check_id, matched_id) DO UPDATE SET"
                " kind = excluded.kind, similarity = excluded.similarity",
                (check_id, matched_id, kind, similarity, _now()))
