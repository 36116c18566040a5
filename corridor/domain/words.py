"""Word lists of the extractors and the claim checker, as data (``words.json``).

The lists are facts about English news language (organisation heads, sentence
abbreviations, stop words, number words, action verbs and their opposites...),
kept beside the lexicon so that they can be read, reviewed and extended without
touching code. ``words.json`` has one section per reader (``entities``,
``actors``, ``events``, ``resolve``, ``sentences``, ``commitments``, ``check``,
``pledges``) and ``_about`` says what each list is for.

Read once per process; what is handed out is immutable (frozensets, tuples) or a
fresh dict.
"""

from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources
from typing import Any

from ..errors import ConfigError

__all__ = ["word_map", "word_rows", "word_set"]


@lru_cache(maxsize=1)
def _data() -> dict[str, dict[str, Any]]:
    text = (resources.files("corridor.domain") / "words.json").read_text("utf-8")
    data: dict[str, dict[str, Any]] = json.loads(text)
    return data


def _entry(section: str, name: str) -> Any:
    try:
        return _data()[section][name]
    except KeyError:
        raise ConfigError(f"domain word list {section}.{name} is missing from words.json") from None


def word_set(section: str, name: str) -> frozenset[str]:
    """A list of words as a frozenset."""
    return frozenset(_entry(section, name))


def word_map(section: str, name: str) -> dict[str, Any]:
    """A word -> value table (a fresh copy)."""
    return dict(_entry(section, name))


def word_rows(section: str, name: str) -> tuple[tuple[Any, ...], ...]:
    """A table of rows (lists inside a row become tuples)."""
    return tuple(tuple(tuple(c) if isinstance(c, list) else c for c in row)
                 for row in _entry(section, name))
