"""The command line, through Typer's CliRunner and once as a real process."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from corridor.cli import app
from corridor.service import Corridor

ARTICLE = """Delegations agree on a water management training plan

QUETTA: Delegations from the two countries agreed on Wednesday to run a water management
training programme for irrigation engineers, starting next spring, officials said after
the meeting in the provincial capital. The programme will cover canal lining, drip
irrigation and flood forecasting, and about sixty engineers will take part in the first year.
"""

runner = CliRunner()


@pytest.fixture
def db(tmp_path: Path) -> str:
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "water.txt").write_text(ARTICLE, encoding="utf-8")
    (folder / "bad.txt").write_bytes(b"\x00\x01\x02binary\x00" * 50)
    path = str(tmp_path / "pool.db")
    result = runner.invoke(app, ["ingest", str(folder), "--db", path, "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["stored"] == 1 and report["quarantined"] == {"binary": 1}
    return path


def test_help_lists_every_command() -> None:
    result = runner.invoke(app, ["--help"])
    assert result.exit_code == 0
    for command in ("ingest", "search", "show", "stats", "quarantine"):
        assert command in result.stdout


def test_search_show_stats_quarantine(db: str) -> None:
    result = runner.invoke(app, ["search", "irrigation", "--db", db, "--json"])
    assert result.exit_code == 0, result.output
    [hit] = json.loads(result.stdout)["hits"]
    start, end = hit["highlights"][0]
    assert hit["snippet"][start:end].lower() == "irrigation"
    shown = json.loads(runner.invoke(app, ["show", hit["doc_id"], "--db", db, "--json"]
                                     ).stdout)["document"]
    assert shown["dateline_place"] == "Quetta"
    assert "sixty engineers" in shown["text"]
    assert shown["title"] == "Delegations agree on a water management training plan"
    text = runner.invoke(app, ["search", "irrigation", "--db", db]).stdout
    assert "water management" in text
    stats = json.loads(runner.invoke(app, ["stats", "--db", db, "--json"]).stdout)
    assert stats["documents"] == 1 and stats["quarantined"] == 1
    [rec] = json.loads(runner.invoke(app, ["quarantine", "--db", db, "--json"]
                                     ).stdout)["records"]
    assert rec["code"] == "binary" and rec["source_key"].endswith("bad.txt")
    assert "Quarantine" in runner.invoke(app, ["quarantine", "--db", db]).stdout


def test_errors_are_clear(db: str) -> None:
    result = runner.invoke(app, ["show", "nope", "--db", db])
    assert result.exit_code == 1 and "no document" in result.stderr
    result = runner.invoke(app, ["search", "x", "--since", "someday", "--db", db])
    assert result.exit_code == 2 and "date" in result.stderr
    assert runner.invoke(app, ["search", "nothingmatches", "--db", db]).stdout.startswith("No ")


def test_console_script_runs(tmp_path: Path) -> None:
    exe = Path(sys.executable).with_name("corridor")
    cmd = [str(exe)] if exe.exists() else [sys.executable, "-m", "corridor.cli"]
    Corridor(str(tmp_path / "x.db")).close()  # an empty pool (stats does not create one)
    proc = subprocess.run([*cmd, "stats", "--db", str(tmp_path / "x.db"), "--json"],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["documents"] == 0
    missing = subprocess.run([*cmd, "stats", "--db", str(tmp_path / "typo.db")],
                             capture_output=True, text=True, timeout=120)
    assert missing.returncode == 2 and "no Corridor pool" in missing.stderr
    assert "Traceback" not in missing.stderr and not (tmp_path / "typo.db").exists()


# -- start-up (issue 14): what a command imports --------------------------------------

#: modules that only the commands needing them may load
HEAVY = ("spacy", "onnxruntime", "numpy", "scipy", "datasketch", "trafilatura", "dateparser",
         "fastapi", "uvicorn", "matplotlib", "tokenizers")


def _loaded_after(code: str) -> dict[str, list[str]]:
    """Which HEAVY modules (and rich, the service) a fresh interpreter has after ``code``."""
    probe = (f"import json, sys\n{code}\n"
             f"print(json.dumps({{'heavy': [m for m in {HEAVY!r} if m in sys.modules], "
             "'light': [m for m in ('rich', 'corridor.service') if m in sys.modules]}))")
    proc = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                          timeout=120, check=False)
    assert proc.returncode == 0, proc.stderr
    loaded: dict[str, list[str]] = json.loads(proc.stdout.splitlines()[-1])
    return loaded


def test_importing_the_cli_loads_nothing_heavy() -> None:
    """`corridor --help` pays for typer only: no NLP, models, numpy, web stack or rich."""
    loaded = _loaded_after("import corridor.cli")
    assert loaded == {"heavy": [], "light": []}


def test_help_loads_nothing_heavy() -> None:
    loaded = _loaded_after(
        "import corridor.cli\nsys.argv = ['corridor', '--help']\n"
        "try:\n    corridor.cli.main()\nexcept SystemExit:\n    pass")
    assert loaded == {"heavy": [], "light": []}


def test_keyword_search_loads_no_models(tmp_path: Path) -> None:
    """`corridor search` opens the pool and prints with rich, nothing more."""
    db = str(tmp_path / "pool.db")
    with Corridor(db) as pool:
        pool.ingest_articles([{"title": "Water plan", "text": ARTICLE}], extract=False)
    loaded = _loaded_after(
        "import corridor.cli\n"
        f"sys.argv = ['corridor', 'search', 'irrigation', '--db', {db!r}]\n"
        "try:\n    corridor.cli.main()\nexcept SystemExit as exc:\n    assert not exc.code\n")
    assert loaded == {"heavy": [], "light": ["rich", "corridor.service"]}


def test_events_mark_an_inferred_date_as_such(tmp_path: Path) -> None:
    article = tmp_path / "talks.txt"
    article.write_text(
        "Ministers hold talks on river data\n\n"
        "ISLAMABAD, March 12, 2025: Foreign Minister Amina Qadir met Ambassador Liu Dongsheng "
        "on Monday to discuss sharing river flow data during the flood season. The two "
        "officials agreed to set up a joint technical committee before June.\n", "utf-8")
    path = str(tmp_path / "pool.db")
    assert runner.invoke(app, ["ingest", str(article), "--db", path]).exit_code == 0
    rows = json.loads(runner.invoke(app, ["events", "--db", path, "--json"]).stdout)["events"]
    met = [r for r in rows if r["type"] == "MEET"]
    assert met and met[0]["date"] is None and met[0]["date_inferred"] == "2025-03-10"
    text = runner.invoke(app, ["events", "--db", path]).stdout
    assert "~2025-03-10 (inferred from 'on Monday')" in text
