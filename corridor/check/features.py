"""Alignment features of a claim and a piece of evidence, with named findings.

Each detector compares one kind of detail of the claim with the evidence and
reports a ``Finding``: the detail *matches*, *mismatches* (the evidence states
a different value for the same slot: "fourth" vs "third" meeting, five-day vs
three-day visit, a different person in the same role, another venue, date or
year, a negation or a reversed action, the parties swapped) or is *unstated*
(the evidence says nothing about it: an amount, a venue, a date). The
findings become a fixed feature vector for the judge, and the strongest one
becomes the plain-language reason of a verdict.
"""

from __future__ import annotations

import datetime as _dt
import difflib
import re
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING

from .facts import EntityRef, Facts, surface_forms
from .text import BUILDING_END, STOPWORDS, Quantity, content_words, stem

if TYPE_CHECKING:
    from ..domain import LexEntry

__all__ = ["Finding", "PairFeatures", "compare"]

MISMATCH_KINDS = ("ordinal", "number", "date", "year", "place", "person", "role", "negation",
                  "action", "swap", "name", "hedge", "polarity")

#: the share of the claim's content words that makes evidence "about the same thing"
ANCHOR_RECALL = 0.5
#: ... or a third of them with a value stated otherwise in the same slot ("ended in 2013"
#: against "the series finale aired on May 14, 2012")
MISMATCH_ANCHOR_RECALL = 1 / 3
_VALUE_SLOTS = ("ordinal", "number", "date", "year", "place")


@dataclass
class Finding:
    kind: str  # one of MISMATCH_KINDS (or "coverage")
    status: str  # "match" | "mismatch" | "unstated"
    claim: str
    evidence: str | None = None
    #: the evidence's value is the record's inference (a date resolved from "on Monday"
    #: against the publication date), not words the model reads
    inferred: bool = False

    def message(self) -> str:
        what = {"ordinal": "", "number": "", "date": "date ", "year": "year ",
                "place": "", "person": "", "role": "", "negation": "", "action": "",
                "swap": ""}.get(self.kind, "")
        if self.status == "mismatch":
            if self.kind in ("negation", "polarity"):
                return f"the claim says {self.claim!r}, the article says {self.evidence!r}"
            if self.kind == "swap":
                return f"the roles are reversed: the article says {self.evidence!r}, " \
                       f"the claim says {self.claim!r}"
            return f"the article says {what}{self.evidence!r}, the claim says {what}{self.claim!r}"
        if self.kind == "hedge":
            return (f"the article only says {self.evidence!r} where the claim says "
                    f"{self.claim!r}")
        if self.status == "unstated":
            return f"the record does not state {what}{self.claim!r}"
        return f"the article also says {what}{self.claim!r}"


@dataclass
class PairFeatures:
    values: dict[str, float]
    findings: list[Finding] = field(default_factory=list)

    @property
    def mismatches(self) -> list[Finding]:
        return [f for f in self.findings if f.status == "mismatch"]

    @property
    def unstated(self) -> list[Finding]:
        return [f for f in self.findings if f.status == "unstated"]


# -- entities -----------------------------------------------------------------
_NAME_TOKEN = re.compile(r"[^\W\d_]+", re.UNICODE)
#: words of an office, not of a name ("President Alvi" is named "Alvi")
TITLE_WORDS = frozenset([
    "president", "minister", "prime", "premier", "secretary", "ambassador", "chairman",
    "general", "deputy", "vice", "foreign", "state", "councillor"
])


def fold(text: str) -> str:
    """``text`` without its accents, for comparing names: "Noël" is "Noel", "Erdoğan"
    is "Erdogan" (news in English writes a name both ways)."""
    return "".join(c for c in unicodedata.normalize("NFKD", text)
                   if not unicodedata.combining(c))


def _name_tokens(name: str) -> set[str]:
    return {t.lower() for t in _NAME_TOKEN.findall(fold(name))} - TITLE_WORDS - STOPWORDS


def written(form: str, text: str) -> Iterator[re.Match[str]]:
    """Where ``form`` is written in ``text`` as a whole word: case-blind, except a short
    acronym, which must be in capitals ("APP" is not "app")."""
    flags = 0 if (form.isupper() and len(form) <= 6) else re.IGNORECASE
    return re.finditer(rf"(?<![\w-]){re.escape(form)}(?![\w-])", text, flags)


def _found_in_text(forms: Sequence[str], text: str) -> bool:
    text = fold(text)
    return any(next(written(fold(f), text), None) is not None for f in forms)


def entity_present(ref: EntityRef, ev: Facts) -> bool:
    if ref.id and any(e.id == ref.id for e in ev.entities):
        return True
    mine = _name_tokens(ref.name)
    if mine:
        for e in ev.entities:
            theirs = _name_tokens(e.name)
            if theirs and (mine <= theirs or (theirs <= mine and len(theirs) >= 2)):
                return True
    return _found_in_text(surface_forms(ref.id, ref.name), ev.text.text)


def named_anywhere(ref: EntityRef, ids: set[str], text: str) -> bool:
    """Does an article name the person ``ref`` at all (its entity id among ``ids``, the
    ids of its mentions, or any word of the name or of an alias written in ``text``, its
    whole text: "President Alvi" names "Arif Alvi")? Lenient on purpose: it only rules
    out an article that never names the person."""
    if ref.id and ref.id in ids:
        return True
    words = _name_tokens(ref.name)
    for form in surface_forms(ref.id, ref.name):
        words |= _name_tokens(form)
    words = {w for w in words if len(w) >= 2}
    if not words:
        return True
    text = fold(text)
    if any(re.search(rf"(?<![\w-]){re.escape(w)}(?!\w)", text, re.IGNORECASE) for w in words):
        return True  # "Riddick-based" names Riddick
    # a name spelt another way ("Hickman" for "Hickam"): a long word of it nearly written,
    # with the same first three letters ("Hashmi" is not "Kashmir")
    long = [w for w in words if len(w) >= 5]
    return bool(long) and any(
        c[:3].lower() == w[:3] and difflib.SequenceMatcher(None, w, c.lower()).ratio() >= 0.75
        for c in set(_CAPITALISED.findall(text)) for w in long)


def _positions(ref: EntityRef, text: str) -> list[int]:
    return sorted({m.start() for f in surface_forms(ref.id, ref.name)
                   for m in written(f, text)})


# -- details ------------------------------------------------------------------
_IDIOM_QUANTITY_UNITS = frozenset(stem(w) for w in (
    "way", "side", "sides", "country", "countries", "nation", "nations", "leader", "leaders",
    "government", "governments", "neighbour", "neighbours", "party", "parties", "state",
    "states", "friend", "friends", "people", "brother", "brothers", "time", "times"))


def _ordinal_value(text: str | None) -> int | None:
    from .text import _ORDINAL_WORDS

    if not text:
        return None
    m = re.fullmatch(r"(\d+)(?:st|nd|rd|th)?", text.strip().lower())
    return int(m.group(1)) if m else _ORDINAL_WORDS.get(text.strip().lower())


def _ordinals(claim: Facts, ev: Facts, out: list[Finding]) -> None:
    ev_ords = [(o.value, o.head, o.text, _series(ev.text.text, o.start)) for o in ev.text.ordinals]
    for e in ev.events:
        v = _ordinal_value(e.ordinal)
        if v is not None and e.type == "MEET":
            where = ev.text.text.lower().find((e.ordinal or "").lower())
            ev_ords.append((v, stem("meeting"), e.ordinal or str(v),
                            _series(ev.text.text, where) if where >= 0 else frozenset()))
    for o in claim.text.ordinals:
        if not o.head:
            continue
        series = _series(claim.text.text, o.start)
        same_head = [x for x in ev_ords if x[1] == o.head
                     and (not series or not x[3] or series <= x[3] or x[3] <= series)]
        if any(x[0] == o.value for x in same_head):
            out.append(Finding("ordinal", "match", _phrase(claim.text.text, o.start)))
        elif same_head and any(x[0] == o.value and not x[1] for x in ev_ords):
            # the value is stated with its noun shared ("the seventh and final season")
            out.append(Finding("ordinal", "match", _phrase(claim.text.text, o.start)))
        elif same_head:
            if claim.text.future and o.value > max(x[0] for x in same_head):
                out.append(Finding("ordinal", "unstated", o.text))  # a later, future one
            else:
                best = same_head[0]
                out.append(Finding("ordinal", "mismatch", _phrase(claim.text.text, o.start),
                                   _phrase(ev.text.text, _find(ev.text.text, best[2]))))
        else:
            out.append(Finding("ordinal", "unstated", _phrase(claim.text.text, o.start)))


def _series(text: str, start: int) -> frozenset[str]:
    """Acronyms in the phrase an ordinal counts ("fourth JWG-ICC meeting" -> {JWG-ICC}):
    "the 13th JCC meeting" and "the fourth JWG-ICC meeting" are different series."""
    # the whole clause: a long name may come before its acronym ("the fourth meeting of
    # the ... Joint Working Group on International Cooperation (JWG-ICC)")
    window = re.split(r"(?<!\b[A-Z])[.;,](?:\s|$)", text[start:start + 200])[0]
    return frozenset(a for a in re.findall(r"\b[A-Z][A-Z0-9]+(?:-[A-Z0-9]+)*\b", window)
                     if len(a) >= 2 and not re.fullmatch(r"[IVX]+", a))  # not "Phase-III"


def _find(text: str, needle: str) -> int:
    i = text.lower().find(needle.lower())
    return max(i, 0)


def _phrase(text: str, start: int, words: int = 2) -> str:
    """``words`` words of ``text`` from ``start`` (for reasons: "fourth meeting")."""
    m = re.match(r"\S+(?:\s+\S+){0,%d}" % (words - 1), text[start:])  # noqa: UP031
    return (m.group(0) if m else text[start:start + 20]).rstrip(".,;:)")


def _units_compatible(a: str, b: str) -> bool:
    return a == b and a != ""


def _numbers(claim: Facts, ev: Facts, out: list[Finding]) -> None:
    for q in claim.text.quantities:
        if q.value == 2 and q.unit in _IDIOM_QUANTITY_UNITS:
            continue
        definite = q.value <= 3 and bool(_DEFINITE.search(claim.text.text, 0, q.start))
        same_value = [x for x in ev.text.quantities
                      if abs(x.value - q.value) <= 0.01 * max(abs(q.value), 1e-9)]
        compatible = [x for x in ev.text.quantities if _units_compatible(x.unit, q.unit)]
        bound = _bound(claim.text.text, q.start)
        if bound and compatible:
            # "more than 100,000 copies" is stated by "258,000 copies"
            within = [x for x in compatible
                      if (x.value > q.value if bound == "min" else x.value < q.value)]
            if within:
                out.append(Finding("number", "match", _with_unit(claim.text.text, q.start,
                                                                 q.text)))
                continue
        if any(_units_compatible(x.unit, q.unit) or not x.unit or not q.unit
               or _counts(ev.text.text, x, q.unit) for x in same_value):
            out.append(Finding("number", "match", _with_unit(claim.text.text, q.start, q.text)))
        elif q.unit == "year" and any(o.head == "anniversary" for o in ev.text.ordinals):
            # "75 years of relations" is the "75th anniversary" (of the same value or not)
            o = next(o for o in ev.text.ordinals if o.head == "anniversary")
            if o.value == q.value:
                out.append(Finding("number", "match", _with_unit(claim.text.text, q.start,
                                                                 q.text)))
            else:
                out.append(Finding("number", "mismatch", _with_unit(claim.text.text, q.start,
                                                                    q.text),
                                   f"{o.text} anniversary"))
        elif compatible:
            x = compatible[0]
            out.append(Finding("number", "mismatch", _with_unit(claim.text.text, q.start, q.text),
                               _with_unit(ev.text.text, x.start, x.text)))
        elif q.unit and not definite:
            # ("the two broadcasters" names parties the text has introduced: no count)
            out.append(Finding("number", "unstated", _with_unit(claim.text.text, q.start,
                                                                 q.text)))


#: "the two ...", "these three ...": the number refers back to parties already named
_DEFINITE = re.compile(r"\b(?:the|these|those|both)\s+$", re.IGNORECASE)

_LOWER_BOUND = re.compile(r"\b(?:more than|over|at least|in excess of|upwards of|"
                          r"above|exceeding)\s+$", re.IGNORECASE)
_UPPER_BOUND = re.compile(r"\b(?:fewer than|less than|under|at most|up to|below|"
                          r"no more than)\s+$", re.IGNORECASE)


def _bound(text: str, start: int) -> str | None:
    """Is the number at ``start`` a bound ("more than 50": "min"; "under 50": "max")?"""
    before = text[max(0, start - 24):start]
    if _UPPER_BOUND.search(before):
        return "max"
    if _LOWER_BOUND.search(before):
        return "min"
    return None


def _counts(text: str, x: Quantity, unit: str) -> bool:
    """Does the number ``x`` count ``unit`` within the next words ("over a dozen
    documents covering cooperation" counts documents, whatever the phrase's head)?"""
    after = text[x.start + len(x.text):x.start + len(x.text) + 40]
    return unit in content_words(" ".join(after.split()[:3]))


def _with_unit(text: str, start: int, qtext: str) -> str:
    rest = text[start + len(qtext):]
    m = re.match(r"[\s-]*(?:[a-z]+\s+){0,1}[a-z]+", rest)
    return (qtext + (m.group(0) if m and "-" in qtext else "")).strip()


_DateTuple = tuple[int | None, int | None, int | None, str]


def _event_dates(facts: Facts, types: set[str]) -> list[_DateTuple]:
    """Dates of the evidence's events whose date phrase the evidence itself states (a
    date that extraction took from a dateline, a title or another sentence is not
    this evidence's to give)."""
    out: list[_DateTuple] = []
    text = facts.text.text.lower()
    for e in facts.events:
        if e.date_phrase and e.date_phrase.lower() not in text:
            continue
        if e.date and (not types or e.type in types):
            m = re.match(r"(\d{4})-(\d{2})-(\d{2})", e.date)
            if m:
                out.append((int(m.group(1)), int(m.group(2)), int(m.group(3)),
                            e.date_phrase or e.date))
    return out


def _relative(phrase: str) -> bool:
    """A date phrase that names no year, month or day number ("on Monday", "today")."""
    return not re.search(r"\d|" + "|".join(_MONTH_NAMES), phrase, re.IGNORECASE)


def _dated(x: _DateTuple) -> str:
    """How the evidence dates it, with the resolved date when the phrase is relative."""
    phrase = str(x[3])
    if _relative(phrase) and x[0] and x[1] and x[2]:
        day = _dt.date(x[0], x[1], x[2])
        return f"{phrase} ({day.day} {day.strftime('%b %Y')})"
    return phrase if not _relative(phrase) else f"{phrase} ({x[0]})"


_MONTH_NAMES = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov",
                "dec")
_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_WEEKDAY = re.compile(r"\b(" + "|".join(_WEEKDAYS) + r")\b", re.IGNORECASE)


def _weekdays(claim: Facts, ev: Facts, out: list[Finding]) -> None:
    """"On Wednesday" against "on Thursday": a weekday is a date the text states."""
    stated = {m.group(1).lower(): m.group(1) for m in _WEEKDAY.finditer(ev.text.text)}
    if not stated:  # a full date the evidence states has a weekday too
        for d in ev.text.dates:
            if d.year and d.month and d.day:
                try:
                    name = _WEEKDAYS[_dt.date(d.year, d.month, d.day).weekday()]
                except ValueError:
                    continue
                stated.setdefault(name, f"{name.capitalize()} ({d.text})")
    for m in _WEEKDAY.finditer(claim.text.text):
        day = m.group(1).lower()
        if day in stated:
            out.append(Finding("date", "match", f"on {m.group(1)}"))
        elif stated:
            out.append(Finding("date", "mismatch", f"on {m.group(1)}",
                               f"on {next(iter(stated.values()))}"))
        else:
            out.append(Finding("date", "unstated", f"on {m.group(1)}"))


def _dates(claim: Facts, ev: Facts, out: list[Finding]) -> None:
    _weekdays(claim, ev, out)
    claim_types = {e.type for e in claim.events}
    ev_text_dates: list[_DateTuple] = [(d.year, d.month, d.day, d.text) for d in ev.text.dates]
    ev_event_dates = _event_dates(ev, claim_types)
    for d in claim.text.dates:
        label = d.text
        if d.day is not None and d.month is not None:
            pool = [x for x in ev_text_dates if x[2] is not None] + ev_event_dates
            same = [x for x in pool if x[1] == d.month and x[2] == d.day
                    and (d.year is None or x[0] is None or x[0] == d.year)]
            if same:
                out.append(Finding("date", "match", label))
            elif ev_event_dates or [x for x in ev_text_dates if x[2] is not None]:
                x = (ev_event_dates or [x for x in ev_text_dates if x[2] is not None])[0]
                out.append(Finding("date", "mismatch", label, _dated(x),
                                   inferred=_relative(x[3])))
            else:
                out.append(Finding("date", "unstated", label))
        elif d.year is not None:
            years = {x[0] for x in ev_text_dates if x[0] is not None}
            event_years = {x[0] for x in ev_event_dates if x[0] is not None}
            months_ok = d.month is None or any(
                x[1] == d.month for x in ev_text_dates + ev_event_dates if x[0] == d.year)
            if (d.year in years or d.year in event_years) and months_ok:
                out.append(Finding("year", "match", label))
            elif event_years and d.year not in event_years and claim_types:
                x = ev_event_dates[0]
                out.append(Finding("year", "mismatch", label, _dated(x),
                                   inferred=_relative(x[3])))
            elif years and d.year not in years:
                # the evidence states years, and not the claim's: another value, not silence
                other = next(x for x in ev_text_dates if x[0] is not None)
                out.append(Finding("year", "mismatch", label, str(other[3])))
            else:
                out.append(Finding("year", "unstated", label))


def _venues(claim: Facts, ev: Facts, out: list[Finding]) -> None:
    from ..domain import load_pack

    pack = load_pack()
    ev_text = ev.text.text
    ev_venues = [(v, prep) for v, _, prep in ev.text.venues if _place_like(v, ev)]
    claim_types = {e.type for e in claim.events}
    ev_venues += [(e.place, "in") for e in ev.events if e.place and (not claim_types
                                                                     or e.type in claim_types)]
    for venue, _start, prep in claim.text.venues:
        if not _place_like(venue, claim):
            continue
        entry = pack.lookup(venue)
        forms = surface_forms(entry.id if entry else None, venue)
        if _found_in_text(forms, ev_text) and not (entry is not None
                                                   and _paired_capital(forms, ev_text)):
            out.append(Finding("place", "match", f"{prep} {venue}"))
            continue
        if entry is not None and entry.kind == "country":
            # a city of that country as the venue is no contradiction
            inside = [v for v, _ in ev_venues if (pack.lookup(v) or entry).country == entry.id]
            if inside:
                out.append(Finding("place", "match", f"{prep} {venue}"))
                continue
        # a city against a city, a building against a building: "at the Serena Hotel"
        # is not contradicted by "in Islamabad"
        others = [v for v, p in ev_venues if v.lower() != venue.lower() and p == prep
                  and not _demonym_of(venue, v) and not _may_be_inside(venue, entry, v)]
        if others and _is_place(others[0]):
            out.append(Finding("place", "mismatch", f"{prep} {venue}",
                               f"{prep} {_place_name(others[0])}"))
        else:
            out.append(Finding("place", "unstated", f"{prep} {venue}"))


def _may_be_inside(venue: str, entry: LexEntry | None, other: str) -> bool:
    """Is ``other`` a country that the claim's ``venue`` (a city, a building; ``entry``,
    its lexicon entry if it has one) may lie in:
    "in China" does not contradict "in Harbin" unless the lexicon puts Harbin in
    another country?"""
    from ..domain import load_pack

    country = load_pack().lookup(other)
    if country is None or country.kind != "country":
        return False
    if entry is None:
        return venue.strip().lower() not in _world_countries()
    return entry.kind != "country" and entry.country in (None, "", country.id)


@lru_cache(maxsize=1)
def _world_countries() -> frozenset[str]:
    """The English names of the world's countries and territories (CLDR, via Babel): a
    place the lexicon does not know that is one of these lies in no other country."""
    from babel import Locale

    return frozenset(name.lower() for code, name in Locale("en").territories.items()
                     if len(code) == 2 and code.isalpha())


def _paired_capital(forms: Sequence[str], text: str) -> bool:
    """Is the place named only beside another as one of two governments ("Islamabad and
    Beijing reached an agreement"): a metonym for a country, not where anything was?"""
    found = paired = 0
    for f in forms:
        for m in re.finditer(rf"(?<![\w-]){re.escape(f)}(?![\w-])", text):
            found += 1
            before, after = text[max(0, m.start() - 20):m.start()], text[m.end():m.end() + 20]
            if re.search(r"\b(?:in|at|to|from|between|of)\s+(?:\w+\s+and\s+)?$", before,
                         re.IGNORECASE):
                continue  # "in Islamabad and Beijing": places
            if re.search(r"\b[A-Z]\w+\s+and\s+$", before) or re.match(r"\s+and\s+[A-Z]", after):
                paired += 1
    return found > 0 and paired == found


_DEMONYM_END = re.compile(r"(?:e?an|ian|ese|ish|i|ic|n)$")


def _demonym_of(a: str, b: str) -> bool:
    """Is one name the other's adjective ("Europe" / "European", "China" / "Chinese")?"""
    a, b = a.lower().strip(), b.lower().strip()
    if " " in a or " " in b:
        return False
    short, long_ = sorted((a, b), key=len)
    n = 0
    while n < len(short) and short[n] == long_[n]:
        n += 1
    return n >= 4 and n >= len(short) - 2 and bool(_DEMONYM_END.fullmatch(long_[n:]))


def _place_like(name: str, facts: Facts) -> bool:
    """Is a venue phrase a place? The lexicon, else extraction's label, else its shape."""
    from ..domain import load_pack

    if BUILDING_END.search(name):
        return True  # "the IDCPC headquarters": a body's building is a place
    entry = load_pack().lookup(name)
    if entry is not None:
        return entry.type == "PLACE"
    low = name.lower()
    labels = {e.label for e in facts.entities
              if e.name.lower() == low or low in e.name.lower() or e.name.lower() in low}
    if labels:
        return "PLACE" in labels
    return not name.isupper() and " " not in name


def _is_place(name: str) -> bool:
    from ..domain import load_pack

    entry = load_pack().lookup(name)
    return entry is None or entry.type == "PLACE"


def _place_name(value: str) -> str:
    from ..domain import load_pack

    entry = load_pack().entities.get(value) or load_pack().lookup(value)
    return entry.name if entry is not None else value


def _anchored(claim: Facts, present: dict[int, bool], found: list[Finding]) -> bool:
    """Is the evidence about the same thing? A shared entity that is not a country or a
    person, or a matched detail (ordinal, number, date, venue)."""
    from ..domain import load_pack

    pack = load_pack()
    for i, ref in enumerate(claim.entities):
        if not present[i] or ref.label == "PERSON" or (ref.id or "").startswith("person:"):
            continue
        entry = pack.entities.get(ref.id or "")
        if entry is not None and entry.kind == "country":
            continue
        return True
    return any(f.status == "match" and f.kind in ("ordinal", "number", "date", "place")
               for f in found)


_CAPITALISED = re.compile(r"(?<![\w-])[A-Z][\w-]*[A-Za-z0-9]", re.UNICODE)


@lru_cache(maxsize=1)
def _country_words() -> frozenset[str]:
    """Words of country names, aliases and demonyms: shared by most of a corpus about
    two countries, so they never make two texts about the same thing."""
    from ..domain import load_pack

    words: set[str] = set()
    for entry in load_pack().entities.values():
        if entry.kind == "country":
            for form in (*entry.aliases, *entry.demonyms):
                words.update(w.lower() for w in _NAME_TOKEN.findall(form))
    return frozenset(words)


@lru_cache(maxsize=1024)
def _name_words(text: str) -> frozenset[str]:
    """The proper-name words of a text: capitalised words that are not function words,
    titles, months, weekdays or a country's words ("Poldark", "Cruz", "Kaepernick")."""
    from .text import _MONTHS

    out = set()
    for m in _CAPITALISED.finditer(text):
        word = m.group(0)
        low = word.lower()
        if (low in STOPWORDS or low in TITLE_WORDS or low in _MONTHS or low in _WEEKDAYS
                or low in _country_words() or len(word) < 3 and not word.isupper()):
            continue
        out.add(word)
    return frozenset(out)


def _shares_name(claim: Facts, ev: Facts) -> bool:
    """Does the evidence write a proper-name word of the claim (a surname alone counts)?"""
    # compared in one Unicode form: "Bolívar" may be stored with a combining accent
    names = _name_words(unicodedata.normalize("NFC", claim.text.text))
    text = unicodedata.normalize("NFC", ev.text.text)
    return bool(names) and any(
        re.search(rf"(?<![\w-]){re.escape(n)}(?![\w-])", text) for n in names)


def _persons(claim: Facts, ev: Facts, present: dict[int, bool], out: list[Finding]) -> None:
    if not _anchored(claim, present, out):
        return
    ev_persons = ev.persons()
    focus_text = ev.text.text[ev.focus_start:]
    for i, ref in enumerate(claim.entities):
        if not (ref.label == "PERSON" or (ref.id or "").startswith("person:")):
            continue
        if present[i]:
            out.append(Finding("person", "match", ref.name))
            continue
        # a bare title ("the Ambassador") refers to someone: it names no other person
        others = [p for p in ev_persons
                  if not any(_same_entity(p, c) for c in claim.entities)
                  and p.name in focus_text and _name_tokens(p.name)]
        if others:
            names = " and ".join(dict.fromkeys(p.name for p in others[:2]))
            out.append(Finding("person", "mismatch", ref.name, names))


def _same_entity(a: EntityRef, b: EntityRef) -> bool:
    if a.id and a.id == b.id:
        return True
    ta, tb = _name_tokens(a.name), _name_tokens(b.name)
    return bool(ta and tb and (ta <= tb or tb <= ta))

_QUALIFIERS = frozenset([
    "deputy", "vice", "assistant", "acting", "former", "additional", "special", "state",
    "junior", "senior", "interim", "caretaker"
])


def _title_key(title: str) -> tuple[frozenset[str], str]:
    """(qualifiers, normalised head) of a title: "Deputy Prime Minister" -> ({deputy}, ...)."""
    from ..domain import load_pack

    syn = load_pack().titles.synonyms
    low = re.sub(r"\s+", " ", title.lower().replace("-", " ")).strip()
    low = re.sub(r" for ", " of ", low)  # "Minister for Foreign Affairs" = "... of ..."
    words = low.split()
    quals = frozenset(w for w in words if w in _QUALIFIERS)
    rest = " ".join(w for w in words if w not in _QUALIFIERS)
    rest = syn.get(rest, rest)
    return quals, rest


def _roles(claim: Facts, ev: Facts, out: list[Finding]) -> None:
    ev_titles = [t for t, _ in ev.text.titles]
    ev_titles += [e.role for e in ev.entities if e.role]
    ev_keys = [(_title_key(t), t) for t in ev_titles]
    for title, _start in claim.text.titles:
        quals, head = _title_key(title)
        if not head:
            continue
        same_head = [(k, t) for k, t in ev_keys if k[1] == head]
        if any(k[0] == quals for k, _ in same_head):
            out.append(Finding("role", "match", title))
        elif same_head:
            out.append(Finding("role", "mismatch", title, same_head[0][1]))


_NEGATING_CUES = frozenset({"not", "no", "never", "n't", "n’t", "neither", "nor", "cannot",
                            "failed to", "fail to", "nothing", "none", "nobody"})
_EXCLUDING_CUES = frozenset({"rather than", "instead of", "but not", "other than", "except",
                             "excluding"})


#: how many content words after a negation cue it is taken to negate
NEGATED_WORDS = 3


def _negation(claim: Facts, ev: Facts, recall: float, out: list[Finding]) -> None:
    cwords = set(claim.text.words)
    ev_words = set(ev.text.words)
    # "X rather than Y", "but not Y": the claim denies Y; the article affirming Y refutes it
    for n in claim.text.negations:
        if n.cue in _EXCLUDING_CUES or (n.cue in _NEGATING_CUES and n.cue != "no"):
            scope = [w for w in n.scope if w not in STOPWORDS]
            if n.cue in _EXCLUDING_CUES and scope and sum(w in ev_words for w in scope) >= max(
                    1, (len(scope) + 1) // 2):
                ev_neg = [m for m in ev.text.negations if set(m.scope) & set(scope)]
                if not ev_neg:
                    phrase = claim.text.text[n.start:].split(",")[0].split(".")[0]
                    out.append(Finding("negation", "mismatch", phrase.strip(),
                                       _context(ev.text.text, scope)))
                    return
    for n in claim.text.negations:
        if n.cue in _EXCLUDING_CUES and not any(
                m.cue in _EXCLUDING_CUES | _NEGATING_CUES for m in ev.text.negations):
            out.append(Finding("negation", "unstated", _phrase(claim.text.text, n.start, 5)))
            return
    claim_neg = [n for n in claim.text.negations if n.cue in _NEGATING_CUES
                 and (set(n.scope) & ev_words)]
    # the words right after the cue are what it negates: "not seen in a century is
    # accelerating, the China-Pakistan relationship ..." negates no word of a claim
    # about the relationship
    ev_neg = [n for n in ev.text.negations if n.cue in _NEGATING_CUES
              and set(n.scope[:NEGATED_WORDS]) & cwords and n.start >= ev.focus_start]
    if recall >= 0.5 and bool(claim_neg) != bool(ev_neg):
        if claim_neg:
            n = claim_neg[0]
            out.append(Finding("negation", "mismatch",
                               _phrase(claim.text.text, n.start, 4),
                               _context(ev.text.text, list(n.scope))))
        else:
            n = ev_neg[0]
            out.append(Finding("negation", "mismatch",
                               _context(claim.text.text, list(n.scope)),
                               _phrase(ev.text.text, n.start, 4)))


def _context(text: str, scope: Sequence[str], words: int = 5) -> str:
    """A few words of ``text`` around the first word whose stem is in ``scope``."""
    tokens = list(re.finditer(r"\S+", text))
    for i, m in enumerate(tokens):
        if stem(re.sub(r"\W", "", m.group(0).lower())) in scope:
            lo = max(0, i - 2)
            return " ".join(t.group(0) for t in tokens[lo:lo + words]).rstrip(".,;:")
    return text[:40]


def _negated_before(text: str, start: int) -> bool:
    before = text[max(0, start - 25):start].lower()
    return bool(re.search(r"\b(?:not|never|no|n't|n’t|cannot|failed to)\s+(?:\w+\s+)?$", before))


def _actions(claim: Facts, ev: Facts, out: list[Finding]) -> None:
    ev_acts = [(a, a.polarity * (-1 if _negated_before(ev.text.text, a.start) else 1))
               for a in ev.text.actions]
    for a in claim.text.actions:
        pol = a.polarity * (-1 if _negated_before(claim.text.text, a.start) else 1)
        same_group = [(x, p) for x, p in ev_acts if x.group == a.group]
        if not same_group:
            continue
        if any(p == pol for _, p in same_group):
            out.append(Finding("action", "match", a.text))
        else:
            x = same_group[0][0]
            out.append(Finding("action", "mismatch", a.text, x.text))


def _between_words(text: str, a: int, b: int) -> set[str]:
    return set(content_words(text[a:b]))


#: how close a claim must be to the evidence sentence, word for word, for a word put in
#: another's place to be a change of what it says (a claim that copies the sentence
#: and changes one name); paraphrases are far below it
COPY_RATIO = 0.6
_HEDGES = frozenset({"may", "might", "could", "would", "should", "can", "possibly", "perhaps",
                     "reportedly", "allegedly", "likely", "unlikely", "expected", "plans",
                     "planned", "hopes", "aims", "proposed", "considering", "mulling"})
_TOKEN = re.compile(r"[^\W_]+(?:[.'’-][^\W_]+)*\.?", re.UNICODE)


def _substitutions(claim: Facts, ev: Facts, out: list[Finding]) -> None:
    """Word-for-word copies of the evidence with something put in another's place: a
    proper name for another ("President of India" -> "President of Chile": a "name"
    mismatch), or a fact where the evidence only has a possibility ("may measure" ->
    "measured": a "hedge", the record does not state it)."""
    import difflib

    a = _TOKEN.findall(unicodedata.normalize("NFC", claim.text.text))
    b = _TOKEN.findall(unicodedata.normalize("NFC", ev.text.text[ev.focus_start:]))
    if not a or not b:
        return
    # compared without case or accents: "Noël" against "Noel" is one name written two ways
    la, lb = [fold(t).lower() for t in a], [fold(t).lower() for t in b]
    sm = difflib.SequenceMatcher(None, la, lb, autojunk=False)
    if sm.ratio() < COPY_RATIO:
        return
    for tag, i1, i2, j1, j2 in sm.get_opcodes():
        mine, theirs = a[i1:i2], b[j1:j2]
        hedged = {t.lower() for t in theirs} & _HEDGES
        if tag in ("replace", "insert") and hedged and not (
                {t.lower() for t in a} & hedged):
            out.append(Finding("hedge", "unstated", " ".join(mine) or " ".join(a[i1:i1 + 1]),
                               " ".join(theirs)))
        elif (tag == "replace" and 0 < len(mine) <= 4 and 0 < len(theirs) <= 4
              and all(_is_name(t) for t in mine) and all(_is_name(t) for t in theirs)
              # a name the other text also writes was moved, not replaced ("Pakistan
              # and China" against "China and Pakistan")
              and not set(la[i1:i2]) & set(lb)
              and not set(lb[j1:j2]) & set(la)
              # a capital at the start of a sentence is a name only if the record says so
              and (i1 > 0 or _is_entity(" ".join(mine), claim))):
            out.append(Finding("name", "mismatch", " ".join(mine), " ".join(theirs)))
        elif _flipped(tag, mine, theirs):
            # the sentence copied with its verb negated, or put in its opposite's place:
            # "not found in the medical field" for "found in ...", "ended" for "started"
            out.append(Finding("polarity", "mismatch", " ".join(a[max(0, i1 - 2):i2 + 2]),
                               " ".join(b[max(0, j1 - 2):j2 + 2])))
        elif tag == "replace" and len(mine) == len(theirs) == 1:
            # a value put in another's place: "Jab Tak Hai Jaan (2010)" for "(2012)" is not
            # stated by a 2010 the sentence gives another film
            kind = _value_kind(mine[0], theirs[0])
            if kind is not None:
                out.append(Finding(kind, "mismatch", " ".join(a[max(0, i1 - 2):i2]),
                                   " ".join(b[max(0, j1 - 2):j2])))


_NOT = frozenset({"not", "never"})


def _flipped(tag: str, mine: list[str], theirs: list[str]) -> bool:
    """Is this edit of a copied sentence a change of polarity: "not"/"never" put in or
    taken out, "did" for "didn't", or a verb for its opposite in one action group
    ("praised" / "criticised")?"""
    low_a, low_b = [t.lower() for t in mine], [t.lower() for t in theirs]
    if tag in ("insert", "delete"):
        edit = low_a or low_b
        return bool(edit) and all(t in _NOT for t in edit)
    if tag != "replace" or len(mine) != 1 or len(theirs) != 1:
        return False
    x, y = low_a[0].replace("’", "'"), low_b[0].replace("’", "'")
    if {x, y} == {x, x + "n't"} or {x, y} == {y, y + "n't"} or {x, y} == {"can", "cannot"}:
        return True
    return bool(_polarities(x) & {(g, -p) for g, p in _polarities(y)})


def _polarities(word: str) -> set[tuple[str, int]]:
    """(action group, polarity) of every one-word action form that ``word`` fits."""
    from .text import ACTION_GROUPS, _word_fits

    w = stem(word)
    return {(group, pol) for group, pos, neg in ACTION_GROUPS
            for forms, pol in ((pos, 1), (neg, -1))
            for f in forms if " " not in f and _word_fits(w, f)}


def _value_kind(mine: str, theirs: str) -> str | None:
    """The kind of two different values of one kind ("2010"/"2012": year, "fifth"/
    "fourth": ordinal, "12"/"14": number); ``None`` when they are not, or are equal
    ("four"/"4")."""
    from .text import _ORDINAL_WORDS, _parse_number

    def value(tok: str) -> tuple[str, float] | None:
        low = tok.lower().rstrip(".")
        if re.fullmatch(r"(?:1[5-9]|20)\d\d", low):
            return "year", float(low)
        m = re.fullmatch(r"(\d+)(?:st|nd|rd|th)", low)
        if m or low in _ORDINAL_WORDS:
            return "ordinal", float(m.group(1) if m else _ORDINAL_WORDS[low])
        number = _parse_number(low)
        return ("number", number) if number is not None else None

    x, y = value(mine), value(theirs)
    if x is None or y is None or x[0] != y[0] or x[1] == y[1]:
        return None
    return x[0]


def _is_name(token: str) -> bool:
    return token[:1].isupper() and token.lower() not in STOPWORDS


def _is_entity(text: str, facts: Facts) -> bool:
    return any(e.name == text or text in surface_forms(e.id, e.name) for e in facts.entities)


def _swap(claim: Facts, ev: Facts, present: dict[int, bool], out: list[Finding]) -> None:
    ctext = claim.text.text
    etext = ev.text.text[ev.focus_start:]
    refs = [(i, r) for i, r in enumerate(claim.entities) if present[i]]
    refs += [(-1, r) for r in _sides(ctext, etext)
             if not any(r.id == c.id for _, c in refs)]
    refs.sort(key=lambda ir: (_positions(ir[1], ctext) or [len(ctext)])[0])
    # words naming any party of the claim, or only saying which country someone is from
    # ("the Chinese official who met"), are not words of the relation
    names = {w for r in claim.entities for w in content_words(r.name)} | _country_stems()
    for x in range(len(refs)):
        for y in range(x + 1, len(refs)):
            ra, rb = refs[x][1], refs[y][1]
            if ra.id and ra.id == rb.id:
                continue
            pa, pb = _free(ra, ctext, claim.entities), _free(rb, ctext, claim.entities)
            if not pa or not pb or pa[0] >= pb[0]:
                continue
            between_c = ctext[pa[0]:pb[0]]
            wc = _between_words(ctext, pa[0], pb[0]) - names - _TITLE_STEMS
            # "A met B" says the same as "B met A" ("A called on B" does not)
            if not wc or (wc <= _SYMMETRIC_STEMS and not _CALL_ON.search(between_c)):
                continue
            ea = _free(ra, etext, [*claim.entities, *ev.entities])
            eb = _free(rb, etext, [*claim.entities, *ev.entities])
            forward = any(
                i < j and _overlap(wc, _between_words(etext, i, j)) >= 0.5 for i in ea
                for j in eb)
            # the relation reversed is the claim's only if it is about the same thing:
            # "China's firm support for Pakistan in safeguarding its sovereignty" does not
            # reverse "Pakistan pledged firm support for China on Tibet"
            if forward or not _says_the_rest(ctext, pb[0] + len(rb.name), etext, names):
                continue
            for j in eb:
                for i in ea:
                    # the nearest mentions only: "China was cognizant of Pakistan's
                    # difficulties ... to help Pakistan" relates China to the first
                    if j < i and not any(j < k < i for k in (*ea, *eb)):
                        we = (_between_words(etext, j, i) - set(content_words(rb.name))
                              - _TITLE_STEMS)
                        if (_overlap(wc, we) >= 0.5 and i - j < 120
                                and (" by " in between_c) == (" by " in etext[j:i])):
                            end = _WORD_REST.match(etext, i + len(ra.name))
                            out.append(Finding(
                                "swap", "mismatch", ctext[pa[0]:pb[0] + len(rb.name)],
                                etext[j:end.end() if end else i + len(ra.name)]))
                            return


#: the rest of a word a name starts ("Chin|ese"), for quoting the evidence whole
_WORD_REST = re.compile(r"[\w'’-]*")


def _free(ref: EntityRef, text: str, entities: Sequence[EntityRef]) -> list[int]:
    """Where ``ref`` is written in ``text`` as a party of its own: not inside a longer
    name ("China" in "China News Service" is no mention of China)."""
    spans = [(m.start(), m.end()) for e in entities if len(e.name) > len(ref.name)
             for m in written(e.name, text)]
    return [p for p in _positions(ref, text) if not any(a <= p < b for a, b in spans)]


#: what the claim says after its second party ("... on the situation in Kashmir"): at
#: most this many content words, of which the evidence must word half
REST_WORDS = 6


def _says_the_rest(claim_text: str, after: int, ev_text: str, names: set[str]) -> bool:
    """Does the evidence word half of what the claim says after its second party?"""
    # up to the next clause or coordinated phrase: "... Hashmi and congratulated him" says
    # something else after "and"
    said = re.split(r",|;|\band\b|\bwhile\b|\bbut\b", claim_text[after:])[0]
    rest = [w for w in content_words(said) if w not in names][:REST_WORDS]
    if not rest:
        return True
    have = set(content_words(ev_text))
    return 2 * sum(w in have for w in rest) >= len(rest)


_CALL_ON = re.compile(r"\bcall(?:ed|s|ing)?\s+on\b", re.IGNORECASE)
#: what a country's side is called: "the Chinese side briefed the Pakistani leadership"
_SIDE_NOUNS = ("side", "sides", "leadership", "government", "delegation", "leaders", "leader",
               "officials", "authorities", "counterparts", "counterpart",
               # a country's people as a party: "Pakistan's narrative to Chinese readers"
               "readers", "audiences", "audience", "viewers", "people", "public", "students",
               "nationals", "citizens", "personnel", "engineers", "workers", "journalists",
               "companies", "firms", "investors", "media")


@lru_cache(maxsize=1)
def _country_stems() -> frozenset[str]:
    return frozenset(stem(w) for w in _country_words())


@lru_cache(maxsize=1)
def _side_pattern() -> tuple[re.Pattern[str], dict[str, tuple[str, str]]]:
    """One pattern for "<demonym> <side noun>" over every country of the lexicon, and
    demonym -> (country id, country name)."""
    from ..domain import load_pack

    owner = {d: (e.id, e.name) for e in load_pack().entities.values()
             if e.kind == "country" for d in e.demonyms if d}
    forms = "|".join(re.escape(d) for d in sorted(owner, key=len, reverse=True))
    return re.compile(rf"(?<![\w-])({forms})\s+(?:{'|'.join(_SIDE_NOUNS)})\b"), owner


def _sides(claim_text: str, ev_text: str) -> list[EntityRef]:
    """Countries the claim names only as a side ("the Chinese side", "Chinese officials")
    and the evidence names in any form: parties of a relation, as a named country is."""
    pattern, owner = _side_pattern()
    out: list[EntityRef] = []
    for m in pattern.finditer(claim_text):
        cid, name = owner[m.group(1)]
        if all(r.id != cid for r in out) and _found_in_text(surface_forms(cid, name), ev_text):
            out.append(EntityRef(cid, "PLACE", m.group(1)))
    return out


#: relations that hold both ways, so swapping their parties changes nothing
_SYMMETRIC_STEMS = frozenset(stem(w) for w in (
    "met", "meet", "meeting", "held", "hold", "talks", "talked", "spoke", "speak", "called",
    "discussed", "signed", "agreement", "agreed", "exchanged", "views", "co-chaired",
    "chaired", "co", "jointly", "together", "telephone", "phone", "conversation"))

_TITLE_STEMS = frozenset(stem(w.lower()) for t in ("minister", "president", "secretary",
                                                    "ambassador", "chairman", "head", "deputy",
                                                    "vice", "foreign", "prime", "state",
                                                    "councillor", "general", "chief", "envoy",
                                                    "spokesperson", "director", "premier",
                                                    "official", "officials")
                         for w in t.split())


def _overlap(a: set[str], b: set[str]) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / min(len(a), len(b))


# -- similarity -----------------------------------------------------------------
_RAW_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?", re.UNICODE)


def _raw_words(text: str) -> dict[str, str]:
    """stem -> a surface word, for content words."""
    out: dict[str, str] = {}
    for m in _RAW_WORD.finditer(text):
        w = re.sub(r"['’]s$", "", m.group(0)).lower()
        if w in STOPWORDS or len(w) < 2:
            continue
        out.setdefault(stem(w), w)
    return out


#: a sentence that opens on a reference to something named before it: a personal or
#: possessive pronoun, or a definite description ("The film", "This project")
_OPENING_REFERENCE = re.compile(
    r"^(?:(?:He|She|It|They|His|Her|Its|Their)\b|(?:The|This|These)\s+[a-z][\w-]*\b)")


def opens_on_reference(text: str) -> bool:
    """Does ``text`` open on a pronoun or a definite description ("He is ...", "The
    film stars ...")?"""
    return bool(_OPENING_REFERENCE.match(text.lstrip()))


def open_reference(claim: Facts, ev: Facts) -> bool:
    """Does the evidence open an article on a reference nothing before it resolves?

    "He is the lead vocalist and drummer ..." as the first sentence of an article
    with no title: no reader can tell who "he" is, so the sentence is taken to be
    about the claim's subject, for a contradiction as for a support (the model reads
    it so either way). A sentence with a predecessor is read with it instead; a
    sentence that also writes a name of the claim refers to something else by its
    pronoun ("It went on to receive a certification from the RIAA" is not about the
    RIAA); and a title that names nothing of the claim says the article is about
    something else.
    """
    if len(ev.sentences) != 1 or ev.sentences[0].idx != 0:
        return False
    hit = ev.sentences[0]
    if not opens_on_reference(hit.text) or _shares_name(claim, ev):
        return False
    if not hit.title:
        return True
    names = _name_words(unicodedata.normalize("NFC", claim.text.text))
    return any(n in unicodedata.normalize("NFC", hit.title) for n in names)


def _recalls(claim: Facts, ev: Facts, opening: bool) -> tuple[float, int]:
    """Recall of the claim's content words in the evidence, and how many are not found
    (``opening``: the evidence opens on a reference that stands for the claim's names)."""
    cw = _raw_words(claim.text.text)
    ew = _raw_words(ev.text.text)
    if not cw:
        return 0.0, 0
    # a claim word counts as found when its stem is there, or a stem sharing 5 letters;
    # the claim's proper names are found in an opening reference that stands for them
    named = _raw_words(" ".join(_name_words(claim.text.text))) if opening else {}
    hit = {s for s in cw if s in ew or s in named or (len(s) >= 5 and any(
        e[:5] == s[:5] and len(e) >= 5 for e in ew))}
    return len(hit) / len(cw), len(cw) - len(hit)


def compare(claim: Facts, ev: Facts, sim: float) -> PairFeatures:
    """The features and findings of (claim, evidence); ``sim``: their embedding cosine."""
    findings: list[Finding] = []
    present = {i: entity_present(r, ev) for i, r in enumerate(claim.entities)}
    opening = open_reference(claim, ev)
    recall, uncovered = _recalls(claim, ev, opening)
    _ordinals(claim, ev, findings)
    _numbers(claim, ev, findings)
    _dates(claim, ev, findings)
    _venues(claim, ev, findings)
    _persons(claim, ev, present, findings)
    _roles(claim, ev, findings)
    _negation(claim, ev, recall, findings)
    _actions(claim, ev, findings)
    _swap(claim, ev, present, findings)
    _substitutions(claim, ev, findings)
    n_ent = len(claim.entities)
    ent_recall = sum(present.values()) / n_ent if n_ent else 1.0
    values: dict[str, float] = {
        "sim": sim,
        "word_recall": recall,
        "uncovered": min(uncovered, 5) / 5,
        "ent_recall": ent_recall,
        "ent_missing": min(3, n_ent - sum(present.values())) / 3,
        # about the same thing (what a contradiction needs): a shared entity more
        # specific than a country (a person, a body, a project), a matched detail, or
        # half the claim's content words, or a proper name of the claim written in it
        "anchored": 1.0 if recall >= ANCHOR_RECALL or _anchored(claim, present, findings)
        or any(present[i] for i, r in enumerate(claim.entities) if r.label == "PERSON")
        or _shares_name(claim, ev) or opening
        or recall >= MISMATCH_ANCHOR_RECALL and any(
            f.kind in _VALUE_SLOTS for f in findings if f.status == "mismatch") else 0.0,
    }
    return PairFeatures(values, findings)
