"""The HTML report: self-contained, escaped, with every section."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from corridor.cli import app
from corridor.errors import ConfigError, NotFound
from corridor.service import Corridor


def test_report_is_self_contained_and_escaped(report_pool: Corridor) -> None:
    page = report_pool.report()
    assert page.startswith("<!DOCTYPE html>")
    for heading in ("Timeline", "Top entities", "Pledges", "Recent events", "Checked claims"):
        assert f"<h2>{heading}</h2>" in page
    assert re.search(r'<img src="data:image/png;base64,[A-Za-z0-9+/=]{200,}"', page)
    # nothing is fetched: no scripts, no external styles, images or frames
    assert "<script" not in page.lower()
    assert not re.search(r'<(?:link|script|iframe)\b', page, re.I)
    assert not re.search(r'\bsrc="(?!data:)', page)
    # the article's markup is shown as text
    assert "&lt;script&gt;" in page or "&lt;img" in page
    assert "onerror=alert" not in page.replace("&lt;img src=x onerror=alert(1)&gt;", "")
    assert "Complete the Karot Hydropower Project" in page
    assert "https://test.example/energy-3" in page  # a cited source, linked


def test_scoped_reports(report_pool: Corridor) -> None:
    karot = report_pool.report(project="Karot Hydropower Project")
    assert "project Karot Hydropower Project" in karot
    assert "Complete the Karot Hydropower Project" in karot
    assert "Orange Line" not in karot.split("<h2>Pledges</h2>")[1].split("<h2>")[0]
    energy = report_pool.report(sector="energy")
    assert "sector Energy" in energy
    assert "Pakistan" in report_pool.report(entity="Pakistan")
    with pytest.raises(NotFound):
        report_pool.report(project="Nowhere Bridge")
    with pytest.raises(ConfigError):
        report_pool.report(sector="cooking")


def test_cli_report(report_pool: Corridor, tmp_path: Path) -> None:
    out = tmp_path / "report.html"
    runner = CliRunner()
    res = runner.invoke(app, ["report", "--db", report_pool.settings.db,
                              "--project", "Karot Hydropower Project", "--out", str(out)])
    assert res.exit_code == 0, res.output
    assert "<h2>Pledges</h2>" in out.read_text(encoding="utf-8")
    res = runner.invoke(app, ["report", "--db", report_pool.settings.db,
                              "--out", str(tmp_path / "no" / "such" / "dir.html")])
    assert res.exit_code == 2
