"""Hypothesis profiles for the property tests under tests/fuzz/.

``corridor-ci`` (the default) is derandomized and keeps no example database,
so a CI run is repeatable and leaves nothing behind; each test sets its own
modest ``max_examples`` (times ``SCALE``: 10 under ``corridor-long``) so the
whole directory stays near 30 s. For a longer local hunt:
``HYPOTHESIS_PROFILE=corridor-long pytest tests/fuzz`` (10x the examples,
random seeds, examples database kept in .hypothesis/).

``api_server`` is a real ``corridor serve`` for the schemathesis tests.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from types import SimpleNamespace

import pytest
from hypothesis import HealthCheck, settings

from corridor.service import Corridor
from corridor.settings import Settings
from tests.serving import serve

settings.register_profile(
    "corridor-ci", derandomize=True, database=None, deadline=None, print_blob=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.register_profile(
    "corridor-long", deadline=None, print_blob=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "corridor-ci"))



ARTICLES = [
    {"url": "https://news.example.org/ferry", "title": "Ferry timetable agreed",
     "date": "2024-05-02", "source": "Harbour Daily",
     "text": "ISLAMABAD, May 2: Harbour officials from Pakistan and China agreed on Thursday on "
             "a summer ferry timetable with four daily crossings, the port office said. China "
             "pledged $20 million for two new ferries under CPEC, officials said."},
    {"url": "https://news.example.org/bridge", "title": "Bridge survey begins",
     "date": "2024-06-11", "source": "Valley Post",
     "text": "Surveyors began measuring the riverbed on Monday for a road bridge near Gwadar, "
             "the provincial works department said. Minister Ahsan Iqbal met the Chinese "
             "ambassador in Islamabad to review the survey."},
]


@pytest.fixture(scope="session")
def api_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SimpleNamespace]:
    """A real ``corridor serve`` on 127.0.0.1 (fetch timeout 2 s, private URLs refused)
    over a pool with two extracted articles and an API token."""
    db = tmp_path_factory.mktemp("api") / "pool.db"
    with Corridor(settings=Settings(db=str(db))) as corridor:
        assert corridor.ingest_articles(ARTICLES).stored == 2
        _, token = corridor.create_token("schemathesis")
    env = {**os.environ, "CORRIDOR_FETCH_TIMEOUT": "2"}
    with serve(db, "--readers", "2", "--ingest-per-minute", "600", env=env) as (base, proc):
        port = int(base.rsplit(":", 1)[1])
        yield SimpleNamespace(base=base, port=port, token=token, db=db, proc=proc)
