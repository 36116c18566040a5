"""SQLite's keyword search: FTS5 ``MATCH`` expressions (``fts_query``), ``bm25`` ranks,
and FTS5's own snippets and highlights.

Documents and sentences each have a word index (``doc_fts``, ``sent_fts``) and
a trigram index for Chinese substrings (``doc_trigram``, ``sent_trigram``),
filled by triggers.
"""

from __future__ import annotations

import re

from .fts_query import HL_CLOSE, HL_OPEN, build_query, has_cjk, split_highlights
from .sql_search import STOP_WORDS, Match

__all__ = ["SqliteTextSearch", "any_term_expression"]

_WORD = re.compile(r"\w+", re.UNICODE)


def any_term_expression(text: str) -> tuple[str, bool]:
    """An FTS5 expression that ORs the words of ``text`` (for claims as queries)."""
    if has_cjk(text):
        chunks = [c for run in re.findall(r"\w+", text) for c in
                  (run[i:i + 3] for i in range(0, max(1, len(run) - 2), 2)) if len(c) >= 3]
        terms = list(dict.fromkeys(chunks))
        trigram = True
    else:
        words = [w for w in _WORD.findall(text) if w.lower() not in STOP_WORDS]
        terms = list(dict.fromkeys(w.lower() for w in words))
        trigram = False
    return " OR ".join('"' + t.replace('"', '""') + '"' for t in terms[:64]), trigram


def _neg(rank: float) -> float:
    return -rank  # bm25: lower is better


def _spans(marked: str) -> list[tuple[int, int]]:
    return split_highlights(marked)[1]


class SqliteTextSearch:
    def documents(self, query: str) -> Match | None:
        fts = build_query(query)
        if not fts.expression:
            return None
        t = "doc_trigram" if fts.trigram else "doc_fts"
        return Match(
            source=f"{t} JOIN documents d ON d.rowid = {t}.rowid",
            cond=f"{t} MATCH ?", cond_params=[fts.expression],
            rank=f"bm25({t}, 4.0, 1.0)", rank_params=[], order="rank", score=_neg,
            marked=f"snippet({t}, 1, '{HL_OPEN}', '{HL_CLOSE}', '…', 24)",
            unmark=split_highlights,
            highlight=f"highlight({t}, 1, '{HL_OPEN}', '{HL_CLOSE}')", unhighlight=_spans)

    def sentences(self, query: str, any_term: bool) -> Match | None:
        if any_term:
            expression, trigram = any_term_expression(query)
        else:
            fts = build_query(query)
            expression, trigram = fts.expression, fts.trigram
        if not expression:
            return None
        t = "sent_trigram" if trigram else "sent_fts"
        return Match(
            source=f"{t} JOIN sentences s ON s.rowid = {t}.rowid"
                   " JOIN documents d ON d.id = s.doc_id",
            cond=f"{t} MATCH ?", cond_params=[expression],
            rank=f"bm25({t})", rank_params=[], order="rank", score=_neg,
            marked=f"highlight({t}, 0, '{HL_OPEN}', '{HL_CLOSE}')", unmark=split_highlights)
