"""Verdicts on a pool of own-written articles: each mismatch kind, silence, two articles."""

from __future__ import annotations

import pytest

from corridor.service import Corridor

REFUTED = [
    # (claim, words the reason must name)
    ("Pakistan and China held the third meeting of the Joint Working Group on Ports.",
     ["fourth", "third"]),
    ("Shehbaz Sharif began a three-day state visit to China.", ["five-day", "three-day"]),
    ("Pakistan and China held the fourth meeting of the Joint Working Group on Ports in Karachi.",
     ["Islamabad", "Karachi"]),
    ("Pakistan and China held the fourth meeting of the Joint Working Group on Ports in 2023.",
     ["2025", "2023"]),
    ("Muhammad Aurangzeb and Liu Wei co-chaired the fourth meeting of the Joint Working Group "
     "on Ports.", ["Ahsan Iqbal", "Muhammad Aurangzeb"]),
    ("Chinese Minister Liu Wei co-chaired the fourth meeting of the Joint Working Group on Ports.",
     ["Vice Minister", "Minister"]),
    ("China refused to train Pakistani port engineers.", ["expressed willingness", "refused"]),
    ("Iqbal said Pakistan has nothing to learn from China's experience in port management.",
     ["nothing"]),
    ("Iqbal said China has much to learn from Pakistan's experience in port management.",
     ["reversed"]),
    ("The two sides signed 21 agreements on port logistics and customs.", ["12", "21"]),
    ("Pakistan and China held the fourth meeting of the Joint Working Group on Ports on "
     "Wednesday.", ["Monday", "Wednesday"]),
]


@pytest.mark.parametrize(("claim", "named"), REFUTED)
def test_mismatch_is_refuted_and_named(pool: Corridor, claim: str, named: list[str]) -> None:
    v = pool.check(claim, save=False)
    assert v.verdict == "REFUTED", (v.verdict, v.reason)
    for word in named:
        assert word in v.reason, v.reason
    assert v.reason.startswith("Per Harbour Daily, 4 Mar 2025") or \
        v.reason.startswith("Per Valley Times, 10 Mar 2025"), v.reason
    refuting = [c for c in v.evidence if c.stance == "refutes"]
    assert refuting and all(c.sentence in pool.document(c.doc_id).text for c in refuting)
    for c in refuting:
        assert pool.document(c.doc_id).text[c.start:c.end] == c.sentence


@pytest.mark.parametrize("claim", [
    "Pakistan and China held the fourth meeting of the Joint Working Group on Ports in "
    "Islamabad.",
    "Ahsan Iqbal and Liu Wei co-chaired the fourth meeting of the Joint Working Group on Ports.",
    "Shehbaz Sharif started a five-day state visit to China.",
])
def test_stated_claims_are_supported(pool: Corridor, claim: str) -> None:
    v = pool.check(claim, save=False)
    assert v.verdict == "SUPPORTED", (v.verdict, v.reason)
    assert v.confidence >= 0.4
    assert any(c.stance == "supports" for c in v.evidence)


@pytest.mark.parametrize("claim", [
    # on topic, plausible, but the record never states the amount / venue / date
    "China pledged 900 million dollars for the expansion of Gwadar port.",
    "Shehbaz Sharif and Xi Jinping signed 40 agreements on agriculture.",
    "The fourth meeting of the Joint Working Group on Ports was held at the Serena Hotel.",
    # nothing in the pool
    "Brazil won the football world cup final against France.",
])
def test_silent_record_is_not_enough_info(pool: Corridor, claim: str) -> None:
    v = pool.check(claim, save=False)
    assert v.verdict == "NOT_ENOUGH_INFO", (v.verdict, v.reason)
    assert v.reason


def test_claim_across_two_articles_is_supported_citing_both(pool: Corridor) -> None:
    v = pool.check("Shehbaz Sharif met Xi Jinping in Beijing, and Ahsan Iqbal co-chaired the "
                   "fourth meeting of the Joint Working Group on Ports.", save=False)
    assert v.verdict == "SUPPORTED", (v.verdict, v.reason)
    cited = {c.source for c in v.evidence if c.stance == "supports"}
    assert cited == {"Harbour Daily", "Valley Times"}
    assert "Harbour Daily, 4 Mar 2025" in v.reason, v.reason
    assert "Valley Times, 10 Mar 2025" in v.reason, v.reason


def test_conflicting_sources(conflict_pool: Corridor) -> None:
    v = conflict_pool.check(
        "Pakistan and China held the fourth meeting of the Joint Working Group on Ports.",
        save=False)
    assert v.verdict == "CONFLICTING", (v.verdict, v.reason)
    stances = {(c.source, c.stance) for c in v.evidence if c.stance != "context"}
    assert ("Harbour Daily", "supports") in stances
    assert ("Coast Herald", "refutes") in stances
    assert "third" in v.reason and "fourth" in v.reason


def test_a_person_the_article_never_names_is_not_supported(pool: Corridor) -> None:
    # the visit is reported, but nothing in the pool names Ishaq Dar: who went with the
    # Prime Minister is not stated (the model alone reads this as support)
    v = pool.check("Shehbaz Sharif, accompanied by Ishaq Dar, began a five-day state visit "
                   "to China.", save=False)
    assert v.verdict == "NOT_ENOUGH_INFO", (v.verdict, v.reason)
    assert "never names Ishaq Dar" in v.reason
