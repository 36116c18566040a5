"""Pages of extracted facts: entities, events, commitments (and pledges, timeline).

Every row cites the sentence it comes from; the templates link each citation
to the document page highlighted at its offsets (``/documents/ID?at=S-E#cited``).
The data of each page is built in :mod:`corridor.views.facts` (the same
models ``corridor ... --json`` prints); its routes register on
:data:`.pages.router`.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Path, Query, Request
from fastapi.responses import Response

from ..service import Corridor
from ..views.facts import (
    CommitmentList,
    EntityList,
    EntityPage,
    EventList,
    PledgeList,
    PledgePage,
    TimelineOut,
    commitment_list,
    entity_list,
    entity_page,
    event_list,
    pledge_list,
    pledge_page,
    timeline_out,
)
from ..views.params import opt, upper_opt
from .deps import Reader, base_path, require_read
from .pages import ERRORS, page, router

__all__ = ["ENTITY_TYPES", "PLEDGE_STATUSES"]

ENTITY_TYPES = ("PERSON", "ORG", "PLACE", "PROJECT")
PLEDGE_STATUSES = ("pledged", "reiterated", "progress", "done", "contradicted")


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
    return entity_list(corridor, type, q, limit)


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
    return entity_page(corridor, entity_id, limit)


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
    return event_list(corridor, type=type, actor=actor, place=place, since=since,
                      until=until, limit=limit)


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
    return commitment_list(corridor, party=party, sector=sector, project=project,
                           limit=limit)


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
    return pledge_list(corridor, party=party, sector=sector, project=project, status=status,
                       limit=limit)


@page("/pledges/{pledge_id}", template="pledge.html", model=PledgePage, section="pledges",
      summary="One pledge: every statement and status signal, each with its sentence")
def pledge(
    corridor: Reader,
    pledge_id: Annotated[str, Path(max_length=100)],
) -> PledgePage:
    """The history runs oldest first: the first statement, reiterations (in
    other documents), mentions (again in the same document) and signals of
    progress, completion or contradiction."""
    return pledge_page(corridor, pledge_id)


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
    return {"entity": opt(entity), "sector": opt(sector), "event_type": upper_opt(event_type),
            "since": opt(since), "until": opt(until), "by": by}


Filters = Annotated[TimelineQuery, Depends(_timeline_filters)]


@page("/timeline", template="timeline.html", model=TimelineOut, section="timeline",
      summary="Events per month, by event type or by sector, with a plot")
def timeline(request: Request, corridor: Reader, filters: Filters) -> TimelineOut:
    """An event counts in the month of its own date, else of its article's.
    `plot_svg` and `plot_png` draw the same counts."""
    tl = corridor.timeline(entity=filters["entity"], sector=filters["sector"],
                           event_type=filters["event_type"], since=filters["since"],
                           until=filters["until"], by=filters["by"] or "type")
    return timeline_out(tl, base=base_path(request), query=request.url.query)

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
