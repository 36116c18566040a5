"""Keyword, semantic and hybrid retrieval of sentences over a Store.

- ``keyword``: BM25 over the sentence index (FTS5), words AND-ed as typed
  (``any_term=True`` ORs them, for long queries such as claims);
- ``semantic``: cosine similarity of all-MiniLM-L6-v2 sentence vectors (the
  stored int8-model vectors find twice the candidates asked for; exact MiniLM
  re-ranks them);
- ``hybrid``: both lists fused by reciprocal rank (RRF, k=60): a sentence's
  score is the sum over lists of 1 / (k + rank). RRF needs no score
  normalisation, so BM25 and cosine values never have to be made comparable.

Results are ``SentenceHit``s: the sentence, its offsets and its document.
"""

from __future__ import annotations

from collections.abc import Sequence

from .errors import ConfigError
from .store.base import SearchFilters, SentenceHit, SentenceStore

__all__ = ["MODES", "RRF_K", "hybrid", "keyword", "rrf", "search_sentences", "semantic"]

MODES = ("keyword", "semantic", "hybrid")
RRF_K = 60
#: semantic search re-ranks this many times the results asked for (``semantic``)
RERANK_DEPTH = 2
_NAMES = ("keyword", "semantic", "entity")


def rrf(lists: Sequence[Sequence[SentenceHit]], k: int = RRF_K,
        names: Sequence[str] = _NAMES) -> list[SentenceHit]:
    """Fuse ranked lists: score = sum of 1 / (k + rank); ties keep first-seen order."""
    fused: dict[tuple[str, int], SentenceHit] = {}
    scores: dict[tuple[str, int], float] = {}
    for n, hits in enumerate(lists):
        name = names[n] if n < len(names) else f"list{n}"
        for rank, hit in enumerate(hits, 1):
            key = hit.key
            if key not in fused:
                fused[key] = SentenceHit(**{**hit.__dict__, "ranks": {}, "highlights":
                                            list(hit.highlights)})
            elif hit.highlights and not fused[key].highlights:
                fused[key].highlights = list(hit.highlights)
            fused[key].ranks[name] = rank
            scores[key] = scores.get(key, 0.0) + 1.0 / (k + rank)
    order = sorted(fused, key=lambda key: -scores[key])
    out = []
    for key in order:
        hit = fused[key]
        hit.score = scores[key]
        out.append(hit)
    return out


def keyword(store: SentenceStore, query: str, filters: SearchFilters, limit: int = 20,
            any_term: bool = False) -> list[SentenceHit]:
    hits = store.sentence_search(query, filters, limit, any_term=any_term)
    for rank, h in enumerate(hits, 1):
        h.ranks = {"keyword": rank}
    return hits


def semantic(
    store: SentenceStore, query: str, filters: SearchFilters, limit: int = 20,
    exact: bool = False,
) -> list[SentenceHit]:
    """Sentences by cosine of their stored (int8-model) vectors with the query's. With
    ``exact``, ``RERANK_DEPTH`` times as many candidates are re-ranked by exact MiniLM
    (fp32 arithmetic) vectors of the query and of each candidate, computed now: the
    stored vectors order near-ties differently, so this gives exact MiniLM's top 10 (0.998
    of it in ``bench/embed_bench.py``) for ~20 model runs per query."""
    from .embed import get_embedder, get_exact_embedder

    embedder = get_embedder()
    vector = embedder.embed([query])[0]
    depth = limit * RERANK_DEPTH if exact else limit
    hits = store.vector_search(embedder.model_id, vector, filters, depth)
    if exact and len(hits) > 1:
        vecs = get_exact_embedder().embed([query] + [h.text for h in hits])
        scores = vecs[1:] @ vecs[0]
        for h, score in zip(hits, scores, strict=True):
            h.score = float(score)
        hits = sorted(hits, key=lambda h: -h.score)[:limit]
    for rank, h in enumerate(hits, 1):
        h.ranks = {"semantic": rank}
    return hits


def hybrid(store: SentenceStore, query: str, filters: SearchFilters,
           limit: int = 20) -> list[SentenceHit]:
    """BM25 (words OR-ed) and vectors, fused by RRF; each list is read 3x deeper."""
    depth = max(3 * limit, 30)
    lists = [keyword(store, query, filters, depth, any_term=True),
             semantic(store, query, filters, depth)]
    return rrf(lists)[:limit]


def search_sentences(store: SentenceStore, query: str, mode: str = "hybrid",
                     filters: SearchFilters | None = None, limit: int = 20) -> list[SentenceHit]:
    """Sentences for ``query`` with ``mode`` keyword, semantic or hybrid."""
    filters = filters or SearchFilters()
    if mode not in MODES:
        raise ConfigError(f"search mode must be one of {', '.join(MODES)}, not {mode!r}")
    if not query.strip():
        return []
    if mode == "keyword":
        return keyword(store, query, filters, limit)
    if mode == "semantic":
        return semantic(store, query, filters, limit, exact=True)
    return hybrid(store, query, filters, limit)
