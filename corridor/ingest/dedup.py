"""Exact and near-duplicate detection against what a Store holds."""

from __future__ import annotations

from dataclasses import dataclass

from ..document import Document
from ..store.base import DocumentStore
from .fingerprint import band_keys, estimate_similarity

__all__ = ["DedupResult", "find_duplicate"]


@dataclass(frozen=True)
class DedupResult:
    doc_id: str
    kind: str  # exact | near
    similarity: float


def find_duplicate(
    store: DocumentStore, doc: Document, threshold: float
) -> tuple[DedupResult | None, list[tuple[int, int]]]:
    """Return the stored document ``doc`` duplicates (if any) and its band keys."""
    assert doc.content_hash is not None and doc.minhash is not None
    same = store.doc_by_hash(doc.content_hash)
    bands = band_keys(doc.minhash, threshold)
    if same is not None:
        return DedupResult(same, "exact", 1.0), bands
    best: DedupResult | None = None
    for cand_id, signature in store.near_candidates(bands):
        sim = estimate_similarity(doc.minhash, signature)
        if sim >= threshold and (best is None or sim > best.similarity):
            best = DedupResult(cand_id, "near", sim)
    return best, bands
