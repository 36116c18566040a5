"""Commitments: who pledged what, with which modality.

A commitment is a modality cue (``modality.json``) with an actor before it
and an action after it:

- ``agreed``      "agreed to / on / that", "reached consensus on", "it was agreed to"
- ``reaffirmed``  "reaffirmed (their) commitment to", "reiterated resolve to",
  "reiterated its firm support for", "reiterated its readiness to"
- ``committed``   "is committed to", "pledged to", "vowed to", "Pakistan's commitment to"
- ``will``        "will / would / shall <verb>", "expressed willingness / readiness /
  desire to", "is ready to", "stands ready to", "expressed openness to"
- ``proposed``    "proposed", "called for", "urged", "stressed the need to"
- ``conditional`` any of the above inside a clause with "if", "provided that",
  "subject to", "once", "unless".

``parties`` are entity ids normalised to who is bound: a country, a
government or an organ of a state (the lexicon kinds in ``modality.json``
``organ_kinds``: a ministry, an embassy, a party's department such as IDCPC;
a body the lexicon lacks when its name says both the organ and the state,
"Pakistan's Ministry of Maritime Affairs") -> the country id (``"pakistan"``,
``"china"``); a person -> the country the article gives for them (else the
person's id); any other named body (CCTV, PTV, the CPC, a company) -> its id;
"both sides", "the two countries",
"it was agreed" -> both countries of the article's pair. So "both" is written
as the two country ids, sorted. The action is the clause after the cue, cut
at the first clause boundary, lower-cased, the first verb lemmatised when the
statistical model gave a lemma, at most 14 words. Sectors are those whose cues
occur in the action; projects the PROJECT entities named in it (or, for "its
implementation", in the sentence).

One person's plain future with an itinerary verb (``schedule_verbs``: "Senator
X will attend the ceremony", "he will also visit Lahore") is a schedule, not a
commitment; "X said Pakistan will ..." binds Pakistan and stays.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import lru_cache

from ..document import Commitment, Mention
from ..domain import load_pack, words
from ._actors import Actors, ActorSpan
from ._types import Analysis
from .sectors import blocked_spans, sectors_in

__all__ = ["MODALITIES", "find_commitments", "normalise_action", "party_ids"]

MODALITIES = ("agreed", "will", "reaffirmed", "committed", "proposed", "conditional")

_LEAD_STRIP = re.compile(
    r"^(?:to|that|on|upon|for|the|further|also|jointly|actively|continue to|continuously|"
    r"work together to|make efforts to|make joint efforts to|work to|efforts to)\s+",
    re.I,
)
_SAID_PRONOUN = re.compile(
    r"\b(?:said|says|stated|added|noted|assured|announced|told \w+)\s+(?:that\s+)?(?:it|they)\s+$"
)
_TITLE_LINE = re.compile(r"[.!?\"”’)。！？۔؟]\s*$")
_PASSIVE = re.compile(r"\s*(?:be|have been)\s+\w+(?:ed|en|t)\b")
_SAID_THAT = re.compile(
    r"\b(?:said|says|stated|added|noted|assured|announced|told \w+)\s+(?:that\s+)?"
)
_MAX_WORDS = 14
_TRAIL = words.word_set("commitments", "trailing_words")


@lru_cache(maxsize=1)
def _rx() -> tuple[list[tuple[str, re.Pattern[str]]], re.Pattern[str], re.Pattern[str]]:
    spec = load_pack().modality
    cues = [(mod, re.compile(rx, re.I)) for mod, rxs in spec.cues.items() for rx in rxs]
    cond = re.compile("|".join(spec.conditional), re.I)
    stop = re.compile("|".join(f"(?:{s})" for s in spec.action_stop), re.I)
    return cues, cond, stop


def party_ids(
    an: Analysis,
    actors: Actors,
    spans: list[ActorSpan],
    country_of: Mapping[str, str | None] | None = None,
) -> list[str]:
    """Normalise actor spans to the parties bound by a commitment (see module docstring)."""
    country_of = country_of or {}
    pack = load_pack()
    organs = pack.modality.organ_kinds or frozenset({"government"})
    out: list[str] = []
    for a in spans:
        ids = actors.ids_of(a)
        if a.kind != "entity" and any(
            i.startswith("person:") and not country_of.get(i) for i in ids
        ):
            ids = an.pair  # "both sides" are two people of unknown country: their states
        for i in ids:
            entry = pack.entities.get(i)
            party = i
            if entry is not None and entry.kind in organs and entry.country:
                party = entry.country  # a ministry, a party's department: its state
            elif entry is None and a.label == "ORG" and a.mention is not None:
                # a body the lexicon lacks, named with its state ("Pakistan's Ministry of ...")
                name = an.text[min(a.start, a.mention.start) : max(a.end, a.mention.end)]
                party = _organ_country(name) or i
            elif (
                a.label == "PERSON"
                or i.startswith("person:")
                or (entry is not None and entry.type == "PERSON")
            ):
                country = a.mention.country if a.mention is not None else None
                country = country or country_of.get(i)
                if country is None and entry is not None:
                    country = entry.country
                party = country or i
            if party not in out:
                out.append(party)
    return sorted(out)


_ORGAN_WORD = re.compile(
    r"\b(?:Ministry|Department|Division|Foreign Office|Embassy|Consulate|High Commission|"
    r"Secretariat|Cabinet)\b"
)


def _organ_country(name: str) -> str | None:
    """The state a body the lexicon lacks is an organ of, when its name says both
    ("Pakistan's Ministry of Planning", "the Chinese Embassy"); else None."""
    if _ORGAN_WORD.search(name) is None:
        return None
    pack = load_pack()
    found: set[str] = set()
    for w in re.findall(r"[A-Z][\w\-]+", name):
        entry = pack.lookup(w)
        if entry is not None and entry.kind == "country":
            found.add(entry.id)
        else:
            c = pack.country_of_demonym(w)
            if c:
                found.add(c)
    return found.pop() if len(found) == 1 else None


@lru_cache(maxsize=1)
def _schedule_rx() -> re.Pattern[str] | None:
    verbs = load_pack().modality.schedule_verbs
    if not verbs:
        return None
    return re.compile(r"(?:" + "|".join(verbs) + r")\b", re.I)


def _one_person(spans: list[ActorSpan], actors: Actors) -> bool:
    """The subject is one person: a named person or "he" / "she"."""
    if len(spans) != 1:
        return False
    a = spans[0]
    if a.kind == "pronoun":
        return actors.an.text[a.start : a.end].lower() in ("he", "she")
    ids = actors.ids_of(a)
    return len(ids) == 1 and (
        a.label == "PERSON"
        or ids[0].startswith("person:")
        or getattr(load_pack().entities.get(ids[0]), "type", "") == "PERSON"
    )


def _is_schedule(cue: str, action: str, spans: list[ActorSpan], actors: Actors) -> bool:
    """ "X will attend the ceremony", "he will also visit Lahore": one person's plain
    future with an itinerary verb states a schedule, not a commitment."""
    rx = _schedule_rx()
    if rx is None or not re.match(r"(?:will|would|shall)\b", cue):
        return False
    return rx.match(action) is not None and _one_person(spans, actors)


def normalise_action(raw: str, lemma_of: dict[str, str] | None = None) -> str:
    """A short lower-case action phrase from the words after a cue."""
    s = re.sub(r"\s+", " ", raw).strip(" ,;:.\"'“”‘’")
    prev = None
    while prev != s:
        prev = s
        s = _LEAD_STRIP.sub("", s)
    words = s.split(" ")
    if words and lemma_of:
        first = words[0]
        lem = lemma_of.get(first)
        if lem and lem != first.lower():
            words[0] = lem
    words = words[:_MAX_WORDS]
    while words and words[-1].lower().strip(",;:.") in _TRAIL:
        words.pop()
    return " ".join(words).lower().rstrip(",;:.")


def _action_end(text: str, start: int, s_end: int) -> int:
    _, _, stop = _rx()
    m = stop.search(text, start, s_end)
    end = m.start() if m else s_end
    # not past a second "and <verb>ed" clause: "... and reiterated that ..."
    m2 = re.search(
        r"\s(?:and|,)\s+(?:also\s+)?(?:reiterated|reaffirmed|agreed|stressed|emphasi[sz]ed|"
        r"noted|said|underscored|called|expressed|welcomed|decided|highlighted)\b",
        text[start:end],
    )
    if m2:
        end = start + m2.start()
    return end


def find_commitments(
    an: Analysis, mentions: list[Mention], actors: Actors | None = None
) -> list[Commitment]:
    """Commitments of an analysed document, in text order."""
    actors = actors or Actors(an, mentions)
    cues, cond_rx, _stop = _rx()
    text = an.text
    blocked = blocked_spans(an)
    lemma_of: dict[str, str] = {}
    if an.statistical:
        for s in an.sents:
            for t in s.toks:
                if t.pos in ("VERB", "AUX", "NOUN"):
                    lemma_of.setdefault(t.text, t.lemma)
    projects = [m for m in mentions if m.label == "PROJECT" and m.entity_id]
    out: list[Commitment] = []
    country_of = {m.entity_id: m.country for m in mentions if m.entity_id and m.country}
    for info in an.sents:
        if info.end <= an.dateline_end or _TITLE_LINE.search(info.text) is None:
            continue  # the headline restates the story
        lo_sent = max(info.start, an.dateline_end)
        hits: list[tuple[int, int, str]] = []
        for mod, rx in cues:
            for m in rx.finditer(text, lo_sent, info.end):
                if m.end() == m.start():
                    continue
                if any(a < m.end() and m.start() < b for a, b, _ in hits):
                    continue
                hits.append((m.start(), m.end(), mod))
        hits.sort()
        covered: list[tuple[int, int]] = []
        prev_parties: list[str] = []
        for start, end, mod in hits:
            if any(a <= start < b for a, b in covered):
                continue
            cue_text = text[start:end].lower()
            # parties
            spans: list[ActorSpan] = []
            poss = re.search(r"\b([A-Z][\w\-]+)(?:'s|’s)", text[start:end])
            if poss:
                entry = load_pack().lookup(poss.group(1))
                if entry is not None:
                    a0 = start + poss.start(1)
                    spans = [ActorSpan(a0, a0 + len(poss.group(1)), (entry.id,), "entity")]
            if not spans:
                clause_lo = lo_sent
                for mm in re.finditer(r"[;:]", text[lo_sent:start]):
                    clause_lo = lo_sent + mm.end()
                spans = actors.subject(start, clause_lo)
            parties = party_ids(an, actors, spans, country_of)
            if not parties and re.search(
                r"\band\s+(?:also\s+)?$", text[max(lo_sent, start - 12) : start]
            ):
                spans = actors.clause_subject(start, lo_sent)  # "X held ... and agreed to"
                parties = party_ids(an, actors, spans, country_of)
            if not parties:
                said = _SAID_PRONOUN.search(text, max(lo_sent, start - 40), start)
                if said is None and mod == "will" and _PASSIVE.match(text, end):
                    # "the Chinese side said that financing would be finalised once ..."
                    said = next(iter(_SAID_THAT.finditer(text, lo_sent, start)), None)
                if said is not None:
                    spans = actors.subject(said.start(), lo_sent) or actors.clause_subject(
                        said.start(), lo_sent
                    )
                    parties = party_ids(an, actors, spans, country_of)
            if not parties:
                if re.match(r"it was|(?:consensus|agreement) (?:was|were)", cue_text):
                    parties = sorted(an.pair)
                elif mod in ("agreed", "reaffirmed", "proposed", "committed") and prev_parties:
                    parties = list(prev_parties)
                elif mod in ("agreed", "reaffirmed") and re.match(
                    r"\s*(?:it was|was|were)\b", text[max(lo_sent, start - 8) : start]
                ):
                    parties = sorted(an.pair)
            if not parties:
                continue
            prev_parties = parties
            # action
            a_start = end
            sup = re.search(r"\b(support|adherence) (?:to|for)$", cue_text)
            if sup is not None:
                a_start = start + sup.start()  # "reiterated its support for X": support X
            a_end = _action_end(text, a_start, info.end)
            if a_end <= a_start:
                continue
            action = normalise_action(text[a_start:a_end], lemma_of)
            if len(action) < 3:
                continue
            if (
                mod == "will"
                and action.split(" ", 1)[0] in ("be", "have", "not", "also")
                and (" be held" in action or action.startswith("not"))
            ):
                continue
            if mod == "will" and _is_schedule(cue_text, action, spans, actors):
                continue
            clause = text[max(lo_sent, start - 80) : a_end]
            modality = "conditional" if cond_rx.search(clause) else mod
            secs = sectors_in(text, a_start, a_end, blocked)
            projs = [m.entity_id for m in projects if a_start <= m.start < a_end and m.entity_id]
            if not projs and re.search(r"\bits\b|\bthe project\b", text[a_start:a_end]):
                projs = [
                    m.entity_id for m in projects if lo_sent <= m.start < start and m.entity_id
                ]
            projs = list(dict.fromkeys(projs))
            c_start = min([start] + [sp.start for sp in spans if sp.start >= lo_sent])
            out.append(
                Commitment(
                    start=c_start,
                    end=a_end,
                    parties=parties,
                    modality=modality,
                    action=action,
                    sectors=secs,
                    projects=projs,
                )
            )
            covered.append((start, a_end))
    return _dedup(out)


def _dedup(items: list[Commitment]) -> list[Commitment]:
    """Drop restatements (a subtitle repeated in the body): same parties, modality, action."""
    seen: set[tuple[tuple[str, ...], str, str]] = set()
    out: list[Commitment] = []
    for c in items:
        key = (tuple(c.parties), c.modality, c.action)
        if key in seen:
            continue
        seen.add(key)
        out.append(c)
    return out
