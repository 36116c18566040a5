"""Claim matching: is a new claim one that was already checked?

Two thresholds on the cosine of the claims' embeddings:

- ``AUTO_MATCH`` (0.93): the same claim reworded. It is recorded as a new run
  of the earlier check (its history) — but only when the two claims agree on
  every checkable detail (people, places, dates, ordinals, numbers, negation):
  "the third meeting" and "the fourth meeting" embed almost identically and
  are different claims, so a detail mismatch demotes the match to a suggestion.
- ``SUGGEST_MATCH`` (0.80): probably related; the new claim gets its own
  check, linked to the earlier one as a suggestion for the user.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from .facts import Facts
from .features import compare, entity_present

__all__ = ["AUTO_MATCH", "SUGGEST_MATCH", "ClaimMatch", "claim_key", "match_claims"]

AUTO_MATCH = 0.93
SUGGEST_MATCH = 0.80


@dataclass
class ClaimMatch:
    check_id: int
    claim: str
    similarity: float
    kind: str  # auto | suggested
    differs: str | None = None  # the detail that kept it from an auto match


def claim_key(claim: str) -> str:
    """The identity of a claim's wording: lower case, words only."""
    return " ".join(re.findall(r"\w+", claim.lower()))


def _detail_difference(a: Facts, b: Facts) -> str | None:
    """Why two claims differ in a checkable detail (None when they agree)."""
    for one, other in ((a, b), (b, a)):
        feats = compare(one, other, 1.0)
        bad = feats.mismatches + feats.unstated
        if bad:
            return bad[0].message()
        missing = [e.name for e in one.entities if not entity_present(e, other)]
        if missing:
            return f"only one claim names {missing[0]}"
    return None


def match_claims(
    facts: Facts, vector: np.ndarray, stored: list[tuple[int, str, np.ndarray]],
    facts_of: dict[int, Facts],
) -> list[ClaimMatch]:
    """Stored checks similar to the claim, best first (``facts_of``: their claims' facts)."""
    if not stored:
        return []
    matrix = np.stack([v for _, _, v in stored])
    sims = matrix @ vector
    out = []
    for i in np.argsort(-sims):
        sim = float(sims[i])
        if sim < SUGGEST_MATCH:
            break
        check_id, claim, _ = stored[int(i)]
        kind, differs = "suggested", None
        if sim >= AUTO_MATCH and check_id in facts_of:
            differs = _detail_difference(facts, facts_of[check_id])
            kind = "auto" if differs is None else "suggested"
        out.append(ClaimMatch(check_id, claim, round(sim, 4), kind, differs))
    return out
