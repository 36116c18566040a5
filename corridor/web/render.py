"""Server-side HTML: the Jinja2 environment and the helpers templates use.

Autoescaping is on for every template and no template marks anything
``|safe``: article text, titles and queries are always escaped. Highlights
are rendered from ``(start, end)`` ranges as separate text segments wrapped in
``<mark>``, never by inserting markup into text. Links to article URLs are
rendered only for http(s) URLs (no ``javascript:``).
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode, urlsplit

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from ..domain import load_pack
from ..views.documents import cite_href

__all__ = [
    "RTL_LANGS",
    "Piece",
    "cite_href",
    "document_pieces",
    "entity_href",
    "environment",
    "event_types",
    "lang_attr",
    "layered",
    "place_label",
    "qs",
    "safe_href",
    "script_lang",
    "segments",
    "text_dir",
]

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


_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_ARABIC = re.compile(r"[\u0600-\u06ff\u0750-\u077f\ufb50-\ufdff\ufe70-\ufeff]")


def script_lang(text: str | None) -> str | None:
    """A language for a short name by its script (aliases: English, Urdu, Chinese).

    Han characters -> ``zh``; Arabic script -> ``ur`` (the Arabic-script
    language of the domain lexicon); otherwise None (the page's language).
    """
    if not text:
        return None
    if _HAN.search(text):
        return "zh"
    if _ARABIC.search(text):
        return "ur"
    return None


def place_label(place: str) -> str:
    """A readable label for an event's place: an entity id slug as words."""
    slug = place.rsplit(":", 1)[-1]
    if re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", slug):
        return " ".join(w.capitalize() for w in slug.split("-"))
    return place


def entity_href(base: str, entity: str) -> str:
    """The entity page of an entity id (or name)."""
    return f"{base}/entities/{quote(entity, safe='')}"


@dataclass
class Piece:
    """A run of text and the elements wrapped around it, outermost first.

    Tag and attribute names come from this module only; attribute values
    and the text are escaped by the template like everything else.
    """

    text: str
    wrappers: list[tuple[str, dict[str, str]]] = field(default_factory=list)


def _covering(spans: Sequence[tuple[int, int, Any]], starts: list[int], pos: int
              ) -> int | None:
    """Index of the span (sorted, non-overlapping) that covers ``pos``, if any."""
    i = bisect.bisect_right(starts, pos) - 1
    return i if i >= 0 and spans[i][0] <= pos < spans[i][1] else None


def _disjoint(spans: list[tuple[int, int, Any]]) -> list[tuple[int, int, Any]]:
    """Sorted by start (longest first), dropping any span that overlaps a kept one."""
    kept: list[tuple[int, int, Any]] = []
    for span in sorted(spans, key=lambda s: (s[0], -s[1])):
        if span[1] > span[0] and (not kept or span[0] >= kept[-1][1]):
            kept.append(span)
    return kept


def layered(
    text: str, *, base: str = "",
    mentions: Sequence[tuple[int, int, str | None, str]] = (),
    events: Sequence[tuple[int, int, str]] = (),
    matches: Sequence[tuple[int, int]] = (),
    cited: tuple[int, int] | None = None,
) -> list[Piece]:
    """``text`` cut into pieces with every layer of annotation, for the document page.

    Layers, outermost first: event sentences (``<span class="event"
    id="s-START" title="MEET · AGREE">``), the cited range (``<span
    class="cited" id="cited">``), query matches (``<mark>``, the first
    ``id="match-1"``) and entity mentions (``<a class="entity"
    href="/entities/ID">``; a mention without an entity id is a plain span).
    ``mentions``: (start, end, entity id, label); ``events``: (start, end,
    type). Overlapping mentions keep the first and longest.
    """
    n = len(text)

    def clip(a: int, b: int) -> tuple[int, int]:
        return max(0, min(int(a), n)), max(0, min(int(b), n))

    ments = _disjoint([(*clip(a, b), (e, lab)) for a, b, e, lab in mentions])
    marks = _disjoint([(*clip(a, b), None) for a, b in matches])
    evs: dict[tuple[int, int], list[str]] = {}
    for a, b, kind in events:
        a, b = clip(a, b)
        if b > a and kind not in evs.setdefault((a, b), []):
            evs[(a, b)].append(kind)
    cite = clip(*cited) if cited else None
    cuts = {0, n}
    for a, b, _ in ments + marks:
        cuts.update((a, b))
    for a, b in evs:
        cuts.update((a, b))
    if cite:
        cuts.update(cite)
    points = sorted(cuts)
    m_starts = [m[0] for m in ments]
    k_starts = [m[0] for m in marks]
    out: list[Piece] = []
    first_match = first_cited = True
    opened: set[tuple[int, int]] = set()
    for a, b in zip(points, points[1:], strict=False):
        if b <= a:
            continue
        wrappers: list[tuple[str, dict[str, str]]] = []
        covering = [(span, kinds) for span, kinds in evs.items() if span[0] <= a < span[1]]
        if covering:
            span, _ = min(covering, key=lambda c: c[0][1] - c[0][0])
            kinds = [k for _, ks in covering for k in ks]
            attrs = {"class": "event", "title": " · ".join(dict.fromkeys(kinds))}
            if span not in opened:
                opened.add(span)
                attrs["id"] = f"s-{span[0]}"
            wrappers.append(("span", attrs))
        if cite and cite[0] <= a < cite[1]:
            attrs = {"class": "cited"}
            if first_cited:
                attrs["id"], first_cited = "cited", False
            wrappers.append(("span", attrs))
        if _covering(marks, k_starts, a) is not None:
            attrs = {}
            if first_match:
                attrs["id"], first_match = "match-1", False
            wrappers.append(("mark", attrs))
        i = _covering(ments, m_starts, a)
        if i is not None:
            entity, label = ments[i][2]
            css = f"entity entity-{label.lower()}"
            if entity:
                wrappers.append(("a", {"class": css, "href": entity_href(base, entity),
                                       "title": label}))
            else:
                wrappers.append(("span", {"class": css, "title": label}))
        out.append(Piece(text[a:b], wrappers))
    return out


def document_pieces(data: Any, base: str) -> list[Piece]:
    """The layered pieces of a document page's text (see :func:`layered`)."""
    return layered(
        data.document.text, base=base,
        mentions=[(m.start, m.end, m.entity_id, m.label) for m in data.mentions],
        # every sentence that reports an event (one happening may be told several times)
        events=[(a, b, e.type) for e in data.events
                for a, b in (e.support or [(e.citation.start, e.citation.end)])],
        matches=data.highlights, cited=data.cited)


def environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(str(TEMPLATES)),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals.update(lang_attr=lang_attr, text_dir=text_dir, safe_href=safe_href,
                       segments=segments, qs=qs, entity_href=entity_href,
                       cite_href=cite_href, quote=quote, document_pieces=document_pieces,
                       zip=zip, script_lang=script_lang, place_label=place_label,
                       event_types=event_types,
                       sectors=list(load_pack().sectors))  # = corridor.extract.SECTORS
    return env


def event_types() -> list[str]:
    """The event types, for a page that lists them: ``corridor.extract`` loads spaCy,
    so it is imported when first needed (by then the server's warm-up has usually
    imported it), not when the app starts (issue 14)."""
    from ..extract import EVENT_TYPES

    return list(EVENT_TYPES)
