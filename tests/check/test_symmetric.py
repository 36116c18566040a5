"""Swapping the parties of a symmetric relation ("met", "held talks with") is no mismatch."""

from __future__ import annotations

from pathlib import Path

import pytest

from corridor.service import Corridor
from corridor.settings import Settings

TALKS = {
    "url": "https://harbour-daily.example/dar-wang", "title": "Foreign ministers meet",
    "date": "2025-03-04", "source": "Harbour Daily",
    "text": ("ISLAMABAD, March 4: Foreign Minister Ishaq Dar met Chinese Foreign Minister Wang Yi "
             "in Islamabad on Tuesday and discussed the railway upgrade. Pakistan thanked China "
             "for its support for the port."),
}


@pytest.fixture(scope="module")
def pool(tmp_path_factory: pytest.TempPathFactory) -> Corridor:
    db = Path(tmp_path_factory.mktemp("symmetric")) / "pool.db"
    corridor = Corridor(settings=Settings(db=str(db)))
    corridor.ingest_articles([TALKS])
    return corridor


@pytest.mark.parametrize("claim", ["Wang Yi met Ishaq Dar in Islamabad.",
                                   "Wang Yi held talks with Ishaq Dar."])
def test_symmetric_relation_either_way_round_is_supported(pool: Corridor, claim: str) -> None:
    v = pool.check(claim, save=False)
    assert v.verdict == "SUPPORTED", (v.verdict, v.reason)


def test_directed_relation_reversed_is_still_refuted(pool: Corridor) -> None:
    v = pool.check("China thanked Pakistan for its support for the port.", save=False)
    assert v.verdict == "REFUTED" and "reversed" in v.reason, v.reason


def test_an_article_opening_on_he_refutes_a_claim_about_its_unnamed_subject(
        tmp_path: Path) -> None:
    # one untitled article whose only sentence never names its subject: the reading
    # that refutes stands as the reading that supports would
    with Corridor(settings=Settings(db=str(tmp_path / "open.db"), min_words=1)) as pool:
        pool.ingest_articles([{
            "url": "https://bio.example/drummer", "source": "Bio", "lang": "en",
            "text": "He is the lead singer and the drummer of the band Velvet Harbour."}])
        refuted = pool.check("Tobias Renner does not play the drums.", save=False)
        supported = pool.check("Tobias Renner is a drummer.", save=False)
    assert refuted.verdict == "REFUTED", (refuted.verdict, refuted.reason)
    assert supported.verdict == "SUPPORTED", (supported.verdict, supported.reason)
