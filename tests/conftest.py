"""A real HTTP server on 127.0.0.1 for ingest tests (no network needed).

``http_server`` starts a threaded ``http.server`` on an ephemeral port for one
test. It serves files from a temporary folder (``http_server.root``) and
custom routes added with :meth:`LocalServer.route` / :meth:`LocalServer.redirect`.
Ready-made routes:

    /article.html   a short HTML news article (a file in root)
    /notes.txt      the same story as text/plain (a file in root)
    /feed.xml       RSS 2.0, two items linking to /article.html and /second.html
    /second.html    another article
    /missing        404 (any path that is neither a route nor a file)
    /error          500
    /slow           answers after 3 s (for timeouts)
    /trickle        sends its body one byte every 0.2 s
    /redirect       302 -> /article.html
    /huge           3 MB without Content-Length (streamed)
    /huge-declared  declares Content-Length: 50000000 and sends little

``http_server.requests`` records (path, headers) for every request.
``closed_port_url`` is an http URL on 127.0.0.1 where nothing listens.
``ingest_samples`` holds the sample texts (the suite runs with
``--import-mode=importlib``, so test modules cannot import this conftest;
import ``LocalServer`` under ``TYPE_CHECKING`` only, for annotations).
"""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from email.message import Message
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

# pg_server / pg_url / db_url: a real PostgreSQL server for tests over both backends
pytest_plugins = ["tests.pg"]

ARTICLE_HTML = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>Ministers meet on river port plan | Harbour Daily</title>
<meta property="article:published_time" content="2024-03-05T09:00:00+05:00">
</head><body>
<nav><a href="/">Home</a> <a href="/world">World</a></nav>
<article>
<h1>Ministers meet on river port plan</h1>
<p>NORTHTOWN, March 5: The transport ministers of Avalon and Borduria met on
Tuesday to review a plan for a new river port, officials said.</p>
<p>They agreed to set up a joint working group on logistics and to meet again
before the end of the year, according to a statement issued after the talks.</p>
</article>
<footer>Copyright Harbour Daily</footer>
</body></html>
"""

SECOND_HTML = """<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>Rail link study signed</title></head>
<body><article><h1>Rail link study signed</h1>
<p>Engineers from both countries signed a feasibility study for a rail link on
Wednesday, the ministry of planning said in a short statement.</p>
</article></body></html>
"""

ARTICLE_TEXT = (
    "Ministers meet on river port plan\n\n"
    "The transport ministers of Avalon and Borduria met on Tuesday to review a "
    "plan for a new river port, officials said.\n"
)


def rss_feed(base_url: str) -> str:
    """An RSS 2.0 feed whose items point at the server's articles."""
    return f"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">
<channel>
  <title>Harbour Daily</title>
  <link>{base_url}/</link>
  <description>Test feed</description>
  <item>
    <title>Ministers meet on river port plan</title>
    <link>{base_url}/article.html</link>
    <guid isPermaLink="false">hd-1001</guid>
    <pubDate>Tue, 05 Mar 2024 09:00:00 +0500</pubDate>
    <description>The transport ministers met to review a river port plan.</description>
  </item>
  <item>
    <title>Rail link study signed</title>
    <link>{base_url}/second.html</link>
    <guid isPermaLink="false">hd-1002</guid>
    <description>Engineers signed a &lt;b&gt;feasibility study&lt;/b&gt;.</description>
    <content:encoded><![CDATA[<p>Engineers from both countries signed a feasibility
study for a rail link on Wednesday.</p>]]></content:encoded>
  </item>
</channel>
</rss>
"""


@dataclass
class Route:
    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0  # seconds before the status line
    chunk_size: int = 0  # >0: send the body in chunks of this size
    chunk_delay: float = 0.0  # seconds between chunks
    repeat: int = 1  # send the body this many times (big bodies, little memory)


class LocalServer:
    """A threaded HTTP server on 127.0.0.1 with files and custom routes."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.routes: dict[str, Route] = {}
        self.requests: list[tuple[str, Message]] = []
        handler = partial(_Handler, directory=str(root))
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.httpd.daemon_threads = True
        self.httpd.owner = self  # type: ignore[attr-defined]
        self.port = int(self.httpd.server_address[1])
        self.base_url = f"http://127.0.0.1:{self.port}"
        self._thread = threading.Thread(
            target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    def url(self, path: str = "/") -> str:
        return self.base_url + path

    def route(
        self,
        path: str,
        body: bytes | str = b"",
        *,
        status: int = 200,
        content_type: str | None = "text/html; charset=utf-8",
        headers: dict[str, str] | None = None,
        **options: Any,
    ) -> str:
        """Serve ``body`` at ``path``; returns the full URL."""
        data = body.encode("utf-8") if isinstance(body, str) else body
        all_headers = dict(headers or {})
        if content_type:
            all_headers.setdefault("Content-Type", content_type)
        self.routes[path] = Route(status=status, body=data, headers=all_headers, **options)
        return self.url(path)

    def redirect(self, path: str, location: str, status: int = 302) -> str:
        return self.route(path, status=status, headers={"Location": location}, content_type=None)

    def write(self, name: str, data: bytes | str) -> str:
        """Put a file under the served folder; returns its URL."""
        target = self.root / name
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(data, str):
            target.write_text(data, encoding="utf-8")
        else:
            target.write_bytes(data)
        return self.url("/" + name)


class _Handler(SimpleHTTPRequestHandler):
    server: ThreadingHTTPServer

    def do_GET(self) -> None:  # noqa: N802 - http.server naming
        owner: LocalServer = self.server.owner  # type: ignore[attr-defined]
        owner.requests.append((self.path, self.headers))
        route = owner.routes.get(self.path.split("?", 1)[0])
        if route is None:
            super().do_GET()
            return
        # the client may give up (timeouts, size limits): expected
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            self._send_route(route)

    def _send_route(self, route: Route) -> None:
        if route.delay:
            time.sleep(route.delay)
        self.send_response(route.status)
        for name, value in route.headers.items():
            self.send_header(name, value)
        self.send_header("Connection", "close")
        self.end_headers()
        step = route.chunk_size or max(len(route.body), 1)
        for _ in range(route.repeat):
            for start in range(0, len(route.body), step):
                self.wfile.write(route.body[start : start + step])
                self.wfile.flush()
                if route.chunk_delay:
                    time.sleep(route.chunk_delay)

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        pass


def _standard_routes(server: LocalServer) -> None:
    server.write("article.html", ARTICLE_HTML)
    server.write("second.html", SECOND_HTML)
    server.write("notes.txt", ARTICLE_TEXT)
    server.route("/feed.xml", rss_feed(server.base_url), content_type="application/rss+xml")
    server.route("/error", "<h1>Internal error</h1>", status=500)
    server.route("/slow", ARTICLE_HTML, delay=3.0)
    server.route("/trickle", b"x" * 50, chunk_size=1, chunk_delay=0.2)
    server.redirect("/redirect", "/article.html")
    server.route("/huge", b"y" * 65536, content_type="text/plain", repeat=48)
    server.route(
        "/huge-declared",
        b"z" * 100,
        content_type="text/plain",
        headers={"Content-Length": "50000000"},
    )


@pytest.fixture
def http_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalServer]:
    """A started :class:`LocalServer` with the standard routes; stopped after the test."""
    server = LocalServer(tmp_path_factory.mktemp("www"))
    _standard_routes(server)
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def closed_port_url() -> str:
    """An http URL on 127.0.0.1 where nothing listens (connection refused)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}/article.html"


@pytest.fixture
def ingest_samples() -> SimpleNamespace:
    """The sample article texts and the RSS builder used by the standard routes."""
    return SimpleNamespace(
        article_html=ARTICLE_HTML,
        second_html=SECOND_HTML,
        article_text=ARTICLE_TEXT,
        rss_feed=rss_feed,
    )


# -- layers -------------------------------------------------------------------------------
# The default `pytest` runs the fast layer; .ci/run also runs the others
# (`pytest -m "slow or postgres or browser or dask or reliability"`). Markers are
# given here by what a test needs, so a new test lands in the right layer by itself;
# `slow` is set by hand on tests that are long for other reasons.
_LAYER_BY_PATH = {
    "tests/web/test_browser.py": "browser",
    "tests/engine/": "dask",
    "tests/reliability/": "reliability",
    "tests/fuzz/test_schemathesis.py": "slow",
}


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    root = Path(str(config.rootpath))
    for item in items:
        try:
            rel = Path(str(item.fspath)).resolve().relative_to(root).as_posix()
        except ValueError:
            rel = str(item.fspath)
        for prefix, marker in _LAYER_BY_PATH.items():
            if rel.startswith(prefix):
                item.add_marker(marker)
        names = set(getattr(item, "fixturenames", ()))
        callspec = getattr(item, "callspec", None)
        on_pg = callspec is not None and callspec.params.get("db_url") == "postgres"
        if on_pg or names & {"pg_server", "pg_url"}:
            item.add_marker("postgres")
