"""iter_sources over files, folders, JSONL, feeds and URLs (real local server)."""

from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any

import pytest

from corridor.document import Document, Failure
from corridor.errors import (
    EncodingError,
    FetchError,
    MalformedInput,
    TooLarge,
    UnsupportedInput,
)
from corridor.ingest.sources import count_hint, iter_sources
from corridor.settings import Settings

if TYPE_CHECKING:
    from conftest import LocalServer

RSS_FILE = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Local Feed</title>
<item><title>One</title><link>https://local.example/1</link><guid>g1</guid>
<description>First item text.</description></item>
<item><title>Two</title><link>https://local.example/2</link>
<description>Second &lt;b&gt;item&lt;/b&gt;.</description></item>
</channel></rss>
"""


def _run(targets: list[str], **settings: object) -> list[Document | Failure]:
    return list(iter_sources(targets, Settings(**settings)))  # type: ignore[arg-type]


def _docs(items: list[Document | Failure]) -> list[Document]:
    return [item for item in items if isinstance(item, Document)]


def _failures(items: list[Document | Failure]) -> list[Failure]:
    return [item for item in items if isinstance(item, Failure)]


# -- files and folders ----------------------------------------------------------


def test_text_and_html_files(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_bytes(b"Plain story.")
    (tmp_path / "b.HTML").write_bytes(b"<p>Html story.</p>")
    [txt, html] = _run([str(tmp_path / "a.txt"), str(tmp_path / "b.HTML")])
    assert isinstance(txt, Document) and isinstance(html, Document)
    assert (txt.origin, txt.fmt, txt.raw) == ("file", "text", b"Plain story.")
    assert txt.source_key == str((tmp_path / "a.txt").resolve())
    assert txt.source is None
    assert (html.fmt, html.raw) == ("html", b"<p>Html story.</p>")


def test_folder_recursion_sorted_hidden_skipped(tmp_path: Path) -> None:
    (tmp_path / "b.txt").write_text("b")
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "z.htm").write_text("<p>z</p>")
    (tmp_path / "a" / "deep").mkdir()
    (tmp_path / "a" / "deep" / "c.txt").write_text("c")
    (tmp_path / ".hidden.txt").write_text("secret")
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "x.txt").write_text("x")
    items = _run([str(tmp_path)])
    keys = [Path(item.source_key).relative_to(tmp_path.resolve()).as_posix() for item in items]
    assert keys == ["a/deep/c.txt", "a/z.htm", "b.txt"]
    assert all(isinstance(item, Document) for item in items)
    assert count_hint([str(tmp_path)]) == 3


def test_folder_iteration_is_lazy(tmp_path: Path) -> None:
    for i in range(5):
        (tmp_path / f"{i}.txt").write_text(str(i))
    stream = iter_sources([str(tmp_path)], Settings())
    first = next(stream)
    assert isinstance(first, Document) and first.raw == b"0"
    (tmp_path / "4.txt").write_text("changed after the walk started")
    rest = list(stream)
    assert rest[-1].raw == b"changed after the walk started"  # type: ignore[union-attr]


def test_unsupported_extension(tmp_path: Path) -> None:
    (tmp_path / "sheet.csv").write_text("a,b")
    [failure] = _run([str(tmp_path / "sheet.csv")])
    assert isinstance(failure, Failure)
    assert isinstance(failure.error, UnsupportedInput)
    assert "unsupported file type .csv" in str(failure.error)
    assert ".txt, .html, .htm, .jsonl" in str(failure.error)


def test_too_large_file_keeps_head(tmp_path: Path) -> None:
    (tmp_path / "big.txt").write_bytes(b"x" * 5000)
    [failure] = _run([str(tmp_path / "big.txt")], max_bytes=1000, quarantine_keep_bytes=100)
    assert isinstance(failure, Failure) and isinstance(failure.error, TooLarge)
    assert failure.raw == b"x" * 100


def test_missing_path(tmp_path: Path) -> None:
    target = tmp_path / "nowhere" / "story.txt"
    [failure] = _run([str(target)])
    assert isinstance(failure, Failure) and isinstance(failure.error, FetchError)
    assert "no such file or directory" in str(failure.error)
    assert failure.source_key == str(target)


def test_unreadable_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "locked.txt"
    target.write_text("x")
    real_open = Path.open

    def deny(self: Path, *args: Any, **kwargs: Any) -> Any:
        if self.name == "locked.txt":  # works as root too, unlike chmod 0
            raise PermissionError(13, "Permission denied", str(self))
        return real_open(self, *args, **kwargs)

    monkeypatch.setattr(Path, "open", deny)
    [failure] = _run([str(target)])
    assert isinstance(failure, Failure) and isinstance(failure.error, FetchError)
    assert "permission denied" in str(failure.error)


def test_feed_file_and_non_feed_xml(tmp_path: Path) -> None:
    (tmp_path / "news.rss").write_text(RSS_FILE)
    (tmp_path / "page.xml").write_text("<config><a>1</a></config>")
    items = _run([str(tmp_path)])
    feed_key = str((tmp_path / "news.rss").resolve())
    one, two, bad = items
    assert isinstance(one, Document) and isinstance(two, Document)
    assert one.source_key == f"{feed_key}#g1"
    assert two.source_key == f"{feed_key}#https://local.example/2"
    assert (one.origin, one.fmt, one.raw_text) == ("feed", "text", "First item text.")
    assert (one.url, one.hint_title, one.source) == ("https://local.example/1", "One", "Local Feed")
    assert two.fmt == "html"
    assert isinstance(bad, Failure) and isinstance(bad.error, UnsupportedInput)
    assert "not a feed" in str(bad.error)


# -- JSONL --------------------------------------------------------------------


def test_jsonl_with_bad_lines(tmp_path: Path) -> None:
    lines = [
        json.dumps(
            {
                "url": "https://j.example/1",
                "title": "T1",
                "date": "2024-01-02",
                "text": "Body one.",
                "source": "J News",
                "lang": "en",
            }
        ),
        "",
        "{not json",
        json.dumps({"title": "no body"}),
        json.dumps(["a", "list"]),
        json.dumps({"title": "T2", "html": "<p>Body two.</p>"}),
    ]
    path = tmp_path / "batch.jsonl"
    path.write_text("\n".join(lines) + "\n")
    items = _run([str(path)])
    assert len(items) == 5  # the blank line is ignored
    first, bad_json, no_body, not_object, second = items
    assert isinstance(first, Document)
    assert first.source_key == "https://j.example/1"
    assert (first.origin, first.fmt, first.raw_text) == ("jsonl", "text", "Body one.")
    assert (first.hint_title, first.hint_date, first.source) == ("T1", "2024-01-02", "J News")
    assert first.extra["hint_lang"] == "en"
    for failure, line_no in ((bad_json, 3), (no_body, 4), (not_object, 5)):
        assert isinstance(failure, Failure) and isinstance(failure.error, MalformedInput)
        assert failure.source_key == f"{path.resolve()}#L{line_no}"
        assert failure.raw == lines[line_no - 1].encode() + b"\n"
    assert "invalid JSON" in str(bad_json.error)  # type: ignore[union-attr]
    assert isinstance(second, Document)
    assert (second.source_key, second.fmt) == (f"{path.resolve()}#L6", "html")


def test_jsonl_limit_applies_per_line(tmp_path: Path) -> None:
    path = tmp_path / "lines.jsonl"
    small = json.dumps({"text": "short"})
    huge = json.dumps({"text": "w" * 5000})
    path.write_text("\n".join([small, huge, small, small]) + "\n")
    items = _run([str(path)], max_bytes=1000, quarantine_keep_bytes=50)
    assert [type(item).__name__ for item in items] == [
        "Document",
        "Failure",
        "Document",
        "Document",
    ]
    failure = items[1]
    assert isinstance(failure, Failure) and isinstance(failure.error, TooLarge)
    assert failure.source_key.endswith("#L2") and failure.raw == huge.encode()[:50]
    assert items[2].source_key.endswith("#L3")


def test_jsonl_non_utf8_line(tmp_path: Path) -> None:
    path = tmp_path / "latin.jsonl"
    path.write_bytes('{"text": "café"}\n'.encode("latin-1") + b'{"text": "ok"}\n')
    bad, good = _run([str(path)])
    assert isinstance(bad, Failure) and isinstance(bad.error, EncodingError)
    assert isinstance(good, Document) and good.raw_text == "ok"


# -- URLs ---------------------------------------------------------------------


def test_url_page(http_server: LocalServer, ingest_samples: SimpleNamespace) -> None:
    url = http_server.url("/redirect")
    [doc] = _run([url])
    assert isinstance(doc, Document)
    assert doc.origin == "url" and doc.fmt == "html"
    assert doc.source_key == url
    assert doc.url == http_server.url("/article.html")
    assert doc.source == "127.0.0.1"
    assert doc.raw == ingest_samples.article_html.encode()


def test_url_plain_text_and_charset(http_server: LocalServer) -> None:
    url = http_server.route("/t", "Plain words.", content_type="text/plain; charset=windows-1252")
    [doc] = _run([url])
    assert isinstance(doc, Document)
    assert (doc.fmt, doc.encoding_hint) == ("text", "windows-1252")


def test_url_feed(http_server: LocalServer) -> None:
    feed_url = http_server.url("/feed.xml")
    first, second = _run([feed_url])
    assert isinstance(first, Document) and isinstance(second, Document)
    assert first.source_key == f"{feed_url}#hd-1001"
    assert first.origin == "feed"
    assert first.url == http_server.url("/article.html")
    assert (first.hint_title, first.hint_date) == (
        "Ministers meet on river port plan",
        "2024-03-05",
    )
    assert first.source == "Harbour Daily"
    assert first.fmt == "text" and "river port plan" in (first.raw_text or "")
    assert second.fmt == "html" and "feasibility" in (second.raw_text or "")
    assert count_hint([feed_url]) is None


def test_url_feed_fetches_article_links(http_server: LocalServer) -> None:
    http_server.route(
        "/feed2.xml",
        f"""<rss version="2.0"><channel><title>F</title>
        <item><title>A</title><link>{http_server.url("/article.html")}</link>
        <guid isPermaLink="false">a</guid><description>short</description></item>
        <item><title>B</title><link>{http_server.url("/gone.html")}</link>
        <guid isPermaLink="false">b</guid><description>short</description></item>
        </channel></rss>""",
        content_type="application/rss+xml",
    )
    page, failure = _run([http_server.url("/feed2.xml")], fetch_article_links=True)
    assert isinstance(page, Document)
    assert page.origin == "feed" and page.fmt == "html" and page.raw_text is None
    assert page.raw is not None and b"river port" in page.raw
    assert (page.hint_title, page.extra["feed_summary"]) == ("A", "short")
    assert isinstance(failure, Failure) and isinstance(failure.error, FetchError)
    assert failure.source_key.endswith("/feed2.xml#b") and "HTTP 404" in str(failure.error)


def test_url_http_error(http_server: LocalServer) -> None:
    url = http_server.url("/missing")
    [failure] = _run([url])
    assert isinstance(failure, Failure)
    assert (failure.origin, failure.source_key, failure.url) == ("url", url, url)
    assert "HTTP 404" in str(failure.error)


def test_unreachable_url(closed_port_url: str) -> None:
    [failure] = _run([closed_port_url])
    assert isinstance(failure, Failure) and failure.origin == "url"
    assert "connection refused" in str(failure.error)


def test_private_url_refused(http_server: LocalServer) -> None:
    [failure] = _run([http_server.url("/article.html")], allow_private_urls=False)
    assert isinstance(failure, Failure) and isinstance(failure.error, FetchError)
    assert "loopback" in str(failure.error)
    assert http_server.requests == []


def test_other_url_scheme(tmp_path: Path) -> None:
    [failure] = _run(["ftp://example.org/a.txt"])
    assert isinstance(failure, Failure) and isinstance(failure.error, UnsupportedInput)


def test_empty_target_is_not_the_current_folder() -> None:
    [failure] = _run([""])
    assert isinstance(failure, Failure) and "empty target" in str(failure.error)


def test_mixed_targets_and_count_hint(tmp_path: Path) -> None:
    (tmp_path / "one.txt").write_text("1")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "two.txt").write_text("2")
    targets = [str(tmp_path / "one.txt"), str(tmp_path / "sub"), str(tmp_path / "missing.txt")]
    assert count_hint(targets) == 3
    items = _run(targets)
    assert [type(item).__name__ for item in items] == ["Document", "Document", "Failure"]


def test_count_hint_counts_jsonl_lines(tmp_path: Path) -> None:
    lines = [json.dumps({"title": f"t{i}", "text": "body"}) for i in range(4)]
    (tmp_path / "batch.jsonl").write_text("\n".join(lines) + "\n\n")
    (tmp_path / "page.html").write_text("<p>x</p>")
    assert count_hint([str(tmp_path)]) == 5
    assert count_hint([str(tmp_path / "batch.jsonl")]) == len(_run([str(tmp_path / "batch.jsonl")]))
