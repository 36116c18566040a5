"""Metadata read from text: dates, datelines and language. Pure functions.

* ``parse_date`` turns a date string in any common form (English, Chinese,
  Urdu) into ISO ``YYYY-MM-DD``; it never fills a missing day, month or year
  with today's, never returns an impossible or future date, and never raises.
* ``find_dateline`` reads a news dateline at the very start of a body
  (``"KARACHI, Feb 6 (APP): ..."``) into place, source and date.
* ``resolve_month_day`` gives a year to a dateline's ``"NOV 11"`` from a
  reference date (usually the publication date found elsewhere).
* ``find_text_date`` finds the first explicit full date near the top of a text.
* ``detect_language`` gives an ISO 639-1 code: script rules first (Han without
  kana is Chinese, Urdu letters in Arabic script are Urdu...), then langid's
  bundled model; ``detect_paragraph_languages`` gives language runs of a
  mixed page.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache
from importlib import resources
from typing import Any

import dateparser
import numpy as np

from ..textnorm import normalize_for_search, safe_nfkc

__all__ = [
    "Dateline",
    "detect_language",
    "detect_paragraph_languages",
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
_URDU_MONTH_NAMES: dict[str, int] = {
    "جنوری": 1, "فروری": 2, "مارچ": 3, "اپریل": 4, "مئی": 5, "جون": 6, "جولائی": 7,
    "اگست": 8, "ستمبر": 9, "اکتوبر": 10, "نومبر": 11, "دسمبر": 12,
}  # fmt: skip


def _tolerant(word: str) -> str:
    """A regex for an Urdu word written with Urdu, Persian or Arabic code points
    and optional diacritics or tatweel after any letter."""
    classes = {"ی": "[یيى]", "ک": "[کك]", "ہ": "[ہهە]", "ھ": "[ھه]", "ۃ": "[ۃة]", "ئ": "(?:ئ|یٔ)"}
    marks = "[\u064b-\u065f\u0670\u0640]*"
    return "".join(classes.get(c, re.escape(c)) + marks for c in word)


_URDU_MONTHS = "|".join(_tolerant(m) for m in _URDU_MONTH_NAMES)
_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_ORD = r"(?:st|nd|rd|th)?"
_ISO = re.compile(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[T ][0-9:.+\-Z ]*)?")
#: Chinese numerals as used in dates: 二〇二五年二月十二日
_ZH_NUM = "[0-9〇零一二三四五六七八九十两]"
_CJK = re.compile(rf"({_ZH_NUM}{{4}})\s*年\s*({_ZH_NUM}{{1,3}})\s*月\s*({_ZH_NUM}{{1,3}})\s*[日号]")
_CJK_MD = re.compile(rf"({_ZH_NUM}{{1,3}})\s*月\s*({_ZH_NUM}{{1,3}})\s*[日号]")
_URDU_DAY_MONTH = re.compile(
    rf"(\d{{1,2}})\s*({_URDU_MONTHS})|({_URDU_MONTHS})\s*(\d{{1,2}})(?!\d)"
)

# Full dates inside running text (find_text_date), most specific first.
_TEXT_DATES: tuple[re.Pattern[str], ...] = (
    re.compile(r"(?<![\d-])\d{4}-\d{1,2}-\d{1,2}(?![\d-])"),
    re.compile(rf"{_ZH_NUM}{{4}}\s*年\s*{_ZH_NUM}{{1,3}}\s*月\s*{_ZH_NUM}{{1,3}}\s*[日号]"),
    re.compile(rf"(?i)\b{_MONTH},?\s+\d{{1,2}}{_ORD},?\s+\d{{4}}\b"),
    re.compile(rf"(?i)\b\d{{1,2}}{_ORD}\s+(?:of\s+)?{_MONTH},?\s+\d{{4}}\b"),
    re.compile(rf"[\d٠-٩۰-۹]{{1,2}}\s*(?:{_URDU_MONTHS})\s*[،,]?\s*[\d٠-٩۰-۹]{{4}}"),
    re.compile(rf"(?:{_URDU_MONTHS})\s*[\d٠-٩۰-۹]{{1,2}}\s*[،,]\s*[\d٠-٩۰-۹]{{4}}"),
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
    # as written (NFKC) first; then with Urdu spelling variants unified
    # ("فروري" with an Arabic yeh), which would spoil Persian month names
    first = " ".join(safe_nfkc(s).translate(_DIGITS).split())
    found = _parse_one(first, languages)
    if found is None:
        unified = " ".join(normalize_for_search(s).translate(_DIGITS).split())
        if unified != first:
            found = _parse_one(unified, languages)
    return found


def _parse_one(text: str, languages: list[str] | None) -> str | None:
    if not text or len(text) > _MAX_DATE_STRING:
        return None
    cjk = _CJK.match(text)
    if cjk:
        parts = [_zh_number(g) for g in cjk.groups()]
        if None in parts:
            return None
        year, month, day = (p or 0 for p in parts)
        return _checked(year, month, day)
    if not any(c.isdigit() for c in text):
        return None
    numeric = _ISO.fullmatch(text)
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


_ZH_DIGIT = {c: i for i, c in enumerate("〇一二三四五六七八九")} | {"零": 0, "两": 2}


def _zh_number(word: str) -> int | None:
    """``"2025"``, ``"二〇二五"``, ``"十二"``, ``"二十六"`` -> int; None if unreadable."""
    if word.isdigit():
        return int(word)
    if "十" not in word:
        digits = [_ZH_DIGIT.get(c) for c in word]
        if any(d is None for d in digits):
            return None
        return int("".join(str(d) for d in digits))
    tens, _, units = word.partition("十")
    high = _ZH_DIGIT.get(tens, -1) if tens else 1
    low = _ZH_DIGIT.get(units, -1) if units else 0
    if high < 0 or low < 0 or len(tens) > 1 or len(units) > 1:
        return None
    return high * 10 + low


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
    text = normalize_for_search(phrase).translate(_DIGITS).strip()
    cjk = _CJK_MD.fullmatch(text)
    if cjk:
        month_n, day_n = _zh_number(cjk.group(1)), _zh_number(cjk.group(2))
        return (month_n, day_n) if month_n and day_n and month_n <= 12 else None
    urdu = _URDU_DAY_MONTH.fullmatch(text.replace("،", " ").strip())
    if urdu:
        day_s = urdu.group(1) or urdu.group(4)
        month_n = _URDU_MONTH_NAMES.get(urdu.group(2) or urdu.group(3))
        return (month_n, int(day_s)) if month_n else None
    text = text.lower().replace(",", " ")
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
    Chinese wire datelines (``新华社北京2月12日电``, ``据新华社伊斯兰堡2025年2月6日电``)
    and Urdu ones opening with a city the lexicon knows (``اسلام آباد (اے پی پی)``,
    ``لاہور، 6 فروری: ``) are read too; their place and source stay as written.
    """
    head = text[:300]
    zh = _zh_dateline(head)
    if zh is not None:
        return zh
    urdu = _urdu_dateline(head)
    if urdu is not None:
        return urdu
    for form, pattern in _DATELINES:
        match = pattern.match(head)
        if match is None:
            continue
        dateline = _build_dateline(form, match)
        if dateline is not None:
            return dateline
    return None


_ZH_AGENCY = (
    r"新华社|中新社|中新网|人民网|人民日报|央视网|央视新闻|国际在线|环球网|光明网|中国日报网|本报"
    r"|[\u4e00-\u9fff]{2,6}?(?:社|网|报|台)"
)
_ZH_DATELINE = re.compile(
    rf"(?P<lead>\s*)[【\[（(]?\s*据?(?:(?P<src>{_ZH_AGENCY})(?:驻[\u4e00-\u9fff]{{2,6}}?记者[\u4e00-\u9fff]{{2,4}})?)?"
    rf"(?P<place>[\u4e00-\u9fff]{{2,8}}?)\s*"
    rf"(?P<date>(?:{_ZH_NUM}{{4}}\s*年\s*)?{_ZH_NUM}{{1,3}}\s*月\s*{_ZH_NUM}{{1,3}}\s*日)\s*(?:电|讯)"
    r"(?:\s*[（(][^（）()\n]{0,40}[）)])?[】\]）)]?(?P<sep>\s*[：:，,]?\s*)"
)
_URDU_SEP = r"(?P<sep>\s*[:：\-–—]\s*)"


def _zh_dateline(head: str) -> Dateline | None:
    m = _ZH_DATELINE.match(head)
    if m is None:
        return None
    phrase = m.group("date")
    iso = parse_date(phrase) if "年" in phrase else None
    return Dateline(
        place=m.group("place"),
        start=m.end("lead"),
        end=m.end(),
        source=m.group("src"),
        date=iso,
        date_phrase="".join(phrase.split()),
    )


@cache
def _urdu_dateline_rx() -> re.Pattern[str] | None:
    """Urdu datelines open with a city or region the domain lexicon knows."""
    try:
        from ..domain import load_pack

        pack = load_pack()
    except (ImportError, OSError, ValueError):
        return None
    places = [e for e in pack.entities.values() if e.type == "PLACE" and e.kind != "country"]
    names = sorted({a for e in places for a in e.ur}, key=len, reverse=True)
    if not names:
        return None
    place = "|".join(_tolerant(n).replace(r"\ ", r"\s*") for n in names)
    day, year = r"[\d٠-٩۰-۹]{1,2}", r"[\d٠-٩۰-۹]{4}"
    date = rf"(?:{day}\s*(?:{_URDU_MONTHS})|(?:{_URDU_MONTHS})\s*{day})(?:\s*[،,]?\s*{year})?"
    return re.compile(
        rf"(?P<lead>\s*)(?P<place>{place})(?![\u0620-\u06ff])"
        rf"(?:\s*[،,]\s*(?P<date>{date}))?"
        rf"(?:\s*[(（]\s*(?P<src>[^()（）\n]{{1,40}}?)\s*[)）])?"
        rf"{_URDU_SEP}?\s*"
    )


def _urdu_dateline(head: str) -> Dateline | None:
    rx = _urdu_dateline_rx()
    m = rx.match(head) if rx is not None else None
    if m is None or not (m.group("src") or m.group("sep") or m.group("date")):
        return None
    if m.end() >= len(head.rstrip()):
        return None  # the place alone (a heading), not a dateline before a story
    phrase = m.group("date")
    return Dateline(
        place=m.group("place"),
        start=m.end("lead"),
        end=m.end(),
        source=m.group("src"),
        date=parse_date(phrase) if phrase else None,
        date_phrase=phrase,
    )


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
#
# The script decides first, langid's bundled model (97 languages) second:
# - Han without kana is Chinese (zh); kana is Japanese (ja); Hangul Korean (ko).
#   Character n-grams cannot tell a Japanese sentence written mostly in kanji
#   from Chinese, but the kana can, and Chinese has none.
# - Arabic script: Urdu has letters Persian and Arabic lack (ٹ ڈ ڑ ں ے and the
#   full stop ۔); two of them, or one with gol/do-chashmi he (ہ ھ), make it Urdu.
#   Arabic code points (ة ي ى ك) with no Persian/Urdu ones (ی ک پ چ ژ گ) make it
#   Arabic. Otherwise langid chooses among the Arabic-script languages it knows
#   (ar fa ur ps ug); Urdu only when the text shows some Urdu evidence.
# - Devanagari: langid among hi, mr, ne (never an Arabic-script or Latin code).
# - Latin and everything else: langid over all its languages, with a prior of
#   one nat for English (the corpus languages are English, Urdu and Chinese; short
#   English headings such as "Education committee. -- 1981." are otherwise
#   read as Finnish or Dutch).

_LANG_SAMPLE = 2000
_LETTER = re.compile(r"[^\W\d_]")
_SCRIPT_RX: dict[str, re.Pattern[str]] = {
    "latin": re.compile(r"[A-Za-z\u00C0-\u024F\u1E00-\u1EFF]"),
    "arabic": re.compile(
        r"[\u0620-\u064A\u066E-\u06D3\u06D5\u06EE\u06EF\u06FA-\u06FF\u0750-\u077F\u08A0-\u08C9]"
    ),
    "han": re.compile(r"[\u3400-\u4DBF\u4E00-\u9FFF\uF900-\uFAFF\U00020000-\U0003134F]"),
    "kana": re.compile(r"[\u3041-\u309F\u30A0-\u30FA\u30FC-\u30FF\u31F0-\u31FF]"),
    "hangul": re.compile(r"[\uAC00-\uD7A3\u1100-\u11FF\u3131-\u318E]"),
    "devanagari": re.compile(r"[\u0900-\u097F]"),
}
#: a CJK character carries about as much as a short word: weigh it so
_SCRIPT_WEIGHT = {"han": 3, "kana": 3, "hangul": 3}
_URDU_STRONG = re.compile("[\u0679\u0688\u0691\u06ba\u06d2\u06d4]")  # ٹ ڈ ڑ ں ے ۔
_URDU_WEAK = re.compile("[\u06c1\u06be\u06c3]")  # ہ ھ ۃ
_URDU_WORDS = re.compile(r"(?<!\w)(?:اور|کا|کی|کو|پر|تک)(?!\w)")
_ARABIC_ONLY = re.compile("[\u0629\u064a\u0649\u0643]")  # ة ي ى ك
_PERSIAN_URDU = re.compile("[\u06cc\u06a9\u067e\u0686\u0698\u06af]")  # ی ک پ چ ژ گ
_ARABIC_SCRIPT_LANGS = ("ar", "fa", "ur", "ps", "ug")
_DEVANAGARI_LANGS = ("hi", "mr", "ne")
_PRIOR = {"en": 1.0}
_MIN_PARAGRAPH_LETTERS = 20


@cache
def _identifier() -> Any:
    from langid.langid import LanguageIdentifier, model

    return LanguageIdentifier.from_modelstring(model, norm_probs=True)


@cache
def _class_index(codes: tuple[str, ...]) -> tuple[tuple[str, ...], Any, Any]:
    """Column indexes of ``codes`` (those langid knows) and the prior vector."""
    classes = [str(c) for c in _identifier().nb_classes]
    known = tuple(c for c in codes if c in classes) if codes else tuple(classes)
    idx = np.array([classes.index(c) for c in known], dtype=np.intp)
    prior = np.array([_PRIOR.get(c, 0.0) for c in known], dtype=np.float64)
    return known, idx, prior


def _classify(sample: str, among: tuple[str, ...] = ()) -> str:
    """langid's naive Bayes, computed over the non-zero features only.

    ``LanguageIdentifier.classify`` multiplies the whole (sparse) feature vector
    with the 7480 x 97 weight matrix in integer/float32 mixed types, ~7 ms per
    call; restricting to the non-zero rows gives the same scores in microseconds.
    ``among`` restricts the choice to those codes (all when empty); the
    corpus-language prior ``_PRIOR`` is added to the log scores.
    """
    ident = _identifier()
    codes, idx, prior = _class_index(among)
    fv = ident.instance2fv(sample)
    nz = np.flatnonzero(fv)
    scores = fv[nz].astype(np.float64) @ ident.nb_ptc[nz][:, idx] + ident.nb_pc[idx] + prior
    return codes[int(np.argmax(scores))]


def _script_counts(sample: str) -> dict[str, int]:
    return {name: len(rx.findall(sample)) for name, rx in _SCRIPT_RX.items()}


def _arabic_script_language(sample: str) -> str:
    strong = len(_URDU_STRONG.findall(sample))
    weak = len(_URDU_WEAK.findall(sample))
    if strong >= 2 or (strong and weak):
        return "ur"
    if not strong and not weak and _ARABIC_ONLY.search(sample) and not _PERSIAN_URDU.search(sample):
        return "ar"
    urdu_evidence = strong or weak or _URDU_WORDS.search(sample)
    among = tuple(c for c in _ARABIC_SCRIPT_LANGS if urdu_evidence or c != "ur")
    return _classify(sample, among)


def detect_language(text: str) -> str | None:
    """ISO 639-1 code of ``text`` (its first ~2000 characters), or None when
    there are fewer than 3 letters to judge."""
    sample = safe_nfkc(text[:_LANG_SAMPLE]).replace("\u0640", "")
    letters = len(_LETTER.findall(sample))
    if letters < 3:
        return None
    counts = _script_counts(sample)
    other = max(letters - sum(counts.values()), 0)
    weighted = {k: v * _SCRIPT_WEIGHT.get(k, 1) for k, v in counts.items()}
    script = max(weighted, key=lambda k: weighted[k])
    if other > weighted[script]:
        return _classify(sample)
    if script in ("han", "kana"):
        cjk = counts["han"] + counts["kana"]
        return "ja" if counts["kana"] >= max(1.0, 0.05 * cjk) else "zh"
    if script == "hangul":
        return "ko"
    if script == "arabic":
        return _arabic_script_language(sample)
    if script == "devanagari":
        return _classify(sample, _DEVANAGARI_LANGS)
    return _classify(sample)


def detect_paragraph_languages(text: str) -> list[tuple[int, int, str | None]]:
    """Language runs of a page that mixes languages: ``(start, end, code)``.

    Paragraphs are lines (stored text keeps one paragraph per line) or
    blocks separated by blank lines; each is judged alone, except that one
    with fewer than 20 letters takes the language of the paragraph before it
    when both are in the same script (a caption, a byline). Consecutive
    paragraphs of one language are merged; ``text[start:end]`` never starts
    or ends with white space. Paragraphs without letters are left out.
    """
    runs: list[tuple[int, int, str | None]] = []
    prev_script: str | None = None
    for m in re.finditer(r"[^\n\r\u2028\u2029]+", text):
        start, end = m.start(), m.end()
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if start == end:
            continue
        piece = text[start:end]
        letters = len(_LETTER.findall(piece))
        if letters == 0:
            continue
        counts = _script_counts(piece)
        script = max(counts, key=lambda k: counts[k] * _SCRIPT_WEIGHT.get(k, 1))
        lang = detect_language(piece)
        if runs and letters < _MIN_PARAGRAPH_LETTERS and script == prev_script:
            lang = runs[-1][2]
        prev_script = script
        if runs and runs[-1][2] == lang:
            runs[-1] = (runs[-1][0], end, lang)
        else:
            runs.append((start, end, lang))
    return runs
