"""Full-text search for PostgreSQL: tsvectors and tsqueries built in Python.

Words are found and normalised here, for the stored text and for queries
alike, so the server's text-search configuration, parser and locale play no
part (PostgreSQL's default parser takes the Urdu full stop ۔ for a letter in
the C locale, and splits nothing in Chinese):

* a word is a run of Unicode letters and digits, combining marks included
  (so a vowel mark inside an Urdu word does not cut it in two);
* its lexeme is ``normalize_for_search`` (safe NFKC, Arabic-script marks
  removed, Arabic/Persian code points unified to Urdu), Latin/Greek/Cyrillic
  diacritics removed (like FTS5's ``remove_diacritics 2``), lower-cased;
* words with CJK characters get no lexeme: CJK queries are substring
  searches (``ILIKE``, sped up by pg_trgm), as on SQLite's trigram index.

The stored ``tsvector`` is written as a literal (``'lexeme':1A,7``; title
words weight A, text words D, title and text separated by a position gap so
a phrase never spans both) and the query as a ``tsquery`` literal whose every
lexeme is quoted: nothing a user types reaches the tsquery parser as syntax.
The query grammar is the one of ``fts_query.build_query`` (words, "phrases",
``word*`` prefixes, ``OR``), each term ORed over ``search_variants``.
Snippets and highlights are computed here from the same tokens.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from ..textnorm import normalize_for_search
from .fts_query import HL_CLOSE, HL_OPEN, has_cjk, parse_terms

__all__ = [
    "PgQuery",
    "any_term_query",
    "build_pg_query",
    "highlight_spans",
    "lexeme",
    "mark",
    "snippet",
    "tokens",
    "tsvector_literal",
]


def _mark_class() -> str:
    """A regex class body with every combining mark of the Basic Multilingual Plane."""
    ranges: list[tuple[int, int]] = []
    for cp in range(0x300, 0x10000):
        if unicodedata.category(chr(cp)).startswith("M"):
            if ranges and ranges[-1][1] == cp - 1:
                ranges[-1] = (ranges[-1][0], cp)
            else:
                ranges.append((cp, cp))
    return "".join(re.escape(chr(a)) + ("-" + re.escape(chr(b)) if b > a else "")
                   for a, b in ranges)


_WORD_RE = re.compile(rf"(?:[^\W_]|[{_mark_class()}])+")
_QUERY_TOKEN = re.compile(r"\w+", re.UNICODE)
#: tsvector limits: positions 1..16383, 256 positions a lexeme, 2 KB a lexeme, 1 MB in all
_MAX_POS = 16383
_MAX_POSITIONS = 255
_MAX_LEXEME_CHARS = 200
_MAX_LITERAL_BYTES = 900_000
_TEXT_GAP = 8  # positions between the last title word and the first text word
_SNIPPET_TOKENS = 24
_CJK_SNIPPET_CHARS = 48


def tokens(text: str) -> list[tuple[int, int, str]]:
    """``(start, end, word)`` of every word of ``text``."""
    return [(m.start(), m.end(), m.group(0)) for m in _WORD_RE.finditer(text)]


def _strip_latin_marks(word: str) -> str:
    out: list[str] = []
    for ch in unicodedata.normalize("NFKD", word):
        if unicodedata.category(ch) == "Mn" and out and ord(out[-1]) < 0x0590:
            continue
        out.append(ch)
    return unicodedata.normalize("NFC", "".join(out))


@lru_cache(maxsize=1 << 16)
def lexeme(word: str) -> str | None:
    """The index key of one word (None: not indexed by word, e.g. CJK)."""
    if has_cjk(word) or len(word) > _MAX_LEXEME_CHARS:
        return None
    key = normalize_for_search(word)
    if not key.isascii():
        key = _strip_latin_marks(key)
    key = key.lower()
    return key or None


def _lexemes_of(text: str) -> list[str]:
    """Lexemes of a typed term (normalisation may split or join words: re-tokenise)."""
    out: list[str] = []
    for _, _, word in tokens(normalize_for_search(text)):
        lex = lexeme(word)
        if lex is not None:
            out.append(lex)
    return out


def _quote(lex: str) -> str:
    return "'" + lex.replace("\\", "\\\\").replace("'", "''") + "'"


def tsvector_literal(title: str | None, text: str) -> str:
    """The tsvector of a document (or, with ``title=None``, of a sentence)."""
    positions: dict[str, list[str]] = {}
    pos = 0
    for part, weight in ((title or "", "A"), (text, "")):
        for _, _, word in tokens(part):
            pos += 1
            lex = lexeme(word)
            if lex is None:
                continue
            slots = positions.setdefault(lex, [])
            if len(slots) < _MAX_POSITIONS:
                slots.append(f"{min(pos, _MAX_POS)}{weight}")
        pos += _TEXT_GAP
    literal = " ".join(f"{_quote(lex)}:{','.join(dict.fromkeys(p))}"
                       for lex, p in positions.items())
    if len(literal.encode("utf-8")) > _MAX_LITERAL_BYTES:
        # a huge document: keep every word, drop positions (phrases then match as AND)
        literal = " ".join(_quote(lex) for lex in positions)
        encoded = literal.encode("utf-8")[:_MAX_LITERAL_BYTES]
        literal = encoded.decode("utf-8", "ignore").rsplit(" ", 1)[0]
    return literal


# ---------------------------------------------------------------------------
# Queries


@dataclass(frozen=True)
class _Alt:
    """One alternative of a query clause: a word or phrase, or (CJK) a substring."""

    lexemes: tuple[str, ...] = ()
    prefix: bool = False
    substring: str = ""

    def tsquery(self) -> str:
        parts = [_quote(lex) for lex in self.lexemes]
        if self.prefix:
            parts[-1] += ":*"
        return parts[0] if len(parts) == 1 else "(" + " <-> ".join(parts) + ")"


@dataclass(frozen=True)
class PgQuery:
    """A parsed user query: AND of clauses, each clause an OR of alternatives."""

    clauses: tuple[tuple[_Alt, ...], ...] = ()
    trigram: bool = False
    short_terms: tuple[str, ...] = field(default=())

    @property
    def empty(self) -> bool:
        return not self.clauses

    def tsquery(self) -> str:
        """A tsquery literal with every lexeme quoted ('' for a trigram query)."""
        if self.trigram:
            return ""
        groups = []
        for alts in self.clauses:
            inner = " | ".join(a.tsquery() for a in alts)
            groups.append(f"({inner})" if len(alts) > 1 else inner)
        return " & ".join(groups)

    def substrings(self) -> list[list[str]]:
        return [[a.substring for a in alts] for alts in self.clauses]


def _alternative(raw: str, phrase: bool, prefix: bool, trigram: bool) -> _Alt | None:
    words = _QUERY_TOKEN.findall(raw)
    if not words:
        return None
    if trigram:
        term = " ".join(words) if phrase else "".join(words)
        return _Alt(substring=term) if len(term) >= 3 else None
    lexes = _lexemes_of(" ".join(words))
    return _Alt(lexemes=tuple(lexes), prefix=prefix) if lexes else None


def build_pg_query(text: str) -> PgQuery:
    """Parse what a user typed, with the grammar of ``fts_query.build_query``."""
    groups, trigram, short = parse_terms(text, _alternative)
    clauses = tuple(tuple(dict.fromkeys(a for alts in group for a in alts)) for group in groups)
    return PgQuery(clauses, trigram, short)


def any_term_query(text: str, stop: Iterable[str]) -> PgQuery:
    """Every word of ``text`` ORed (claims as queries), as ``sqlite_text`` does."""
    if has_cjk(text):
        chunks = [c for run in re.findall(r"\w+", text) for c in
                  (run[i:i + 3] for i in range(0, max(1, len(run) - 2), 2)) if len(c) >= 3]
        alts = [_Alt(substring=t) for t in dict.fromkeys(chunks)]
        return PgQuery((tuple(alts[:64]),) if alts else (), True)
    stopped = set(stop)
    words = [w.lower() for w in _QUERY_TOKEN.findall(text) if w.lower() not in stopped]
    lexes: dict[_Alt, None] = {}
    for w in list(dict.fromkeys(words))[:64]:
        for lex in _lexemes_of(w):
            lexes.setdefault(_Alt(lexemes=(lex,)), None)
    return PgQuery((tuple(lexes),) if lexes else (), False)


# ---------------------------------------------------------------------------
# Highlights and snippets


def highlight_spans(text: str, query: PgQuery,
                    toks: list[tuple[int, int, str]] | None = None) -> list[tuple[int, int]]:
    """``[start, end)`` ranges of ``text`` that the query matches, in order."""
    if query.empty:
        return []
    if query.trigram:
        spans: list[tuple[int, int]] = []
        for alts in query.clauses:
            for alt in alts:
                spans += [(m.start(), m.end()) for m in
                          re.finditer(re.escape(alt.substring), text, re.IGNORECASE)]
        return _merge(spans)
    if toks is None:
        toks = tokens(text)
    every = [alt for clause in query.clauses for alt in clause]
    singles = {a.lexemes[0] for a in every if len(a.lexemes) == 1 and not a.prefix}
    prefixes = tuple(a.lexemes[0] for a in every if len(a.lexemes) == 1 and a.prefix)
    phrases = [a for a in every if len(a.lexemes) > 1]
    firsts = {a.lexemes[0] for a in phrases}
    lexes = [lexeme(w) for _, _, w in toks]
    hits: list[tuple[int, int]] = []
    for i, lex in enumerate(lexes):
        if lex is None:
            continue
        if lex in singles or (prefixes and lex.startswith(prefixes)):
            hits.append((toks[i][0], toks[i][1]))
        if lex in firsts:
            for alt in phrases:
                n = len(alt.lexemes)
                if i + n <= len(lexes) and _matches(lexes[i:i + n], alt):
                    hits.extend((toks[j][0], toks[j][1]) for j in range(i, i + n))
    return _merge(hits)


def _matches(window: Sequence[str | None], alt: _Alt) -> bool:
    *head, last = alt.lexemes
    if list(window[:-1]) != head or window[-1] is None:
        return False
    return window[-1].startswith(last) if alt.prefix else window[-1] == last


def _merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for start, end in sorted(set(spans)):
        if out and start <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], end))
        else:
            out.append((start, end))
    return out


def mark(text: str, spans: Sequence[tuple[int, int]]) -> str:
    """``text`` with the highlight sentinels of ``fts_query`` around ``spans``."""
    out, pos = [], 0
    for start, end in spans:
        out += [text[pos:start], HL_OPEN, text[start:end], HL_CLOSE]
        pos = end
    out.append(text[pos:])
    return "".join(out)


def snippet(text: str, query: PgQuery) -> tuple[str, list[tuple[int, int]]]:
    """A short fragment of ``text`` around the best matches, and its highlights.

    Like FTS5's ``snippet(..., '…', 24)``: 24 words (48 characters for CJK)
    with the most matches, '…' where the text was cut.
    """
    if query.trigram:
        spans = highlight_spans(text, query)
        bounds = [(i, i + 1) for i in range(len(text))]
        size = _CJK_SNIPPET_CHARS
    else:
        toks = tokens(text)
        spans = highlight_spans(text, query, toks)
        bounds = [(s, e) for s, e, _ in toks]
        size = _SNIPPET_TOKENS
    if not bounds:
        return text, spans
    first = _best_window(bounds, spans, size)
    last = min(len(bounds), first + size) - 1
    start = 0 if first == 0 else bounds[first][0]
    end = len(text) if last == len(bounds) - 1 else bounds[last][1]
    inner = [(max(s, start) - start, min(e, end) - start) for s, e in spans
             if s < end and e > start]
    prefix = "…" if start > 0 else ""
    suffix = "…" if end < len(text) else ""
    shift = len(prefix)
    return (prefix + text[start:end] + suffix,
            [(s + shift, e + shift) for s, e in inner if e > s])


def _best_window(bounds: list[tuple[int, int]], spans: list[tuple[int, int]], size: int) -> int:
    if len(bounds) <= size or not spans:
        return 0
    starts = [s for s, _ in bounds]
    best, best_score = 0, -1
    for s, _ in spans:
        i = bisect.bisect_right(starts, s) - 1
        first = max(0, min(i - 2, len(bounds) - size))
        lo, hi = bounds[first][0], bounds[first + size - 1][1]
        score = sum(1 for a, b in spans if a >= lo and b <= hi)
        if score > best_score:
            best, best_score = first, score
    return best
