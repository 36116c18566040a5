"""`corridor ... --json` prints what the HTTP API answers: the same models
(corridor.views), compared here document for document on the seeded pool."""

from __future__ import annotations

import json
from types import SimpleNamespace
from typing import Any

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from corridor.cli import app

runner = CliRunner()


def cli_json(seeded_db: SimpleNamespace, *args: str) -> Any:
    result = runner.invoke(app, [*args, "--db", str(seeded_db.path), "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def api_json(client: TestClient, path: str, **params: Any) -> Any:
    response = client.get(path, params=params)
    assert response.status_code == 200, response.text
    return response.json()


@pytest.mark.parametrize(("args", "params"), [
    (("port", "--limit", "3"), {"q": "port", "limit": 3}),
    (("port", "--limit", "20"), {"q": "port", "limit": 20}),
    (("port", "--since", "2024-04-01", "--lang", "en", "--limit", "5"),
     {"q": "port", "since": "2024-04-01", "lang": "en", "limit": 5}),
    (("nothingmatchesthis", "--limit", "5"), {"q": "nothingmatchesthis", "limit": 5}),
])
def test_search(seeded_db: SimpleNamespace, reader_client: TestClient,
                args: tuple[str, ...], params: dict[str, Any]) -> None:
    cli = cli_json(seeded_db, "search", *args)
    assert cli == api_json(reader_client, "/api/search", **params)
    assert set(cli) >= {"query", "limit", "offset", "next_offset", "hits"}


def test_search_pages_like_the_api(seeded_db: SimpleNamespace) -> None:
    first = cli_json(seeded_db, "search", "port", "--limit", "1")
    assert len(first["hits"]) == 1 and first["next_offset"] == 1


def test_show(seeded_db: SimpleNamespace, reader_client: TestClient,
              web_samples: SimpleNamespace) -> None:
    for title in (web_samples.ministers["title"], web_samples.urdu["title"]):
        doc_id = seeded_db.ids[title]
        cli = cli_json(seeded_db, "show", doc_id)
        assert cli == api_json(reader_client, f"/api/documents/{doc_id}")
        assert cli["document"]["id"] == doc_id and cli["document"]["text"]


def test_entities_and_entity(seeded_db: SimpleNamespace, reader_client: TestClient) -> None:
    cli = cli_json(seeded_db, "entities", "--limit", "200")
    assert cli == api_json(reader_client, "/api/entities", limit=200)
    assert cli["entities"]
    cli = cli_json(seeded_db, "entities", "--type", "place", "--limit", "20")
    assert cli == api_json(reader_client, "/api/entities", type="place", limit=20)
    assert cli["type"] == "PLACE" and all(e["type"] == "PLACE" for e in cli["entities"])
    rows = api_json(reader_client, "/api/entities", limit=200)["entities"]
    one_per_type = {e["type"]: e["id"] for e in reversed(rows)}
    for entity_id in one_per_type.values():
        assert (cli_json(seeded_db, "entity", entity_id, "--limit", "20")
                == api_json(reader_client, f"/api/entities/{entity_id}", limit=20))


def test_events(seeded_db: SimpleNamespace, reader_client: TestClient) -> None:
    cli = cli_json(seeded_db, "events", "--limit", "100")
    assert cli == api_json(reader_client, "/api/events", limit=100)
    assert cli["events"]
    cli = cli_json(seeded_db, "events", "--type", "meet", "--since", "2024-05-01",
                   "--limit", "10")
    assert cli == api_json(reader_client, "/api/events", type="meet", since="2024-05-01",
                           limit=10)
    # an actor nobody knows: no events and a note, not an error (the API's answer)
    cli = cli_json(seeded_db, "events", "--entity", "Nobody Anyone Knows", "--limit", "10")
    assert cli == api_json(reader_client, "/api/events", actor="Nobody Anyone Knows",
                           limit=10)
    assert cli["events"] == [] and cli["note"]


def test_commitments(seeded_db: SimpleNamespace, reader_client: TestClient) -> None:
    cli = cli_json(seeded_db, "commitments", "--limit", "100")
    assert cli == api_json(reader_client, "/api/commitments", limit=100)
    assert cli["commitments"]


def test_pledges_and_pledge(seeded_db: SimpleNamespace, reader_client: TestClient) -> None:
    cli = cli_json(seeded_db, "pledges", "--limit", "200")
    assert cli == api_json(reader_client, "/api/pledges", limit=200)
    assert cli["pledges"]
    cli = cli_json(seeded_db, "pledges", "--status", "Reiterated", "--limit", "20")
    assert cli == api_json(reader_client, "/api/pledges", status="Reiterated", limit=20)
    for row in api_json(reader_client, "/api/pledges", limit=200)["pledges"]:
        assert (cli_json(seeded_db, "pledge", row["id"])
                == api_json(reader_client, f"/api/pledges/{row['id']}"))


def test_checks_list_and_show(seeded_db: SimpleNamespace, reader_client: TestClient) -> None:
    cli = cli_json(seeded_db, "checks", "list", "--limit", "50")
    assert cli == api_json(reader_client, "/api/checks", limit=50)
    assert [c["id"] for c in cli["checks"]] == [seeded_db.check_id]
    cli = cli_json(seeded_db, "checks", "list", "--verdict", "refuted", "--limit", "5")
    assert cli == api_json(reader_client, "/api/checks", verdict="refuted", limit=5)
    cli = cli_json(seeded_db, "checks", "show", str(seeded_db.check_id))
    assert cli == api_json(reader_client, f"/api/checks/{seeded_db.check_id}")
    assert cli["history"] and cli["evidence"][0]["href"].startswith("/documents/")


def test_check_unsaved(seeded_db: SimpleNamespace, reader_client: TestClient,
                       web_samples: SimpleNamespace) -> None:
    cli = cli_json(seeded_db, "check", web_samples.claim, "--no-save")
    response = reader_client.post(
        "/api/check", json={"claim": web_samples.claim, "save": False},
        headers={"Authorization": f"Bearer {seeded_db.token}"})
    assert response.status_code == 200, response.text
    assert cli == response.json()
    assert cli["check_id"] is None and cli["evidence"]


def test_stats_quarantine_timeline(seeded_db: SimpleNamespace,
                                   reader_client: TestClient) -> None:
    cli = cli_json(seeded_db, "stats")
    # the command line also says where the pool is (a server keeps its path to itself)
    assert cli.pop("database")
    assert cli == api_json(reader_client, "/api/stats")
    assert (cli_json(seeded_db, "quarantine", "--limit", "10")
            == api_json(reader_client, "/api/quarantine", limit=10))
    cli = cli_json(seeded_db, "timeline", "--by", "sector", "--since", "2024-01-01")
    assert cli == api_json(reader_client, "/api/timeline", since="2024-01-01", by="sector")
    assert cli["plot_svg"] == "/timeline.svg?since=2024-01-01&by=sector"
