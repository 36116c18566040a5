"""Recording a checked claim: as a new check, or as a new run of an earlier one.

A claim already checked (same wording, see ``claim_key``; or an automatic
match, ``match_claims``: the same claim reworded, agreeing on every detail)
is saved as a new run of that check, so its history shows how the verdict
moved as the pool grew. A close but different claim gets its own check,
linked to the earlier one as a suggestion.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .facts import claim_facts
from .matching import AUTO_MATCH, ClaimMatch, claim_key, match_claims

if TYPE_CHECKING:
    from ..embed import Embedder
    from ..store.base import CheckStore
    from .verdict import Verdict

__all__ = ["record_check"]


def record_check(store: CheckStore, claim: str, verdict: Verdict, embedder: Embedder) -> int:
    """Save ``verdict`` of ``claim`` (in the store's own transactions); its check id.

    Sets ``verdict.matches`` (the earlier checks the claim matched, best first)
    and ``verdict.check_id``.
    """
    model = embedder.model_id
    vector = embedder.embed([claim])[0]
    key = claim_key(claim)
    existing = store.find_check(key)
    matches: list[ClaimMatch] = []
    if existing is None:
        stored = store.check_vectors(model)
        # only a claim close enough for an automatic match needs its facts compared
        near = [s for s in stored if float(s[2] @ vector) >= AUTO_MATCH]
        facts = claim_facts(claim)
        matches = match_claims(facts, vector, stored,
                               {cid: claim_facts(text) for cid, text, _ in near})
    auto = next((m for m in matches if m.kind == "auto"), None)
    if auto is not None:
        existing = store.get_check(auto.check_id)
    verdict.matches = [m.__dict__ for m in matches]
    check_id = store.save_check(
        claim=existing.claim if existing else claim,
        claim_key=claim_key(existing.claim) if existing else key,
        model=model, vector=None if existing else vector, verdict=verdict.verdict,
        confidence=verdict.confidence, reason=verdict.reason, result=verdict.to_dict(),
        judge=verdict.judge)
    for m in matches:
        if m.kind == "suggested" and m.check_id != check_id:
            store.link_claims(check_id, m.check_id, "suggested", m.similarity)
    verdict.check_id = check_id
    return check_id
