"""Issue 15: URLs with any Unicode on the fetch path (IDNA host, percent-encoded
path and query), the address check on encoded hosts, and the addresses the
check used to let through (192.0.0.0/24, 6to4, Teredo, NAT64, site-local)."""

from __future__ import annotations

import socket
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

import pytest

from corridor.errors import FetchError
from corridor.ingest.fetch import MAX_URL_CHARS, encode_url, fetch_url, forbidden_address_reason
from corridor.service import Corridor
from corridor.settings import Settings

if TYPE_CHECKING:
    from tests.conftest import LocalServer

URDU_PATH = "/ur/پاکستان-چین"
PAGE = """<!DOCTYPE html><html><head><meta charset="utf-8">
<title>Corridor talks in Lahore</title></head><body><article><h1>Corridor talks in Lahore</h1>
<p>Planning officials from both countries met in Lahore on Monday to review the progress of
road and rail projects, a spokesman for the planning ministry said after the meeting.</p>
</article></body></html>"""


def _resolve_to(monkeypatch: pytest.MonkeyPatch, names: dict[str, str]) -> list[str]:
    """getaddrinfo answers ``names`` (host -> address); every host asked is recorded."""
    real = socket.getaddrinfo
    asked: list[str] = []

    def fake(host: Any, port: Any, *args: Any, **kwargs: Any) -> Any:
        asked.append(str(host))
        if host in names:
            address = names[host]
            family = socket.AF_INET6 if ":" in address else socket.AF_INET
            sockaddr = (address, int(port or 80), 0, 0) if ":" in address else (address, port)
            return [(family, socket.SOCK_STREAM, 6, "", sockaddr)]
        return real(host, port, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", fake)
    return asked


# -- the wire form ---------------------------------------------------------------------


def test_non_ascii_path_is_sent_percent_encoded(http_server: LocalServer) -> None:
    encoded = quote(URDU_PATH)
    http_server.route(encoded, PAGE)
    url = http_server.url(URDU_PATH)
    got = fetch_url(url, Settings(allow_private_urls=True))
    assert b"Corridor talks" in got.content
    assert got.url == url  # the address as given, not its wire form
    assert http_server.requests[-1][0] == encoded


def test_query_keeps_its_escapes_and_encodes_the_rest(http_server: LocalServer) -> None:
    http_server.route("/search", PAGE)
    url = http_server.url("/search?q=中巴 走廊&done=100%25&odd=5%")
    fetch_url(url, Settings(allow_private_urls=True))
    path = http_server.requests[-1][0]
    assert path == "/search?q=%E4%B8%AD%E5%B7%B4%20%E8%B5%B0%E5%BB%8A&done=100%25&odd=5%25"


def test_redirect_to_a_raw_utf8_location(http_server: LocalServer) -> None:
    http_server.route(quote(URDU_PATH), PAGE)
    # the server sends the UTF-8 bytes of the path as they are (http.server writes latin-1)
    http_server.redirect("/moved", URDU_PATH.encode("utf-8").decode("latin-1"))
    got = fetch_url(http_server.url("/moved"), Settings(allow_private_urls=True))
    assert b"Corridor talks" in got.content
    assert got.url == http_server.url(quote(URDU_PATH))


def test_idna_host_is_looked_up_encoded(http_server: LocalServer,
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    http_server.route("/a", PAGE)
    asked = _resolve_to(monkeypatch, {"xn--efvy88h.example": "127.0.0.1"})
    got = fetch_url(f"http://新闻.example:{http_server.port}/a", Settings(allow_private_urls=True))
    assert b"Corridor talks" in got.content
    assert "xn--efvy88h.example" in asked
    assert http_server.requests[-1][1]["Host"] == f"xn--efvy88h.example:{http_server.port}"


def test_the_address_check_applies_to_the_encoded_host(
        http_server: LocalServer, monkeypatch: pytest.MonkeyPatch) -> None:
    _resolve_to(monkeypatch, {"xn--efvy88h.example": "127.0.0.1",
                              "sixtofour.example": "2002:7f00:1::",
                              "metadata.example": "2002:a9fe:a9fe::"})
    strict = Settings(allow_private_urls=False)
    for url, reason in [
        (f"http://新闻.example:{http_server.port}/a", "loopback"),
        (f"http://１２７.０.０.１:{http_server.port}/article.html", "loopback"),  # full width
        (f"http://%31%32%37.0.0.1:{http_server.port}/article.html", "loopback"),
        (f"http://sixtofour.example:{http_server.port}/a", r"loopback \(6to4"),
        ("http://metadata.example/latest/meta-data/", r"link-local \(6to4"),
        ("http://192.0.0.192/", "reserved"),
        ("http://[fec0::1]/", "site-local"),
    ]:
        with pytest.raises(FetchError, match=reason):
            fetch_url(url, strict)
    assert http_server.requests == []


@pytest.mark.parametrize("url", [
    "http://news.example/\ud800",                       # a lone surrogate
    "http://" + "a" * 64 + ".example/",                 # a label over 63 characters
    "http://a b.example/",                              # a space in the host
    "http://ex\x00ample.org/",                          # NUL
    "http://ex%ZZample.org/",                           # a broken escape in the host
    "http://[::1/",                                     # not an IPv6 address
    "http://[fe80::zz]/",
    "http://news.example/" + "x" * MAX_URL_CHARS,       # too long once encoded
])
def test_urls_that_cannot_be_sent_are_fetch_errors(url: str) -> None:
    with pytest.raises(FetchError):
        fetch_url(url, Settings(allow_private_urls=True, fetch_timeout=1))


@pytest.mark.parametrize(("url", "wire"), [
    ("http://news.example/ur/پاکستان-چین",
     "http://news.example/ur/%D9%BE%D8%A7%DA%A9%D8%B3%D8%AA%D8%A7%D9%86-%DA%86%DB%8C%D9%86"),
    ("http://新闻.example/a?q=中 国#frag",
     "http://xn--efvy88h.example/a?q=%E4%B8%AD%20%E5%9B%BD#frag"),
    ("http://News.Example:8080/a%20b/100%/c?x=%zz", "http://news.example:8080/a%20b/100%25/c?x=%25zz"),
    ("https://user:pa ss@example.org/", "https://user:pa%20ss@example.org/"),
    ("http://[::1]:8080/a", "http://[::1]:8080/a"),
    ("http://example.org/plain?a=1&b=2", "http://example.org/plain?a=1&b=2"),
])
def test_encode_url(url: str, wire: str) -> None:
    assert encode_url(url) == wire
    assert encode_url(wire) == wire


# -- the address check ----------------------------------------------------------------


@pytest.mark.parametrize(("address", "reason"), [
    ("192.0.0.192", "reserved"),
    ("192.0.0.8", "reserved"),
    ("192.88.99.1", "reserved"),
    ("2002:7f00:1::", "loopback (6to4 address for 127.0.0.1)"),
    ("2002:a9fe:a9fe::", "link-local (6to4 address for 169.254.169.254)"),
    ("2002:0a00:0001::1", "private (6to4 address for 10.0.0.1)"),
    ("2001:0:4136:e378:8000:63bf:80ff:fefe", "loopback (Teredo address for 127.0.1.1)"),
    ("64:ff9b::7f00:1", "loopback (NAT64 address for 127.0.0.1)"),
    ("::7f00:1", "loopback (IPv4-compatible address for 127.0.0.1)"),
    ("fec0::1", "site-local"),
    ("feff::1", "site-local"),
    ("2002:808:808::1", None),          # 6to4 for a public address
    ("::ffff:8.8.8.8", None),
])
def test_addresses_the_check_used_to_let_through(address: str, reason: str | None) -> None:
    assert forbidden_address_reason(address) == reason


# -- a feed whose links are not ASCII ---------------------------------------------------


def test_feed_with_non_ascii_links_is_read_to_the_end(http_server: LocalServer,
                                                      tmp_path: Any) -> None:
    http_server.route(quote(URDU_PATH), PAGE)
    base = http_server.base_url
    items = [(f"{base}{URDU_PATH}", "ur-1"), ("http://" + "b" * 70 + ".example/x", "bad-1"),
             (f"{base}/second.html", "en-2")]
    feed = "".join(f"<item><title>Item {guid}</title><link>{link}</link><guid>{guid}</guid>"
                   f"<description>Summary only.</description></item>" for link, guid in items)
    url = http_server.route("/ur-feed.xml", f'<?xml version="1.0" encoding="utf-8"?><rss '
                            f'version="2.0"><channel><title>Mixed</title>{feed}</channel></rss>',
                            content_type="application/rss+xml")
    settings = Settings(db=str(tmp_path / "pool.db"), allow_private_urls=True,
                        fetch_article_links=True)
    with Corridor(settings=settings) as pool:
        report = pool.ingest([url], extract=False)
        assert report.inputs == 3 and report.stored == 2 and report.quarantined == {"fetch": 1}
        [record] = pool.quarantine()
        assert "invalid host name" in record.message
        urls = {d.url for d in pool.store.iter_documents()}
    assert f"{base}{URDU_PATH}" in urls
