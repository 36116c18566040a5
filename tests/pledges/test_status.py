"""Which sentences report progress, completion or the opposite, and which only plan."""

from __future__ import annotations

import pytest

from corridor.pledges.status import classify


def _anchor(sentence: str, name: str) -> list[tuple[int, int]]:
    i = sentence.index(name)
    return [(i, i + len(name))]


BUILD = "complete the Karot dam"
CASES = [
    ("The Karot dam was inaugurated on Sunday.", BUILD, ("done", "inaugurated")),
    ("The Karot dam was inaugurated and began supplying power.", BUILD, ("done", "inaugurated")),
    ("The Karot dam will be inaugurated next month.", BUILD, None),
    ("The Karot dam is expected to be completed in 2026.", BUILD, None),
    ("They agreed to complete the Karot dam soon.", BUILD, None),
    ("The Karot dam has not been completed yet.", BUILD, ("contradicted", "not … completed")),
    ("Work on the Karot dam has been suspended.", BUILD, ("contradicted", "suspended")),
    ("The Karot dam was inaugurated but was later suspended over a dispute.", BUILD,
     ("contradicted", "suspended")),
    ("After years of delays, the Karot dam was completed.", BUILD, ("done", "completed")),
    ("Construction of the Karot dam began in March.", BUILD, ("progress", "began")),
    ("Work on the Karot dam is not delayed, officials said.", BUILD, None),
    ("Engineers signed a contract for the Karot dam.", BUILD, ("progress", "signed")),
    ("The two sides signed the Karot dam agreement.", "sign an agreement on the Karot dam",
     ("done", "signed")),
    ("A meeting on the Karot dam was held in May.", BUILD, None),  # "held": only for meetings
]


@pytest.mark.parametrize(("sentence", "action", "want"), CASES)
def test_classify(sentence: str, action: str, want: tuple[str, str] | None) -> None:
    assert classify(sentence, _anchor(sentence, "Karot"), action) == want


def test_ordinal_must_match() -> None:
    action = "hold the 14th JCC meeting in Beijing"
    s13 = "The 13th JCC meeting was held in Islamabad."
    s14 = "The 14th JCC meeting was held in Beijing."
    assert classify(s13, _anchor(s13, "JCC"), action) is None
    assert classify(s14, _anchor(s14, "JCC"), action) == ("done", "was held")


def test_needs_a_mention_near_the_cue() -> None:
    s = ("The Karot dam was discussed at length by the committee, which then turned to many "
         "other matters of the day, and much later a school in another town was inaugurated.")
    assert classify(s, _anchor(s, "Karot"), BUILD) is None
    assert classify("The dam was inaugurated.", [], BUILD) is None


def test_umbrella_programmes_need_shared_words() -> None:
    s = "Several CPEC projects were inaugurated in Lahore on Monday."
    assert classify(s, _anchor(s, "CPEC"), "build a hospital in Gwadar",
                    need_overlap=True) is None
    s2 = "The CPEC hospital in Gwadar was inaugurated on Monday."
    assert classify(s2, _anchor(s2, "CPEC"), "build a hospital in Gwadar",
                    need_overlap=True) == ("done", "inaugurated")
