"""Events: MEET, VISIT, CALL, JOINT_STATEMENT, AGREE, SIGN, STATEMENT.

One event per happening, however many sentences report it.

Per sentence, trigger expressions from the domain pack (``events.json``) are
found; one event per type and sentence is kept (its span is the first
trigger's). Participants are entity ids: the subject chain before each trigger
and, for MEET/CALL/SIGN, the object chain after it ("met with X, Y and Z",
"called on X", "a meeting between X and Y", "meeting of the JWG-ICC");
"both sides" / "the two countries" stand for the article's country pair, or
for the two people of the last meeting or call between two named people;
"He" / "She" for the most recent person. "X met A, B and C", with A, B and C
named on their own, is one meeting per counterpart. A courtesy call ("called
on X", "paid a courtesy call") is a CALL, as a telephone call is ("called on
X to do Y" is an appeal: no event); travel is a VISIT ("arrived in",
"visiting China in June 2024", "the visiting minister X").

A trigger that refers back ("the meeting", "during the visit") adds its
participants to the earlier event of that type instead of making a new one,
and events of one type whose participants, dates, places and ordinals agree
are merged within the article (an agreement only when the agreed wording
overlaps too); every sentence that reports the event is kept in ``support``.
Participants are the people where people are named; a country or government
whose person is named moves to ``parties`` (the countries of the
participants).

A STATEMENT is an event only when the statement is itself news
(``_is_news``): a statement act in its sentence ("said in a statement", "a
press briefing"), an announcing verb, a spokesperson speaking, or a date of
its own ("X said on Tuesday"); never when its sentence reports another event
("..., the Foreign Office said" attributes that event) or only cites a
statement ("according to a statement"). One per speaker and date.

Place is only what the sentence states for the event: a place after "in"/"at"
(or the destination of a visit: "visit to China", "arrived in Beijing"); the
dateline never counts. Date: the date phrase of the sentence nearest to the
trigger. A calendar date is the event's ``date``, as is "today" in an article
whose dateline carries its date; a relative phrase ("on Monday", "yesterday")
resolved against the dateline's or the publication date is ``date_inferred``
with its ``date_basis``; vaguer phrases ("last week") stay in
``date_phrase`` only. A dateline or publication date is never given to an
event the text does not date. Ordinals before the trigger or before a joint
body ("fourth meeting", "the 14th JCC") are kept as written.

Each type maps to a PLOVER event type (``PLOVER``); STATEMENT has none.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from ..document import Event, Mention
from ..domain import load_pack, words
from ._actors import Actors, ActorSpan
from ._types import Analysis
from .dates import DatePhrase, find_date_phrases, resolve_date

__all__ = ["EVENT_TYPES", "EventDetail", "find_events", "plover_map", "plover_type"]

EVENT_TYPES = ("MEET", "VISIT", "CALL", "JOINT_STATEMENT", "AGREE", "SIGN", "STATEMENT")

_ORDINAL = (
    r"(?:first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|eleventh|twelfth|"
    r"thirteenth|fourteenth|fifteenth|sixteenth|seventeenth|eighteenth|nineteenth|twentieth|"
    r"\d{1,3}(?:st|nd|rd|th))"
)
_ORD_BEFORE = re.compile(rf"\b({_ORDINAL})\b(?:[\w\-]+\s+){{0,4}}$", re.I)
_FUTURE = re.compile(
    r"\b(?:will|shall|is scheduled|are scheduled|is expected|are expected|is due|are due|"
    r"to be held|next|upcoming|would)\b",
    re.I,
)
_CLAUSE_BREAK = re.compile(r"[;:]|,\s*(?:while|whereas|and|but)\b|\band\s+(?=[a-z]+ed\b)")
_PLACE_PREP = re.compile(
    r"(?:\b(?:in|at|inside)\s+(?:the\s+)?|\bvisit(?:s|ed|ing)?\s+(?:to\s+)?|\btrip to\s+|"
    r"\barrived in\s+|\barrives in\s+|\btoured\s+|\btravel(?:l?ed|s)? to\s+)$",
    re.I,
)
_VISIT_PREP = re.compile(
    r"\b(?:visit(?:s|ed|ing)?\s+(?:to\s+)?|trip to\s+|travel(?:l?ed|s)? to\s+)$", re.I
)
_CAPITAL_PHRASE = re.compile(r"\b(?:in|at) the ([A-Z][a-z]+) capital\b")
_LIGHT_VERB = re.compile(
    r"\b(?:held|hold|holds|had|paid|pays|pay|attended|attend|convened|made|undertook|undertake|"
    r"concluded|began|started|wrapped up|is on|was on|are on|were on|during|at|in)\s+"
    r"(?:an?|the|his|her|their|its)?\s*(?:[\w\-]+\s+){0,3}$",
    re.I,
)
_POSSESSOR = re.compile(r"(\S+)(?:'s|’s)\s+(?:[\w\-]+\s+){0,3}$")
_SPEAKER_AFTER = frozenset({"said", "says", "stated", "added", "noted", "remarked", "told"})
_NOT_VENUE_BEFORE = words.word_set("events", "not_venue_before")
_PLACE_RANK = {"city": 0, "venue": 1, "site": 2, "region": 3, "country": 4}


def _is_title_line(text: str) -> bool:
    """A headline: a line with no final punctuation."""
    return text.rstrip()[-1:] not in '.!?"”’)。！？۔؟'


def plover_map() -> dict[str, str | None]:
    """Event type -> PLOVER event type (``None``: no PLOVER equivalent)."""
    return dict(load_pack().events.plover)


def plover_type(event_type: str) -> str | None:
    """The PLOVER event type an event type maps to (domain pack's mapping)."""
    return load_pack().events.plover.get(event_type)


@dataclass
class EventDetail:
    """An event with who acted (source) and on whom (target), for evaluation and views."""

    event: Event
    sent: int
    trigger: tuple[int, int]
    sources: list[ActorSpan] = field(default_factory=list)
    targets: list[ActorSpan] = field(default_factory=list)
    anaphoric: bool = False


@dataclass
class _Trig:
    type: str
    start: int
    end: int
    anaphoric: bool


def _triggers(an: Analysis, s_start: int, s_end: int) -> list[_Trig]:
    pack = load_pack()
    spec = pack.events
    text = an.text
    sent = text[s_start:s_end]
    blocked: list[tuple[int, int]] = []
    for rx in spec.not_triggers:
        for m in re.finditer(rx, sent, re.I):
            blocked.append((s_start + m.start(), s_start + m.end()))
    found: list[_Trig] = []
    for typ in spec.priority:
        for rx in spec.triggers.get(typ, ()):
            for m in re.finditer(rx, sent, re.I):
                a, b = s_start + m.start(), s_start + m.end()
                if a == b or any(x < b and a < y for x, y in blocked):
                    continue
                if any(x.start < b and a < x.end for x in found):
                    continue
                # inside an entity name ("Joint Cooperation Committee")? not a trigger
                if any(c.start <= a and b <= c.end for c in an.cands if c.label != "PERSON"):
                    continue
                found.append(_Trig(typ, a, b, _is_anaphoric(text, a, b, typ)))
    found.sort(key=lambda t: t.start)
    return found


def _is_anaphoric(text: str, a: int, b: int, typ: str) -> bool:
    if typ in ("STATEMENT", "AGREE", "SIGN"):
        return False
    trig = text[a:b].lower()
    after = text[b : b + 30]
    if re.match(r"\s+(?:of|between|with|on)\b", after) and trig in (
        "meeting",
        "talks",
        "visit",
        "call",
        "session",
    ):
        return False
    before = text[max(0, a - 25) : a]
    det = re.search(r"\b(the|this|that|his|her|their|its|today's|today’s)\s+$", before, re.I)
    if det is None:
        # "co-chaired the meeting", "chaired the session": anaphoric when the object is
        return bool(
            trig in ("co-chaired", "chaired", "hosted")
            and re.match(r"\s+the\s+(?:meeting|session|talks)\b", after)
        )
    return not re.search(_ORDINAL + r"\s*$", before.strip(), re.I) and trig in (
        "meeting",
        "meetings",
        "talks",
        "visit",
        "call",
        "session",
        "state visit",
        "official visit",
        "telephone call",
        "phone call",
        "joint statement",
    )


def _clause_bounds(text: str, s_start: int, s_end: int, pos: int) -> tuple[int, int]:
    left = s_start
    for m in _CLAUSE_BREAK.finditer(text, s_start, pos):
        left = m.end()
    right = s_end
    nxt = _CLAUSE_BREAK.search(text, pos, s_end)
    if nxt:
        right = nxt.start()
    return left, right


def _ordinal(an: Analysis, trig: _Trig, s_start: int, s_end: int) -> str | None:
    text = an.text
    window = text[max(s_start, trig.start - 60) : trig.start]
    m = _ORD_BEFORE.search(window)
    if m and trig.type in ("MEET", "VISIT", "CALL", "JOINT_STATEMENT"):
        return m.group(1)
    return None


def _joint_body_ordinals(
    an: Analysis, mentions: list[Mention], s_start: int, s_end: int
) -> list[tuple[str, Mention]]:
    pack = load_pack()
    out: list[tuple[str, Mention]] = []
    for m in mentions:
        if not (s_start <= m.start < s_end) or not m.entity_id:
            continue
        entry = pack.entities.get(m.entity_id)
        if entry is None or entry.kind != "joint_body":
            continue
        before = an.text[max(s_start, m.start - 30) : m.start]
        mo = re.search(
            rf"\b({_ORDINAL})\s+(?:session of (?:the )?|meeting of (?:the )?)?(?:CPEC\s+)?$",
            before,
            re.I,
        )
        if mo:
            out.append((mo.group(1), m))
    return out


def _place(
    an: Analysis, mentions: list[Mention], actors: Actors, trig: _Trig, lo: int, hi: int
) -> str | None:
    """The venue the sentence states for the event (not the dateline)."""
    pack = load_pack()
    best: tuple[int, int, str] | None = None
    for m in mentions:
        if m.label != "PLACE" or not m.entity_id or not (lo <= m.start < hi):
            continue
        if m.start < an.dateline_end:
            continue
        if any(a <= m.start and m.end <= b for a, b in actors.role_spans):
            continue
        before = an.text[max(lo, m.start - 25) : m.start]
        destination = (
            trig.type == "VISIT"
            and m.start >= trig.end
            and re.search(r"\bto\s+$", before) is not None
            and m.start - trig.end < 80
        )
        if not _PLACE_PREP.search(before) and not destination:
            continue
        word_before = re.search(r"(\w+)\s+(?:in|at|inside)\s+(?:the\s+)?$", before)
        if word_before and word_before.group(1).lower() in _NOT_VENUE_BEFORE:
            continue
        if trig.type == "STATEMENT" and not (0 <= m.start - trig.end <= 30):
            continue
        if trig.type != "STATEMENT" and _CLAUSE_BREAK.search(
            an.text, min(m.start, trig.end), max(m.start, trig.start)
        ):
            continue
        if trig.type != "VISIT" and _VISIT_PREP.search(before):
            continue
        if trig.anaphoric and not (0 <= m.start - trig.end <= 40):
            continue  # "the meeting in Beijing"; not a place elsewhere in the sentence
        if (
            trig.type in ("AGREE", "SIGN")
            and m.start > trig.end
            and re.search(r"\bto\s+[a-z]+", an.text[trig.end : m.start])
        ):
            continue  # "agreed to open a centre in Gwadar": where the centre will be
        if trig.type == "VISIT" and m.start >= trig.end and m.start - trig.end <= 5:
            return m.entity_id  # "visiting China", "arrived in Lahore": the destination
        entry = pack.entities.get(m.entity_id)
        rank = _PLACE_RANK.get(entry.kind, 2) if entry else 2
        dist = abs(m.start - trig.end)
        key = (rank, dist, m.entity_id)
        if best is None or key < best:
            best = key
    if best is None:
        for mo in _CAPITAL_PHRASE.finditer(an.text, lo, hi):
            country = pack.country_of_demonym(mo.group(1))
            if country and pack.entities.get(country) and pack.entities[country].capital:
                return pack.entities[country].capital
        return None
    return best[2]


def _ids(actors: Actors, spans: list[ActorSpan]) -> list[str]:
    out: list[str] = []
    for a in spans:
        for i in actors.ids_of(a):
            if i not in out:
                out.append(i)
    return out


_BODY_OR_PERSON = frozenset({"ORG", "PERSON"})


class _Ctx:
    """Per-document lookups: the country of an entity, the roles stated for a person."""

    def __init__(self, an: Analysis, mentions: list[Mention]) -> None:
        self.pack = load_pack()
        self.country_of: dict[str, str] = {}
        self.roles: dict[str, list[str]] = {}
        for m in mentions:
            if not m.entity_id:
                continue
            if m.country and m.entity_id not in self.country_of:
                self.country_of[m.entity_id] = m.country
            if m.role:
                self.roles.setdefault(m.entity_id, []).append(m.role)
        for m in mentions:  # a body named after its country ("China Manned Space Agency",
            # "Chinese company X"), a person whose stated role names it
            if not m.entity_id or m.entity_id in self.country_of or m.label not in _BODY_OR_PERSON:
                continue
            words = m.role or "" if m.label == "PERSON" else m.text
            words += " " + " ".join(an.text[max(0, m.start - 30) : m.start].split()[-2:])
            found = self._countries_in(words)
            if len(found) == 1:
                self.country_of[m.entity_id] = found.pop()
        self.anchor, self.anchor_kind = _anchor(an)

    def _countries_in(self, words: str) -> set[str]:
        out: set[str] = set()
        for w in re.findall(r"[A-Z][\w\-]+(?:['’]s)?", words):
            w = re.sub(r"['’]s$", "", w)
            entry = self.pack.lookup(w)
            country = self.pack.country_of_demonym(w) or (
                entry.id if entry is not None and entry.kind == "country" else None
            )
            if country:
                out.add(country)
        return out

    def is_person(self, ent_id: str) -> bool:
        entry = self.pack.entities.get(ent_id)
        return ent_id.startswith("person:") or (entry is not None and entry.type == "PERSON")

    def state_of(self, ent_id: str) -> str | None:
        """The country a country or government id stands for (None for anything else)."""
        entry = self.pack.entities.get(ent_id)
        if entry is None:
            return None
        if entry.kind == "country":
            return entry.id
        if entry.kind == "government":
            return entry.country
        return None

    def country(self, ent_id: str) -> str | None:
        state = self.state_of(ent_id)
        if state:
            return state
        entry = self.pack.entities.get(ent_id)
        if entry is not None and entry.country:
            return entry.country
        return self.country_of.get(ent_id)

    def is_spokesperson(self, ent_id: str) -> bool:
        words = load_pack().events.news_speakers
        return any(
            re.search(rf"\b{re.escape(w)}\b", role, re.I)
            for role in self.roles.get(ent_id, ())
            for w in words
        )


def _anchor(an: Analysis) -> tuple[str | None, str]:
    """The date relative phrases count from: the dateline's date, else the publication's."""
    pub = an.doc.published
    if an.doc.dateline_date:  # the dateline, kept as metadata when cleaning took it out
        return an.doc.dateline_date[:10], "dateline"
    if an.dateline_end > an.dateline_start:  # a dateline still in the text (older pools)
        for d in find_date_phrases(an.text, an.dateline_start, an.dateline_end):
            if d.kind in ("iso", "mdy", "dmy"):
                got = resolve_date(d.text, pub)
                if got:
                    return got, "dateline"
    if pub and an.doc.date_source == "dateline":
        return pub[:10], "dateline"
    return (pub[:10], "publication") if pub else (None, "")


def find_events(
    an: Analysis,
    mentions: list[Mention],
    actors: Actors | None = None,
    keep_empty: bool = False,
) -> list[EventDetail]:
    """Events of an analysed document, in text order, with source/target actors.

    ``keep_empty`` keeps statements and agreements whose actors were not found
    (dropped by default: a fact needs someone behind it) and statements that
    are not news; evaluation of event typing alone uses it.
    """
    actors = actors or Actors(an, mentions)
    ctx = _Ctx(an, mentions)
    text = an.text
    details: list[EventDetail] = []
    last_of_type: dict[str, EventDetail] = {}
    for info in an.sents:
        s_start, s_end = info.start, info.end
        if s_end <= an.dateline_end:
            continue
        lo_sent = max(s_start, an.dateline_end)
        if _is_title_line(info.text):
            continue  # headlines restate the story; their events come from the body
        trigs = [t for t in _triggers(an, lo_sent, s_end)]
        jb = _joint_body_ordinals(an, mentions, lo_sent, s_end)
        if not trigs and jb:
            ordinal, m = jb[0]
            trigs = [_Trig("MEET", m.start, m.end, False)]
        if not trigs:
            continue
        dates = [d for d in find_date_phrases(text, lo_sent, s_end)]
        groups: dict[str, EventDetail] = {}
        sent_first_subject: list[ActorSpan] = []
        first_statement: _Trig | None = None
        for trig in trigs:
            word = text[trig.start : trig.end].lower()
            if trig.type == "STATEMENT":
                if first_statement is not None and not _coordinated(text, lo_sent, trig):
                    continue  # "X noted that Y rejected ...": what was said, not a statement
                first_statement = first_statement or trig
            lo, hi = _clause_bounds(text, lo_sent, s_end, trig.start)
            subj_pos = trig.start
            lv = _LIGHT_VERB.search(text, max(lo_sent, trig.start - 60), trig.start)
            if lv is not None:
                subj_pos = lv.start()
            visitor: list[ActorSpan] | None = None
            if trig.type == "VISIT" and word == "visiting":
                visitor = _visiting(an, actors, trig, lo_sent, hi)
            if visitor is not None:
                subj = visitor
            else:
                subj = actors.subject(subj_pos, lo)
                if not subj and trig.type != "STATEMENT":
                    subj = actors.subject(subj_pos, lo_sent)
            if (
                not subj
                and visitor is None
                and re.search(
                    r"\b(?:and|but)\s+(?:also\s+)?$", text[max(lo_sent, subj_pos - 12) : subj_pos]
                )
            ):
                # "X welcomed ... and appreciated ...": the coordinated verb's subject
                subj = actors.clause_subject(subj_pos, lo_sent) or list(sent_first_subject)
            if not subj and visitor is None and trig.type in ("VISIT", "MEET", "CALL"):
                poss = _POSSESSOR.search(text, max(lo_sent, trig.start - 60), trig.start)
                if poss is not None:
                    owner = actors.by_end.get(poss.start() + len(poss.group(1)))
                    if owner is not None:
                        subj = [owner]  # "Prime Minister Shehbaz Sharif's four-day visit"
            if subj and not sent_first_subject:
                sent_first_subject = subj
            obj: list[ActorSpan] = []
            if trig.type in ("MEET", "CALL", "SIGN", "STATEMENT", "VISIT") and visitor is None:
                extra: tuple[str, ...] = ("of", "the") if trig.type in ("MEET", "VISIT") else ()
                obj = actors.object(trig.end, hi, extra)
                agent = _passive_agent(text, trig, lo_sent, hi)
                if not obj and agent is not None:
                    obj = actors.object(agent, hi)  # "was signed in Beijing by X and Y"
                if trig.type == "VISIT":
                    obj = [a for a in obj if a.label == "PERSON"]
                if trig.type == "STATEMENT" and (subj or word not in _SPEAKER_AFTER):
                    obj = []
            if (
                not subj
                and trig.type in ("AGREE", "JOINT_STATEMENT", "SIGN")
                and sent_first_subject
                and not (first_statement is not None and first_statement.end <= trig.start)
            ):
                # (not inside what someone said: "X noted that banks had agreed to ...")
                subj = list(sent_first_subject)
            det = groups.get(trig.type)
            if det is None:
                ev = Event(type=trig.type, start=trig.start, end=trig.end)
                det = EventDetail(ev, info.index, (trig.start, trig.end), anaphoric=trig.anaphoric)
                groups[trig.type] = det
            else:
                det.anaphoric = det.anaphoric and trig.anaphoric
            det.sources.extend(a for a in subj if a not in det.sources)
            det.targets.extend(a for a in obj if a not in det.targets and a not in det.sources)
            if det.event.ordinal is None:
                det.event.ordinal = _ordinal(an, trig, lo_sent, s_end)
            if det.event.place is None:
                det.event.place = _place(an, mentions, actors, trig, lo_sent, s_end)
        for ordinal, m in jb:
            meet = groups.get("MEET")
            if meet is not None:
                if meet.event.ordinal is None:
                    meet.event.ordinal = ordinal
                if not any(m.entity_id in a.ids for a in meet.targets + meet.sources):
                    span = ActorSpan(m.start, m.end, (m.entity_id or "",), "entity", m.label, m)
                    meet.targets.append(span)
        _assign_dates(an, ctx, groups, dates, trigs)
        for typ in ("MEET", "CALL"):  # "both sides" later in this sentence are its two people
            det = groups.get(typ)
            if det is not None and not det.anaphoric:
                ids = _ids(actors, det.sources + det.targets)
                persons = tuple(i for i in ids if ctx.is_person(i))
                if len(persons) == 2 and len(ids) == 2:
                    actors.pairs.append((det.event.start, persons))
        sentence: list[EventDetail] = []
        for typ in load_pack().events.priority:
            det = groups.get(typ)
            if det is None:
                continue
            det.event.support = [(s_start, s_end)]
            src_ids = _ids(actors, det.sources)
            ids = src_ids + [i for i in _ids(actors, det.targets) if i not in src_ids]
            if typ == "JOINT_STATEMENT" and len(src_ids) < 2:
                ids = list(an.pair)  # a joint statement is the two sides', whoever issued it
            if (
                typ == "AGREE"
                and not ids
                and re.search(r"\bit was\b|\bwere agreed\b", info.text, re.I)
            ):
                ids = list(an.pair)
            if typ == "STATEMENT" and not keep_empty and not _is_news(an, ctx, det, trigs, ids):
                continue
            det.event.participants = ids
            prev = _antecedent(last_of_type, typ) if det.anaphoric else None
            if prev is not None:
                _absorb(prev.event, det.event)
                continue
            for one in _one_per_counterpart(det, actors, ctx):
                sentence.append(one)
                last_of_type[typ] = one
            if typ in ("MEET", "VISIT", "CALL"):
                persons = tuple(
                    i for a in det.sources + det.targets if a.label == "PERSON" for i in a.ids
                )
                actors.last_group = persons if len(persons) >= 2 else actors.last_group
        details.extend(_call_is_the_meeting(sentence))
    for det in details:
        _settle_participants(det.event, ctx)
    details.sort(key=lambda d: d.event.start)
    return _merge_same(an, details, keep_empty)


def _passive_agent(text: str, trig: _Trig, lo: int, hi: int) -> int | None:
    """Where the agent of a passive trigger starts ("was signed in Beijing by X"), or None."""
    if not re.search(r"\b(?:was|were|been|being|is|are)\s+(?:\w+ly\s+)?$", text[lo : trig.start]):
        return None
    m = re.compile(r"\bby\s+").search(text, trig.end, min(hi, trig.end + 60))
    return m.end() if m else None


def _coordinated(text: str, lo: int, trig: _Trig) -> bool:
    """A reporting verb coordinated with the sentence's first ("X welcomed ... and thanked")."""
    before = text[max(lo, trig.start - 12) : trig.start]
    return bool(re.search(r"\b(?:and|but)\s+(?:also\s+)?$", before))


def _visiting(
    an: Analysis, actors: Actors, trig: _Trig, lo: int, hi: int
) -> list[ActorSpan] | None:
    """Who travels for "visiting": the person after it ("the visiting minister X"), or,
    before a place ("visiting China"), the actor before it ("thanked X for visiting
    China", "X, who is visiting China"). None: read it as any other trigger."""
    text = an.text
    after = actors.object(trig.end, hi, ("of", "the"))
    people = [a for a in after if a.label == "PERSON"]
    if people:
        return people[:1]
    if after and after[0].label not in ("PLACE",):
        return after[:1]  # "the visiting delegation of the IDCPC"
    prep = re.search(r"\b(?:for|after|while|before|since|by)\s+$", text[lo : trig.start])
    if prep is not None:
        return actors.subject(lo + prep.start(), lo)
    aux = re.search(r"\b(?:is|was|are|were|been|be)\s+$", text[lo : trig.start])
    if aux is not None:
        return actors.subject(lo + aux.start(), lo)
    return None if not after else []


def _is_news(an: Analysis, ctx: _Ctx, det: EventDetail, trigs: list[_Trig], ids: list[str]) -> bool:
    """Whether a reported statement is an event of its own (see the module docstring)."""
    spec = load_pack().events
    if any(t.type != "STATEMENT" for t in trigs):
        return False  # it reports (attributes) another event
    info = an.sents[det.sent]
    lo = max(info.start, an.dateline_end)
    sent = an.text[lo : info.end]
    words = {an.text[t.start : t.end].lower() for t in trigs if t.type == "STATEMENT"}
    if words & set(spec.news_verbs):
        return True
    for rx in spec.news_acts:
        for m in re.finditer(rx, sent, re.I):
            before = sent[max(0, m.start() - 40) : m.start()]
            if not any(re.search(a, before, re.I) for a in spec.attribution):
                return True
    if any(re.search(rx, an.text[det.event.start : det.event.end], re.I) for rx in spec.news_acts):
        return True
    if any(ctx.is_spokesperson(i) for i in ids):
        return True
    speakers = " ".join(an.text[a.start : a.end] for a in det.sources + det.targets)
    if any(re.search(rf"\b{re.escape(w)}\b", speakers, re.I) for w in spec.news_speakers):
        return True
    return det.event.date_phrase is not None  # "X said on Tuesday": a statement of its own


def _antecedent(last_of_type: dict[str, EventDetail], typ: str) -> EventDetail | None:
    """The event "the meeting" / "the visit" refers back to (a meeting may be a courtesy call)."""
    cands = [last_of_type.get(typ)]
    if typ == "MEET":
        cands.append(last_of_type.get("CALL"))
    found = [c for c in cands if c is not None]
    return max(found, key=lambda d: d.event.start) if found else None


def _absorb(target: Event, ev: Event) -> None:
    """Fold what another report of the same happening adds into ``target``."""
    for p in ev.participants:
        if p not in target.participants:
            target.participants.append(p)
    for p in ev.parties:
        if p not in target.parties:
            target.parties.append(p)
    target.ordinal = target.ordinal or ev.ordinal
    target.place = target.place or ev.place
    if target.date is None and target.date_inferred is None and (ev.date or ev.date_inferred):
        target.date, target.date_inferred = ev.date, ev.date_inferred
        target.date_basis, target.date_phrase = ev.date_basis, ev.date_phrase
    elif target.date is None and ev.date is not None and ev.date == target.date_inferred:
        target.date, target.date_basis, target.date_phrase = ev.date, None, ev.date_phrase
    target.date_phrase = target.date_phrase or ev.date_phrase
    for span in ev.support:
        if span not in target.support:
            target.support.append(span)
    target.support.sort()


def _one_per_counterpart(det: EventDetail, actors: Actors, ctx: _Ctx) -> list[EventDetail]:
    """ "X met A, B and C": one meeting per counterpart named on its own."""
    ev = det.event
    if ev.type not in ("MEET", "CALL"):
        return [det]
    src = [i for i in _ids(actors, det.sources) if ctx.is_person(i)]
    others = [a for a in det.targets if a.label == "PERSON"]
    if len(src) != 1 or len(others) < 2 or any(a.kind != "entity" for a in others):
        return [det]
    rest = [i for i in ev.participants if i not in src and not any(i in a.ids for a in others)]
    out: list[EventDetail] = []
    for k, a in enumerate(others):
        copy = replace(
            ev, participants=list(dict.fromkeys(src + list(a.ids) + (rest if k == 0 else []))),
            parties=[], support=list(ev.support))
        out.append(EventDetail(copy, det.sent, det.trigger, list(det.sources), [a], det.anaphoric))
    return out


def _call_is_the_meeting(sentence: list[EventDetail]) -> list[EventDetail]:
    """A meeting and a call in one sentence with the same people are one courtesy call."""
    calls = [d for d in sentence if d.event.type == "CALL"]
    if not calls:
        return sentence
    out: list[EventDetail] = []
    for d in sentence:
        if d.event.type == "MEET" and not d.anaphoric:
            mine = set(d.event.participants)
            call = next(
                (
                    c
                    for c in calls
                    if mine <= set(c.event.participants) or set(c.event.participants) <= mine
                ),
                None,
            )
            if call is not None:
                _absorb(call.event, d.event)
                continue
        out.append(d)
    return out


def _settle_participants(ev: Event, ctx: _Ctx) -> None:
    """People where people are named; their countries (and the named states') as parties."""
    named = [c for i in ev.participants if ctx.is_person(i) for c in [ctx.country(i)] if c]
    keep: list[str] = []
    for i in ev.participants:
        state = ctx.state_of(i)
        if state is not None and state in named:
            continue  # "Pakistan and China held talks ... Dar and Wang": the people
        keep.append(i)
    parties = [c for i in ev.participants for c in [ctx.country(i)] if c]
    ev.participants = keep
    ev.parties = list(dict.fromkeys(ev.parties + parties))


_MERGEABLE = ("MEET", "VISIT", "CALL", "JOINT_STATEMENT")


def _merge_same(
    an: Analysis, details: list[EventDetail], keep_empty: bool = False
) -> list[EventDetail]:
    """One event per happening: a later report joins an earlier event it agrees with."""
    ctx_states = _Ctx(an, [])
    out: list[EventDetail] = []
    for det in details:
        ev = det.event
        if not ev.participants and ev.type not in _MERGEABLE:
            if keep_empty:
                out.append(det)
            continue  # a statement or agreement with nobody behind it is not a fact
        same = [d for d in out if d.event.type == ev.type]
        target: EventDetail | None = None
        if ev.type in _MERGEABLE and ev.ordinal:
            target = next((d for d in same if d.event.ordinal == ev.ordinal), None)
        if (
            target is None
            and ev.type in _MERGEABLE
            and not ev.participants
            and same
            and _dates_agree(same[-1].event, ev)
        ):
            target = same[-1]
        if (
            target is None
            and ev.type in _MERGEABLE
            and same
            and not same[-1].event.participants
            and _dates_agree(same[-1].event, ev)
        ):
            # an earlier empty mention of this type is this event
            target = same[-1]
            target.event.start, target.event.end = ev.start, ev.end
        if target is None:
            target = next(
                (d for d in reversed(same) if _same_happening(an, ctx_states, d, det)), None
            )
        if target is None:
            out.append(det)
            continue
        states = _states_only(ctx_states, det, target)
        _absorb(target.event, ev)
        if states and any(ctx_states.is_person(i) for i in target.event.participants):
            # "Pakistan and China signed" + "signed by X and Y": the people take part
            target.event.participants = [i for i in target.event.participants if i not in states]
        target.sources.extend(ev_s for ev_s in det.sources if ev_s not in target.sources)
        target.targets.extend(ev_t for ev_t in det.targets if ev_t not in target.targets)
    if not keep_empty:
        out = [d for d in out if d.event.participants]
    return out


def _states_only(ctx: _Ctx, *dets: EventDetail) -> set[str]:
    """The participants of those reports that name only states (no person, no body)."""
    out: set[str] = set()
    for d in dets:
        ids = d.event.participants
        if ids and all(ctx.state_of(i) for i in ids):
            out.update(ids)
    return out


def _dates_agree(a: Event, b: Event) -> bool:
    ka, kb = _date_key(a), _date_key(b)
    return not (ka and kb and ka != kb)


def _date_key(ev: Event) -> str | None:
    return ev.date or ev.date_inferred or (ev.date_phrase.lower() if ev.date_phrase else None)


def _same_happening(an: Analysis, ctx: _Ctx, old: EventDetail, new: EventDetail) -> bool:
    """Two reports of one event: same type, agreeing ordinal, date, place and participants."""
    a, b = old.event, new.event
    if a.type != b.type:
        return False
    if a.ordinal and b.ordinal and a.ordinal.lower() != b.ordinal.lower():
        return False
    if not _dates_agree(a, b):
        return False
    if a.type != "VISIT" and a.place and b.place and a.place != b.place:
        return False  # a trip's stops are one visit; meetings in two cities are two
    pa, pb = set(a.participants), set(b.participants)
    if not (pa <= pb or pb <= pa or _acts_for(ctx, pa, b) or _acts_for(ctx, pb, a)):
        return False
    if a.type == "AGREE":
        return (
            _agreed_words(an, old) == _agreed_words(an, new)
            or _overlap(_agreed_words(an, old), _agreed_words(an, new)) >= 0.6
        )
    return True


def _acts_for(ctx: _Ctx, states: set[str], other: Event) -> bool:
    """ "Pakistan and China signed" and "signed by X and Y": one signing when the people
    act for the states named (only states on the one side, their countries on the other)."""
    named = {ctx.state_of(i) for i in states}
    parties = set(other.parties)
    if not states or None in named or not parties:
        return False
    return parties <= named or named <= parties


def _agreed_words(an: Analysis, det: EventDetail) -> set[str]:
    info = an.sents[det.sent]
    rest = an.text[det.event.end : info.end].lower()
    return {w[:5] for w in re.findall(r"[a-z][a-z\-]{3,}", rest)}


def _overlap(a: set[str], b: set[str]) -> float:
    return len(a & b) / len(a | b) if a and b else 0.0


def _resolve(an: Analysis, ctx: _Ctx, ev: Event, d: DatePhrase, future: bool) -> None:
    """Give ``d`` to ``ev``: a stated ``date`` or an inferred one with its basis."""
    ev.date_phrase = d.text
    if d.kind in ("iso", "mdy", "dmy"):
        ev.date = resolve_date(d.text, ctx.anchor or an.doc.published, future=future)
        return
    if ctx.anchor is None or d.kind == "vague":
        return
    got = resolve_date(d.text, ctx.anchor, future=future)
    if got is None:
        return
    if d.kind == "relday" and got == ctx.anchor and ctx.anchor_kind == "dateline":
        ev.date = got  # "today" under a dated dateline: the text states the day
        return
    ev.date_inferred = got
    ev.date_basis = f"“{d.text}” counted from the {ctx.anchor_kind} date {ctx.anchor}"


def _assign_dates(
    an: Analysis,
    ctx: _Ctx,
    groups: dict[str, EventDetail],
    dates: list[DatePhrase],
    trigs: list[_Trig],
) -> None:
    """Give each date phrase to the nearest trigger's event."""
    for d in dates:
        if d.start < an.dateline_end:
            continue
        best: _Trig | None = None
        best_dist = 10**9

        def dist_of(t: _Trig, d: DatePhrase = d) -> int:
            return max(t.start - d.end if d.end <= t.start else d.start - t.end, 0)

        # a date goes to the nearest act within reach; to a reporting verb only when it
        # stands right at it ("X said on Monday"); else to an act farther off in its clause
        acts = [t for t in trigs if t.type != "STATEMENT" and dist_of(t) <= 60]
        says = [
            t
            for t in trigs
            if t.type == "STATEMENT"
            and dist_of(t) <= 15
            and (d.start >= t.end or "," not in an.text[d.end : t.start])
        ]
        far = [
            t
            for t in trigs
            if t.type != "STATEMENT"
            and dist_of(t) <= 160
            and not _CLAUSE_BREAK.search(an.text, min(t.end, d.end), max(t.start, d.start))
            and not any(
                u.type == "STATEMENT" and min(t.end, d.end) <= u.start < max(t.start, d.start)
                for u in trigs
            )
        ]
        for t in acts or says or far:
            if dist_of(t) < best_dist:
                best, best_dist = t, dist_of(t)
        if best is None:
            continue
        det = groups.get(best.type)
        if det is None or det.event.date_phrase is not None:
            continue
        lo = max(0, min(best.start, d.start) - 60)
        clause = an.text[lo : max(best.end, d.end)]
        _resolve(an, ctx, det.event, d, bool(_FUTURE.search(clause)))
    # "X and Y on Tuesday held talks and agreed ...": a date before the first trigger
    # belongs to every act of that subject in the sentence
    firsts = [t for t in trigs if t.type != "STATEMENT"]
    if not firsts:
        return
    lead = [d for d in dates if d.end <= firsts[0].start and d.start >= an.dateline_end]
    if not lead:
        return
    dated = [g for g in groups.values() if g.event.date_phrase == lead[-1].text]
    if not dated:
        return
    src = dated[0].event
    for typ, g in groups.items():
        if typ == "STATEMENT" or g.event.date_phrase is not None:
            continue
        first = next((x for x in trigs if x.type == typ), None)
        if first is None:
            continue
        before = an.text[max(0, first.start - 60) : first.start]
        if re.search(r"\band\s+(?:also\s+)?(?:\w+\s+){0,2}$", before):
            g.event.date_phrase, g.event.date = src.date_phrase, src.date
            g.event.date_inferred, g.event.date_basis = src.date_inferred, src.date_basis
