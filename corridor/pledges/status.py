"""Status signals: what later sentences report about a pledge, each one cited.

A sentence is evidence about a pledge only when it names the pledge's project
or body (a stored entity mention), dates from the pledge's first mention or
later, states the pledge's ordinal when the pledge has one ("the 14th JCC
meeting"), and holds a status cue (``signals.json``) within 100 characters of
that mention. The cue must report, not plan: "will be completed" and "agreed
to complete" are skipped; "has not been completed" and "yet to begin" report
the opposite of done (contradicted). A sentence naming only an umbrella
programme (CPEC) must also share two content words with the pledge's action
(and cannot use a cue that does not fit the action, such as "signed" for a
pledge to build), or every CPEC pledge would be "done" whenever any CPEC
project is inaugurated.
One signal per sentence: done if any valid done cue, else progress, unless a
contradicting cue comes after every positive one ("delayed, but finally
completed" is done; "inaugurated and began supplying power" is done;
"inaugurated but later suspended" is contradicted).
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from .text import content_words, ordinals

__all__ = ["Cue", "SignalSpec", "classify", "load_spec"]

_NEAR = 100
_CLAUSE = 60
_CLAUSE_BREAK = re.compile(r"[,;:()]|\b(?:but|and|while|whereas|although)\b", re.I)


@dataclass(frozen=True)
class Cue:
    kind: str
    rx: re.Pattern[str]
    when_action: re.Pattern[str] | None
    otherwise: str | None


@dataclass(frozen=True)
class SignalSpec:
    cues: tuple[Cue, ...]
    future: re.Pattern[str]
    negation: re.Pattern[str]
    concessive: re.Pattern[str]
    umbrella_kinds: frozenset[str]


@lru_cache(maxsize=1)
def load_spec() -> SignalSpec:
    raw = json.loads(resources.files("corridor.pledges").joinpath("signals.json")
                     .read_text(encoding="utf-8"))
    cues = tuple(
        Cue(c["kind"], re.compile(c["rx"], re.I),
            re.compile(c["when_action"], re.I) if c.get("when_action") else None,
            c.get("otherwise"))
        for c in raw["cues"])
    return SignalSpec(cues, re.compile(raw["future"], re.I), re.compile(raw["negation"], re.I),
                      re.compile(raw["concessive"], re.I), frozenset(raw["umbrella_kinds"]))


def _clause_before(sentence: str, pos: int) -> str:
    lo = max(0, pos - _CLAUSE)
    window = sentence[lo:pos]
    last = None
    for m in _CLAUSE_BREAK.finditer(window):
        last = m
    return window[last.end():] if last else window


def classify(
    sentence: str, anchors: Sequence[tuple[int, int]], action: str,
    *, need_overlap: bool = False,
) -> tuple[str, str] | None:
    """``(kind, cue text)`` for the status this sentence reports about the
    pledge whose ``action`` is given, or None. ``anchors``: ``[start, end)``
    of the pledge's project/body mentions inside ``sentence``."""
    if not anchors:
        return None
    want = ordinals(action)
    if want and not (want & ordinals(sentence)):
        return None
    if need_overlap and len(content_words(action) & content_words(sentence)) < 2:
        return None
    spec = load_spec()
    found: list[tuple[int, str, str]] = []
    for cue in spec.cues:
        for m in cue.rx.finditer(sentence):
            if not any(abs(m.start() - b) <= _NEAR or abs(a - m.end()) <= _NEAR
                       for a, b in anchors):
                continue
            kind: str | None = cue.kind
            if cue.when_action is not None and not cue.when_action.search(action):
                kind = None if need_overlap else cue.otherwise
            if kind is None:
                continue
            before = _clause_before(sentence, m.start())
            if spec.future.search(before):
                continue
            text = m.group(0)
            neg = spec.negation.search(before)
            if neg is not None:
                if kind == "contradicted":
                    continue  # "not delayed"
                kind, text = "contradicted", f"{neg.group(0)} … {m.group(0)}"
            elif kind == "contradicted" and spec.concessive.search(before):
                continue
            found.append((m.start(), kind, text))
    if not found:
        return None
    found.sort()
    good = [f for f in found if f[1] != "contradicted"]
    bad = [f for f in found if f[1] == "contradicted"]
    best = None
    if good:
        done = [f for f in good if f[1] == "done"]
        best = (done or good)[-1]
    if bad and (best is None or bad[-1][0] > max(f[0] for f in good)):
        best = bad[-1]
    assert best is not None
    return best[1], best[2]
