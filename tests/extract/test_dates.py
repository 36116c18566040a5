"""Relative and absolute date phrases resolved against the publication date."""

from __future__ import annotations

import pytest

from corridor.extract import find_date_phrases, resolve_date

PUB = "2025-02-06"  # a Thursday


@pytest.mark.parametrize(
    ("phrase", "future", "expected"),
    [
        ("today", False, "2025-02-06"),
        ("yesterday", False, "2025-02-05"),
        ("tomorrow", False, "2025-02-07"),
        ("on Monday", False, "2025-02-03"),
        ("on Thursday", False, "2025-02-06"),
        ("on Friday", False, "2025-01-31"),
        ("on Friday", True, "2025-02-07"),
        ("next Monday", False, "2025-02-10"),
        ("last Thursday", False, "2025-01-30"),
        ("6th Feb, 2025", False, "2025-02-06"),
        ("February, 22, 2024", False, "2024-02-22"),
        ("Dec 30", False, "2024-12-30"),
        ("2025-11-11", False, "2025-11-11"),
        ("last week", False, None),
        ("in March 2020", False, None),
    ],
)
def test_resolve(phrase: str, future: bool, expected: str | None) -> None:
    assert resolve_date(phrase, PUB, future=future) == expected


def test_without_publication_date_relative_phrases_stay_unresolved() -> None:
    assert resolve_date("on Monday", None) is None
    assert resolve_date("today", None) is None
    assert resolve_date("February 22, 2024", None) == "2024-02-22"


def test_find_phrases_with_offsets() -> None:
    text = "The ministers met on Monday and will meet again next Friday, officials said today."
    found = find_date_phrases(text)
    assert [p.text for p in found] == ["on Monday", "next Friday", "today"]
    for p in found:
        assert text[p.start : p.end] == p.text
