"""Extraction through the service: stored with offsets, queryable, idempotent."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from corridor.cli import app
from corridor.errors import NotFound
from corridor.service import Corridor
from corridor.settings import Settings

ARTICLE = """Pakistan and China agree to speed up ML-1 railway work

ISLAMABAD: Planning Minister Ahsan Iqbal met Chinese Ambassador Jiang Zaidong in Islamabad on
Monday to review progress on the China-Pakistan Economic Corridor (CPEC).

The two sides agreed to accelerate work on the ML-1 railway upgrade and to hold the 14th
meeting of the Joint Cooperation Committee (JCC) in Beijing later this year.

Ahsan Iqbal said Pakistan would ensure the security of Chinese personnel working on CPEC
projects. The ambassador said China will continue to support cooperation in agriculture,
information technology and special economic zones.
"""


@pytest.fixture
def pool(tmp_path: Path) -> Corridor:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "ml1.jsonl").write_text(json.dumps(
        {"url": "https://example.test/ml1", "date": "2024-06-10", "text": ARTICLE}) + "\n")
    corridor = Corridor(settings=Settings(db=str(tmp_path / "pool.db")))
    report = corridor.ingest([str(folder)])
    assert report.stored == 1 and report.extracted == 1
    return corridor


def _counts(pool: Corridor) -> dict[str, int]:
    conn = pool.store.conn  # type: ignore[attr-defined]
    return {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
            for t in ("sentences", "mentions", "entities", "events", "commitments",
                      "doc_sectors", "roles")}


def test_facts_are_stored_with_offsets(pool: Corridor) -> None:
    [hit] = pool.search("railway")
    text = pool.document(hit.doc_id).text
    cpec = pool.entity("CPEC")
    assert cpec.entity.type == "PROJECT" and cpec.mentions
    for m in cpec.mentions:
        c = m.citation
        assert text[c.start:c.end] == c.sentence and m.text in c.sentence
    events = pool.events()
    assert events
    assert any(e.type == "MEET" for e in events)
    for ev in events:
        assert text[ev.citation.start:ev.citation.end] == ev.citation.sentence
    meet = next(e for e in events if e.type == "MEET" and " met " in e.citation.sentence)
    # "on Monday" resolved against the publication date: inferred, not stated
    assert meet.date is None and meet.date_inferred == "2024-06-10"
    assert meet.date_basis and "publication" in meet.date_basis
    assert pool.commitments()
    assert all(e.type == "MEET" for e in pool.events(type="MEET"))
    assert pool.events(since="2030-01-01") == []


def test_reextract_is_idempotent(pool: Corridor) -> None:
    before = _counts(pool)
    assert pool.extraction_todo() == []
    assert pool.extract(everything=True) == 1
    assert _counts(pool) == before


def test_unknown_entity(pool: Corridor) -> None:
    with pytest.raises(NotFound):
        pool.entity("Nobody Atall")


def test_cli_fact_commands(pool: Corridor) -> None:
    db = pool.settings.db
    runner = CliRunner()
    ents = json.loads(runner.invoke(app, ["entities", "--db", db, "--json"]).stdout)["entities"]
    assert any(e["id"] == "cpec" for e in ents)
    res = runner.invoke(app, ["entity", "JCC", "--db", db, "--json"])
    assert res.exit_code == 0, res.output
    evs = json.loads(runner.invoke(app, ["events", "--db", db, "--json"]).stdout)["events"]
    assert evs and all("citation" in e for e in evs)
    lines = runner.invoke(app, ["export", "events", "--format", "plover", "--db", db]).stdout
    records = [json.loads(line) for line in lines.splitlines()]
    assert records and all(r["citation"]["doc_id"] for r in records)
    assert any(r["event_type"] for r in records)
    res = runner.invoke(app, ["commitments", "--db", db, "--json"])
    assert res.exit_code == 0 and json.loads(res.stdout)["commitments"]
    res = runner.invoke(app, ["extract", "--all", "--db", db, "--json"])
    assert json.loads(res.stdout) == {"extracted": 1}


REPORTED_TWICE = (
    "Pakistan and China sign port agreement\n\n"
    "KARACHI, June 5: Pakistan and China on Wednesday signed an agreement on a new container "
    "terminal at Karachi port, the Ministry of Maritime Affairs said.\n\n"
    "The agreement was signed by Maritime Secretary Nadia Rahim and Chinese Consul General "
    "Zhao Ming at a ceremony in Karachi. Nadia Rahim said the terminal would open in 2027. "
    "She added that dredging would begin next year.\n"
)


def test_one_event_per_happening_through_the_store(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "port.jsonl").write_text(json.dumps(
        {"url": "https://example.test/port", "date": "2025-06-05", "text": REPORTED_TWICE}) + "\n")
    with Corridor(settings=Settings(db=str(tmp_path / "pool.db"))) as pool:
        assert pool.ingest([str(folder)]).extracted == 1
        events = pool.events()
        # one signing, reported in two sentences; reporting verbs are not events
        assert [e.type for e in events] == ["SIGN"]
        [sign] = events
        assert set(sign.participants) == {"person:nadia-rahim", "person:zhao-ming"}
        assert "china" in sign.parties
        assert sign.date is None and sign.date_inferred == "2025-06-04" and sign.date_basis
        assert sign.place == "karachi"
        text = pool.document(sign.citation.doc_id).text
        assert len(sign.support) == 2
        assert [text[a:b] for a, b in sign.support][1].startswith("The agreement was signed")
        # a country the people act for finds the event; so does the inferred date
        assert [e.id for e in pool.events(entity="China")] == [sign.id]
        assert [e.id for e in pool.events(since="2025-06-04", until="2025-06-04")] == [sign.id]
        # the second sentence carries the event too (for the claim checker)
        hits = pool.store.get_sentences([(sign.citation.doc_id, i) for i in range(8)])
        second = next(h.key for h in hits if h.start == sign.support[1][0])
        records = pool.store.sentence_records([second])
        assert [ev.type for ev in records[second].events] == ["SIGN"]
        [record] = pool.export_events_plover()
        assert record["event_date"] is None and record["event_date_inferred"] == "2025-06-04"
        assert record["date_basis"] and len(record["support"]) == 2
