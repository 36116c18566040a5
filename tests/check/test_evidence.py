"""What the learned model reads for a unit of evidence."""

from __future__ import annotations

from corridor.check.evidence import Unit
from corridor.check.facts import evidence_facts
from corridor.store.base import SentenceEvent, SentenceHit, SentenceRecord


def _unit(text: str, events: list[SentenceEvent]) -> Unit:
    hit = SentenceHit("d1", 0, 0, len(text), text, published="2025-03-04")
    record = SentenceRecord("d1", 0, [], events)
    unit = Unit([hit], [hit], 0.5)
    unit.facts = evidence_facts([hit], {hit.key: record})
    return unit


def test_the_model_reads_the_day_a_relative_date_stands_for() -> None:
    unit = _unit("The envoy paid a farewell call on the governor on Monday.",
                 [SentenceEvent("MEET", "2025-03-03", "on Monday", None, None)])
    assert unit.model_text == ("The envoy paid a farewell call on the governor on Monday "
                               "(3 March 2025).")
    assert unit.text == "The envoy paid a farewell call on the governor on Monday."


def test_a_stated_or_unresolved_date_is_read_as_written() -> None:
    stated = _unit("The envoy called on the governor on 3 March 2025.",
                   [SentenceEvent("MEET", "2025-03-03", "on 3 March 2025", None, None)])
    assert stated.model_text == stated.text
    unresolved = _unit("The envoy will call on the governor on Monday.",
                       [SentenceEvent("MEET", None, "on Monday", None, None)])
    assert unresolved.model_text == unresolved.text
