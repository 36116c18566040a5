"""SQL for the document filters every search shares (documents aliased ``d``)."""

from __future__ import annotations

from typing import Any

from .dialect import Dialect
from .records import SearchFilters

__all__ = ["filter_sql"]


def filter_sql(f: SearchFilters, dialect: Dialect) -> tuple[str, list[Any]]:
    """`` AND ...`` conditions for ``f`` (empty when it filters nothing), and their params."""
    clauses, params = [], []
    if f.since:
        clauses.append('d.published >= ? COLLATE "C"')
        params.append(f.since)
    if f.until:
        clauses.append('d.published <= ? COLLATE "C"')
        params.append(f.until)
    if f.source:  # the source's name in any case, or a part of the URL (LIKE ignores case)
        clauses.append(f"({dialect.same_text('d.source')} OR d.url ILIKE ?)")
        params.extend([f.source, f"%{f.source}%"])
    if f.lang:
        clauses.append("d.lang = ?")
        params.append(f.lang)
    return "".join(f" AND {c}" for c in clauses), params
