"""Extraction: sourced facts from a stored article, with offsets into ``Document.text``.

``extract(doc)`` fills ``doc.sentences``, ``doc.mentions`` (entity id, role,
country), ``doc.events``, ``doc.sectors`` and ``doc.commitments`` from
``doc.text``, ``doc.published`` (relative dates are resolved against it),
``doc.lang`` and ``doc.dateline_place`` (a dateline is never an event venue).
``extract_stage`` is the same as a pipeline stage. ``entity_catalog`` gives
the canonical name, type and aliases of the entities of a set of mentions, for
an entities table; ``entity_roles`` the roles stated for persons, stamped with
the article date.

The English path uses spaCy (the small English pipeline when its package is
installed, rule-only otherwise; ``CORRIDOR_NLP=rules`` forces rules); Urdu and
Chinese text gets sentence splitting, lexicon entities and sectors.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..document import Document, Mention
from ..domain import load_pack
from ..pipeline import stage
from ._actors import Actors
from ._nlp import get_nlp, nlp_mode
from ._types import Analysis, SentInfo
from .commitments import MODALITIES, find_commitments
from .dates import find_date_phrases, resolve_date
from .entities import find_mentions
from .events import EVENT_TYPES, EventDetail, find_events, plover_type
from .resolve import EntityInfo, entity_catalog, entity_info, resolve_mentions
from .sectors import SECTORS, find_sectors
from .sentences import split_sentences

__all__ = [
    "EVENT_TYPES",
    "MODALITIES",
    "SECTORS",
    "EntityInfo",
    "EventDetail",
    "RoleRecord",
    "analyse",
    "entity_catalog",
    "entity_info",
    "entity_roles",
    "extract",
    "extract_stage",
    "find_date_phrases",
    "get_nlp",
    "nlp_mode",
    "plover_type",
    "resolve_date",
    "split_sentences",
]

_NON_ENGLISH = ("ur", "zh", "zh-cn", "zh-tw", "ar", "fa")
_DATELINE = re.compile(
    r"\s*(?:date\s+\d{4}-\d{2}-\d{2}\s+)?"
    r"(?P<place>[A-Z][A-Za-z\-]+(?:\s[A-Z][A-Za-z\-]+)?)"
    r"(?:\s*,\s*(?:[A-Z][a-z]{2,8}\.?\s+\d{1,2}|\d{1,2}\s+[A-Z][a-z]{2,8}|[A-Z]{3,4}\s+\d{1,2})"
    r"(?:,?\s+\d{4})?)?"
    r"\s*(?:\((?P<src>[^)]{1,60})\)|/[A-Za-z ]{1,20}/)?\s*(?::|–|—|-{1,2})\s*"
)

_DATELINE_BRACKET = re.compile(
    r"\s*(?:date\s+\d{4}-\d{2}-\d{2}\s+)?(?P<place>[A-Z]{3,}(?:\s[A-Z]{3,})?),?\s*"
    r"\((?P<src>[^()\n]{1,80}?\b\d{4})\)\s*(?:(?::|–|—|-{1,2})\s*)?"
)


def _is_english(doc: Document) -> bool:
    lang = (doc.lang or "").lower()
    if lang.startswith(_NON_ENGLISH):
        return False
    if lang:
        return lang.startswith("en")
    latin = sum(1 for c in doc.text if c.isascii() and c.isalpha())
    letters = sum(1 for c in doc.text if c.isalpha())
    return letters == 0 or latin / letters > 0.5


def _dateline_span(text: str, place: str | None) -> tuple[int, int]:
    """(start, end) of the dateline, (0, 0) when there is none."""
    end = _dateline_end(text, place)
    if not end:
        return 0, 0
    start = text.rfind("\n", 0, end) + 1
    return start, end


def _dateline_end(text: str, place: str | None) -> int:
    """End offset of a dateline ("BEIJING, NOV 11 /DNA/ –") opening one of the first lines, or 0.

    A headline may stand on the line before it. A capitalised place followed by a
    bracketed source label with its date needs no dash or colon ("BEIJING, (Agency -
    6th Feb, 2025) Pakistan and ...").
    """
    starts = [0] + [m.end() for m in re.finditer(r"\n", text[:600])][:3]
    for start in starts:
        m = _DATELINE.match(text, start) or _DATELINE_BRACKET.match(text, start)
        if not m:
            continue
        name = m.group("place")
        if name.isupper() or (place and name.lower() == place.lower()):
            return m.end()
    return 0


def analyse(doc: Document) -> tuple[Analysis, Actors]:
    """Run sentence splitting, mention finding and resolution; return the working state."""
    text = doc.text
    sents = split_sentences(text, doc.lang)
    an = Analysis(
        doc=doc,
        text=text,
        sents=[SentInfo(i, s.start, s.end, s.text) for i, s in enumerate(sents)],
        english=_is_english(doc),
    )
    an.dateline_start, an.dateline_end = _dateline_span(text, doc.dateline_place)
    find_mentions(an)
    mentions = resolve_mentions(an)
    an.pair = _country_pair(an, mentions)
    doc.sentences = sents
    doc.mentions = mentions
    return an, Actors(an, mentions)


def _country_pair(an: Analysis, mentions: list[Mention]) -> tuple[str, str]:
    """The article's two main countries (for "both sides"), else the pack's default pair."""
    pack = load_pack()
    counts: dict[str, int] = {}
    for m in mentions:
        if not m.entity_id or m.start < an.dateline_end:
            continue
        entry = pack.entities.get(m.entity_id)
        country = None
        if entry is not None and entry.kind == "country":
            country = entry.id
        elif entry is not None and entry.kind == "government":
            country = entry.country
        if country:
            counts[country] = counts.get(country, 0) + 1
    default = pack.default_pair
    ranked = sorted(counts, key=lambda c: (-counts[c], c not in default))
    if len(ranked) >= 2 and counts[ranked[1]] >= 2:
        return (ranked[0], ranked[1])
    if ranked and ranked[0] not in default:
        return (ranked[0], default[0])
    return default


def extract(doc: Document) -> Document:
    """Fill the extracted facts of ``doc`` in place and return it."""
    an, actors = analyse(doc)
    details = find_events(an, doc.mentions, actors)
    doc.events = [d.event for d in details]
    doc.sectors = find_sectors(an)
    doc.commitments = find_commitments(an, doc.mentions, actors)
    return doc


extract_stage = stage(
    "extract",
    requires=("text", "published", "lang"),
    assigns=("sentences", "mentions", "events", "sectors", "commitments"),
)(extract)


@dataclass(frozen=True)
class RoleRecord:
    """A role the article states for a person, stamped with the article's date."""

    entity_id: str
    role: str
    country: str | None
    date: str | None
    doc_id: str | None
    start: int
    end: int


def entity_roles(doc: Document) -> list[RoleRecord]:
    """Roles stated for persons in ``doc`` (one per entity and distinct role)."""
    seen: set[tuple[str, str]] = set()
    out: list[RoleRecord] = []
    for m in doc.mentions:
        if m.label != "PERSON" or not m.entity_id or not m.role:
            continue
        key = (m.entity_id, m.role)
        if key in seen:
            continue
        seen.add(key)
        out.append(
            RoleRecord(m.entity_id, m.role, m.country, doc.published, doc.id, m.start, m.end)
        )
    return out
