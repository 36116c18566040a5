"""Fixtures for the HTTP service tests: a seeded pool, tokens, in-process clients.

The articles are short texts written for these tests (English, Urdu, Chinese,
two naming people, places and a project that the domain lexicon knows, the
second restating a commitment of the first, and one carrying XSS payloads).
``seeded_db`` builds the pool once per session, with one stored claim check;
tests that write get their own copy (``pool_copy``).
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from fastapi.testclient import TestClient

from corridor.service import Corridor
from corridor.settings import Settings
from corridor.web import WebConfig, create_app

ENGLISH = {
    "url": "https://news.example.org/2024/03/river-port",
    "title": "Ministers review river port plan",
    "date": "2024-03-05",
    "source": "Harbour Daily",
    "text": (
        "NORTHTOWN, March 5: Cabinet members from Avalon and Borduria spent Tuesday going over "
        "drawings for a river port on the northern bank, a spokesman said. The two delegations "
        "set up a logistics committee and plan another round in the autumn. Once built, the "
        "river port would ship grain, timber and cement downstream on barges."
    ),
}
RAIL = {
    "url": "https://wire.example.net/rail-study",
    "title": "Rail link feasibility study signed",
    "date": "2024-06-12",
    "source": "Example Wire",
    "text": (
        "A consortium of surveyors put their names to a rail feasibility report on Wednesday, "
        "a planning official told the wire. Their report weighs a line through the valley "
        "against a coastal route and prices a long bridge close to the port town."
    ),
}
URDU = {
    "url": "https://urdu.example.pk/gwadar-terminal",
    "title": "گوادر بندرگاہ پر نئے ٹرمینل کا افتتاح",
    "date": "2024-04-02",
    "source": "Urdu Example",
    "text": (
        "اسلام آباد: وفاقی وزیر برائے منصوبہ بندی نے منگل کے روز کہا کہ گوادر بندرگاہ پر نیا "
        "کنٹینر ٹرمینل اگلے سال مکمل ہو جائے گا۔ انہوں نے بتایا کہ دونوں ممالک نے بندرگاہ کی "
        "توسیع، ماہی گیری اور تربیتی پروگراموں میں تعاون بڑھانے پر اتفاق کیا ہے۔ حکام کے مطابق "
        "اس منصوبے سے مقامی نوجوانوں کے لیے روزگار کے نئے مواقع پیدا ہوں گے۔"
    ),
}
CHINESE = {
    "url": "https://zh.example.cn/cpec-rail",
    "title": "中巴经济走廊铁路合作取得新进展",
    "date": "2024-03-06",
    "source": "Example Chinese Daily",
    "text": (
        "北京3月6日电 中巴经济走廊联合合作委员会交通基础设施工作组6日在北京举行会议，"
        "双方同意加快推进铁路升级项目的设计审查工作。与会代表表示，中巴经济走廊建设将为"
        "两国人民带来更多实惠，双方还就港口物流、人才培训和技术交流等议题深入交换了意见。"
    ),
}
XSS_TITLE = 'Port deal <script>alert("xss-title")</script> signed'
XSS = {
    "url": "https://evil.example.com/port-deal",
    "title": XSS_TITLE,
    "date": "2024-05-01",
    "source": "<b>Evil</b> Source",
    "text": (
        "Officials said the harbour deal <script>alert('xss-body')</script> was signed on "
        "Monday after long talks. <img src=x onerror=alert('xss-img')> The agreement covers "
        "dredging, cranes and the training of pilots for the harbour, officials told reporters "
        "after the ceremony. \"><svg onload=alert('xss-svg')> The ministers thanked the teams."
    ),
}
MINISTERS = {
    "url": "https://capital.example.org/2024/05/dar-wang-talks",
    "title": "Dar and Wang hold talks in Beijing",
    "date": "2024-05-20",
    "source": "Capital Courier",
    "text": (
        "ISLAMABAD, May 20: Foreign Minister Ishaq Dar met Chinese Foreign Minister Wang Yi in "
        "Beijing on Monday, the Foreign Office said. The two sides agreed to expand cooperation "
        "on the China-Pakistan Economic Corridor and signed a memorandum on agriculture. China "
        "will provide training for 500 Pakistani engineers, Wang said. Pakistan reaffirmed its "
        "commitment to the safety of Chinese workers."
    ),
}
FOLLOW_UP = {  # restates a commitment of MINISTERS: a reiterated pledge
    "url": "https://capital.example.org/2024/09/engineers-training",
    "title": "Engineers begin training courses",
    "date": "2024-09-10",
    "source": "Capital Courier",
    "text": (
        "BEIJING, September 10: China reaffirmed that it will provide training for 500 "
        "Pakistani engineers, officials said on Tuesday. The first group of 120 engineers has "
        "completed the course, the embassy said. Both countries agreed to open a vocational "
        "college in Gwadar."
    ),
}
ARTICLES: list[dict[str, Any]] = [ENGLISH, RAIL, URDU, CHINESE, XSS, MINISTERS, FOLLOW_UP]
#: the claim checked (and stored) when the pool is built
SEEDED_CLAIM = "Ishaq Dar met Wang Yi in Beijing"


@pytest.fixture(scope="session")
def seeded_db(tmp_path_factory: pytest.TempPathFactory) -> SimpleNamespace:
    """A pool file with the sample articles and one API token (built once)."""
    path = tmp_path_factory.mktemp("seeded") / "pool.db"
    with Corridor(settings=Settings(db=str(path))) as corridor:
        report = corridor.ingest_articles(ARTICLES)
        assert report.stored == len(ARTICLES), report.to_dict()
        _, secret = corridor.create_token("tests")
        ids = {a["title"]: doc_id for a, doc_id in zip(ARTICLES, report.stored_ids, strict=True)}
        verdict = corridor.check(SEEDED_CLAIM)
        assert verdict.check_id is not None and verdict.evidence, verdict
    return SimpleNamespace(path=path, token=secret, ids=ids, check_id=verdict.check_id)


@pytest.fixture
def pool_copy(seeded_db: SimpleNamespace, tmp_path: Path) -> SimpleNamespace:
    """A private copy of the seeded pool (for tests that write)."""
    target = tmp_path / "pool.db"
    shutil.copyfile(seeded_db.path, target)
    return SimpleNamespace(path=target, token=seeded_db.token, ids=seeded_db.ids,
                           check_id=seeded_db.check_id)


def make_client(path: Path, config: WebConfig | None = None, **settings: Any) -> TestClient:
    # a generous check burst: tests post many (mostly refused) checks; the limit has its own
    app = create_app(Settings(db=str(path), **settings),
                     config or WebConfig(readers=2, check_burst=100))
    return TestClient(app, base_url="http://127.0.0.1")


@pytest.fixture(scope="module")
def reader_client(seeded_db: SimpleNamespace) -> Iterator[TestClient]:
    """A client over the shared seeded pool: read-only tests only."""
    with make_client(seeded_db.path) as client:
        yield client


@pytest.fixture
def client(pool_copy: SimpleNamespace) -> Iterator[TestClient]:
    """A client over a private copy of the pool (writes allowed)."""
    with make_client(pool_copy.path) as c:
        yield c


@pytest.fixture
def web_samples() -> SimpleNamespace:
    return SimpleNamespace(english=ENGLISH, rail=RAIL, urdu=URDU, chinese=CHINESE, xss=XSS,
                           xss_title=XSS_TITLE, ministers=MINISTERS, follow_up=FOLLOW_UP,
                           articles=ARTICLES,
                           claim=SEEDED_CLAIM, make_client=make_client)
