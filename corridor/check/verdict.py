"""From judged evidence to a verdict about the record, with its reason and citations.

- SUPPORTED: some evidence supports the claim (the judge's label, with
  p >= ``SUPPORT_AT``: more likely than the other two readings together) and
  none from another document refutes it;
- REFUTED: some evidence contradicts it (p >= ``REFUTE_AT``), about the same
  thing (it shares a person, a body, a project, a matched detail or half the
  claim's words with it: a contradiction needs a common subject), and none
  from another document supports it;
- CONFLICTING: one document supports it and another refutes it;
- NOT_ENOUGH_INFO: otherwise, including on-topic evidence that is silent
  about a detail the claim adds (an amount, a venue, a date), and support
  read in an article that names other persons but never one the claim
  names ("X accompanied the President" against a report without X).

When support and refutation come from the same document the stronger one
wins. The evidence cited is the least that settles the claim: a unit naming
every entity of the claim, then a single sentence before a sentence read
with its predecessor. A sentence that, read alone, states another value than
the claim never lends support to a unit it is part of. The confidence is the
judge's (calibrated) probability for the winning class (for NOT_ENOUGH_INFO:
one minus the best support or refutation probability). Verdicts are
attributed: "per APP, 6 Feb 2025".
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any
from urllib.parse import urlparse

from ..store.base import SentenceHit
from .evidence import Unit
from .judge import UNNAMED_REFUTE_AT, VETO_MISMATCH, Judgement

__all__ = ["REFUTE_AT", "SUPPORT_AT", "UNNAMED_REFUTE_AT", "Cited", "Verdict", "aggregate",
           "attribution", "cite", "combine"]

SUPPORT_AT = 0.5
REFUTE_AT = 0.5
#: a contradiction the record cannot name (no detail of the claim found stated
#: otherwise: the model's reading alone) must be the likelier reading by a margin
#: (WEAK_REFUTE_AT) and, below UNNAMED_REFUTE_AT, must stand unopposed: any support
#: the same article gives overrules it
WEAK_REFUTE_AT = 0.65
#: how much less similar to the claim than its article's closest sentence a weak
#: contradiction's sentence may be (cosine)
CLOSEST_SLACK = 0.02
#: two sentences of an article that are not neighbours, judged together, must do better
COMBINED_SUPPORT_AT = 0.5
VERDICTS = ("SUPPORTED", "REFUTED", "CONFLICTING", "NOT_ENOUGH_INFO")


@dataclass
class Cited:
    """A cited evidence sentence: where it is and what it does for the claim."""

    doc_id: str
    start: int
    end: int
    sentence: str
    stance: str  # supports | refutes | context
    probability: float
    title: str | None = None
    source: str | None = None
    published: str | None = None
    url: str | None = None
    attribution: str = ""


@dataclass
class Verdict:
    claim: str
    verdict: str
    confidence: float
    reason: str
    evidence: list[Cited] = field(default_factory=list)
    findings: list[dict[str, str | None]] = field(default_factory=list)
    judge: str = ""
    check_id: int | None = None
    matches: list[dict[str, Any]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Verdict:
        evidence = [Cited(**c) for c in data.get("evidence", [])]
        rest = {k: v for k, v in data.items() if k != "evidence" and k in cls.__dataclass_fields__}
        return cls(evidence=evidence, **rest)


def _source_name(hit: SentenceHit) -> str:
    if hit.source:
        return hit.source
    if hit.url:
        host = urlparse(hit.url).hostname or ""
        return host.removeprefix("www.") or hit.url
    return hit.title or f"document {hit.doc_id}"


def _date_text(iso: str | None) -> str:
    if not iso:
        return "undated"
    try:
        d = date.fromisoformat(iso[:10])
    except ValueError:
        return iso
    return f"{d.day} {d.strftime('%b')} {d.year}"


def attribution(hit: SentenceHit) -> str:
    """"per APP, 6 Feb 2025"."""
    return f"per {_source_name(hit)}, {_date_text(hit.published)}"


def _attr_of(unit: Unit) -> str:
    seen: dict[str, None] = {}
    for s in unit.cited:
        seen[attribution(s)] = None
    return "; ".join(seen)


def cite(hit: SentenceHit, stance: str, p: float) -> Cited:
    return Cited(doc_id=hit.doc_id, start=hit.start, end=hit.end, sentence=hit.text,
                 stance=stance, probability=round(p, 3), title=hit.title, source=hit.source,
                 published=hit.published, url=hit.url, attribution=attribution(hit))


def _cites(unit: Unit, stance: str, p: float) -> list[Cited]:
    return [cite(s, "context" if s.key in unit.context else stance, p) for s in unit.cited]


def _findings(j: Judgement) -> list[dict[str, str | None]]:
    return [{"kind": f.kind, "status": f.status, "claim": f.claim, "evidence": f.evidence,
             "message": f.message()} for f in j.features.findings]


def _support_reason(j: Judgement) -> str:
    matched = [f.claim for f in j.features.findings if f.status == "match"]
    if matched:
        return "the article states it (" + ", ".join(dict.fromkeys(matched[:4])) + ")"
    return "the article states it"


def aggregate(claim: str, judged: list[tuple[Unit, Judgement]], judge_version: str,
              unnamed: dict[str, list[str]] | None = None,
              subject_unnamed: frozenset[str] = frozenset()) -> Verdict:
    """The verdict for ``claim`` from every judged unit of evidence. ``unnamed``: for an
    article, the persons of the claim it never names (it cannot support the claim);
    ``subject_unnamed``: the articles that never name the claim's subject (what they
    say cannot contradict it unless the record names the difference)."""
    unnamed = unnamed or {}
    # the least evidence that settles the whole claim is cited: evidence naming every
    # entity of the claim first, then a sentence that supports on its own before a
    # sentence read with its predecessor or with another
    sup = sorted(((u, j) for u, j in judged if j.label == "supports"
                  and j.p_supports >= SUPPORT_AT),
                 key=lambda x: (x[1].features.values.get("ent_missing", 0.0) > 0,
                                len(x[0].sentences) > 1, -x[1].p_supports))
    # a combination of two sentences of an article only ever supports: each part is
    # judged on its own too, and a mismatch belongs to the part that has it
    # a contradiction needs a common subject ("anchored": the refuting evidence shares
    # with the claim a person, a body, a project, a matched detail or half its words;
    # else it is about another event: "12 agreements on ports" says nothing of a claim
    # about agreements on agriculture)
    ref = sorted(((u, j) for u, j in judged if j.label == "refutes" and not u.combined
                  and j.p_refutes >= (REFUTE_AT if j.main_mismatch() else WEAK_REFUTE_AT)
                  and j.features.values.get("anchored", 1.0) > 0),
                 key=lambda x: (x[1].main_mismatch() is None, len(x[0].sentences) > 1,
                                -x[1].p_refutes))
    # a value the article also states elsewhere is no contradiction ("recalling the 13th
    # meeting" does not refute a claim about the 14th that the same article reports)
    # (a year or a date counts as stated elsewhere only in a unit that words half the
    # claim: "2025" in "on 11 Nov 2025, the envoy called on ..." does not state that the
    # anniversary falls in 2025)
    matched = {(d, f.kind, f.claim) for u, j in judged for d in u.docs
               for f in j.features.findings if f.status == "match" and (
                   f.kind not in ("year", "date")
                   or j.features.values.get("word_recall", 0.0) >= 0.5)}
    ref = [(u, j) for u, j in ref if not _stated_elsewhere(u, j, matched)]
    # a combination supports only when it is confident, covers every content word of
    # the claim, finds no mismatch, and none of its parts, read alone, refutes the claim
    refuting_parts = [u.keys for u, j in judged if j.label == "refutes" and not u.combined]
    # a sentence that, read alone, states another value than the claim cannot lend
    # support to a unit it is part of (the model may have read the unit's support from
    # exactly that sentence: "Pakistan has much to learn from China" read as the reverse)
    # (whatever the model reads in it alone: "B paid a call on A" states the reverse of a
    # claim that A paid a call on B, even when the model sees no link in it)
    value_refuted = [u.keys for u, j in judged if len(u.sentences) == 1 and (
        j.veto == "value" or j.value_mismatch)]
    # two sentences of an article read together support only when together they word
    # every content word of the claim (each settles its part; the model does not bridge
    # a gap between them: "efforts on ML-1" + "during the visit" is no "financing
    # finalised during the visit")
    sup = [(u, j) for u, j in sup if not u.combined or (
        j.p_supports >= COMBINED_SUPPORT_AT and not j.features.mismatches
        and j.features.values.get("uncovered", 1.0) == 0.0
        and not any(k <= u.keys for k in refuting_parts))]
    sup = [(u, j) for u, j in sup if len(u.sentences) == 1
           or not any(k <= u.keys for k in value_refuted)]
    # ... nor a unit whose support is weaker than the model's refutation of one of its
    # sentences read alone (the context added no more than a lean: "expressed concern
    # over the G-20 events" read with the sentence before it as "praised" them)
    alone_refutes = [(u.keys, j.p_refutes) for u, j in judged
                     if len(u.sentences) == 1 and j.label == "refutes"]
    sup = [(u, j) for u, j in sup if len(u.sentences) == 1
           or not any(k <= u.keys and p > j.p_supports for k, p in alone_refutes)]
    # an article that never names a person of the claim cannot support it (a report of
    # the President's talks says nothing of who accompanied him)
    silent = [(u, j) for u, j in sup if any(d in unnamed for d in u.docs)]
    sup = [(u, j) for u, j in sup if not any(d in unnamed for d in u.docs)]
    # ... nor, by the model's reading alone, contradict a claim about someone or
    # something it never names ("Saudi Arabia joins CPEC" against a report that third
    # parties are welcome)
    ref = [(u, j) for u, j in ref if j.main_mismatch() is not None
           or not (u.docs & subject_unnamed)]
    # a sentence read alone that the model takes as contradicting, with no detail the
    # record can name, is overruled by a reading of it in context that supports
    ref = [(u, j) for u, j in ref if j.main_mismatch() is not None
           or not any(u.keys <= su.keys for su, _ in sup)]
    # ... and the other way round: a contradiction the record cannot name, read in a
    # sentence with its predecessor, does not stand when the sentence read alone supports
    # the claim (the model read it from the sentence cited only as context)
    alone = {k for su, _ in sup if len(su.sentences) == 1 for k in su.keys}
    ref = [(u, j) for u, j in ref if j.main_mismatch() is not None or not u.context
           or not any(k in alone for k in u.keys - u.context)]
    if sup:
        # a weak contradiction that the record cannot name stands only unopposed
        ref = [(u, j) for u, j in ref if not _weak(j)]
    # ... and only from the sentence of its article closest to the claim: a weaker reading
    # of a sentence that is less on topic than another is the model's lean to "refutes"
    # on topical evidence that is merely silent (a sentence about the visit, for a claim
    # about what the visit finalised)
    closest: dict[str, float] = {}
    for u, _ in judged:
        if not u.combined:
            for d in u.docs:
                closest[d] = max(closest.get(d, -1.0), u.sim)
    ref = [(u, j) for u, j in ref if not _weak(j)
           or all(u.sim >= closest.get(d, -1.0) - CLOSEST_SLACK for d in u.docs)]
    if sup and ref:
        # a support is not disputed by another article that names fewer of the claim's
        # entities: that one is about another event (the same words said by another
        # minister at another meeting)
        left_out = sup[0][1].features.values.get("ent_missing", 0.0)
        ref = [(u, j) for u, j in ref if u.docs & sup[0][0].docs
               or j.features.values.get("ent_missing", 0.0) <= left_out]
    if sup and ref:
        su, sj = sup[0]
        other = [(u, j) for u, j in ref if not (u.docs & su.docs)]
        if other:
            ru, rj = other[0]
            why = _refute_reason(ru, rj, "it")
            conf = min(sj.p_supports, rj.p_refutes)
            return Verdict(
                claim, "CONFLICTING", round(conf, 3),
                f"The sources disagree: {_attr_of(su)}, {_support_reason(sj)}; "
                f"{_attr_of(ru)}, {why}.",
                _cites(su, "supports", sj.p_supports) + _cites(ru, "refutes", rj.p_refutes),
                _findings(sj) + _findings(rj), judge_version)
        # same document on both sides: a named contradiction of a detail that no
        # support verified wins ("letter from the Deputy Prime Minister" against a
        # support that never matched "Prime Minister"); else the stronger reading wins
        # (each side's best, whichever unit of it is cited)
        if _unverified_detail(ref[0][1], [j for _, j in sup]) or \
                max(j.p_refutes for _, j in ref) > max(j.p_supports for _, j in sup):
            sup = []
        else:
            ref = []
    if ref:
        ru, rj = ref[0]
        why = _refute_reason(ru, rj, "the article")
        evidence = _cites(ru, "refutes", rj.p_refutes)
        for u, j in ref[1:3]:
            if not (u.keys <= ru.keys):
                evidence += [c for c in _cites(u, "refutes", j.p_refutes)
                             if (c.doc_id, c.start) not in {(e.doc_id, e.start) for e in evidence}]
        return Verdict(claim, "REFUTED", round(rj.p_refutes, 3),
                       f"{_cap(_attr_of(ru))}: {why}.", evidence, _findings(rj), judge_version)
    if sup:
        su, sj = sup[0]
        evidence = _cites(su, "supports", sj.p_supports)
        return Verdict(claim, "SUPPORTED", round(sj.p_supports, 3),
                       f"{_cap(_attr_of(su))}: {_support_reason(sj)}.", evidence,
                       _findings(sj), judge_version)
    # not enough info: say what the closest evidence leaves out
    if silent:
        su, sj = silent[0]
        names = " or ".join(dict.fromkeys(n for d in su.docs for n in unnamed.get(d, [])))
        return Verdict(claim, "NOT_ENOUGH_INFO", round(1.0 - sj.p_supports, 3),
                       f"The closest record ({_attr_of(su)}) is on topic but never names "
                       f"{names}.", _cites(su, "context", sj.p_supports), _findings(sj),
                       judge_version)
    if not judged:
        return Verdict(claim, "NOT_ENOUGH_INFO", 1.0,
                       "No stored article addresses this claim.", [], [], judge_version)
    best_u, best_j = max(judged, key=lambda x: max(x[1].p_supports, x[1].p_refutes))
    conf = 1.0 - max(best_j.p_supports, best_j.p_refutes)
    related = max(judged, key=lambda x: x[1].features.values.get("word_recall", 0.0)
                  + x[1].features.values.get("sim", 0.0))
    ru, rj = related
    unstated = rj.main_unstated()
    if unstated is not None and rj.probs["unrelated"] < 0.98:
        reason = (f"The closest record ({_attr_of(ru)}) is on topic but "
                  f"{unstated.message()}.")
        evidence = _cites(ru, "context", rj.probs["unrelated"])
    elif rj.features.values.get("word_recall", 0.0) >= 0.5:
        reason = (f"The closest record ({_attr_of(ru)}) does not state what the claim "
                  "says.")
        evidence = _cites(ru, "context", rj.probs["unrelated"])
    else:
        reason = "No stored article states or contradicts this claim."
        evidence = []
    del best_u
    return Verdict(claim, "NOT_ENOUGH_INFO", round(conf, 3), reason, evidence,
                   _findings(rj) if evidence else [], judge_version)


def _weak(j: Judgement) -> bool:
    """The model's reading alone, not confident enough to stand against support."""
    return j.main_mismatch() is None and j.p_refutes < UNNAMED_REFUTE_AT


def _unverified_detail(refuting: Judgement, supporting: list[Judgement]) -> bool:
    """Does the refutation name a mismatch on a detail that no support matched?"""
    found = refuting.main_mismatch()
    if found is None or found.kind not in VETO_MISMATCH:
        return False
    return not any(f.status == "match" and f.kind == found.kind and f.claim == found.claim
                   for j in supporting for f in j.features.findings)


def _refute_reason(unit: Unit, j: Judgement, subject: str) -> str:
    """The finding that refutes, or (the model's reading alone) what the article says."""
    mismatch = j.main_mismatch()
    if mismatch is not None:
        return mismatch.message()
    said = unit.cited[-1].text
    if len(said) > 160:
        said = said[:157].rsplit(" ", 1)[0] + "..."
    return f"{subject} states otherwise: {said!r}"


def _stated_elsewhere(unit: Unit, j: Judgement, matched: set[tuple[str, str, str]]) -> bool:
    found = j.features.mismatches
    if not found or any(f.kind not in _VALUE_KINDS for f in found):
        return False
    return all(any((d, f.kind, f.claim) in matched for d in unit.docs) for f in found)


_VALUE_KINDS = ("ordinal", "number", "date", "year", "place", "name")


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def combine(claim: str, parts: list[Verdict]) -> Verdict:
    """The verdict on a compound claim from the verdicts on its clauses."""
    judge = parts[0].judge if parts else ""
    evidence: list[Cited] = []
    seen: set[tuple[str, int]] = set()
    for v in parts:
        for c in v.evidence:
            if (c.doc_id, c.start) not in seen:
                seen.add((c.doc_id, c.start))
                evidence.append(c)
    findings = [f for v in parts for f in v.findings]

    def said(v: Verdict) -> str:
        return f"'{v.claim.rstrip('.')}': {v.reason[:1].lower()}{v.reason[1:]}"

    for name in ("REFUTED", "CONFLICTING"):
        bad = [v for v in parts if v.verdict == name]
        if bad:
            worst = max(bad, key=lambda v: v.confidence)
            return Verdict(claim, name, worst.confidence, f"Part of the claim, {said(worst)}",
                           evidence, findings, judge)
    if all(v.verdict == "SUPPORTED" for v in parts):
        reason = " ".join(f"{v.reason}" for v in parts)
        return Verdict(claim, "SUPPORTED", min(v.confidence for v in parts), reason, evidence,
                       findings, judge)
    missing = [v for v in parts if v.verdict == "NOT_ENOUGH_INFO"]
    conf = max(v.confidence for v in missing)
    return Verdict(claim, "NOT_ENOUGH_INFO", conf,
                   f"Part of the claim is not settled by the record, {said(missing[0])}",
                   evidence, findings, judge)
