"""What the learned model reads for a sentence: the record's day for "today", the
record's person for an opening "He"."""

from __future__ import annotations

from pathlib import Path

from corridor.check.evidence import reading
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
    from corridor.check.evidence import with_claim_names
    from corridor.check.facts import claim_facts

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
