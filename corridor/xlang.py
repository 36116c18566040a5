"""Across languages with the domain lexicon: query expansion and glosses.

The lexicon (``corridor/domain/lexicon.json``) names each entity in English
(canonical name, aliases, acronyms), Urdu and Chinese. That is enough to

* search in every language for what a query names: ``expand_query("CPEC")``
  finds the entity *China-Pakistan Economic Corridor* with its aliases per
  language, and ``any_language_query("CPEC")`` gives the query strings to run
  (the query as typed, then one per language: ``"China-Pakistan Economic
  Corridor" OR "CPEC" ...``, ``"سی پیک" OR "چین پاکستان اقتصادی راہداری" ...``,
  ``"中巴经济走廊"``); the caller runs each and merges the hits;
* show Urdu and Chinese text with English glosses of the entity names in it
  (``gloss``): no machine-translation model ships inside a PyPI or Debian
  package (see docs/choices.md), so originals are shown, glossed.

Matching is on folded text (``corridor.textnorm.fold_with_offsets``: Urdu
written with Arabic or Persian code points or diacritics, full-width Latin,
dashes, case) with offsets into the original. Latin and Urdu aliases match
whole words only; Chinese aliases match anywhere (Chinese has no spaces),
longest first. Acronyms match case-sensitively, except in queries, where an
acronym of four letters or more also matches in lower case ("cpec").
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from .domain import LexEntry, load_pack
from .textnorm import fold_with_offsets, has_arabic_script

__all__ = [
    "AliasMatch",
    "Expansion",
    "LANGS",
    "any_language_query",
    "expand_query",
    "find_aliases",
    "gloss",
    "query_language",
]

#: the languages the lexicon names entities in
LANGS = ("en", "ur", "zh")
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af]")
_MIN_TRIGRAM = 3  # the trigram index cannot search shorter Chinese terms


def _is_cjk(ch: str) -> bool:
    return bool(_CJK.match(ch))


def _is_word_char(ch: str) -> bool:
    return (ch.isalnum() or ch == "_") and not _is_cjk(ch)


@dataclass(frozen=True)
class AliasMatch:
    """One lexicon alias found in a text: ``text[start:end]`` is the surface."""

    start: int
    end: int
    surface: str
    entity_id: str
    lang: str  # the language of the alias that matched: en / ur / zh


@dataclass(frozen=True)
class Expansion:
    """A lexicon entity named in a query, with its names in every language."""

    surface: str  # as typed
    start: int
    end: int
    entity_id: str
    name: str  # canonical English name
    type: str  # PERSON / ORG / PLACE / PROJECT
    lang: str  # language of the alias that matched
    en: tuple[str, ...]  # canonical name, English aliases, acronyms
    ur: tuple[str, ...]
    zh: tuple[str, ...]

    def aliases(self, lang: str) -> tuple[str, ...]:
        """The entity's names in ``lang`` (``en``, ``ur`` or ``zh``)."""
        return {"en": self.en, "ur": self.ur, "zh": self.zh}.get(lang, ())


# ---------------------------------------------------------------------------
# Matching


@dataclass(frozen=True)
class _Alias:
    key: str  # folded (acronyms: lower-cased only)
    raw: str  # as in the lexicon
    entity_id: str
    lang: str
    acronym: bool
    cjk: bool


@dataclass(frozen=True)
class _Index:
    by_first: dict[str, tuple[_Alias, ...]]  # first folded character -> longest first


def _fold_alias(alias: str) -> str:
    return fold_with_offsets(alias, lower=True, unify_punct=True).text.strip()


def _entry_aliases(entry: LexEntry) -> Iterable[tuple[str, str, bool]]:
    for alias in (entry.name, *entry.en):
        yield alias, "en", False
    for alias in entry.acronyms:
        yield alias, "en", True
    for alias in entry.ur:
        yield alias, "ur", False
    for alias in entry.zh:
        yield alias, "zh", False


@lru_cache(maxsize=1)
def _index() -> _Index:
    table: dict[str, dict[tuple[str, bool], _Alias]] = {}
    for entry in load_pack().entities.values():
        for alias, lang, acronym in _entry_aliases(entry):
            key = _fold_alias(alias)
            if not key:
                continue
            item = _Alias(key, alias.strip(), entry.id, lang, acronym, bool(_CJK.search(key)))
            # the first entity listing an alias keeps it (as in DomainPack.alias_index)
            table.setdefault(key[0], {}).setdefault((key, acronym), item)
    by_first = {
        first: tuple(sorted(items.values(), key=lambda a: len(a.key), reverse=True))
        for first, items in table.items()
    }
    return _Index(by_first)


def _bounded(text: str, start: int, end: int) -> bool:
    """Whole word: no word character glued on either side."""
    before = text[start - 1] if start > 0 else " "
    after = text[end] if end < len(text) else " "
    return not _is_word_char(before) and not _is_word_char(after)


def find_aliases(
    text: str, langs: Sequence[str] = LANGS, *, loose_acronyms: bool = False
) -> list[AliasMatch]:
    """Lexicon aliases (of languages ``langs``) in ``text``, left to right,
    longest match first, not overlapping; offsets into ``text``.

    ``loose_acronyms`` lets acronyms of four letters or more match in any case
    (for typed queries).
    """
    if not text:
        return []
    index = _index()
    folded = fold_with_offsets(text, lower=True, unify_punct=True)
    ftext = folded.text
    out: list[AliasMatch] = []
    i, n = 0, len(ftext)
    while i < n:
        best: tuple[int, _Alias] | None = None
        for alias in index.by_first.get(ftext[i], ()):
            if alias.lang not in langs:
                continue
            end = i + len(alias.key)
            if end > n or ftext[i:end] != alias.key:
                continue
            if alias.acronym:
                s, e = folded.source_span(i, end)
                if text[s:e] != alias.raw and not (loose_acronyms and len(alias.raw) >= 4):
                    continue
            if not alias.cjk and not _bounded(ftext, i, end):
                continue
            best = (end, alias)
            break  # longest first
        if best is None:
            i += 1
            continue
        end, alias = best
        s, e = folded.source_span(i, end)
        out.append(AliasMatch(s, e, text[s:e], alias.entity_id, alias.lang))
        i = end
    return out


# ---------------------------------------------------------------------------
# Queries


def query_language(query: str) -> str:
    """The language a query is typed in, by script: zh, ur, or en."""
    if _CJK.search(query):
        return "zh"
    if has_arabic_script(query):
        return "ur"
    return "en"


def _aliases_by_lang(entry: LexEntry) -> dict[str, tuple[str, ...]]:
    en = tuple(dict.fromkeys((entry.name, *entry.en, *entry.acronyms)))
    return {"en": en, "ur": tuple(dict.fromkeys(entry.ur)), "zh": tuple(dict.fromkeys(entry.zh))}


def expand_query(query: str) -> list[Expansion]:
    """The lexicon entities a query names, each with its names in en / ur / zh.

    Aliases are found anywhere in the query (whole words). When none is, a
    query of two words or more that is part of the aliases of exactly one
    entity names that entity ("Orange Line" for "Orange Line Metro Train").
    """
    pack = load_pack()
    matches = find_aliases(query, loose_acronyms=True)
    if not matches:
        matches = _unique_subphrase(query)
    out: list[Expansion] = []
    for m in matches:
        entry = pack.entities[m.entity_id]
        names = _aliases_by_lang(entry)
        out.append(
            Expansion(
                surface=m.surface,
                start=m.start,
                end=m.end,
                entity_id=entry.id,
                name=entry.name,
                type=entry.type,
                lang=m.lang,
                en=names["en"],
                ur=names["ur"],
                zh=names["zh"],
            )
        )
    return out


def _unique_subphrase(query: str) -> list[AliasMatch]:
    stripped = query.strip()
    key = _fold_alias(stripped)
    if len(key.split()) < 2 or len(key) < 8 or _CJK.search(key):
        return []
    owners = {
        a.entity_id
        for items in _index().by_first.values()
        for a in items
        if not a.acronym and f" {key} " in f" {a.key} "
    }
    if len(owners) != 1:
        return []
    start = query.index(stripped)
    return [AliasMatch(start, start + len(stripped), stripped, owners.pop(), query_language(key))]


def _searchable(aliases: Sequence[str], lang: str) -> list[str]:
    """Aliases worth a clause: no double quotes; one per spelling the index
    tells apart ("China-Pakistan" and "China Pakistan" are the same tokens);
    none that contains a shorter kept one (searching "Pakistan" already finds
    "Islamic Republic of Pakistan"; for Chinese only a kept alias of 3+
    characters counts, shorter ones being beyond the trigram index: see
    ``FtsQuery.short_terms``)."""
    by_key: dict[str, str] = {}
    for alias in aliases:
        cleaned = " ".join(alias.replace('"', " ").split())
        key = _token_key(cleaned, lang)
        if key:
            by_key.setdefault(key, cleaned)
    kept: list[str] = []
    for key in sorted(by_key, key=len):
        if not any(_contains(key, k, lang) for k in kept):
            kept.append(key)
    return [alias for key, alias in by_key.items() if key in kept]


_WORD = re.compile(r"\w+")


def _token_key(alias: str, lang: str) -> str:
    words = _WORD.findall(_fold_alias(alias))
    return "".join(words) if lang == "zh" else " ".join(words)


def _contains(longer: str, shorter: str, lang: str) -> bool:
    if lang == "zh":
        return len(shorter) >= _MIN_TRIGRAM and shorter in longer
    return f" {shorter} " in f" {longer} "


def _group(aliases: Sequence[str]) -> str:
    return " OR ".join(f'"{a}"' for a in aliases)


def any_language_query(query: str) -> list[str]:
    """Query strings to run for ``search --any-language``: the query as typed
    first, then one per language (en, ur, zh) in which every entity the query
    names becomes the OR of its names in that language.

    Words of the query that are not entity names are kept only in the
    alternative of the query's own language (they cannot be translated);
    a language in which some named entity has no name is skipped. Each string
    is in the syntax ``corridor.store.fts_query.build_query`` reads
    (quoted phrases, ``OR``), so it can go straight to ``Corridor.search``.
    Results of the strings are to be merged (deduplicated by document).
    """
    expansions = expand_query(query)
    out: dict[str, None] = {query: None}
    if not expansions:
        return list(out)
    own = query_language(query)
    rest: list[str] = []
    pos = 0
    for exp in expansions:
        rest.append(query[pos : exp.start])
        pos = exp.end
    rest.append(query[pos:])
    leftover = " ".join(" ".join(rest).split())
    for lang in LANGS:
        groups: list[str] = []
        for exp in expansions:
            names = _searchable(exp.aliases(lang), lang)
            if not names:
                groups = []
                break
            groups.append(_group(names))
        if not groups:
            continue
        alternative = " ".join(groups)
        if lang == own and leftover:
            alternative = f"{alternative} {leftover}"
        out.setdefault(alternative, None)
    return list(out)


# ---------------------------------------------------------------------------
# Glosses


def gloss(text: str, lang: str | None) -> list[tuple[int, int, str]]:
    """English names for the lexicon entities named in Urdu or Chinese ``text``:
    ``(start, end, canonical English name)`` with offsets into ``text``.

    ``lang`` ``"ur"`` or ``"zh"`` looks for that language's aliases; any
    other value (a mixed page, unknown) looks for both.
    """
    langs: tuple[str, ...] = (lang,) if lang in ("ur", "zh") else ("ur", "zh")
    pack = load_pack()
    return [(m.start, m.end, pack.entities[m.entity_id].name) for m in find_aliases(text, langs)]
