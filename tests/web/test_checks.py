"""Claim checks over HTTP: JSON endpoint, browser form, stored checks, ClaimReview, feed."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from types import SimpleNamespace

from fastapi.testclient import TestClient

ATOM = "{http://www.w3.org/2005/Atom}"


def _auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


# -- reading stored checks -----------------------------------------------------------


def test_stored_check_page_and_twin(reader_client: TestClient, seeded_db: SimpleNamespace,
                                    web_samples: SimpleNamespace) -> None:
    check_id = seeded_db.check_id
    doc_id = seeded_db.ids[web_samples.ministers["title"]]
    data = reader_client.get(f"/api/checks/{check_id}").json()
    check = data["check"]
    assert check["claim"] == web_samples.claim and check["runs"] == 1
    assert check["verdict"] == "SUPPORTED" and check["reason"]
    assert [r["verdict"] for r in data["history"]] == ["SUPPORTED"]
    assert data["history"][0]["documents"] == len(web_samples.articles)
    assert data["claimreview_url"] == f"/api/checks/{check_id}/claimreview"
    text = reader_client.get(f"/api/documents/{doc_id}").json()["document"]["text"]
    assert data["evidence"]
    for cited in data["evidence"]:
        assert cited["doc_id"] == doc_id and cited["lang"] == "en"
        assert text[cited["start"]:cited["end"]] == cited["sentence"]
        assert cited["href"] == f"/documents/{doc_id}?at={cited['start']}-{cited['end']}#cited"

    page = reader_client.get(f"/checks/{check_id}")
    assert page.status_code == 200
    assert f"“{web_samples.claim}”" in page.text
    assert '<span class="verdict verdict-supported" id="verdict">SUPPORTED</span>' in page.text
    for cited in data["evidence"]:
        assert f'href="{cited["href"]}"' in page.text and cited["sentence"] in page.text
    assert f'href="/api/checks/{check_id}/claimreview"' in page.text


def test_check_list_filters_by_verdict(reader_client: TestClient,
                                       seeded_db: SimpleNamespace) -> None:
    listed = reader_client.get("/api/checks").json()["checks"]
    assert seeded_db.check_id in [c["id"] for c in listed]
    supported = reader_client.get("/api/checks", params={"verdict": "supported"}).json()
    assert supported["verdict"] == "SUPPORTED"
    assert [c["id"] for c in supported["checks"]] == [seeded_db.check_id]
    assert reader_client.get("/api/checks", params={"verdict": "REFUTED"}).json()[
        "checks"] == []
    page = reader_client.get("/checks", params={"verdict": "SUPPORTED"})
    assert f'href="/checks/{seeded_db.check_id}"' in page.text
    assert '<option value="SUPPORTED" selected>' in page.text


def test_claimreview_and_missing_checks(reader_client: TestClient,
                                        seeded_db: SimpleNamespace,
                                        web_samples: SimpleNamespace) -> None:
    r = reader_client.get(f"/api/checks/{seeded_db.check_id}/claimreview")
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("application/ld+json")
    review = r.json()
    assert review["@type"] == "ClaimReview"
    assert review["claimReviewed"] == web_samples.claim
    for path in ("/api/checks/999999", "/api/checks/999999/claimreview"):
        missing = reader_client.get(path)
        assert missing.status_code == 404 and missing.json()["code"] == "not_found"
    assert reader_client.get("/checks/999999").status_code == 404
    assert reader_client.get("/api/checks/0").status_code == 422
    assert reader_client.get("/api/checks/abc").status_code == 422


def test_checks_atom_feed(reader_client: TestClient, seeded_db: SimpleNamespace,
                          web_samples: SimpleNamespace) -> None:
    r = reader_client.get("/feeds/checks.atom")
    assert r.status_code == 200
    assert r.headers["content-type"] == "application/atom+xml; charset=utf-8"
    feed = ET.fromstring(r.content)
    entries = feed.findall(f"{ATOM}entry")
    assert len(entries) == 1
    entry = entries[0]
    assert entry.findtext(f"{ATOM}title") == f"Supported: {web_samples.claim}"
    link = entry.find(f"{ATOM}link[@rel='alternate']")
    assert link is not None
    assert link.get("href") == f"http://127.0.0.1/checks/{seeded_db.check_id}"
    category = entry.find(f"{ATOM}category")
    assert category is not None and category.get("term") == "SUPPORTED"
    assert "SUPPORTED" in (entry.findtext(f"{ATOM}summary") or "")
    assert reader_client.get("/feeds/checks.atom", params={"verdict": "REFUTED"}).content.count(
        b"<entry") == 0
    # the articles feed also lives beside it
    assert reader_client.get("/feeds/articles.atom").content.count(b"<entry") == len(
        web_samples.articles)


# -- checking over the JSON API ----------------------------------------------------------


def test_check_api_stores_a_run_and_rechecks(client: TestClient,
                                             pool_copy: SimpleNamespace) -> None:
    body = {"claim": "China will provide training for 500 Pakistani engineers"}
    first = client.post("/api/check", json=body, headers=_auth(pool_copy.token))
    assert first.status_code == 200, first.text
    out = first.json()
    assert out["verdict"] == "SUPPORTED" and out["check_id"] is not None
    assert out["check_url"] == f"/checks/{out['check_id']}"
    assert out["claimreview_url"] == f"/api/checks/{out['check_id']}/claimreview"
    cited = [e for e in out["evidence"] if e["stance"] == "supports"]
    assert cited and "500 Pakistani engineers" in cited[0]["sentence"]
    assert cited[0]["href"].startswith(f"/documents/{cited[0]['doc_id']}?at=")
    again = client.post("/api/check", json=body, headers=_auth(pool_copy.token)).json()
    assert again["check_id"] == out["check_id"]
    page = client.get(f"/api/checks/{out['check_id']}").json()
    assert page["check"]["runs"] == 2 and len(page["history"]) == 2

    dry = client.post("/api/check", json={**body, "claim": "Wang Yi visited Lahore",
                                          "save": False}, headers=_auth(pool_copy.token))
    assert dry.status_code == 200 and dry.json()["check_id"] is None
    assert dry.json()["check_url"] is None
    claims = [c["claim"] for c in client.get("/api/checks").json()["checks"]]
    assert "Wang Yi visited Lahore" not in claims


def test_check_api_validation(client: TestClient, pool_copy: SimpleNamespace) -> None:
    auth = _auth(pool_copy.token)
    for bad in ({}, {"claim": ""}, {"claim": "x" * 2001}, {"claim": "a", "extra": 1},
                {"claim": "a", "save": "perhaps"}):
        assert client.post("/api/check", json=bad, headers=auth).status_code == 422, bad
    dates = client.post("/api/check", json={"claim": "Wang Yi met Ishaq Dar",
                                            "since": "yesterday-ish"}, headers=auth)
    assert dates.status_code == 400 and dates.json()["code"] == "config"
    assert client.get("/api/check").status_code == 405


# -- the browser form ------------------------------------------------------------------------


def test_check_form_page(reader_client: TestClient) -> None:
    page = reader_client.get("/check", params={"claim": "Wang Yi met <b>someone</b>"})
    assert page.status_code == 200
    assert '<form class="check" action="/check" method="post"' in page.text
    assert '<input id="token" name="token" type="password"' in page.text
    assert "Wang Yi met &lt;b&gt;someone&lt;/b&gt;</textarea>" in page.text
    assert "<script" not in page.text


def test_check_form_posts_then_redirects_to_the_check(client: TestClient,
                                                      pool_copy: SimpleNamespace) -> None:
    form = {"claim": "Pakistan reaffirmed its commitment to the safety of Chinese workers",
            "since": "", "until": "", "token": pool_copy.token}
    r = client.post("/check", data=form, follow_redirects=False)
    assert r.status_code == 303, r.text
    location = r.headers["location"]
    assert re.fullmatch(r"/checks/\d+", location)
    page = client.get(location)
    assert page.status_code == 200 and "safety of Chinese workers" in page.text
    assert pool_copy.token not in page.text  # the token is never echoed


def test_check_form_refusals_keep_the_claim(client: TestClient,
                                            pool_copy: SimpleNamespace) -> None:
    claim = "Wang Yi met Ishaq Dar"
    missing = client.post("/check", data={"claim": claim, "token": ""})
    assert missing.status_code == 401 and "An API token is required" in missing.text
    assert f">{claim}</textarea>" in missing.text
    wrong = client.post("/check", data={"claim": claim, "token": "crt_wrong"})
    assert wrong.status_code == 401 and "invalid or revoked" in wrong.text
    assert "crt_wrong" not in wrong.text
    empty = client.post("/check", data={"claim": "  ", "token": pool_copy.token})
    assert empty.status_code == 422
    dates = client.post("/check", data={"claim": claim, "since": "someday",
                                        "token": pool_copy.token})
    assert dates.status_code == 400 and "someday" in dates.text
    # ambient credentials never stand in for the form's token field
    header_only = client.post("/check", data={"claim": claim}, headers=_auth(pool_copy.token))
    assert header_only.status_code == 401
    assert client.get("/api/checks").json()["checks"][0]["claim"] != claim


def test_check_form_refuses_cross_site_posts(client: TestClient,
                                             pool_copy: SimpleNamespace) -> None:
    form = {"claim": "Wang Yi met Ishaq Dar", "token": pool_copy.token}
    for headers in ({"Origin": "https://evil.example"}, {"Origin": "http://127.0.0.1:9999"},
                    {"Origin": "null", "Sec-Fetch-Site": "cross-site"}):
        r = client.post("/check", data=form, headers=headers, follow_redirects=False)
        assert r.status_code == 403, headers
    same = client.post("/check", data=form, headers={"Origin": "http://127.0.0.1",
                                                     "Sec-Fetch-Site": "same-origin"},
                       follow_redirects=False)
    assert same.status_code == 303
    # what Chromium sends from a page with Referrer-Policy: no-referrer
    opaque = client.post("/check", data=form, headers={"Origin": "null",
                                                       "Sec-Fetch-Site": "same-origin"},
                         follow_redirects=False)
    assert opaque.status_code == 303
    as_json = client.post("/check", json=form)
    assert as_json.status_code == 415
