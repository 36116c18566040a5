"""Pages of extracted facts: entities, events, commitments (and pledges, timeline).

Every row cites the sentence it comes from; the templates link each citation
to the document page highlighted at its offsets (``/documents/ID?at=S-E#cited``).
Registered on :data:`corridor.web.app.router` when :mod:`corridor.web.app`
imports this module.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Annotated

from fastapi import Depends, Path, Query, Request
from fastapi.responses import Response

from ..errors import NotFound
from ..service import Corridor
from ..store.base import EventRecord
from .app import ERRORS, Reader, _base, _opt, page, require_read, router
from .models import (
    CommitmentList,
    EntityList,
    EntityPage,
    EventList,
    PledgeList,
    PledgeOut,
    PledgePage,
    PledgeStep,
    TimelineOut,
    pledge_out,
)

__all__ = ["ENTITY_TYPES", "PLEDGE_STATUSES", "langs_of"]

ENTITY_TYPES = ("PERSON", "ORG", "PLACE", "PROJECT")
PLEDGE_STATUSES = ("pledged", "reiterated", "progress", "done", "contradicted")


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


@page("/entities", template="entities.html", model=EntityList, section="entities",
      summary="Entities (people, organisations, places, projects), most mentioned first")
def entities(
    corridor: Reader,
    type: Annotated[str | None, Query(max_length=20, description=(
        "PERSON, ORG, PLACE or PROJECT"))] = None,
    q: Annotated[str | None, Query(max_length=200,
                                   description="Part of a name or alias")] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 200,
) -> EntityList:
    """Each with its aliases (English, Urdu, Chinese) and how many mentions and
    documents name it."""
    kind, query = _opt(type), _opt(q)
    kind = kind.upper() if kind else None
    return EntityList(type=kind, q=query, limit=limit,
                      entities=corridor.entities(kind, query, limit))


def _events_of(corridor: Corridor, entity_id: str, is_place: bool, limit: int
               ) -> list[EventRecord]:
    found = {e.id: e for e in corridor.events(entity=entity_id, limit=limit)}
    if is_place:
        found.update({e.id: e for e in corridor.events(place=entity_id, limit=limit)})
    return sorted(found.values(), key=lambda e: (e.date or e.citation.published or "", -e.id),
                  reverse=True)[:limit]


@page("/entities/{entity_id}", template="entity.html", model=EntityPage, section="entities",
      summary="One entity: aliases, roles over time, events, commitments, cited mentions")
def entity(
    corridor: Reader,
    entity_id: Annotated[str, Path(max_length=200, description="Entity id, name or alias")],
    limit: Annotated[int, Query(ge=1, le=500, description="Mentions and events shown")] = 50,
) -> EntityPage:
    """Roles are stamped with the article's date; events list the entity as a
    participant (or, for a place, as the venue); commitments are those where a
    country is a party or a project is named. Every item cites its sentence."""
    profile = corridor.entity(entity_id, mentions=limit)
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


@page("/events", template="events.html", model=EventList, section="events",
      summary="Events (meetings, visits, agreements...), newest first, each with its sentence")
def events(
    corridor: Reader,
    type: Annotated[str | None, Query(max_length=30, description=(
        "MEET, VISIT, CALL, JOINT_STATEMENT, AGREE, SIGN or STATEMENT"))] = None,
    actor: Annotated[str | None, Query(max_length=200, description=(
        "A participant: entity id, name or alias"))] = None,
    place: Annotated[str | None, Query(max_length=200, description=(
        "Where it happened: a place's id, name or alias"))] = None,
    since: Annotated[str | None, Query(max_length=40, description=(
        "On or after (YYYY-MM-DD; the event's date, else the article's)"))] = None,
    until: Annotated[str | None, Query(max_length=40, description="On or before")] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> EventList:
    """An actor that names no known entity gives an empty list and a `note`
    (not an error), so a filter form can say so."""
    kind, who, where = _opt(type), _opt(actor), _opt(place)
    kind = kind.upper() if kind else None
    since, until = _opt(since), _opt(until)
    note = None
    try:
        rows = corridor.events(since=since, until=until, type=kind, entity=who, place=where,
                               limit=limit)
    except NotFound as exc:
        rows, note = [], exc.message
    return EventList(type=kind, actor=who, place=where, since=since, until=until, limit=limit,
                     note=note, events=rows,
                     langs=langs_of(corridor, (e.citation.doc_id for e in rows)))


@page("/commitments", template="commitments.html", model=CommitmentList,
      section="commitments",
      summary="Commitments (agreed, will, reaffirmed, proposed), each with its sentence")
def commitments(
    corridor: Reader,
    party: Annotated[str | None, Query(max_length=200, description=(
        "A party: a country's id, name or alias (e.g. china), or `both`"))] = None,
    sector: Annotated[str | None, Query(max_length=60,
                                        description="A sector of the taxonomy")] = None,
    project: Annotated[str | None, Query(max_length=200,
                                         description="A project's id, name or alias")] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> CommitmentList:
    """Newest article first."""
    party, sector, project = _opt(party), _opt(sector), _opt(project)
    rows = corridor.commitments(party=party, sector=sector, project=project, limit=limit)
    return CommitmentList(party=party, sector=sector, project=project, limit=limit,
                          commitments=rows,
                          langs=langs_of(corridor, (c.citation.doc_id for c in rows)))


# -- pledges ----------------------------------------------------------------------------


@page("/pledges", template="pledges.html", model=PledgeList, section="pledges",
      summary="Pledge tracker: commitments clustered across articles, with their status")
def pledges(
    corridor: Reader,
    party: Annotated[str | None, Query(max_length=200, description=(
        "A party: a country or body (id, name or alias)"))] = None,
    sector: Annotated[str | None, Query(max_length=60,
                                        description="A sector of the taxonomy")] = None,
    project: Annotated[str | None, Query(max_length=200, description=(
        "A project (id, name or alias)"))] = None,
    status: Annotated[str | None, Query(max_length=20, description=(
        "pledged, reiterated, progress, done or contradicted"))] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 200,
) -> PledgeList:
    """Most stated first. Status: the latest progress / done / contradicted
    signal a later article reported, else `reiterated` (stated in two or more
    documents) or `pledged` (once)."""
    party, sector, project, status = _opt(party), _opt(sector), _opt(project), _opt(status)
    rows = corridor.pledges(party=party, sector=sector, project=project,
                            status=status.lower() if status else None, limit=limit)
    return PledgeList(party=party, sector=sector, project=project, status=status, limit=limit,
                      pledges=[pledge_out(p) for p in rows])


@page("/pledges/{pledge_id}", template="pledge.html", model=PledgePage, section="pledges",
      summary="One pledge: every statement and status signal, each with its sentence")
def pledge(
    corridor: Reader,
    pledge_id: Annotated[str, Path(max_length=100)],
) -> PledgePage:
    """The history runs oldest first: the first statement, reiterations (in
    other documents), mentions (again in the same document) and signals of
    progress, completion or contradiction."""
    found = corridor.pledge(pledge_id)
    steps = found.history()
    langs = langs_of(corridor, (str(s["citation"]["doc_id"]) for s in steps))
    history = [PledgeStep(**{k: v for k, v in step.items() if k in PledgeStep.model_fields
                             and k != "lang"},
                          lang=langs.get(str(step["citation"]["doc_id"])))
               for step in steps]
    return PledgePage(pledge=pledge_out(found), history=history)


# -- timeline ---------------------------------------------------------------------------

TimelineQuery = dict[str, str | None]


def _timeline_filters(
    entity: Annotated[str | None, Query(max_length=200, description=(
        "Events the entity takes part in or whose sentence names it"))] = None,
    sector: Annotated[str | None, Query(max_length=60,
                                        description="Events in this sector")] = None,
    event_type: Annotated[str | None, Query(max_length=30, description=(
        "MEET, VISIT, CALL, JOINT_STATEMENT, AGREE, SIGN or STATEMENT"))] = None,
    since: Annotated[str | None, Query(max_length=40,
                                       description="On or after (YYYY-MM-DD)")] = None,
    until: Annotated[str | None, Query(max_length=40,
                                       description="On or before (YYYY-MM-DD)")] = None,
    by: Annotated[str, Query(pattern="^(type|sector)$",
                             description="Series: event `type` or `sector`")] = "type",
) -> TimelineQuery:
    kind = _opt(event_type)
    return {"entity": _opt(entity), "sector": _opt(sector),
            "event_type": kind.upper() if kind else None, "since": _opt(since),
            "until": _opt(until), "by": by}


Filters = Annotated[TimelineQuery, Depends(_timeline_filters)]


@page("/timeline", template="timeline.html", model=TimelineOut, section="timeline",
      summary="Events per month, by event type or by sector, with a plot")
def timeline(request: Request, corridor: Reader, filters: Filters) -> TimelineOut:
    """An event counts in the month of its own date, else of its article's.
    `plot_svg` and `plot_png` draw the same counts."""
    tl = corridor.timeline(entity=filters["entity"], sector=filters["sector"],
                           event_type=filters["event_type"], since=filters["since"],
                           until=filters["until"], by=filters["by"] or "type")
    query = request.url.query
    base = _base(request)
    return TimelineOut(**tl.to_dict(),
                       plot_svg=f"{base}/timeline.svg" + (f"?{query}" if query else ""),
                       plot_png=f"{base}/timeline.png" + (f"?{query}" if query else ""))


def _plot(corridor: Corridor, filters: TimelineQuery, fmt: str) -> Response:
    from ..report.plot import plot_bytes

    tl = corridor.timeline(entity=filters["entity"], sector=filters["sector"],
                           event_type=filters["event_type"], since=filters["since"],
                           until=filters["until"], by=filters["by"] or "type")
    media = "image/svg+xml" if fmt == "svg" else "image/png"
    return Response(plot_bytes(tl, fmt), media_type=media)


_PLOT = {"dependencies": [Depends(require_read)], "tags": ["read"], "response_class": Response,
         "responses": {**ERRORS, 200: {"content": {"image/svg+xml": {}, "image/png": {}},
                                       "description": "The plot"}}}


@router.get("/timeline.svg", summary="The timeline plot as SVG (same filters as /timeline)",
            **_PLOT)  # type: ignore[arg-type]
def timeline_svg(corridor: Reader, filters: Filters) -> Response:
    return _plot(corridor, filters, "svg")


@router.get("/timeline.png", summary="The timeline plot as PNG (same filters as /timeline)",
            **_PLOT)  # type: ignore[arg-type]
def timeline_png(corridor: Reader, filters: Filters) -> Response:
    return _plot(corridor, filters, "png")
