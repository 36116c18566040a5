"""Date phrases in text and their resolution against the publication date.

``find_date_phrases`` finds day-level phrases ("on Monday", "today",
"yesterday", "6th Feb, 2025", "February 22, 2024", "2025-02-06") and vaguer
ones ("last week", "in March 2020"). ``resolve_date`` turns a phrase into an
ISO date, or ``None`` when it cannot be pinned to a day — the phrase itself is
always kept by the caller, so nothing is guessed.

Weekdays resolve to the most recent such day on or before the publication date
(news reports past events: "on Friday" in a Friday paper is that Friday), or,
when the clause speaks of the future ("will", "next"), to the next such day on
or after it. Month-day dates without a year take the publication year, moved
by one year when that puts them more than six months away.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

__all__ = ["DatePhrase", "find_date_phrases", "resolve_date"]

_WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
_MONTHS = {
    "january": 1,
    "jan": 1,
    "february": 2,
    "feb": 2,
    "march": 3,
    "mar": 3,
    "april": 4,
    "apr": 4,
    "may": 5,
    "june": 6,
    "jun": 6,
    "july": 7,
    "jul": 7,
    "august": 8,
    "aug": 8,
    "september": 9,
    "sept": 9,
    "sep": 9,
    "october": 10,
    "oct": 10,
    "november": 11,
    "nov": 11,
    "december": 12,
    "dec": 12,
}
_MONTH_RE = (
    r"(?:january|february|march|april|may|june|july|august|september|october|november|"
    r"december|jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec)"
)
_WD_RE = r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)"
_ORD = r"(?:st|nd|rd|th)?"

_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("iso", re.compile(r"\b(?P<y>\d{4})-(?P<m>\d{2})-(?P<d>\d{2})\b")),
    (
        "mdy",
        re.compile(
            rf"\b(?:on )?(?P<m>{_MONTH_RE})\.?,? (?P<d>\d{{1,2}}){_ORD}(?:,? (?P<y>\d{{4}}))?\b",
            re.I,
        ),
    ),
    (
        "dmy",
        re.compile(
            rf"\b(?:on )?(?:the )?(?P<d>\d{{1,2}}){_ORD}(?: of)? (?P<m>{_MONTH_RE})\.?"
            rf"(?:,? (?P<y>\d{{4}}))?\b",
            re.I,
        ),
    ),
    (
        "relday",
        re.compile(
            r"\b(?:today|tonight|yesterday|tomorrow|this (?:morning|afternoon|evening))\b"
            # "today's digital age" is no date; "yesterday's meeting" is
            r"(?!['’]s\s+(?!meeting|talks|visit|call|session|summit|signing|ceremony|briefing)\w)",
            re.I,
        ),
    ),
    (
        "weekday",
        re.compile(
            rf"\b(?:(?:on|this|last|next|earlier on|late on|early on|on the) )?(?P<w>{_WD_RE})"
            r"(?:'s|’s)?(?: (?:morning|afternoon|evening|night))?\b",
            re.I,
        ),
    ),
    (
        "vague",
        re.compile(
            rf"\b(?:(?:last|next|this|earlier this|later this|early next|earlier last) "
            rf"(?:week|month|year|weekend)|in (?:early |late |mid-)?{_MONTH_RE} (?:\d{{4}})|"
            rf"in (?:early |late |mid-)?(?:january|february|march|april|june|july|august|"
            rf"september|october|november|december))\b",
            re.I,
        ),
    ),
]


@dataclass(frozen=True)
class DatePhrase:
    """A date expression at ``[start, end)`` in the text it was found in."""

    start: int
    end: int
    text: str
    kind: str  # iso, mdy, dmy, relday, weekday, vague


def find_date_phrases(text: str, start: int = 0, end: int | None = None) -> list[DatePhrase]:
    """Date phrases in ``text[start:end]`` (offsets into ``text``), leftmost-longest."""
    stop = len(text) if end is None else end
    found: list[DatePhrase] = []
    for kind, rx in _PATTERNS:
        for m in rx.finditer(text, start, stop):
            if kind == "mdy" and m.group("m").lower() == "may" and not text[m.start("m")].isupper():
                continue  # "may 5" is a date only when capitalised ("May 5")
            found.append(DatePhrase(m.start(), m.end(), m.group(0), kind))
    found.sort(key=lambda p: (p.start, -(p.end - p.start)))
    out: list[DatePhrase] = []
    for p in found:
        if out and p.start < out[-1].end:
            continue
        out.append(p)
    return out


def _parse_iso(published: str | None) -> dt.date | None:
    if not published:
        return None
    try:
        return dt.date.fromisoformat(published[:10])
    except ValueError:
        return None


def _near_year(month: int, day: int, pub: dt.date, future: bool) -> dt.date | None:
    best: dt.date | None = None
    for year in (pub.year, pub.year - 1, pub.year + 1):
        try:
            cand = dt.date(year, month, day)
        except ValueError:
            continue
        delta = (cand - pub).days
        if future and delta < -183:
            continue
        if not future and delta > 183:
            continue
        if best is None or abs(delta) < abs((best - pub).days):
            best = cand
    return best


def resolve_date(phrase: str, published: str | None, *, future: bool = False) -> str | None:
    """The ISO date ``phrase`` names, resolved against ``published`` (ISO), or ``None``."""
    pub = _parse_iso(published)
    low = phrase.lower().strip()
    for kind, rx in _PATTERNS:
        m = rx.fullmatch(low) or rx.fullmatch(phrase.strip())
        if not m:
            continue
        if kind == "iso":
            try:
                return dt.date(int(m["y"]), int(m["m"]), int(m["d"])).isoformat()
            except ValueError:
                return None
        if kind in ("mdy", "dmy"):
            month = _MONTHS[m["m"].lower().rstrip(".")]
            day = int(m["d"])
            if m["y"]:
                try:
                    return dt.date(int(m["y"]), month, day).isoformat()
                except ValueError:
                    return None
            if pub is None:
                return None
            got = _near_year(month, day, pub, future)
            return got.isoformat() if got else None
        if pub is None:
            return None
        if kind == "relday":
            if low.startswith("yesterday"):
                return (pub - dt.timedelta(days=1)).isoformat()
            if low.startswith("tomorrow"):
                return (pub + dt.timedelta(days=1)).isoformat()
            return pub.isoformat()
        if kind == "weekday":
            target = _WEEKDAYS.index(m["w"].lower())
            if low.startswith("next"):
                delta = (target - pub.weekday()) % 7 or 7
                return (pub + dt.timedelta(days=delta)).isoformat()
            if low.startswith("last"):
                delta = (pub.weekday() - target) % 7 or 7
                return (pub - dt.timedelta(days=delta)).isoformat()
            if future:
                delta = (target - pub.weekday()) % 7
                return (pub + dt.timedelta(days=delta)).isoformat()
            delta = (pub.weekday() - target) % 7
            return (pub - dt.timedelta(days=delta)).isoformat()
        return None
    return None
