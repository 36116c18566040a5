"""Pools of short articles written for these tests, ingested once per session."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from corridor.service import Corridor

PORTS = {
    "url": "https://harbour-daily.example/ports-jwg",
    "title": "Pakistan, China hold ports working group meeting",
    "date": "2025-03-04",
    "source": "Harbour Daily",
    "text": (
        "ISLAMABAD: Pakistan and China held the fourth meeting of the Joint Working Group on "
        "Ports on Monday in Islamabad. Planning Minister Ahsan Iqbal and Chinese Vice Minister "
        "Liu Wei co-chaired the meeting. The two sides signed 12 agreements on port logistics "
        "and customs. Iqbal said Pakistan has much to learn from China's experience in port "
        "management. China expressed willingness to train Pakistani port engineers at its "
        "maritime academies."
    ),
}
VISIT = {
    "url": "https://valley-times.example/pm-beijing",
    "title": "Prime Minister begins state visit to China",
    "date": "2025-03-10",
    "source": "Valley Times",
    "text": (
        "BEIJING: Prime Minister Shehbaz Sharif began a five-day state visit to China on "
        "Sunday. He met President Xi Jinping in Beijing and discussed the expansion of "
        "Gwadar port. The two leaders also reviewed cooperation in agriculture and "
        "information technology."
    ),
}
ORCHARD = {
    "url": "https://farm-wire.example/orchards",
    "title": "Kenya and Japan open orchard research centre",
    "date": "2024-06-12",
    "source": "Farm Wire",
    "text": (
        "NAIROBI: Kenya and Japan opened a joint orchard research centre in Nakuru on "
        "Tuesday. The centre will study drought-resistant mango varieties. Officials said "
        "the first harvest trials would begin next year."
    ),
}
RIVAL = {
    "url": "https://coast-herald.example/ports-talks",
    "title": "Ports working group meets in Islamabad",
    "date": "2025-03-05",
    "source": "Coast Herald",
    "text": (
        "ISLAMABAD: Pakistan and China held the third meeting of the Joint Working Group on "
        "Ports in Islamabad this week. Officials from both sides discussed customs "
        "procedures and the training of port staff."
    ),
}


def _pool(path: Path, articles: list[dict[str, str]]) -> Corridor:
    corridor = Corridor(str(path))
    report = corridor.ingest_articles(articles, label="test")
    assert report.stored == len(articles), report.to_dict()
    return corridor


@pytest.fixture(scope="session")
def pool(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Corridor]:
    corridor = _pool(tmp_path_factory.mktemp("check") / "pool.db", [PORTS, VISIT, ORCHARD])
    yield corridor
    corridor.close()


@pytest.fixture(scope="session")
def conflict_pool(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Corridor]:
    corridor = _pool(tmp_path_factory.mktemp("check") / "conflict.db", [PORTS, RIVAL])
    yield corridor
    corridor.close()
