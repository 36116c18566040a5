"""Server-side HTML: the Jinja2 environment and the helpers templates use.

Autoescaping is on for every template and no template marks anything
``|safe``: article text, titles and queries are always escaped. Highlights
are rendered from ``(start, end)`` ranges as separate text segments wrapped in
``<mark>``, never by inserting markup into text. Links to article URLs are
rendered only for http(s) URLs (no ``javascript:``).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit

from jinja2 import Environment, FileSystemLoader, StrictUndefined

__all__ = ["RTL_LANGS", "environment", "lang_attr", "qs", "safe_href", "segments", "text_dir"]

TEMPLATES = Path(__file__).parent / "templates"
STATIC = Path(__file__).parent / "static"

#: languages written right to left (ISO 639-1/3 codes)
RTL_LANGS = frozenset({"ar", "arc", "ckb", "dv", "fa", "he", "ks", "ku", "ps", "sd", "ug",
                       "ur", "yi", "pnb", "skr"})
_LANG_TAG = re.compile(r"^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$")


def lang_attr(lang: str | None) -> str:
    """A value for ``lang=""`` (a well-formed BCP 47 tag) or '' when unknown."""
    return lang if lang and _LANG_TAG.match(lang) else ""


def text_dir(lang: str | None) -> str:
    """``rtl`` for right-to-left languages, else ``auto`` (the browser decides)."""
    base = (lang or "").split("-", 1)[0].lower()
    return "rtl" if base in RTL_LANGS else "auto"


def safe_href(url: str | None) -> str | None:
    """``url`` when it is an absolute http(s) URL, else None (rendered as text)."""
    if not url:
        return None
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None
    return url.strip() if parts.scheme.lower() in ("http", "https") and parts.netloc else None


def segments(text: str, spans: Any) -> list[tuple[str, bool]]:
    """``text`` cut into (piece, highlighted) by sorted, non-overlapping ranges."""
    out: list[tuple[str, bool]] = []
    pos = 0
    for start, end in sorted((int(s), int(e)) for s, e in spans or []):
        start, end = max(start, pos), min(end, len(text))
        if end <= start:
            continue
        if start > pos:
            out.append((text[pos:start], False))
        out.append((text[start:end], True))
        pos = end
    if pos < len(text):
        out.append((text[pos:], False))
    return out


def qs(params: dict[str, Any], **changes: Any) -> str:
    """A query string from ``params`` with ``changes`` applied; empty values dropped."""
    merged = {**params, **changes}
    kept = {k: v for k, v in merged.items() if v not in (None, "")}
    return "?" + urlencode(kept) if kept else ""


def environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(str(TEMPLATES)),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals.update(lang_attr=lang_attr, text_dir=text_dir, safe_href=safe_href,
                       segments=segments, qs=qs)
    return env
