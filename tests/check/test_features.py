"""What makes a claim and a piece of evidence "about the same thing", and ordinal slots."""

from __future__ import annotations

from corridor.check.facts import EntityRef, Facts
from corridor.check.features import compare, named_anywhere
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


def test_third_parties_are_no_count_and_roman_stages_are() -> None:
    assert analyse_text("Both sides welcomed third parties and third countries.").ordinals == []
    stages = analyse_text("Talks on Phase-II of the trade pact and Stage III of the canal.")
    assert [(o.value, o.head) for o in stages.ordinals] == [(2, "phas"), (3, "stag")]
    assert ("ordinal", "mismatch") in {
        (k, s) for k, s, _c, _e in _findings(
            "The ministers reviewed Phase-III of the free trade agreement.",
            "The ministers reviewed Phase-II of the free trade agreement.")}


def test_an_event_named_after_at_is_no_venue() -> None:
    venues = analyse_text("The accord proposed at the Lindqvist-Oduya meeting was signed "
                          "at the Marble Hall in Tallinn.").venues
    assert [v for v, _s, _p in venues] == ["Marble Hall", "Tallinn"]


def test_a_post_held_in_a_city_is_no_venue() -> None:
    venues = analyse_text("Ruritania's envoy in Tallinn and the Embassy in Riga welcomed the "
                          "accord signed in Vilnius.").venues
    assert [v for v, _s, _p in venues] == ["Vilnius"]


def test_an_ordinal_written_in_words_is_no_quantity() -> None:
    assert analyse_text("They marked the seventy-fifth anniversary of ties.").quantities == []


def test_a_number_counts_the_noun_that_follows_it() -> None:
    found = _findings("The ports signed more than 12 charters during the fair.",
                      "During the fair the ports signed over a dozen charters covering "
                      "dredging and pilotage.")
    assert ("number", "match", "12", None) in found


def test_the_two_parties_named_before_are_no_count() -> None:
    found = _findings("The two broadcasters will share archive footage.",
                      "Both broadcasters agreed to share archive footage.")
    assert not any(k == "number" for k, *_ in found)
    # a count the evidence states otherwise still differs
    found = _findings("The two agreements were signed in the morning.",
                      "Three agreements were signed in the morning.")
    assert any(k == "number" and s == "mismatch" for k, s, *_ in found)


def test_a_deputy_for_a_ministry_is_not_its_minister() -> None:
    found = _findings("The talks were co-chaired by Ruritania's Foreign Minister.",
                      "The talks were co-chaired by the Vice Minister for Foreign Affairs of "
                      "Ruritania.")
    assert any(k == "role" and s == "mismatch" for k, s, *_ in found)


def test_two_capitals_named_together_are_the_governments_not_a_venue() -> None:
    found = _findings("The fifth round was held in Beijing.",
                      "At the fifth round, Islamabad and Beijing agreed to pool expertise.")
    assert ("place", "match", "in Beijing", None) not in found
    found = _findings("The fifth round was held in Beijing.",
                      "The fifth round took place in Islamabad and Beijing.")
    assert ("place", "match", "in Beijing", None) in found


def test_a_negation_cue_negates_the_words_right_after_it() -> None:
    # "not seen in a century" negates nothing the claim says about the partnership
    found = _findings("The two countries called their partnership strategic and enduring.",
                      "While changes not seen in a century unfold, the partnership of the two "
                      "countries remains strategic and enduring.")
    assert not any(k == "negation" for k, *_ in found)
    found = _findings("The ministry published the audit report.",
                      "The ministry has not published the audit report.")
    assert any(k == "negation" and s == "mismatch" for k, s, *_ in found)


def _record_findings(claim: str, evidence: str) -> set[tuple[str, str]]:
    """Findings with extraction's record on both sides (entities, ids)."""
    from corridor.check.facts import claim_facts

    feats = compare(claim_facts(claim), claim_facts(evidence), 0.5)
    return {(f.kind, f.status) for f in feats.findings}


def test_a_country_named_as_a_side_is_a_party_of_the_relation() -> None:
    found = _record_findings(
        "The Chinese side briefed the Pakistani delegation on the port project.",
        "The Pakistani side briefed the Chinese delegation on the port project.")
    assert ("swap", "mismatch") in found
    assert ("swap", "mismatch") not in _record_findings(
        "The Chinese side briefed the Pakistani delegation on the port project.",
        "The Chinese side briefed the Pakistani delegation on the port project in detail.")


def test_who_someone_is_says_nothing_of_the_direction_of_a_meeting() -> None:
    found = _record_findings(
        "Mei Lanfang, the Chinese official who met Imran Qadir, heads the film bureau.",
        "Imran Qadir met with Mei Lanfang, who heads the film bureau.")
    assert ("swap", "mismatch") not in found


def test_a_reversed_relation_must_be_about_the_same_thing() -> None:
    # "support for B on its shipping lanes" is not the reverse of "support for A on the
    # canal tolls"
    found = _record_findings(
        "The Pakistani side pledged firm support for China on the canal tolls.",
        "The Chinese side pledged firm support for Pakistan on its shipping lanes.")
    assert ("swap", "mismatch") not in found
    found = _record_findings(
        "The Pakistani side pledged firm support for China on the canal tolls.",
        "The Chinese side pledged firm support for Pakistan on the canal tolls.")
    assert ("swap", "mismatch") in found


def test_a_reversed_relation_is_read_between_the_nearest_mentions() -> None:
    # Afghanistan is named twice: the relation to Iran is "was aware of ...'s debts", not
    # everything up to the second mention
    found = _record_findings(
        "Helping Afghanistan through its debts was a priority for Iran, the minister said.",
        "Iran was aware of Afghanistan's debts, saying it was the priority of his country to "
        "help Afghanistan.")
    assert ("swap", "mismatch") not in found


def test_a_value_put_in_anothers_place_in_a_copied_sentence_is_a_mismatch() -> None:
    # the claim's year is stated, but of another film
    found = _findings("Mirela starred in Harbour Lights (2010) and Salt Roads (2010), "
                      "the latter winning her an award.",
                      "Mirela starred in Harbour Lights (2010) and Salt Roads (2012), "
                      "the latter winning her an award.")
    assert any(k == "year" and s == "mismatch" for k, s, *_ in found)
    found = _findings("It is her second (and second self-released) album.",
                      "It is her second (and first self-released) album.")
    assert any(k == "ordinal" and s == "mismatch" for k, s, *_ in found)
    # the same value written another way is no substitution
    found = _findings("The port signed four accords in 2019.", "The port signed 4 accords in 2019.")
    assert not any(s == "mismatch" for _k, s, *_ in found)


def test_a_copied_sentence_with_its_polarity_flipped_is_a_mismatch() -> None:
    def flipped(claim: str, evidence: str) -> bool:
        return any(k == "polarity" and s == "mismatch"
                   for k, s, *_ in _findings(claim, evidence))

    assert flipped("Ferries are found on the northern lakes and the coast.",
                   "Ferries are not found on the northern lakes and the coast.")
    assert flipped("The mayor did visit the new harbour office last spring.",
                   "The mayor didn't visit the new harbour office last spring.")
    # a verb for its opposite in one action group
    assert flipped("The unions criticised the port plan and its effect on wages.",
                   "The unions praised the port plan and its effect on wages.")
    # the same words, or the negation on both sides: no change of polarity
    assert not flipped("The unions did not back the port plan and its wage terms.",
                       "The unions did not back the port plan and its wage terms.")
    assert not flipped("The unions backed the port plan and its wage terms.",
                       "The unions strongly backed the port plan and its wage terms.")


def test_an_article_names_a_person_by_any_word_of_the_name() -> None:
    alvi = EntityRef(None, "PERSON", "Arif Alvi")
    assert named_anywhere(alvi, set(), "On Monday President Alvi received the delegation.")
    assert not named_anywhere(alvi, set(), "The President received the delegation on Monday.")
    assert named_anywhere(EntityRef(None, "PERSON", "Riddick"), set(), "the Riddick-based films")
    # a name spelt another way is still that name
    assert named_anywhere(EntityRef(None, "PERSON", "Homer Hickman"), set(),
                          "Hickam has written several novels.")
    # ... but not any word that looks alike
    assert not named_anywhere(EntityRef(None, "PERSON", "Khalil Hashmi"), set(),
                              "The talks covered Kashmir and the Khunjerab Pass.")
    # the article's own mention of the same entity counts, however it is written
    assert named_anywhere(EntityRef("person:arif-alvi", "PERSON", "Arif Alvi"),
                          {"person:arif-alvi"}, "The head of state received them.")


def test_a_bodys_headquarters_is_a_venue_of_its_own() -> None:
    # "at the Harbour Board headquarters" is not stated by an article that names the
    # Board and no building: the venue is unstated, not matched on the Board's name
    claim = "The envoy's courtesy call on the Harbour Board was held at the Harbour Board " \
            "headquarters."
    found = _findings(claim, "The envoy paid a courtesy call on the Harbour Board today.")
    assert ("place", "unstated", "at Harbour Board headquarters", None) in found
    found = _findings(claim, "The envoy was received at the Harbour Board headquarters.")
    assert ("place", "match", "at Harbour Board headquarters", None) in found


def test_a_comparative_is_no_action() -> None:
    # "closer cooperation" closes nothing: no action to set against "launching"
    assert analyse_text("He pushed for closer think-tank cooperation.").actions == []
    assert [a.text for a in analyse_text("The two sides closed the border.").actions] == \
        ["closed"]


def test_a_country_as_the_venue_does_not_contradict_a_city_that_may_lie_in_it() -> None:
    found = _findings("The President will attend the games in Harbin.",
                      "The President will attend the games in China.")
    assert ("place", "unstated", "in Harbin", None) in found
    # the lexicon puts Karachi in Pakistan: "in China" is another place
    found = _findings("The President will attend the games in Karachi.",
                      "The President will attend the games in China.")
    assert any(k == "place" and st == "mismatch" for k, st, *_ in found)
    # a country the lexicon does not know is still a country, in no other one
    found = _findings("The river flows through a valley in Peru.",
                      "The river flows through a valley in China.")
    assert any(k == "place" and st == "mismatch" for k, st, *_ in found)


def test_a_countrys_people_are_a_party_and_a_country_inside_a_name_is_not() -> None:
    from corridor.check.facts import claim_facts

    def swaps(claim: str, evidence: str) -> list[tuple[str, str | None]]:
        feats = compare(claim_facts(claim), _facts(evidence), 0.5)
        return [(f.status, f.evidence) for f in feats.findings if f.kind == "swap"]

    # "China" in "China Radio Service" is no mention of China: the relation is read
    # between "Pakistan's message" and "Chinese readers", reversed in the claim
    evidence = "The China Radio Service delivers Pakistan's message to Chinese readers."
    assert swaps("The China Radio Service is praised for taking China's message to Pakistani "
                 "readers.",
                 evidence) == [("mismatch", "Pakistan's message to Chinese")]
    assert swaps("The China Radio Service takes Pakistan's message to Chinese readers.",
                 evidence) == []
    from corridor.check.features import _free

    text = "The China Radio Service took China's message abroad."
    names = [EntityRef(None, "ORG", "China Radio Service")]
    assert _free(EntityRef("china", "PLACE", "China"), text, names) == [text.index("China's")]


def test_years_of_relations_are_counted_by_an_anniversary() -> None:
    found = _findings("The two countries mark 40 years of diplomatic relations.",
                      "Events will mark the 40th anniversary of diplomatic relations.")
    assert ("number", "match", "40", None) in found
    found = _findings("The two countries mark 45 years of diplomatic relations.",
                      "Events will mark the 40th anniversary of diplomatic relations.")
    assert ("number", "mismatch", "45", "40th anniversary") in found


def test_a_name_written_with_or_without_its_accents_is_the_same_name() -> None:
    found = _findings("The Ferry Act is a 1930 law drafted by Noel Aubert.",
                      "The Ferry Act is a 1930 maritime law drafted by Noël Aubert.")
    assert not any(status == "mismatch" for _k, status, *_ in found)
    assert ("person", "match", "Noel Aubert", None) in found or not any(
        k == "name" for k, *_ in found)
    # another name in its place is still a substitution
    found = _findings("The Ferry Act is a 1930 law drafted by Noel Lamarre.",
                      "The Ferry Act is a 1930 maritime law drafted by Noël Aubert.")
    assert any(k == "name" and status == "mismatch" for k, status, *_ in found)
    assert named_anywhere(EntityRef(None, "PERSON", "Noel Aubert"), set(),
                          "The act was drafted by Noël Aubert in 1930.")


def test_a_decade_is_no_year() -> None:
    assert analyse_text("Dockside jazz took shape in the early 1970's.").dates == []
    assert analyse_text("Dockside jazz took shape in the 1970s.").dates == []
    assert [d.year for d in analyse_text("The quay opened in 1970.").dates] == [1970]


def test_an_ordinal_that_begins_a_name_counts_nothing() -> None:
    assert analyse_text("First Harbour Pilot Unit trained 40 pilots.").ordinals == []
    # a count of a meeting, also in capitals, and in a headline in title case
    for text in ("Fourth Harbour Council Meeting held in Lisbon, officials said.",
                 "Ports Hold Fourth Harbour Council Talks In Lisbon",
                 "The envoy attended the first harbour council meeting."):
        assert [o.value for o in analyse_text(text).ordinals] in ([4], [1]), text


def test_allowed_and_prohibited_are_opposites_in_a_copied_sentence() -> None:
    found = _findings("Night shipping rose where night berthing isn't prohibited.",
                      "Night shipping rose where night berthing isn't allowed.")
    assert any(k == "polarity" and status == "mismatch" for k, status, *_ in found)
    assert ("action", "mismatch", "bans", "allows") in _findings(
        "The harbour board bans night shipping.", "The harbour board allows night shipping.")


def test_dozens_are_multiplied_out() -> None:
    assert [q.value for q in analyse_text("Two dozen pilots joined.").quantities] == [24]
    assert [q.value for q in analyse_text("A dozen pilots joined.").quantities] == [12]


def test_things_listed_one_by_one_are_counted() -> None:
    evidence = ("The ports agreed to build a grain terminal, a ferry terminal, a fuel terminal "
                "and an ore terminal by 2030.")
    assert ("number", "mismatch") in {
        (k, status) for k, status, *_ in _findings(
            "The ports agreed to build three terminals by 2030.", evidence)}
    assert ("number", "match", "four", None) in _findings(
        "The ports agreed to build four terminals by 2030.", evidence)
    # two things are no list to count, nor are things under different nouns
    assert analyse_text("They built a grain terminal and a ferry pier.").quantities == []
