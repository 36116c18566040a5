"""Evidence selection: candidate sentences for a claim, and the units the judge reads.

Candidates come from three retrievers fused by reciprocal rank: BM25 over
sentences (the claim's words OR-ed), vector search (claim embedding), and an
entity filter (sentences whose extracted mentions include the claim's
entities). Each candidate is judged alone and with the sentence before it
(so "He said ..." or "co-chaired the meeting" read with what they refer to),
and pairs of candidates that each bring part of the claim are judged together
(claims that need two sentences or two articles).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Protocol

import numpy as np

from ..search import rrf
from ..store.base import (
    FactStore,
    SearchFilters,
    SentenceHit,
    SentenceStore,
    StoredDocument,
)
from .facts import Facts, evidence_facts
from .features import entity_present
from .reading import model_readings


class EvidenceStore(SentenceStore, FactStore, Protocol):
    """What gathering evidence reads: sentences, their vectors and mentions, events, and
    an article's whole text (does it name a person at all?)."""

    def get_document(self, doc_id: str) -> StoredDocument: ...

__all__ = ["Candidate", "EvidenceStore", "Unit", "build_units", "retrieve"]

#: how many fused candidates are judged
CANDIDATES = 14
#: how many of them may be combined two by two
COMBINE = 7
#: at most this many combinations are judged (the best-ranked pairs first): each is a
#: long input for the judge, and a claim one sentence with its predecessor cannot
#: settle is rarely settled by the 9th-best pair
MAX_COMBINED = 8
PER_RETRIEVER = 40
#: the best of each retriever is always judged
TOP_EACH = 4


@dataclass
class Candidate:
    hit: SentenceHit
    previous: SentenceHit | None
    score: float  # fused retrieval score
    sim: float = 0.0  # cosine of claim and sentence embeddings


@dataclass
class Unit:
    """Sentences judged together as one piece of evidence (cited: ``cited``)."""

    sentences: list[SentenceHit]
    cited: list[SentenceHit]
    sim: float
    facts: Facts = field(repr=False, default=None)  # type: ignore[assignment]
    #: two candidates judged together (not a sentence with its predecessor)
    combined: bool = False
    #: sentences cited only as context (the sentence before the cited one)
    context: set[tuple[str, int]] = field(default_factory=set)
    #: each sentence as the model reads it (``reading``), when the record adds to it
    readings: dict[tuple[str, int], str] = field(default_factory=dict, repr=False)

    @property
    def text(self) -> str:
        """What the model reads: the unit's sentences in the order of their article."""
        return " ".join(s.text for s in self.sentences)

    @property
    def model_text(self) -> str:
        """What the model reads: ``text`` with what the record adds to each sentence
        (``readings``: the day of "today", the person behind an opening "He")."""
        return " ".join(self.readings.get(s.key, s.text) for s in self.sentences)

    @property
    def docs(self) -> set[str]:
        return {s.doc_id for s in self.cited}

    @property
    def keys(self) -> set[tuple[str, int]]:
        return {s.key for s in self.sentences}


def retrieve(
    store: EvidenceStore, claim: str, vector: np.ndarray | None, model: str | None, facts: Facts,
    filters: SearchFilters, limit: int = CANDIDATES,
) -> list[SentenceHit]:
    """Candidate evidence sentences for ``claim``, best first.

    The fused top ``limit``, plus the top ``TOP_EACH`` of every retriever (a
    sentence that only one retriever ranks first still gets judged).
    """
    from ..domain import load_pack

    lists: list[list[SentenceHit]] = []
    lists.append(store.sentence_search(claim, filters, PER_RETRIEVER, any_term=True))
    if vector is not None and model is not None:
        lists.append(store.vector_search(model, vector, filters, PER_RETRIEVER))
    # the entity filter: countries are in nearly every sentence, so they only
    # count when the claim names nothing more specific
    entities = load_pack().entities
    ids = [e.id for e in facts.entities if e.id]
    specific = [i for i in ids if getattr(entities.get(i), "kind", "") != "country"]
    if specific or ids:
        keys = store.sentences_mentioning(specific or ids, filters, PER_RETRIEVER)
        lists.append(store.get_sentences(keys))
    fused = rrf(lists)
    picked = fused[:limit]
    have = {h.key for h in picked}
    for hits in lists:
        for h in hits[:TOP_EACH]:
            if h.key not in have:
                have.add(h.key)
                picked.extend(f for f in fused if f.key == h.key)
    return picked


def build_units(
    store: EvidenceStore, claim: Facts, hits: Sequence[SentenceHit],
    sims: dict[tuple[str, int], float],
) -> list[Unit]:
    """Single sentences, sentences with their predecessor, and combinations of two."""
    prev_keys = [(h.doc_id, h.idx - 1) for h in hits if h.idx > 0]
    previous = {s.key: s for s in store.get_sentences(prev_keys)}
    all_keys = [h.key for h in hits] + list(previous)
    records = store.sentence_records(all_keys)
    readings = model_readings(store, claim, [*hits, *previous.values()], records)
    units: list[Unit] = []
    for h in hits:
        sim = sims.get(h.key, 0.0)
        units.append(Unit([h], [h], sim))
        prev = previous.get((h.doc_id, h.idx - 1))
        if prev is not None:
            units.append(Unit([prev, h], [prev, h], max(sim, sims.get(prev.key, 0.0)),
                              context={prev.key}))
    for u in units:
        u.facts = evidence_facts(u.sentences, records)
        u.readings = readings
    # combinations: two candidates that each cover claim entities the other lacks
    base = units[: 2 * COMBINE]
    coverage = [{i for i, e in enumerate(claim.entities) if entity_present(e, u.facts)}
                for u in base]
    extra: list[Unit] = []
    seen: set[frozenset[tuple[str, int]]] = {frozenset(u.keys) for u in units}
    for i, u in enumerate(base):
        for j in range(i + 1, len(base)):
            v = base[j]
            # evidence integrity: only sentences of one article are read as one piece of
            # evidence; a claim that needs two articles is split into its clauses, and
            # each clause must be settled by an article of its own
            if u.keys & v.keys or u.docs != v.docs:
                continue
            if not (coverage[i] - coverage[j]) or not (coverage[j] - coverage[i]):
                continue
            sentences = sorted([*u.sentences, *v.sentences], key=lambda s: (s.doc_id, s.idx))
            key = frozenset(s.key for s in sentences)
            if key in seen:
                continue
            seen.add(key)
            unit = Unit(sentences, [*u.cited, *v.cited], min(u.sim, v.sim), combined=True,
                        context=u.context | v.context)
            unit.facts = evidence_facts(sentences, records)
            unit.facts.focus_start = 0  # every part is a cited sentence
            unit.readings = readings
            extra.append(unit)
            if len(extra) >= MAX_COMBINED:
                return units + extra
    return units + extra
