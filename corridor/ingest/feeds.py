"""RSS, Atom, RDF and JSON Feed: sniff them and turn them into plain items.

XML feeds are decoded once here (BOM, then the encoding the prolog declares,
with the WHATWG upgrades GB2312 -> GB18030 and Latin-1 -> Windows-1252, then
UTF-8, then Windows-1252), re-encoded as UTF-8, checked with defusedxml (no
entity declarations, no external references: billion laughs and XXE are
refused before anything expands them) and only then handed to feedparser,
whose tolerant parser copes with ordinary well-formedness errors.

feedparser 6.0 does not read JSON Feed, so JSON Feed 1.0/1.1 is read here with
:mod:`json`.

Item dates are the calendar day *as written in the feed* (its own time zone),
as ISO ``YYYY-MM-DD``; an item without a date gets ``None``, never today.
"""

from __future__ import annotations

import codecs
import email.utils
import hashlib
import html
import json
import re
import time
from dataclasses import dataclass
from datetime import date
from typing import Any
from urllib.parse import urljoin, urlsplit
from xml.etree.ElementTree import ParseError

import defusedxml.ElementTree as safe_etree
import feedparser
from defusedxml import DefusedXmlException

from ..errors import EmptyInput, MalformedInput, UnsupportedInput

__all__ = ["Feed", "FeedItem", "item_key", "looks_like_feed", "parse_feed"]

_FEED_TYPES = frozenset(
    {
        "application/rss+xml",
        "application/atom+xml",
        "application/rdf+xml",
        "application/feed+json",
        "application/x-rss+xml",
        "application/x-atom+xml",
    }
)
_SNIFF_BYTES = 65536
_JSONFEED_RE = re.compile(rb"jsonfeed\.org\\?/version")
_PROLOG_JUNK_RE = re.compile(
    r"\s*(?:<\?.*?\?>|<!--.*?-->|<!DOCTYPE[^\[>]*(?:\[.*?\])?\s*>)", re.DOTALL | re.IGNORECASE
)
_ROOT_RE = re.compile(r"\s*<([A-Za-z_][\w.:-]*)")
_DECL_RE = re.compile(rb"^\s*<\?xml[^>]*?encoding\s*=\s*[\"']([A-Za-z0-9._:-]+)[\"']", re.I)
_XML_DECL_RE = re.compile(r"^\s*<\?xml[^>]*\?>", re.I)
_ENTITY_RE = re.compile(r"<!ENTITY", re.I)
_TAG_RE = re.compile(r"<[^>]*>")
_ISO_DAY_RE = re.compile(r"^\s*(\d{4})-(\d{2})-(\d{2})")
_ENCODING_UPGRADES = {
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "gb_2312-80": "gb18030",
    "x-gbk": "gb18030",
    "cp936": "gb18030",
    "iso-8859-1": "cp1252",
    "iso8859-1": "cp1252",
    "latin-1": "cp1252",
    "latin1": "cp1252",
    "us-ascii": "cp1252",
    "ascii": "cp1252",
}
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


@dataclass
class FeedItem:
    """One entry of a feed, reduced to what ingestion needs."""

    title: str | None
    link: str | None
    guid: str | None
    published: str | None  # ISO YYYY-MM-DD as written in the feed, or None
    content: str  # full content (html or text) when present, else the summary
    content_is_full: bool
    source: str | None  # the item's own <source> title, if any


@dataclass
class Feed:
    title: str | None
    link: str | None
    items: list[FeedItem]


def looks_like_feed(data: bytes, content_type: str | None = None) -> bool:
    """Cheap sniff: is this an RSS/Atom/RDF document or a JSON Feed?"""
    head = data[:_SNIFF_BYTES]
    text = _sniff_text(head)
    if text.startswith("{"):
        return bool(_JSONFEED_RE.search(data)) or _is_feed_type(content_type)
    root = _root_name(text)
    if root in ("rss", "feed"):
        return True
    if root == "rdf":
        return "purl.org/rss" in text or "<channel" in text or "<item" in text
    if root in ("html", "head", "body") or text.lower().startswith("<!doctype html"):
        return False
    return _is_feed_type(content_type)


def parse_feed(data: bytes, url: str | None = None, charset: str | None = None) -> Feed:
    """Parse an RSS/Atom/RDF document or a JSON Feed into a :class:`Feed`.

    ``url`` (where the feed came from) resolves relative links; ``charset``
    (from an HTTP header) is used only when the document has neither a BOM
    nor an encoding declaration.
    Raises EmptyInput, MalformedInput (unsafe or broken beyond repair) or
    UnsupportedInput ("not a feed").
    """
    if not data.strip():
        raise EmptyInput("empty feed document")
    if _sniff_text(data[:_SNIFF_BYTES]).startswith("{"):
        return _parse_json_feed(data, url)
    xml = _decode_xml(data, charset)
    _check_safe(xml)
    return _parse_xml_feed(xml, data, url)


def item_key(item: FeedItem) -> str:
    """A stable identity for an item: its guid, else its link, else a content hash."""
    if item.guid:
        return item.guid
    if item.link:
        return item.link
    digest = hashlib.sha1(f"{item.title}\n{item.content}".encode()).hexdigest()
    return f"sha1:{digest[:16]}"


# -- sniffing ---------------------------------------------------------------


def _is_feed_type(content_type: str | None) -> bool:
    if not content_type:
        return False
    return content_type.split(";", 1)[0].strip().lower() in _FEED_TYPES


def _sniff_text(head: bytes) -> str:
    for bom, codec in _BOMS:
        if head.startswith(bom):
            return head[len(bom) :].decode(codec, errors="ignore").lstrip()
    if head[:2] in (b"<\x00", b"\x00<"):
        return head.decode("utf-16-le" if head[0] else "utf-16-be", errors="ignore").lstrip()
    return head.decode("latin-1").lstrip()


def _root_name(text: str) -> str | None:
    pos = 0
    while True:
        junk = _PROLOG_JUNK_RE.match(text, pos)
        if not junk:
            break
        pos = junk.end()
    root = _ROOT_RE.match(text, pos)
    if not root:
        return None
    return root.group(1).rsplit(":", 1)[-1].lower()


# -- XML: decode, check, parse ----------------------------------------------


def _decode_xml(data: bytes, charset: str | None = None) -> str:
    """Decode an XML feed: BOM, declared encoding (else ``charset``), UTF-8, Windows-1252."""
    for bom, codec in _BOMS:
        if data.startswith(bom):
            return data[len(bom) :].decode(codec, errors="replace")
    if data[:2] in (b"<\x00", b"\x00<"):
        return data.decode("utf-16-le" if data[0] else "utf-16-be", errors="replace")
    declared = _declared_codec(data) or _codec(charset)
    candidates = [c for c in (declared, "utf-8", "cp1252") if c]
    for codec in candidates:
        try:
            return data.decode(codec)
        except UnicodeDecodeError:
            continue
    return data.decode(candidates[0], errors="replace")


def _declared_codec(data: bytes) -> str | None:
    found = _DECL_RE.match(data[:1024])
    if not found:
        return None
    codec = _codec(found.group(1).decode("ascii"))
    # a declaration readable as ASCII cannot be in UTF-16/32: the label is wrong
    return None if codec and codec.startswith(("utf-16", "utf-32")) else codec


def _codec(label: str | None) -> str | None:
    """Python's codec for an encoding label, with the WHATWG upgrades; None if unknown."""
    if not label:
        return None
    label = label.strip().lower()
    label = _ENCODING_UPGRADES.get(label, label)
    try:
        name = codecs.lookup(label).name
        b"a".decode(name, "ignore")  # refuses codecs that are not text encodings (uu, zlib...)
    except (LookupError, ValueError):  # ValueError: a NUL in the label
        return None
    return name


def _check_safe(xml: str) -> None:
    """Refuse entity declarations and external references (billion laughs, XXE)."""
    body = _XML_DECL_RE.sub("", xml, count=1).lstrip()
    try:
        safe_etree.fromstring(body, forbid_dtd=False, forbid_entities=True, forbid_external=True)
    except DefusedXmlException as exc:
        raise MalformedInput(f"unsafe XML: {exc!r}") from exc
    except (ParseError, ValueError):
        # not well-formed: feedparser's loose parser may still read it, but
        # only if no entity is declared anywhere the check could not reach
        if _ENTITY_RE.search(body):
            raise MalformedInput("unsafe XML: entity declaration in a malformed document") from None


def _parse_xml_feed(xml: str, original: bytes, url: str | None) -> Feed:
    body = _XML_DECL_RE.sub("", xml, count=1).lstrip()
    utf8 = b'<?xml version="1.0" encoding="utf-8"?>\n' + body.encode("utf-8")
    headers = {"content-location": url} if url else {}
    try:
        parsed = feedparser.parse(utf8, response_headers=headers)
    except Exception as exc:  # feedparser's loose parser on pathological markup
        raise MalformedInput(f"the feed parser failed on this document: {exc!r}") from exc
    entries = parsed.get("entries") or []
    if not entries:
        if not parsed.get("version") and not looks_like_feed(original):
            raise UnsupportedInput("not a feed (no RSS, Atom, RDF or JSON Feed root element)")
        if parsed.get("bozo"):
            reason = parsed.get("bozo_exception")
            raise MalformedInput(f"broken feed with no readable items: {reason}")
    head = parsed.get("feed") or {}
    return Feed(
        title=_clean(head.get("title")),
        link=_clean(head.get("link")),
        items=[_xml_item(entry) for entry in entries],
    )


def _xml_item(entry: Any) -> FeedItem:
    full = _full_content(entry.get("content"))
    summary = entry.get("summary") or ""
    source = entry.get("source")
    return FeedItem(
        title=_entry_title(entry),
        link=_web_link(entry.get("link")),
        guid=_clean(entry.get("id")),
        published=_entry_day(entry),
        content=full if full else str(summary),
        content_is_full=bool(full),
        source=_clean(source.get("title")) if isinstance(source, dict) else None,
    )


def _entry_title(entry: Any) -> str | None:
    """The title as plain text (feedparser keeps markup when it thinks a title is HTML)."""
    title = entry.get("title")
    detail = entry.get("title_detail") or {}
    if isinstance(title, str) and "html" in str(detail.get("type") or ""):
        title = html.unescape(_TAG_RE.sub("", title))
    return _clean(title)


def _full_content(contents: Any) -> str:
    if not isinstance(contents, list):
        return ""
    values = [c for c in contents if isinstance(c, dict) and str(c.get("value") or "").strip()]
    markup = [c for c in values if "html" in str(c.get("type") or "")]
    best = (markup or values or [{}])[0]
    return str(best.get("value") or "")


def _entry_day(entry: Any) -> str | None:
    for field in ("published", "updated", "created"):
        day = _day(entry.get(field), entry.get(f"{field}_parsed"))
        if day:
            return day
    return None


# -- JSON Feed ----------------------------------------------------------------


def _parse_json_feed(data: bytes, url: str | None) -> Feed:
    try:
        doc = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        if _JSONFEED_RE.search(data):
            raise MalformedInput(f"invalid JSON Feed: {exc}") from exc
        raise UnsupportedInput("not a feed (JSON that is not a JSON Feed)") from exc
    version = doc.get("version") if isinstance(doc, dict) else None
    if not isinstance(version, str) or "jsonfeed.org/version" not in version:
        raise UnsupportedInput("not a feed (JSON without a jsonfeed.org version)")
    items = doc.get("items")
    if not isinstance(items, list):
        raise MalformedInput("invalid JSON Feed: 'items' is not a list")
    base = _str(doc.get("home_page_url")) or _str(doc.get("feed_url")) or url
    return Feed(
        title=_clean(doc.get("title")),
        link=_clean(doc.get("home_page_url")),
        items=[_json_item(item, base) for item in items if isinstance(item, dict)],
    )


def _json_item(item: dict[str, Any], base: str | None) -> FeedItem:
    full = _str(item.get("content_html")) or _str(item.get("content_text"))
    link = _str(item.get("url")) or _str(item.get("external_url"))
    if link and base:
        try:
            link = urljoin(base, link)
        except ValueError:  # e.g. "http://[x": an item link that is no URL
            link = None
    link = _web_link(link)
    guid = item.get("id")
    published = _str(item.get("date_published")) or _str(item.get("date_modified"))
    return FeedItem(
        title=_clean(item.get("title")),
        link=link,
        guid=(str(guid).strip() or None) if guid is not None else None,
        published=_day(published, None),
        content=full or _str(item.get("summary")) or "",
        content_is_full=bool(full),
        source=None,
    )


# -- small helpers ------------------------------------------------------------


def _day(raw: Any, parsed: Any) -> str | None:
    """The calendar day of a feed date as written (its own zone), else from UTC."""
    if isinstance(raw, str) and raw.strip():
        iso = _ISO_DAY_RE.match(raw)
        if iso:
            return _valid_day(int(iso.group(1)), int(iso.group(2)), int(iso.group(3)))
        rfc = email.utils.parsedate_tz(raw)
        if rfc and rfc[0]:
            return _valid_day(rfc[0], rfc[1], rfc[2])
    if isinstance(parsed, time.struct_time):
        return _valid_day(parsed.tm_year, parsed.tm_mon, parsed.tm_mday)
    return None


def _valid_day(year: int, month: int, day: int) -> str | None:
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        return None


def _web_link(value: Any) -> str | None:
    """A link an item can be fetched from: http(s) or relative; not tag:/urn: ids."""
    link = _clean(value)
    if link is None:
        return None
    try:
        scheme = urlsplit(link).scheme.lower()
    except ValueError:
        return None
    return link if scheme in ("", "http", "https") else None


def _str(value: Any) -> str | None:
    return value.strip() or None if isinstance(value, str) else None


def _clean(value: Any) -> str | None:
    """A stripped, whitespace-collapsed string, or None."""
    if not isinstance(value, str):
        return None
    return " ".join(value.split()) or None
