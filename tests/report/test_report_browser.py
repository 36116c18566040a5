"""The report opened in real headless Chromium from a file: it renders, its plot
image decodes, no script runs, and the page asks for nothing from any network.

Needs Debian's ``chromium`` and ``chromium-driver`` and selenium; skips with a
message when they are absent. ``CORRIDOR_SCREENSHOTS=DIR`` saves a screenshot.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from corridor.service import Corridor

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
DRIVER = shutil.which("chromedriver")
try:
    from selenium import webdriver
    from selenium.webdriver.chrome.options import Options
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.common.by import By
except ImportError:  # pragma: no cover - the dev extra installs it
    webdriver = None  # type: ignore[assignment]

pytestmark = pytest.mark.skipif(
    webdriver is None or CHROMIUM is None or DRIVER is None,
    reason="headless Chromium not available: apt-get install -y chromium chromium-driver",
)

FLAGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-dev-shm-usage", "--window-size=1200,1000", "--lang=en-US"]


def test_report_renders_offline(report_pool: Corridor, tmp_path: Path) -> None:
    page = tmp_path / "report.html"
    page.write_text(report_pool.report(), encoding="utf-8")
    options = Options()
    assert CHROMIUM is not None and DRIVER is not None
    options.binary_location = CHROMIUM
    for flag in FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={tmp_path / 'profile'}")
    driver = webdriver.Chrome(options=options, service=Service(executable_path=DRIVER))
    try:
        driver.get(page.as_uri())
        assert driver.title.startswith("Corridor report")
        img = driver.find_element(By.CSS_SELECTOR, "figure img")
        assert driver.execute_script(
            "return arguments[0].complete && arguments[0].naturalWidth", img) > 300
        # the article's <script> and <img onerror> arrived as text, not as elements
        assert driver.execute_script("return document.scripts.length") == 0
        assert len(driver.find_elements(By.TAG_NAME, "img")) == 1
        assert "<script>" in driver.find_element(By.TAG_NAME, "body").text or \
            "<img src=x" in driver.find_element(By.TAG_NAME, "body").text
        # every resource the page loaded is the page itself or inline data
        urls = driver.execute_script(
            "return performance.getEntriesByType('resource').map(e => e.name)")
        assert all(u.startswith(("data:", "file:")) for u in urls), urls
        rows = driver.find_elements(By.CSS_SELECTOR, "section table tbody tr")
        assert len(rows) >= 3
        shots = os.environ.get("CORRIDOR_SCREENSHOTS")
        if shots:
            driver.set_window_size(1200, 3000)
            driver.save_screenshot(str(Path(shots) / "report.png"))
    finally:
        driver.quit()
