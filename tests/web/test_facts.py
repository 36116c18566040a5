"""Entity, event and commitment pages, and the annotated document page (in-process)."""

from __future__ import annotations

import html as htmllib
import re
from types import SimpleNamespace
from urllib.parse import quote

from fastapi.testclient import TestClient

from corridor.web.render import Piece, layered


def _cite_links(page: str) -> list[tuple[str, int, int]]:
    """(doc id, start, end) of every link to a cited range on a page."""
    return [(d, int(s), int(e)) for d, s, e in
            re.findall(r'href="/documents/([0-9a-f]+)\?at=(\d+)-(\d+)#cited"', page)]


def _assert_cites_resolve(client: TestClient, rows: list[dict[str, object]]) -> None:
    """Each citation's offsets select exactly its sentence in the stored text."""
    texts: dict[str, str] = {}
    for row in rows:
        cite = row["citation"]
        assert isinstance(cite, dict)
        doc_id = str(cite["doc_id"])
        if doc_id not in texts:
            texts[doc_id] = client.get(f"/api/documents/{doc_id}").json()["document"]["text"]
        assert texts[doc_id][cite["start"]:cite["end"]] == cite["sentence"]


# -- entities ------------------------------------------------------------------------


def test_entity_list_and_filters(reader_client: TestClient) -> None:
    data = reader_client.get("/api/entities").json()
    by_id = {e["id"]: e for e in data["entities"]}
    assert {"beijing", "person:wang-yi", "person:ishaq-dar", "cpec"} <= set(by_id)
    assert "王毅" in by_id["person:wang-yi"]["aliases"]
    counts = [e["mentions"] for e in data["entities"]]
    assert counts == sorted(counts, reverse=True)  # most mentioned first
    people = reader_client.get("/api/entities", params={"type": "person"}).json()["entities"]
    assert people and {e["type"] for e in people} == {"PERSON"}
    wang = reader_client.get("/api/entities", params={"q": "Wang"}).json()["entities"]
    assert [e["id"] for e in wang] == ["person:wang-yi"]
    page = reader_client.get("/entities", params={"type": "PERSON", "q": ""})
    assert page.status_code == 200
    assert 'href="/entities/person%3Awang-yi"' in page.text
    assert '<option value="PERSON" selected>' in page.text


def test_entity_page_by_id_name_or_alias(reader_client: TestClient,
                                         seeded_db: SimpleNamespace) -> None:
    doc_id = seeded_db.ids["Dar and Wang hold talks in Beijing"]
    for key in ("person:wang-yi", "Wang Yi", "王毅"):
        r = reader_client.get(f"/api/entities/{quote(key, safe='')}")
        assert r.status_code == 200, key
        assert r.json()["entity"]["id"] == "person:wang-yi"
    data = reader_client.get("/api/entities/person:wang-yi").json()
    assert [(r["role"], r["date"], r["doc_id"]) for r in data["roles"]] == [
        ("Foreign Minister", "2024-05-20", doc_id)]
    meet = [e for e in data["events"] if e["type"] == "MEET"]
    assert meet and meet[0]["participants"] == ["person:ishaq-dar", "person:wang-yi"]
    assert meet[0]["place"] == "beijing" and meet[0]["date"] is None  # "on Monday": inferred
    assert meet[0]["date_inferred"] == "2024-05-20"
    assert data["mentions"] and {m["citation"]["doc_id"] for m in data["mentions"]} == {doc_id}
    _assert_cites_resolve(reader_client, data["mentions"] + data["events"])
    assert data["langs"][doc_id] == "en"

    page = reader_client.get("/entities/person:wang-yi").text
    assert '<h1><bdi dir="auto">Wang Yi</bdi>' in page
    assert "王毅" in page and "Foreign Minister" in page
    links = _cite_links(page)
    starts = {(d, s, e) for d, s, e in links}
    for m in data["mentions"]:
        c = m["citation"]
        assert (c["doc_id"], c["start"], c["end"]) in starts
    assert 'href="/entities/person%3Aishaq-dar"' in page  # co-participant linked
    assert 'href="/events?actor=person%3Awang-yi"' in page


def test_place_entity_lists_events_held_there(reader_client: TestClient) -> None:
    data = reader_client.get("/api/entities/beijing").json()
    assert "MEET" in {e["type"] for e in data["events"]}
    # a country is a party to commitments
    china = reader_client.get("/api/entities/china").json()
    assert any("education" in k["sectors"] for k in china["commitments"])


def test_entity_page_urdu_and_chinese_sentences(reader_client: TestClient,
                                                web_samples: SimpleNamespace) -> None:
    page = reader_client.get("/entities/gwadar-port").text
    sentence = "گوادر بندرگاہ پر نیا کنٹینر ٹرمینل اگلے سال مکمل ہو جائے گا۔"
    link = re.search(r'<a class="sentence" href="[^"]+" lang="(\w+)" dir="(\w+)">([^<]+)</a>',
                     page)
    assert link and link.group(1) == "ur" and link.group(2) == "rtl"
    assert sentence in link.group(3)
    zh = reader_client.get("/entities/jcc").text
    assert re.search(r'<a class="sentence" href="[^"]+" lang="zh" dir="auto">[^<]*'
                     "中巴经济走廊联合合作委员会", zh)


def test_unknown_entity_is_404(reader_client: TestClient) -> None:
    r = reader_client.get("/api/entities/nobody-at-all")
    assert r.status_code == 404 and r.json()["code"] == "not_found"
    page = reader_client.get("/entities/nobody-at-all")
    assert page.status_code == 404 and "nobody-at-all" in page.text


# -- events and commitments -------------------------------------------------------------


def test_events_filters(reader_client: TestClient) -> None:
    def events(**params: str) -> list[dict[str, object]]:
        r = reader_client.get("/api/events", params=params)
        assert r.status_code == 200, r.text
        rows: list[dict[str, object]] = r.json()["events"]
        return rows

    everything = events()
    assert {"MEET", "AGREE"} <= {e["type"] for e in everything}
    _assert_cites_resolve(reader_client, everything)
    assert {e["type"] for e in events(type="meet")} == {"MEET"}
    with_wang = events(actor="Wang Yi")
    assert with_wang and all("person:wang-yi" in e["participants"]  # type: ignore[operator]
                             for e in with_wang)
    assert [e["type"] for e in events(place="Beijing")] == ["MEET"]
    assert [e["type"] for e in events(place="北京")] == ["MEET"]  # by alias
    assert events(place="Lahore") == []
    assert "MEET" in {e["type"] for e in events(since="2024-05-20", until="2024-05-20")}
    assert "MEET" not in {e["type"] for e in events(since="2024-06-01")}
    assert len(events(limit="1")) == 1
    unknown = reader_client.get("/api/events", params={"actor": "Nobody Known"}).json()
    assert unknown["events"] == [] and "Nobody Known" in unknown["note"]
    assert reader_client.get("/api/events", params={"since": "soon"}).status_code == 400


def test_events_page_cites_each_sentence(reader_client: TestClient) -> None:
    data = reader_client.get("/api/events", params={"actor": "Ishaq Dar"}).json()
    page = reader_client.get("/events", params={"actor": "Ishaq Dar", "type": ""})
    assert page.status_code == 200
    links = _cite_links(page.text)
    assert len(links) == len(data["events"]) > 0
    for (doc_id, start, end), ev in zip(links, data["events"], strict=True):
        assert (doc_id, start, end) == (ev["citation"]["doc_id"], ev["citation"]["start"],
                                        ev["citation"]["end"])
    assert 'value="Ishaq Dar"' in page.text
    assert 'href="/entities/beijing"' in page.text
    nobody = reader_client.get("/events", params={"actor": "<b>Nobody</b>"})
    assert nobody.status_code == 200 and "&lt;b&gt;Nobody&lt;/b&gt;" in nobody.text


def test_commitments_filters_and_page(reader_client: TestClient) -> None:
    def rows(**params: str) -> list[dict[str, object]]:
        r = reader_client.get("/api/commitments", params=params)
        assert r.status_code == 200, r.text
        out: list[dict[str, object]] = r.json()["commitments"]
        return out

    everything = rows()
    _assert_cites_resolve(reader_client, everything)
    china = rows(party="China")
    assert china and all("china" in k["parties"] for k in china)  # type: ignore[operator]
    # newest article first: the reiteration, then the first statement
    assert [k["modality"] for k in rows(sector="education")] == ["reaffirmed", "will"]
    assert all("cpec" in k["projects"] for k in rows(project="CPEC"))  # type: ignore[operator]
    assert rows(project="CPEC")
    assert rows(sector="space") == []
    page = reader_client.get("/commitments", params={"sector": "education"})
    assert '<option value="education" selected>' in page.text
    assert len(_cite_links(page.text)) == 2
    assert "provide training for 500 pakistani engineers" in page.text


# -- the annotated document page ------------------------------------------------------------


def _visible_text(page: str) -> str:
    body = re.search(r'<div class="text">(.*?)</div>', page, re.S)
    assert body
    return htmllib.unescape(re.sub(r"<[^>]+>", "", body.group(1)))


def test_document_page_links_entities_and_marks_events(reader_client: TestClient,
                                                       seeded_db: SimpleNamespace) -> None:
    doc_id = seeded_db.ids["Dar and Wang hold talks in Beijing"]
    data = reader_client.get(f"/api/documents/{doc_id}").json()
    text = data["document"]["text"]
    assert {m["entity_id"] for m in data["mentions"]} >= {"person:wang-yi", "beijing", "cpec"}
    for m in data["mentions"]:
        assert text[m["start"]:m["end"]] == m["text"]
    assert "MEET" in {e["type"] for e in data["events"]}
    assert data["commitments"] and data["cited"] is None

    page = reader_client.get(f"/documents/{doc_id}").text
    assert _visible_text(page) == text  # annotations add markup, never change the text
    assert re.search(r'<a class="entity entity-person" href="/entities/person%3Awang-yi" '
                     r'title="PERSON">Wang Yi</a>', page)
    meet = next(e for e in data["events"] if e["type"] == "MEET")
    start = meet["citation"]["start"]
    assert re.search(rf'<span class="event" title="[^"]*MEET[^"]*" id="s-{start}">', page)
    assert f'href="#s-{meet["citation"]["start"]}"' in page  # the events table links to it


def test_document_page_highlights_a_cited_range(reader_client: TestClient,
                                                seeded_db: SimpleNamespace) -> None:
    doc_id = seeded_db.ids["Dar and Wang hold talks in Beijing"]
    data = reader_client.get(f"/api/documents/{doc_id}").json()
    cite = next(e for e in data["events"] if e["type"] == "AGREE")["citation"]
    at = f"{cite['start']}-{cite['end']}"
    twin = reader_client.get(f"/api/documents/{doc_id}", params={"at": at}).json()
    assert twin["cited"] == [cite["start"], cite["end"]]
    page = reader_client.get(f"/documents/{doc_id}", params={"at": at}).text
    assert page.count('id="cited"') == 1
    cited = re.findall(r'<span class="cited"(?: id="cited")?>(.*?)</span>', page)
    joined = htmllib.unescape(re.sub(r"<[^>]+>", "", "".join(cited)))
    assert joined == cite["sentence"]
    assert _visible_text(page) == data["document"]["text"]
    for bad, status in (("5-1", 400), ("0-999999", 400), ("x-y", 422), ("1-2-3", 422)):
        assert reader_client.get(f"/api/documents/{doc_id}",
                                 params={"at": bad}).status_code == status, bad


def test_layered_pieces_keep_text_and_nest_layers() -> None:
    text = "Ishaq Dar met Wang Yi in Beijing. Then talks."
    pieces = layered(
        text, base="/b",
        mentions=[(0, 9, "person:ishaq-dar", "PERSON"), (14, 21, "person:wang-yi", "PERSON"),
                  (16, 21, "x", "ORG"),  # overlaps Wang Yi: dropped
                  (25, 32, None, "PLACE"), (39, 99, "far", "ORG")],  # clipped to the text
        events=[(0, 33, "MEET"), (0, 33, "VISIT"), (0, 33, "MEET")],
        matches=[(14, 18)], cited=(0, 33))
    assert "".join(p.text for p in pieces) == text
    first = pieces[0]
    assert first == Piece("Ishaq Dar", [
        ("span", {"class": "event", "title": "MEET · VISIT", "id": "s-0"}),
        ("span", {"class": "cited", "id": "cited"}),
        ("a", {"class": "entity entity-person", "href": "/b/entities/person%3Aishaq-dar",
               "title": "PERSON"})])
    wang = [p for p in pieces if p.text in ("Wang", " Yi")]
    assert [p.wrappers[-1][1].get("href") for p in wang] == ["/b/entities/person%3Awang-yi"] * 2
    assert ("mark", {"id": "match-1"}) in wang[0].wrappers
    beijing = next(p for p in pieces if p.text == "Beijing")
    assert beijing.wrappers[-1] == ("span", {"class": "entity entity-place", "title": "PLACE"})
    tail = pieces[-1]
    assert tail.text == "talks." and tail.wrappers[-1][0] == "a"
    assert sum(1 for p in pieces for _, a in p.wrappers if a.get("id") == "s-0") == 1
    assert layered("", mentions=[(0, 3, "a", "ORG")]) == []


def test_every_sentence_reporting_an_event_is_marked() -> None:
    from corridor.web.render import document_pieces

    text = "The ministers met in Quetta. Officials said the meeting ran late."
    cite = SimpleNamespace(start=0, end=28)
    data = SimpleNamespace(
        document=SimpleNamespace(text=text), mentions=[], highlights=[], cited=None,
        events=[SimpleNamespace(type="MEET", citation=cite, support=[(0, 28), (29, 66)])])
    marked = {p.text for p in document_pieces(data, "") for _, a in p.wrappers
              if a.get("class") == "event"}
    assert marked == {text[:28], text[29:]}


# -- pledges and timeline ----------------------------------------------------------------


TRAINING = "Provide training for 500 Pakistani engineers"


def test_pledges_list_filters_and_page(reader_client: TestClient,
                                       seeded_db: SimpleNamespace,
                                       web_samples: SimpleNamespace) -> None:
    data = reader_client.get("/api/pledges").json()
    by_name = {p["canonical"]: p for p in data["pledges"]}
    training = by_name[TRAINING]
    assert training["status"] == "reiterated" and training["documents"] == 2
    assert training["parties"] == ["china"] and training["first_seen"] == "2024-05-20"
    assert training["last_seen"] == "2024-09-10"
    assert data["pledges"][0]["count"] >= data["pledges"][-1]["count"]  # most stated first

    def canon(**params: str) -> list[str]:
        r = reader_client.get("/api/pledges", params=params)
        assert r.status_code == 200, r.text
        return [p["canonical"] for p in r.json()["pledges"]]

    assert TRAINING in canon(party="China") and TRAINING not in canon(party="Pakistan")
    assert canon(sector="education") == [TRAINING]
    assert canon(status="reiterated") == [TRAINING]
    assert TRAINING not in canon(status="pledged")
    assert reader_client.get("/api/pledges", params={"status": "maybe"}).status_code == 400
    assert reader_client.get("/api/pledges", params={"sector": "nope"}).status_code == 400

    page = reader_client.get("/pledges", params={"status": "reiterated"}).text
    assert f'href="/pledges/{training["id"]}"' in page and TRAINING in page
    assert '<option value="reiterated" selected>' in page

    one = reader_client.get(f"/api/pledges/{training['id']}").json()
    assert one["pledge"]["id"] == training["id"]
    kinds = [(s["kind"], s["date"]) for s in one["history"]]
    assert kinds == [("first", "2024-05-20"), ("reiterated", "2024-09-10")]
    _assert_cites_resolve(reader_client, one["history"])
    docs = {seeded_db.ids[a["title"]] for a in (web_samples.ministers, web_samples.follow_up)}
    assert {s["citation"]["doc_id"] for s in one["history"]} == docs
    # the reiteration says which statement it was joined to, and why
    link = one["history"][1]["link"]
    assert link["citation"] == one["history"][0]["citation"] and "same party" in link["basis"]
    assert one["history"][0]["link"] is None
    html = reader_client.get(f"/pledges/{training['id']}").text
    assert "an earlier statement</a>" in html and link["basis"] in html
    # two statements cited, and the first once more as the one the second was joined to
    assert len(set(_cite_links(html))) == 2 and len(_cite_links(html)) == 3
    assert 'id="status">reiterated<' in html
    missing = reader_client.get("/api/pledges/p000")
    assert missing.status_code == 404 and missing.json()["code"] == "not_found"
    # a country's entity page lists its pledges
    china = reader_client.get("/api/entities/china").json()
    assert TRAINING in [p["canonical"] for p in china["pledges"]]
    assert reader_client.get("/api/entities/person:wang-yi").json()["pledges"] is None


def test_timeline_counts_and_plot(reader_client: TestClient) -> None:
    data = reader_client.get("/api/timeline").json()
    assert data["by"] == "type"
    assert data["months"][0] <= "2024-05" and data["months"][-1] == "2024-09"
    assert data["months"] == sorted(data["months"])
    assert sum(data["totals"]) == data["total"] > 0
    assert data["series"]["MEET"][data["months"].index("2024-05")] >= 1
    assert data["plot_svg"] == "/timeline.svg" and data["plot_png"] == "/timeline.png"
    meet = reader_client.get("/api/timeline", params={"event_type": "meet",
                                                      "entity": "Wang Yi"}).json()
    assert set(meet["series"]) == {"MEET"} and meet["total"] == 1
    assert meet["filters"]["entity"] == "Wang Yi"
    assert meet["plot_svg"] == "/timeline.svg?event_type=meet&entity=Wang+Yi"
    by_sector = reader_client.get("/api/timeline", params={"by": "sector"}).json()
    assert by_sector["by"] == "sector" and by_sector["total"] == data["total"]
    assert reader_client.get("/api/timeline", params={"by": "week"}).status_code == 422
    assert reader_client.get("/api/timeline", params={"entity": "Nobody"}).status_code == 404

    page = reader_client.get("/timeline", params={"event_type": "MEET"}).text
    assert '<img src="/timeline.svg?event_type=MEET"' in page
    assert '<option value="MEET" selected>' in page and "<td>2024-05</td>" in page
    svg = reader_client.get("/timeline.svg", params={"event_type": "MEET"})
    assert svg.status_code == 200 and svg.headers["content-type"] == "image/svg+xml"
    assert svg.content.lstrip().startswith(b"<?xml") and b"<svg" in svg.content
    assert b"<script" not in svg.content
    png = reader_client.get("/timeline.png", params={"by": "sector"})
    assert png.headers["content-type"] == "image/png"
    assert png.content.startswith(b"\x89PNG\r\n\x1a\n")
    bad = reader_client.get("/timeline.svg", params={"entity": "Nobody"})
    assert bad.status_code == 404 and bad.json()["code"] == "not_found"
