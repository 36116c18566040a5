"""Properties of URLs with any Unicode and any length (issue 15), through the fetch
path and the HTTP API.

* :func:`encode_url` gives an ASCII URL that ``http.client`` can send (no
  space, no control character), encoding it again changes nothing, or it
  raises FetchError; nothing else.
* :func:`fetch_url` against a local server that every host resolves to: a
  result or an input error (never an encoding error from ``http.client``),
  and every request line that reaches the server is ASCII. With private
  addresses refused, every one of those URLs is refused before connecting.
* ``POST /api/ingest`` with such a URL (in ``urls`` or as an article's
  ``url``, next to any ``text``): 200 (the input quarantined or stored) or
  422 (refused: a lone surrogate, a non-http URL), never a 500.

DNS is faked for the whole of each test: nothing leaves the machine.
"""

from __future__ import annotations

import json
import os
import socket
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import SimpleNamespace
from typing import Any
from unittest import mock

import pytest
from fastapi.testclient import TestClient
from hypothesis import given, settings
from hypothesis import strategies as st

from corridor.errors import CorridorError, FetchError, InputError
from corridor.ingest.fetch import encode_url, fetch_url
from corridor.service import Corridor
from corridor.settings import Settings
from corridor.web import WebConfig, create_app

SCALE = 10 if os.environ.get("HYPOTHESIS_PROFILE") == "corridor-long" else 1

#: any code point: surrogates, controls, unassigned, private use included
anything = st.characters(exclude_categories=())
some_text = st.text(anything, max_size=40)
#: mostly short, sometimes thousands of characters (a repeated piece)
long_text = st.builds(lambda piece, times: piece * times,
                      st.text(anything, min_size=1, max_size=12), st.integers(1, 3000))
piece = st.one_of(some_text, some_text, long_text)
host = st.one_of(
    piece,
    st.sampled_from(["新闻.example", "پاکستان.pk", "１２７.０.０.１", "xn--efvy88h.example",
                     "[::1]", "[2002:7f00:1::]", "%31%32%37.0.0.1", "a" * 64 + ".example",
                     "news.example", "ex\x00ample.org", "", "ß.de", "☃.net"]),
)
urls = st.one_of(
    st.builds(lambda scheme, h, port, path, query: f"{scheme}://{h}{port}/{path}{query}",
              st.sampled_from(["http", "https", "HTTP"]), host,
              st.sampled_from(["", ":8080", ":0", ":99999", ":x", ":"]), piece,
              st.one_of(st.just(""), st.builds(lambda q: "?" + q, piece))),
    st.builds(lambda rest: "http://" + rest, piece),
    piece,
)


def _is_sendable(url: str) -> bool:
    return url.isascii() and not any(ord(c) <= 0x20 or ord(c) == 0x7F for c in url)


@settings(max_examples=400 * SCALE)
@given(url=urls)
def test_encode_url_is_ascii_and_stable_or_a_fetch_error(url: str) -> None:
    try:
        wire = encode_url(url)
    except FetchError:
        return
    assert _is_sendable(wire), wire
    assert encode_url(wire) == wire


# -- fetch_url against a local server ------------------------------------------------------


class _Recorder(BaseHTTPRequestHandler):
    lines: list[str] = []

    def do_GET(self) -> None:  # noqa: N802 - http.server naming
        _Recorder.lines.append(self.requestline)
        body = b"Harbour officials met on Thursday."
        self.send_response(200)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Connection", "close")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        pass


@pytest.fixture(scope="module")
def everything_resolves_here() -> Iterator[SimpleNamespace]:
    """A local server, and a getaddrinfo that sends every host (and port) to it."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Recorder)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05},
                              daemon=True)
    thread.start()
    port = int(server.server_address[1])

    def resolve(host: Any, *args: Any, **kwargs: Any) -> Any:
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("127.0.0.1", port))]

    try:
        with mock.patch.object(socket, "getaddrinfo", resolve):
            yield SimpleNamespace(port=port, lines=_Recorder.lines)
    finally:
        server.shutdown()
        server.server_close()


@settings(max_examples=80 * SCALE)
@given(url=urls)
def test_fetch_any_url_gives_a_result_or_an_input_error(
        everything_resolves_here: SimpleNamespace, url: str) -> None:
    seen = len(everything_resolves_here.lines)
    try:
        got = fetch_url(url, Settings(allow_private_urls=True, fetch_timeout=5))
    except InputError:
        pass
    else:
        assert got.content == b"Harbour officials met on Thursday."
    assert all(line.isascii() for line in everything_resolves_here.lines[seen:])


@settings(max_examples=80 * SCALE)
@given(url=urls)
def test_with_private_urls_refused_nothing_reaches_the_server(
        everything_resolves_here: SimpleNamespace, url: str) -> None:
    seen = len(everything_resolves_here.lines)
    with pytest.raises(InputError):  # refused: loopback, or not sendable, or not http
        fetch_url(url, Settings(allow_private_urls=False, fetch_timeout=5))
    assert len(everything_resolves_here.lines) == seen


# -- the HTTP API ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def api(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SimpleNamespace]:
    """A client over a fresh pool with a token; every DNS lookup fails at once."""
    db = Path(tmp_path_factory.mktemp("url-props")) / "pool.db"
    with Corridor(settings=Settings(db=str(db))) as pool:
        _, token = pool.create_token("props")

    def no_dns(host: Any, *args: Any, **kwargs: Any) -> Any:
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    config = WebConfig(readers=1, ingest_burst=1_000_000, ingest_per_minute=1_000_000.0)
    app = create_app(Settings(db=str(db), fetch_timeout=2), config)
    with mock.patch.object(socket, "getaddrinfo", no_dns), \
            TestClient(app, base_url="http://127.0.0.1") as client:
        yield SimpleNamespace(client=client, headers={
            "Authorization": f"Bearer {token}", "Content-Type": "application/json"})


def _post(api: SimpleNamespace, body: dict[str, Any]) -> Any:
    # json.dumps writes a lone surrogate as a \\udXXX escape: valid JSON, invalid text
    return api.client.post("/api/ingest", content=json.dumps(body).encode("ascii"),
                           headers=api.headers)


@settings(max_examples=60 * SCALE)
@given(url=urls)
def test_api_ingest_of_any_url_is_200_or_422(api: SimpleNamespace, url: str) -> None:
    r = _post(api, {"urls": [url]})
    assert r.status_code in (200, 422), (r.status_code, r.text[:300])
    if r.status_code == 200:
        report = r.json()["report"]
        assert report["inputs"] == 1
        assert sum(report["quarantined"].values()) + report["stored"] + report["unchanged"] \
            + sum(report["dropped"].values()) == 1


@settings(max_examples=60 * SCALE)
@given(url=urls, text=st.one_of(some_text, long_text), title=some_text)
def test_api_ingest_of_any_article_is_200_or_422(api: SimpleNamespace, url: str, text: str,
                                                  title: str) -> None:
    r = _post(api, {"articles": [{"url": url, "text": text, "title": title}]})
    assert r.status_code in (200, 422), (r.status_code, r.text[:300])
    if r.status_code == 200:
        assert r.json()["report"]["inputs"] == 1


def test_corridor_errors_are_input_errors_on_the_fetch_path() -> None:
    # what the properties above allow: every fetch failure is an InputError
    assert issubclass(FetchError, InputError) and issubclass(InputError, CorridorError)
