"""Rule-based sentence splitting with character offsets, for English, Urdu and Chinese.

Rules, in order:
- a line break always ends a sentence (stored clean text keeps one paragraph or
  headline per line);
- Chinese ``。！？`` and Urdu ``۔ ؟`` end a sentence wherever they stand
  (closing quotes and brackets stay with it);
- ``. ! ?`` end a sentence when followed by white space and then an upper-case
  letter, a digit, an opening quote or bracket, or a non-Latin letter — unless
  the word before the period is an abbreviation ("Mr.", "Dr.", "H.E.", "Feb.",
  "U.S.", single initials), so datelines such as "ISLAMABAD, Feb. 6 (APP):"
  stay whole;
- an ellipsis inside a quotation ("...fail...The") does not split.

Sentences never include surrounding white space, so
``text[s.start:s.end] == s.text`` and ``s.text == s.text.strip()``.
"""

from __future__ import annotations

import re

from ..document import Sentence
from ..domain import words

__all__ = ["ABBREVIATIONS", "split_sentences"]

#: lower-cased abbreviations (without the final period) that do not end a sentence
ABBREVIATIONS = words.word_set("sentences", "abbreviations")
# 'etc.' may end a sentence: only listed to document the choice; handled below.
_MAY_END = frozenset({"etc.", "etc"})

_CJK_END = "。！？"
_URDU_END = "۔؟"
_CLOSERS = "\"'”’»)]}」』）】"
_OPENERS = "\"'“‘«([{「『（【"

_LATIN_END = re.compile(r"[.!?]+")
_WORD_BEFORE = re.compile(r"([\w.’'\-]+)$", re.UNICODE)


def _is_abbreviation(text: str, dot: int) -> bool:
    """Whether the period at ``dot`` closes an abbreviation rather than a sentence."""
    m = _WORD_BEFORE.search(text, 0, dot)
    if not m:
        return False
    word = m.group(1).lower().lstrip("(\"'“‘")
    if not word:
        return False
    if word in _MAY_END:
        return False
    if word in ABBREVIATIONS:
        return True
    # single letters and dotted initials: "F.W.", "H.E", "J."
    return bool(re.fullmatch(r"(?:[a-z]\.)*[a-z]", word))


def _next_starts_sentence(text: str, pos: int, end: int) -> bool:
    """Whether the text from ``pos`` (after white space) looks like a sentence start."""
    while pos < end and text[pos] in " \t\u00a0":
        pos += 1
    if pos >= end:
        return True
    ch = text[pos]
    if ch.isupper() or ch.isdigit() or ch in _OPENERS:
        return True
    # letters with no case (Urdu, Chinese) also start sentences
    return ch.isalpha() and not ch.islower() and not ch.isascii()


def _split_line(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Split one line ``text[start:end]`` into (start, end) pieces."""
    cuts: list[int] = []
    i = start
    while i < end:
        ch = text[i]
        if ch in _CJK_END or ch in _URDU_END:
            j = i + 1
            while j < end and (text[j] in _CJK_END or text[j] in _URDU_END or text[j] in "!?"):
                j += 1
            while j < end and text[j] in _CLOSERS:
                j += 1
            cuts.append(j)
            i = j
            continue
        if ch in ".!?":
            m = _LATIN_END.match(text, i, end)
            assert m is not None
            j = m.end()
            while j < end and text[j] in _CLOSERS:
                j += 1
            ellipsis = m.group(0).startswith("..") or text[i] == "…"
            if j >= end:
                i = j
                continue
            if not text[j].isspace():
                i = j
                continue
            if ch == "." and not ellipsis and m.group(0) == "." and _is_abbreviation(text, i):
                # an abbreviation ends a sentence only before a clear new sentence
                # that is not a name or a date ("Mr. Liu", "Feb. 6"): never split.
                i = j
                continue
            if _next_starts_sentence(text, j, end):
                cuts.append(j)
            i = j
            continue
        if ch == "…":
            i += 1
            continue
        i += 1
    pieces: list[tuple[int, int]] = []
    prev = start
    for c in [*cuts, end]:
        if c > prev:
            pieces.append((prev, c))
        prev = c
    return pieces


def split_sentences(text: str, lang: str | None = None) -> list[Sentence]:
    """Split ``text`` into sentences with offsets (``lang`` is a hint; rules cover all three)."""
    out: list[Sentence] = []
    for line in re.finditer(r"[^\n\r\u2028\u2029]+", text):
        for s, e in _split_line(text, line.start(), line.end()):
            # trim white space on both sides
            while s < e and text[s].isspace():
                s += 1
            while e > s and text[e - 1].isspace():
                e -= 1
            if e > s and any(c.isalnum() for c in text[s:e]):
                out.append(Sentence(start=s, end=e, text=text[s:e]))
    return out
