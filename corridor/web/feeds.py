"""Atom (RFC 4287) feeds for partner newsrooms: newly ingested documents, claim checks.

Built with ElementTree, which escapes every text and attribute; characters
that XML 1.0 cannot carry (most C0 controls) are removed first, so a feed
reader never chokes on an article that contained one.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from datetime import UTC, datetime

from ..store.base import StoredCheck, StoredDocument
from ..views.documents import summary

__all__ = ["ATOM_TYPE", "atom_feed", "checks_feed"]

ATOM_TYPE = "application/atom+xml; charset=utf-8"
_NS = "http://www.w3.org/2005/Atom"
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _clean(text: str) -> str:
    return _NOT_XML.sub("", text)


def _timestamp(value: str | None) -> str | None:
    """An RFC 3339 timestamp from an ISO date or timestamp (dates get 00:00 UTC)."""
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed.isoformat(timespec="seconds")


def _add(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
    child = ET.SubElement(parent, f"{{{_NS}}}{tag}", {k: _clean(v) for k, v in attrs.items()})
    if text is not None:
        child.text = _clean(text)
    return child


def atom_feed(documents: Sequence[StoredDocument], *, base_url: str, self_url: str,
              title: str = "Corridor: newly ingested articles") -> bytes:
    """The feed as UTF-8 bytes; entries link to this server's document pages."""
    ET.register_namespace("", _NS)
    base = base_url.rstrip("/")
    feed = ET.Element(f"{{{_NS}}}feed")
    _add(feed, "id", f"{base}/feed.atom")
    _add(feed, "title", title)
    newest = max((d.ingested_at for d in documents), default=None)
    _add(feed, "updated", _timestamp(newest) or datetime.now(UTC).isoformat(timespec="seconds"))
    _add(feed, "link", rel="self", type="application/atom+xml", href=self_url)
    _add(feed, "link", rel="alternate", type="text/html", href=f"{base}/documents")
    _add(feed, "generator", "Corridor")
    for doc in documents:
        entry = _add(feed, "entry")
        # a tag URI would need a domain we own; the document page URL is stable
        _add(entry, "id", f"{base}/documents/{doc.id}")
        _add(entry, "title", doc.title or "(untitled)")
        updated = _timestamp(doc.ingested_at) or datetime.now(UTC).isoformat(timespec="seconds")
        _add(entry, "updated", updated)
        published = _timestamp(doc.published)
        if published:
            _add(entry, "published", published)
        author = _add(entry, "author")
        _add(author, "name", doc.source or "unknown source")
        _add(entry, "link", rel="alternate", type="text/html", href=f"{base}/documents/{doc.id}")
        if doc.url and doc.url.lower().startswith(("http://", "https://")):
            _add(entry, "link", rel="via", href=doc.url)
        content = _add(entry, "summary", summary(doc, 600).excerpt, type="text")
        if doc.lang:
            content.set("{http://www.w3.org/XML/1998/namespace}lang", doc.lang)
    data: bytes = ET.tostring(feed, encoding="utf-8", xml_declaration=True)
    return data


def checks_feed(checks: Sequence[StoredCheck], *, base_url: str, self_url: str,
                title: str = "Corridor: claim checks") -> bytes:
    """Claim checks, most recently run first; entries link to the check pages.

    An entry's ``updated`` is the check's latest run, so a re-check that moved
    the verdict shows up again in feed readers.
    """
    ET.register_namespace("", _NS)
    base = base_url.rstrip("/")
    now = datetime.now(UTC).isoformat(timespec="seconds")
    feed = ET.Element(f"{{{_NS}}}feed")
    _add(feed, "id", f"{base}/feeds/checks.atom")
    _add(feed, "title", title)
    newest = max((c.updated_at for c in checks), default=None)
    _add(feed, "updated", _timestamp(newest) or now)
    _add(feed, "link", rel="self", type="application/atom+xml", href=self_url)
    _add(feed, "link", rel="alternate", type="text/html", href=f"{base}/checks")
    _add(feed, "generator", "Corridor")
    author = _add(feed, "author")
    _add(author, "name", "Corridor claim checker")
    for check in checks:
        entry = _add(feed, "entry")
        page = f"{base}/checks/{check.id}"
        _add(entry, "id", page)
        _add(entry, "title", f"{check.verdict.replace('_', ' ').title()}: {check.claim}")
        _add(entry, "updated", _timestamp(check.updated_at) or now)
        published = _timestamp(check.created_at)
        if published:
            _add(entry, "published", published)
        _add(entry, "category", term=check.verdict)
        _add(entry, "link", rel="alternate", type="text/html", href=page)
        _add(entry, "link", rel="related", type="application/ld+json",
             href=f"{base}/api/checks/{check.id}/claimreview")
        text = (f"{check.verdict} (confidence {check.confidence:.2f}, "
                f"{check.runs} run{'s' if check.runs != 1 else ''}). {check.reason}")
        _add(entry, "summary", text, type="text")
    data: bytes = ET.tostring(feed, encoding="utf-8", xml_declaration=True)
    return data
