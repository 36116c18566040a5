"""What a claim or a piece of evidence says, in a form the pair judge can align.

``Facts`` joins the surface analysis of the text (``check.text``) with the
structured record of extraction: entity mentions (with ids and the role the
article states) and events (type, resolved date, place, ordinal). For a claim
the record comes from running extraction on the claim itself; for evidence it
is what the store holds for the cited sentences.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from ..document import Document
from ..store.base import SentenceEvent, SentenceHit, SentenceMention, SentenceRecord
from .text import TextFacts, analyse_text

__all__ = ["EntityRef", "Facts", "claim_facts", "evidence_facts", "id_names",
           "surface_forms"]


@dataclass(frozen=True)
class EntityRef:
    id: str | None
    label: str  # PERSON, ORG, PLACE, PROJECT
    name: str  # surface text as written
    role: str | None = None


@dataclass
class Facts:
    text: TextFacts
    entities: list[EntityRef] = field(default_factory=list)
    events: list[SentenceEvent] = field(default_factory=list)
    sentences: list[SentenceHit] = field(default_factory=list)  # evidence only
    #: index in ``text.text`` where the last (focus) sentence starts (evidence only)
    focus_start: int = 0

    def persons(self) -> list[EntityRef]:
        return [e for e in self.entities if e.label == "PERSON"
                or (e.id or "").startswith("person:")]


_HONORIFIC = re.compile(r"^(?:H\.\s?E\.|Mr\.?|Ms\.?|Mrs\.?|Dr\.?|Prof\.?|Madam)\s+")


def _clean_name(name: str) -> str:
    return _HONORIFIC.sub("", re.sub(r"['’]s$", "", name.strip()))


def _refs(mentions: list[SentenceMention]) -> list[EntityRef]:
    out: list[EntityRef] = []
    seen: set[tuple[str | None, str]] = set()
    for m in mentions:
        name = _clean_name(m.text)
        key = (m.entity_id, name.lower())
        if key in seen:
            continue
        seen.add(key)
        out.append(EntityRef(m.entity_id, m.label, name, m.role))
    return out


@lru_cache(maxsize=4096)
def id_names(name: str, entity_id: str) -> bool:
    """Does ``name`` name the entity ``entity_id`` by words of its id ("Alvi" names
    ``person:arif-alvi``, "Liu Haixing" names ``person:liu-haixing``)?"""
    words = {w.lower() for w in name.split()}
    return bool(words) and words <= set(entity_id.split(":")[-1].split("-"))


def surface_forms(entity_id: str | None, name: str) -> tuple[str, ...]:
    """Ways an entity may be written: its name, lexicon aliases, acronyms, demonyms."""
    from ..domain import load_pack

    forms = {name}
    if entity_id:
        entry = load_pack().entities.get(entity_id)
        if entry is not None:
            forms.update(entry.aliases)
            forms.update(entry.acronyms)
            forms.update(entry.demonyms)
    return tuple(sorted((f for f in forms if f and len(f) >= 2), key=len, reverse=True))


def claim_facts(claim: str) -> Facts:
    """Run extraction on the claim text (undated) and analyse it."""
    from .. import extract as ex

    doc = Document("claim", text=claim, lang="en")
    try:
        ex.extract(doc)
    except Exception:  # extraction is best effort for a one-line claim
        doc.mentions, doc.events = [], []
    mentions = [SentenceMention(m.entity_id, m.label, m.text, m.role, m.start, m.end)
                for m in doc.mentions]
    events = [SentenceEvent(e.type, e.date, e.date_phrase, e.place, e.ordinal,
                            list(e.participants)) for e in doc.events]
    return Facts(analyse_text(claim), _refs(mentions), events)


def evidence_facts(
    sentences: list[SentenceHit], records: dict[tuple[str, int], SentenceRecord]
) -> Facts:
    """Facts of one or more sentences (context first, the cited sentence last)."""
    text = ""
    focus = 0
    mentions: list[SentenceMention] = []
    events: list[SentenceEvent] = []
    for s in sentences:
        if text:
            text += " "
        focus = len(text)
        text += s.text
        rec = records.get(s.key)
        if rec is not None:
            mentions.extend(rec.mentions)
            events.extend(rec.events)
    return Facts(analyse_text(text), _refs(mentions), events, list(sentences), focus)
