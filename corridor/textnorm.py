"""Unicode normalisation for search and matching (English, Urdu, Chinese).

Stored text is never rewritten: these functions make *keys* (for matching
lexicon aliases, comparing strings) and *query spellings* (for the full-text
index, which holds the text as written).

* ``safe_nfkc`` is NFKC except for the Arabic word ligatures U+FDF0-U+FDFF
  (ﷺ, ﷲ, ﷽, the rial sign ﷼ ...): NFKC would replace one honorific or
  currency sign by a whole phrase in Arabic (not Urdu) spelling, which changes
  what the text says. Everything else NFKC does is wanted for search:
  Arabic presentation forms (legacy PDF extraction, ﻻ ﮨ ﯾ) become the letters
  they show, full-width Latin and digits in Chinese text (ＣＰＥＣ, ２０２５) become
  ASCII, compatibility ideographs become unified ones.
* ``normalize_for_search`` adds, for Arabic script: tatweel and diacritics
  (harakat, superscript alef, Quranic marks) removed; Arabic and Persian code
  points unified to the Urdu ones (ي ى → ی, ك → ک, ه → ہ, ة → ۃ, ە → ہ,
  ۀ → ۂ, ی + hamza → ئ); Arabic-Indic and Urdu digits → ASCII. Do-chashmi he
  ھ stays distinct from gol he ہ (پھل "fruit" and پہل "initiative" differ);
  case is left to the index (FTS5 folds it).
* ``search_variants`` gives the spellings of one query term to OR together in
  an FTS query, so a query typed with either code point finds text written
  with the other: Urdu text on the web uses Urdu code points, Persian-keyboard
  code points (ه for ہ and ھ) or Arabic ones (ي, ى at the end, ك, ة),
  consistently within one text, so variants change every letter of a term the
  same way rather than in every combination.
* ``fold_with_offsets`` is ``normalize_for_search`` (plus lower-casing and
  dash/quote unification when asked) that keeps, for every output character,
  the span of the input it came from: match on the folded text, report
  offsets into the original.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from dataclasses import dataclass

__all__ = [
    "Folded",
    "LazyPattern",
    "fold_with_offsets",
    "has_arabic_script",
    "normalize_for_search",
    "safe_nfkc",
    "search_variants",
    "strip_arabic_marks",
]


class LazyPattern:
    """A regular expression compiled on first use (``.re``): a class of characters
    beyond Latin-1 costs milliseconds to compile, which a command that never reads
    such text (most commands, ASCII queries) should not pay at import (issue 14)."""

    def __init__(self, pattern: str) -> None:
        self.pattern = pattern
        self._compiled: re.Pattern[str] | None = None

    @property
    def re(self) -> re.Pattern[str]:
        if self._compiled is None:
            self._compiled = re.compile(self.pattern)
        return self._compiled


#: Arabic word ligatures that NFKC would expand into whole phrases: kept.
_NFKC_KEEP = LazyPattern(r"[\uFDF0-\uFDFF]+")
#: characters NFKC never changes in the texts we see (fast path)
_ASCII = re.compile(r"[\x00-\x7f]*")

_ARABIC_LETTER = LazyPattern(
    r"[\u0620-\u064A\u066E-\u06D3\u06D5\u06EE\u06EF\u06FA-\u06FF\u0750-\u077F\u08A0-\u08C9]"
)
#: harakat, hamza above/below left over after composition, superscript alef,
#: Quranic annotation marks, extended-Arabic marks; and tatweel
_ARABIC_MARKS = LazyPattern(
    r"[\u0610-\u061A\u064B-\u065F\u0670\u06D6-\u06DC\u06DF-\u06E4\u06E7\u06E8\u06EA-\u06ED"
    r"\u08CA-\u08E1\u08E3-\u08FF\u0640]"
)
_YEH_HAMZA = re.compile("\u06cc\u0654")  # ی + hamza above has no precomposed form: ئ
_ARABIC_BLOCK = LazyPattern(r"[\u0600-\u06FF\u0750-\u077F\u08A0-\u08FF]")

#: Arabic and Persian code points -> the Urdu ones (one character each)
_TO_URDU = str.maketrans(
    {
        "\u064a": "\u06cc",  # ي Arabic yeh -> ی
        "\u0649": "\u06cc",  # ى alef maksura -> ی
        "\u0643": "\u06a9",  # ك Arabic kaf -> ک
        "\u0647": "\u06c1",  # ه heh -> ہ
        "\u06d5": "\u06c1",  # ە ae -> ہ
        "\u0629": "\u06c3",  # ة teh marbuta -> ۃ
        "\u06c0": "\u06c2",  # ۀ heh with yeh above -> ۂ
        **{chr(0x0660 + i): str(i) for i in range(10)},  # Arabic-Indic digits
        **{chr(0x06F0 + i): str(i) for i in range(10)},  # Urdu / Persian digits
    }
)
_URDU_DIGITS = str.maketrans({str(i): chr(0x06F0 + i) for i in range(10)})
_DASHES = str.maketrans({"\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-",
                         "\u2014": "-", "\u2015": "-", "\u2212": "-", "\u2019": "'",
                         "\u2018": "'", "\u02bc": "'"})  # fmt: skip


def has_arabic_script(text: str) -> bool:
    """Whether ``text`` has an Arabic-script letter (Urdu, Persian, Arabic...)."""
    return not text.isascii() and _ARABIC_LETTER.re.search(text) is not None


def safe_nfkc(text: str) -> str:
    """NFKC, except the Arabic word ligatures U+FDF0-U+FDFF, which are kept."""
    if _ASCII.fullmatch(text):
        return text
    if not _NFKC_KEEP.re.search(text):
        return unicodedata.normalize("NFKC", text)
    out: list[str] = []
    pos = 0
    for m in _NFKC_KEEP.re.finditer(text):
        out.append(unicodedata.normalize("NFKC", text[pos : m.start()]))
        out.append(m.group(0))
        pos = m.end()
    out.append(unicodedata.normalize("NFKC", text[pos:]))
    return "".join(out)


def strip_arabic_marks(text: str) -> str:
    """Remove tatweel and Arabic diacritics (letters composed with hamza stay)."""
    return _ARABIC_MARKS.re.sub("", _YEH_HAMZA.sub("\u0626", text))


def normalize_for_search(text: str) -> str:
    """The search key of ``text``: safe NFKC, Arabic-script marks removed and
    variant letters and digits unified to Urdu/ASCII (see the module docstring).

    Latin and Chinese text only goes through ``safe_nfkc``.
    """
    text = safe_nfkc(text)
    if text.isascii() or not _ARABIC_BLOCK.re.search(text):
        return text
    return strip_arabic_marks(text).translate(_TO_URDU)


# ---------------------------------------------------------------------------
# Query spellings

#: consonants after which a Persian-keyboard ه usually stands for do-chashmi ھ
_ASPIRABLE = frozenset("بپتٹجچدڈکگرڑلمن")
_MAX_VARIANTS = 24

# Each dimension: the Urdu letters of the key and how each style writes them.
_YEH_STYLES = ("urdu", "arabic", "arabic_final", "arabic_medial")
_HEH_STYLES = ("urdu", "persian")
_KAF_STYLES = ("urdu", "arabic")


def _yeh(text: str, style: str) -> str:
    if style == "urdu":
        return text
    out = text.replace("\u06cc", "\u064a")
    if style == "arabic_final":  # ي inside a word, ى at its end
        out = re.sub("\u064a(?![\u0620-\u06ff])", "\u0649", out)
    elif style == "arabic_medial":  # ي inside a word, Urdu ی at its end
        out = re.sub("\u064a(?![\u0620-\u06ff])", "\u06cc", out)
    return out


def _heh(text: str, style: str) -> str:
    if style == "urdu":
        return text
    return text.replace("\u06c1", "\u0647").replace("\u06be", "\u0647").replace("\u06c3", "\u0629")


def _kaf(text: str, style: str) -> str:
    return text if style == "urdu" else text.replace("\u06a9", "\u0643")


def _heh_readings(typed: str, key: str) -> list[str]:
    """Keys for a term typed with Persian/Arabic ه, which stands for ہ or ھ.

    ``key`` has every ه as ہ; the second reading makes an ه right after an
    aspirable consonant (and not at the end of a word) do-chashmi ھ: "بهی"
    may be بھی as well as بہی.
    """
    if "\u0647" not in typed:
        return [key]
    chars = list(key)
    changed = False
    for i in range(1, len(chars) - 1):
        aspirated = chars[i - 1] in _ASPIRABLE and _ARABIC_LETTER.re.match(chars[i + 1])
        if chars[i] == "\u06c1" and aspirated:
            chars[i] = "\u06be"
            changed = True
    return [key, "".join(chars)] if changed else [key]


def _composed(text: str, style: str) -> str:
    """``madda``: آ as ا + madda; ``nfd``: every hamza/madda letter decomposed
    (Urdu keyboards and converters produce both; the index splits words there)."""
    if style == "madda":
        return text.replace("\u0622", "\u0627\u0653")
    if style == "nfd":
        return "".join(unicodedata.normalize("NFD", c) if c in _COMPOSED else c for c in text)
    return text


_COMPOSED = frozenset("\u0622\u0623\u0624\u0625\u0626\u06c2\u06d3")  # آ أ ؤ إ ئ ۂ ۓ


def search_variants(term: str) -> list[str]:
    """Spellings of ``term`` to OR together in a full-text query, as typed first.

    Latin and Chinese terms give themselves (plus their NFKC form when it
    differs, e.g. full-width ``ＣＰＥＣ`` -> ``CPEC``). An Arabic-script term
    gives its Urdu spelling without diacritics, then the same word in the
    Persian-keyboard and Arabic code points, and with madda/hamza letters
    decomposed (ا + ٓ for آ: the full-text index splits a word at a
    combining mark, so such text is only found by the split spelling). Only
    the letters the term has multiply the spellings; fewer changes come first;
    at most 24.
    """
    variants: dict[str, None] = {term: None}
    folded = safe_nfkc(term)
    variants.setdefault(folded, None)
    if not has_arabic_script(folded):
        return list(variants)
    base = strip_arabic_marks(folded)
    key = base.translate(_TO_URDU)
    variants.setdefault(base, None)
    dims: list[tuple[str, ...]] = [
        _YEH_STYLES if "\u06cc" in key else ("urdu",),
        _HEH_STYLES if any(c in key for c in "\u06c1\u06be\u06c3") else ("urdu",),
        _KAF_STYLES if "\u06a9" in key else ("urdu",),
        ("urdu", "madda", "nfd") if any(c in _COMPOSED for c in key) else ("urdu",),
    ]
    combos = sorted(itertools.product(*dims), key=lambda c: sum(x != "urdu" for x in c))
    for reading in _heh_readings(base, key):
        for yeh, heh, kaf, comp in combos:
            variants.setdefault(_composed(_kaf(_heh(_yeh(reading, yeh), heh), kaf), comp), None)
    if any(c.isdigit() for c in key):  # the same words with Urdu digits
        variants.setdefault(key.translate(_URDU_DIGITS), None)
    return list(variants)[:_MAX_VARIANTS]


# ---------------------------------------------------------------------------
# Folding with offsets


@dataclass(frozen=True)
class Folded:
    """A folded text and, per output character, the input span it came from."""

    text: str
    starts: tuple[int, ...]
    ends: tuple[int, ...]

    def source_span(self, start: int, end: int) -> tuple[int, int]:
        """Input offsets of ``text[start:end]`` (``end > start``)."""
        return self.starts[start], self.ends[end - 1]


def _clusters(text: str) -> list[tuple[int, int]]:
    """A starter character with the combining characters that follow it."""
    out: list[tuple[int, int]] = []
    i, n = 0, len(text)
    while i < n:
        j = i + 1
        while j < n and (unicodedata.combining(text[j]) or text[j] == "\u0640"):
            j += 1
        out.append((i, j))
        i = j
    return out


def fold_with_offsets(text: str, *, lower: bool = False, unify_punct: bool = False) -> Folded:
    """``normalize_for_search(text)`` cluster by cluster, with offsets back.

    ``lower`` also lower-cases; ``unify_punct`` maps the dashes to ``-`` and
    typographic apostrophes to ``'``, and collapses runs of white space to one
    space. Arabic marks that follow a letter belong to its cluster, so they
    vanish without breaking the word.
    """
    out: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    for s, e in _clusters(text):
        piece = normalize_for_search(text[s:e])
        if unify_punct:
            piece = piece.translate(_DASHES)
            if piece.isspace():
                if out and out[-1] == " ":
                    ends[-1] = e
                    continue
                piece = " "
        if lower:
            piece = piece.lower()
        for ch in piece:
            out.append(ch)
            starts.append(s)
            ends.append(e)
    return Folded("".join(out), tuple(starts), tuple(ends))
