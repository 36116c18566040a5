"""Cluster commitments into pledges: same parties, same action, paraphrased.

Each commitment is an item with its action's unit vector, its content words,
its parties, projects, key entities (named bodies in the action) and ordinals.
Two items may be linked when

- their project sets are equal (a pledge about ML-1 never joins one about
  Gwadar Port, nor one naming no project),
- their parties are compatible: equal, or one inside the other ("Pakistan
  will..." restating "the two sides agreed...") -- never disjoint,
- their ordinals agree (the 13th JCC meeting is not the 14th), when both
  name bodies they share one, and when both have sectors they share one
  (agriculture is not IT);

and their score ``0.8 * cosine + 0.2 * word overlap`` (Jaccard of stemmed
content words) reaches ``threshold_project`` when they share a project, else
``threshold`` (plus ``same_document`` for two commitments of one article).
Links are taken best first (ties by position, so the result is deterministic)
and two clusters merge only when every pair across them is compatible and
their average cosine (``sum_A . sum_B / |A||B|`` for unit vectors: average
linkage at no cost) stays above ``average``. Without the embedding model the
score is the word overlap alone, with its own thresholds.

:func:`cluster_links` also returns the links that made each cluster (a
spanning tree: one per merge), with their cosine and word overlap, so that a
pledge can cite the two statements behind each of its joins.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

__all__ = ["ClusterParams", "Item", "Link", "cluster", "cluster_links"]

_CHUNK = 512  # rows of the similarity matrix computed at once


@dataclass(frozen=True)
class ClusterParams:
    threshold: float = 0.55
    threshold_project: float = 0.45
    average: float = 0.5
    lexical_threshold: float = 0.5
    lexical_threshold_project: float = 0.3
    cos_weight: float = 0.8
    #: added to the threshold for two commitments of one article (a joint
    #: statement lists distinct commitments in similar words)
    same_document: float = 0.15


@dataclass
class Item:
    parties: frozenset[str]
    projects: frozenset[str]
    words: frozenset[str]
    ordinals: frozenset[int] = frozenset()
    bodies: frozenset[str] = frozenset()
    sectors: frozenset[str] = frozenset()
    doc: str = ""


@dataclass(frozen=True)
class Link:
    """Two items joined (``a < b``, item indexes): the pair whose score merged
    their clusters. ``cosine`` is None without the embedding model."""

    a: int
    b: int
    score: float
    cosine: float | None
    overlap: float


@dataclass
class _Cluster:
    members: list[int]
    party_sets: set[frozenset[str]] = field(default_factory=set)
    sector_sets: set[frozenset[str]] = field(default_factory=set)
    ordinals: frozenset[int] = frozenset()
    bodies: frozenset[str] = frozenset()
    total: npt.NDArray[np.float32] | None = None


def _compatible_parties(a: frozenset[str], b: frozenset[str]) -> bool:
    return a == b or a <= b or b <= a


def _jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)


def _bar(t: float, p: ClusterParams, a: Item, b: Item) -> float:
    return t + p.same_document if a.doc and a.doc == b.doc else t


def _linkable(a: Item, b: Item) -> bool:
    if not _compatible_parties(a.parties, b.parties):
        return False
    if a.sectors and b.sectors and not (a.sectors & b.sectors):
        return False
    return not (a.ordinals and b.ordinals and a.ordinals != b.ordinals)


def _can_merge(a: _Cluster, b: _Cluster) -> bool:
    if a.ordinals and b.ordinals and a.ordinals != b.ordinals:
        return False
    if a.bodies and b.bodies and not (a.bodies & b.bodies):
        return False
    if any(x and y and not (x & y) for x in a.sector_sets for y in b.sector_sets):
        return False
    return all(_compatible_parties(x, y) for x in a.party_sets for y in b.party_sets)


def cluster(items: list[Item], vectors: npt.NDArray[np.float32] | None,
            params: ClusterParams | None = None) -> list[list[int]]:
    """Groups of item indexes (each sorted; groups by their first index)."""
    return cluster_links(items, vectors, params)[0]


def cluster_links(items: list[Item], vectors: npt.NDArray[np.float32] | None,
                  params: ClusterParams | None = None
                  ) -> tuple[list[list[int]], list[Link]]:
    """The groups of :func:`cluster` and the links that made them (in the order
    they were taken: best first)."""
    p = params or ClusterParams()
    n = len(items)
    blocks: dict[frozenset[str], list[int]] = {}
    for i, it in enumerate(items):
        blocks.setdefault(it.projects, []).append(i)
    edges: list[tuple[float, int, int, float | None, float]] = []
    for projects, idx in blocks.items():
        t = (p.threshold_project if projects else p.threshold) if vectors is not None else (
            p.lexical_threshold_project if projects else p.lexical_threshold)
        if vectors is not None:
            floor = (t - (1 - p.cos_weight)) / p.cos_weight  # cosine below it cannot reach t
            block = vectors[idx]
            for lo in range(0, len(idx), _CHUNK):
                sims = block[lo:lo + _CHUNK] @ block.T  # rows lo.., all columns
                rows, cols = np.nonzero(np.triu(sims >= floor, k=lo + 1))
                for r, c in zip(rows.tolist(), cols.tolist(), strict=True):
                    i, j = idx[lo + r], idx[c]
                    lex = _jaccard(items[i].words, items[j].words)
                    score = p.cos_weight * float(sims[r, c]) + (1 - p.cos_weight) * lex
                    if score >= _bar(t, p, items[i], items[j]) and _linkable(items[i], items[j]):
                        edges.append((score, i, j, float(sims[r, c]), lex))
        else:
            by_word: dict[str, list[int]] = {}
            for i in idx:
                for w in items[i].words:
                    by_word.setdefault(w, []).append(i)
            for i in idx:
                seen = {j for w in items[i].words for j in by_word[w] if j > i}
                for j in sorted(seen):
                    score = _jaccard(items[i].words, items[j].words)
                    if score >= _bar(t, p, items[i], items[j]) and _linkable(items[i], items[j]):
                        edges.append((score, i, j, None, score))
    edges.sort(key=lambda e: (-e[0], e[1], e[2]))
    owner = list(range(n))
    clusters: dict[int, _Cluster] = {
        i: _Cluster([i], {it.parties}, {it.sectors}, it.ordinals, it.bodies,
                    None if vectors is None else vectors[i].astype(np.float32).copy())
        for i, it in enumerate(items)
    }
    links: list[Link] = []
    for score, i, j, cos, lex in edges:
        ci, cj = owner[i], owner[j]
        if ci == cj:
            continue
        a, b = clusters[ci], clusters[cj]
        if not _can_merge(a, b):
            continue
        if a.total is not None and b.total is not None:
            avg = float(a.total @ b.total) / (len(a.members) * len(b.members))
            if avg < p.average:
                continue
        links.append(Link(i, j, round(score, 4), None if cos is None else round(cos, 4),
                          round(lex, 4)))
        keep, gone = (ci, cj) if ci < cj else (cj, ci)
        ka, kb = clusters[keep], clusters[gone]
        ka.members += kb.members
        ka.party_sets |= kb.party_sets
        ka.sector_sets |= kb.sector_sets
        ka.ordinals = ka.ordinals | kb.ordinals
        ka.bodies = ka.bodies | kb.bodies
        if ka.total is not None and kb.total is not None:
            ka.total = ka.total + kb.total
        for m in kb.members:
            owner[m] = keep
        del clusters[gone]
    return [sorted(c.members) for _, c in sorted(clusters.items())], links
