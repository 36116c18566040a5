"""SQL for the document filters shared by every SQLite search (documents aliased ``d``)."""

from __future__ import annotations

from typing import Any

from .base import SearchFilters

__all__ = ["filter_sql"]


def filter_sql(f: SearchFilters) -> tuple[str, list[Any]]:
    clauses, params = [], []
    if f.since:
        clauses.append("d.published >= ?")
        params.append(f.since)
    if f.until:
        clauses.append("d.published <= ?")
        params.append(f.until)
    if f.source:
        clauses.append("(d.source = ? COLLATE NOCASE OR d.url LIKE ?)")
        params.extend([f.source, f"%{f.source}%"])
    if f.lang:
        clauses.append("d.lang = ?")
        params.append(f.lang)
    return "".join(f" AND {c}" for c in clauses), params
