"""Hostile files and responses through ``Corridor.ingest``: each ends in
quarantine (or a bounded, harmless result) with its reason, and what was
stored before is still there, unchanged, afterwards.

Unit-level checks of the same defences live next to the modules:
tests/ingest/test_feeds.py (billion laughs, XXE), tests/ingest/test_clean.py
(entities in HTML), tests/ingest/test_fetch.py (gzip bomb, size limits),
tests/ingest/test_sources.py (too-large files, invalid UTF-8 JSONL lines).
"""

from __future__ import annotations

import gzip
import io
import zipfile
import zlib
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from corridor.service import Corridor

if TYPE_CHECKING:
    from tests.conftest import LocalServer

LAUGHS_DTD = ('<!DOCTYPE lolz [<!ENTITY lol "lol">'
              + "".join(f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">'.replace("&lol0;", "&lol;")
                        for i in range(1, 10))
              + "]>")
BODY = ("Harbour officials met on Tuesday to review the plan for a new ferry terminal, the "
        "port office said, and agreed to publish the timetable before the summer season.")


def snapshot(pool: Corridor) -> tuple[int, list[str]]:
    docs = sorted(f"{d.id}|{d.title}|{d.text}" for d in pool.recent_documents(1000))
    return pool.stats()["documents"], docs


def quarantined(pool: Corridor) -> dict[str, tuple[str, str]]:
    """File name (or URL path) -> (code, message) of every quarantined input."""
    return {r.source_key.rsplit("/", 1)[-1]: (r.code, r.message) for r in pool.quarantine(1000)}


def all_text(pool: Corridor) -> str:
    return "\n".join(f"{d.title}\n{d.text}" for d in pool.recent_documents(1000))


def test_billion_laughs_feed_and_page(pool: Corridor, tmp_path: Path) -> None:
    before = snapshot(pool)
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "laughs.xml").write_text(
        f'<?xml version="1.0"?>{LAUGHS_DTD}<rss version="2.0"><channel><title>&lol9;</title>'
        f"<item><title>&lol9;</title><description>{BODY}</description></item></channel></rss>")
    (tmp_path / "in" / "laughs.html").write_text(
        f'<?xml version="1.0"?>{LAUGHS_DTD}<html><body><h1>&lol9;</h1><p>{BODY}</p>'
        "</body></html>")
    report = pool.ingest([str(tmp_path / "in")], extract=False)
    assert report.inputs == 2
    code, message = quarantined(pool)["laughs.xml"]
    assert code == "malformed" and "unsafe XML" in message
    # the page is defused (its DOCTYPE dropped), never expanded
    assert "lollollollol" not in all_text(pool)
    assert set(before[1]) <= set(snapshot(pool)[1]) and pool.check_integrity() == []


def test_external_entities_never_read_local_files(pool: Corridor, tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOPSECRET-CANARY")
    before = snapshot(pool)
    folder = tmp_path / "in"
    folder.mkdir()
    dtd = (f'<!DOCTYPE r [<!ENTITY xxe SYSTEM "file://{secret}">'
           '<!ENTITY pw SYSTEM "file:///etc/passwd">'
           f'<!ENTITY % remote SYSTEM "http://127.0.0.1:9/evil.dtd"> %remote;]>')
    (folder / "xxe.rss").write_text(
        f'<?xml version="1.0"?>{dtd}<rss version="2.0"><channel><item><title>&xxe;</title>'
        f"<description>&pw; {BODY}</description></item></channel></rss>")
    (folder / "xxe.atom").write_text(
        f'<?xml version="1.0"?>{dtd}<feed xmlns="http://www.w3.org/2005/Atom"><entry>'
        f"<title>&xxe;</title><content>{BODY}</content></entry></feed>")
    (folder / "xxe.html").write_text(
        f'<?xml version="1.0"?>{dtd}<html><body><p>&xxe; &pw;</p><p>{BODY}</p></body></html>')
    pool.ingest([str(folder)], extract=False)
    found = quarantined(pool)
    for name in ("xxe.rss", "xxe.atom"):
        assert found[name][0] == "malformed" and "unsafe XML" in found[name][1], name
    text = all_text(pool)
    assert "TOPSECRET-CANARY" not in text and "root:x:0" not in text
    assert set(before[1]) <= set(snapshot(pool)[1]) and pool.check_integrity() == []


def _gzip_bomb(size: int) -> bytes:
    out = io.BytesIO()
    with gzip.GzipFile(fileobj=out, mode="wb", compresslevel=9) as gz:
        chunk = b"lol " * 262_144  # 1 MiB of text: it decompresses to something readable
        for _ in range(size // len(chunk)):
            gz.write(chunk)
    return out.getvalue()


def _zip_bomb(size: int) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as zf, \
            zf.open("article.txt", "w", force_zip64=True) as member:
        chunk = b"lol " * 262_144
        for _ in range(size // len(chunk)):
            member.write(chunk)
    return out.getvalue()


def test_gzip_and_zip_bomb_files_are_never_expanded(pool: Corridor, tmp_path: Path) -> None:
    before = snapshot(pool)
    folder = tmp_path / "bombs"
    folder.mkdir()
    gz, zp = _gzip_bomb(256 << 20), _zip_bomb(64 << 20)  # 256 MiB and 64 MiB inside
    assert len(gz) < 1_000_000 and len(zp) < 1_000_000
    for name, data in (("bomb.gz", gz), ("bomb.txt.gz", gz), ("bomb.zip", zp),
                       ("bomb.txt", gz), ("bomb.html", zp), ("bomb.xml", gz),
                       ("bomb.jsonl", gz)):
        (folder / name).write_bytes(data)
    report = pool.ingest([str(folder)], extract=False)
    assert report.stored == 0
    found = quarantined(pool)
    for name in ("bomb.gz", "bomb.txt.gz", "bomb.zip"):
        assert found[name][0] == "unsupported", name
    assert found["bomb.txt"] == ("binary", "the input looks like gzip-compressed data, not text")
    assert found["bomb.html"][0] == "binary" and "ZIP archive" in found["bomb.html"][1]
    assert found["bomb.xml"][0] in ("unsupported", "malformed", "binary")
    assert any(key.startswith("bomb.jsonl") for key in found)
    for record in pool.quarantine(1000):
        assert (record.raw_size or 0) <= 1_000_000  # what was kept is the file, not its content
    assert snapshot(pool) == before and pool.check_integrity() == []


def test_gzip_content_encoding_bomb_over_http(pool: Corridor, http_server: LocalServer) -> None:
    before = snapshot(pool)
    bomb = _gzip_bomb(64 << 20)
    page = http_server.route("/bomb.html", bomb, headers={"Content-Encoding": "gzip"})
    feed = http_server.route("/bomb.xml", bomb, content_type="application/rss+xml",
                             headers={"Content-Encoding": "gzip"})
    raw_deflate = zlib.compress(b"<p>" + b"lol " * (16 << 20), 9)
    deflate = http_server.route("/deflate.html", raw_deflate,
                                headers={"Content-Encoding": "deflate"})
    report = pool.ingest([page, feed, deflate], extract=False)
    assert report.quarantined == {"too_large": 3}, report.to_dict()
    for path in ("bomb.html", "bomb.xml", "deflate.html"):
        code, message = quarantined(pool)[path]
        assert code == "too_large" and "limit" in message, message
    assert snapshot(pool) == before and pool.check_integrity() == []


def test_100_mb_single_line_text_file(pool: Corridor, tmp_path: Path) -> None:
    before = snapshot(pool)
    big = tmp_path / "one-line.txt"
    chunk = b"ferry timetable " * 65_536  # 1 MiB, no newline anywhere
    with big.open("wb") as f:
        for _ in range(100):
            f.write(chunk)
    assert big.stat().st_size == 100 << 20
    report = pool.ingest([str(big)], extract=False)
    assert report.quarantined == {"too_large": 1}
    code, message = quarantined(pool)["one-line.txt"]
    assert code == "too_large" and "104857600 bytes" in message and "limit" in message
    assert snapshot(pool) == before and pool.check_integrity() == []


def test_long_single_line_under_the_limit_is_handled(pool: Corridor, tmp_path: Path) -> None:
    line = tmp_path / "long-line.txt"
    sentence = "Harbour officials agreed on a ferry timetable with the port office "
    line.write_text((sentence * 20_000)[:1_500_000])  # 1.5 MB, one line, under 2 MB
    before = snapshot(pool)
    report = pool.ingest([str(line)], extract=False)
    assert report.stored + sum(report.dropped.values()) + sum(report.quarantined.values()) == 1
    assert set(before[1]) <= set(snapshot(pool)[1]) and pool.check_integrity() == []


INVALID_UTF8 = {
    "stray.txt": (BODY + " caf\xe9 ").encode("utf-8")[:-3] + b"\xe9\xff" + BODY.encode(),
    "overlong.txt": BODY.encode() + b" \xc0\xaf\xe0\x80\xaf " + BODY.encode(),
    "surrogate.txt": BODY.encode() + b" \xed\xa0\x80\xed\xbf\xbf " + BODY.encode(),
    "truncated.txt": BODY.encode() + "中巴经济走廊".encode()[:-1],
    "random.txt": bytes((i * 73 + 11) % 128 + 128 for i in range(4000)),
    "mixed.html": b"<html><body><p>" + BODY.encode() + b"\xfe\xfe\x80</p></body></html>",
}


def test_invalid_utf8_is_decoded_or_quarantined(pool: Corridor, tmp_path: Path) -> None:
    folder = tmp_path / "bad-utf8"
    folder.mkdir()
    for name, data in INVALID_UTF8.items():
        (folder / name).write_bytes(data)
    (folder / "lines.jsonl").write_bytes(
        b'{"title": "ok", "text": "' + BODY.encode() + b'"}\n'
        b'{"title": "bad \xff\xfe", "text": "' + BODY.encode() + b' \xc3\x28"}\n')
    before = snapshot(pool)
    report = pool.ingest([str(folder)], extract=False)
    outcomes = report.stored + report.unchanged + sum(report.dropped.values()) + \
        sum(report.quarantined.values()) + sum(report.duplicates.values())
    assert outcomes == report.inputs == len(INVALID_UTF8) + 2
    for code, message in quarantined(pool).values():
        assert code in ("encoding", "binary", "malformed") and message
    for doc in pool.recent_documents(1000):
        doc.text.encode("utf-8")  # stored text is valid Unicode: no lone surrogates
        assert "\x00" not in doc.text
    assert set(before[1]) <= set(snapshot(pool)[1]) and pool.check_integrity() == []


@pytest.mark.parametrize("name", ["scripts.html", "scripts.htm"])
def test_scripts_and_handlers_never_reach_stored_text(pool: Corridor, tmp_path: Path,
                                                      name: str) -> None:
    page = tmp_path / name
    page.write_text(
        "<html><head><script>alert('head')</script><style>body{x:expression(alert(1))}"
        "</style></head><body onload=\"alert('body')\"><article><h1>Ferry terminal plan"
        "</h1><p onclick=\"alert('p')\">" + BODY + "</p><script>alert('inline')</script>"
        "<img src=x onerror=\"alert('img')\"><svg onload=alert('svg')></svg>"
        "<a href=\"javascript:alert('a')\">The port office</a> said more talks were due. "
        "<iframe src=\"javascript:alert('frame')\"></iframe><p>" + BODY.replace(
            "Tuesday", "Friday") + "</p></article></body></html>")
    report = pool.ingest([str(page)], extract=False)
    assert report.stored == 1
    doc = pool.document(report.stored_ids[0])
    stored = f"{doc.title}\n{doc.text}".lower()
    for bad in ("<script", "alert(", "onerror", "onload", "onclick", "javascript:",
                "<iframe", "<svg", "expression("):
        assert bad not in stored, bad
    assert "ferry terminal" in stored
