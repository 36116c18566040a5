"""The pledge test articles (``tests/pledges/data/articles.jsonl``) as a pool."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from corridor.service import Corridor
from corridor.settings import Settings

ARTICLES = Path(__file__).parents[1] / "pledges" / "data" / "articles.jsonl"


@pytest.fixture(scope="session")
def report_pool(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Corridor]:
    folder = tmp_path_factory.mktemp("report-pool")
    corridor = Corridor(settings=Settings(db=str(folder / "pool.db")))
    report = corridor.ingest([str(ARTICLES)])
    assert report.stored == 4
    yield corridor
    corridor.close()
