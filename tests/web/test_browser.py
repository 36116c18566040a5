"""End to end in real headless Chromium against a real ``corridor serve`` process.

Needs Debian's ``chromium`` and ``chromium-driver`` (CI installs them) and
selenium; skips with a message when they are absent. Nothing is downloaded:
the driver path is given, so Selenium Manager is never consulted.

Set ``CORRIDOR_SCREENSHOTS=DIR`` to save screenshots of the pages visited.
"""

from __future__ import annotations

import http.client
import os
import re
import shutil
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace
from typing import Any
from urllib.parse import quote

import pytest

from tests.serving import serve

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
DRIVER = shutil.which("chromedriver")
try:
    from selenium import webdriver
    from selenium.common.exceptions import NoAlertPresentException
    from selenium.webdriver.chrome.options import Options
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support import expected_conditions as ec
    from selenium.webdriver.support.ui import WebDriverWait
except ImportError:  # pragma: no cover - the dev extra installs it
    webdriver = None  # type: ignore[assignment]

pytestmark = pytest.mark.skipif(
    webdriver is None or CHROMIUM is None or DRIVER is None,
    reason="headless Chromium not available: apt-get install -y chromium chromium-driver "
    "(and pip install selenium); CI installs them",
)

FLAGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-dev-shm-usage", "--window-size=1200,1000", "--lang=en-US"]
@pytest.fixture(scope="module")
def server(seeded_db: SimpleNamespace, tmp_path_factory: pytest.TempPathFactory
           ) -> Iterator[SimpleNamespace]:
    """``corridor serve`` on an ephemeral port over a copy of the seeded pool."""
    work = tmp_path_factory.mktemp("serve")
    db = work / "pool.db"
    shutil.copyfile(seeded_db.path, db)
    env = {k: v for k, v in os.environ.items() if not k.startswith("CORRIDOR_")}
    env["HF_HUB_OFFLINE"] = "1"
    with serve(db, env=env, log=work / "serve.log") as (base, _proc):
        yield SimpleNamespace(url=base, ids=seeded_db.ids, token=seeded_db.token)


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    os.environ.setdefault("SE_OFFLINE", "true")  # never let Selenium Manager download
    options = Options()
    assert CHROMIUM is not None and DRIVER is not None
    options.binary_location = CHROMIUM
    for flag in FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={tmp_path_factory.mktemp('chromium-profile')}")
    driver = webdriver.Chrome(options=options, service=Service(executable_path=DRIVER))
    driver.set_page_load_timeout(20)
    try:
        yield driver
    finally:
        driver.quit()


def _shot(driver: Any, name: str) -> None:
    folder = os.environ.get("CORRIDOR_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        height = driver.execute_script("return document.documentElement.scrollHeight")
        driver.set_window_size(1200, min(max(int(height) + 140, 700), 2400))
        driver.save_screenshot(str(Path(folder) / f"{name}.png"))
        driver.set_window_size(1200, 1000)


def _no_alert(driver: Any) -> None:
    with pytest.raises(NoAlertPresentException):
        driver.switch_to.alert  # noqa: B018 - raises when no dialog is open


def test_search_open_document_see_highlights(browser: Any, server: SimpleNamespace) -> None:
    browser.get(server.url + "/")
    box = browser.find_element(By.ID, "q")
    box.send_keys("river port", Keys.ENTER)
    WebDriverWait(browser, 10).until(ec.presence_of_element_located((By.CSS_SELECTOR, "li.hit")))
    assert "q=river+port" in browser.current_url
    hits = browser.find_elements(By.CSS_SELECTOR, "li.hit")
    first = hits[0].find_element(By.CSS_SELECTOR, "h2 a")
    assert first.text == "Ministers review river port plan"
    marks = [m.text.lower() for m in hits[0].find_elements(By.CSS_SELECTOR, ".snippet mark")]
    assert set(marks) == {"river", "port"}
    mark = hits[0].find_element(By.CSS_SELECTOR, ".snippet mark")
    assert mark.value_of_css_property("background-color") not in ("rgba(0, 0, 0, 0)", "")
    _shot(browser, "search")
    first.click()
    WebDriverWait(browser, 10).until(ec.presence_of_element_located((By.CSS_SELECTOR, "h1")))
    assert browser.find_element(By.TAG_NAME, "h1").text == "Ministers review river port plan"
    text_marks = browser.find_elements(By.CSS_SELECTOR, ".text mark")
    assert [m.text.lower() for m in text_marks] == ["river", "port", "river", "port"]
    assert browser.find_element(By.ID, "match-1").text.lower() == "river"
    assert "Harbour Daily" in browser.find_element(By.CSS_SELECTOR, "dl.meta").text
    assert "original" in browser.find_element(By.CSS_SELECTOR, "section.sources").text
    _shot(browser, "document")
    _no_alert(browser)


def test_filters_and_json_twin(browser: Any, server: SimpleNamespace) -> None:
    browser.get(server.url + "/search?q=port&lang=en&since=2024-06-01")
    titles = [e.text for e in browser.find_elements(By.CSS_SELECTOR, "li.hit h2 a")]
    assert titles == ["Rail link feasibility study signed"]
    selected = browser.find_element(By.CSS_SELECTOR, "select[name=lang] option:checked")
    assert selected.get_attribute("value") == "en"
    twin = browser.find_element(By.CSS_SELECTOR, "footer a.twin").get_attribute("href")
    assert twin.startswith(server.url + "/api/search?")


def test_urdu_is_right_to_left_and_chinese_renders(browser: Any, server: SimpleNamespace) -> None:
    browser.get(server.url + "/search?q=" + quote("بندرگاہ"))
    hit = browser.find_element(By.CSS_SELECTOR, "li.hit")
    assert hit.get_attribute("lang") == "ur" and hit.get_attribute("dir") == "rtl"
    assert hit.value_of_css_property("direction") == "rtl"
    marks = [m.text for m in hit.find_elements(By.TAG_NAME, "mark")]
    assert marks and set(marks) == {"بندرگاہ"}
    _shot(browser, "search-urdu")
    hit.find_element(By.CSS_SELECTOR, "h2 a").click()
    article = browser.find_element(By.CSS_SELECTOR, "article.document")
    assert article.value_of_css_property("direction") == "rtl"
    assert "گوادر" in browser.find_element(By.TAG_NAME, "h1").text
    _shot(browser, "document-urdu")

    browser.get(server.url + "/search?q=" + quote("经济走廊"))
    hit = browser.find_element(By.CSS_SELECTOR, "li.hit")
    assert hit.get_attribute("lang") == "zh"
    marks = [m.text for m in hit.find_elements(By.TAG_NAME, "mark")]
    assert marks and set(marks) == {"经济走廊"}
    hit.find_element(By.CSS_SELECTOR, "h2 a").click()
    assert browser.find_element(By.TAG_NAME, "h1").text == "中巴经济走廊铁路合作取得新进展"
    assert "交通基础设施工作组" in browser.find_element(By.CSS_SELECTOR, ".text").text
    _shot(browser, "document-chinese")


def test_xss_payload_in_article_is_inert(browser: Any, server: SimpleNamespace,
                                         web_samples: SimpleNamespace) -> None:
    doc_id = server.ids[web_samples.xss_title]
    browser.get(f"{server.url}/documents/{doc_id}?q=harbour")
    _no_alert(browser)
    assert browser.find_element(By.TAG_NAME, "h1").text == web_samples.xss_title
    body = browser.find_element(By.CSS_SELECTOR, ".text").text
    assert "<script>alert('xss-body')</script>" in body
    assert "<img src=x onerror=alert('xss-img')>" in body
    assert browser.find_elements(By.CSS_SELECTOR, "main script, main img, main svg, main b") == []
    browser.get(server.url + "/search?q=" + quote("<script>alert(1)</script>"))
    _no_alert(browser)
    assert browser.find_element(By.ID, "q").get_attribute("value") == "<script>alert(1)</script>"
    assert browser.find_elements(By.CSS_SELECTOR, "main script") == []


def test_write_needs_a_token_against_the_real_server(server: SimpleNamespace) -> None:
    request = urllib.request.Request(server.url + "/api/ingest", data=b'{"urls": []}',
                                     headers={"Content-Type": "application/json"},
                                     method="POST")
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request, timeout=5)
    assert refused.value.code == 401
    # declared too large: refused from the headers alone, before any body is sent
    host, port = server.url.removeprefix("http://").split(":")
    conn = http.client.HTTPConnection(host, int(port), timeout=10)
    try:
        conn.putrequest("POST", "/api/ingest")
        conn.putheader("Content-Type", "application/json")
        conn.putheader("Content-Length", str(50_000_000))
        conn.endheaders()
        response = conn.getresponse()
        assert response.status == 413
        assert b"too_large" in response.read()
    finally:
        conn.close()


def test_check_a_claim_then_follow_the_citation(browser: Any, server: SimpleNamespace) -> None:
    browser.get(server.url + "/check")
    browser.find_element(By.ID, "claim").send_keys(
        "China will provide training for 500 Pakistani engineers")
    browser.find_element(By.ID, "token").send_keys(server.token)
    _shot(browser, "check-form")
    browser.find_element(By.CSS_SELECTOR, "form.check button[type=submit]").click()
    WebDriverWait(browser, 30).until(ec.presence_of_element_located((By.ID, "verdict")))
    assert re.search(r"/checks/\d+$", browser.current_url)
    assert browser.find_element(By.ID, "verdict").text == "SUPPORTED"
    assert browser.find_element(By.ID, "reason").text
    supports = browser.find_element(By.CSS_SELECTOR, ".stance-supports a.sentence")
    sentence = supports.text
    assert "500 Pakistani engineers" in sentence
    _shot(browser, "check-result")
    assert browser.find_element(By.CSS_SELECTOR, ".history tbody tr")  # one run recorded

    supports.click()
    WebDriverWait(browser, 10).until(ec.presence_of_element_located((By.ID, "cited")))
    assert browser.find_element(By.TAG_NAME, "h1").text in (
        "Dar and Wang hold talks in Beijing", "Engineers begin training courses")
    assert "?at=" in browser.current_url and browser.current_url.endswith("#cited")
    cited = "".join(e.text for e in browser.find_elements(By.CSS_SELECTOR, ".text span.cited"))
    assert " ".join(cited.split()) == " ".join(sentence.split())
    assert browser.execute_script("return document.querySelector(':target').id") == "cited"
    cited_el = browser.find_element(By.CSS_SELECTOR, ".text span.cited")
    assert cited_el.value_of_css_property("background-color") not in ("rgba(0, 0, 0, 0)", "")
    _shot(browser, "document-cited")

    # names in the text link to their entity pages
    doc_id = browser.current_url.split("/documents/")[1].split("?")[0]
    if doc_id != server.ids["Dar and Wang hold talks in Beijing"]:
        browser.get(f"{server.url}/documents/{server.ids['Dar and Wang hold talks in Beijing']}")
    browser.find_element(By.CSS_SELECTOR, ".text a.entity[href$='person%3Awang-yi']").click()
    WebDriverWait(browser, 10).until(ec.title_contains("Wang Yi"))
    assert browser.find_element(By.TAG_NAME, "h1").text.startswith("Wang Yi")
    assert "王毅" in browser.find_element(By.CSS_SELECTOR, "dl.meta").text
    _shot(browser, "entity")
    _no_alert(browser)


def test_xss_in_a_claim_is_inert_in_the_browser(browser: Any, server: SimpleNamespace) -> None:
    browser.get(server.url + "/check")
    claim = "Wang Yi met <img src=x onerror=alert('xss-claim')> in Beijing"
    browser.find_element(By.ID, "claim").send_keys(claim)
    browser.find_element(By.ID, "token").send_keys(server.token)
    browser.find_element(By.CSS_SELECTOR, "form.check button[type=submit]").click()
    WebDriverWait(browser, 30).until(ec.presence_of_element_located((By.ID, "verdict")))
    _no_alert(browser)
    assert browser.find_element(By.CSS_SELECTOR, "h1.claim").text == f"“{claim}”"
    assert browser.find_elements(By.CSS_SELECTOR, "main img, main script") == []
    browser.get(server.url + "/checks")
    _no_alert(browser)
    assert claim in browser.find_element(By.CSS_SELECTOR, "table.checks").text


def test_events_and_entity_pages_cite_in_their_script(browser: Any,
                                                      server: SimpleNamespace) -> None:
    browser.get(server.url + "/events?type=MEET&place=Beijing")
    rows = browser.find_elements(By.CSS_SELECTOR, "li.event-row")
    assert len(rows) == 1 and "Wang Yi" in rows[0].text
    _shot(browser, "events")
    browser.get(server.url + "/entities/gwadar-port")
    urdu = browser.find_element(By.CSS_SELECTOR, "blockquote.cite a.sentence[lang=ur]")
    assert urdu.value_of_css_property("direction") == "rtl"
    _shot(browser, "entity-urdu")
    browser.get(server.url + "/entities/jcc")
    zh = browser.find_element(By.CSS_SELECTOR, "blockquote.cite a.sentence[lang=zh]")
    assert "中巴经济走廊联合合作委员会" in zh.text


def test_pledge_tracker_and_timeline_plot(browser: Any, server: SimpleNamespace) -> None:
    browser.get(server.url + "/pledges?status=reiterated")
    link = browser.find_element(By.CSS_SELECTOR, "table.pledges td a")
    assert link.text == "Provide training for 500 Pakistani engineers"
    _shot(browser, "pledges")
    link.click()
    WebDriverWait(browser, 10).until(ec.presence_of_element_located((By.ID, "status")))
    assert browser.find_element(By.ID, "status").text == "reiterated"
    steps = browser.find_elements(By.CSS_SELECTOR, "li.step")
    assert [s.find_element(By.TAG_NAME, "strong").text for s in steps] == ["first", "reiterated"]
    _shot(browser, "pledge")
    browser.get(server.url + "/timeline?by=type")
    img = browser.find_element(By.CSS_SELECTOR, "figure.plot img")
    WebDriverWait(browser, 10).until(
        lambda d: d.execute_script("return arguments[0].complete", img))
    # the SVG loaded and was drawn under the page's CSP (img-src 'self')
    assert browser.execute_script("return arguments[0].naturalWidth", img) > 100
    assert browser.find_elements(By.CSS_SELECTOR, "table.timeline tbody tr")
    _shot(browser, "timeline")


def test_oversized_claim_gets_a_readable_413_from_the_real_server(
        server: SimpleNamespace) -> None:
    # over the 16 kB check limit but under the 5 MB default: the server reads the body
    # (discarding it) and answers, so a client still sending sees the 413, not a reset
    host, port = server.url.removeprefix("http://").split(":")
    body = ('{"claim": "' + "x" * 400_000 + '"}').encode()
    conn = http.client.HTTPConnection(host, int(port), timeout=30)
    try:
        conn.request("POST", "/api/check", body=body,
                     headers={"Content-Type": "application/json",
                              "Authorization": f"Bearer {server.token}"})
        response = conn.getresponse()
        assert response.status == 413
        assert b"16384-byte" in response.read()
        # the connection is still usable
        conn.request("GET", "/api/health")
        assert conn.getresponse().status == 200
    finally:
        conn.close()
