"""Shared helpers for the atheris harnesses (see ``fuzz/run.py``).

A harness turns fuzzer bytes into a call of one Corridor entry point. The
contract it enforces is the project's: bad input may raise a
:class:`corridor.errors.CorridorError` (with a code and a message), anything
else escaping is a crash; outputs must also satisfy the invariants each
harness asserts (offsets within bounds, valid ISO dates...). An
``AssertionError`` counts as a crash too.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from datetime import date, timedelta

import atheris

__all__ = ["check_iso_date", "fuzz_main", "mode_and_text"]


def check_iso_date(value: str | None) -> None:
    """``value`` is None or a real ISO date no later than tomorrow (parse_date's rule)."""
    if value is None:
        return
    assert isinstance(value, str) and len(value) == 10, value
    day = date.fromisoformat(value)
    assert day <= date.today() + timedelta(days=1), value


def mode_and_text(data: bytes, modes: int) -> tuple[int, str]:
    """First byte: which entry point (mod ``modes``); the rest: UTF-8 text.

    Text seeds and dictionaries (``fuzz/seeds``, ``fuzz/dicts``) are then plain
    UTF-8, and mutated bytes that are not UTF-8 still give text (U+FFFD).
    """
    if not data:
        return 0, ""
    return data[0] % modes, data[1:].decode("utf-8", errors="replace")


def fuzz_main(test_one_input: Callable[[bytes], None]) -> None:
    """libFuzzer's command line: ``python fuzz/fuzz_X.py [corpus...] [-flags]``;
    given files instead of folders it runs just those inputs (crash repros)."""
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()
