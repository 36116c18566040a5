"""Check one claim against the store: retrieve, judge each unit of evidence, aggregate."""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np

from ..embed import Embedder, get_embedder, text_hash
from ..store.base import SearchFilters, SentenceHit, SentenceMention, StoredDocument
from .evidence import EvidenceStore, Unit, build_units, retrieve
from .facts import Facts, claim_facts
from .features import compare, named_anywhere
from .judge import Judge, Judgement, load_judge
from .order import check_order, ordering
from .posts import as_read
from .reading import with_claim_names
from .verdict import SUPPORT_AT, Verdict, aggregate, combine

__all__ = ["Checker", "split_claim"]

#: a new clause with its own subject: ", and the minister said", "; China"
_CLAUSE = re.compile(r"(?:,\s*and|;\s*and|;|,\s*while|\.\s+)\s+(?=(?:the\s+|The\s+)?[A-Z])")


#: one predicate over two settings: "P both at A and at B" is "P at A" and "P at B"
_PREP = r"(?:at|in|on|during|with|for|by|to|from|under|between)"
_BOTH = re.compile(rf"^(?P<head>.+?)\s+both\s+(?P<a>{_PREP}\s+.+?)\s+and\s+"
                   rf"(?P<b>{_PREP}\s+.+?)\s*[.!?]?$", re.IGNORECASE)


#: the articles a check has read: document and mentions by document id
_Articles = dict[str, tuple[StoredDocument, list[SentenceMention]]]

#: a personal pronoun: before any name, it speaks of someone the article leaves unnamed
_PRONOUN = re.compile(r"(?<![\w-])(?:he|she|him|his|her|hers)(?![\w-])", re.IGNORECASE)


def split_claim(claim: str) -> list[str]:
    """The independent parts of a compound claim (the claim itself when simple): clauses
    with their own subject, and one predicate said of two settings ("both at A and at
    B"), each part to be settled by an article of its own."""
    both = _BOTH.match(claim)
    if both and len(both["head"].split()) >= 2:
        return [f"{both['head']} {both['a']}.", f"{both['head']} {both['b']}."]
    parts = [p.strip(" ,;.") for p in _CLAUSE.split(claim)]
    parts = [p for p in parts if p]
    if len(parts) < 2 or any(len(p.split()) < 4 for p in parts):
        return [claim]
    return [p + "." for p in parts]


def _supports_whole(j: Judgement) -> bool:
    """A support that names every entity of the claim (nothing left for a combination)."""
    return (j.label == "supports" and j.p_supports >= SUPPORT_AT
            and j.features.values.get("ent_missing", 0.0) == 0.0)


class Checker:
    def __init__(self, store: EvidenceStore, judge: Judge | None = None,
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
        # sentences (alone and with their predecessor) first; combinations of two
        # sentences only ever lend support (``verdict.aggregate``), so they are read only
        # when no sentence already supports the whole claim on its own
        singles = self._judge(claim, facts, [u for u in units if not u.combined], sims)
        combos = [u for u in units if u.combined]
        if combos and not any(_supports_whole(j) for _, j in singles):
            return singles + self._judge(claim, facts, combos, sims)
        return singles

    def _judge(self, claim: str, facts: Facts, units: list[Unit],
               sims: dict[str, float]) -> list[tuple[Unit, Judgement]]:
        features = []
        for u in units:
            u.sim = max(sims.get(s.text, 0.0) for s in u.cited)
            features.append(compare(facts, u.facts, u.sim))
        judged = self.judge.judge_many(
            claim, [with_claim_names(u.model_text, facts) for u in units], features)
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
        order = ordering(as_read(claim))
        if order is not None:
            # "X took place before Y": the two events dated by the record, when it can
            settled = check_order(self.store, claim, order, self.embedder.embed,
                                  self.embedder.model_id, filters or SearchFilters(),
                                  self.judge.version)
            if settled is not None:
                return settled
        parts = split_claim(claim)
        if len(parts) == 1:
            return self._check_one(claim, filters)
        verdicts = [self._check_one(p, filters) for p in parts]
        return combine(claim, verdicts)

    def _check_one(self, claim: str, filters: SearchFilters | None = None) -> Verdict:
        # the statement is read without what a post adds to it ("BREAKING:", flags,
        # hashtags); the verdict keeps the claim as it was given
        text = as_read(claim)
        facts = claim_facts(text)
        vector = self.embedder.embed([text])[0]
        hits = retrieve(self.store, text, vector, self.embedder.model_id, facts,
                        filters or SearchFilters())
        judged = self.judge_units(text, facts, vector, hits)
        articles: _Articles = {}
        return aggregate(claim, judged, self.judge.version,
                         self._unnamed(facts, judged, articles),
                         self._subject_unnamed(facts, judged, articles))

    def _article(self, articles: _Articles,
                 doc_id: str) -> tuple[StoredDocument, list[SentenceMention]]:
        """An article's stored document and mentions, read once per check for both
        article tests (``_unnamed``, ``_subject_unnamed``)."""
        if doc_id not in articles:
            articles[doc_id] = (self.store.get_document(doc_id),
                                self.store.document_mentions(doc_id))
        return articles[doc_id]

    def _subject_unnamed(self, facts: Facts, judged: Sequence[tuple[Unit, Judgement]],
                         articles: _Articles) -> frozenset[str]:
        """The articles read as contradicting the claim that never name its subject: the
        first person, body, place or project it names ("Saudi Arabia" in "Saudi Arabia
        joins CPEC"), in any of its forms, in the title or the text. Only an article with
        a title counts: an untitled fragment may be about a subject named elsewhere (an
        encyclopedia sentence without its page's name: "He is the drummer of ...")."""
        if not facts.entities:
            return frozenset()
        subject = facts.entities[0]
        docs = {d for u, j in judged if j.label == "refutes" for d in u.docs}
        out = set()
        for doc_id in sorted(docs):
            doc, mentions = self._article(articles, doc_id)
            if not doc.title:
                continue
            ids = {m.entity_id for m in mentions if m.entity_id}
            if not named_anywhere(subject, ids, f"{doc.title}\n{doc.text}"):
                out.add(doc_id)
        return frozenset(out)

    def _unnamed(self, facts: Facts, judged: Sequence[tuple[Unit, Judgement]],
                 articles: _Articles) -> dict[str, list[str]]:
        """For each article that would support the claim: the persons of the claim it
        never names, when it names other persons (a report that names the President and
        his hosts but never Hashmi cannot say that Hashmi went). An article that speaks
        of someone by a pronoun before it names anyone ("He is the drummer of the band
        ...") may be about the claim's person: that is the model's call."""
        persons = facts.persons()
        docs = {d for u, j in judged if j.label == "supports" for d in u.docs}
        if not persons or not docs:
            return {}
        out: dict[str, list[str]] = {}
        for doc_id in sorted(docs):
            doc, mentions = self._article(articles, doc_id)
            text = doc.text
            named = [m.start for m in mentions
                     if m.label == "PERSON" or (m.entity_id or "").startswith("person:")]
            pronoun = _PRONOUN.search(text)
            if not named or (pronoun is not None and pronoun.start() < min(named)):
                continue
            ids = {m.entity_id for m in mentions if m.entity_id}
            missing = [p.name for p in persons if not named_anywhere(p, ids, text)]
            if missing:
                out[doc_id] = missing
        return out
