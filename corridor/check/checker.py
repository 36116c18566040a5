"""Check one claim against the store: retrieve, judge each unit of evidence, aggregate."""

from __future__ import annotations

import re
import threading
from collections.abc import Sequence

import numpy as np

from ..embed import Embedder, get_embedder
from ..store.base import SearchFilters, SentenceHit, Store
from .evidence import build_units, retrieve
from .facts import Facts, claim_facts
from .features import compare
from .judge import Judge, Judgement, load_judge
from .verdict import Verdict, aggregate, combine

__all__ = ["Checker", "WordVectors", "split_claim"]

#: a new clause with its own subject: ", and the minister said", "; China"
_CLAUSE = re.compile(r"(?:,\s*and|;\s*and|;|,\s*while|\.\s+)\s+(?=(?:the\s+|The\s+)?[A-Z])")


def split_claim(claim: str) -> list[str]:
    """The independent clauses of a compound claim (the claim itself when simple)."""
    parts = [p.strip(" ,;.") for p in _CLAUSE.split(claim)]
    parts = [p for p in parts if p]
    if len(parts) < 2 or any(len(p.split()) < 4 for p in parts):
        return [claim]
    return [p + "." for p in parts]


class WordVectors:
    """Embeddings of single words (for soft word matching), cached per process."""

    def __init__(self, embedder: Embedder, max_size: int = 50_000) -> None:
        self.embedder = embedder
        self.max_size = max_size
        self._cache: dict[str, np.ndarray] = {}
        self._lock = threading.Lock()

    def vectors(self, words: Sequence[str]) -> np.ndarray:
        with self._lock:
            todo = [w for w in dict.fromkeys(words) if w not in self._cache]
            if todo:
                if len(self._cache) + len(todo) > self.max_size:
                    self._cache.clear()
                for w, v in zip(todo, self.embedder.embed(todo), strict=True):
                    self._cache[w] = v
            return np.stack([self._cache[w] for w in words]) if words else np.zeros((0, 1))

    def similarity(self, a: Sequence[str], b: Sequence[str]) -> np.ndarray:
        """Cosine matrix (len(a), len(b))."""
        sims: np.ndarray = self.vectors(a) @ self.vectors(b).T
        return sims


_WORDS: WordVectors | None = None


def word_vectors(embedder: Embedder) -> WordVectors:
    global _WORDS
    if _WORDS is None or _WORDS.embedder is not embedder:
        _WORDS = WordVectors(embedder)
    return _WORDS


class Checker:
    def __init__(self, store: Store, judge: Judge | None = None,
                 embedder: Embedder | None = None) -> None:
        self.store = store
        self.judge = judge or load_judge()
        self.embedder = embedder or get_embedder()
        self.words = word_vectors(self.embedder)

    def judge_units(self, claim: str, facts: Facts, vector: np.ndarray,
                    hits: Sequence[SentenceHit]) -> list[tuple[object, Judgement]]:
        units = build_units(self.store, facts, hits, {})
        texts = list(dict.fromkeys(s.text for u in units for s in u.sentences))
        sims: dict[str, float] = {}
        if texts:
            vecs = self.embedder.embed(texts)
            sims = {t: float(v @ vector) for t, v in zip(texts, vecs, strict=True)}
        judged: list[tuple[object, Judgement]] = []
        for u in units:
            u.sim = max(sims.get(s.text, 0.0) for s in u.cited)
            features = compare(facts, u.facts, u.sim, self.words.similarity)
            judged.append((u, self.judge.judge(features)))
        return judged

    def check(self, claim: str, filters: SearchFilters | None = None) -> Verdict:
        """The verdict on ``claim``; a compound claim ("X met Y, and Z signed W") is
        checked part by part: refuted when a part is, supported when all are."""
        claim = " ".join(claim.split())
        parts = split_claim(claim)
        if len(parts) == 1:
            return self._check_one(claim, filters)
        verdicts = [self._check_one(p, filters) for p in parts]
        return combine(claim, verdicts)

    def _check_one(self, claim: str, filters: SearchFilters | None = None) -> Verdict:
        facts = claim_facts(claim)
        vector = self.embedder.embed([claim])[0]
        hits = retrieve(self.store, claim, vector, self.embedder.model_id, facts,
                        filters or SearchFilters())
        judged = self.judge_units(claim, facts, vector, hits)
        return aggregate(claim, judged, self.judge.version)  # type: ignore[arg-type]
