"""From judged units to a verdict: when the model's reading alone may refute."""

from __future__ import annotations

from corridor.check.evidence import Unit
from corridor.check.facts import Facts
from corridor.check.features import Finding, PairFeatures
from corridor.check.judge import Judgement
from corridor.check.text import analyse_text
from corridor.check.verdict import UNNAMED_REFUTE_AT, WEAK_REFUTE_AT, aggregate
from corridor.store.base import SentenceHit

CLAIM = "The harbour authority approved the dredging plan."


def _unit(idx: int, text: str, doc: str = "d1", sim: float = 0.8) -> Unit:
    hit = SentenceHit(doc, idx, idx * 100, idx * 100 + len(text), text, source="Test Wire")
    return Unit([hit], [hit], sim, Facts(analyse_text(text), sentences=[hit]))


def _in_context(before: Unit, sentence: Unit, cite_before: bool = True) -> Unit:
    """``sentence`` read with ``before`` (cited only as context, or not cited at all)."""
    text = before.sentences[0].text + " " + sentence.sentences[0].text
    cited = (before.cited if cite_before else []) + sentence.cited
    return Unit(before.sentences + sentence.sentences, cited, 0.8, Facts(analyse_text(text)),
                context={before.sentences[0].key})


def _judged(label: str, s: float, r: float, findings: list[Finding] | None = None
            ) -> Judgement:
    probs = {"supports": s, "refutes": r, "unrelated": round(1 - s - r, 6)}
    return Judgement(label, probs, PairFeatures({"anchored": 1.0}, findings or []), probs)


def test_a_weak_unnamed_contradiction_refutes_when_unopposed() -> None:
    p = (WEAK_REFUTE_AT + UNNAMED_REFUTE_AT) / 2
    v = aggregate(CLAIM, [(_unit(0, "The authority turned the dredging plan down."),
                           _judged("refutes", 0.1, p))], "test")
    assert v.verdict == "REFUTED"


def test_below_the_weak_threshold_it_is_not_enough_info() -> None:
    v = aggregate(CLAIM, [(_unit(0, "The authority turned the dredging plan down."),
                           _judged("refutes", 0.3, WEAK_REFUTE_AT - 0.05))], "test")
    assert v.verdict == "NOT_ENOUGH_INFO"


def test_support_in_the_article_overrules_a_weak_unnamed_contradiction() -> None:
    weak = (WEAK_REFUTE_AT + UNNAMED_REFUTE_AT) / 2
    judged = [(_unit(0, "The harbour authority approved the dredging plan on Friday."),
               _judged("supports", weak - 0.05, 0.1)),
              (_unit(1, "Critics said the plan would not survive the vote."),
               _judged("refutes", 0.1, weak))]
    assert aggregate(CLAIM, judged, "test").verdict == "SUPPORTED"


def test_a_named_contradiction_still_stands_against_support() -> None:
    claim = "The harbour authority approved the dredging plan in 2019."
    judged = [(_unit(0, "The harbour authority approved a dredging plan."),
               _judged("supports", 0.6, 0.1)),
              (_unit(1, "The dredging plan was approved in 2021."),
               _judged("refutes", 0.1, 0.7, [Finding("year", "mismatch", "2019", "2021")]))]
    v = aggregate(claim, judged, "test")
    assert v.verdict == "REFUTED" and "2021" in v.reason



def test_a_weak_contradiction_stands_only_from_the_articles_closest_sentence() -> None:
    weak = (WEAK_REFUTE_AT + UNNAMED_REFUTE_AT) / 2
    closer = (_unit(0, "The harbour authority met on Monday to discuss the dredging plan.",
                    sim=0.9), _judged("unrelated", 0.1, 0.1))
    further = (_unit(1, "The authority's chairman toured the port during the week.", sim=0.6),
               _judged("refutes", 0.1, weak))
    assert aggregate(CLAIM, [closer, further], "test").verdict == "NOT_ENOUGH_INFO"
    # the same reading from the closest sentence stands
    assert aggregate(CLAIM, [further], "test").verdict == "REFUTED"


def test_a_sentence_stating_another_value_lends_no_support_whatever_the_model_reads() -> None:
    # the model sees no link in the first sentence alone, but the record finds the parties
    # reversed in it; read with the next sentence, the model calls the pair a support
    claim = "The governor paid a call on the envoy and praised the harbour plan."
    first = _unit(0, "The envoy paid a call on the governor.")
    second = _unit(1, "The envoy praised the harbour plan.")
    pair = _in_context(first, second, cite_before=False)
    swap = Finding("swap", "mismatch", "governor paid a call on the envoy",
                   "envoy paid a call on the governor")
    judged = [(first, _judged("unrelated", 0.3, 0.1, [swap])),
              (second, _judged("unrelated", 0.2, 0.1)),
              (pair, _judged("supports", 0.9, 0.05))]
    assert aggregate(claim, judged, "test").verdict != "SUPPORTED"


def test_a_contradiction_read_from_the_context_sentence_does_not_beat_the_sentence_alone(
        ) -> None:
    # the sentence alone supports; read with the sentence before it (cited only as
    # context), the model calls the pair a contradiction the record cannot name
    before = _unit(0, "The minister welcomed the delegation to the port.")
    sentence = _unit(1, "He approved the dredging plan drawn up by the harbour authority.")
    pair = _in_context(before, sentence)
    judged = [(sentence, _judged("supports", 0.75, 0.15)),
              (pair, _judged("refutes", 0.1, UNNAMED_REFUTE_AT + 0.05))]
    assert aggregate(CLAIM, judged, "test").verdict == "SUPPORTED"
    # a contradiction the record names stands as before (the stronger reading wins)
    named = _judged("refutes", 0.1, UNNAMED_REFUTE_AT + 0.05,
                    [Finding("year", "mismatch", "2019", "2021")])
    assert aggregate(CLAIM, [judged[0], (pair, named)], "test").verdict == "REFUTED"


def test_a_support_read_in_context_is_no_stronger_than_the_sentence_alone_refuting_it(
        ) -> None:
    # the sentence alone is read as a contradiction; with the sentence before it, the
    # model leans to support, less surely: the context adds no more than a lean
    before = _unit(0, "The minister toured the port on Monday.")
    sentence = _unit(1, "He expressed concern over the dredging plan of the authority.")
    pair = _in_context(before, sentence)
    judged = [(sentence, _judged("refutes", 0.25, 0.66)),
              (pair, _judged("supports", 0.56, 0.4))]
    assert aggregate(CLAIM, judged, "test").verdict != "SUPPORTED"
    # a surer reading in context stands (it is what the sentence before settles)
    judged[1] = (pair, _judged("supports", 0.8, 0.15))
    assert aggregate(CLAIM, judged, "test").verdict == "SUPPORTED"


def test_an_article_that_never_names_a_person_of_the_claim_does_not_support_it() -> None:
    claim = "Port director Ayesha Khan approved the dredging plan."
    unit = _unit(0, "The harbour authority approved the dredging plan.")
    judged = [(unit, _judged("supports", 0.8, 0.1))]
    assert aggregate(claim, judged, "test").verdict == "SUPPORTED"
    v = aggregate(claim, judged, "test", {"d1": ["Ayesha Khan"]})
    assert v.verdict == "NOT_ENOUGH_INFO"
    assert "never names Ayesha Khan" in v.reason
    assert [c.stance for c in v.evidence] == ["context"]


def test_another_article_that_names_the_person_still_supports() -> None:
    claim = "Port director Ayesha Khan approved the dredging plan."
    judged = [(_unit(0, "The harbour authority approved the dredging plan."),
               _judged("supports", 0.9, 0.05)),
              (_unit(1, "Port director Ayesha Khan approved the dredging plan.", doc="d2"),
               _judged("supports", 0.7, 0.1))]
    v = aggregate(claim, judged, "test", {"d1": ["Ayesha Khan"]})
    assert v.verdict == "SUPPORTED"
    assert {c.doc_id for c in v.evidence} == {"d2"}


def _with_missing(j: Judgement, missing: float) -> Judgement:
    j.features.values["ent_missing"] = missing
    return j


def test_another_article_that_names_fewer_entities_of_the_claim_does_not_dispute_it() -> None:
    claim = "At the harbour board meeting, Ayesha Khan called the port a cornerstone."
    support = (_unit(0, "At the harbour board meeting, Ayesha Khan called the port a "
                        "cornerstone of growth."),
               _with_missing(_judged("supports", 0.8, 0.1), 0.0))
    other = (_unit(1, "Omar Baig called the port a cornerstone.", doc="d2"),
             _with_missing(_judged("refutes", 0.1, 0.85,
                                   [Finding("person", "mismatch", "Ayesha Khan", "Omar Baig")]),
                           1 / 3))
    assert aggregate(claim, [support, other], "test").verdict == "SUPPORTED"
    # naming as many entities of the claim, the other article does dispute it
    other[1].features.values["ent_missing"] = 0.0
    assert aggregate(claim, [support, other], "test").verdict == "CONFLICTING"


def test_a_year_stated_elsewhere_spares_a_claim_only_where_the_article_is_on_its_subject(
        ) -> None:
    claim = "The harbour authority approved the dredging plan in 2019."
    refuting = (_unit(0, "The dredging plan was approved in 2021."),
                _judged("refutes", 0.1, 0.8, [Finding("year", "mismatch", "2019", "2021")]))

    def elsewhere(recall: float) -> tuple[Unit, Judgement]:
        j = _judged("unrelated", 0.1, 0.1, [Finding("year", "match", "2019", None)])
        j.features.values["word_recall"] = recall
        return _unit(1, "The authority was founded in 2019."), j

    # "founded in 2019" says nothing of when the plan was approved
    assert aggregate(claim, [refuting, elsewhere(0.2)], "test").verdict == "REFUTED"
    # a sentence about the approval that says 2019: the article states both years
    assert aggregate(claim, [refuting, elsewhere(0.8)], "test").verdict != "REFUTED"


def test_an_article_that_never_names_the_subject_does_not_contradict_it_by_reading_alone(
        ) -> None:
    claim = "Ruritania joined the dredging plan as a partner."
    unit = _unit(0, "The harbour authority welcomed partners in the dredging plan.")
    judged = [(unit, _judged("refutes", 0.1, UNNAMED_REFUTE_AT + 0.05))]
    assert aggregate(claim, judged, "test").verdict == "REFUTED"
    assert aggregate(claim, judged, "test",
                     subject_unnamed=frozenset({"d1"})).verdict == "NOT_ENOUGH_INFO"
    # a difference the record names still refutes
    named = _judged("refutes", 0.1, 0.7, [Finding("year", "mismatch", "2019", "2021")])
    assert aggregate(claim, [(unit, named)], "test",
                     subject_unnamed=frozenset({"d1"})).verdict == "REFUTED"
