"""Fixtures for the hostile-input tests: a pool with a few stored articles.

The big payloads (bombs, a 100 MB line) are generated at test time into
``tmp_path``; nothing large is committed. Every test counts what is stored
before and after and checks the database's integrity.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace

import pytest

from corridor.service import Corridor
from corridor.settings import Settings
from tests.serving import serve

ARTICLES = [
    {"url": "https://news.example.org/ferry", "title": "Ferry timetable agreed",
     "date": "2024-05-02", "source": "Harbour Daily",
     "text": "Harbour officials from both towns agreed on Thursday on a summer ferry timetable "
             "with four daily crossings, the port office said, and promised cheaper tickets "
             "for students and for families travelling with children."},
    {"url": "https://news.example.org/bridge", "title": "Bridge survey begins",
     "date": "2024-06-11", "source": "Valley Post",
     "text": "Surveyors began measuring the riverbed on Monday for a road bridge between the "
             "two market towns, the provincial works department said, adding that the study "
             "would take about eight months and cost less than planned."},
]


EVIL_TEXT = ("Dock workers at the northern pier unloaded the first shipment of cranes on "
             "Saturday, the harbour master said, and the new berth should open to container "
             "ships before the monsoon if the dredging finishes on time.")


@pytest.fixture
def pool(tmp_path: Path) -> Iterator[Corridor]:
    """A pool with two stored articles; small limits so bombs hit them quickly."""
    settings = Settings(db=str(tmp_path / "pool.db"), max_bytes=2_000_000,
                        quarantine_keep_bytes=10_000)
    with Corridor(settings=settings) as corridor:
        report = corridor.ingest_articles(ARTICLES, extract=False)
        assert report.stored == 2
        yield corridor


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SimpleNamespace]:
    """A real ``corridor serve`` on 127.0.0.1 over a pool with the two articles
    (and an article whose HTML carried scripts), plus an API token."""
    db = tmp_path_factory.mktemp("served") / "pool.db"
    with Corridor(settings=Settings(db=str(db))) as corridor:
        corridor.ingest_articles(ARTICLES, extract=False)
        corridor.ingest_articles([{
            "url": "https://evil.example.com/page", "title": "Port <script>alert(1)</script>",
            "html": "<html><body><article><h1>Port</h1><p onclick=alert(2)>" + EVIL_TEXT
                    + "</p><script>alert(3)</script><img src=x onerror=alert(4)>"
                    "</article></body></html>"}], extract=False)
        _, token = corridor.create_token("hostile-tests")
    with serve(db, "--readers", "2") as (base, _proc):
        port = int(base.rsplit(":", 1)[1])
        yield SimpleNamespace(base=base, port=port, token=token, db=db)
