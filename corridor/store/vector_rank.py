"""Exact vector ranking shared by the SQLite and PostgreSQL stores.

Both keep sentence vectors as float32 bytes and search them by numpy brute
force below the approximate index's threshold (corridor/vectors); only the
SQL that reads the rows differs.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
import numpy.typing as npt

from ..errors import StoreError
from .base import SentenceHit

__all__ = ["exact_pick", "scored_hits", "stack_vectors"]

Key = tuple[str, int]


def stack_vectors(blobs: Sequence[bytes]) -> npt.NDArray[np.float32]:
    """One row per stored float32 vector (an empty 0x0 matrix for none)."""
    if not blobs:
        return np.zeros((0, 0), dtype=np.float32)
    return np.frombuffer(b"".join(blobs), dtype=np.float32).reshape(len(blobs), -1)


def exact_pick(
    keys: Sequence[Key], matrix: npt.NDArray[np.float32], vector: npt.NDArray[np.float32],
    model: str, limit: int, allowed: set[str] | None,
) -> list[tuple[Key, float]]:
    """The ``limit`` best (sentence key, cosine) pairs, best first, among documents in
    ``allowed`` (None: all); ties keep storage order."""
    if not keys:
        return []
    if matrix.shape[1] != vector.shape[0]:
        raise StoreError(f"query vector has {vector.shape[0]} dimensions, the stored "
                         f"{model} vectors {matrix.shape[1]}")
    scores = matrix @ np.asarray(vector, dtype=np.float32)
    picked: list[tuple[Key, float]] = []
    for i in np.argsort(-scores, kind="stable"):
        key = keys[int(i)]
        if allowed is not None and key[0] not in allowed:
            continue
        picked.append((key, float(scores[int(i)])))
        if len(picked) >= limit:
            break
    return picked


def scored_hits(
    get_sentences: Callable[[Sequence[Key]], list[SentenceHit]],
    picked: Sequence[tuple[Key, float]],
) -> list[SentenceHit]:
    """The picked sentences with their scores, in the picked order (vanished ones dropped)."""
    hits = {h.key: h for h in get_sentences([k for k, _ in picked])}
    out = []
    for key, score in picked:
        if key in hits:
            hits[key].score = score
            out.append(hits[key])
    return out
