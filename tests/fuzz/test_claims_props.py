"""Properties of the claim parser: split_claim, analyse_text (corridor/check/text.py)
and claim_facts (corridor/check/facts.py). Every offset it reports points at the
text it quotes; compound claims split into parts the claim contains."""

from __future__ import annotations

import os

from hypothesis import given, settings
from hypothesis import strategies as st

from corridor.check.checker import split_claim
from corridor.check.facts import claim_facts
from corridor.check.matching import claim_key
from corridor.check.text import analyse_text

SCALE = 10 if os.environ.get("HYPOTHESIS_PROFILE") == "corridor-long" else 1
PIECES = ["Zardari", "was", "on", "a", "three-day", "visit", "to", "China", "in", "February",
          "2025", "$2.5", "billion", "not", "refused", "agreed", "the", "fourth", "13th",
          "JCC", "meeting", ",", "and", ";", ".", "at", "Islamabad", "Deputy", "Prime",
          "Minister", "will", "per", "cent", "5", "March", "rs.", "1,200", "yuan", "didn't",
          "Gwadar", "port", "US$", "%", "May", "of", "-", "’s"]
claims = st.one_of(st.text(max_size=300),
                   st.lists(st.sampled_from(PIECES), max_size=30).map(" ".join))


def _quoted(text: str, start: int, quoted: str) -> None:
    assert 0 <= start <= len(text) and text[start:start + len(quoted)] == quoted


@settings(max_examples=250 * SCALE)
@given(claims)
def test_analyse_text_offsets_quote_the_text(claim: str) -> None:
    facts = analyse_text(claim)
    for q in facts.quantities:
        _quoted(claim, q.start, q.text)
    for d in facts.dates:
        _quoted(claim, d.start, d.text)
        assert d.month is None or 1 <= d.month <= 12
        assert d.day is None or 1 <= d.day <= 31
    for o in facts.ordinals:
        _quoted(claim, o.start, o.text)
    for a in facts.actions:
        _quoted(claim, a.start, a.text)
        assert a.polarity in (1, -1)
    for title, start in facts.titles:
        _quoted(claim, start, title)
    for place, start, prep in facts.venues:
        _quoted(claim, start, place)
        assert prep in ("in", "at")
    for neg in facts.negations:
        assert 0 <= neg.start < len(claim)


@settings(max_examples=250 * SCALE)
@given(claims)
def test_split_claim_parts_come_from_the_claim(claim: str) -> None:
    parts = split_claim(claim)
    assert parts
    if parts != [claim]:
        words = set(claim.split())
        for part in parts:
            # a clause of the claim, or its predicate with one of its settings
            assert part.rstrip(".") in claim or set(part.rstrip(".").split()) <= words
            assert len(part.split()) >= 3
    assert isinstance(claim_key(claim), str)


@settings(max_examples=20 * SCALE)
@given(st.lists(st.sampled_from(PIECES), min_size=1, max_size=20).map(" ".join))
def test_claim_facts_mentions_are_in_the_claim(claim: str) -> None:
    facts = claim_facts(claim)
    for entity in facts.entities:
        assert entity.name and entity.label
    assert facts.text.text == claim
