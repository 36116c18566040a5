"""What every PostgreSQL table mixin shares: statement helpers, filters, match SQL."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager
from typing import Any

import psycopg
from psycopg.rows import DictRow

from ..errors import StoreError
from .base import SearchFilters
from .postgres_fts import PgQuery

__all__ = ["PgBase", "filter_sql", "like_pattern", "match_sql"]

#: ts_rank weights {D, C, B, A}: title words (A) count 4x text words (D), as bm25(4.0, 1.0)
_WEIGHTS = "{0.25,0.25,0.25,1.0}"


class PgBase:
    """Statement helpers that turn driver errors into ``StoreError``."""

    conn: psycopg.Connection[DictRow]

    def transaction(self) -> AbstractContextManager[None]:  # provided by PostgresStore
        raise NotImplementedError

    def _x(self, sql: str, params: Sequence[Any] | None = None, *,
           what: str = "") -> psycopg.Cursor[DictRow]:
        try:
            return self.conn.execute(sql, params)
        except psycopg.Error as exc:
            label = f"{what} failed" if what else "PostgreSQL statement failed"
            raise StoreError(f"{label}: {exc}") from exc

    def _one(self, sql: str, params: Sequence[Any] | None = None, *,
             what: str = "") -> DictRow | None:
        return self._x(sql, params, what=what).fetchone()

    def _many(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        if not rows:
            return
        try:
            with self.conn.cursor() as cur:
                cur.executemany(sql, rows)
        except psycopg.Error as exc:
            raise StoreError(f"PostgreSQL statement failed: {exc}") from exc

    def _scalar(self, sql: str, params: Sequence[Any] | None = None) -> Any:
        row = self._one(sql, params)
        return next(iter(row.values())) if row else None

    def _rows(self, sql: str, params: Sequence[Any] | None = None) -> Iterator[DictRow]:
        yield from self._x(sql, params)


def like_pattern(term: str) -> str:
    """An ILIKE pattern matching ``term`` anywhere, its wildcards escaped."""
    escaped = term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def filter_sql(f: SearchFilters) -> tuple[str, list[Any]]:
    """The document filters (documents aliased ``d``), as ``sql_filters.filter_sql``."""
    clauses, params = [], []
    if f.since:
        clauses.append('d.published >= %s COLLATE "C"')
        params.append(f.since)
    if f.until:
        clauses.append('d.published <= %s COLLATE "C"')
        params.append(f.until)
    if f.source:
        # SQLite: source = ? COLLATE NOCASE OR url LIKE '%source%' (LIKE ignores case there)
        clauses.append("(lower(d.source) = lower(%s) OR d.url ILIKE %s)")
        params.extend([f.source, f"%{f.source}%"])
    if f.lang:
        clauses.append("d.lang = %s")
        params.append(f.lang)
    return "".join(f" AND {c}" for c in clauses), params


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
            return (f"{tsv} @@ %s::tsquery", [tsquery], f"ts_rank({tsv}, %s::tsquery, 1)",
                    [tsquery])
        return (f"{tsv} @@ %s::tsquery", [tsquery],
                f"ts_rank(%s::float4[], {tsv}, %s::tsquery, 1)", [_WEIGHTS, tsquery])
    fields = [text] if title is None else [f"coalesce({title}, '')", text]
    conds: list[str] = []
    cparams: list[Any] = []
    terms: list[str] = []
    for alts in q.substrings():
        ors = []
        for sub in alts:
            ors.append("(" + " OR ".join(f"{f} ILIKE %s" for f in fields) + ")")
            cparams.extend([like_pattern(sub)] * len(fields))
            terms.append(sub)
        conds.append("(" + " OR ".join(ors) + ")")
    counts: list[str] = []
    sparams: list[Any] = []
    for sub in dict.fromkeys(terms):
        for i, f in enumerate(fields):
            weight = 4 if (title is not None and i == 0) else 1
            counts.append(f"{weight} * (length(lower({f})) - length(replace(lower({f}), %s, '')))"
                          f" / {max(1, len(sub))}.0")
            sparams.append(sub.lower())
    score = f"(({' + '.join(counts)}) / (1 + ln(1 + length({text}) / 500.0)))"
    return " AND ".join(conds), cparams, score, sparams
