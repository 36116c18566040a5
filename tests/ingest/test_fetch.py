"""fetch_url against a real local HTTP server."""

from __future__ import annotations

import gzip
import socket
from typing import TYPE_CHECKING, Any

import pytest

from corridor.errors import FetchError, TooLarge, UnsupportedInput
from corridor.ingest import fetch as fetch_module
from corridor.ingest.fetch import Fetched, fetch_url, forbidden_address_reason
from corridor.settings import Settings

if TYPE_CHECKING:
    from conftest import LocalServer

ARTICLE_HTML = "<html><body><h1>Port plan</h1><p>Ministers met on Tuesday.</p></body></html>"


def test_fetches_page_with_type_and_charset(http_server: LocalServer) -> None:
    url = http_server.route("/page", ARTICLE_HTML, content_type="text/html; charset=ISO-8859-1")
    got = fetch_url(url, Settings())
    assert isinstance(got, Fetched)
    assert got.url == url
    assert got.content == ARTICLE_HTML.encode()
    assert got.content_type == "text/html"
    assert got.charset == "iso-8859-1"


def test_static_file_and_missing_content_type(http_server: LocalServer) -> None:
    got = fetch_url(http_server.url("/notes.txt"), Settings())
    assert got.content_type == "text/plain"
    assert got.charset is None
    bare = http_server.route("/bare", b"hello", content_type=None)
    assert fetch_url(bare, Settings()).content_type is None


def test_sends_user_agent(http_server: LocalServer) -> None:
    fetch_url(http_server.url("/article.html"), Settings(user_agent="TestAgent/9"))
    _path, headers = http_server.requests[-1]
    assert headers["User-Agent"] == "TestAgent/9"


def test_follows_redirect_and_reports_final_url(http_server: LocalServer) -> None:
    got = fetch_url(http_server.url("/redirect"), Settings())
    assert got.url == http_server.url("/article.html")
    assert b"river port" in got.content


@pytest.mark.parametrize(
    ("path", "expected"),
    [("/missing", "HTTP 404 Not Found for "), ("/error", "HTTP 500 Internal Server Error for ")],
)
def test_http_errors(http_server: LocalServer, path: str, expected: str) -> None:
    url = http_server.url(path)
    with pytest.raises(FetchError) as info:
        fetch_url(url, Settings())
    assert expected in str(info.value)
    assert url in str(info.value)


def test_connection_refused(closed_port_url: str) -> None:
    with pytest.raises(FetchError, match="connection refused"):
        fetch_url(closed_port_url, Settings())


def test_dns_failure(monkeypatch: pytest.MonkeyPatch) -> None:
    real = socket.getaddrinfo

    def fake(host: Any, *args: Any, **kwargs: Any) -> Any:
        if host == "news.invalid":
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        return real(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", fake)
    with pytest.raises(FetchError, match="DNS lookup failed"):
        fetch_url("http://news.invalid/a.html", Settings())
    with pytest.raises(FetchError, match="DNS lookup failed"):
        fetch_url("http://news.invalid/a.html", Settings(allow_private_urls=False))


def test_timeout_waiting_for_response(http_server: LocalServer) -> None:
    with pytest.raises(FetchError, match="timed out"):
        fetch_url(http_server.url("/slow"), Settings(fetch_timeout=0.3))


def test_timeout_bounds_a_trickling_body(http_server: LocalServer) -> None:
    # the body keeps coming, byte by byte, for longer than the timeout: a per-read
    # timeout would never fire, so the error itself shows the bound is on the whole body
    with pytest.raises(FetchError, match="timed out"):
        fetch_url(http_server.url("/trickle"), Settings(fetch_timeout=0.5))


def test_streamed_body_over_limit(http_server: LocalServer) -> None:
    with pytest.raises(TooLarge):
        fetch_url(http_server.url("/huge"), Settings(max_bytes=1_000_000))


def test_declared_length_over_limit_fails_early(http_server: LocalServer) -> None:
    with pytest.raises(TooLarge, match="50000000"):
        fetch_url(http_server.url("/huge-declared"), Settings(max_bytes=1_000_000))


def test_gzip_body_is_decompressed(http_server: LocalServer) -> None:
    url = http_server.route(
        "/gz", gzip.compress(ARTICLE_HTML.encode()), headers={"Content-Encoding": "gzip"}
    )
    assert fetch_url(url, Settings()).content == ARTICLE_HTML.encode()


def test_gzip_bomb_stops_at_limit(http_server: LocalServer) -> None:
    bomb = gzip.compress(b"\0" * 5_000_000)
    url = http_server.route("/bomb", bomb, headers={"Content-Encoding": "gzip"})
    with pytest.raises(TooLarge):
        fetch_url(url, Settings(max_bytes=100_000))


def test_redirect_loop_is_a_fetch_error(http_server: LocalServer) -> None:
    url = http_server.redirect("/loop", "/loop")
    with pytest.raises(FetchError, match="HTTP 302"):
        fetch_url(url, Settings())


@pytest.mark.parametrize("url", ["ftp://example.org/a.txt", "file:///etc/passwd", "example.org"])
def test_only_http_schemes(url: str) -> None:
    with pytest.raises(UnsupportedInput, match="only http and https"):
        fetch_url(url, Settings())


@pytest.mark.parametrize("target", ["file:///etc/passwd", "ftp://127.0.0.1/x"])
def test_redirect_to_other_scheme_refused(http_server: LocalServer, target: str) -> None:
    url = http_server.redirect("/elsewhere", target)
    with pytest.raises(FetchError, match="non-http|not allowed"):
        fetch_url(url, Settings())


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost"])
def test_private_address_refused_before_connecting(http_server: LocalServer, host: str) -> None:
    url = f"http://{host}:{http_server.port}/article.html"
    with pytest.raises(FetchError, match="loopback") as info:
        fetch_url(url, Settings(allow_private_urls=False))
    assert "allow_private_urls" in str(info.value)
    assert http_server.requests == []


def test_https_is_guarded_too(http_server: LocalServer) -> None:
    url = f"https://127.0.0.1:{http_server.port}/article.html"
    with pytest.raises(FetchError, match="loopback"):
        fetch_url(url, Settings(allow_private_urls=False))


def test_tls_to_a_plain_http_server_is_a_fetch_error(http_server: LocalServer) -> None:
    url = f"https://127.0.0.1:{http_server.port}/article.html"
    with pytest.raises(FetchError, match="TLS error|bad HTTP|connection reset"):
        fetch_url(url, Settings(fetch_timeout=2))


def test_link_local_metadata_address_refused() -> None:
    with pytest.raises(FetchError, match="link-local"):
        fetch_url("http://169.254.169.254/latest/meta-data/", Settings(allow_private_urls=False))


def test_redirect_to_private_address_refused(
    http_server: LocalServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    # pretend 127.0.0.1 is public so the first hop is allowed; 127.0.0.2 stays private
    def policy(address: str) -> str | None:
        return "private" if address == "127.0.0.2" else None

    monkeypatch.setattr(fetch_module, "forbidden_address_reason", policy)
    url = http_server.redirect("/inside", f"http://127.0.0.2:{http_server.port}/article.html")
    with pytest.raises(FetchError, match=r"127\.0\.0\.2.*private"):
        fetch_url(url, Settings(allow_private_urls=False))
    assert [path for path, _ in http_server.requests] == ["/inside"]


@pytest.mark.parametrize(
    ("address", "reason"),
    [
        ("10.1.2.3", "private"),
        ("192.168.0.10", "private"),
        ("172.16.5.4", "private"),
        ("127.0.0.1", "loopback"),
        ("::1", "loopback"),
        ("::ffff:127.0.0.1", "loopback"),
        ("169.254.169.254", "link-local"),
        ("fe80::1%eth0", "link-local"),
        ("0.0.0.0", "unspecified"),
        ("224.0.0.1", "multicast"),
        ("100.64.0.1", "not globally routable"),
        ("8.8.8.8", None),
        ("2001:4860:4860::8888", None),
    ],
)
def test_forbidden_address_reason(address: str, reason: str | None) -> None:
    assert forbidden_address_reason(address) == reason
