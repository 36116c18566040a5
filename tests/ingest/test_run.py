"""An ingest run's bookkeeping (``corridor.ingest.run``) on a real SQLite store."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from corridor.document import Document, Failure
from corridor.errors import CorridorError, MalformedInput
from corridor.ingest import run
from corridor.ingest.run import (
    IngestReport,
    article_item,
    error_code_message,
    finish_run,
    ingest_inputs,
    ingest_pipeline,
    start_run,
)
from corridor.settings import Settings
from corridor.store.sqlite import SQLiteStore
from tests.test_service import PORT, RAIL, SCHOOL


@pytest.fixture
def pool(tmp_path: Path) -> Iterator[tuple[SQLiteStore, Settings]]:
    db = str(tmp_path / "pool.db")
    store = SQLiteStore(db)
    yield store, Settings(db=db)
    store.close()


def _ingest(store: SQLiteStore, settings: Settings,
            items: list[Document | Failure]) -> tuple[IngestReport, list[tuple[str, str, str]]]:
    report, seen = IngestReport(), []
    ingest_inputs(store, settings, items, ingest_pipeline(settings), report,
                  lambda *outcome: seen.append(outcome))
    return report, seen


ARTICLES = [
    {"url": "https://a.example/rail", "text": RAIL},
    {"url": "https://b.example/rail-copy", "text": RAIL},  # the same text elsewhere
    {"text": "Too short."},
    {"title": "no body"},
    {"url": "https://c.example/port", "html": f"<html><body><p>{PORT}</p></body></html>"},
]


def test_each_input_is_stored_linked_dropped_or_quarantined(
        pool: tuple[SQLiteStore, Settings]) -> None:
    store, settings = pool
    report, seen = _ingest(store, settings, [article_item(a) for a in ARTICLES])
    assert [o for o, _, _ in seen] == ["stored", "duplicate", "dropped", "quarantined", "stored"]
    assert seen[1][2] == f"exact of {seen[0][2]}"
    assert seen[2][2] == "too_short"
    assert seen[3][2].startswith("malformed: the article has neither")
    assert report.to_dict() == {
        "inputs": 5, "extracted": 0, "stored": 2, "duplicates": {"exact": 1}, "unchanged": 0,
        "dropped": {"too_short": 1}, "quarantined": {"malformed": 1}, "seconds": 0.0}
    assert report.stored_ids == [seen[0][2], seen[4][2]]
    assert store.get_document(seen[0][2]).url == "https://a.example/rail"
    [kept] = store.quarantined(10)
    assert kept.code == "malformed" and kept.origin == "api"


def test_a_second_run_recognises_what_is_stored(pool: tuple[SQLiteStore, Settings]) -> None:
    store, settings = pool
    _ingest(store, settings, [article_item(a) for a in ARTICLES])
    again, seen = _ingest(store, settings, [article_item(a) for a in ARTICLES])
    assert again.stored == 0 and again.unchanged == 3  # stored and linked inputs
    assert [o for o, _, _ in seen] == ["unchanged", "unchanged", "dropped", "quarantined",
                                       "unchanged"]


def test_a_failure_is_quarantined_with_its_first_bytes(
        pool: tuple[SQLiteStore, Settings]) -> None:
    store, settings = pool
    settings.quarantine_keep_bytes = 4
    failure = Failure("feed.xml", MalformedInput("not XML"), "file", b"<rss broken", None)
    report, seen = _ingest(store, settings, [failure])
    assert seen == [("quarantined", "feed.xml", "malformed: not XML")]
    [kept] = store.quarantined(10)
    assert (kept.source_key, kept.stage, kept.raw_size) == ("feed.xml", None, 11)
    assert report.quarantined == {"malformed": 1}


def test_an_exception_rolls_back_the_open_batch_only(
        pool: tuple[SQLiteStore, Settings], monkeypatch: pytest.MonkeyPatch) -> None:
    store, settings = pool
    monkeypatch.setattr(run, "COMMIT_EVERY", 2)
    monkeypatch.setattr(run, "COMMIT_SECONDS", 3600.0)  # batches by count only

    def inputs() -> Iterator[Document | Failure]:
        for text in (RAIL, PORT, SCHOOL):
            yield article_item({"text": text})
        raise KeyboardInterrupt  # the third input's batch is still open

    report = IngestReport()
    with pytest.raises(KeyboardInterrupt):
        ingest_inputs(store, settings, inputs(), ingest_pipeline(settings), report)
    assert report.stored == 3
    assert store.document_count() == 2  # the first batch (two inputs) was committed


def test_runs_are_recorded(pool: tuple[SQLiteStore, Settings]) -> None:
    store, _ = pool
    run_id = start_run(store, ["folder/"])
    finish_run(store, run_id, IngestReport(inputs=3, stored=1))
    assert start_run(store, ["again/"]) == run_id + 1


def test_article_keys_and_bodies() -> None:
    keyed = article_item({"url": " https://x.example/a ", "text": "Body.", "lang": "ur"})
    assert isinstance(keyed, Document)
    assert (keyed.source_key, keyed.fmt, keyed.extra) == ("https://x.example/a", "text",
                                                          {"hint_lang": "ur"})
    one, two = article_item({"text": "Body.", "title": "T"}), article_item(
        {"title": "T", "text": "Body."})
    assert one.source_key == two.source_key and one.source_key.startswith("api#")
    html = article_item({"text": "  ", "html": "<p>Body.</p>"})
    assert isinstance(html, Document) and html.fmt == "html"
    missing = article_item({"title": "T"})
    assert isinstance(missing, Failure) and isinstance(missing.error, MalformedInput)


def test_error_code_message() -> None:
    assert error_code_message(MalformedInput("bad")) == ("malformed", "bad")
    assert error_code_message(ValueError("boom")) == (
        "internal", "unexpected error (please report): ValueError: boom")
    assert isinstance(MalformedInput("x"), CorridorError)
