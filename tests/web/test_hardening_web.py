"""Regressions of issue 15 in the HTTP service: non-ASCII URLs and lone surrogates,
impossible dates, the Host of a server on 127.0.0.2, the write rate limit spent
only after the token check, and ingests in a worker process."""

from __future__ import annotations

import os
import socket
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import anyio
import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from corridor.service import Corridor
from corridor.settings import Settings
from corridor.web import WebConfig, create_app
from corridor.web.config import LOOPBACK_HOSTS, default_allowed_hosts
from corridor.web.handles import Handles, ServiceBusy

ARTICLE = {
    "title": "Ferry timetable agreed",
    "text": ("Harbour officials from both towns agreed on Thursday on a summer ferry timetable "
             "with four daily crossings, the port office said, and promised cheaper tickets "
             "for students and for families travelling with children."),
}
JSON = {"Content-Type": "application/json"}


def _auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def _client(pool: SimpleNamespace, **config: Any) -> TestClient:
    app = create_app(Settings(db=str(pool.path)), WebConfig(readers=1, **config))
    return TestClient(app, base_url="http://127.0.0.1")


@pytest.fixture
def no_dns(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every DNS lookup fails at once (and is recorded): no network in tests."""
    asked: list[str] = []

    def fail(host: Any, *args: Any, **kwargs: Any) -> Any:
        asked.append(str(host))
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    monkeypatch.setattr(socket, "getaddrinfo", fail)
    return asked


# -- 1. non-ASCII URLs and lone surrogates -------------------------------------------------


def test_non_ascii_urls_are_fetched_encoded_and_quarantined_not_500(
        client: TestClient, pool_copy: SimpleNamespace, no_dns: list[str]) -> None:
    urls = ["http://news.example/ur/پاکستان-چین", "http://新闻.example/中巴/经济走廊"]
    r = client.post("/api/ingest", json={"urls": urls}, headers=_auth(pool_copy.token))
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["report"]["inputs"] == 2 and body["report"]["quarantined"] == {"fetch": 2}
    assert [i["source_key"] for i in body["items"]] == urls
    assert all("DNS lookup failed" in i["detail"] for i in body["items"])
    assert "xn--efvy88h.example" in no_dns  # the host was looked up IDNA-encoded
    records = client.get("/api/quarantine").json()["records"]
    assert {r["url"] for r in records} >= set(urls)


@pytest.mark.parametrize("body", [
    b'{"urls": ["http://news.example/\\ud800"]}',
    b'{"urls": ["http://news.example/ok", "\\udfff"]}',
    b'{"articles": [{"text": "Harbour officials met \\ud83d on Thursday."}]}',
    b'{"articles": [{"text": "Harbour officials met.", "url": "https://a.example/\\udc00"}]}',
    b'{"articles": [{"text": "Harbour officials met.", "title": "\\ud800"}]}',
])
def test_lone_surrogates_in_the_body_are_422(client: TestClient, pool_copy: SimpleNamespace,
                                             body: bytes) -> None:
    r = client.post("/api/ingest", content=body, headers={**_auth(pool_copy.token), **JSON})
    assert r.status_code == 422, r.text
    assert r.json()["code"] == "invalid"
    assert "surrogate" in r.text or "unicode string" in r.text  # ours, or pydantic's own


def test_lone_surrogate_in_a_claim_is_422(client: TestClient, pool_copy: SimpleNamespace) -> None:
    r = client.post("/api/check", content=b'{"claim": "Dar met Wang Yi \\ud800"}',
                    headers={**_auth(pool_copy.token), **JSON})
    assert r.status_code == 422, r.text


# -- 6. dates, Host, rate limit -------------------------------------------------------------


@pytest.mark.parametrize("path", ["/api/search?q=port", "/search?q=port", "/api/events?",
                                  "/api/documents?", "/events?"])
def test_impossible_since_is_400(reader_client: TestClient, path: str) -> None:
    r = reader_client.get(path + "&since=2024-01-01T25:99")
    assert r.status_code == 400, r.text
    ok = reader_client.get(path + "&since=2024-01-01T23:59")
    assert ok.status_code == 200, ok.text


def test_default_allowed_hosts() -> None:
    assert default_allowed_hosts("127.0.0.1") == LOOPBACK_HOSTS
    assert default_allowed_hosts("[::1]") == LOOPBACK_HOSTS
    assert default_allowed_hosts("127.0.0.2") == (*LOOPBACK_HOSTS, "127.0.0.2")
    assert default_allowed_hosts("0.0.0.0") == ("*",)
    assert default_allowed_hosts("192.168.1.20") == ("*",)


def test_serve_on_127_0_0_2_accepts_its_own_host(
        seeded_db: SimpleNamespace, monkeypatch: pytest.MonkeyPatch) -> None:
    import uvicorn

    served: dict[str, Any] = {}

    def fake_run(self: uvicorn.Server, sockets: list[socket.socket] | None = None) -> None:
        served["app"] = self.config.app
        for sock in sockets or []:
            sock.close()

    monkeypatch.setattr(uvicorn.Server, "run", fake_run)
    from corridor.cli import app as cli

    result = CliRunner().invoke(cli, ["serve", "--db", str(seeded_db.path),
                                      "--host", "127.0.0.2", "--port", "0"])
    assert result.exit_code == 0, result.output
    web = served["app"]
    try:  # no lifespan: no warm-up, no worker started
        client = TestClient(web, base_url="http://127.0.0.2:8080")
        assert client.get("/api/health").status_code == 200
        assert client.get("/api/health", headers={"Host": "127.0.0.2"}).status_code == 200
        assert client.get("/api/health", headers={"Host": "evil.example"}).status_code == 400
    finally:
        web.state.handles.close()


def test_unauthenticated_ingests_do_not_spend_the_write_budget(
        pool_copy: SimpleNamespace) -> None:
    with _client(pool_copy, ingest_burst=2, ingest_per_minute=1) as client:
        for auth in ({}, _auth("crt_not-a-token"), {}, _auth("nope")):
            r = client.post("/api/ingest", json={"articles": [ARTICLE]}, headers=auth)
            assert r.status_code == 401  # every one of them: none is rate limited
        # the writer behind the same address still has its whole burst: two requests
        # (refused for their empty body, after the token and the limit), then 429
        codes = [client.post("/api/ingest", json={}, headers=_auth(pool_copy.token)).status_code
                 for _ in range(3)]
        assert codes == [422, 422, 429]


def test_unauthenticated_checks_do_not_spend_the_check_budget(pool_copy: SimpleNamespace) -> None:
    with _client(pool_copy, check_burst=2, check_per_minute=0.5) as client:
        assert [client.post("/api/check", json={"claim": "x"}).status_code
                for _ in range(3)] == [401, 401, 401]
        form = client.post("/check", data={"claim": "Dar met Wang Yi", "token": "crt_wrong"})
        assert form.status_code == 401
        codes = [client.post("/api/check", json={"claim": ""},
                             headers=_auth(pool_copy.token)).status_code for _ in range(2)]
        assert codes == [422, 422]
        limited = client.post("/api/check", json={"claim": ""}, headers=_auth(pool_copy.token))
        assert limited.status_code == 429 and limited.json()["code"] == "rate_limited"
        form = client.post("/check", data={"claim": "Dar met Wang Yi",
                                           "token": pool_copy.token})
        assert form.status_code == 429  # the form shares the limit


# -- 6. reads do not queue behind ingest work --------------------------------------------


def test_ingest_runs_in_a_worker_process(pool_copy: SimpleNamespace) -> None:
    with _client(pool_copy, ingest_process=True) as client:
        handles: Handles = client.app.state.handles  # type: ignore[attr-defined]
        assert handles.worker is not None
        r = client.post("/api/ingest", json={"articles": [ARTICLE]},
                        headers=_auth(pool_copy.token))
        assert r.status_code == 200, r.text
        assert r.json()["report"]["stored"] == 1
        assert [i["outcome"] for i in r.json()["items"]] == ["stored"]
        pid = handles.worker.pid
        assert pid is not None and pid != os.getpid()
        hits = client.get("/api/search", params={"q": "ferry timetable"}).json()["hits"]
        assert [h["title"] for h in hits] == ["Ferry timetable agreed"]
        again = client.post("/api/ingest", json={"articles": [ARTICLE]},
                            headers=_auth(pool_copy.token))
        assert again.json()["report"]["unchanged"] == 1 and handles.worker.pid == pid
        process = handles.worker._process
    assert process is not None and not process.is_alive()  # stopped with the app


def test_a_revoked_token_is_refused_by_the_worker_too(pool_copy: SimpleNamespace) -> None:
    from corridor.web.ingest_job import IngestJob, IngestWorker

    with Corridor(settings=Settings(db=str(pool_copy.path))) as pool:
        _, secret = pool.create_token("short-lived")
        pool.revoke_token("short-lived")
    worker = IngestWorker(Settings(db=str(pool_copy.path)))
    try:
        result = worker.run(IngestJob(secret=secret, articles=[ARTICLE]))
    finally:
        worker.close()
    assert result.token is None and result.report == {}


def test_waiting_for_a_read_handle_holds_no_thread(tmp_path: Path) -> None:
    handles = Handles(Settings(db=str(tmp_path / "pool.db")), WebConfig(readers=1))

    async def scenario() -> None:
        held = await handles.acquire()
        with pytest.raises(ServiceBusy):
            await handles.acquire(wait=0.05)  # the only handle is taken: busy, not stuck
        async with anyio.create_task_group() as tg:
            got: list[Corridor] = []

            async def waiter() -> None:
                got.append(await handles.acquire(wait=5))

            tg.start_soon(waiter)
            await anyio.sleep(0.01)
            handles.release(held)  # the waiter gets it, on the event loop
        assert got == [held]
        handles.release(held)

    try:
        anyio.run(scenario)
    finally:
        handles.close()


@pytest.fixture
def closed_reads_client(pool_copy: SimpleNamespace) -> Iterator[TestClient]:
    with _client(pool_copy, open_reads=False) as client:
        yield client


def test_token_checks_still_guard_closed_reads(closed_reads_client: TestClient,
                                               pool_copy: SimpleNamespace) -> None:
    assert closed_reads_client.get("/api/stats").status_code == 401
    assert closed_reads_client.get("/api/stats",
                                   headers=_auth(pool_copy.token)).status_code == 200
