"""Events: MEET, VISIT, CALL, JOINT_STATEMENT, AGREE, SIGN, STATEMENT.

Per sentence, trigger expressions from the domain pack (``events.json``) are
found; one event per type and sentence is kept (its span is the first
trigger's). Participants are entity ids: the subject chain before each trigger
and, for MEET/CALL/SIGN, the object chain after it ("met with X, Y and Z",
"called on X", "a meeting between X and Y", "meeting of the JWG-ICC");
"both sides" / "the two countries" stand for the article's country pair;
"He" / "She" for the most recent person. A trigger that refers back ("the
meeting", "during the visit") adds its participants to the earlier event of
that type instead of making a new one.

Place is only what the sentence states for the event: a place after "in"/"at"
(or the destination of a visit: "visit to China", "arrived in Beijing"); the
dateline never counts. Date: the date phrase of the sentence nearest to the
trigger, resolved against the publication date (``dates``); unresolvable
phrases stay in ``date_phrase`` with ``date`` None. Ordinals before the
trigger or before a joint body ("fourth meeting", "the 14th JCC") are kept as
written.

Each type maps to a PLOVER event type (``PLOVER``); STATEMENT has none.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..document import Event, Mention
from ..domain import load_pack
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
    r"(?:\b(?:in|at|inside)\s+(?:the\s+)?|\bvisit(?:s|ed)?\s+(?:to\s+)?|\btrip to\s+|"
    r"\barrived in\s+|\barrives in\s+|\btoured\s+)$",
    re.I,
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
_NOT_VENUE_BEFORE = frozenset(
    [
        "floods",
        "flood",
        "situation",
        "investment",
        "investments",
        "projects",
        "project",
        "cooperation",
        "peace",
        "stability",
        "development",
        "people",
        "students",
        "workers",
        "personnel",
        "interest",
        "interests",
        "presence",
        "embassy",
        "consulate",
        "office",
        "security",
        "terrorism",
        "attacks",
        "attack",
        "crisis",
        "conflict",
        "zone",
        "zones",
        "elections",
        "trade",
        "growth",
        "stake",
        "stakes",
        "role",
        "progress",
        "industry",
        "sector",
        "sectors",
    ]
)
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
        if trig.type != "VISIT" and re.search(
            r"\b(?:visit(?:s|ed)?\s+(?:to\s+)?|trip to\s+)$", before, re.I
        ):
            continue
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


def find_events(
    an: Analysis,
    mentions: list[Mention],
    actors: Actors | None = None,
    keep_empty: bool = False,
) -> list[EventDetail]:
    """Events of an analysed document, in text order, with source/target actors.

    ``keep_empty`` keeps statements and agreements whose actors were not found
    (dropped by default: a fact needs someone behind it); evaluation of event
    typing alone uses it.
    """
    actors = actors or Actors(an, mentions)
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
        for trig in trigs:
            lo, hi = _clause_bounds(text, lo_sent, s_end, trig.start)
            subj_pos = trig.start
            lv = _LIGHT_VERB.search(text, max(lo_sent, trig.start - 60), trig.start)
            if lv is not None:
                subj_pos = lv.start()
            subj = actors.subject(subj_pos, lo)
            if not subj and trig.type != "STATEMENT":
                subj = actors.subject(subj_pos, lo_sent)
            if not subj and re.search(
                r"\b(?:and|but)\s+(?:also\s+)?$", text[max(lo_sent, subj_pos - 12) : subj_pos]
            ):
                # "X welcomed ... and appreciated ...": the coordinated verb's subject
                subj = actors.clause_subject(subj_pos, lo_sent) or list(sent_first_subject)
            if not subj and trig.type in ("VISIT", "MEET", "CALL"):
                poss = _POSSESSOR.search(text, max(lo_sent, trig.start - 60), trig.start)
                if poss is not None:
                    owner = actors.by_end.get(poss.start() + len(poss.group(1)))
                    if owner is not None:
                        subj = [owner]  # "Prime Minister Shehbaz Sharif's four-day visit"
            if subj and not sent_first_subject:
                sent_first_subject = subj
            obj: list[ActorSpan] = []
            if trig.type in ("MEET", "CALL", "SIGN", "STATEMENT", "VISIT"):
                extra: tuple[str, ...] = ("of", "the") if trig.type in ("MEET", "VISIT") else ()
                obj = actors.object(trig.end, hi, extra)
                if trig.type == "VISIT":
                    obj = [a for a in obj if a.label == "PERSON"]
                if trig.type == "STATEMENT" and (
                    subj or text[trig.start : trig.end].lower() not in _SPEAKER_AFTER
                ):
                    obj = []
            if (
                not subj
                and trig.type in ("AGREE", "JOINT_STATEMENT", "SIGN")
                and sent_first_subject
            ):
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
        _assign_dates(an, groups, dates, trigs)
        for typ in load_pack().events.priority:
            det = groups.get(typ)
            if det is None:
                continue
            ids = _ids(actors, det.sources) + [
                i for i in _ids(actors, det.targets) if i not in _ids(actors, det.sources)
            ]
            if typ == "JOINT_STATEMENT" and not ids:
                ids = list(an.pair)
            if (
                typ == "AGREE"
                and not ids
                and re.search(r"\bit was\b|\bwere agreed\b", info.text, re.I)
            ):
                ids = list(an.pair)
            det.event.participants = ids
            prev = last_of_type.get(typ)
            if det.anaphoric and prev is not None:
                for i in ids:
                    if i not in prev.event.participants:
                        prev.event.participants.append(i)
                if prev.event.date is None and det.event.date is not None:
                    prev.event.date, prev.event.date_phrase = det.event.date, det.event.date_phrase
                if prev.event.place is None and det.event.place is not None:
                    prev.event.place = det.event.place
                continue
            details.append(det)
            last_of_type[typ] = det
            if typ in ("MEET", "VISIT", "CALL"):
                persons = tuple(
                    i for a in det.sources + det.targets if a.label == "PERSON" for i in a.ids
                )
                actors.last_group = persons if len(persons) >= 2 else actors.last_group
    details.sort(key=lambda d: d.event.start)
    return _merge_same(details, keep_empty)


_MERGEABLE = ("MEET", "VISIT", "CALL", "JOINT_STATEMENT")


def _merge_same(details: list[EventDetail], keep_empty: bool = False) -> list[EventDetail]:
    """One event per occurrence: same ordinal, or no participants, joins its type's event."""
    out: list[EventDetail] = []
    for det in details:
        ev = det.event
        if not ev.participants and ev.type not in _MERGEABLE:
            if keep_empty:
                out.append(det)
            continue  # a statement or agreement with nobody behind it is not a fact
        target: EventDetail | None = None
        if ev.type in _MERGEABLE:
            same = [d for d in out if d.event.type == ev.type]
            if ev.ordinal:
                target = next((d for d in same if d.event.ordinal == ev.ordinal), None)
            if target is None and not ev.participants and same:
                target = same[-1]
            if target is None and same and not same[-1].event.participants:
                # an earlier empty mention of this type is this event
                target = same[-1]
                target.event.start, target.event.end = ev.start, ev.end
        if target is None:
            out.append(det)
            continue
        tev = target.event
        for p in ev.participants:
            if p not in tev.participants:
                tev.participants.append(p)
        tev.ordinal = tev.ordinal or ev.ordinal
        tev.place = tev.place or ev.place
        if tev.date is None and ev.date is not None:
            tev.date, tev.date_phrase = ev.date, ev.date_phrase
        tev.date_phrase = tev.date_phrase or ev.date_phrase
        target.sources.extend(ev_s for ev_s in det.sources if ev_s not in target.sources)
        target.targets.extend(ev_t for ev_t in det.targets if ev_t not in target.targets)
    return out


def _assign_dates(
    an: Analysis, groups: dict[str, EventDetail], dates: list[DatePhrase], trigs: list[_Trig]
) -> None:
    """Give each date phrase to the nearest trigger's event."""
    pub = an.doc.published
    for d in dates:
        if d.start < an.dateline_end:
            continue
        best: _Trig | None = None
        best_dist = 10**9

        def dist_of(t: _Trig, d: DatePhrase = d) -> int:
            return max(t.start - d.end if d.end <= t.start else d.start - t.end, 0)

        # a date goes to the nearest act within reach; to a reporting verb only when it
        # stands right at it ("X said on Monday")
        acts = [t for t in trigs if t.type != "STATEMENT" and dist_of(t) <= 60]
        says = [t for t in trigs if t.type == "STATEMENT" and dist_of(t) <= 15]
        for t in acts or says:
            if dist_of(t) < best_dist:
                best, best_dist = t, dist_of(t)
        if best is None:
            continue
        det = groups.get(best.type)
        if det is None or det.event.date_phrase is not None:
            continue
        lo = max(0, min(best.start, d.start) - 60)
        clause = an.text[lo : max(best.end, d.end)]
        future = bool(_FUTURE.search(clause))
        det.event.date_phrase = d.text
        det.event.date = resolve_date(d.text, pub, future=future)
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
    for typ, g in groups.items():
        if typ == "STATEMENT" or g.event.date_phrase is not None:
            continue
        first = next((x for x in trigs if x.type == typ), None)
        if first is None:
            continue
        before = an.text[max(0, first.start - 60) : first.start]
        if re.search(r"\band\s+(?:also\s+)?(?:\w+\s+){0,2}$", before):
            g.event.date_phrase, g.event.date = dated[0].event.date_phrase, dated[0].event.date
