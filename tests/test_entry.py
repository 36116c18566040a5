"""A missing or broken dependency gives one clear line, never a traceback."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from corridor.service import Corridor

ROOT = Path(__file__).resolve().parents[1]


def _broken(tmp_path: Path, package: str) -> dict[str, str]:
    """An environment where importing ``package`` fails as a broken install does."""
    fake = tmp_path / "broken" / package
    fake.mkdir(parents=True)
    (fake / "__init__.py").write_text(
        f"raise ImportError('libfake.so: cannot open shared object file', name={package!r})\n")
    env = {k: v for k, v in os.environ.items() if not k.startswith("CORRIDOR_")}
    env["PYTHONPATH"] = os.pathsep.join([str(tmp_path / "broken"), str(ROOT)])
    return env


def _corridor(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    code = "import sys; from corridor._entry import main; sys.argv[0] = 'corridor'; main()"
    return subprocess.run([sys.executable, "-c", code, *args], env=env, capture_output=True,
                          text=True, timeout=120, check=False)


@pytest.fixture(scope="module")
def pool_db(tmp_path_factory: pytest.TempPathFactory) -> str:
    db = str(tmp_path_factory.mktemp("entry") / "pool.db")
    with Corridor(db) as pool:
        pool.ingest_articles([{"title": "Port talks", "text": (
            "Officials of Avalon and Borduria met in Northtown on Monday to discuss a new "
            "river port and agreed to set up a working group on logistics and customs.")}],
            extract=False)
    return db


def test_help_with_a_broken_package(tmp_path: Path) -> None:
    res = _corridor(["--help"], _broken(tmp_path, "typer"))
    assert res.returncode == 3, res.stderr
    assert "Traceback" not in res.stderr
    assert "error [dependency] the package 'typer' is missing or broken" in res.stderr
    assert "pip install" in res.stderr


def test_broken_rich_spares_help_and_fails_clearly_on_output(
        tmp_path: Path, pool_db: str) -> None:
    """rich loads only when a command prints with it (start-up, issue 14): --help
    works without it, a command that prints says what is broken."""
    env = _broken(tmp_path, "rich")
    helped = _corridor(["--help"], env)
    assert helped.returncode == 0, helped.stderr
    assert "Usage: corridor" in helped.stdout
    res = _corridor(["search", "port", "--db", pool_db], env)
    assert res.returncode == 3, res.stderr
    assert "Traceback" not in res.stderr
    assert "error [dependency] the package 'rich' is missing or broken" in res.stderr
    assert "pip install" in res.stderr


def test_check_with_a_broken_onnxruntime(tmp_path: Path, pool_db: str) -> None:
    res = _corridor(["check", "Officials met in Northtown.", "--db", pool_db],
                    _broken(tmp_path, "onnxruntime"))
    assert res.returncode in (2, 3), res.stderr
    assert "Traceback" not in res.stderr
    assert "onnxruntime" in res.stderr and "pip install" in res.stderr


def test_search_with_a_broken_spacy(tmp_path: Path, pool_db: str) -> None:
    """Keyword search needs no NLP: it answers, or says clearly what is broken."""
    res = _corridor(["search", "port", "--db", pool_db], _broken(tmp_path, "spacy"))
    assert "Traceback" not in res.stderr
    if res.returncode == 0:
        assert "Port talks" in res.stdout
    else:
        assert "spacy" in res.stderr and "pip install" in res.stderr
