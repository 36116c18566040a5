"""Feed sniffing and parsing: RSS, Atom, RDF, JSON Feed, encodings, hostile XML."""

from __future__ import annotations

import json

import pytest

from corridor.errors import EmptyInput, MalformedInput, UnsupportedInput
from corridor.ingest.feeds import Feed, FeedItem, item_key, looks_like_feed, parse_feed

RSS = b"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">
<channel>
  <title>Valley Courier</title>
  <link>https://courier.example/</link>
  <item>
    <title>  Water accord
      renewed </title>
    <link>/news/water-accord</link>
    <guid isPermaLink="false">vc-77</guid>
    <pubDate>Wed, 06 Mar 2024 00:30:00 +0500</pubDate>
    <description>Short summary.</description>
    <content:encoded><![CDATA[<p>The two governments renewed the water accord.</p>]]>
    </content:encoded>
  </item>
  <item>
    <title>Trade fair opens</title>
    <link>https://courier.example/news/trade-fair</link>
    <description>A trade fair opened in the capital.</description>
  </item>
</channel>
</rss>
"""

ATOM = b"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <title>Harbour Wire</title>
  <link href="https://wire.example/" rel="alternate"/>
  <id>urn:uuid:feed-1</id>
  <updated>2024-04-02T10:00:00Z</updated>
  <entry>
    <title>Port talks resume</title>
    <link rel="alternate" href="https://wire.example/port-talks"/>
    <id>urn:uuid:entry-1</id>
    <published>2024-04-01T21:15:00-04:00</published>
    <updated>2024-04-02T08:00:00Z</updated>
    <content type="html">&lt;p&gt;Negotiators resumed port talks.&lt;/p&gt;</content>
    <source><title>Original Gazette</title></source>
  </entry>
  <entry>
    <title>Summary only</title>
    <link href="https://wire.example/summary"/>
    <id>tag:wire.example,2024:2</id>
    <updated>2024-04-03T09:00:00Z</updated>
    <summary>Just a summary.</summary>
  </entry>
</feed>
"""

RDF = b"""<?xml version="1.0"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"
         xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/">
  <channel rdf:about="https://rdf.example/"><title>RDF Times</title>
    <link>https://rdf.example/</link><description>d</description></channel>
  <item rdf:about="https://rdf.example/1">
    <title>Grid link approved</title><link>https://rdf.example/1</link>
    <dc:date>2023-11-20T08:00:00+08:00</dc:date>
    <description>The grid link was approved.</description>
  </item>
</rdf:RDF>
"""

JSON_FEED = {
    "version": "https://jsonfeed.org/version/1.1",
    "title": "Plains Post",
    "home_page_url": "https://plains.example/",
    "items": [
        {
            "id": "pp-1",
            "url": "/stories/1",
            "title": "Solar park inaugurated",
            "content_html": "<p>A solar park was inaugurated.</p>",
            "date_published": "2024-05-10T23:45:00+05:00",
        },
        {
            "id": 2,
            "url": "https://plains.example/stories/2",
            "title": "Summary item",
            "summary": "Only a summary here.",
        },
    ],
}

BILLION_LAUGHS = (
    b'<?xml version="1.0"?>\n<!DOCTYPE lolz [\n<!ENTITY lol "lol">\n'
    + b"".join(
        f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">\n'.encode()
        for i in range(1, 10)
    )
    + b']>\n<rss version="2.0"><channel><title>&lol9;</title>'
    b"<item><title>&lol9;</title></item></channel></rss>"
)

XXE = b"""<?xml version="1.0"?>
<!DOCTYPE rss [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<rss version="2.0"><channel><title>x</title><item><title>&secret;</title></item></channel></rss>
"""

PARAM_XXE = b"""<?xml version="1.0"?>
<!DOCTYPE rss [<!ENTITY % remote SYSTEM "http://127.0.0.1:9/evil.dtd"> %remote;]>
<rss version="2.0"><channel><title>x</title></channel></rss>
"""


def _one(feed: Feed, title: str) -> FeedItem:
    return next(item for item in feed.items if item.title == title)


def test_rss2() -> None:
    feed = parse_feed(RSS, "https://courier.example/rss.xml")
    assert (feed.title, feed.link) == ("Valley Courier", "https://courier.example/")
    assert len(feed.items) == 2
    first = feed.items[0]
    assert first.title == "Water accord renewed"
    assert first.link == "https://courier.example/news/water-accord"
    assert first.guid == "vc-77"
    assert first.published == "2024-03-06"  # the day as written, not the UTC day (5 Mar)
    assert first.content_is_full
    assert "renewed the water accord" in first.content
    second = feed.items[1]
    assert second.published is None
    assert not second.content_is_full
    assert second.content == "A trade fair opened in the capital."


def test_atom() -> None:
    feed = parse_feed(ATOM)
    assert feed.title == "Harbour Wire"
    talks = _one(feed, "Port talks resume")
    assert talks.link == "https://wire.example/port-talks"
    assert talks.guid == "urn:uuid:entry-1"
    assert talks.published == "2024-04-01"
    assert talks.content_is_full and "<p>Negotiators" in talks.content
    assert talks.source == "Original Gazette"
    summary = _one(feed, "Summary only")
    assert summary.published == "2024-04-03"  # falls back to <updated>
    assert not summary.content_is_full and summary.content == "Just a summary."


def test_rdf_rss1_with_dc_date() -> None:
    feed = parse_feed(RDF)
    assert feed.title == "RDF Times"
    [item] = feed.items
    assert item.published == "2023-11-20"
    assert item.link == "https://rdf.example/1"


def test_json_feed() -> None:
    data = json.dumps(JSON_FEED).replace("/", "\\/").encode()  # escaped slashes, as PHP writes
    assert looks_like_feed(data)
    feed = parse_feed(data)
    assert (feed.title, feed.link) == ("Plains Post", "https://plains.example/")
    solar, summary = feed.items
    assert solar.link == "https://plains.example/stories/1"
    assert solar.published == "2024-05-10"
    assert solar.content_is_full and solar.content.startswith("<p>")
    assert summary.guid == "2"
    assert summary.published is None
    assert not summary.content_is_full and summary.content == "Only a summary here."


def test_gb2312_declared_in_prolog() -> None:
    # 镕 is outside GB2312 (in GBK): real "gb2312" feeds contain such characters
    text = (
        '<?xml version="1.0" encoding="gb2312"?>\n<rss version="2.0"><channel>'
        "<title>新闻国内</title><item><title>中巴经济走廊会议在北京举行</title>"
        "<link>https://cn.example/a/1</link><description>朱镕基出席</description>"
        "<pubDate>2024-02-06 09:10:00</pubDate></item></channel></rss>"
    )
    feed = parse_feed(text.encode("gbk"))
    assert feed.title == "新闻国内"
    [item] = feed.items
    assert item.title == "中巴经济走廊会议在北京举行"
    assert item.content == "朱镕基出席"
    assert item.published == "2024-02-06"


def test_iso_8859_2() -> None:
    text = (
        '<?xml version="1.0" encoding="ISO-8859-2"?>\n<rss version="2.0"><channel>'
        "<title>Wiadomości</title><item><title>Zażółć gęślą jaźń</title>"
        "<link>https://pl.example/1</link></item></channel></rss>"
    )
    feed = parse_feed(text.encode("iso-8859-2"))
    assert feed.title == "Wiadomości"
    assert feed.items[0].title == "Zażółć gęślą jaźń"


def test_undeclared_windows_1252_falls_back() -> None:
    text = "<rss><channel><title>Notícias</title><item><title>Ação – já</title></item></channel>"
    text += "</rss>"
    feed = parse_feed(text.encode("cp1252"))
    assert feed.items[0].title == "Ação – já"


def test_http_charset_used_only_without_declaration() -> None:
    body = "<rss><channel><title>Zażółć</title></channel></rss>".encode("iso-8859-2")
    assert parse_feed(body, charset="ISO-8859-2").title == "Zażółć"
    declared = b'<?xml version="1.0" encoding="utf-8"?>' + "<rss><channel><title>é</title>".encode()
    assert parse_feed(declared + b"</channel></rss>", charset="iso-8859-2").title == "é"


def test_billion_laughs_rejected_fast() -> None:
    # refused before any expansion (defusedxml), not after: the message says why
    with pytest.raises(MalformedInput, match="unsafe XML"):
        parse_feed(BILLION_LAUGHS)


def test_billion_laughs_in_malformed_document_rejected() -> None:
    with pytest.raises(MalformedInput, match="unsafe XML"):
        parse_feed(b"junk before the prolog " + BILLION_LAUGHS)


@pytest.mark.parametrize("data", [XXE, PARAM_XXE], ids=["external", "parameter"])
def test_external_entities_rejected(data: bytes) -> None:
    with pytest.raises(MalformedInput, match="unsafe XML"):
        parse_feed(data)


def test_public_doctype_without_entities_is_fine() -> None:
    data = (
        b'<?xml version="1.0"?>\n'
        b'<!DOCTYPE rss PUBLIC "-//Netscape Communications//DTD RSS 0.91//EN"'
        b' "http://my.netscape.com/publish/formats/rss-0.91.dtd">\n<rss version="0.91"><channel>'
        b"<title>Old</title><item><title>A &amp; B</title><link>https://old.example/1</link>"
        b"</item></channel></rss>"
    )
    assert parse_feed(data).items[0].title == "A & B"


def test_ordinary_well_formedness_errors_tolerated() -> None:
    data = (
        b'<rss version="2.0"><channel><title>Loose</title><item><title>Fish & chips</title>'
        b"<link>https://loose.example/1</link></item></channel></rss>"
    )
    assert parse_feed(data).items[0].title == "Fish & chips"


def test_broken_feed_without_items_is_malformed() -> None:
    with pytest.raises(MalformedInput, match="broken feed"):
        parse_feed(b'<rss version="2.0"><channel><title>x</title><')


def test_valid_empty_feed() -> None:
    feed = parse_feed(b'<rss version="2.0"><channel><title>Quiet</title></channel></rss>')
    assert feed.title == "Quiet" and feed.items == []


@pytest.mark.parametrize(
    "data",
    [
        b"<!DOCTYPE html><html><head><title>Hi</title></head><body><p>x</p></body></html>",
        b"<head><title>Document Moved</title></head><body>moved</body>",
        b'{"name": "not a feed", "items": []}',
    ],
)
def test_not_a_feed(data: bytes) -> None:
    assert not looks_like_feed(data)
    with pytest.raises(UnsupportedInput, match="not a feed"):
        parse_feed(data)


def test_empty_document() -> None:
    with pytest.raises(EmptyInput):
        parse_feed(b"  \n")


def test_invalid_json_feed_is_malformed() -> None:
    with pytest.raises(MalformedInput, match="invalid JSON Feed"):
        parse_feed(b'{"version": "https://jsonfeed.org/version/1", "items": [')


def test_item_link_must_be_web_link() -> None:
    data = (
        b'<feed xmlns="http://www.w3.org/2005/Atom"><title>t</title>'
        b"<entry><id>tag:x.example,2024:1</id><title>No link</title></entry></feed>"
    )
    [item] = parse_feed(data).items
    assert item.link is None and item.guid == "tag:x.example,2024:1"


@pytest.mark.parametrize(
    ("data", "content_type", "expected"),
    [
        (RSS, None, True),
        (ATOM, None, True),
        (RDF, None, True),
        (
            b"\xef\xbb\xbf <!-- c --><?xml-stylesheet href='s'?><atom:feed xmlns:atom='x'/>",
            None,
            True,
        ),
        ("<rss/>".encode("utf-16"), None, True),
        (b"<html><body>x</body></html>", "application/rss+xml", False),
        (b"<channel/>", "application/rss+xml", True),
        (b"<channel/>", "text/xml", False),
        (b"plain text", None, False),
    ],
)
def test_looks_like_feed(data: bytes, content_type: str | None, expected: bool) -> None:
    assert looks_like_feed(data, content_type) is expected


def test_item_key_prefers_guid_then_link_then_hash() -> None:
    item = FeedItem("t", "https://l.example/1", "g-1", None, "c", False, None)
    assert item_key(item) == "g-1"
    item.guid = None
    assert item_key(item) == "https://l.example/1"
    item.link = None
    assert item_key(item).startswith("sha1:")
    assert item_key(item) == item_key(FeedItem("t", None, None, "2024-01-01", "c", True, None))
