"""Extracted facts as answers: entities, events, commitments, pledges, the timeline.

Every row cites the sentence it comes from; ``langs`` gives each cited
document's language (for ``lang``/``dir`` on the sentences).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, Field

from ..errors import NotFound
from ..store.base import (
    Citation,
    CommitmentRecord,
    EntityRecord,
    EventRecord,
    MentionRecord,
    RoleStamp,
)
from .params import opt, upper_opt

if TYPE_CHECKING:
    from ..report.timeline import Timeline
    from ..service import Corridor

__all__ = [
    "CommitmentList",
    "EntityList",
    "EntityPage",
    "EventList",
    "PledgeLinkOut",
    "PledgeList",
    "PledgeOut",
    "PledgePage",
    "PledgeStep",
    "TimelineOut",
    "commitment_list",
    "entity_list",
    "entity_page",
    "event_list",
    "langs_of",
    "pledge_list",
    "pledge_out",
    "pledge_page",
    "timeline_out",
]


def langs_of(corridor: Corridor, doc_ids: Iterable[str]) -> dict[str, str | None]:
    """The language of each document (for ``lang``/``dir`` on cited sentences)."""
    out: dict[str, str | None] = {}
    for doc_id in doc_ids:
        if doc_id not in out:
            try:
                out[doc_id] = corridor.document(doc_id).lang
            except NotFound:  # deleted meanwhile: cite it without a language
                out[doc_id] = None
    return out


# -- pledges (an entity page lists them too) ---------------------------------------------


class PledgeOut(BaseModel):
    """A pledge: a commitment stated again and again, clustered across articles."""

    id: str
    canonical: str
    parties: list[str]
    party_names: list[str]
    projects: list[str]
    sectors: list[str]
    first_seen: str | None
    last_seen: str | None
    #: how many times it was stated, in how many documents
    count: int
    documents: int
    reiterations: int
    #: pledged / reiterated / progress / done / contradicted
    status: str
    key_entities: list[str] = Field(default_factory=list)


def pledge_out(pledge: Any) -> PledgeOut:
    return PledgeOut(**pledge.to_dict(full=False))


class PledgeList(BaseModel):
    party: str | None = None
    sector: str | None = None
    project: str | None = None
    status: str | None = None
    limit: int
    pledges: list[PledgeOut]


def pledge_list(corridor: Corridor, *, party: str | None = None, sector: str | None = None,
                project: str | None = None, status: str | None = None, limit: int = 200
                ) -> PledgeList:
    """Most stated first."""
    party, sector, project, status = opt(party), opt(sector), opt(project), opt(status)
    rows = corridor.pledges(party=party, sector=sector, project=project,
                            status=status.lower() if status else None, limit=limit)
    return PledgeList(party=party, sector=sector, project=project, status=status, limit=limit,
                      pledges=[pledge_out(p) for p in rows])


class PledgeLinkOut(BaseModel):
    """Why a statement belongs to the pledge: the earlier statement it was joined to
    (cited) and the basis of the link in words."""

    citation: Citation
    basis: str
    score: float


class PledgeStep(BaseModel):
    """One step of a pledge's history: a statement or a signal, with its sentence."""

    kind: str  # first | reiterated | mentioned | progress | done | contradicted
    date: str | None = None
    cue: str | None = None
    note: str | None = None
    modality: str | None = None
    action: str | None = None
    citation: Citation
    lang: str | None = None
    #: a later statement: the earlier one it was joined to, and why
    link: PledgeLinkOut | None = None


class PledgePage(BaseModel):
    pledge: PledgeOut
    #: statements and signals, oldest first
    history: list[PledgeStep]


def pledge_page(corridor: Corridor, pledge_id: str) -> PledgePage:
    """One pledge with its history, oldest first."""
    found = corridor.pledge(pledge_id)
    steps = found.history()
    langs = langs_of(corridor, (str(s["citation"]["doc_id"]) for s in steps))
    history = [PledgeStep(**{k: v for k, v in step.items() if k in PledgeStep.model_fields
                             and k != "lang"},
                          lang=langs.get(str(step["citation"]["doc_id"])))
               for step in steps]
    return PledgePage(pledge=pledge_out(found), history=history)


# -- entities ---------------------------------------------------------------------------


class EntityList(BaseModel):
    type: str | None = None
    q: str | None = None
    limit: int
    entities: list[EntityRecord]


def entity_list(corridor: Corridor, type: str | None = None, query: str | None = None,
                limit: int = 200) -> EntityList:
    """Most mentioned first; ``query``: part of a name or alias."""
    kind, query = upper_opt(type), opt(query)
    return EntityList(type=kind, q=query, limit=limit,
                      entities=corridor.entities(kind, query, limit))


class EntityPage(BaseModel):
    entity: EntityRecord
    #: roles stated in articles, oldest first; each cites where it was stated
    roles: list[RoleStamp]
    events: list[EventRecord]
    #: commitments where the entity is a party (a country) or the project
    commitments: list[CommitmentRecord]
    #: pledges (clustered commitments) of a project, or where a country or
    #: body is a party; None for people
    pledges: list[PledgeOut] | None = None
    mentions: list[MentionRecord]
    #: document id -> language, for the cited sentences
    langs: dict[str, str | None] = Field(default_factory=dict)


def _events_of(corridor: Corridor, entity_id: str, is_place: bool, limit: int
               ) -> list[EventRecord]:
    found = {e.id: e for e in corridor.events(entity=entity_id, limit=limit)}
    if is_place:
        found.update({e.id: e for e in corridor.events(place=entity_id, limit=limit)})
    return sorted(found.values(), key=lambda e: (e.date or e.citation.published or "", -e.id),
                  reverse=True)[:limit]


def entity_page(corridor: Corridor, name: str, limit: int = 50) -> EntityPage:
    """One entity (id, name or alias) with ``limit`` mentions and events: events it
    takes part in (or, for a place, held there); commitments where a country is a
    party or a project is named, and their pledges."""
    profile = corridor.entity(name, mentions=limit)
    ent = profile.entity
    events = _events_of(corridor, ent.id, ent.type == "PLACE", limit)
    pledges: list[PledgeOut] | None = None
    if ent.type == "PROJECT":
        commitments = corridor.commitments(project=ent.id, limit=limit)
        pledges = [pledge_out(p) for p in corridor.pledges(project=ent.id, limit=limit)]
    elif ent.type in ("PLACE", "ORG"):
        commitments = corridor.commitments(party=ent.id, limit=limit)
        pledges = [pledge_out(p) for p in corridor.pledges(party=ent.id, limit=limit)]
    else:
        commitments = []
    cited = [m.citation.doc_id for m in profile.mentions] + [r.doc_id for r in profile.roles]
    cited += [e.citation.doc_id for e in events] + [c.citation.doc_id for c in commitments]
    return EntityPage(entity=ent, roles=profile.roles, events=events, commitments=commitments,
                      pledges=pledges, mentions=profile.mentions,
                      langs=langs_of(corridor, cited))


# -- events and commitments -------------------------------------------------------------


class EventList(BaseModel):
    type: str | None = None
    actor: str | None = None
    place: str | None = None
    since: str | None = None
    until: str | None = None
    limit: int
    #: why the list is empty when a filter names nothing known
    note: str | None = None
    events: list[EventRecord]
    langs: dict[str, str | None] = Field(default_factory=dict)


def event_list(corridor: Corridor, *, type: str | None = None, actor: str | None = None,
               place: str | None = None, since: str | None = None, until: str | None = None,
               limit: int = 100) -> EventList:
    """Newest first. An actor or place that names no known entity gives an empty
    list and a ``note`` (not an error)."""
    kind, who, where = upper_opt(type), opt(actor), opt(place)
    since, until = opt(since), opt(until)
    note = None
    try:
        rows = corridor.events(since=since, until=until, type=kind, entity=who, place=where,
                               limit=limit)
    except NotFound as exc:
        rows, note = [], exc.message
    return EventList(type=kind, actor=who, place=where, since=since, until=until, limit=limit,
                     note=note, events=rows,
                     langs=langs_of(corridor, (e.citation.doc_id for e in rows)))


class CommitmentList(BaseModel):
    party: str | None = None
    sector: str | None = None
    project: str | None = None
    limit: int
    commitments: list[CommitmentRecord]
    langs: dict[str, str | None] = Field(default_factory=dict)


def commitment_list(corridor: Corridor, *, party: str | None = None,
                    sector: str | None = None, project: str | None = None, limit: int = 100
                    ) -> CommitmentList:
    """Newest article first."""
    party, sector, project = opt(party), opt(sector), opt(project)
    rows = corridor.commitments(party=party, sector=sector, project=project, limit=limit)
    return CommitmentList(party=party, sector=sector, project=project, limit=limit,
                          commitments=rows,
                          langs=langs_of(corridor, (c.citation.doc_id for c in rows)))


# -- timeline ---------------------------------------------------------------------------


class TimelineOut(BaseModel):
    by: str
    #: ``YYYY-MM``, without gaps
    months: list[str]
    #: counts per month for each series (event type or sector), largest first
    series: dict[str, list[int]]
    totals: list[int]
    total: int
    #: events with neither their own date nor their article's
    undated: int
    filters: dict[str, str | None]
    #: the plot of these counts (same filters)
    plot_svg: str
    plot_png: str


def timeline_out(timeline: Timeline, *, base: str = "", query: str = "") -> TimelineOut:
    """A timeline (``Corridor.timeline``); ``query``: its filters as a query string, for
    the plot's links (``{base}/timeline.svg?{query}``)."""
    suffix = f"?{query}" if query else ""
    return TimelineOut(**timeline.to_dict(), plot_svg=f"{base}/timeline.svg{suffix}",
                       plot_png=f"{base}/timeline.png{suffix}")
