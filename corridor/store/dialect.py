"""What differs between SQLite's and PostgreSQL's spelling of the store's SQL.

Every statement of the store is written once, in one spelling: ``?``
placeholders, ``COLLATE "C"`` where text must sort by code point, ``ILIKE``
for a case-insensitive substring match, ``ON CONFLICT ... DO NOTHING/UPDATE``
and ``RETURNING`` (both backends have them). :meth:`Dialect.sql` turns that
into what the backend's driver takes: for PostgreSQL ``%s`` placeholders (and
``%%`` for a literal ``%``); for SQLite no ``COLLATE "C"`` (its BINARY
collation already orders text by code point) and ``LIKE``, which ignores ASCII
case there as ``ILIKE`` does. The few pieces that cannot be spelled alike (a
case-insensitive equality that uses SQLite's NOCASE indexes, JSON arrays,
``= ANY``, row locks, the column that keeps insertion order) are attributes or
methods here. Nothing here imports a driver.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

__all__ = ["POSTGRES", "SQLITE", "Dialect"]

#: a quoted string or identifier (copied as it is), or a ``?`` placeholder
_TOKEN = re.compile(r"'(?:[^']|'')*'|\"[^\"]*\"|\?")


@dataclass(frozen=True)
class Dialect:
    name: str
    #: the database's name in messages
    product: str
    #: the column that keeps insertion order in ``sentences`` and ``event_participants``
    seq: str
    #: appended to a SELECT that reads a row it is about to update
    for_update: str

    def sql(self, statement: str) -> str:
        """``statement`` (written in the store's one spelling) for this backend's driver."""
        return _convert(self.name, statement)

    def same_text(self, column: str) -> str:
        """``column`` equals a ``?`` ignoring ASCII case (on SQLite by its NOCASE indexes)."""
        if self.name == "sqlite":
            return f"{column} = ? COLLATE NOCASE"
        return f"lower({column}) = lower(?)"

    def json_texts(self, column: str, alias: str = "v") -> str:
        """A FROM item over the text elements of the JSON array ``column`` (``alias.value``)."""
        if self.name == "sqlite":
            return f"json_each({column}) AS {alias}"
        return f"jsonb_array_elements_text({column}::jsonb) AS {alias}(value)"

    def json_items(self, column: str, alias: str = "j") -> str:
        """A FROM item over the elements of the JSON array ``column`` (``alias.value``)."""
        if self.name == "sqlite":
            return f"json_each({column}) AS {alias}"
        return f"jsonb_array_elements({column}::jsonb) AS {alias}(value)"

    def first_int(self, item: str) -> str:
        """The first element, as an integer, of the JSON array ``item``."""
        if self.name == "sqlite":
            return f"json_extract({item}, '$[0]')"
        return f"({item}->>0)::int"

    def any_of(self, column: str, values: Sequence[Any]) -> tuple[str, list[Any]]:
        """``column`` equals one of ``values`` (not empty): the condition and its params."""
        if self.name == "sqlite":
            return f"{column} IN ({','.join('?' * len(values))})", list(values)
        return f"{column} = ANY(?)", [list(values)]


SQLITE = Dialect(name="sqlite", product="SQLite", seq="rowid", for_update="")
POSTGRES = Dialect(name="postgres", product="PostgreSQL", seq="seq", for_update=" FOR UPDATE")


@lru_cache(maxsize=1024)
def _convert(name: str, statement: str) -> str:
    if name == "sqlite":
        return statement.replace(' COLLATE "C"', "").replace(" ILIKE ", " LIKE ")

    def swap(m: re.Match[str]) -> str:
        token = m.group(0)
        return "%s" if token == "?" else token.replace("%", "%%")

    out = []
    last = 0
    for m in _TOKEN.finditer(statement):
        out.append(statement[last:m.start()].replace("%", "%%"))
        out.append(swap(m))
        last = m.end()
    out.append(statement[last:].replace("%", "%%"))
    return "".join(out)
