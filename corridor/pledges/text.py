"""What a commitment's wording says, for clustering and status: content words,
ordinals ("14th JCC meeting") and the named bodies or projects its action names."""

from __future__ import annotations

import re
from functools import lru_cache

from ..domain import load_pack, words
from ..xlang import find_aliases

__all__ = ["clean_action", "content_words", "core_action", "display_action", "key_entities_in",
           "ordinals", "stem"]

_WORD = re.compile(r"[a-z0-9][a-z0-9\-]*")
_ORDINAL = re.compile(
    r"\b(\d+(?:st|nd|rd|th)|first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|"
    r"eleventh|twelfth|thirteenth|fourteenth|fifteenth|sixteenth|seventeenth|eighteenth|"
    r"nineteenth|twentieth)\b", re.I)
_ORD_LIST = ("first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth",
             "ninth", "tenth", "eleventh", "twelfth", "thirteenth", "fourteenth", "fifteenth",
             "sixteenth", "seventeenth", "eighteenth", "nineteenth", "twentieth")
_ORD_WORDS = {w: i for i, w in enumerate(_ORD_LIST, 1)}

# function words and words every commitment shares ("cooperation", "further")
_STOP = words.word_set("pledges", "stopwords")


_ATTRIBUTION = re.compile(
    r",\s+[^,]{0,60}?\b(?:said|says|stated|added|told|noted|announced|according)\b.*$", re.I)


_SPEAKER = re.compile(
    r",\s+(?:the|a|an|its|their)\s+(?:[\w\-]+\s+){0,4}?(?:minister|ministry|ambassador|envoy|"
    r"spokes(?:person|man|woman)|officials?|statement|embassy|president|secretary|agenc(?:y|ies)|"
    r"delegation|leader|chairman|adviser|advisor)$", re.I)


def clean_action(action: str) -> str:
    """The action without a trailing attribution ("..., the ministry said",
    "..., the water minister")."""
    return _SPEAKER.sub("", _ATTRIBUTION.sub("", action)).strip() or action


# Frames that only say how hard a party will try ("leave no stone unturned to",
# "spare no effort in", "take all necessary measures to", "do its utmost to"):
# they carry no meaning of their own and, embedded, pull two wordings of one
# pledge apart. The action that follows them is what is pledged.
_EMPHASIS = re.compile(
    r"^(?:(?:continue|remain|stand)\s+(?:to\s+|ready\s+to\s+|committed\s+to\s+))?"
    r"(?:leave\s+no\s+stone\s+unturned|spare\s+no\s+(?:efforts?|pains)|"
    r"make\s+(?:every|all)\s+(?:possible\s+)?efforts?|"
    r"do\s+(?:its|their|his|her|our|my)\s+(?:utmost|very\s+best|best)|"
    r"do\s+(?:everything|all|whatever\s+(?:it|they)\s+can)(?:\s+(?:possible|in\s+"
    r"(?:its|their)\s+power))?|"
    r"take\s+(?:all|every)\s+(?:necessary|possible|needed|required)?\s*"
    r"(?:measures?|steps?|actions?)|"
    r"go\s+(?:the\s+)?extra\s+mile|"
    r"use\s+(?:all|every)\s+(?:available\s+)?(?:means|resources?))\s+(?:to|in|for)\s+(?=\w)",
    re.I)


def core_action(action: str) -> str:
    """:func:`clean_action` without an opening frame of emphasis ("spare no
    effort in guarding the lives of ..." -> "guarding the lives of ..."): the
    wording that is embedded and compared across articles."""
    text = clean_action(action)
    core = _EMPHASIS.sub("", text, count=1).strip()
    return core if len(core.split()) >= 2 else text


def stem(word: str) -> str:
    """A crude English stem, enough to match "upgrading" with "upgrade"."""
    w = word.lower()
    for suffix, repl in (("ation", "ate"), ("ing", ""), ("ies", "y"), ("ed", ""), ("es", ""),
                         ("s", "")):
        if w.endswith(suffix) and len(w) - len(suffix) >= 3:
            w = w[: len(w) - len(suffix)] + repl
            break
    return w.rstrip("e") if len(w) > 4 else w


@lru_cache(maxsize=1)
def _place_words() -> frozenset[str]:
    """Country names and demonyms: every commitment of the pair names them."""
    out: set[str] = set()
    for e in load_pack().entities.values():
        if e.kind == "country":
            for name in (e.name, *e.en, *e.demonyms):
                out.update(stem(w) for w in _WORD.findall(name.lower()))
    return frozenset(out)


def content_words(text: str) -> frozenset[str]:
    """Stemmed words of ``text`` that carry its meaning (not countries' names)."""
    stems = {stem(w) for w in _WORD.findall(text.lower())
             if w not in _STOP and len(w) > 2 and not w.isdigit()}
    return frozenset(stems - _place_words())


def ordinals(text: str) -> frozenset[int]:
    """The ordinals a text states ("14th", "fourth") as numbers."""
    out = set()
    for m in _ORDINAL.finditer(text):
        w = m.group(1).lower()
        out.add(int(w[:-2]) if w[0].isdigit() else _ORD_WORDS[w])
    return frozenset(out)


@lru_cache(maxsize=1)
def _country_ids() -> frozenset[str]:
    pack = load_pack()
    return frozenset(e.id for e in pack.entities.values()
                     if e.kind in ("country", "government") or e.type == "PERSON")


def key_entities_in(sentence: str, action: str, exclude: set[str] | frozenset[str] = frozenset(),
                    ) -> list[str]:
    """Lexicon entities (not countries, governments or people) that the sentence
    names inside the commitment's action: the body or project a pledge is about."""
    low = action.lower()
    out: list[str] = []
    for m in find_aliases(sentence, ("en",)):
        if m.entity_id in exclude or m.entity_id in _country_ids() or m.entity_id in out:
            continue
        entry = load_pack().entities.get(m.entity_id)
        if entry is None or entry.type == "PLACE":
            continue
        if re.search(r"(?<![\w-])" + re.escape(m.surface.lower()) + r"(?![\w-])", low):
            out.append(m.entity_id)
    return out


def display_action(action: str, sentence: str) -> str:
    """The action with the sentence's own capitals ("ML-1", "JCC") where the
    words can be found in it; the first word is kept as normalised."""
    words = action.split(" ")
    if len(words) > 1:
        tail = " ".join(words[1:])
        i = sentence.lower().find(tail)
        if i >= 0:
            return words[0] + " " + sentence[i:i + len(tail)]
    return action
