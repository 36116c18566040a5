"""What makes a claim and a piece of evidence "about the same thing", and ordinal slots."""

from __future__ import annotations

from corridor.check.facts import Facts
from corridor.check.features import compare
from corridor.check.text import analyse_text


def _facts(text: str) -> Facts:
    return Facts(analyse_text(text))


def _anchored(claim: str, evidence: str) -> bool:
    return compare(_facts(claim), _facts(evidence), 0.5).values["anchored"] > 0


def test_a_proper_name_of_the_claim_anchors_the_evidence() -> None:
    assert _anchored("Brightwater airs on a cable channel in Norway.",
                     "Brightwater is a drama series first broadcast by a public channel.")
    # a surname written alone is the same person for this purpose
    assert _anchored("Halvorsen Delacroix refused to sing at the festival.",
                     "Delacroix has sung at every edition since its first year.")


def test_shared_countries_titles_and_calendar_words_do_not_anchor() -> None:
    assert not _anchored("The Minister of Ports visited Pakistan in March to open a new "
                         "container terminal.",
                         "The Minister said trade with Pakistan grew in March by a tenth.")


def test_a_value_stated_otherwise_with_a_third_of_the_words_anchors() -> None:
    assert _anchored("The final episode of the cooking series ended in 2013.",
                     "The final episode aired on May 14, 2012.")
    assert not _anchored("The final episode of the cooking series ended in 2013.",
                         "Rainfall records were broken in 2012.")


def test_an_ordinal_coordinated_with_its_noun_is_stated() -> None:
    feats = compare(_facts("Its last season was its seventh season."),
                    _facts("The series began its seventh and final season, having finished "
                           "its sixth season."), 0.5)
    kinds = {(f.kind, f.status) for f in feats.findings}
    assert ("ordinal", "match") in kinds and ("ordinal", "mismatch") not in kinds


def _findings(claim: str, evidence: str) -> set[tuple[str, str, str, str | None]]:
    feats = compare(_facts(claim), _facts(evidence), 0.5)
    return {(f.kind, f.status, f.claim, f.evidence) for f in feats.findings}


def test_a_name_put_in_anothers_place_is_a_mismatch() -> None:
    found = _findings("Okafor was elected the 11th President of Chile in 2002.",
                      "Okafor was elected the 11th President of Ghana in 2002.")
    assert ("name", "mismatch", "Chile", "Ghana") in found


def test_names_moved_or_a_paraphrase_are_no_substitution() -> None:
    assert not {f for f in _findings("Ghana and Chile signed the fisheries accord.",
                                     "Chile and Ghana signed the fisheries accord.")
                if f[0] == "name"}
    assert not {f for f in _findings("Okafor won the vote in Accra.",
                                     "Lawmakers in the capital backed Okafor by a wide "
                                     "margin, electing him on the first ballot.")
                if f[0] == "name"}


def test_a_possibility_is_not_a_fact() -> None:
    found = _findings("The probe measured a rise in plasma density during the flyby.",
                      "The probe may measure a rise in plasma density during the flyby.")
    assert any(kind == "hedge" and status == "unstated" for kind, status, _, _ in found)
    assert not any(kind == "hedge" for kind, *_ in _findings(
        "The probe may measure a rise in plasma density.",
        "The probe may measure a rise in plasma density during the flyby."))


def test_names_compare_in_one_unicode_form() -> None:
    decomposed = "Boli\u0301var"  # "í" written as "i" and a combining accent
    assert _anchored("Bolívar is known as the liberator of five countries.",
                     f"Simon {decomposed} was a military and political leader.")


def test_a_bound_is_stated_by_a_value_within_it() -> None:
    found = _findings("The album sold more than 100,000 copies in its first week.",
                      "The album sold 258,000 copies in its first week.")
    assert any(k == "number" and st == "match" for k, st, *_ in found)
    found = _findings("The album sold fewer than 100,000 copies in its first week.",
                      "The album sold 258,000 copies in its first week.")
    assert any(k == "number" and st == "mismatch" for k, st, *_ in found)


def test_a_places_adjective_is_no_other_place() -> None:
    from corridor.check.features import _demonym_of

    assert _demonym_of("Europe", "European") and _demonym_of("Japanese", "Japan")
    assert not _demonym_of("Austria", "Australia") and not _demonym_of("Iran", "Iraq")


def _opening(text: str, idx: int = 0, title: str | None = None) -> Facts:
    from corridor.store.records import SentenceHit

    facts = _facts(text)
    facts.sentences = [SentenceHit("doc", idx, 0, len(text), text, title=title)]
    return facts


def test_an_unresolved_opening_reference_stands_for_the_claims_subject() -> None:
    from corridor.check.features import open_reference

    claim = _facts("Marisol Quintero does not play the cello.")
    evidence = "She is the principal cellist of the Lakeshore Chamber Orchestra."
    feats = compare(claim, _opening(evidence), 0.5)
    assert open_reference(claim, _opening(evidence))
    assert feats.values["anchored"] > 0
    # the pronoun stands for the claim's name, so the name counts as worded
    plain = compare(claim, _facts(evidence), 0.5)
    assert feats.values["word_recall"] > plain.values["word_recall"]
    assert plain.values["anchored"] == 0


def test_a_reference_resolved_elsewhere_is_not_the_claims_subject() -> None:
    from corridor.check.features import open_reference

    claim = _facts("Marisol Quintero does not play the cello.")
    she = "She is the principal cellist of the Lakeshore Chamber Orchestra."
    # read after a sentence of its article: the predecessor says who she is
    assert not open_reference(claim, _opening(she, idx=3))
    # an article whose title is about someone else
    assert not open_reference(claim, _opening(she, title="Orchestra names new conductor"))
    assert open_reference(claim, _opening(she, title="Quintero joins the orchestra"))
    # a sentence that names the claim's subject refers to something else by its pronoun
    assert not open_reference(claim, _opening(
        "It went on to win an award chosen by Marisol Quintero."))
    # no opening reference at all
    assert not open_reference(claim, _opening("Tickets for the season went on sale today."))
