"""The atheris harnesses in fuzz/ still run: each replays its seeds (and a few
odd inputs) in-process, so a renamed function or a changed contract shows up
in the suite and not only when someone fuzzes."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

FUZZ = Path(__file__).resolve().parents[2] / "fuzz"
pytest.importorskip("atheris")


def _load(name: str) -> ModuleType:
    if str(FUZZ) not in sys.path:
        sys.path.insert(0, str(FUZZ))
    spec = importlib.util.spec_from_file_location(f"corridor_fuzz_{name}", FUZZ / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("target", ["decode", "clean", "dates", "feeds", "claims", "fts"])
def test_harness_replays_its_seeds(target: str) -> None:
    seeds = _load("seeds")
    harness = _load(f"fuzz_{target}")
    inputs = [*seeds.SEEDS[target], b"", b"\x00", b"\xff" * 64, bytes(range(256))]
    for data in inputs:
        harness.test_one_input(data)
    assert seeds.DICTS[target]
