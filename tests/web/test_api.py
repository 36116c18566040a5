"""In-process tests of every endpoint (FastAPI TestClient on a real SQLite file)."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import threading
import time
import xml.etree.ElementTree as ET
from pathlib import Path
from types import SimpleNamespace
from typing import TYPE_CHECKING

import pytest
from fastapi.testclient import TestClient

from corridor.settings import Settings
from corridor.web import WebConfig, create_app
from corridor.web.pages import PAGES

if TYPE_CHECKING:
    from tests.conftest import LocalServer

ATOM = "{http://www.w3.org/2005/Atom}"


def web_client(path: Path, config: WebConfig) -> TestClient:
    return TestClient(create_app(Settings(db=str(path)), config), base_url="http://127.0.0.1")


def _marked(html: str) -> list[str]:
    return re.findall(r"<mark[^>]*>([^<]*)</mark>", html)


# -- health, docs, twins -------------------------------------------------------------


def test_health(reader_client: TestClient) -> None:
    for path in ("/health", "/api/health"):
        r = reader_client.get(path)
        assert r.status_code == 200
        # no warm-up was asked for (models load on first use): nothing pending
        assert r.json() == {"status": "ok", "detail": "", "warm": True}


def test_health_answers_while_models_warm_and_checks_wait(
        seeded_db: SimpleNamespace, monkeypatch: pytest.MonkeyPatch) -> None:
    """With warm-up on (as `corridor serve` runs), health answers at once and says
    warm: false until the warm-up ends; a check waits for it instead of loading a
    model beside it (the warm-up stands in here for the models' load)."""
    from corridor.service import Corridor

    release, order = threading.Event(), []

    def slow_warm_up(*, ingest: bool = True, check: bool = True) -> None:
        assert release.wait(60)
        order.append("warm")

    monkeypatch.setattr(Corridor, "warm_up", staticmethod(slow_warm_up))
    config = WebConfig(readers=2, warm_up=True)
    with web_client(seeded_db.path, config) as client:
        assert client.get("/api/health").json() == {"status": "ok", "detail": "",
                                                     "warm": False}
        handles = client.app.state.handles  # type: ignore[attr-defined]

        def check() -> None:
            with handles.checker(wait=60):
                order.append("check")

        waiting = threading.Thread(target=check)
        waiting.start()
        time.sleep(0.3)  # a check that did not wait would run now
        assert order == []
        release.set()
        waiting.join(60)
        assert order == ["warm", "check"]
        assert client.get("/health").json()["warm"] is True


def test_app_imports_no_models() -> None:
    """The web app starts without spaCy or the ONNX models: the warm-up loads them."""
    code = ("import json, sys, corridor.web.app; print(json.dumps([m for m in "
            "('spacy', 'onnxruntime', 'tokenizers', 'trafilatura', 'datasketch', 'scipy') "
            "if m in sys.modules]))")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=120, check=False)
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout) == []


def test_openapi_and_docs_page(reader_client: TestClient) -> None:
    schema = reader_client.get("/openapi.json").json()
    paths = set(schema["paths"])
    assert {"/api/search", "/api/documents/{doc_id}", "/api/documents", "/api/stats",
            "/api/quarantine", "/api/ingest", "/feed.atom", "/api/health", "/api/entities",
            "/api/entities/{entity_id}", "/api/events", "/api/commitments", "/api/check",
            "/api/checks", "/api/checks/{check_id}", "/api/checks/{check_id}/claimreview",
            "/feeds/checks.atom", "/api/pledges", "/api/pledges/{pledge_id}", "/api/timeline",
            "/timeline.svg", "/timeline.png"} <= paths
    assert "post" in schema["paths"]["/api/ingest"] and "post" in schema["paths"]["/api/check"]
    assert "CheckRequest" in schema["components"]["schemas"]
    page = reader_client.get("/docs")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert "/api/search" in page.text and "IngestRequest" in page.text
    assert "<script" not in page.text  # the reference is rendered here, no script or CDN


def test_every_html_page_has_a_json_twin(
    reader_client: TestClient, seeded_db: SimpleNamespace
) -> None:
    doc_id = next(iter(seeded_db.ids.values()))
    assert {p.path for p in PAGES} >= {
        "/search", "/documents/{doc_id}", "/documents", "/stats", "/quarantine", "/entities",
        "/entities/{entity_id}", "/events", "/commitments", "/checks", "/checks/{check_id}",
        "/pledges", "/pledges/{pledge_id}", "/timeline"}
    pledge_id = reader_client.get("/api/pledges").json()["pledges"][0]["id"]
    values = {"{doc_id}": doc_id, "{entity_id}": "beijing",
              "{check_id}": str(seeded_db.check_id), "{pledge_id}": pledge_id}

    def fill(path: str) -> str:
        for name, value in values.items():
            path = path.replace(name, value)
        return path

    for page in PAGES:
        assert page.api_path == "/api" + page.path
        path = fill(page.path)
        html = reader_client.get(path)
        assert html.status_code == 200, path
        assert html.headers["content-type"] == "text/html; charset=utf-8"
        twin = re.search(r'<link rel="alternate" type="application/json" href="([^"]+)"',
                         html.text)
        assert twin and twin.group(1) == fill(page.api_path)
        data = reader_client.get(twin.group(1))
        assert data.status_code == 200 and data.headers["content-type"] == "application/json"


# -- search ------------------------------------------------------------------------


def test_search_json_hits_with_highlight_ranges(reader_client: TestClient) -> None:
    r = reader_client.get("/api/search", params={"q": "river port"})
    assert r.status_code == 200
    body = r.json()
    assert body["query"] == "river port" and body["next_offset"] is None
    titles = [h["title"] for h in body["hits"]]
    assert titles[0] == "Ministers review river port plan"
    hit = body["hits"][0]
    marked = {hit["snippet"][s:e].lower() for s, e in hit["highlights"]}
    assert marked == {"river", "port"}


def test_search_filters(reader_client: TestClient) -> None:
    def titles(**params: str) -> list[str]:
        r = reader_client.get("/api/search", params={"q": "port", **params})
        assert r.status_code == 200, r.text
        return [h["title"] for h in r.json()["hits"]]

    assert "Rail link feasibility study signed" in titles()
    assert titles(since="2024-06-01") == ["Rail link feasibility study signed"]
    assert "Rail link feasibility study signed" not in titles(until="2024-05-31")
    assert titles(source="Harbour Daily") == ["Ministers review river port plan"]
    assert titles(source="wire.example.net") == ["Rail link feasibility study signed"]
    assert titles(lang="zh") == []
    # empty form fields are "no filter"
    assert len(titles(since="", until="", source="", lang="")) == len(titles())


def test_search_pagination(reader_client: TestClient) -> None:
    first = reader_client.get("/api/search", params={"q": "port", "limit": 1}).json()
    assert len(first["hits"]) == 1 and first["next_offset"] == 1
    second = reader_client.get("/api/search",
                               params={"q": "port", "limit": 1, "offset": 1}).json()
    assert second["hits"][0]["doc_id"] != first["hits"][0]["doc_id"]
    page = reader_client.get("/search", params={"q": "port", "limit": 1})
    assert 'rel="next"' in page.text and "offset=1" in page.text


def test_search_chinese_and_urdu(reader_client: TestClient) -> None:
    zh = reader_client.get("/api/search", params={"q": "经济走廊"}).json()["hits"]
    assert [h["lang"] for h in zh] == ["zh"]
    assert {zh[0]["snippet"][s:e] for s, e in zh[0]["highlights"]} == {"经济走廊"}
    ur = reader_client.get("/api/search", params={"q": "بندرگاہ"}).json()["hits"]
    assert [h["lang"] for h in ur] == ["ur"]
    page = reader_client.get("/search", params={"q": "بندرگاہ"})
    assert page.headers["content-type"] == "text/html; charset=utf-8"
    assert '<li class="hit" lang="ur" dir="rtl">' in page.text
    assert "<mark>بندرگاہ</mark>" in page.text
    zh_page = reader_client.get("/search", params={"q": "经济走廊"})
    assert '<li class="hit" lang="zh" dir="auto">' in zh_page.text
    assert "中巴<mark>经济走廊</mark>" in zh_page.text


def test_search_page_highlights_and_keeps_filters(reader_client: TestClient) -> None:
    r = reader_client.get("/search", params={"q": "river port", "lang": "en",
                                             "since": "2024-01-01"})
    assert r.status_code == 200
    assert {m.lower() for m in _marked(r.text)} >= {"river", "port"}
    assert 'value="river port"' in r.text and 'value="2024-01-01"' in r.text
    assert '<option value="en" selected>' in r.text
    assert "/documents/" in r.text and "q=river+port" in r.text


def test_search_empty_query_and_home(reader_client: TestClient) -> None:
    assert reader_client.get("/api/search").json()["hits"] == []
    home = reader_client.get("/")
    assert home.status_code == 200 and 'name="q"' in home.text


def test_search_errors(reader_client: TestClient) -> None:
    bad = reader_client.get("/api/search", params={"q": "port", "since": "someday"})
    assert bad.status_code == 400 and bad.json()["code"] == "config"
    page = reader_client.get("/search", params={"q": "port", "since": "someday"})
    assert page.status_code == 400 and "someday" in page.text
    assert reader_client.get("/api/search", params={"limit": 0}).status_code == 422
    assert reader_client.get("/api/search", params={"q": "x" * 501}).status_code == 422
    assert reader_client.get("/search", params={"limit": 1000}).status_code == 422


# -- documents ---------------------------------------------------------------------


def test_document_json_and_page(reader_client: TestClient, seeded_db: SimpleNamespace) -> None:
    doc_id = seeded_db.ids["Ministers review river port plan"]
    data = reader_client.get(f"/api/documents/{doc_id}", params={"q": "river"}).json()
    doc = data["document"]
    assert doc["id"] == doc_id and doc["source"] == "Harbour Daily"
    assert doc["published"] == "2024-03-05" and doc["lang"] == "en"
    assert [s["kind"] for s in doc["sources"]] == ["original"]
    assert [doc["text"][s:e].lower() for s, e in data["highlights"]] == ["river", "river"]
    page = reader_client.get(f"/documents/{doc_id}", params={"q": "river"})
    assert page.status_code == 200
    assert _marked(page.text) == ["river", "river"]
    assert '<mark id="match-1">' in page.text
    assert "Harbour Daily" in page.text and "2024-03-05" in page.text
    assert 'href="https://news.example.org/2024/03/river-port"' in page.text
    plain = reader_client.get(f"/documents/{doc_id}")
    assert "<mark" not in plain.text


def test_document_rtl_and_chinese(reader_client: TestClient, seeded_db: SimpleNamespace,
                                  web_samples: SimpleNamespace) -> None:
    ur = reader_client.get(f"/documents/{seeded_db.ids[web_samples.urdu['title']]}")
    assert '<article class="document" lang="ur" dir="rtl">' in ur.text
    assert web_samples.urdu["title"] in ur.text
    zh = reader_client.get(f"/documents/{seeded_db.ids[web_samples.chinese['title']]}")
    assert '<article class="document" lang="zh" dir="auto">' in zh.text
    assert "中巴经济走廊联合合作委员会" in zh.text
    assert '<meta charset="utf-8">' in zh.text


def test_document_not_found(reader_client: TestClient) -> None:
    r = reader_client.get("/api/documents/0000000000000000")
    assert r.status_code == 404 and r.json()["code"] == "not_found"
    page = reader_client.get("/documents/0000000000000000")
    assert page.status_code == 404 and page.headers["content-type"].startswith("text/html")


def test_recent_documents(reader_client: TestClient, web_samples: SimpleNamespace) -> None:
    data = reader_client.get("/api/documents").json()
    assert len(data["documents"]) == len(web_samples.articles)
    first = data["documents"][0]
    assert first["excerpt"] and first["ingested_at"]
    assert reader_client.get("/api/documents", params={"since": "2999-01-01"}).json()[
        "documents"] == []
    assert reader_client.get("/api/documents", params={"since": "nope"}).status_code == 400
    page = reader_client.get("/documents")
    assert page.status_code == 200
    assert page.text.count('<li class="hit"') == len(web_samples.articles)


# -- stats, quarantine, feed ----------------------------------------------------------


def test_stats(reader_client: TestClient, web_samples: SimpleNamespace) -> None:
    data = reader_client.get("/api/stats").json()
    assert data["documents"] == len(web_samples.articles) and data["quarantined"] == 0
    assert set(data["by_language"]) == {"en", "ur", "zh"}
    assert "database" not in data  # no server paths
    page = reader_client.get("/stats")
    assert page.status_code == 200 and "by language" in page.text


def test_quarantine_lists_failed_inputs(client: TestClient, pool_copy: SimpleNamespace) -> None:
    assert client.get("/api/quarantine").json()["records"] == []
    r = client.post("/api/ingest", json={"articles": [{"title": "no body at all"}]},
                    headers={"Authorization": f"Bearer {pool_copy.token}"})
    assert r.status_code == 200 and r.json()["report"]["quarantined"] == {"malformed": 1}
    records = client.get("/api/quarantine").json()["records"]
    assert [r["code"] for r in records] == ["malformed"]
    page = client.get("/quarantine")
    assert "neither a &#39;text&#39; nor an &#39;html&#39;" in page.text


def test_atom_feed(reader_client: TestClient, web_samples: SimpleNamespace) -> None:
    r = reader_client.get("/feed.atom", params={"limit": 10})
    assert r.status_code == 200
    assert r.headers["content-type"] == "application/atom+xml; charset=utf-8"
    feed = ET.fromstring(r.content)
    assert feed.tag == f"{ATOM}feed"
    entries = feed.findall(f"{ATOM}entry")
    assert len(entries) == len(web_samples.articles)
    titles = {e.findtext(f"{ATOM}title") for e in entries}
    assert web_samples.xss_title in titles  # escaped in XML, the same text once parsed
    assert b"<script>" not in r.content
    entry = entries[0]
    link = entry.find(f"{ATOM}link[@rel='alternate']")
    assert link is not None and link.get("href", "").startswith("http://127.0.0.1/documents/")
    assert entry.findtext(f"{ATOM}updated")
    langs = {e.find(f"{ATOM}summary").get("{http://www.w3.org/XML/1998/namespace}lang")  # type: ignore[union-attr]
             for e in entries}
    assert langs == {"en", "ur", "zh"}
    assert len(ET.fromstring(reader_client.get("/feed.atom", params={"limit": 2}).content)
               .findall(f"{ATOM}entry")) == 2


# -- ingest --------------------------------------------------------------------------


def test_ingest_articles_then_search(client: TestClient, pool_copy: SimpleNamespace) -> None:
    article = {
        "title": "Dry port opens for fruit exports",
        "date": "2024-07-01",
        "source": "Valley Times",
        "text": ("A new dry port opened on Monday near the border crossing, letting fruit "
                 "growers ship cherries and apricots in sealed containers, the trade "
                 "ministry said. Customs officers will clear trucks around the clock."),
    }
    auth = {"Authorization": f"Bearer {pool_copy.token}"}
    first = client.post("/api/ingest", json={"articles": [article]}, headers=auth)
    assert first.status_code == 200, first.text
    body = first.json()
    assert body["report"]["stored"] == 1
    assert body["items"][0]["outcome"] == "stored"
    doc_id = body["items"][0]["detail"]
    again = client.post("/api/ingest", json={"articles": [article]}, headers=auth).json()
    assert again["report"]["unchanged"] == 1 and again["report"]["stored"] == 0
    hits = client.get("/api/search", params={"q": "apricots"}).json()["hits"]
    assert [h["doc_id"] for h in hits] == [doc_id]
    doc = client.get(f"/api/documents/{doc_id}").json()["document"]
    assert doc["origin"] == "api" and doc["source"] == "Valley Times"
    newest = client.get("/api/documents", params={"limit": 1}).json()["documents"]
    assert newest[0]["id"] == doc_id


FULL_FEED = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Valley Wire</title><link>http://127.0.0.1/</link>
<description>test</description>
<item><title>Orchard growers form export cooperative</title><guid>vw-1</guid>
<pubDate>Mon, 01 Jul 2024 08:00:00 +0000</pubDate>
<description>Growers in the upper valley formed an export cooperative on Monday to pool
cold storage and trucks, the farmers' union said. Members will share the cost of a packing
house and of certification for shipments of apples and walnuts abroad next season.</description>
</item></channel></rss>
"""


def test_ingest_page_and_feed_urls_when_private_urls_allowed(
    pool_copy: SimpleNamespace, http_server: LocalServer, web_samples: SimpleNamespace
) -> None:
    feed_url = http_server.route("/full.xml", FULL_FEED, content_type="application/rss+xml")
    config = WebConfig(readers=1, allow_private_urls=True)
    with web_samples.make_client(pool_copy.path, config) as client:
        r = client.post("/api/ingest", json={"urls": [http_server.url("/article.html"),
                                                      feed_url]},
                        headers={"Authorization": f"Bearer {pool_copy.token}"})
        assert r.status_code == 200, r.text
        body = r.json()
        assert body["report"]["inputs"] == 2 and body["report"]["stored"] == 2, body
        keys = [i["source_key"] for i in body["items"]]
        assert keys[0] == http_server.url("/article.html") and keys[1].startswith(feed_url + "#")
        hits = client.get("/api/search", params={"q": "walnuts"}).json()["hits"]
        assert [h["title"] for h in hits] == ["Orchard growers form export cooperative"]


def test_ingest_validation(client: TestClient, pool_copy: SimpleNamespace) -> None:
    auth = {"Authorization": f"Bearer {pool_copy.token}"}
    assert client.post("/api/ingest", json={}, headers=auth).status_code == 422
    assert client.post("/api/ingest", json={"urls": "http://x"}, headers=auth).status_code == 422
    assert client.post("/api/ingest", json={"unknown": 1}, headers=auth).status_code == 422
    too_many = {"urls": [f"https://example.org/{i}" for i in range(21)]}
    r = client.post("/api/ingest", json=too_many, headers=auth)
    assert r.status_code == 422 and "at most 20 URLs" in r.json()["detail"]
    bad_json = client.post("/api/ingest", content=b"{not json",
                           headers={**auth, "Content-Type": "application/json"})
    assert bad_json.status_code == 422
    assert "input" not in bad_json.text  # request bodies are not echoed back
