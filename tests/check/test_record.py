"""Recording checks: a new check, a new run of an earlier one, or a linked suggestion.

The claims' vectors are chosen here (a fixed table instead of the embedding
model), so each case sits where it should relative to AUTO_MATCH and
SUGGEST_MATCH.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import numpy as np
import pytest

from corridor.check.matching import AUTO_MATCH, SUGGEST_MATCH, claim_key
from corridor.check.record import record_check
from corridor.check.verdict import Verdict
from corridor.store.sqlite import SQLiteStore

FIRST = "Pakistan and China held the fourth meeting of the ports working group."
REWORDED = "The fourth ports working group meeting was held by Pakistan and China."
OTHER_DETAIL = "Pakistan and China held the fifth meeting of the ports working group."
RELATED = "China trained Pakistani port engineers at its maritime academies."


def _unit(cos: float, axis: int = 1) -> np.ndarray:
    """A unit vector whose cosine with (1, 0, 0) is ``cos``, leaning towards ``axis``."""
    vec = np.zeros(3, dtype=np.float32)
    vec[0], vec[axis] = cos, np.sqrt(1 - cos * cos)
    return vec


class TableEmbedder:
    """Each claim's vector from a table (the checker's embedder interface)."""

    model_id = "table-test"

    def __init__(self, vectors: dict[str, np.ndarray]) -> None:
        self.vectors = vectors

    def embed(self, texts: list[str]) -> np.ndarray:
        return np.stack([self.vectors[t] for t in texts])


EMBEDDER = TableEmbedder({
    FIRST: _unit(1.0),
    REWORDED: _unit(0.97),
    OTHER_DETAIL: _unit(0.98),
    RELATED: _unit(0.85, axis=2),  # 0.85 * 0.98 = 0.833 with OTHER_DETAIL
})


def _verdict(claim: str, verdict: str = "SUPPORTED") -> Verdict:
    return Verdict(claim=claim, verdict=verdict, confidence=0.9, reason="test", judge="test")


@pytest.fixture
def store(tmp_path: Path) -> SQLiteStore:
    return SQLiteStore(str(tmp_path / "pool.db"))


def _links(db: str) -> list[tuple[int, int, str]]:
    conn = sqlite3.connect(db)
    try:
        return conn.execute("SELECT check_id, matched_id, kind FROM claim_links "
                            "ORDER BY check_id").fetchall()
    finally:
        conn.close()


def test_thresholds_bracket_the_table() -> None:
    assert SUGGEST_MATCH < 0.85 < AUTO_MATCH < 0.97


def test_a_new_claim_is_a_new_check(store: SQLiteStore) -> None:
    verdict = _verdict(FIRST)
    check_id = record_check(store, FIRST, verdict, EMBEDDER)  # type: ignore[arg-type]
    assert verdict.check_id == check_id and verdict.matches == []
    found = store.find_check(claim_key(FIRST))
    assert found is not None and found.id == check_id and found.claim == FIRST


def test_the_same_wording_is_a_new_run(store: SQLiteStore) -> None:
    first = record_check(store, FIRST, _verdict(FIRST), EMBEDDER)  # type: ignore[arg-type]
    again = _verdict(FIRST, "REFUTED")
    assert record_check(store, FIRST, again, EMBEDDER) == first  # type: ignore[arg-type]
    assert [r.verdict for r in store.check_runs(first)] == ["SUPPORTED", "REFUTED"]
    assert store.get_check(first).verdict == "REFUTED"


def test_a_rewording_agreeing_on_every_detail_is_a_run_of_the_earlier_check(
        store: SQLiteStore) -> None:
    first = record_check(store, FIRST, _verdict(FIRST), EMBEDDER)  # type: ignore[arg-type]
    verdict = _verdict(REWORDED)
    assert record_check(store, REWORDED, verdict, EMBEDDER) == first  # type: ignore[arg-type]
    assert [(m["check_id"], m["kind"]) for m in verdict.matches] == [(first, "auto")]
    assert store.get_check(first).claim == FIRST  # the check keeps its first wording
    assert len(store.check_runs(first)) == 2
    assert _links(store.path) == []


def test_a_detail_mismatch_or_a_lower_similarity_is_a_suggestion(store: SQLiteStore) -> None:
    first = record_check(store, FIRST, _verdict(FIRST), EMBEDDER)  # type: ignore[arg-type]
    fifth = _verdict(OTHER_DETAIL)
    fifth_id = record_check(store, OTHER_DETAIL, fifth, EMBEDDER)  # type: ignore[arg-type]
    assert fifth_id != first
    assert [(m["check_id"], m["kind"]) for m in fifth.matches] == [(first, "suggested")]
    assert fifth.matches[0]["differs"]  # the ordinal kept it from an automatic match
    related = _verdict(RELATED)
    related_id = record_check(store, RELATED, related, EMBEDDER)  # type: ignore[arg-type]
    assert related_id not in (first, fifth_id)
    assert {m["check_id"] for m in related.matches} == {first, fifth_id}
    assert {m["kind"] for m in related.matches} == {"suggested"}
    assert _links(store.path) == [(fifth_id, first, "suggested"),
                                  (related_id, first, "suggested"),
                                  (related_id, fifth_id, "suggested")]
