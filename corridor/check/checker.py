"""Check one claim against the store: retrieve, judge each unit of evidence, aggregate."""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np

from ..embed import Embedder, get_embedder, text_hash
from ..store.base import SearchFilters, SentenceHit, Store
from .evidence import Unit, build_units, retrieve
from .facts import Facts, claim_facts
from .features import compare
from .judge import Judge, Judgement, load_judge
from .verdict import Verdict, aggregate, combine

__all__ = ["Checker", "split_claim"]

#: a new clause with its own subject: ", and the minister said", "; China"
_CLAUSE = re.compile(r"(?:,\s*and|;\s*and|;|,\s*while|\.\s+)\s+(?=(?:the\s+|The\s+)?[A-Z])")


def split_claim(claim: str) -> list[str]:
    """The independent clauses of a compound claim (the claim itself when simple)."""
    parts = [p.strip(" ,;.") for p in _CLAUSE.split(claim)]
    parts = [p for p in parts if p]
    if len(parts) < 2 or any(len(p.split()) < 4 for p in parts):
        return [claim]
    return [p + "." for p in parts]


class Checker:
    def __init__(self, store: Store, judge: Judge | None = None,
                 embedder: Embedder | None = None) -> None:
        self.store = store
        self.judge = judge or load_judge()
        self.embedder = embedder or get_embedder()

    def judge_units(self, claim: str, facts: Facts, vector: np.ndarray,
                    hits: Sequence[SentenceHit]) -> list[tuple[Unit, Judgement]]:
        """Every unit of evidence judged: one batched model call for all of them."""
        units = build_units(self.store, facts, hits, {})
        if not units:
            return []
        sims = self._similarities(units, vector)
        features = []
        for u in units:
            u.sim = max(sims.get(s.text, 0.0) for s in u.cited)
            features.append(compare(facts, u.facts, u.sim))
        judged = self.judge.judge_many(claim, [u.text for u in units], features)
        return list(zip(units, judged, strict=True))
    def _similarities(self, units: Sequence[Unit], vector: np.ndarray) -> dict[str, float]:
        """Cosine of the claim and each sentence: the vectors stored at ingest (keyed by
        the SHA-256 of the text), the model only for sentences without one."""
        texts = list(dict.fromkeys(s.text for u in units for s in u.sentences))
        keys = {t: text_hash(t) for t in texts}
        stored = self.store.vectors_by_hash(self.embedder.model_id, list(keys.values()))
        missing = [t for t in texts if keys[t] not in stored]
        vecs = dict(zip(missing, self.embedder.embed(missing), strict=True)) if missing else {}
        return {t: float((stored[keys[t]] if keys[t] in stored else vecs[t]) @ vector)
                for t in texts}

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
        return aggregate(claim, judged, self.judge.version)
