"""Events per month: aggregation, filters, terminal table and plots."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from corridor.cli import app
from corridor.errors import ConfigError, NotFound
from corridor.report.plot import plot_bytes, save_plot
from corridor.report.timeline import Timeline, aggregate, event_sectors, month_range
from corridor.service import Corridor
from corridor.store.base import Citation, EventRecord


def _event(i: int, type_: str, date: str | None, published: str | None = None,
           doc: str = "d1", start: int = 0) -> EventRecord:
    return EventRecord(id=i, type=type_, plover=None, date=date, date_phrase=None, place=None,
                       ordinal=None, participants=[], participant_names=[],
                       citation=Citation(doc, start, start + 10, "s", published=published))


def test_month_range_crosses_years() -> None:
    assert month_range("2023-11", "2024-02") == ["2023-11", "2023-12", "2024-01", "2024-02"]


def test_aggregate_by_type_fills_empty_months() -> None:
    events = [_event(1, "MEET", "2024-01-05"), _event(2, "MEET", "2024-03-30"),
              _event(3, "SIGN", None, published="2024-03-02"), _event(4, "CALL", None)]
    tl = aggregate(events, {}, "type", {})
    assert tl.months == ["2024-01", "2024-02", "2024-03"]
    assert tl.series == {"MEET": [1, 0, 1], "SIGN": [0, 0, 1]}
    assert tl.totals == [1, 0, 2] and tl.total == 3 and tl.undated == 1
    assert json.loads(json.dumps(tl.to_dict()))["series"]["MEET"] == [1, 0, 1]


def test_event_sectors_prefer_the_sentence() -> None:
    events = [_event(1, "MEET", "2024-01-05", start=0), _event(2, "MEET", "2024-01-06",
                                                                start=50)]
    rows = {"d1": [("energy", 0, 10), ("trade", 100, 120), ("trade", 130, 140)]}
    got = event_sectors(events, rows)
    assert got[1] == ["energy"]  # its own sentence
    assert got[2] == ["trade", "energy"]  # the article's, most supported first
    tl = aggregate(events, got, "sector", {})
    assert tl.series == {"energy": [1], "trade": [1]}


def test_timeline_of_a_pool(report_pool: Corridor) -> None:
    everything = report_pool.timeline()
    dated = [e for e in report_pool.events(limit=1000)
             if e.date or e.citation.published]
    assert everything.total == len(dated) > 0
    karot = report_pool.timeline(entity="Karot Hydropower Project")
    assert 0 < karot.total < everything.total
    assert report_pool.timeline(since="2025-01-01").months[0] >= "2025-01"
    by_sector = report_pool.timeline(by="sector")
    assert by_sector.total == everything.total
    with pytest.raises(ConfigError):
        report_pool.timeline(by="colour")
    with pytest.raises(ConfigError):
        report_pool.timeline(event_type="PARTY")
    with pytest.raises(NotFound):
        report_pool.timeline(entity="Nobody Atall")


def test_plots(tmp_path: Path) -> None:
    tl = Timeline(by="type", months=["2024-01", "2024-02"],
                  series={"MEET": [1, 2], "SIGN": [0, 1]})
    assert plot_bytes(tl, "png").startswith(b"\x89PNG\r\n\x1a\n")
    svg = plot_bytes(tl, "svg")
    assert b"<svg" in svg and b"meet" in svg
    assert plot_bytes(Timeline(by="type"), "png").startswith(b"\x89PNG")  # empty: a note
    many = Timeline(by="sector", months=["2024-01"], series={f"s{i}": [i] for i in range(15)})
    assert b"other" in plot_bytes(many, "svg")
    with pytest.raises(ConfigError):
        save_plot(tl, tmp_path / "plot.gif")
    with pytest.raises(ConfigError):
        save_plot(tl, tmp_path / "missing-folder" / "plot.png")


def test_cli_timeline(report_pool: Corridor, tmp_path: Path) -> None:
    db = report_pool.settings.db
    runner = CliRunner()
    png, svg = tmp_path / "t.png", tmp_path / "t.svg"
    res = runner.invoke(app, ["timeline", "--db", db, "--plot", str(png)])
    assert res.exit_code == 0, res.output
    assert "Events per month by type" in res.stdout
    assert png.read_bytes().startswith(b"\x89PNG")
    res = runner.invoke(app, ["timeline", "--db", db, "--by", "sector", "--plot", str(svg),
                              "--json"])
    assert res.exit_code == 0, res.output
    assert json.loads(res.stdout)["by"] == "sector" and b"<svg" in svg.read_bytes()
    res = runner.invoke(app, ["timeline", "--db", db, "--plot", str(tmp_path / "t.bmp")])
    assert res.exit_code == 2
    assert runner.invoke(app, ["timeline", "--db", db, "--since", "2030-01-01"]).exit_code == 0
