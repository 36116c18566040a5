"""Keyword search over documents and sentences, written once for both backends.

What differs is how a query becomes SQL: FTS5 tables with ``MATCH`` and
``bm25`` on SQLite (``sqlite_text``), a ``tsvector``/``ILIKE`` condition and a
rank expression on PostgreSQL (``postgres_text``). Each backend's
``text_search`` turns a query into a :class:`Match`; the statements around it
are here.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from .records import SearchFilters, SearchHit, SentenceHit
from .sql import Row, SqlStore
from .sql_filters import filter_sql

__all__ = ["STOP_WORDS", "Match", "SearchTables", "TextSearch", "sentence_hit"]

#: words too common to help an OR query (BM25 weighs them low anyway; this keeps it fast)
STOP_WORDS = frozenset(
    [
        "a", "an", "the", "of", "in", "on", "at", "to", "for", "from", "by", "with", "and",
        "or", "but", "not", "no", "is", "are", "was", "were", "be", "been", "being", "has",
        "have", "had", "do", "does", "did", "it", "its", "this", "that", "these", "those", "he",
        "she", "they", "his", "her", "their", "them", "as", "which", "who", "whom", "whose",
        "what", "when", "where", "while", "than", "then", "so", "such", "also", "into", "over",
        "about"
    ]
)

SENT_COLUMNS = (
    's.doc_id, s.idx, s.start, s."end", s.text, d.title, d.source, d.published, d.url, d.lang'
)

Spans = list[tuple[int, int]]


@dataclass
class Match:
    """A parsed query as SQL over ``documents d`` (with ``sentences s`` for sentences)."""

    #: the FROM clause
    source: str
    #: the condition, and its parameters
    cond: str
    cond_params: list[Any]
    #: the score expression (selected ``AS rank``), its parameters, and its ORDER BY
    rank: str
    rank_params: list[Any]
    order: str
    #: the score of a row from its ``rank``
    score: Callable[[float], float]
    #: an expression for the text with matches marked, and what reads it:
    #: ``(text, [start, end) ranges)``; for documents a snippet, for sentences all
    marked: str
    unmark: Callable[[str], tuple[str, Spans]]
    #: for a whole document: the expression and its reader (documents only)
    highlight: str = ""
    unhighlight: Callable[[str], Spans] | None = None


class TextSearch(Protocol):
    def documents(self, query: str) -> Match | None:
        """The query over documents; None when it has no searchable term."""
        ...

    def sentences(self, query: str, any_term: bool) -> Match | None:
        """The query over sentences (``any_term``: its words ORed)."""
        ...


def sentence_hit(row: Row, score: float = 0.0) -> SentenceHit:
    return SentenceHit(doc_id=row["doc_id"], idx=row["idx"], start=row["start"], end=row["end"],
                       text=row["text"], title=row["title"], source=row["source"],
                       published=row["published"], url=row["url"], lang=row["lang"], score=score)


class SearchTables(SqlStore):
    """Document and sentence search; the backend sets ``text_search``."""

    text_search: TextSearch

    def search(
        self, query: str, filters: SearchFilters, limit: int = 20, offset: int = 0
    ) -> list[SearchHit]:
        m = self.text_search.documents(query)
        if m is None:
            return []
        where, params = filter_sql(filters, self.dialect)
        rows = self.all(
            f"SELECT d.id, d.title, d.url, d.source, d.published, d.lang, {m.rank} AS rank,"
            f" {m.marked} AS marked FROM {m.source} WHERE {m.cond}{where}"
            f" ORDER BY {m.order} LIMIT ? OFFSET ?",
            [*m.rank_params, *m.cond_params, *params, limit, offset],
            what=f"search for {query!r}")
        hits = []
        for r in rows:
            snippet, spans = m.unmark(r["marked"] or "")
            hits.append(SearchHit(doc_id=r["id"], title=r["title"], url=r["url"],
                                  source=r["source"], published=r["published"], lang=r["lang"],
                                  score=m.score(float(r["rank"])), snippet=snippet,
                                  highlights=spans))
        return hits

    def highlight_document(self, doc_id: str, query: str) -> list[tuple[int, int]]:
        m = self.text_search.documents(query)
        if m is None or m.unhighlight is None:
            return []
        row = self.one(f"SELECT {m.highlight} AS marked FROM {m.source}"
                       f" WHERE {m.cond} AND d.id = ?", [*m.cond_params, doc_id],
                       what=f"highlighting {query!r}")
        if row is None or row["marked"] is None:
            return []
        return m.unhighlight(row["marked"])

    def sentence_search(
        self, query: str, filters: SearchFilters, limit: int = 20, *, any_term: bool = False,
        doc_ids: Sequence[str] | None = None,
    ) -> list[SentenceHit]:
        m = self.text_search.sentences(query, any_term)
        if m is None:
            return []
        where, params = filter_sql(filters, self.dialect)
        if doc_ids is not None:
            ids = list(dict.fromkeys(doc_ids))
            if not ids:
                return []
            cond, extra = self.dialect.any_of("s.doc_id", ids)
            where += f" AND {cond}"
            params += extra
        rows = self.all(
            f"SELECT {SENT_COLUMNS}, {m.rank} AS rank, {m.marked} AS marked FROM {m.source}"
            f" WHERE {m.cond}{where} ORDER BY {m.order} LIMIT ?",
            [*m.rank_params, *m.cond_params, *params, limit],
            what=f"sentence search for {query!r}")
        out = []
        for r in rows:
            hit = sentence_hit(r, m.score(float(r["rank"])))
            text, spans = m.unmark(r["marked"] or "")
            if text == hit.text:
                hit.highlights = spans
            out.append(hit)
        return out
