"""What the learned model reads for a sentence: the record's day for "today", the
person behind an opening "He" or a title, the claim's name for a body written another
way, the parties behind "the two sides"."""

from __future__ import annotations

from pathlib import Path

from corridor.check.reading import reading
from corridor.service import Corridor
from corridor.store.base import SentenceHit, SentenceRecord

ARTICLE = (
    "Harbour board chair Odile Brandt met trade envoy Tomas Reyes in Lisbon today. "
    "The two discussed dredging of the outer channel and a new ferry terminal. "
    "The board published its annual report on 2 March 2025."
)


def _readings(tmp_path: Path) -> dict[str, str | None]:
    with Corridor(str(tmp_path / "read.db")) as pool:
        pool.ingest_articles([{"text": ARTICLE, "title": "Harbour board meets envoy",
                               "date": "2025-03-04", "lang": "en", "source": "Test Wire",
                               "url": "https://example.org/harbour"}])
        store = pool.store
        doc = next(iter(store.iter_documents()))
        hits = store.get_sentences([(doc.id, i) for i in range(3)])
        records = store.sentence_records([h.key for h in hits])
        return {h.text: reading(h, records.get(h.key)) for h in hits}


def test_a_relative_day_is_read_with_the_date_it_stands_for(tmp_path: Path) -> None:
    read = _readings(tmp_path)
    first = next(t for t in read if t.startswith("Harbour board chair"))
    assert read[first] == first.replace("today", "today (4 March 2025)")
    # a stated date, and a sentence the record adds nothing to, are read as written
    assert all(v is None for t, v in read.items() if t != first)


def test_an_opening_pronoun_is_read_as_the_one_participant_it_is() -> None:
    from corridor.store.base import SentenceEvent, SentenceMention

    # the checker adds an event's participants the sentence does not name as mentions
    # without offsets (``_participant_refs``)
    hit = SentenceHit("d", 1, 100, 150, "She also thanked the envoy for the visit.")
    record = SentenceRecord("d", 1, [SentenceMention("person:odile-brandt", "PERSON",
                                                     "Odile Brandt", None, -1, -1)],
                            [SentenceEvent("MEET", None, None, None, None,
                                           ["person:odile-brandt"])])
    assert reading(hit, record) == "She (Odile Brandt) also thanked the envoy for the visit."
    # two unnamed participants: "She" is not known to be either
    record.mentions.append(SentenceMention("person:tomas-reyes", "PERSON", "Tomas Reyes",
                                           None, -1, -1))
    assert reading(hit, record) is None


def test_the_model_reads_the_claims_name_beside_another_form_of_it() -> None:
    from corridor.check.facts import claim_facts
    from corridor.check.reading import with_claim_names

    claim = claim_facts("Both sides backed the Belt and Road Initiative and the ports plan.")
    assert with_claim_names("Both sides backed BRI projects and the ports plan.", claim) == (
        "Both sides backed BRI (Belt and Road Initiative) projects and the ports plan.")
    # written as the claim writes it: nothing to add
    same = "Both sides backed the Belt and Road Initiative."
    assert with_claim_names(same, claim) == same
    # countries and people are left as written
    claim = claim_facts("Pakistan and China signed two accords.")
    text = "Pakistani and Chinese officials signed two accords."
    assert with_claim_names(text, claim) == text


MINISTERS = (
    "Foreign Minister Odile Brandt of Portugal met Trade Minister Tomas Reyes of Chile in "
    "Lisbon on 3 March 2025. "
    "The Foreign Minister said that Portugal was committed to the completion of the Atlantic "
    "Ports Programme. "
    "He said that the two countries would open a shipping line. "
    "Welcoming the Trade Minister, Brandt said ties were strong. "
    "She also thanked him for the visit. "
    "The two sides agreed to meet again in May."
)


def _model_texts(tmp_path: Path, claim: str) -> dict[int, str]:
    """Each sentence of MINISTERS as the model reads it against ``claim``."""
    from corridor.check.evidence import build_units
    from corridor.check.facts import claim_facts

    with Corridor(str(tmp_path / "ministers.db")) as pool:
        pool.ingest_articles([{"text": MINISTERS, "title": "Ministers meet",
                               "date": "2025-03-04", "lang": "en", "source": "Test Wire",
                               "url": "https://example.org/ministers"}])
        store = pool.store
        doc = next(iter(store.iter_documents()))
        hits = store.get_sentences([(doc.id, i) for i in range(6)])
        units = build_units(store, claim_facts(claim), hits, {})
        return {u.sentences[0].idx: u.model_text for u in units if len(u.sentences) == 1}


def test_a_title_the_record_ties_to_the_claims_person_is_read_with_the_claims_name(
        tmp_path: Path) -> None:
    read = _model_texts(tmp_path, "Brandt said Portugal is committed to completing the "
                                  "Atlantic Ports Programme.")
    assert read[1] == ("The Foreign Minister (Brandt) said that Portugal was committed to the "
                       "completion of the Atlantic Ports Programme.")
    # a person the claim does not name gets nothing after their title
    assert read[3] == "Welcoming the Trade Minister, Brandt said ties were strong."


def test_an_opening_pronoun_is_read_as_the_person_the_sentences_before_open_on(
        tmp_path: Path) -> None:
    read = _model_texts(tmp_path, "Tomas Reyes said the two countries would open a shipping "
                                  "line.")
    # "He" goes on about the person the sentence before opens on, by title
    assert read[2] == ("He (Odile Brandt) said that the two countries would open a shipping "
                       "line.")
    # an opening phrase up to its comma is not the subject: "She" is Brandt, not the
    # Trade Minister the phrase names
    assert read[4] == "She (Odile Brandt) also thanked him for the visit."


def test_the_two_sides_are_read_as_the_claims_two_parties_the_article_is_about(
        tmp_path: Path) -> None:
    read = _model_texts(tmp_path, "Odile Brandt and Tomas Reyes agreed to meet again in May.")
    assert read[5] == ("The two sides (Odile Brandt and Tomas Reyes) agreed to meet again in "
                       "May.")
    # a claim about another pair: the article's two sides are not theirs
    read = _model_texts(tmp_path / "other", "Odile Brandt and Ana Lima agreed to meet again.")
    assert read[5] == "The two sides agreed to meet again in May."


def test_a_person_is_read_with_the_claims_title_when_the_article_gives_it(
        tmp_path: Path) -> None:
    read = _model_texts(tmp_path, "Foreign Minister Brandt says Portugal is committed to "
                                  "the Atlantic Ports Programme")
    assert read[3] == ("Welcoming the Trade Minister, Brandt (Foreign Minister Brandt) said "
                       "ties were strong.")
    assert read[1].startswith("The Foreign Minister (Foreign Minister Brandt) said")
    # a title the article never gives is not read into it
    read = _model_texts(tmp_path / "other", "Governor Brandt says Portugal is committed to "
                                            "the Atlantic Ports Programme")
    assert read[3] == "Welcoming the Trade Minister, Brandt said ties were strong."


def test_a_posts_abbreviated_title_is_the_title_spelt_out() -> None:
    from corridor.check.reading import _title_stated

    article = "Foreign Minister Odile Brandt met the Chief of the Harbour Board."
    assert _title_stated("FM", article) and _title_stated("Harbour Board chief", article)
    assert not _title_stated("PM", article)


def test_a_count_written_in_words_is_read_with_the_claims_figure() -> None:
    from corridor.check.facts import claim_facts
    from corridor.store.base import SentenceMention

    hit = SentenceHit("d", 2, 200, 270, "The two ports signed over a dozen charters on ferries.")
    record = SentenceRecord("d", 2, [SentenceMention(None, "ORG", "ports", None, 208, 213)])
    claim = claim_facts("The ports signed more than 12 charters.")
    assert reading(hit, record, claim) == (
        "The two ports signed over a dozen (12) charters on ferries.")
    # figures written as figures, or another count: read as written
    assert reading(hit, record, claim_facts("The ports signed 14 charters.")) is None
