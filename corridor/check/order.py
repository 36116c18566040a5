"""Claims that one reported event came before or after another.

"The envoy's call on the minister took place before the fourth meeting of the
working group" is settled by neither event's sentence alone: each event is
found on its own (its participants, its kind, its ordinal), dated by the record,
and the two dates compared. An event's date is the one the record gives it
(stated, or resolved from its own phrase: "today", "on Monday"); an event an
article reports as done or under way, with no date of its own, happened no later
than a week after the day the article was published (a bound, never taken as the
event's day). When the dates settle the order the verdict cites both sentences; when
they do not (a date missing, the same day, an event not found), the claim is
checked as any other.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np
import numpy.typing as npt

from ..store.base import SearchFilters, SentenceEvent, SentenceHit, SentenceRecord
from .evidence import EvidenceStore, retrieve
from .facts import Facts, claim_facts, id_names
from .text import analyse_text
from .verdict import Verdict, attribution, cite

__all__ = ["Ordering", "check_order", "ordering"]

_SIDE_VERB = r"(?:took place|was held|were held|happened|occurred|came|was paid|was made)"
_ORDER = re.compile(
    rf"^(?P<a>.+?)\s+{_SIDE_VERB}\s+(?P<rel>before|after|earlier than|later than|prior to)"
    r"\s+(?P<b>.+?)[.!?]?$", re.IGNORECASE)
#: what kind of event a side's noun names
_KINDS = (("CALL", re.compile(r"\bcall(?:ed)?\b", re.I)),
          ("VISIT", re.compile(r"\b(?:visit|trip|tour)\b", re.I)),
          ("MEET", re.compile(r"\b(?:meeting|talks|session|round|summit|dialogue)\b", re.I)))
#: how many candidate sentences are looked at for each event
_CANDIDATES = 8
#: a verdict from two dated records: as sure as the record's dates
ORDER_CONFIDENCE = 0.9
#: an event reported as done or under way, with no date of its own, happened no later
#: than this many days after the report ("during his ongoing five-day state visit")
REPORT_SLACK_DAYS = 7


@dataclass
class Ordering:
    """A claim that event ``a`` came ``relation`` ("before" / "after") event ``b``."""

    a: str
    relation: str
    b: str


@dataclass
class _Dated:
    """An event found for one side: its sentence, and the days it may have happened on
    (``lo`` is None when only an upper bound is known)."""

    hit: SentenceHit
    lo: date | None
    hi: date
    how: str


def ordering(claim: str) -> Ordering | None:
    """The two events and their order, when the claim is that one came before or after
    the other ("X took place before Y")."""
    m = _ORDER.match(claim.strip())
    if m is None or len(m["a"].split()) < 2 or len(m["b"].split()) < 2:
        return None
    rel = m["rel"].lower()
    return Ordering(m["a"], "before" if rel in ("before", "earlier than", "prior to")
                    else "after", m["b"])


def check_order(store: EvidenceStore, claim: str, order: Ordering,
                embed: Callable[[list[str]], npt.NDArray[np.float32]], model_id: str | None,
                filters: SearchFilters, judge: str) -> Verdict | None:
    """The verdict when both events are found and dated far enough apart to tell their
    order; ``None`` otherwise (the claim is then checked as any other). ``embed`` is the
    checker's embedder."""
    found = []
    for side in (order.a, order.b):
        dated = _dated(store, side, embed, model_id, filters)
        if dated is None:
            return None
        found.append(dated)
    a, b = found
    if b.lo is not None and a.hi < b.lo:
        actual = "before"
    elif a.lo is not None and b.hi < a.lo:
        actual = "after"
    else:
        return None  # the same day, or bounds that overlap: the order is not settled
    holds = actual == order.relation
    stance = "supports" if holds else "refutes"
    reason = (f"{_said(order.a, a)}; {_said(order.b, b)}: the first came {actual} the "
              f"second{'' if holds else ', not ' + order.relation + ' it'}.")
    return Verdict(claim, "SUPPORTED" if holds else "REFUTED", ORDER_CONFIDENCE,
                   reason[:1].upper() + reason[1:],
                   [cite(a.hit, stance, ORDER_CONFIDENCE), cite(b.hit, stance, ORDER_CONFIDENCE)],
                   [{"kind": "date", "status": "match" if holds else "mismatch",
                     "claim": order.relation, "evidence": actual}], judge)


def _said(side: str, d: _Dated) -> str:
    return f"{side.strip()} is {d.how} ({attribution(d.hit)})"


def _dated(store: EvidenceStore, side: str,
           embed: Callable[[list[str]], npt.NDArray[np.float32]], model_id: str | None,
           filters: SearchFilters) -> _Dated | None:
    facts = claim_facts(side)
    if not facts.entities:
        return None
    kind = next((k for k, pat in _KINDS if pat.search(side)), None)
    ordinal = next((o.value for o in facts.text.ordinals), None)
    vector = embed([side])[0]
    hits = retrieve(store, side, vector, model_id, facts, filters, limit=_CANDIDATES)
    records = store.sentence_records([h.key for h in hits])
    for h in hits[:_CANDIDATES]:
        record = records.get(h.key)
        event = _event_of(record, facts, kind, ordinal)
        if event is None:
            continue
        return _days(h, event)
    return None


def _event_of(record: SentenceRecord | None, facts: Facts, kind: str | None,
              ordinal: int | None) -> SentenceEvent | None:
    """The sentence's event that is the side's: of its kind, with its ordinal, and with
    every person and body the side names among its participants."""
    if record is None:
        return None
    for e in record.events:
        if kind is not None and e.type != kind:
            continue
        if ordinal is not None and _ordinal_value(e.ordinal) != ordinal:
            continue
        if all(_takes_part(ref.id or "", ref.name, e.participants) for ref in facts.entities
               if (ref.id or "").startswith("person:") or ref.label == "ORG"):
            return e
    return None


def _takes_part(entity_id: str, name: str, participants: Sequence[str]) -> bool:
    return entity_id in participants or any(id_names(name, p) for p in participants)


def _ordinal_value(text: str | None) -> int | None:
    if not text:
        return None
    found = analyse_text(f"the {text} meeting").ordinals
    return found[0].value if found else None


def _days(hit: SentenceHit, event: SentenceEvent) -> _Dated | None:
    if event.date and len(event.date) >= 10:
        try:
            day = date.fromisoformat(event.date[:10])
        except ValueError:
            return None
        return _Dated(hit, day, day, f"dated {day.day} {day:%B} {day.year}")
    if hit.published and not analyse_text(hit.text).future:
        try:
            day = date.fromisoformat(hit.published[:10])
        except ValueError:
            return None
        # an event under way when reported may go on a few days past the report
        return _Dated(hit, None, day + timedelta(days=REPORT_SLACK_DAYS),
                      f"reported by {day.day} {day:%B} {day.year}")
    return None
