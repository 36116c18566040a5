"""PostgreSQL tables for sentence search (tsvector and vectors) and stored checks.

Vectors are float32 ``bytea`` keyed by (SHA-256 of the sentence text, model)
and searched by numpy brute force over a matrix cached per connection, exactly
as ``sqlite_vectors`` does, so both backends return the same neighbours.
pgvector is not used: it is not packaged for the Debian release this project
targets, and brute force over 384-dimensional vectors stays fast at newsroom
scale (docs/choices.md).
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

import numpy as np
import numpy.typing as npt
from psycopg.rows import DictRow

from ..errors import NotFound
from ..vectors.store_ann import VectorRows, ann_pick, pg_rows
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
from .postgres_fts import any_term_query, build_pg_query, highlight_spans
from .postgres_sql import PgBase, filter_sql, match_sql
from .sqlite_vectors import _STOP
from .vector_rank import exact_pick, scored_hits, stack_vectors

__all__ = ["PgVectorTables"]

_SENT_COLUMNS = (
    's.doc_id, s.idx, s.start, s."end", s.text, d.title, d.source, d.published, d.url, d.lang'
)


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _hit(row: DictRow, score: float = 0.0) -> SentenceHit:
    return SentenceHit(doc_id=row["doc_id"], idx=row["idx"], start=row["start"], end=row["end"],
                       text=row["text"], title=row["title"], source=row["source"],
                       published=row["published"], url=row["url"], lang=row["lang"], score=score)


class PgVectorTables(PgBase):
    """Mixin for PostgresStore."""

    _vec_cache: dict[str, tuple[tuple[int, int, int], list[tuple[str, int]],
                                npt.NDArray[np.float32]]]
    _ann_rows: VectorRows

    # -- vectors ----------------------------------------------------------
    def sentences_to_hash(
        self, doc_ids: Sequence[str] | None = None
    ) -> list[tuple[str, int, str]]:
        sql = ("SELECT s.doc_id, s.idx, s.text FROM sentences s LEFT JOIN sentence_hashes h"
               " ON h.doc_id = s.doc_id AND h.idx = s.idx WHERE h.text_hash IS NULL")
        if doc_ids is None:
            rows = self._x(sql + " ORDER BY s.seq").fetchall()
        else:
            rows = []
            for doc_id in dict.fromkeys(doc_ids):
                rows += self._x(sql + " AND s.doc_id = %s ORDER BY s.idx", (doc_id,)).fetchall()
        return [(r["doc_id"], int(r["idx"]), r["text"]) for r in rows]

    def missing_vectors(self, model: str, hashes: Sequence[str]) -> set[str]:
        wanted = list(dict.fromkeys(hashes))
        if not wanted:
            return set()
        found = {r["text_hash"] for r in self._x(
            "SELECT text_hash FROM sentence_vectors WHERE model = %s AND text_hash = ANY(%s)",
            (model, wanted))}
        return set(wanted) - found

    def save_sentence_vectors(
        self, model: str, hashes: Sequence[tuple[str, int, str]],
        vectors: Mapping[str, npt.NDArray[np.float32]],
    ) -> None:
        with self.transaction():
            self._many(
                "INSERT INTO sentence_vectors(text_hash, model, dim, vec) VALUES (%s,%s,%s,%s)"
                " ON CONFLICT DO NOTHING",
                [(h, model, int(v.shape[0]), np.asarray(v, dtype=np.float32).tobytes())
                 for h, v in vectors.items()])
            self._many(
                "INSERT INTO sentence_hashes(doc_id, idx, text_hash) VALUES (%s,%s,%s)"
                " ON CONFLICT (doc_id, idx) DO UPDATE SET text_hash = excluded.text_hash",
                self._still_stored(hashes))

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
        alive = {(r["doc_id"], int(r["idx"])) for r in self._x(
            "SELECT s.doc_id, s.idx FROM sentences s JOIN unnest(%s::text[], %s::int[])"
            " AS k(doc_id, idx) ON s.doc_id = k.doc_id AND s.idx = k.idx FOR KEY SHARE OF s",
            ([h[0] for h in hashes], [h[1] for h in hashes]))}
        return [h for h in hashes if (h[0], h[1]) in alive]

    def vectors_by_hash(
        self, model: str, hashes: Sequence[str]
    ) -> dict[str, npt.NDArray[np.float32]]:
        unique = list(dict.fromkeys(hashes))
        if not unique:
            return {}
        return {r["text_hash"]: np.frombuffer(bytes(r["vec"]), dtype=np.float32).copy()
                for r in self._x("SELECT text_hash, vec FROM sentence_vectors WHERE model = %s"
                                 " AND text_hash = ANY(%s)", (model, unique))}

    def _vector_matrix(
        self, model: str
    ) -> tuple[list[tuple[str, int]], npt.NDArray[np.float32]]:
        if not hasattr(self, "_vec_cache"):
            self._vec_cache = {}
        row = self._one("SELECT count(*) AS n, coalesce(max(rowid), 0) AS m"
                        " FROM sentence_hashes")
        nvec = self._scalar("SELECT count(*) FROM sentence_vectors WHERE model = %s", (model,))
        assert row is not None
        stamp = (int(row["n"]), int(row["m"]), int(nvec))
        cached = self._vec_cache.get(model)
        if cached is not None and cached[0] == stamp:
            return cached[1], cached[2]
        keys: list[tuple[str, int]] = []
        blobs: list[bytes] = []
        for r in self._x(
            "SELECT h.doc_id, h.idx, v.vec FROM sentence_hashes h JOIN sentence_vectors v"
            " ON v.text_hash = h.text_hash AND v.model = %s ORDER BY h.rowid", (model,)
        ):
            keys.append((r["doc_id"], int(r["idx"])))
            blobs.append(bytes(r["vec"]))
        matrix = stack_vectors(blobs)
        self._vec_cache[model] = (stamp, keys, matrix)
        return keys, matrix

    def vector_search(
        self, model: str, vector: npt.NDArray[np.float32], filters: SearchFilters,
        limit: int = 20, doc_ids: Sequence[str] | None = None,
    ) -> list[SentenceHit]:
        where, params = filter_sql(filters)
        allowed: set[str] | None = None
        if where or doc_ids is not None:
            allowed = {r["id"] for r in self._x(
                "SELECT d.id FROM documents d WHERE true" + where, params)}
            if doc_ids is not None:
                allowed &= set(doc_ids)
        # above CORRIDOR_ANN_MIN_VECTORS sentences: the IVF index (corridor/vectors)
        if not hasattr(self, "_ann_rows"):
            self._ann_rows = pg_rows(self)
        approx = ann_pick(self._ann_rows, model, vector, limit, allowed)
        if approx is not None:
            return self._hits_for(approx)
        keys, matrix = self._vector_matrix(model)
        return self._hits_for(exact_pick(keys, matrix, vector, model, limit, allowed))

    def _hits_for(self, picked: list[tuple[tuple[str, int], float]]) -> list[SentenceHit]:
        return scored_hits(self.get_sentences, picked)

    # -- sentences --------------------------------------------------------
    def sentence_search(
        self, query: str, filters: SearchFilters, limit: int = 20, *, any_term: bool = False,
        doc_ids: Sequence[str] | None = None,
    ) -> list[SentenceHit]:
        q = any_term_query(query, _STOP) if any_term else build_pg_query(query)
        if q.empty:
            return []
        cond, cparams, score, sparams = match_sql(q, None, "s.text", "s.tsv")
        where, params = filter_sql(filters)
        if doc_ids is not None:
            ids = list(dict.fromkeys(doc_ids))
            if not ids:
                return []
            where += " AND s.doc_id = ANY(%s)"
            params.append(ids)
        rows = self._x(
            f"SELECT {_SENT_COLUMNS}, {score} AS rank FROM sentences s"
            f" JOIN documents d ON d.id = s.doc_id WHERE {cond}{where}"
            " ORDER BY rank DESC, s.seq LIMIT %s", [*sparams, *cparams, *params, limit],
            what=f"sentence search for {query!r}")
        out = []
        for r in rows:
            hit = _hit(r, float(r["rank"]))
            hit.highlights = highlight_spans(hit.text, q)
            out.append(hit)
        return out

    def get_sentences(self, keys: Sequence[tuple[str, int]]) -> list[SentenceHit]:
        out = []
        for doc_id, idx in keys:
            row = self._one(
                f"SELECT {_SENT_COLUMNS} FROM sentences s JOIN documents d ON d.id = s.doc_id"
                " WHERE s.doc_id = %s AND s.idx = %s", (doc_id, idx))
            if row is not None:
                out.append(_hit(row))
        return out

    def sentence_records(
        self, keys: Sequence[tuple[str, int]]
    ) -> dict[tuple[str, int], SentenceRecord]:
        out: dict[tuple[str, int], SentenceRecord] = {}
        for doc_id, idx in dict.fromkeys(keys):
            rec = SentenceRecord(doc_id, idx)
            for r in self._x(
                'SELECT entity_id, label, text, role, start, "end" FROM mentions'
                " WHERE doc_id = %s AND sentence = %s ORDER BY start, id", (doc_id, idx)
            ):
                rec.mentions.append(SentenceMention(r["entity_id"], r["label"], r["text"],
                                                    r["role"], r["start"], r["end"]))
            # every event the sentence reports (an event keeps each reporting sentence in
            # `support`); the date resolved from its own phrase counts, an assumed one not
            for r in self._x(
                "SELECT ev.id, ev.type, coalesce(ev.date, CASE WHEN ev.date_phrase IS NOT NULL"
                " THEN ev.date_inferred END) AS date, ev.date_phrase, ev.place, ev.ordinal"
                " FROM events ev WHERE ev.doc_id = %s AND (ev.sentence = %s OR EXISTS (SELECT 1"
                " FROM jsonb_array_elements(ev.support::jsonb) AS j(v) JOIN sentences s"
                " ON s.doc_id = ev.doc_id AND s.idx = %s WHERE (j.v->>0)::int = s.start))"
                " ORDER BY ev.start, ev.id", (doc_id, idx, idx)
            ).fetchall():
                parts = [p["entity_id"] for p in self._x(
                    "SELECT entity_id FROM event_participants WHERE event_id = %s"
                    " ORDER BY seq", (r["id"],))]
                rec.events.append(SentenceEvent(r["type"], r["date"], r["date_phrase"],
                                                r["place"], r["ordinal"], parts))
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
            f" WHERE m.entity_id = ANY(%s) AND m.sentence IS NOT NULL"
            f" {where} GROUP BY m.doc_id, m.sentence"
            ' ORDER BY n DESC, max(d.published COLLATE "C") DESC NULLS LAST,'
            ' m.doc_id COLLATE "C", m.sentence'
            " LIMIT %s"
        )
        return [(r["doc_id"], int(r["sentence"])) for r in self._x(sql, [ids, *params, limit])]

    def document_count(self) -> int:
        return int(self._scalar("SELECT count(*) FROM documents"))

    # -- checks -------------------------------------------------------------
    def save_check(
        self, *, claim: str, claim_key: str, model: str | None,
        vector: npt.NDArray[np.float32] | None, verdict: str, confidence: float, reason: str,
        result: dict[str, Any], judge: str,
    ) -> int:
        blob = None if vector is None else np.asarray(vector, dtype=np.float32).tobytes()
        payload = json.dumps(result, ensure_ascii=False, sort_keys=True)
        now = _now()
        with self.transaction():
            row = self._one("SELECT id FROM checks WHERE claim_key = %s FOR UPDATE",
                            (claim_key,))
            if row is None:
                created = self._one(
                    "INSERT INTO checks(claim, claim_key, model, vec, verdict, confidence,"
                    " reason, result, created_at, updated_at)"
                    " VALUES (%s,%s,%s,%s,%s,%s,%s,%s,%s,%s) RETURNING id",
                    (claim, claim_key, model, blob, verdict, confidence, reason, payload, now,
                     now))
                assert created is not None
                check_id = int(created["id"])
            else:
                check_id = int(row["id"])
                self._x(
                    "UPDATE checks SET claim = %s, model = coalesce(%s, model),"
                    " vec = coalesce(%s, vec), verdict = %s, confidence = %s, reason = %s,"
                    " result = %s, updated_at = %s WHERE id = %s",
                    (claim, model, blob, verdict, confidence, reason, payload, now, check_id))
            self._x(
                "INSERT INTO check_runs(check_id, verdict, confidence, reason, result, judge,"
                " documents, checked_at) VALUES (%s,%s,%s,%s,%s,%s,%s,%s)",
                (check_id, verdict, confidence, reason, payload, judge, self.document_count(),
                 now))
        return check_id

    def _check(self, row: DictRow) -> StoredCheck:
        runs = self._scalar("SELECT count(*) FROM check_runs WHERE check_id = %s", (row["id"],))
        links = [ClaimLink(int(r["check_id"]), int(r["matched_id"]), r["kind"],
                           float(r["similarity"]), r["claim"], r["created_at"])
                 for r in self._x(
            "SELECT l.check_id, l.matched_id, l.kind, l.similarity, c.claim, l.created_at"
            " FROM claim_links l JOIN checks c ON c.id = l.matched_id WHERE l.check_id = %s"
            " ORDER BY l.similarity DESC, l.matched_id", (row["id"],))]
        return StoredCheck(id=int(row["id"]), claim=row["claim"], verdict=row["verdict"],
                           confidence=row["confidence"], reason=row["reason"],
                           result=json.loads(row["result"]), created_at=row["created_at"],
                           updated_at=row["updated_at"], runs=int(runs), links=links)

    def get_check(self, check_id: int) -> StoredCheck:
        row = self._one("SELECT * FROM checks WHERE id = %s", (check_id,))
        if row is None:
            raise NotFound(f"no check with id {check_id}")
        return self._check(row)

    def find_check(self, claim_key: str) -> StoredCheck | None:
        row = self._one("SELECT * FROM checks WHERE claim_key = %s", (claim_key,))
        return self._check(row) if row is not None else None

    def list_checks(self, limit: int = 50, verdict: str | None = None) -> list[StoredCheck]:
        where, params = ("WHERE verdict = %s", [verdict.upper()]) if verdict else ("", [])
        rows = self._x(f'SELECT * FROM checks {where} ORDER BY updated_at COLLATE "C" DESC,'
                       " id DESC LIMIT %s", [*params, limit]).fetchall()
        return [self._check(r) for r in rows]

    def check_runs(self, check_id: int) -> list[CheckRun]:
        rows = self._x("SELECT * FROM check_runs WHERE check_id = %s ORDER BY id", (check_id,))
        return [CheckRun(id=int(r["id"]), check_id=int(r["check_id"]), verdict=r["verdict"],
                         confidence=r["confidence"], reason=r["reason"],
                         result=json.loads(r["result"]), judge=r["judge"],
                         documents=r["documents"], checked_at=r["checked_at"]) for r in rows]

    def check_vectors(self, model: str) -> list[tuple[int, str, npt.NDArray[np.float32]]]:
        rows = self._x("SELECT id, claim, vec FROM checks WHERE model = %s AND vec IS NOT NULL"
                       " ORDER BY id", (model,))
        return [(int(r["id"]), r["claim"], np.frombuffer(bytes(r["vec"]), dtype=np.float32))
                for r in rows]

    def link_claims(self, check_id: int, matched_id: int, kind: str, similarity: float) -> None:
        with self.transaction():
            self._x(
                "INSERT INTO claim_links(check_id, matched_id, kind, similarity, created_at)"
                " VALUES (%s,%s,%s,%s,%s) ON CONFLICT (check_id, matched_id) DO UPDATE SET"
                " kind = excluded.kind, similarity = excluded.similarity",
                (check_id, matched_id, kind, similarity, _now()))
