"""SQLite reads for pledges and reports: cached vectors by text hash, document sectors."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

__all__ = ["PledgeReads"]

_CHUNK = 500  # bound parameters per query (SQLite's default limit is 32766)


class PledgeReads:
    """Mixin for SQLiteStore: needs ``self.conn``."""

    conn: sqlite3.Connection

    def vectors_by_hash(
        self, model: str, hashes: Sequence[str]
    ) -> dict[str, npt.NDArray[np.float32]]:
        import numpy as np

        out: dict[str, npt.NDArray[np.float32]] = {}
        unique = list(dict.fromkeys(hashes))
        for i in range(0, len(unique), _CHUNK):
            chunk = unique[i:i + _CHUNK]
            marks = ",".join("?" * len(chunk))
            for r in self.conn.execute(
                f"SELECT text_hash, vec FROM sentence_vectors WHERE model = ?"
                f" AND text_hash IN ({marks})", [model, *chunk]
            ):
                out[r[0]] = np.frombuffer(r[1], dtype=np.float32).copy()
        return out

    def document_sectors(
        self, doc_ids: Sequence[str]
    ) -> dict[str, list[tuple[str, int, int]]]:
        out: dict[str, list[tuple[str, int, int]]] = {}
        unique = list(dict.fromkeys(doc_ids))
        for i in range(0, len(unique), _CHUNK):
            chunk = unique[i:i + _CHUNK]
            marks = ",".join("?" * len(chunk))
            for r in self.conn.execute(
                f"SELECT doc_id, sector, start, end FROM doc_sectors WHERE doc_id IN ({marks})"
                " ORDER BY doc_id, start, sector", chunk
            ):
                out.setdefault(r[0], []).append((r[1], int(r[2]), int(r[3])))
        return out
