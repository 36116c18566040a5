"""Turn targets (file and folder paths, http(s) URLs) into raw Documents.

One target may give many Documents (a folder, a JSONL file, a feed). What
cannot be read becomes a :class:`~corridor.document.Failure` carrying a
project error, so the caller can quarantine it: nothing is skipped silently
except blank JSONL lines and hidden files/folders (names starting with ``.``).

Files, by extension:
    .txt            one Document, fmt "text" (raw bytes; decoding is a stage)
    .html .htm      one Document, fmt "html"
    .jsonl          one Document per line (streamed; ``max_bytes`` per line)
    .xml .rss .atom .json
                    a feed: one Document per item (not a feed -> Failure)
    anything else   Failure(UnsupportedInput)

Everything is lazy: folders are walked one directory at a time in sorted
order, files are read one at a time, JSONL line by line.

Whatever goes wrong with one input ends as a Failure and the next input is
read: a Document whose text holds a lone surrogate (``"\\ud800"`` escapes in
JSON) is turned into a Failure (:func:`unicode_failure`), and an unexpected
error while reading one target ends that target with a Failure naming it
instead of stopping the run.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO, Any
from urllib.parse import urlsplit

from ..document import Document, Failure, Format
from ..errors import (
    CorridorError,
    EncodingError,
    FetchError,
    InputError,
    MalformedInput,
    TooLarge,
    UnsupportedInput,
)
from ..settings import Settings
from .feeds import Feed, FeedItem, item_key, looks_like_feed, parse_feed
from .fetch import Fetched, fetch_url

__all__ = ["count_hint", "iter_sources", "printable", "unicode_failure"]

Item = Document | Failure

_PAGE_EXT: dict[str, Format] = {".txt": "text", ".html": "html", ".htm": "html"}
_FEED_EXT = frozenset({".xml", ".rss", ".atom", ".json"})
_URL_RE = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")
_TAG_RE = re.compile(r"<[A-Za-z!/][^>]*>")
_EXPECTED = "expected .txt, .html, .htm, .jsonl or a feed (.xml, .rss, .atom, .json)"
_SURROGATE = re.compile(r"[\ud800-\udfff]")


def iter_sources(targets: Iterable[str], settings: Settings) -> Iterator[Document | Failure]:
    """Yield a raw Document (or a Failure) for every input the targets name, lazily."""
    for target in targets:
        try:
            for item in _iter_target(target, settings):
                yield unicode_failure(item) or item
        except Exception as exc:  # noqa: BLE001 - one input must not stop the run
            error = InputError(f"unexpected error reading {printable(target)[:300]}: "
                               f"{type(exc).__name__}: {printable(str(exc))[:300]}")
            yield Failure(printable(target), error, origin="url" if _URL_RE.match(target)
                          else "file")


def _iter_target(target: str, settings: Settings) -> Iterator[Item]:
    if not target.strip():
        yield Failure(target, UnsupportedInput("empty target: give a file, folder or URL"))
    elif _URL_RE.match(target):
        yield from _iter_url(target, settings)
    else:
        yield from _iter_path(Path(target).expanduser(), settings)


def printable(text: str) -> str:
    """``text`` with lone surrogates written as ``\\udXXX`` escapes (storable as UTF-8)."""
    return text.encode("utf-8", "backslashreplace").decode("utf-8") \
        if _SURROGATE.search(text) else text


def unicode_failure(item: Item) -> Failure | None:
    """A Failure (``encoding``) for a Document whose text fields hold a lone surrogate.

    Such a string is not Unicode text: it cannot be stored or sent as UTF-8.
    The Failure's key and URL have the surrogates escaped, so it can be
    quarantined; None for a sound Document, or for a Failure.
    """
    if not isinstance(item, Document):
        return None
    fields = {"source key": item.source_key, "url": item.url, "text": item.raw_text,
              "source": item.source, "title": item.hint_title, "date": item.hint_date,
              **{k: v for k, v in item.extra.items() if isinstance(v, str)}}
    bad = [name for name, value in fields.items()
           if isinstance(value, str) and _SURROGATE.search(value)]
    if not bad:
        return None
    error = EncodingError(f"not valid Unicode text: the {', '.join(bad)} of this input "
                          "hold a lone surrogate (U+D800-U+DFFF)")
    raw = item.raw if item.raw is not None else \
        (item.raw_text or "").encode("utf-8", "backslashreplace")
    return Failure(printable(item.source_key), error, origin=item.origin, raw=raw,
                   url=printable(item.url) if item.url else None)


def count_hint(targets: Iterable[str]) -> int | None:
    """How many inputs the targets name (for a progress bar), or None when unknown.

    Unknown means a URL is among the targets. A JSONL file counts its lines
    (one article each); a feed file counts as one, however many Documents it
    gives. Iterates ``targets`` once: pass a list, not a generator you also
    mean to ingest.
    """
    total = 0
    for target in targets:
        if _URL_RE.match(target):
            return None
        path = Path(target).expanduser()
        if target.strip() and path.is_dir():
            total += sum(_units(entry) for entry in _walk(path.resolve(), set())
                         if isinstance(entry, Path))
        else:
            total += _units(path)
    return total


def _units(path: Path) -> int:
    """Inputs in one file: its non-blank lines for JSONL, else 1."""
    if path.suffix.lower() not in (".jsonl", ".ndjson"):
        return 1
    try:
        with path.open("rb") as fh:
            return max(1, sum(1 for line in fh if line.strip()))
    except OSError:
        return 1


# -- paths --------------------------------------------------------------------


def _iter_path(path: Path, settings: Settings) -> Iterator[Item]:
    path = path.resolve()
    if path.is_dir():
        for entry in _walk(path, set()):
            if isinstance(entry, Failure):
                yield entry
            else:
                yield from _iter_file(entry, settings)
    elif path.is_file():
        yield from _iter_file(path, settings)
    elif path.exists():
        yield Failure(str(path), UnsupportedInput(f"not a regular file: {path}"))
    else:
        yield Failure(str(path), FetchError(f"no such file or directory: {path}"))


def _walk(folder: Path, seen: set[tuple[int, int]]) -> Iterator[Path | Failure]:
    """Regular files under ``folder``, depth first, sorted by name, hidden names skipped."""
    try:
        info = folder.stat()
        if (info.st_dev, info.st_ino) in seen:
            return  # a symlink loop
        seen.add((info.st_dev, info.st_ino))
        with os.scandir(folder) as scan:
            entries = sorted(scan, key=lambda e: e.name)
    except OSError as exc:
        yield Failure(str(folder), _os_error(folder, exc))
        return
    for entry in entries:
        if entry.name.startswith("."):
            continue
        path = Path(entry.path)
        try:
            is_dir, is_file = entry.is_dir(), entry.is_file()
        except OSError as exc:
            yield Failure(str(path), _os_error(path, exc))
            continue
        if is_dir:
            yield from _walk(path, seen)
        elif is_file:
            yield path
        else:
            yield Failure(str(path), UnsupportedInput(f"not a regular file: {path}"))


def _iter_file(path: Path, settings: Settings) -> Iterator[Item]:
    ext = path.suffix.lower()
    key = str(path)
    if ext == ".jsonl":
        yield from _iter_jsonl(path, settings)
        return
    if ext not in _PAGE_EXT and ext not in _FEED_EXT:
        kind = f"file type {ext}" if ext else "file without an extension"
        yield Failure(key, UnsupportedInput(f"unsupported {kind}: {path.name}; {_EXPECTED}"))
        return
    data = _read_file(path, settings)
    if isinstance(data, Failure):
        yield data
    elif ext in _PAGE_EXT:
        yield Document(source_key=key, origin="file", raw=data, fmt=_PAGE_EXT[ext])
    elif looks_like_feed(data):
        yield from _feed_items(Fetched(key, data, None, None), key, settings, local=True)
    else:
        error = UnsupportedInput(f"{path.name} is not a feed (RSS, Atom, RDF or JSON Feed)")
        yield Failure(key, error, raw=data[: settings.quarantine_keep_bytes])


def _read_file(path: Path, settings: Settings) -> bytes | Failure:
    """The whole file, or a Failure: unreadable, or over ``max_bytes`` (head kept)."""
    key, limit = str(path), settings.max_bytes
    try:
        with path.open("rb") as fh:
            size = os.fstat(fh.fileno()).st_size
            data = fh.read(settings.quarantine_keep_bytes if size > limit else limit + 1)
    except OSError as exc:
        return Failure(key, _os_error(path, exc))
    if size > limit or len(data) > limit:
        error = TooLarge(f"{path} is {max(size, len(data))} bytes, over the {limit}-byte limit")
        return Failure(key, error, raw=data[: settings.quarantine_keep_bytes])
    return data


def _os_error(path: Path, exc: OSError) -> FetchError:
    if isinstance(exc, FileNotFoundError):
        return FetchError(f"no such file or directory: {path}")
    if isinstance(exc, PermissionError):
        return FetchError(f"cannot read {path}: permission denied")
    return FetchError(f"cannot read {path}: {exc.strerror or exc}")


# -- JSONL --------------------------------------------------------------------


def _iter_jsonl(path: Path, settings: Settings) -> Iterator[Item]:
    """One Document per non-blank line; a bad line is a Failure, the rest go on."""
    try:
        fh = path.open("rb")
    except OSError as exc:
        yield Failure(str(path), _os_error(path, exc))
        return
    with fh:
        try:
            for line_no, line, whole in _lines(fh, settings.max_bytes):
                item = _jsonl_item(path, line_no, line, whole, settings)
                if item is not None:
                    yield item
        except OSError as exc:
            yield Failure(str(path), _os_error(path, exc))


def _lines(fh: IO[bytes], limit: int) -> Iterator[tuple[int, bytes, bool]]:
    """(line number, bytes, whole) with at most ``limit + 1`` bytes held per line."""
    line_no = 0
    while line := fh.readline(limit + 1):
        line_no += 1
        if len(line) > limit and not line.endswith(b"\n"):
            while (rest := fh.readline(1 << 16)) and not rest.endswith(b"\n"):
                pass  # drop the remainder of an over-long line
            yield line_no, line, False
        else:
            yield line_no, line, True


def _jsonl_item(
    path: Path, line_no: int, line: bytes, whole: bool, settings: Settings
) -> Item | None:
    key = f"{path}#L{line_no}"
    raw = line[: settings.quarantine_keep_bytes]
    if not whole:
        error = TooLarge(f"line {line_no} is over the {settings.max_bytes}-byte limit")
        return Failure(key, error, origin="jsonl", raw=raw)
    if not line.strip():
        return None
    try:
        obj = _json_object(line, line_no)
        return _jsonl_document(obj, key)
    except CorridorError as exc:
        return Failure(key, exc, origin="jsonl", raw=raw)


def _json_object(line: bytes, line_no: int) -> dict[str, Any]:
    try:
        text = line.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise EncodingError(f"line {line_no} is not UTF-8 ({exc.reason})") from exc
    try:
        obj = json.loads(text)
    except json.JSONDecodeError as exc:
        reason = f"{exc.msg}, column {exc.colno}"
        raise MalformedInput(f"line {line_no}: invalid JSON ({reason})") from exc
    except (ValueError, RecursionError) as exc:
        raise MalformedInput(f"line {line_no}: invalid JSON ({exc})") from exc
    if not isinstance(obj, dict):
        raise MalformedInput(f"line {line_no}: expected a JSON object, got {type(obj).__name__}")
    return obj


def _jsonl_document(obj: dict[str, Any], key: str) -> Document:
    body, fmt = _jsonl_body(obj, key)
    url = _opt_str(obj.get("url"))
    lang = _opt_str(obj.get("lang"))
    return Document(
        source_key=url or key,
        origin="jsonl",
        raw_text=body,
        fmt=fmt,
        url=url,
        source=_opt_str(obj.get("source")),
        hint_title=_opt_str(obj.get("title")),
        hint_date=_opt_str(obj.get("date")),
        extra={"hint_lang": lang} if lang else {},
    )


def _jsonl_body(obj: dict[str, Any], key: str) -> tuple[str, Format]:
    """``text`` if it has content, else ``html``; either may be empty but one must exist."""
    text, html = obj.get("text"), obj.get("html")
    if isinstance(text, str) and (text.strip() or not isinstance(html, str)):
        return text, "text"
    if isinstance(html, str):
        return html, "html"
    line = key.rsplit("#L", 1)[-1]
    raise MalformedInput(f"line {line}: the object has neither a 'text' nor an 'html' string")


def _opt_str(value: Any) -> str | None:
    return value.strip() or None if isinstance(value, str) else None


# -- URLs and feeds -----------------------------------------------------------


def _iter_url(url: str, settings: Settings) -> Iterator[Item]:
    try:
        fetched = fetch_url(url, settings)
    except CorridorError as exc:
        yield Failure(url, exc, origin="url", url=url)
        return
    if looks_like_feed(fetched.content, fetched.content_type):
        yield from _feed_items(fetched, url, settings)
    else:
        yield _page_document(fetched, key=url, origin="url")


def _page_document(fetched: Fetched, key: str, origin: str) -> Document:
    return Document(
        source_key=key,
        origin=origin,
        raw=fetched.content,
        fmt="text" if fetched.content_type == "text/plain" else "html",
        url=fetched.url,
        source=_host(fetched.url),
        encoding_hint=fetched.charset,
    )


def _feed_items(
    fetched: Fetched, key: str, settings: Settings, local: bool = False
) -> Iterator[Item]:
    """One Document per feed item; ``key`` is the feed's own source key."""
    url, host = (None, None) if local else (fetched.url, _host(fetched.url))
    try:
        feed = parse_feed(fetched.content, url, fetched.charset)
    except CorridorError as exc:
        raw = fetched.content[: settings.quarantine_keep_bytes]
        yield Failure(key, exc, origin="file" if local else "url", raw=raw, url=url)
        return
    for item in feed.items:
        yield _feed_item(item, feed, f"{key}#{item_key(item)}", host, settings)


def _feed_item(item: FeedItem, feed: Feed, key: str, host: str | None, settings: Settings) -> Item:
    source = item.source or feed.title or host
    if item.link and not item.content_is_full and settings.fetch_article_links:
        return _fetch_item_page(item, item.link, key, source, settings)
    return Document(
        source_key=key,
        origin="feed",
        raw_text=item.content,
        fmt="html" if _TAG_RE.search(item.content) else "text",
        url=item.link,
        source=source,
        hint_title=item.title,
        hint_date=item.published,
    )


def _fetch_item_page(
    item: FeedItem, link: str, key: str, source: str | None, settings: Settings
) -> Item:
    """The item's own page as an html Document (the feed carried only a summary)."""
    try:
        fetched = fetch_url(link, settings)
    except CorridorError as exc:
        return Failure(key, exc, origin="feed", url=link)
    doc = _page_document(fetched, key=key, origin="feed")
    doc.source = source
    doc.hint_title = item.title
    doc.hint_date = item.published
    doc.extra["feed_summary"] = item.content
    return doc


def _host(url: str) -> str | None:
    try:
        return urlsplit(url).hostname
    except ValueError:
        return None
