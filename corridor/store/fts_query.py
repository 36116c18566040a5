"""Turn what a user types into a safe FTS5 query.

Users type words, "quoted phrases", ``word*`` prefixes and ``OR``. Everything
else (FTS5 operators such as NEAR, column filters, unbalanced quotes, stray
punctuation) is treated as literal text, so no search string can raise an FTS
syntax error or reach the query parser unquoted.

Each term is searched in every spelling ``corridor.textnorm.search_variants``
gives (Urdu typed with Arabic or Persian code points, with or without
diacritics; full-width Latin): ``"پاکستان"`` becomes
``("پاکستان" OR "پاكستان")``. Every spelling is quoted like the typed term.

The trigram index (queries with CJK) cannot match fewer than three
characters; such terms are dropped from the expression and listed in
``FtsQuery.short_terms`` so a store can filter on them another way
(``instr``/``LIKE``), or tell the user.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import TypeVar

from ..textnorm import LazyPattern, search_variants

__all__ = ["FtsQuery", "build_query", "has_cjk", "split_highlights"]

#: kana, CJK ideographs, Hangul, CJK compatibility ideographs (compiling this class
#: takes ~8 ms, 4 % of `corridor search`: done on the first non-ASCII text)
_CJK = LazyPattern(
    r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]")
T = TypeVar("T", bound=Hashable)

_PART = re.compile(r'"([^"]*)"|(\S+)')
_TOKEN = re.compile(r"\w+", re.UNICODE)
HL_OPEN, HL_CLOSE = "\x02", "\x03"


def has_cjk(text: str) -> bool:
    return not text.isascii() and _CJK.re.search(text) is not None


@dataclass(frozen=True)
class FtsQuery:
    expression: str  # the FTS5 MATCH expression ('' when nothing searchable)
    trigram: bool  # True: run against the trigram index
    #: CJK terms under 3 characters the trigram index cannot search (not in expression)
    short_terms: tuple[str, ...] = ()


def _quote(term: str) -> str:
    return '"' + term.replace('"', '""') + '"'


def _clause(raw: str, phrase: bool, prefix: bool, trigram: bool) -> str | None:
    """The quoted FTS5 clause for one typed term or phrase (None: nothing searchable)."""
    tokens = _TOKEN.findall(raw)
    if not tokens:
        return None
    if trigram:
        # substring search: keep the text as typed (minus quotes), >= 3 chars
        term = " ".join(tokens) if phrase else "".join(tokens)
        if len(term) < 3:
            return None
        return _quote(term)
    return _quote(" ".join(tokens)) + ("*" if prefix else "")


def parse_terms(
    text: str, alternative: Callable[[str, bool, bool, bool], T | None]
) -> tuple[list[list[list[T]]], bool, tuple[str, ...]]:
    """The query grammar both backends share: words, "phrases", prefix*, OR.

    Each term's spelling variants are turned into alternatives by
    ``alternative(variant, is_phrase, is_prefix, trigram)`` (None: unusable).
    Returns the groups to AND (each a list of OR'd terms, each term its
    distinct alternatives), whether the query is CJK (trigram), and the CJK
    terms too short for a trigram index.
    """
    trigram = has_cjk(text)
    groups: list[list[list[T]]] = []
    short: list[str] = []
    pending_or = False
    for m in _PART.finditer(text):
        phrase, word = m.group(1), m.group(2)
        if word == "OR" and groups:
            pending_or = True
            continue
        raw = phrase if phrase is not None else word
        prefix = phrase is None and word.endswith("*")
        alts: dict[T, None] = {}
        for variant in search_variants(raw):
            one = alternative(variant, phrase is not None, prefix, trigram)
            if one is not None:
                alts.setdefault(one, None)
        if not alts:
            if trigram and has_cjk(raw) and _TOKEN.findall(raw):
                short.append("".join(_TOKEN.findall(raw)))
            continue
        if pending_or:
            groups[-1].append(list(alts))
            pending_or = False
        else:
            groups.append([list(alts)])
    return groups, trigram, tuple(dict.fromkeys(short))


def build_query(text: str) -> FtsQuery:
    groups, trigram, short = parse_terms(text, _clause)
    clauses: list[str] = []
    for group in groups:
        joined = ""
        for spellings in group:
            clause = " OR ".join(spellings)
            if len(spellings) > 1:
                clause = f"({clause})"
            joined = f"({joined} OR {clause})" if joined else clause
        clauses.append(joined)
    return FtsQuery(" AND ".join(clauses), trigram, short)


def split_highlights(marked: str) -> tuple[str, list[tuple[int, int]]]:
    """Remove highlight sentinels from an FTS5 snippet; return text and ranges."""
    out: list[str] = []
    spans: list[tuple[int, int]] = []
    pos = 0
    start: int | None = None
    for ch in marked:
        if ch == HL_OPEN:
            start = pos
        elif ch == HL_CLOSE:
            if start is not None and pos > start:
                spans.append((start, pos))
            start = None
        else:
            out.append(ch)
            pos += 1
    return "".join(out), spans
