"""PostgreSQL's keyword search: a ``tsvector @@ tsquery`` (or ``ILIKE``) condition and
a rank expression for a query parsed by ``postgres_fts``; snippets and highlights are
computed in Python from the same tokens."""

from __future__ import annotations

from typing import Any

from .postgres_fts import PgQuery, any_term_query, build_pg_query, highlight_spans, snippet
from .sql_search import STOP_WORDS, Match

__all__ = ["PgTextSearch", "like_pattern", "match_sql"]

#: ts_rank weights {D, C, B, A}: title words (A) count 4x text words (D), as bm25(4.0, 1.0)
_WEIGHTS = "{0.25,0.25,0.25,1.0}"


def like_pattern(term: str) -> str:
    """An ILIKE pattern matching ``term`` anywhere, its wildcards escaped."""
    escaped = term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def match_sql(
    q: PgQuery, title: str | None, text: str, tsv: str
) -> tuple[str, list[Any], str, list[Any]]:
    """(condition, its params, score expression, its params) for a parsed query.

    Word queries: ``tsv @@ tsquery``, ranked by ``ts_rank`` (title 4x, length
    normalised). CJK queries: every clause is an OR of substrings (``ILIKE``,
    case-insensitive like FTS5's trigram index), ranked by occurrences (title
    4x) over the log of the text length.
    """
    if not q.trigram:
        tsquery = q.tsquery()
        if title is None:
            return (f"{tsv} @@ ?::tsquery", [tsquery], f"ts_rank({tsv}, ?::tsquery, 1)",
                    [tsquery])
        return (f"{tsv} @@ ?::tsquery", [tsquery],
                f"ts_rank(?::float4[], {tsv}, ?::tsquery, 1)", [_WEIGHTS, tsquery])
    fields = [text] if title is None else [f"coalesce({title}, '')", text]
    conds: list[str] = []
    cparams: list[Any] = []
    terms: list[str] = []
    for alts in q.substrings():
        ors = []
        for sub in alts:
            ors.append("(" + " OR ".join(f"{f} ILIKE ?" for f in fields) + ")")
            cparams.extend([like_pattern(sub)] * len(fields))
            terms.append(sub)
        conds.append("(" + " OR ".join(ors) + ")")
    counts: list[str] = []
    sparams: list[Any] = []
    for sub in dict.fromkeys(terms):
        for i, f in enumerate(fields):
            weight = 4 if (title is not None and i == 0) else 1
            counts.append(f"{weight} * (length(lower({f})) - length(replace(lower({f}), ?, '')))"
                          f" / {max(1, len(sub))}.0")
            sparams.append(sub.lower())
    score = f"(({' + '.join(counts)}) / (1 + ln(1 + length({text}) / 500.0)))"
    return " AND ".join(conds), cparams, score, sparams


def _same(rank: float) -> float:
    return rank


class PgTextSearch:
    def documents(self, query: str) -> Match | None:
        q = build_pg_query(query)
        if q.empty:
            return None
        cond, cparams, score, sparams = match_sql(q, "d.title", "d.text", "d.tsv")
        return Match(source="documents d", cond=cond, cond_params=cparams,
                     rank=score, rank_params=sparams, order="rank DESC, d.rowid", score=_same,
                     marked="d.text", unmark=lambda text: snippet(text, q),
                     highlight="d.text", unhighlight=lambda text: highlight_spans(text, q))

    def sentences(self, query: str, any_term: bool) -> Match | None:
        q = any_term_query(query, STOP_WORDS) if any_term else build_pg_query(query)
        if q.empty:
            return None
        cond, cparams, score, sparams = match_sql(q, None, "s.text", "s.tsv")
        return Match(source="sentences s JOIN documents d ON d.id = s.doc_id", cond=cond,
                     cond_params=cparams, rank=score, rank_params=sparams,
                     order="rank DESC, s.seq", score=_same,
                     marked="s.text", unmark=lambda text: (text, highlight_spans(text, q)))
