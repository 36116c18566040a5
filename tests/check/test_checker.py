"""Splitting a compound claim into the parts each article must settle."""

from __future__ import annotations

from pathlib import Path

from corridor.check.checker import split_claim


def test_a_predicate_over_two_settings_is_checked_as_two_claims() -> None:
    assert split_claim("Port fees were discussed both at the March summit and at the "
                       "ministers' dinner.") == [
        "Port fees were discussed at the March summit.",
        "Port fees were discussed at the ministers' dinner."]
    # a joint subject is one claim ("both sides agreed" is not two agreements)
    assert split_claim("Both sides agreed to extend the port lease.") == [
        "Both sides agreed to extend the port lease."]


def test_articles_that_never_name_the_claims_subject(tmp_path: Path) -> None:
    from corridor.check.checker import Checker
    from corridor.check.evidence import Unit
    from corridor.check.facts import Facts, claim_facts
    from corridor.check.features import PairFeatures
    from corridor.check.judge import Judgement
    from corridor.check.text import analyse_text
    from corridor.service import Corridor
    from corridor.settings import Settings

    articles = [
        ("Ports council welcomes partners", "The ports council welcomed the participation of "
         "third parties in the Atlantic Ports Programme on Monday, officials in Lisbon said."),
        ("Harbour chief on new members", "He told reporters in Porto that any outside state "
         "may take part in the Atlantic Ports Programme from next spring."),
        (None, "Dredging firms and ferry lines from abroad are welcome to bid for Atlantic "
         "Ports Programme contracts, according to the tender notice."),
        ("Norway eyes Atlantic ports", "Norway said on Friday that it was studying "
         "membership of the Atlantic Ports Programme with its finance ministry."),
    ]
    with Corridor(settings=Settings(db=str(tmp_path / "subject.db"), min_words=1)) as pool:
        report = pool.ingest_articles([{"text": text, "title": title, "lang": "en",
                                        "source": "Wire", "date": "2025-03-04",
                                        "url": f"https://example.org/{i}"}
                                       for i, (title, text) in enumerate(articles)])
        assert report.stored == len(articles)
        docs = {d.url: d.id for d in pool.store.iter_documents()}
        facts = claim_facts("Norway joins the Atlantic Ports Programme as a third party.")
        judged = []
        for i in range(len(articles)):
            hit = pool.store.get_sentences([(docs[f"https://example.org/{i}"], 0)])[0]
            probs = {"supports": 0.1, "refutes": 0.8, "unrelated": 0.1}
            judged.append((Unit([hit], [hit], 0.7, Facts(analyse_text(hit.text))),
                           Judgement("refutes", probs, PairFeatures({"anchored": 1.0}, []),
                                     probs)))
        silent = Checker(pool.store)._subject_unnamed(facts, judged, {})
    # the titled articles that never name Norway; not one without a title, nor one that
    # names it
    assert silent == {docs["https://example.org/0"], docs["https://example.org/1"]}
