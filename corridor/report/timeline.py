"""Events per month, as series by event type or by sector.

An event's month is its stated date, else the date inferred from its own
phrase ("on Monday"), else its article's publication date; events with none
are counted in ``undated`` and left out of the months.
Months run without gaps from the first to the last (empty months are 0).

Sectors of an event: the sectors the extractor found in the event's own
sentence, else those of its article. With ``by="sector"`` each event is
counted once, under its *primary* sector: the first of its sentence's
sectors in taxonomy order, else its article's most supported sector, else
``unspecified``. ``sector=`` keeps events any of whose sectors is that one.
``entity=`` keeps events the entity takes part in or whose sentence names it
(a project such as ML-1 rarely "takes part").
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Protocol

from ..domain import load_pack
from ..errors import ConfigError, NotFound
from ..store.base import EventFilters, EventRecord, FactStore, SearchFilters, SentenceStore

__all__ = ["UNSPECIFIED", "Timeline", "build_timeline", "event_sectors", "month_range",
           "timeline_events"]

UNSPECIFIED = "unspecified"
_ALL = 10**9


class TimelineStore(FactStore, SentenceStore, Protocol):
    """What a timeline reads: events, entities and the sentences that state them."""


@dataclass
class Timeline:
    """Counts per month (``months``: ``YYYY-MM``) for each series."""

    by: str
    months: list[str] = field(default_factory=list)
    series: dict[str, list[int]] = field(default_factory=dict)
    undated: int = 0
    filters: dict[str, str | None] = field(default_factory=dict)

    @property
    def totals(self) -> list[int]:
        return [sum(col) for col in zip(*self.series.values(), strict=True)] if self.series \
            else [0] * len(self.months)

    @property
    def total(self) -> int:
        return sum(self.totals)

    def to_dict(self) -> dict[str, Any]:
        return {"by": self.by, "months": self.months, "series": self.series,
                "totals": self.totals, "total": self.total, "undated": self.undated,
                "filters": self.filters}


def month_range(first: str, last: str) -> list[str]:
    """Every ``YYYY-MM`` from ``first`` to ``last`` inclusive."""
    y, m = int(first[:4]), int(first[5:7])
    out = []
    while f"{y:04d}-{m:02d}" <= last:
        out.append(f"{y:04d}-{m:02d}")
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


def event_sectors(
    events: list[EventRecord], doc_sectors: dict[str, list[tuple[str, int, int]]]
) -> dict[int, list[str]]:
    """Each event's sectors, primary first (see the module docstring)."""
    order = {s: i for i, s in enumerate(load_pack().sectors)}
    out: dict[int, list[str]] = {}
    for ev in events:
        rows = doc_sectors.get(ev.citation.doc_id, [])
        own = sorted({s for s, a, b in rows
                      if a == ev.citation.start and b == ev.citation.end},
                     key=lambda s: order.get(s, len(order)))
        if own:
            out[ev.id] = own
            continue
        counts = Counter(s for s, _, _ in rows)
        out[ev.id] = sorted(counts, key=lambda s: (-counts[s], order.get(s, len(order))))
    return out


def timeline_events(
    store: TimelineStore, *, entity: str | None = None, sector: str | None = None,
    event_type: str | None = None, since: str | None = None, until: str | None = None,
) -> tuple[list[EventRecord], dict[int, list[str]], str | None]:
    """The events in scope (newest first), their sectors, and the entity id."""
    pack = load_pack()
    if event_type is not None:
        event_type = event_type.strip().upper()
        if event_type not in pack.events.plover:
            raise ConfigError(f"unknown event type {event_type!r} (one of "
                              f"{', '.join(pack.events.plover)})")
    if sector is not None and sector not in pack.sectors:
        raise ConfigError(f"unknown sector {sector!r} (one of {', '.join(pack.sectors)})")
    entity_id = None
    events = store.list_events(EventFilters(since, until, event_type), _ALL)
    if entity:
        found = store.find_entity(entity)
        if found is None:
            raise NotFound(f"no entity named {entity!r} (try `corridor entities`)")
        entity_id = found.id
        keys = store.sentences_mentioning([entity_id], SearchFilters(), _ALL)
        where = {(h.doc_id, h.start) for h in store.get_sentences(keys)}
        events = [ev for ev in events if entity_id in ev.participants
                  or entity_id in ev.parties
                  or (ev.citation.doc_id, ev.citation.start) in where]
    sectors = event_sectors(events, store.document_sectors(
        sorted({ev.citation.doc_id for ev in events})))
    if sector is not None:
        events = [ev for ev in events if sector in sectors[ev.id]]
    return events, sectors, entity_id


def build_timeline(
    store: TimelineStore, *, entity: str | None = None, sector: str | None = None,
    event_type: str | None = None, since: str | None = None, until: str | None = None,
    by: str = "type",
) -> Timeline:
    if by not in ("type", "sector"):
        raise ConfigError("by must be 'type' or 'sector'")
    events, sectors, _ = timeline_events(store, entity=entity, sector=sector,
                                         event_type=event_type, since=since, until=until)
    return aggregate(events, sectors, by, {"entity": entity, "sector": sector,
                                           "event_type": event_type, "since": since,
                                           "until": until})


def aggregate(events: list[EventRecord], sectors: dict[int, list[str]], by: str,
              filters: dict[str, str | None]) -> Timeline:
    counts: dict[str, Counter[str]] = {}
    undated = 0
    for ev in events:
        day = ev.date or ev.date_inferred or ev.citation.published
        if not day or len(day) < 7:
            undated += 1
            continue
        own = sectors.get(ev.id)
        name = ev.type if by == "type" else (own[0] if own else UNSPECIFIED)
        counts.setdefault(name, Counter())[day[:7]] += 1
    tl = Timeline(by=by, undated=undated, filters=filters)
    if not counts:
        return tl
    months = sorted({m for c in counts.values() for m in c})
    tl.months = month_range(months[0], months[-1])
    names = sorted(counts, key=lambda n: (-sum(counts[n].values()), n))
    tl.series = {n: [counts[n].get(m, 0) for m in tl.months] for n in names}
    return tl
