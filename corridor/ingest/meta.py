"""Metadata read from text: dates, datelines and language. Pure functions.

* ``parse_date`` turns a date string in any common form (English, Chinese,
  Urdu) into ISO ``YYYY-MM-DD``; it never fills a missing day, month or year
  with today's, never returns an impossible or future date, and never raises.
* ``find_dateline`` reads a news dateline at the very start of a body
  (``"KARACHI, Feb 6 (APP): ..."``) into place, source and date.
* ``resolve_month_day`` gives a year to a dateline's ``"NOV 11"`` from a
  reference date (usually the publication date found elsewhere).
* ``find_text_date`` finds the first explicit full date near the top of a text.
* ``detect_language`` gives an ISO 639-1 code with langid's bundled model.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache
from importlib import resources
from typing import Any

import dateparser
import numpy as np

__all__ = [
    "Dateline",
    "detect_language",
    "find_dateline",
    "find_text_date",
    "known_places",
    "parse_date",
    "resolve_month_day",
]

# ---------------------------------------------------------------------------
# Dates

_DATEPARSER_SETTINGS: dict[str, Any] = {
    "REQUIRE_PARTS": ["day", "month", "year"],
    "PREFER_DATES_FROM": "past",
    "PARSERS": ["custom-formats", "absolute-time"],  # no relative dates, no timestamps
    "RETURN_AS_TIMEZONE_AWARE": False,
}
_MAX_DATE_STRING = 100
_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹０１２３４５６７８９", "0123456789" * 3)

_MONTHS: dict[str, int] = {
    "jan": 1, "january": 1, "feb": 2, "february": 2, "mar": 3, "march": 3,
    "apr": 4, "april": 4, "may": 5, "jun": 6, "june": 6, "jul": 7, "july": 7,
    "aug": 8, "august": 8, "sep": 9, "sept": 9, "september": 9, "oct": 10,
    "october": 10, "nov": 11, "november": 11, "dec": 12, "december": 12,
}  # fmt: skip
_URDU_MONTHS = "جنوری|فروری|مارچ|اپریل|مئی|جون|جولائی|اگست|ستمبر|اکتوبر|نومبر|دسمبر"
_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_ORD = r"(?:st|nd|rd|th)?"
_ISO = re.compile(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[T ][0-9:.+\-Z ]*)?")
_CJK = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*[日号]")

# Full dates inside running text (find_text_date), most specific first.
_TEXT_DATES: tuple[re.Pattern[str], ...] = (
    re.compile(r"(?<![\d-])\d{4}-\d{1,2}-\d{1,2}(?![\d-])"),
    re.compile(r"\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*[日号]"),
    re.compile(rf"(?i)\b{_MONTH},?\s+\d{{1,2}}{_ORD},?\s+\d{{4}}\b"),
    re.compile(rf"(?i)\b\d{{1,2}}{_ORD}\s+(?:of\s+)?{_MONTH},?\s+\d{{4}}\b"),
    re.compile(rf"\d{{1,2}}\s+(?:{_URDU_MONTHS})\s*[،,]?\s*\d{{4}}"),
)
_TEXT_DATE_WINDOW = 500


def parse_date(s: str, *, languages: list[str] | None = None) -> str | None:
    """ISO ``YYYY-MM-DD`` for a date string, or None.

    Day, month and year must all be present; impossible dates ("31 February")
    and dates more than a day in the future give None; garbage gives None.
    ``languages`` (dateparser codes) defaults to a guess from the script.
    """
    try:
        return _parse_date(s, languages)
    except Exception:  # dateparser can fail in surprising ways on garbage
        return None


def _parse_date(s: str, languages: list[str] | None) -> str | None:
    text = " ".join(unicodedata.normalize("NFKC", s).translate(_DIGITS).split())
    if not text or len(text) > _MAX_DATE_STRING or not any(c.isdigit() for c in text):
        return None
    numeric = _ISO.fullmatch(text) or _CJK.match(text)
    if numeric:
        return _checked(*(int(g) for g in numeric.groups()))
    if re.fullmatch(r"[\d\W_]+", text) and re.match(r"\d{4}\W", text):
        return None  # year-first numbers that did not fit Y-M-D: invalid, not ambiguous
    parsed = dateparser.parse(
        text, languages=languages or _languages_for(text), settings=_DATEPARSER_SETTINGS
    )
    if parsed is None:
        return None
    return _checked(parsed.year, parsed.month, parsed.day)


def _checked(year: int, month: int, day: int) -> str | None:
    """The ISO date if it exists and is not in the future (one day of slack)."""
    try:
        value = date(year, month, day)
    except ValueError:
        return None
    if value > date.today() + timedelta(days=1):
        return None
    return value.isoformat()


def _languages_for(text: str) -> list[str]:
    if any("\u4e00" <= c <= "\u9fff" for c in text):
        return ["zh"]
    if any("\u0600" <= c <= "\u06ff" for c in text):
        return ["ur", "ar", "fa"]
    return ["en"]


def find_text_date(text: str) -> tuple[str, str] | None:
    """``(ISO date, phrase)`` for the first full date in the first ~500 characters."""
    window = text[:_TEXT_DATE_WINDOW]
    found: list[tuple[int, str]] = []
    for pattern in _TEXT_DATES:
        found.extend((m.start(), m.group(0)) for m in pattern.finditer(window))
    for _, phrase in sorted(found):
        iso = parse_date(phrase)
        if iso is not None:
            return iso, phrase
    return None


def resolve_month_day(month_day: str, reference_iso: str) -> str | None:
    """Give a year to a month and day ("NOV 11", "Feb. 6", "6th February").

    The year chosen puts the date nearest to ``reference_iso`` (so "Dec 31"
    against 2025-01-02 is 2024-12-31). None when either cannot be read.
    """
    parts = _month_day(month_day)
    try:
        reference = date.fromisoformat(reference_iso[:10])
    except ValueError:
        return None
    if parts is None:
        return None
    month, day = parts
    candidates: list[date] = []
    for year in (reference.year - 1, reference.year, reference.year + 1):
        try:
            candidates.append(date(year, month, day))
        except ValueError:
            continue
    if not candidates:
        return None
    best = min(candidates, key=lambda d: (abs((d - reference).days), d > reference))
    return best.isoformat()


def _month_day(phrase: str) -> tuple[int, int] | None:
    text = phrase.strip().lower().replace(",", " ")
    match = re.fullmatch(rf"({_MONTH})\s*(\d{{1,2}}){_ORD}", text) or re.fullmatch(
        rf"(\d{{1,2}}){_ORD}\s+(?:of\s+)?({_MONTH})", text
    )
    if match is None:
        return None
    first, second = match.group(1), match.group(2)
    month_word, day = (first, second) if not first[0].isdigit() else (second, first)
    month = _MONTHS.get(month_word.rstrip("."))
    return (month, int(day)) if month else None


# ---------------------------------------------------------------------------
# Datelines


@dataclass
class Dateline:
    """A dateline at the start of a body: ``text[start:end]`` is the dateline
    with its separator, ``end`` is where the story proper begins.

    ``date`` is ISO when the dateline carries a year; ``date_phrase`` keeps
    the date as written (``"NOV 11"``) for ``resolve_month_day``.
    """

    place: str
    start: int
    end: int
    source: str | None
    date: str | None
    date_phrase: str | None = None


_CAPS_WORD = r"[A-Z][A-Z'’.\-]*"
_CAPS_PLACE = rf"{_CAPS_WORD}(?:/{_CAPS_WORD})*(?:\s{_CAPS_WORD}(?:/{_CAPS_WORD})*){{0,3}}"
_TITLE_WORD = r"[A-Z][a-z'’\-]+"
_TITLE_PLACE = rf"{_TITLE_WORD}(?:\s(?:{_TITLE_WORD}|al|de|da|del|di|es|la|el|of)){{0,3}}"
_PLACE = rf"(?P<place>{_CAPS_PLACE}|{_TITLE_PLACE})"
_MD = rf"(?i:{_MONTH}\s*\d{{1,2}}{_ORD}|\d{{1,2}}{_ORD}\s+{_MONTH})"
_DATE = rf"(?P<date>{_MD}(?:,?\s*\d{{4}})?)"
_SOURCE = r"(?:/\s*(?P<slash>[^/\n]{1,40}?)\s*/|\(\s*(?P<paren>[^()\n]{1,60}?)\s*\))"
# A colon, or a dash with a space on at least one side ("Lahore-based" is no dateline).
_SEP = r"(?P<sep>\s*:\s*|\s*(?:--|[-–—])\s+|\s+(?:--|[-–—])\s*)"
_LEAD = r"^(?P<lead>\s*)"

# Tried in order; the first that matches wins.
_DATELINES: tuple[tuple[str, re.Pattern[str]], ...] = (
    # BEIJING, (UrduPoint / Pakistan Point News - 6th Feb, 2025) ...
    (
        "paren_dated",
        re.compile(
            rf"{_LEAD}{_PLACE}\s*,?\s*\(\s*(?P<src>[^()\n]{{1,60}}?)\s+[-–—]\s+"
            rf"(?P<pdate>[^()\n]{{4,40}}?)\s*\){_SEP}?\s*"
        ),
    ),
    # KARACHI, Feb 6 (APP): ... / BEIJING, NOV 11 /DNA/ – ... / LAHORE, Feb 6: ...
    ("comma_date", re.compile(rf"{_LEAD}{_PLACE}\s*,\s*{_DATE}\s*{_SOURCE}?{_SEP}?\s*")),
    # BEIJING (Reuters) - ... / ISLAMABAD /DNA/: ...
    ("agency", re.compile(rf"{_LEAD}{_PLACE}\s*,?\s*{_SOURCE}{_SEP}?\s*")),
    # ISLAMABAD: ... / Islamabad: ... / LAHORE - ...
    ("bare", re.compile(rf"{_LEAD}{_PLACE}{_SEP}")),
)


def _wordset(text: str) -> frozenset[str]:
    return frozenset(text.split())


# All-caps words that open headlines or bodies but are not places.
_NOT_PLACES = _wordset(
    """breaking update updated exclusive watch video videos photos photo opinion editorial
    analysis live note correction report explainer interview review comment feature
    urgent alert flash news latest read more also related important warning notice
    disclaimer summary highlights factbox timeline q&a faq advertisement sponsored
    and or the of for in on at to by with from as is are was were
    unesco unicef asean opec saarc brics nepra ogra wapda"""
)


def find_dateline(text: str) -> Dateline | None:
    """The dateline at the very start of ``text``, or None.

    Fires on an all-caps place, or on a place followed by a comma and a date,
    a parenthesised/slashed agency, or (single known city) a colon. Ordinary
    sentence starts ("Pakistan and China agreed: ...") are not datelines.
    """
    head = text[:300]
    for form, pattern in _DATELINES:
        match = pattern.match(head)
        if match is None:
            continue
        dateline = _build_dateline(form, match)
        if dateline is not None:
            return dateline
    return None


def _build_dateline(form: str, match: re.Match[str]) -> Dateline | None:
    raw_place = match.group("place")
    if not _plausible_place(raw_place, form, match):
        return None
    groups = match.groupdict()
    source = groups.get("src") or groups.get("slash") or groups.get("paren")
    phrase = groups.get("pdate") or groups.get("date")
    iso = parse_date(phrase) if phrase else None
    if form == "paren_dated" and iso is None and (phrase is None or not _month_day(phrase)):
        return None
    if form == "agency" and source and not _looks_like_source(source):
        return None
    if form == "comma_date" and not source and groups.get("sep") is None:
        return None  # "Moreover, May 5 was ..." needs an agency or a separator
    return Dateline(
        place=_title_place(raw_place),
        start=match.end("lead"),
        end=match.end(),
        source=source.strip() if source else None,
        date=iso,
        date_phrase=phrase.strip() if phrase else None,
    )


def _plausible_place(place: str, form: str, match: re.Match[str]) -> bool:
    words = place.replace("/", " ").split()
    if any(w.lower().strip(".'’-") in _NOT_PLACES for w in words if len(words) == 1 or w.isupper()):
        return False
    letters = sum(c.isalpha() for c in place)
    if letters < 3:
        return False
    is_caps = place.isupper()
    if form in ("paren_dated", "comma_date"):
        return True
    known = _is_known_place(place)
    if form == "agency":
        return is_caps or known or match.group("sep") is not None
    # bare "PLACE:" or "PLACE -": a known city, or an all-caps name that is not an acronym
    if known:
        return True
    return is_caps and (len(words) > 1 or letters >= 5)


def _looks_like_source(source: str) -> bool:
    """An agency name: short, starting with a capital (not "(the country)")."""
    return bool(source) and source[0].isupper() and len(source.split()) <= 6


def _title_place(place: str) -> str:
    """``"DERA ISMAIL KHAN"`` -> ``"Dera Ismail Khan"``; mixed case is kept."""
    if not place.isupper():
        return place
    return re.sub(
        r"(^|[\s\-/.])([A-Z])([A-Z'’]*)",
        lambda m: m.group(1) + m.group(2) + m.group(3).lower(),
        place,
    )


def _is_known_place(place: str) -> bool:
    return " ".join(place.replace("’", "'").lower().split()) in known_places()


@cache
def known_places() -> frozenset[str]:
    """Lower-cased names from ``corridor/domain/cities.txt`` (empty if missing)."""
    try:
        data = resources.files("corridor.domain").joinpath("cities.txt").read_text("utf-8")
    except (FileNotFoundError, ModuleNotFoundError):
        return frozenset()
    names = (line.strip() for line in data.splitlines())
    return frozenset(
        " ".join(n.replace("’", "'").lower().split()) for n in names if n and not n.startswith("#")
    )


# ---------------------------------------------------------------------------
# Language

_LANG_SAMPLE = 2000
_URDU_LETTERS = frozenset("ٹڈڑںےھہ")


@cache
def _identifier() -> Any:
    from langid.langid import LanguageIdentifier, model

    return LanguageIdentifier.from_modelstring(model, norm_probs=True)


def _classify(sample: str) -> str:
    """langid's naive Bayes, computed over the non-zero features only.

    ``LanguageIdentifier.classify`` multiplies the whole (sparse) feature vector
    with the 7480 x 97 weight matrix in integer/float32 mixed types, ~7 ms per
    call; restricting to the non-zero rows gives the same scores in microseconds.
    """
    ident = _identifier()
    fv = ident.instance2fv(sample)
    nz = np.flatnonzero(fv)
    scores = fv[nz].astype(np.float64) @ ident.nb_ptc[nz] + ident.nb_pc
    return str(ident.nb_classes[int(np.argmax(scores))])


def detect_language(text: str) -> str | None:
    """ISO 639-1 code of ``text`` (its first ~2000 characters), or None when
    there are fewer than 3 letters to judge."""
    sample = text[:_LANG_SAMPLE]
    if sum(c.isalpha() for c in sample) < 3:
        return None
    code = _classify(sample)
    if code in {"fa", "ar", "ps"} and sum(c in _URDU_LETTERS for c in sample) >= 2:
        return "ur"
    return code
