"""Load the default domain pack (data files beside this module) once per process.

The pack is data, not code: ``lexicon.json`` (canonical entities with aliases in
English, Urdu and Chinese), ``titles.json`` (title and role words),
``sectors.json`` (the sector taxonomy with cues), ``events.json`` (event
triggers and the PLOVER mapping) and ``modality.json`` (commitment cues).
Everything here is read-only after loading.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Any

__all__ = [
    "DomainPack",
    "EventSpec",
    "LexEntry",
    "ModalitySpec",
    "SectorSpec",
    "TitleSpec",
    "load_pack",
    "norm_key",
    "slugify",
]

ENTITY_TYPES = ("PERSON", "ORG", "PLACE", "PROJECT")


def slugify(text: str) -> str:
    """A stable ASCII slug: ``"Sun Weidong"`` -> ``"sun-weidong"``.

    Non-Latin names keep their characters (lower-cased) so that Urdu or Chinese
    names still give a stable, distinct slug.
    """
    folded = unicodedata.normalize("NFKD", text)
    folded = "".join(c for c in folded if not unicodedata.combining(c))
    folded = folded.replace("’", "'").replace("'", "").lower()
    slug = re.sub(r"[^\w]+", "-", folded, flags=re.UNICODE).strip("-_")
    return slug or "x"


def norm_key(text: str) -> str:
    """Case- and punctuation-insensitive key used to look aliases up."""
    t = unicodedata.normalize("NFKC", text).replace("’", "'").replace("–", "-")
    t = re.sub(r"\s+", " ", t).strip().lower()
    return t


@dataclass(frozen=True)
class LexEntry:
    id: str
    type: str
    kind: str
    name: str
    en: tuple[str, ...] = ()
    acronyms: tuple[str, ...] = ()
    ur: tuple[str, ...] = ()
    zh: tuple[str, ...] = ()
    country: str | None = None
    demonyms: tuple[str, ...] = ()
    capital: str | None = None
    capital_of: str | None = None

    @property
    def aliases(self) -> tuple[str, ...]:
        """Every surface form, canonical name first."""
        seen: dict[str, None] = {self.name: None}
        for a in (*self.en, *self.acronyms, *self.ur, *self.zh):
            seen.setdefault(a, None)
        return tuple(seen)


@dataclass(frozen=True)
class TitleSpec:
    heads: frozenset[str]
    modifiers: frozenset[str]
    portfolios: tuple[str, ...]
    honorifics: frozenset[str]
    country_hints: dict[str, str]
    role_nouns: tuple[str, ...]
    head_words: frozenset[str] = field(default_factory=frozenset)
    synonyms: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class SectorSpec:
    id: str
    label: str
    cues: tuple[str, ...]
    cues_cs: tuple[str, ...]
    ur: tuple[str, ...]
    zh: tuple[str, ...]
    exclude: tuple[str, ...]
    kinds: tuple[str, ...] = ()


@dataclass(frozen=True)
class EventSpec:
    triggers: dict[str, tuple[str, ...]]
    not_triggers: tuple[str, ...]
    anaphoric: tuple[str, ...]
    nominal_types: dict[str, str]
    plover: dict[str, str | None]
    priority: tuple[str, ...]
    #: when a reported statement is itself news (see ``events.json``): statement acts
    #: ("in a statement"), announcing verbs, speaker roles ("spokesperson") and the
    #: attribution cues that make a statement act a mere source ("according to")
    news_acts: tuple[str, ...] = ()
    news_verbs: tuple[str, ...] = ()
    news_speakers: tuple[str, ...] = ()
    attribution: tuple[str, ...] = ()


@dataclass(frozen=True)
class ModalitySpec:
    cues: dict[str, tuple[str, ...]]
    conditional: tuple[str, ...]
    action_stop: tuple[str, ...]
    not_actors: frozenset[str]
    #: lexicon kinds of a state's organs (a ministry, a party department): a commitment
    #: they make binds their ``country``
    organ_kinds: frozenset[str] = frozenset()
    #: verbs of one person's itinerary ("will attend", "will visit"): a plain future of
    #: a single person with one of them is a schedule, not a commitment
    schedule_verbs: tuple[str, ...] = ()


@dataclass(frozen=True)
class DomainPack:
    """The loaded domain pack, with lookup indexes."""

    entities: dict[str, LexEntry]
    default_pair: tuple[str, str]
    titles: TitleSpec
    sectors: dict[str, SectorSpec]
    events: EventSpec
    modality: ModalitySpec
    alias_index: dict[str, str]
    acronym_index: dict[str, str]
    demonym_index: dict[str, str]

    def lookup(self, surface: str) -> LexEntry | None:
        """The lexicon entry a surface form names (acronyms case-sensitive)."""
        ent_id = self.acronym_index.get(surface.strip())
        if ent_id is None:
            ent_id = self.alias_index.get(norm_key(surface))
        return self.entities.get(ent_id) if ent_id else None

    def country_of_demonym(self, word: str) -> str | None:
        return self.demonym_index.get(norm_key(word))


def _read(name: str) -> Any:
    path = resources.files("corridor.domain").joinpath(name)
    return json.loads(path.read_text(encoding="utf-8"))


def _tuple(raw: dict[str, Any], key: str) -> tuple[str, ...]:
    return tuple(raw.get(key) or ())


@lru_cache(maxsize=1)
def load_pack() -> DomainPack:
    """Load and index the default domain pack (cached: read once per process)."""
    lex = _read("lexicon.json")
    entities: dict[str, LexEntry] = {}
    alias_index: dict[str, str] = {}
    acronym_index: dict[str, str] = {}
    demonym_index: dict[str, str] = {}
    for raw in lex["entities"]:
        if raw["type"] not in ENTITY_TYPES:
            raise ValueError(f"lexicon entity {raw['id']}: bad type {raw['type']}")
        entry = LexEntry(
            id=raw["id"],
            type=raw["type"],
            kind=raw.get("kind", ""),
            name=raw["name"],
            en=_tuple(raw, "en"),
            acronyms=_tuple(raw, "acronyms"),
            ur=_tuple(raw, "ur"),
            zh=_tuple(raw, "zh"),
            country=raw.get("country"),
            demonyms=_tuple(raw, "demonyms"),
            capital=raw.get("capital"),
            capital_of=raw.get("capital_of"),
        )
        if entry.id in entities:
            raise ValueError(f"lexicon: duplicate id {entry.id}")
        entities[entry.id] = entry
        for alias in (entry.name, *entry.en, *entry.ur, *entry.zh):
            alias_index.setdefault(norm_key(alias), entry.id)
        for acro in entry.acronyms:
            acronym_index.setdefault(acro, entry.id)
        for dem in entry.demonyms:
            demonym_index.setdefault(norm_key(dem), entry.id)

    t = _read("titles.json")
    heads = frozenset(t["heads"])
    head_words = frozenset(w for h in heads for w in h.split())
    titles = TitleSpec(
        heads=heads,
        modifiers=frozenset(t["modifiers"]),
        portfolios=tuple(sorted(t["portfolios"], key=len, reverse=True)),
        honorifics=frozenset(t["honorifics"]),
        country_hints=dict(t["country_hints"]),
        role_nouns=tuple(sorted(t["role_nouns"], key=len, reverse=True)),
        head_words=head_words,
        synonyms=dict(t.get("synonyms") or {}),
    )

    s = _read("sectors.json")
    sectors = {
        sid: SectorSpec(
            id=sid,
            label=raw["label"],
            cues=_tuple(raw, "cues"),
            cues_cs=_tuple(raw, "cues_cs"),
            ur=_tuple(raw, "ur"),
            zh=_tuple(raw, "zh"),
            exclude=_tuple(raw, "exclude"),
            kinds=_tuple(raw, "kinds"),
        )
        for sid, raw in s["sectors"].items()
    }

    e = _read("events.json")
    events = EventSpec(
        triggers={k: tuple(v) for k, v in e["triggers"].items()},
        not_triggers=tuple(e["not_triggers"]),
        anaphoric=tuple(e["anaphoric"]),
        nominal_types=dict(e["nominal_types"]),
        plover=dict(e["plover"]),
        priority=tuple(e["priority"]),
        news_acts=tuple(e.get("news_statement", {}).get("acts", ())),
        news_verbs=tuple(e.get("news_statement", {}).get("verbs", ())),
        news_speakers=tuple(e.get("news_statement", {}).get("speakers", ())),
        attribution=tuple(e.get("news_statement", {}).get("attribution", ())),
    )

    m = _read("modality.json")
    modality = ModalitySpec(
        cues={k: tuple(v) for k, v in m["cues"].items()},
        conditional=tuple(m["conditional"]),
        action_stop=tuple(m["action_stop"]),
        not_actors=frozenset(m["not_actors"]),
        organ_kinds=frozenset(m.get("organ_kinds", ())),
        schedule_verbs=tuple(m.get("schedule_verbs", ())),
    )
    pair = lex.get("default_pair") or ["pakistan", "china"]
    return DomainPack(
        entities=entities,
        default_pair=(pair[0], pair[1]),
        titles=titles,
        sectors=sectors,
        events=events,
        modality=modality,
        alias_index=alias_index,
        acronym_index=acronym_index,
        demonym_index=demonym_index,
    )
