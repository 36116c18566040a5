"""One test (or more) per security rule of the HTTP service."""

from __future__ import annotations

import base64
import hashlib
import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace
from typing import TYPE_CHECKING

import pytest
from fastapi.testclient import TestClient

from corridor.service import Corridor
from corridor.settings import Settings
from corridor.web import WebConfig, create_app
from corridor.web.security import CSP, RateLimiter, bearer_secret, check_fetch_url, host_of

if TYPE_CHECKING:
    from tests.conftest import LocalServer

ARTICLE = {
    "title": "Ferry timetable agreed",
    "text": ("Harbour officials from both towns agreed on Thursday on a summer ferry timetable "
             "with four daily crossings, the port office said, and promised cheaper tickets "
             "for students and for families travelling with children."),
}


def _auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


# -- tokens --------------------------------------------------------------------------


def test_write_without_token_is_401(client: TestClient) -> None:
    r = client.post("/api/ingest", json={"articles": [ARTICLE]})
    assert r.status_code == 401
    assert r.json()["code"] == "unauthorized"
    assert r.headers["www-authenticate"].startswith("Bearer")
    for header in ("Bearer", "Bearer crt_wrong", "Basic !!!", "Token abc"):
        bad = client.post("/api/ingest", json={"articles": [ARTICLE]},
                          headers={"Authorization": header})
        assert bad.status_code == 401, header
    assert client.get("/api/search", params={"q": "ferry"}).json()["hits"] == []


def test_token_lifecycle_and_hash_at_rest(pool_copy: SimpleNamespace) -> None:
    with Corridor(settings=Settings(db=str(pool_copy.path))) as corridor:
        token, secret = corridor.create_token("newsroom-a")
        assert secret.startswith("crt_") and len(secret) > 40
        assert corridor.verify_token(secret) is not None
        assert corridor.verify_token(secret + "x") is None
        listed = {t.name: t for t in corridor.list_tokens()}
        assert listed["newsroom-a"].last_used_at is not None  # touched by verify
        with pytest.raises(Exception, match="already exists"):
            corridor.create_token("newsroom-a")
    files = [pool_copy.path, pool_copy.path.with_name(pool_copy.path.name + "-wal")]
    raw = b"".join(f.read_bytes() for f in files if f.exists())
    assert secret.encode() not in raw  # only the hash is stored
    db = sqlite3.connect(pool_copy.path)
    stored = {row[0] for row in db.execute("SELECT hash FROM api_tokens")}
    db.close()
    assert hashlib.sha256(secret.encode()).hexdigest() in stored

    with create_app_client(pool_copy) as client:
        ok = client.post("/api/ingest", json={"articles": [ARTICLE]}, headers=_auth(secret))
        assert ok.status_code == 200
        with Corridor(settings=Settings(db=str(pool_copy.path))) as corridor:
            corridor.revoke_token("newsroom-a")
            assert corridor.revoke_token(token.id).revoked_at  # idempotent by id
            # the name is free again for a new token
            corridor.create_token("newsroom-a")
        revoked = client.post("/api/ingest", json={"articles": [ARTICLE]},
                              headers=_auth(secret))
        assert revoked.status_code == 401


def create_app_client(pool: SimpleNamespace, **config: object) -> TestClient:
    app = create_app(Settings(db=str(pool.path)), WebConfig(readers=1, **config))  # type: ignore[arg-type]
    return TestClient(app, base_url="http://127.0.0.1")


def test_reads_open_locally_and_closed_when_configured(pool_copy: SimpleNamespace) -> None:
    with create_app_client(pool_copy, open_reads=False) as client:
        for path in ("/api/search?q=port", "/search?q=port", "/api/stats", "/feed.atom",
                     "/docs", "/openapi.json"):
            r = client.get(path)
            assert r.status_code == 401, path
        page = client.get("/stats")
        assert 'Basic realm="corridor"' in page.headers["www-authenticate"]
        assert client.get("/api/search?q=port", headers=_auth(pool_copy.token)).status_code == 200
        basic = base64.b64encode(f"reader:{pool_copy.token}".encode()).decode()
        assert client.get("/stats", headers={"Authorization": f"Basic {basic}"}).status_code == 200
        assert client.get("/health").status_code == 200  # liveness stays open


def test_bearer_secret_parsing() -> None:
    assert bearer_secret("Bearer abc") == "abc"
    assert bearer_secret("bearer   abc ") == "abc"
    assert bearer_secret("Basic " + base64.b64encode(b"u:s3cret").decode()) == "s3cret"
    assert bearer_secret("Basic " + base64.b64encode(b"nocolon").decode()) is None
    assert bearer_secret(None) is None and bearer_secret("Digest x") is None


# -- XSS --------------------------------------------------------------------------------


def test_xss_in_article_is_escaped(reader_client: TestClient, seeded_db: SimpleNamespace,
                                   web_samples: SimpleNamespace) -> None:
    doc_id = seeded_db.ids[web_samples.xss_title]
    pages = [
        reader_client.get(f"/documents/{doc_id}", params={"q": "harbour"}).text,
        reader_client.get("/search", params={"q": "harbour deal"}).text,
        reader_client.get("/documents").text,
    ]
    for html in pages:
        assert "<script>alert" not in html and "<img src=x" not in html
        assert "<svg onload" not in html and "<b>Evil</b>" not in html
        assert "&lt;script&gt;alert(" in html
    assert "&lt;b&gt;Evil&lt;/b&gt; Source" in pages[0]


def test_xss_in_query_is_escaped(reader_client: TestClient) -> None:
    payload = '"><script>alert(1)</script><img src=x onerror=alert(2)>'
    for path in ("/search", "/"):
        html = reader_client.get(path, params={"q": payload}).text
        assert "<script>alert(1)" not in html and "<img src=x" not in html
        assert "&#34;&gt;&lt;script&gt;alert(1)&lt;/script&gt;" in html
    error = reader_client.get("/search", params={"q": "x", "since": "<script>alert(3)</script>"})
    assert error.status_code == 400 and "<script>alert(3)" not in error.text


def test_javascript_urls_are_not_links(pool_copy: SimpleNamespace) -> None:
    with Corridor(settings=Settings(db=str(pool_copy.path))) as corridor:
        report = corridor.ingest_articles([{**ARTICLE, "url": "javascript:alert(document.domain)"}])
        doc_id = report.stored_ids[0]
    with create_app_client(pool_copy) as client:
        html = client.get(f"/documents/{doc_id}").text
    assert 'href="javascript:' not in html
    assert '<span class="unsafe-url">javascript:alert(document.domain)</span>' in html


def test_strict_csp_and_headers_everywhere(reader_client: TestClient) -> None:
    for path in ("/", "/api/search?q=port", "/documents/nope", "/static/style.css",
                 "/feed.atom", "/docs"):
        r = reader_client.get(path)
        assert r.headers["content-security-policy"] == CSP, path
        assert r.headers["x-content-type-options"] == "nosniff"
        assert r.headers["x-frame-options"] == "DENY"
        assert r.headers["referrer-policy"] == "no-referrer"
    assert "script-src" not in CSP and "'unsafe-inline'" not in CSP
    assert "default-src 'none'" in CSP


def test_pages_have_no_script(reader_client: TestClient, seeded_db: SimpleNamespace) -> None:
    doc_id = next(iter(seeded_db.ids.values()))
    for path in ("/", "/search?q=port", f"/documents/{doc_id}", "/documents", "/stats",
                 "/quarantine", "/docs", "/entities", "/entities/beijing", "/events",
                 "/commitments", "/check", "/checks", f"/checks/{seeded_db.check_id}"):
        assert "<script" not in reader_client.get(path).text.lower(), path


# -- request size -------------------------------------------------------------------------


@pytest.fixture
def small_body_client(pool_copy: SimpleNamespace) -> Iterator[TestClient]:
    with create_app_client(pool_copy, max_body_bytes=2000) as client:
        yield client


def test_oversized_body_by_content_length_is_413(small_body_client: TestClient,
                                                  pool_copy: SimpleNamespace) -> None:
    big = {"articles": [{**ARTICLE, "text": "word " * 1000}]}
    r = small_body_client.post("/api/ingest", json=big, headers=_auth(pool_copy.token))
    assert r.status_code == 413 and r.json()["code"] == "too_large"
    assert r.headers["content-security-policy"] == CSP
    # the limit applies before authentication: no token needed to be refused
    assert small_body_client.post("/api/ingest", json=big).status_code == 413


def test_oversized_streamed_body_is_413(small_body_client: TestClient,
                                        pool_copy: SimpleNamespace) -> None:
    sent: list[int] = []

    def chunks() -> Iterator[bytes]:  # no Content-Length: chunked transfer
        for _ in range(100):
            sent.append(1)
            yield b'{"articles": [' + b" " * 500

    r = small_body_client.post("/api/ingest", content=chunks(),
                               headers={**_auth(pool_copy.token),
                                        "Content-Type": "application/json"})
    assert r.status_code == 413
    ok = small_body_client.post("/api/ingest", json={"articles": [ARTICLE]},
                                headers=_auth(pool_copy.token))
    assert ok.status_code == 200


def test_invalid_content_length_is_400(small_body_client: TestClient) -> None:
    r = small_body_client.post("/api/ingest", content=b"{}",
                               headers={"Content-Length": "abc",
                                        "Content-Type": "application/json"})
    assert r.status_code == 400


# -- SSRF ---------------------------------------------------------------------------------


def test_private_and_loopback_urls_are_refused(client: TestClient, pool_copy: SimpleNamespace,
                                               http_server: LocalServer) -> None:
    target = http_server.url("/article.html")
    r = client.post("/api/ingest", json={"urls": [target, "http://169.254.169.254/latest/",
                                                  "http://[::1]:9/", "http://10.0.0.1/"]},
                    headers=_auth(pool_copy.token))
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["report"]["quarantined"] == {"fetch": 4} and body["report"]["stored"] == 0
    for item in body["items"]:
        assert item["outcome"] == "quarantined" and "refused to fetch" in item["detail"]
    assert not [p for p, _ in http_server.requests if p == "/article.html"]  # never reached


def test_server_forces_private_urls_off_even_if_the_corridor_allows_them(
    pool_copy: SimpleNamespace, http_server: LocalServer
) -> None:
    corridor = Corridor(settings=Settings(db=str(pool_copy.path), allow_private_urls=True))
    with TestClient(create_app(corridor), base_url="http://127.0.0.1") as client:
        r = client.post("/api/ingest", json={"urls": [http_server.url("/article.html")]},
                        headers=_auth(pool_copy.token))
        assert r.json()["report"]["quarantined"] == {"fetch": 1}
    assert http_server.requests == []
    corridor.close()


@pytest.mark.parametrize("url", ["file:///etc/passwd", "/etc/passwd", "ftp://example.org/x",
                                 "gopher://example.org/", "data:text/html,hi", "http:///nohost",
                                 "https://user:pw@example.org/"])
def test_non_http_urls_are_rejected(client: TestClient, pool_copy: SimpleNamespace,
                                    url: str) -> None:
    r = client.post("/api/ingest", json={"urls": [url]}, headers=_auth(pool_copy.token))
    assert r.status_code == 422, url
    assert check_fetch_url(url) is not None
    assert client.get("/api/stats").json()["quarantined"] == 0


def test_article_urls_must_be_http(client: TestClient, pool_copy: SimpleNamespace) -> None:
    r = client.post("/api/ingest", json={"articles": [{**ARTICLE, "url": "javascript:x()"}]},
                    headers=_auth(pool_copy.token))
    assert r.status_code == 422


# -- rate limit -----------------------------------------------------------------------------


def test_ingest_rate_limit_is_429(pool_copy: SimpleNamespace) -> None:
    with create_app_client(pool_copy, ingest_burst=2, ingest_per_minute=1) as client:
        payload = {"articles": [ARTICLE]}
        codes = [client.post("/api/ingest", json=payload, headers=_auth(pool_copy.token))
                 for _ in range(3)]
        assert [c.status_code for c in codes] == [200, 200, 429]
        assert int(codes[2].headers["retry-after"]) >= 1
        assert codes[2].json()["code"] == "rate_limited"
        # reads are not rate limited
        assert client.get("/api/search", params={"q": "ferry"}).status_code == 200


def test_rate_limiter_refills_per_client() -> None:
    now = [0.0]
    limiter = RateLimiter(per_minute=60, burst=2, clock=lambda: now[0])
    assert limiter.take("a") == 0 and limiter.take("a") == 0
    assert limiter.take("a") == pytest.approx(1.0)
    assert limiter.take("b") == 0  # another client has its own bucket
    now[0] = 1.0
    assert limiter.take("a") == 0
    small = RateLimiter(per_minute=60, burst=1, max_keys=2, clock=lambda: now[0])
    for key in ("x", "y", "z"):
        small.take(key)
    assert len(small._buckets) == 2


# -- Host header, SQL --------------------------------------------------------------------------


def test_foreign_host_header_is_refused(reader_client: TestClient) -> None:
    assert reader_client.get("/api/health", headers={"Host": "evil.example"}).status_code == 400
    assert reader_client.get("/api/health", headers={"Host": "localhost:8080"}).status_code == 200
    assert reader_client.get("/api/health", headers={"Host": "[::1]:8080"}).status_code == 200
    assert host_of("[::1]:80") == "::1" and host_of("Example.org:8080") == "example.org"


def test_sql_and_fts_syntax_in_queries_is_inert(reader_client: TestClient,
                                                web_samples: SimpleNamespace) -> None:
    for q in ("'; DROP TABLE documents; --", 'port" OR 1=1 --', "NEAR(port river)",
              "title:port", "port AND", "*", '"', "\x00"):
        r = reader_client.get("/api/search", params={"q": q, "source": "' OR '1'='1"})
        assert r.status_code == 200, q
        assert r.json()["hits"] == []
    assert reader_client.get("/api/stats").json()["documents"] == len(web_samples.articles)


# -- token commands ----------------------------------------------------------------------------


def test_token_commands(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from corridor.cli import app

    runner = CliRunner()
    db = str(tmp_path / "tokens.db")
    created = runner.invoke(app, ["token", "create", "partner-newsroom", "--db", db])
    assert created.exit_code == 0, created.output
    secret = created.stdout.strip().splitlines()[-1]
    assert secret.startswith("crt_")
    listed = runner.invoke(app, ["token", "list", "--db", db, "--json"])
    tokens = json.loads(listed.stdout)["tokens"]
    assert [t["name"] for t in tokens] == ["partner-newsroom"]
    assert secret not in listed.stdout and "hash" not in tokens[0]
    dup = runner.invoke(app, ["token", "create", "partner-newsroom", "--db", db])
    assert dup.exit_code == 2
    revoked = runner.invoke(app, ["token", "revoke", "partner-newsroom", "--db", db, "--json"])
    assert revoked.exit_code == 0 and json.loads(revoked.stdout)["revoked_at"]
    assert runner.invoke(app, ["token", "revoke", "nobody", "--db", db]).exit_code == 1
    with Corridor(settings=Settings(db=db)) as corridor:
        assert corridor.verify_token(secret) is None
    as_json = runner.invoke(app, ["token", "create", "ci", "--db", db, "--json"])
    assert json.loads(as_json.stdout)["token"].startswith("crt_")
    assert "serve" in runner.invoke(app, ["--help"]).stdout


# -- claim checks (a write: the check is stored) -----------------------------------------

CLAIM = "Ishaq Dar met Wang Yi in Beijing"


def test_check_without_token_is_401(client: TestClient) -> None:
    r = client.post("/api/check", json={"claim": CLAIM})
    assert r.status_code == 401 and r.json()["code"] == "unauthorized"
    assert r.headers["www-authenticate"].startswith("Bearer")
    for header in ("Bearer", "Bearer crt_wrong", "Token abc"):
        bad = client.post("/api/check", json={"claim": CLAIM}, headers={"Authorization": header})
        assert bad.status_code == 401, header
    # nothing was checked or stored
    assert [c["claim"] for c in client.get("/api/checks").json()["checks"]] == [CLAIM]
    assert client.get("/api/checks").json()["checks"][0]["runs"] == 1


def test_check_with_revoked_token_is_401(pool_copy: SimpleNamespace) -> None:
    with Corridor(settings=Settings(db=str(pool_copy.path))) as corridor:
        _, secret = corridor.create_token("short-lived")
        corridor.revoke_token("short-lived")
    with create_app_client(pool_copy) as client:
        assert client.post("/api/check", json={"claim": CLAIM},
                           headers=_auth(secret)).status_code == 401


def test_check_rate_limit_is_429(pool_copy: SimpleNamespace) -> None:
    with create_app_client(pool_copy, check_burst=2, check_per_minute=0.5) as client:
        # the token comes first: requests without one are refused and spend nothing
        # (tests/web/test_hardening_web.py); a writer's refused requests do spend
        codes = [client.post("/api/check", json={"claim": CLAIM}).status_code
                 for _ in range(2)]
        assert codes == [401, 401]
        codes = [client.post("/api/check", json={"claim": ""},
                             headers=_auth(pool_copy.token)).status_code for _ in range(2)]
        assert codes == [422, 422]
        limited = client.post("/api/check", json={"claim": CLAIM},
                              headers=_auth(pool_copy.token))
        assert limited.status_code == 429 and limited.json()["code"] == "rate_limited"
        assert int(limited.headers["retry-after"]) >= 1
        # the form shares the limit
        form = client.post("/check", data={"claim": CLAIM, "token": pool_copy.token})
        assert form.status_code == 429
        # ingest has its own bucket, and reads are not limited
        assert client.post("/api/ingest", json={"articles": [ARTICLE]},
                           headers=_auth(pool_copy.token)).status_code == 200
        assert client.get(f"/api/checks/{pool_copy.check_id}").status_code == 200


def test_oversized_check_body_is_413(client: TestClient, pool_copy: SimpleNamespace) -> None:
    claim = "word " * 5000  # 25 kB: over the 16 kB limit of a check body
    r = client.post("/api/check", json={"claim": claim}, headers=_auth(pool_copy.token))
    assert r.status_code == 413 and r.json()["code"] == "too_large"
    assert "16384-byte" in r.json()["detail"]
    form = client.post("/check", data={"claim": claim, "token": pool_copy.token})
    assert form.status_code == 413
    # an ingest of the same size is within its own (larger) limit
    big = {"articles": [{**ARTICLE, "text": ARTICLE["text"] + " " + claim}]}
    assert client.post("/api/ingest", json=big, headers=_auth(pool_copy.token)).status_code == 200
    # under the byte limit but over 2000 characters: refused by validation
    assert client.post("/api/check", json={"claim": "x" * 2001},
                       headers=_auth(pool_copy.token)).status_code == 422


def test_xss_in_a_claim_is_inert(client: TestClient, pool_copy: SimpleNamespace) -> None:
    claim = 'Ishaq Dar met <script>alert("xss-claim")</script><img src=x onerror=alert(1)> Wang Yi'
    r = client.post("/api/check", json={"claim": claim}, headers=_auth(pool_copy.token))
    assert r.status_code == 200, r.text
    check_id = r.json()["check_id"]
    escaped = ("&lt;script&gt;alert(&#34;xss-claim&#34;)&lt;/script&gt;"
               "&lt;img src=x onerror=alert(1)&gt;")
    for path in (f"/checks/{check_id}", "/checks", "/check"):
        page = client.get(path).text
        assert escaped in page, path
        assert "<script" not in page and "<img" not in page, path
    feed = client.get("/feeds/checks.atom").content
    assert b"<script" not in feed and b"&lt;script&gt;" in feed
    # the form echoes a refused claim back escaped too
    refused = client.post("/check", data={"claim": claim, "token": ""})
    assert refused.status_code == 401 and escaped in refused.text
    assert "<script" not in refused.text
