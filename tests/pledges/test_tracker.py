"""Pledges from a real pool: clustering across dates, cited status, API and CLI."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from corridor.cli import app
from corridor.errors import ConfigError, NotFound
from corridor.pledges import Pledge
from corridor.service import Corridor


def _by_project(pool: Corridor) -> dict[str, Pledge]:
    out = {}
    for p in pool.pledges():
        assert len(p.projects) == 1, p.projects  # never two projects in one pledge
        out[p.projects[0]] = p
    return out


def test_pledges_cluster_across_articles(pledge_pool: Corridor) -> None:
    pledges = _by_project(pledge_pool)
    assert set(pledges) == {"karot-hydropower", "suki-kinari-hydropower", "orange-line"}
    karot = pledges["karot-hydropower"]
    assert karot.count == 2 and karot.documents == 2
    assert (karot.first_seen, karot.last_seen) == ("2024-01-10", "2024-04-02")
    assert [m.date for m in karot.mentions] == ["2024-01-10", "2024-04-02"]
    assert karot.parties == ["china", "pakistan"]
    assert karot.canonical.startswith("Complete the Karot Hydropower Project")
    assert "minister" not in karot.canonical  # attribution left out
    for p in pledges.values():
        for m in p.mentions:
            doc = pledge_pool.document(m.citation.doc_id)
            assert doc.text[m.citation.start:m.citation.end] == m.citation.sentence


def test_status_is_cited_evidence(pledge_pool: Corridor) -> None:
    pledges = _by_project(pledge_pool)
    karot = pledges["karot-hydropower"]
    assert karot.status == "done"
    [done] = [s for s in karot.signals if s.kind == "done"]
    assert "inaugurated" in done.citation.sentence and done.date == "2024-09-15"
    doc = pledge_pool.document(done.citation.doc_id)
    assert doc.text[done.citation.start:done.citation.end] == done.citation.sentence
    orange = pledges["orange-line"]
    assert orange.status == "contradicted"
    assert [s.cue for s in orange.signals if s.kind == "contradicted"] == ["suspended"]
    # "will be completed next year if funds arrive" is a plan, not a report
    suki = pledges["suki-kinari-hydropower"]
    assert suki.status == "reiterated"
    assert [s.kind for s in suki.signals] == ["reiterated"]


def test_one_pledge_history_oldest_first(pledge_pool: Corridor) -> None:
    karot = _by_project(pledge_pool)["karot-hydropower"]
    again = pledge_pool.pledge(karot.id)
    kinds = [h["kind"] for h in again.history()]
    assert kinds == ["first", "reiterated", "done"]
    dates = [h["date"] for h in again.history()]
    assert dates == sorted(dates)
    data = json.loads(json.dumps(again.to_dict()))
    assert data["count"] == 2 and data["status"] == "done"
    assert data["history"][0]["citation"]["doc_id"] == karot.mentions[0].citation.doc_id


def test_filters_and_errors(pledge_pool: Corridor) -> None:
    assert [p.projects for p in pledge_pool.pledges(project="Karot Hydropower Station")] == [
        ["karot-hydropower"]]
    assert {p.status for p in pledge_pool.pledges(status="done")} == {"done"}
    assert pledge_pool.pledges(party="India") == []
    assert len(pledge_pool.pledges(party="Pakistan")) == 3
    assert len(pledge_pool.pledges(limit=1)) == 1
    assert all("energy" in p.sectors for p in pledge_pool.pledges(sector="energy"))
    with pytest.raises(ConfigError):
        pledge_pool.pledges(status="finished")
    with pytest.raises(ConfigError):
        pledge_pool.pledges(sector="cooking")
    with pytest.raises(NotFound):
        pledge_pool.pledge("p0000000000")


def test_ids_are_stable_across_reextraction(pledge_pool: Corridor) -> None:
    before = {p.id: (p.count, p.status) for p in pledge_pool.pledges()}
    pledge_pool.extract(everything=True)
    assert {p.id: (p.count, p.status) for p in pledge_pool.pledges()} == before


def test_cli(pledge_pool: Corridor) -> None:
    db = pledge_pool.settings.db
    runner = CliRunner()
    res = runner.invoke(app, ["pledges", "--db", db, "--json"])
    assert res.exit_code == 0, res.output
    rows = json.loads(res.stdout)["pledges"]
    assert len(rows) == 3 and {"id", "canonical", "count", "status"} <= set(rows[0])
    karot = next(r for r in rows if r["projects"] == ["karot-hydropower"])
    res = runner.invoke(app, ["pledge", karot["id"], "--db", db])
    assert res.exit_code == 0, res.output
    assert "inaugurated" in res.stdout and "reiterated" in res.stdout
    res = runner.invoke(app, ["pledges", "--db", db, "--status", "done"])
    assert res.exit_code == 0 and karot["id"] in res.stdout
    assert runner.invoke(app, ["pledge", "nope", "--db", db]).exit_code == 1
    assert runner.invoke(app, ["pledges", "--db", db, "--status", "bogus"]).exit_code == 2


def test_without_the_embedding_model_words_decide(
    pledge_pool: Corridor, monkeypatch: pytest.MonkeyPatch
) -> None:
    import corridor.embed
    from corridor.pledges import build_pledges

    def missing() -> None:
        raise ConfigError("model not installed")

    monkeypatch.setattr(corridor.embed, "get_embedder", missing)
    pledges = build_pledges(pledge_pool.store)
    karot = [p for p in pledges if p.projects == ["karot-hydropower"]]
    assert len(karot) == 1 and karot[0].count == 2 and karot[0].status == "done"
