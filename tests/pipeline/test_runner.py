from __future__ import annotations

import pytest

from corridor.document import Document
from corridor.errors import StageError
from corridor.pipeline import CollectErrors, Drop, Pipeline, StageFailed, stage


@stage("upper", requires=["raw_text"], assigns=["text"])
def upper(doc: Document) -> Document:
    doc.text = (doc.raw_text or "").upper()
    return doc


@stage("count", requires=["text"], assigns=["extra"])
def count(doc: Document) -> Document:
    doc.extra["words"] = len(doc.text.split())
    return doc


@stage("boom", requires=["text"])
def boom(doc: Document) -> Document:
    raise ValueError("broken stage")


@stage("not_a_doc", requires=["text"])
def not_a_doc(doc: Document) -> Document:
    return "oops"  # type: ignore[return-value]


def test_stages_run_in_order() -> None:
    pipe = Pipeline([upper, count])
    doc = pipe(Document("k", raw_text="two words"))
    assert doc is not None and doc.text == "TWO WORDS" and doc.extra["words"] == 2
    assert pipe.names == ["upper", "count"]


def test_requirements_checked_when_built() -> None:
    with pytest.raises(StageError, match="requires"):
        Pipeline([count, upper])


def test_unknown_field_rejected() -> None:
    with pytest.raises(StageError, match="unknown Document fields"):
        stage("bad", requires=["nope"])(lambda d: d)


def test_default_handler_raises_with_stage_name() -> None:
    with pytest.raises(StageFailed, match="boom"):
        Pipeline([upper, boom])(Document("k", raw_text="x"))


def test_collect_handler_keeps_failures() -> None:
    handler = CollectErrors()
    pipe = Pipeline([upper, boom], on_error=handler)
    assert list(pipe.pipe([Document("a", raw_text="x"), Document("b", raw_text="y")])) == []
    assert [f.doc.source_key for f in handler.failures] == ["a", "b"]
    assert isinstance(handler.failures[0].error, ValueError)


def test_stage_must_return_document() -> None:
    handler = CollectErrors()
    Pipeline([upper, not_a_doc], on_error=handler)(Document("k", raw_text="x"))
    assert isinstance(handler.failures[0].error, StageError)


def test_drop_is_handed_to_handler() -> None:
    @stage("dropper", requires=["text"])
    def dropper(doc: Document) -> Document:
        raise Drop("too_short", "1 word")

    handler = CollectErrors()
    Pipeline([upper, dropper], on_error=handler)(Document("k", raw_text="x"))
    err = handler.failures[0].error
    assert isinstance(err, Drop) and err.reason == "too_short"
