"""Stored claim checks: verdicts, their run history, claim vectors and links between
claims, written once for both backends."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from ..errors import NotFound
from .records import CheckRun, ClaimLink, StoredCheck
from .sql import Row, now
from .sql_documents import DocumentTables

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

__all__ = ["CheckTables"]


class CheckTables(DocumentTables):
    def save_check(
        self, *, claim: str, claim_key: str, model: str | None,
        vector: npt.NDArray[np.float32] | None, verdict: str, confidence: float, reason: str,
        result: dict[str, Any], judge: str,
    ) -> int:
        import numpy as np

        blob = None if vector is None else np.asarray(vector, dtype=np.float32).tobytes()
        payload = json.dumps(result, ensure_ascii=False, sort_keys=True)
        at = now()
        with self.transaction():
            row = self.one("SELECT id FROM checks WHERE claim_key = ?" + self.dialect.for_update,
                           (claim_key,))
            if row is None:
                created = self.one(
                    "INSERT INTO checks(claim, claim_key, model, vec, verdict, confidence,"
                    " reason, result, created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?)"
                    " RETURNING id",
                    (claim, claim_key, model, blob, verdict, confidence, reason, payload, at, at))
                assert created is not None
                check_id = int(created["id"])
            else:
                check_id = int(row["id"])
                self.execute(
                    "UPDATE checks SET claim = ?, model = coalesce(?, model),"
                    " vec = coalesce(?, vec), verdict = ?, confidence = ?, reason = ?,"
                    " result = ?, updated_at = ? WHERE id = ?",
                    (claim, model, blob, verdict, confidence, reason, payload, at, check_id))
            self.execute(
                "INSERT INTO check_runs(check_id, verdict, confidence, reason, result, judge,"
                " documents, checked_at) VALUES (?,?,?,?,?,?,?,?)",
                (check_id, verdict, confidence, reason, payload, judge, self.document_count(),
                 at))
        return check_id

    def _check(self, row: Row) -> StoredCheck:
        runs = self.scalar("SELECT count(*) FROM check_runs WHERE check_id = ?", (row["id"],))
        links = [ClaimLink(int(r["check_id"]), int(r["matched_id"]), r["kind"],
                           float(r["similarity"]), r["claim"], r["created_at"])
                 for r in self.all(
            "SELECT l.check_id, l.matched_id, l.kind, l.similarity, c.claim, l.created_at"
            " FROM claim_links l JOIN checks c ON c.id = l.matched_id WHERE l.check_id = ?"
            " ORDER BY l.similarity DESC, l.matched_id", (row["id"],))]
        return StoredCheck(id=int(row["id"]), claim=row["claim"], verdict=row["verdict"],
                           confidence=row["confidence"], reason=row["reason"],
                           result=json.loads(row["result"]), created_at=row["created_at"],
                           updated_at=row["updated_at"], runs=int(runs), links=links)

    def get_check(self, check_id: int) -> StoredCheck:
        row = self.one("SELECT * FROM checks WHERE id = ?", (check_id,))
        if row is None:
            raise NotFound(f"no check with id {check_id}")
        return self._check(row)

    def find_check(self, claim_key: str) -> StoredCheck | None:
        row = self.one("SELECT * FROM checks WHERE claim_key = ?", (claim_key,))
        return self._check(row) if row is not None else None

    def list_checks(self, limit: int = 50, verdict: str | None = None) -> list[StoredCheck]:
        where, params = ("WHERE verdict = ?", [verdict.upper()]) if verdict else ("", [])
        rows = self.all(f'SELECT * FROM checks {where} ORDER BY updated_at COLLATE "C" DESC,'
                        " id DESC LIMIT ?", [*params, limit])
        return [self._check(r) for r in rows]

    def check_runs(self, check_id: int) -> list[CheckRun]:
        rows = self.all("SELECT * FROM check_runs WHERE check_id = ? ORDER BY id", (check_id,))
        return [CheckRun(id=int(r["id"]), check_id=int(r["check_id"]), verdict=r["verdict"],
                         confidence=r["confidence"], reason=r["reason"],
                         result=json.loads(r["result"]), judge=r["judge"],
                         documents=r["documents"], checked_at=r["checked_at"]) for r in rows]

    def check_vectors(self, model: str) -> list[tuple[int, str, npt.NDArray[np.float32]]]:
        import numpy as np

        rows = self.all("SELECT id, claim, vec FROM checks WHERE model = ? AND vec IS NOT NULL"
                        " ORDER BY id", (model,))
        return [(int(r["id"]), r["claim"], np.frombuffer(bytes(r["vec"]), dtype=np.float32))
                for r in rows]

    def link_claims(self, check_id: int, matched_id: int, kind: str, similarity: float) -> None:
        with self.transaction():
            self.execute(
                "INSERT INTO claim_links(check_id, matched_id, kind, similarity, created_at)"
                " VALUES (?,?,?,?,?) ON CONFLICT (check_id, matched_id) DO UPDATE SET"
                " kind = excluded.kind, similarity = excluded.similarity",
                (check_id, matched_id, kind, similarity, now()))
