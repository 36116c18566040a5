"""Sentences as evidence: their vectors, vector search, and what extraction recorded for
them, written once for both backends.

Vectors are float32 bytes keyed by (SHA-256 of the sentence text, model id)
and searched by numpy brute force over a matrix cached per connection,
rebuilt when the set of embedded sentences changes; above
``CORRIDOR_ANN_MIN_VECTORS`` sentences the IVF index of ``corridor/vectors``
answers instead. Neither backend uses a vector extension: the stdlib
``sqlite3`` here cannot load sqlite-vec and pgvector is not packaged for the
targeted Debian release; exact brute force over 384-dimensional unit vectors
costs about 10 ms per 100,000 sentences and needs no index upkeep
(docs/choices.md).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from .records import SearchFilters, SentenceEvent, SentenceHit, SentenceMention, SentenceRecord
from .sql import SqlStore
from .sql_filters import filter_sql
from .sql_search import SENT_COLUMNS, sentence_hit

if TYPE_CHECKING:
    # numpy and the vector index load on the first vector read or write, so that
    # keyword commands (`corridor search`) start without them (issue 14)
    import numpy as np
    import numpy.typing as npt

    from ..vectors.store_ann import VectorRows

__all__ = ["SentenceTables"]


class SentenceTables(SqlStore):
    _vec_cache: dict[str, tuple[tuple[int, int, int], list[tuple[str, int]],
                                npt.NDArray[np.float32]]]
    _ann_rows: VectorRows

    def _open_ann_rows(self) -> VectorRows:
        """The approximate index's view of this pool's vectors (each backend's own)."""
        raise NotImplementedError

    def _still_stored(
        self, hashes: Sequence[tuple[str, int, str]]
    ) -> list[tuple[str, int, str]]:
        """The rows of ``hashes`` to record (a backend may skip vanished sentences)."""
        return list(hashes)

    # -- vectors ----------------------------------------------------------
    def sentences_to_hash(
        self, doc_ids: Sequence[str] | None = None
    ) -> list[tuple[str, int, str]]:
        sql = ("SELECT s.doc_id, s.idx, s.text FROM sentences s LEFT JOIN sentence_hashes h"
               " ON h.doc_id = s.doc_id AND h.idx = s.idx WHERE h.text_hash IS NULL")
        if doc_ids is None:
            rows = self.all(f"{sql} ORDER BY s.{self.dialect.seq}")
        else:
            rows = []
            for doc_id in dict.fromkeys(doc_ids):
                rows += self.all(sql + " AND s.doc_id = ? ORDER BY s.idx", (doc_id,))
        return [(r["doc_id"], int(r["idx"]), r["text"]) for r in rows]

    def texts_without_vector(self, model: str) -> dict[str, str]:
        sql = ("SELECT h.text_hash, s.text FROM sentence_hashes h JOIN sentences s"
               " ON s.doc_id = h.doc_id AND s.idx = h.idx WHERE NOT EXISTS (SELECT 1 FROM"
               " sentence_vectors v WHERE v.model = ? AND v.text_hash = h.text_hash)")
        return {r["text_hash"]: r["text"] for r in self.all(sql, (model,))}

    def missing_vectors(self, model: str, hashes: Sequence[str]) -> set[str]:
        found = {r["text_hash"] for r in self.chunked_rows(
            "SELECT text_hash FROM sentence_vectors WHERE model = ? AND {cond}", "text_hash",
            hashes, [model])}
        return set(hashes) - found

    def save_sentence_vectors(
        self, model: str, hashes: Sequence[tuple[str, int, str]],
        vectors: Mapping[str, npt.NDArray[np.float32]],
    ) -> None:
        import numpy as np

        with self.transaction():
            self.many(
                "INSERT INTO sentence_vectors(text_hash, model, dim, vec) VALUES (?,?,?,?)"
                " ON CONFLICT DO NOTHING",
                [(h, model, int(v.shape[0]), np.asarray(v, dtype=np.float32).tobytes())
                 for h, v in vectors.items()])
            self.many(
                "INSERT INTO sentence_hashes(doc_id, idx, text_hash) VALUES (?,?,?)"
                " ON CONFLICT (doc_id, idx) DO UPDATE SET text_hash = excluded.text_hash",
                self._still_stored(hashes))

    def vectors_by_hash(
        self, model: str, hashes: Sequence[str]
    ) -> dict[str, npt.NDArray[np.float32]]:
        import numpy as np

        return {r["text_hash"]: np.frombuffer(bytes(r["vec"]), dtype=np.float32).copy()
                for r in self.chunked_rows(
                    "SELECT text_hash, vec FROM sentence_vectors WHERE model = ? AND {cond}",
                    "text_hash", hashes, [model])}

    def _vector_matrix(
        self, model: str
    ) -> tuple[list[tuple[str, int]], npt.NDArray[np.float32]]:
        from .vector_rank import stack_vectors

        if not hasattr(self, "_vec_cache"):
            self._vec_cache = {}
        row = self.one("SELECT count(*) AS n, coalesce(max(rowid), 0) AS m FROM sentence_hashes")
        nvec = self.scalar("SELECT count(*) FROM sentence_vectors WHERE model = ?", (model,))
        assert row is not None
        stamp = (int(row["n"]), int(row["m"]), int(nvec))
        cached = self._vec_cache.get(model)
        if cached is not None and cached[0] == stamp:
            return cached[1], cached[2]
        keys: list[tuple[str, int]] = []
        blobs: list[bytes] = []
        for r in self.execute(
            "SELECT h.doc_id, h.idx, v.vec FROM sentence_hashes h JOIN sentence_vectors v"
            " ON v.text_hash = h.text_hash AND v.model = ? ORDER BY h.rowid", (model,)
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
        from ..vectors.store_ann import ann_pick
        from .vector_rank import exact_pick

        where, params = filter_sql(filters, self.dialect)
        allowed: set[str] | None = None
        if where or doc_ids is not None:
            allowed = {r["id"] for r in self.all(
                "SELECT d.id FROM documents d WHERE 1 = 1" + where, params)}
            if doc_ids is not None:
                allowed &= set(doc_ids)
        # above CORRIDOR_ANN_MIN_VECTORS sentences: the IVF index (corridor/vectors)
        if not hasattr(self, "_ann_rows"):
            self._ann_rows = self._open_ann_rows()
        approx = ann_pick(self._ann_rows, model, vector, limit, allowed)
        if approx is not None:
            return self._hits_for(approx)
        keys, matrix = self._vector_matrix(model)
        return self._hits_for(exact_pick(keys, matrix, vector, model, limit, allowed))

    def _hits_for(self, picked: list[tuple[tuple[str, int], float]]) -> list[SentenceHit]:
        from .vector_rank import scored_hits

        return scored_hits(self.get_sentences, picked)

    # -- sentences --------------------------------------------------------
    def get_sentences(self, keys: Sequence[tuple[str, int]]) -> list[SentenceHit]:
        out = []
        for doc_id, idx in keys:
            row = self.one(
                f"SELECT {SENT_COLUMNS} FROM sentences s JOIN documents d ON d.id = s.doc_id"
                " WHERE s.doc_id = ? AND s.idx = ?", (doc_id, idx))
            if row is not None:
                out.append(sentence_hit(row))
        return out

    def sentence_records(
        self, keys: Sequence[tuple[str, int]]
    ) -> dict[tuple[str, int], SentenceRecord]:
        d = self.dialect
        out: dict[tuple[str, int], SentenceRecord] = {}
        for doc_id, idx in dict.fromkeys(keys):
            rec = SentenceRecord(doc_id, idx)
            for r in self.all(
                'SELECT entity_id, label, text, role, start, "end" FROM mentions'
                " WHERE doc_id = ? AND sentence = ? ORDER BY start, id", (doc_id, idx)
            ):
                rec.mentions.append(SentenceMention(r["entity_id"], r["label"], r["text"],
                                                    r["role"], r["start"], r["end"]))
            # every event the sentence reports (an event keeps each reporting sentence in
            # `support`); the date resolved from its own phrase counts, an assumed one not
            for r in self.all(
                "SELECT ev.id, ev.type, coalesce(ev.date, CASE WHEN ev.date_phrase IS NOT NULL"
                " THEN ev.date_inferred END) AS date, ev.date_phrase, ev.place, ev.ordinal"
                " FROM events ev WHERE ev.doc_id = ? AND (ev.sentence = ? OR EXISTS (SELECT 1"
                f" FROM {d.json_items('ev.support')} JOIN sentences s ON s.doc_id = ev.doc_id"
                f" AND s.idx = ? WHERE {d.first_int('j.value')} = s.start))"
                " ORDER BY ev.start, ev.id", (doc_id, idx, idx)
            ):
                parts = [p["entity_id"] for p in self.all(
                    f"SELECT entity_id FROM event_participants WHERE event_id = ?"
                    f" ORDER BY {d.seq}", (r["id"],))]
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
        cond, id_params = self.dialect.any_of("m.entity_id", ids)
        where, params = filter_sql(filters, self.dialect)
        rows = self.all(
            "SELECT m.doc_id, m.sentence, count(DISTINCT m.entity_id) AS n FROM mentions m"
            f" JOIN documents d ON d.id = m.doc_id WHERE {cond} AND m.sentence IS NOT NULL"
            f"{where} GROUP BY m.doc_id, m.sentence ORDER BY n DESC,"
            ' max(d.published) IS NULL, max(d.published COLLATE "C") DESC,'
            ' m.doc_id COLLATE "C", m.sentence LIMIT ?', [*id_params, *params, limit])
        return [(r["doc_id"], int(r["sentence"])) for r in rows]

