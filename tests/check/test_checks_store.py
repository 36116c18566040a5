"""Stored checks: history, claim matching thresholds, ClaimReview JSON-LD."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from corridor.check.matching import AUTO_MATCH, SUGGEST_MATCH, claim_key
from corridor.cli import app
from corridor.errors import NotFound
from corridor.service import Corridor

CLAIM = "Pakistan and China held the fourth meeting of the Joint Working Group on Ports."


def test_same_claim_adds_to_history(pool: Corridor) -> None:
    first = pool.check(CLAIM)
    again = pool.check("  pakistan and china held the fourth meeting of the Joint Working "
                       "Group on Ports ")
    assert first.check_id is not None and again.check_id == first.check_id
    runs = pool.check_history(first.check_id)
    assert len(runs) >= 2 and runs[-1].verdict == again.verdict
    assert runs[-1].documents == 3
    stored = pool.stored_check(first.check_id)
    assert stored.claim == CLAIM and stored.runs == len(runs)


def test_reworded_claim_auto_matches_and_changed_detail_only_suggests(pool: Corridor) -> None:
    base = pool.check("Liu Wei co-chaired the fourth meeting of the Joint Working Group on Ports.")
    assert base.check_id is not None
    reworded = pool.check("Liu Wei co-chaired the 4th meeting of the Joint Working Group on "
                          "Ports.")
    auto = [m for m in reworded.matches if m["kind"] == "auto"]
    assert auto and auto[0]["check_id"] == base.check_id
    assert auto[0]["similarity"] >= AUTO_MATCH
    assert reworded.check_id == base.check_id  # recorded as a run of the same check
    changed = pool.check("Liu Wei co-chaired the fifth meeting of the Joint Working Group on "
                         "Ports.")
    assert changed.check_id != base.check_id
    linked = [m for m in changed.matches if m["check_id"] == base.check_id]
    assert linked and linked[0]["kind"] == "suggested"
    assert linked[0]["similarity"] >= SUGGEST_MATCH and linked[0]["differs"]
    assert changed.check_id is not None
    links = pool.stored_check(changed.check_id).links
    assert [(lk.matched_id, lk.kind) for lk in links] == [(base.check_id, "suggested")]


def test_unrelated_claim_matches_nothing(pool: Corridor) -> None:
    v = pool.check("Kenya and Japan opened an orchard research centre in Nakuru.")
    assert all(m["claim"] != CLAIM for m in v.matches)


def test_claim_key_ignores_case_and_punctuation() -> None:
    assert claim_key("The  4th meeting, held!") == claim_key("the 4th meeting held")


def test_claimreview_shape(pool: Corridor) -> None:
    v = pool.check("Shehbaz Sharif began a three-day state visit to China.")
    assert v.check_id is not None
    review = pool.claimreview(v.check_id)
    assert review["@context"] == "https://schema.org"
    assert review["@type"] == "ClaimReview"
    assert review["claimReviewed"] == "Shehbaz Sharif began a three-day state visit to China."
    assert review["itemReviewed"] == {"@type": "Claim", "text": review["claimReviewed"]}
    rating = review["reviewRating"]
    assert rating["@type"] == "Rating" and rating["ratingValue"] == 1
    assert rating["alternateName"] == "Contradicted by the record"
    assert rating["worstRating"] == 1 and rating["bestRating"] == 5
    assert "five-day" in review["reviewBody"]
    cited = review["citation"]
    assert cited and all(c["@type"] == "NewsArticle" for c in cited)
    assert any(c.get("publisher") == {"@type": "Organization", "name": "Valley Times"}
               and c.get("datePublished") == "2025-03-10" for c in cited)
    json.dumps(review)  # serialisable as is


def test_unknown_check(pool: Corridor) -> None:
    with pytest.raises(NotFound):
        pool.stored_check(99999)


def test_cli_check_and_checks(pool: Corridor) -> None:
    db = pool.settings.db
    runner = CliRunner()
    res = runner.invoke(app, ["check", "China refused to train Pakistani port engineers.",
                              "--db", db, "--json"])
    assert res.exit_code == 0, res.output
    data = json.loads(res.output)
    assert data["verdict"] == "REFUTED" and data["check_id"]
    res = runner.invoke(app, ["checks", "show", str(data["check_id"]), "--db", db,
                              "--claimreview"])
    assert res.exit_code == 0, res.output
    assert json.loads(res.output)["@type"] == "ClaimReview"
    res = runner.invoke(app, ["checks", "list", "--db", db, "--json"])
    assert res.exit_code == 0
    assert any(c["id"] == data["check_id"] for c in json.loads(res.output)["checks"])
    res = runner.invoke(app, ["checks", "show", str(data["check_id"]), "--db", db])
    assert res.exit_code == 0 and "history" in res.output and "REFUTED" in res.output
