"""Fuzz the claim parser: split_claim, analyse_text (numbers, dates, negation,
actions, titles, venues with their offsets) and claim_key."""

from __future__ import annotations

import atheris

with atheris.instrument_imports(include=["corridor"]):
    from corridor.check.checker import split_claim
    from corridor.check.matching import claim_key
    from corridor.check.text import analyse_text
    from corridor.errors import CorridorError

from _harness import fuzz_main, mode_and_text


def test_one_input(data: bytes) -> None:
    _, claim = mode_and_text(data, 1)
    try:
        parts = split_claim(claim)
        assert parts and all(isinstance(p, str) for p in parts)
        claim_key(claim)
        facts = analyse_text(claim)
    except CorridorError:
        return
    n = len(claim)
    for q in facts.quantities:
        assert 0 <= q.start < n and claim[q.start:q.start + len(q.text)] == q.text, q
    for d in facts.dates:
        assert claim[d.start:d.start + len(d.text)] == d.text, d
        assert d.month is None or 1 <= d.month <= 12, d
        assert d.day is None or 1 <= d.day <= 31, d
    for o in facts.ordinals:
        assert claim[o.start:o.start + len(o.text)] == o.text, o
    for a in facts.actions:
        assert claim[a.start:a.start + len(a.text)] == a.text and a.polarity in (1, -1), a
    for title, start in facts.titles:
        assert claim[start:start + len(title)] == title
    for place, start, prep in facts.venues:
        assert claim[start:start + len(place)] == place and prep in ("in", "at")
    for neg in facts.negations:
        assert 0 <= neg.start < n


if __name__ == "__main__":
    fuzz_main(test_one_input)
