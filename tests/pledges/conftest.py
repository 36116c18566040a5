"""A pool of own-written articles (``data/articles.jsonl``) that repeat and
update the same pledges across dates: Karot is pledged, reaffirmed, then
inaugurated; the Orange Line extension is pledged twice, then suspended; Suki
Kinari is pledged twice and only *will be* completed. Built once per session;
tests only read it (``tests/report`` builds its own from the same file).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from corridor.service import Corridor
from corridor.settings import Settings

ARTICLES = Path(__file__).parent / "data" / "articles.jsonl"


@pytest.fixture(scope="session")
def pledge_pool(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Corridor]:
    folder = tmp_path_factory.mktemp("pledge-pool")
    corridor = Corridor(settings=Settings(db=str(folder / "pool.db")))
    report = corridor.ingest([str(ARTICLES)])
    assert report.stored == 4 and report.extracted == 4
    yield corridor
    corridor.close()
