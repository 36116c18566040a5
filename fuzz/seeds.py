"""Seed inputs and mutation dictionaries for the harnesses (written by ``run.py``).

Seeds are short inputs written for fuzzing (not copied from any corpus): a
mode byte where the harness has one, then UTF-8 text or raw bytes. Dictionary
tokens are the syntax each parser cares about, so libFuzzer splices them in.
"""

from __future__ import annotations

ARTICLE = (
    "Ministers meet on river port plan\n\n"
    "NORTHTOWN, March 5 (APP): The transport ministers of Avalon and Borduria met on "
    "Tuesday to review a plan for a new river port, officials said. They agreed to set up "
    "a joint working group and to meet again before the end of the year.\n\n"
    "Share this article\nFacebook Twitter\n- 3 hours ago\nOther headline\n"
)
HTML = (
    "<!DOCTYPE html><html><head><meta charset='utf-8'><title>Port plan</title>"
    "<meta property='article:published_time' content='2024-03-05'></head><body>"
    "<article><h1>Port plan</h1><p>KARACHI, Feb 6: Officials said the port plan was "
    "reviewed on Tuesday by both delegations.</p><script>alert(1)</script>"
    "<img src=x onerror=alert(2)></article></body></html>"
)
RSS = (
    "<?xml version='1.0' encoding='utf-8'?><rss version='2.0'><channel><title>T</title>"
    "<item><title>A &amp; B</title><link>https://example.org/a</link><guid>g1</guid>"
    "<pubDate>Tue, 05 Mar 2024 09:00:00 +0500</pubDate><description>&lt;b&gt;x&lt;/b&gt;"
    "</description></item></channel></rss>"
)
ATOM = (
    "<feed xmlns='http://www.w3.org/2005/Atom'><title>T</title><entry><title type='html'>"
    "&lt;i&gt;Hi&lt;/i&gt;</title><id>tag:x,2024:1</id><updated>2024-03-05T00:00:00Z"
    "</updated><content type='html'>&lt;p&gt;Body&lt;/p&gt;</content></entry></feed>"
)
JSON_FEED = (
    '{"version": "https://jsonfeed.org/version/1.1", "title": "T", "items": '
    '[{"id": 1, "url": "/a", "content_text": "Body", "date_published": "2024-03-05T10:00:00Z"}]}'
)
LAUGHS = (
    '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;">]>'
    "<rss><channel><item><title>&b;</title></item></channel></rss>"
)
XXE = '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><rss>&x;</rss>'


def _m(mode: int, text: str) -> bytes:
    return bytes([mode]) + text.encode("utf-8")


SEEDS: dict[str, list[bytes]] = {
    "decode": [
        b"\x00" + ARTICLE.encode("utf-8"),
        b"\x02" + "中巴经济走廊 港口".encode("gb18030"),
        b"\x03" + "caf\u00e9 na\u00efve".encode("cp1252"),
        b"\x00\xef\xbb\xbfBOM text",
        b"\x04" + "hello".encode("utf-16-le"),
        b"\x00" + HTML.encode("utf-8"),
        b"\x00%PDF-1.4 binary",
        b"\x00" + "پاکستان اور چین".encode("cp1256", "replace"),
        b"\x85abcd\x00" + b"text",
    ],
    "clean": [
        _m(0, ARTICLE),
        _m(1, HTML),
        _m(0, "date 2024-03-05 | Headline\nBy John Smith\nFebruary, 22, 2024\n\nBody text."),
        _m(1, '<!DOCTYPE x [<!ENTITY a "b">]><p>&a; text</p>'),
        _m(0, "BEIJING, NOV 11 /DNA/ – Envoy meets minister\n\nThe envoy met the minister."),
    ],
    "dates": [
        _m(0, "2024-03-05"),
        _m(0, "5th of March, 2024"),
        _m(0, "二〇二五年二月十二日"),
        _m(0, "6 فروری 2025"),
        _m(1, "KARACHI, Feb 6 (APP): The minister said"),
        _m(1, "BEIJING, (UrduPoint / Pakistan Point News - 6th Feb, 2025) - text"),
        _m(1, "新华社北京2月12日电 记者报道"),
        _m(1, "اسلام آباد (اے پی پی) وزیر"),
        _m(2, "Published on March 5, 2024 in Islamabad"),
        _m(3, "پاکستان اور چین کے درمیان تعاون"),
        _m(4, "English paragraph here.\n中文段落在这里。\nاردو پیراگراف"),
    ],
    "feeds": [
        b"\x01" + RSS.encode(),
        b"\x01" + ATOM.encode(),
        b"\x02" + JSON_FEED.encode(),
        b"\x01" + LAUGHS.encode(),
        b"\x01" + XXE.encode(),
        b"\x01<rdf:RDF xmlns:rdf='x'><item><title>t</title></item></rdf:RDF>",
    ],
    "claims": [
        _m(0, "Zardari was on a three-day visit to China in February 2025."),
        _m(0, "China agreed to lend $2.5 billion, and Pakistan refused the fourth tranche."),
        _m(0, "The 13th JCC meeting was not held in Beijing on 5th March 2024."),
        _m(0, "Deputy Prime Minister Ishaq Dar will visit Islamabad; the talks were postponed."),
    ],
    "fts": [
        _m(0, "Gwadar port"),
        _m(0, '"joint statement" OR Beijing cooperat*'),
        _m(0, "NEAR(a b) title:x ^start a AND OR NOT"),
        _m(0, "'; DROP TABLE documents; --"),
        _m(0, "中巴经济走廊 王毅"),
        _m(0, "پاکستان* \"سی پیک\""),
    ],
}

DICTS: dict[str, list[str]] = {
    "decode": ["<meta charset=", "<?xml encoding=", "\xef\xbb\xbf", "\xff\xfe", "%PDF-",
               "PK\x03\x04", "charset=", "utf-8", "gbk", "windows-1252"],
    "clean": ["<script>", "</script>", "<!DOCTYPE", "<!ENTITY", "<html>", "<body>",
              "<article>", "<p>", "</p>", " - 3 hours ago", "Share this", "By ", "date ",
              "Published ", "Also read:", "\n\n", "KARACHI, Feb 6:", "&amp;", "onerror="],
    "dates": ["January", "Feb.", "2024", "年", "月", "日", "电", "新华社", "فروری", "،",
              "(APP)", "/DNA/", " - ", ": ", "th", "of", "٢٠٢٤", "十二"],
    "feeds": ["<rss", "<channel>", "<item>", "</item>", "<entry>", "<feed", "<!ENTITY",
              "<!DOCTYPE", "SYSTEM", "<pubDate>", "<link>", "<guid>", "<content:encoded>",
              "<![CDATA[", "]]>", '"items"', '"version"', "jsonfeed.org/version/1",
              "encoding=", "&"],
    "claims": ["billion", "percent", "not", "refused", "agreed", "March", "2024", "third",
               "$", "in ", "at the ", "Minister", ", and ", "; ", "will", "n't", "-day"],
    "fts": ['"', "*", "^", ":", "(", ")", "NEAR", "OR", "AND", "NOT", "+", "-", "'", "--",
            "title:", "{", "}", "中巴", "پاک"],
}
