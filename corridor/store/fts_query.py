"""Turn what a user types into a safe FTS5 query.

Users type words, "quoted phrases", ``word*`` prefixes and ``OR``. Everything
else (FTS5 operators such as NEAR, column filters, unbalanced quotes, stray
punctuation) is treated as literal text, so no search string can raise an FTS
syntax error or reach the query parser unquoted.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["FtsQuery", "build_query", "has_cjk", "split_highlights"]

_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]")
_PART = re.compile(r'"([^"]*)"|(\S+)')
_TOKEN = re.compile(r"\w+", re.UNICODE)
HL_OPEN, HL_CLOSE = "\x02", "\x03"


def has_cjk(text: str) -> bool:
    return bool(_CJK.search(text))


@dataclass(frozen=True)
class FtsQuery:
    expression: str  # the FTS5 MATCH expression ('' when nothing searchable)
    trigram: bool  # True: run against the trigram index


def _quote(term: str) -> str:
    return '"' + term.replace('"', '""') + '"'


def build_query(text: str) -> FtsQuery:
    trigram = has_cjk(text)
    clauses: list[str] = []
    pending_or = False
    for m in _PART.finditer(text):
        phrase, word = m.group(1), m.group(2)
        if word == "OR" and clauses:
            pending_or = True
            continue
        raw = phrase if phrase is not None else word
        prefix = phrase is None and word.endswith("*")
        tokens = _TOKEN.findall(raw)
        if not tokens:
            continue
        if trigram:
            # substring search: keep the text as typed (minus quotes), >= 3 chars
            term = " ".join(tokens) if phrase is not None else "".join(tokens)
            if len(term) < 3:
                continue
            clause = _quote(term)
        else:
            clause = _quote(" ".join(tokens))
            if prefix:
                clause += "*"
        if pending_or:
            clauses[-1] = f"({clauses[-1]} OR {clause})"
            pending_or = False
        else:
            clauses.append(clause)
    return FtsQuery(" AND ".join(clauses), trigram)


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
