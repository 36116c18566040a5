"""A self-contained HTML report: one page, inline CSS, the plot as a base64 PNG.

Nothing on the page is fetched from anywhere (no scripts, fonts, styles or
images from outside). Every piece of article text goes through Jinja2's
autoescape; nothing is marked safe. The plot is an ``<img>`` with a
``data:image/png;base64`` URI (an inline SVG would have to be marked safe).
Article URLs become links only when they are http(s).
"""

from __future__ import annotations

import base64
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from typing import TYPE_CHECKING, Any, Protocol

import jinja2

from ..domain import load_pack
from ..errors import ConfigError, NotFound
from ..store.base import AdminStore, CheckStore, Citation, EventRecord, StoredCheck
from .plot import plot_bytes
from .timeline import TimelineStore, aggregate, timeline_events

if TYPE_CHECKING:
    from ..pledges import Pledge

__all__ = ["PledgeSource", "ReportStore", "render_report"]


class ReportStore(TimelineStore, CheckStore, AdminStore, Protocol):
    """What a report reads: a timeline's events and sentences, checks, the pool's stats."""


class PledgeSource(Protocol):
    """Where the report reads the pool's pledges (a ``PledgeTracker``)."""

    def all(self) -> list[Pledge]:
        """Every pledge, most stated first."""
        ...


RECENT_EVENTS = 25
TOP_ENTITIES = 12
PLEDGES = 60
CHECKS = 20


@lru_cache(maxsize=1)
def _env() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.PackageLoader("corridor.report", "templates"),
        autoescape=True,  # every template, whatever its name
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def _safe_url(url: str | None) -> str | None:
    return url if url and url.lower().startswith(("http://", "https://")) else None


@dataclass
class _Cite:
    sentence: str
    source: str
    date: str
    title: str | None
    url: str | None
    ref: str

    @classmethod
    def of(cls, c: Citation) -> _Cite:
        return cls(sentence=c.sentence, source=c.source or "unknown source",
                   date=c.published or "undated", title=c.title, url=_safe_url(c.url),
                   ref=f"{c.doc_id} {c.start}-{c.end}")


def _name(entity_id: str, names: dict[str, str]) -> str:
    if entity_id in names:
        return names[entity_id]
    entry = load_pack().entities.get(entity_id)
    return entry.name if entry is not None else entity_id


def _pledge_in_scope(p: Pledge, entity_id: str | None, sector: str | None,
                     project_id: str | None) -> bool:
    if entity_id and entity_id not in {*p.parties, *p.projects, *p.key_entities}:
        return False
    if project_id and project_id not in {*p.projects, *p.key_entities}:
        return False
    return not (sector and sector not in p.sectors)


def _check_in_scope(check: StoredCheck, ids: set[str], aliases: list[str],
                    sector: str | None) -> bool:
    from ..extract.sectors import sectors_in
    from ..xlang import find_aliases

    text = check.claim
    if ids:
        found = {m.entity_id for m in find_aliases(text)}
        low = text.lower()
        if not (found & ids) and not any(a.lower() in low for a in aliases if len(a) > 2):
            return False
    return not (sector and sector not in sectors_in(text, 0, len(text)))


def render_report(
    store: ReportStore, pledges: PledgeSource, *, entity: str | None = None,
    sector: str | None = None, project: str | None = None,
) -> str:
    """The report for an entity, a sector, a project, or the whole pool: its events
    and checks read from ``store``, its pledges from ``pledges``."""
    pack = load_pack()
    if sector is not None and sector not in pack.sectors:
        raise ConfigError(f"unknown sector {sector!r} (one of {', '.join(pack.sectors)})")
    scope_parts = []
    ids: set[str] = set()
    aliases: list[str] = []
    project_id = None
    if project:
        found = store.find_entity(project)
        if found is None:
            raise NotFound(f"no project named {project!r} (try `corridor entities --type "
                           "PROJECT`)")
        project_id = found.id
        ids.add(found.id)
        aliases += [found.name, *found.aliases]
        scope_parts.append(f"project {found.name}")
    entity_id = None
    if entity:
        found = store.find_entity(entity)
        if found is None:
            raise NotFound(f"no entity named {entity!r} (try `corridor entities`)")
        entity_id = found.id
        ids.add(found.id)
        aliases += [found.name, *found.aliases]
        scope_parts.append(found.name)
    if sector:
        scope_parts.append(f"sector {pack.sectors[sector].label}")
    scope = ", ".join(scope_parts) or "the whole pool"

    events, sectors, _ = timeline_events(store, entity=entity_id or project_id,
                                         sector=sector)
    if entity_id and project_id:  # both: events naming the project too
        proj_events = {ev.id for ev in timeline_events(store, entity=project_id,
                                                       sector=sector)[0]}
        events = [ev for ev in events if ev.id in proj_events]
    by = "sector" if entity_id or project_id else "type"
    timeline = aggregate(events, sectors, by, {"entity": entity, "sector": sector,
                                               "project": project})
    plot = base64.b64encode(plot_bytes(
        timeline, "png", title=f"Events per month by {by} — {scope}")).decode("ascii")

    names: dict[str, str] = {}
    for ev in events:
        names.update(zip(ev.participants, ev.participant_names, strict=True))
    top = _top_entities(store, events, ids, names)

    in_scope = [p for p in pledges.all()
                if _pledge_in_scope(p, entity_id, sector, project_id)][:PLEDGES]
    pledge_rows = [_pledge_row(p) for p in in_scope]

    recent = [_event_row(ev, sectors.get(ev.id, [])) for ev in events[:RECENT_EVENTS]]
    checks = [c for c in store.list_checks(limit=500)
              if _check_in_scope(c, ids, aliases, sector)][:CHECKS]
    check_rows = [_check_row(c) for c in checks]

    stats = store.stats()
    return _env().get_template("report.html").render(
        scope=scope,
        generated=datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        documents=stats.get("documents", 0),
        events_total=len(events),
        timeline=timeline,
        plot_png=plot,
        top=top,
        pledges=pledge_rows,
        statuses=Counter(p.status for p in in_scope),
        events=recent,
        checks=check_rows,
        sector_label={k: v.label for k, v in pack.sectors.items()},
    )


def _top_entities(store: ReportStore, events: list[EventRecord], scope: set[str],
                  names: dict[str, str]) -> list[dict[str, Any]]:
    if not scope:
        return [{"name": e.name, "type": e.type, "count": e.mentions,
                 "what": f"{e.mentions} mentions in {e.documents} documents"}
                for e in store.list_entities(None, None, TOP_ENTITIES)]
    counts = Counter(p for ev in events for p in ev.participants if p not in scope)
    return [{"name": _name(i, names), "type": "", "count": n,
             "what": f"takes part in {n} of these events"}
            for i, n in counts.most_common(TOP_ENTITIES)]


def _pledge_row(p: Pledge) -> dict[str, Any]:
    evidence = [s for s in p.signals if s.kind != "reiterated"]
    latest = evidence[-1] if evidence else (p.signals[-1] if p.signals else None)
    return {
        "id": p.id, "canonical": p.canonical, "parties": " + ".join(p.party_names),
        "projects": ", ".join(_name(x, {}) for x in p.projects),
        "first_seen": p.first_seen or "undated", "last_seen": p.last_seen or "undated",
        "count": p.count, "documents": p.documents, "reiterations": p.reiterations,
        "status": p.status,
        "evidence": None if latest is None else {
            "kind": latest.kind, "cue": latest.cue, "cite": _Cite.of(latest.citation)},
        "first": _Cite.of(p.mentions[0].citation),
    }


def _event_row(ev: EventRecord, sectors: list[str]) -> dict[str, Any]:
    date = ev.date or ev.date_inferred or ev.citation.published or "undated"
    phrase = ev.date_phrase if not ev.date else None  # not stated: shown as such
    return {"date": date, "phrase": phrase, "inferred": bool(not ev.date and ev.date_inferred),
            "basis": ev.date_basis, "type": ev.type, "ordinal": ev.ordinal,
            "participants": ", ".join(ev.participant_names), "place": ev.place,
            "sectors": sectors[:3], "cite": _Cite.of(ev.citation)}


def _check_row(c: StoredCheck) -> dict[str, Any]:
    evidence = []
    cited = [e for e in (c.result.get("evidence") or []) if isinstance(e, dict)]
    cited.sort(key=lambda e: e.get("stance") == "context")  # supports / refutes first
    for e in cited[:2]:
        evidence.append({"sentence": str(e.get("sentence") or ""),
                         "stance": str(e.get("stance") or ""),
                         "source": str(e.get("source") or "unknown source"),
                         "date": str(e.get("published") or "undated"),
                         "url": _safe_url(e.get("url") if isinstance(e.get("url"), str)
                                          else None)})
    return {"id": c.id, "claim": c.claim, "verdict": c.verdict,
            "confidence": f"{c.confidence:.2f}", "reason": c.reason,
            "checked": c.updated_at[:10], "evidence": evidence}
