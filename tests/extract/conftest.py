"""Shared fixtures: the spaCy pipeline is loaded once per test session and mode."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest

from corridor.document import Document
from corridor.extract import extract, get_nlp

MODES = ["auto", "rules"]


@pytest.fixture(scope="session", autouse=True)
def _warm_pipelines() -> None:
    for mode in MODES:
        get_nlp(mode)


@pytest.fixture(params=MODES)
def mode(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    monkeypatch.setenv("CORRIDOR_NLP", request.param)
    yield request.param


Extract = Callable[..., Document]


@pytest.fixture
def run() -> Extract:
    def _run(
        text: str,
        published: str | None = "2025-02-06",
        lang: str | None = "en",
        dateline_place: str | None = None,
    ) -> Document:
        doc = Document(
            source_key="test",
            text=text,
            published=published,
            lang=lang,
            dateline_place=dateline_place,
        )
        out = extract(doc)
        for m in out.mentions:
            assert out.text[m.start : m.end] == m.text
        for s in out.sentences:
            assert out.text[s.start : s.end] == s.text
        for e in out.events:
            assert 0 <= e.start < e.end <= len(out.text)
        for c in out.commitments:
            assert 0 <= c.start < c.end <= len(out.text)
        for h in out.sectors:
            assert any(s.start == h.start and s.end == h.end for s in out.sentences)
        return out

    return _run
