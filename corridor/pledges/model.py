"""Pledges: commitments that recur across articles, with their cited history."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from ..store.base import Citation

__all__ = ["SIGNAL_KINDS", "STATUSES", "Pledge", "PledgeMention", "PledgeSignal"]

#: what a later article can report about a pledge (each signal cites its sentence)
SIGNAL_KINDS = ("reiterated", "progress", "done", "contradicted")
#: a pledge's status: its latest progress/done/contradicted signal, else
#: ``reiterated`` (stated in two or more documents) or ``pledged`` (once)
STATUSES = ("pledged", "reiterated", "progress", "done", "contradicted")


@dataclass
class PledgeMention:
    """One statement of the pledge: a stored commitment and its sentence."""

    commitment_id: int
    parties: list[str]
    modality: str
    action: str
    sectors: list[str]
    projects: list[str]
    citation: Citation

    @property
    def date(self) -> str | None:
        return self.citation.published

    def to_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out["date"] = self.date
        return out


@dataclass
class PledgeSignal:
    """Evidence about a pledge's fate in a sentence: ``kind`` (see SIGNAL_KINDS),
    the words that triggered it (``cue``) and the cited sentence."""

    kind: str
    cue: str
    citation: Citation
    note: str = ""

    @property
    def date(self) -> str | None:
        return self.citation.published

    def to_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out["date"] = self.date
        return out


@dataclass
class Pledge:
    """A cluster of commitments: same parties, same action, paraphrased.

    ``id`` is derived from the first mention (document id, sentence offset and
    action), so it is stable as long as that mention stays the first.
    ``mentions`` and ``signals`` are oldest first (undated last).
    """

    id: str
    canonical: str
    parties: list[str]
    party_names: list[str]
    projects: list[str]
    sectors: list[str]
    first_seen: str | None
    last_seen: str | None
    status: str
    mentions: list[PledgeMention] = field(default_factory=list)
    signals: list[PledgeSignal] = field(default_factory=list)
    #: entities (projects, named bodies) that anchor status signals
    key_entities: list[str] = field(default_factory=list)

    @property
    def count(self) -> int:
        """How many times the pledge was stated."""
        return len(self.mentions)

    @property
    def documents(self) -> int:
        return len({m.citation.doc_id for m in self.mentions})

    @property
    def reiterations(self) -> int:
        return sum(1 for s in self.signals if s.kind == "reiterated")

    def history(self) -> list[dict[str, Any]]:
        """Mentions and signals merged, oldest first: ``first``, ``reiterated``,
        ``mentioned`` (again in the same document), ``progress``, ``done``, ``contradicted``."""
        rows: list[tuple[tuple[int, str, str, int, int], dict[str, Any]]] = []
        reiterated = {(s.citation.doc_id, s.citation.start) for s in self.signals
                      if s.kind == "reiterated"}
        for i, m in enumerate(self.mentions):
            kind = "first" if i == 0 else (
                "reiterated" if (m.citation.doc_id, m.citation.start) in reiterated
                else "mentioned")
            rows.append((_order(m.date, m.citation, 0),
                         {"kind": kind, "modality": m.modality, "action": m.action,
                          "parties": m.parties, "date": m.date, "cue": m.modality,
                          "citation": asdict(m.citation)}))
        for s in self.signals:
            if s.kind == "reiterated":
                continue
            rows.append((_order(s.date, s.citation, 1),
                         {"kind": s.kind, "cue": s.cue, "note": s.note, "date": s.date,
                          "citation": asdict(s.citation)}))
        rows.sort(key=lambda r: r[0])
        return [r[1] for r in rows]

    def to_dict(self, *, full: bool = True) -> dict[str, Any]:
        out: dict[str, Any] = {
            "id": self.id,
            "canonical": self.canonical,
            "parties": self.parties,
            "party_names": self.party_names,
            "projects": self.projects,
            "sectors": self.sectors,
            "first_seen": self.first_seen,
            "last_seen": self.last_seen,
            "count": self.count,
            "documents": self.documents,
            "reiterations": self.reiterations,
            "status": self.status,
            "key_entities": self.key_entities,
        }
        if full:
            out["mentions"] = [m.to_dict() for m in self.mentions]
            out["signals"] = [s.to_dict() for s in self.signals]
            out["history"] = self.history()
        return out


def _order(date: str | None, cite: Citation, rank: int) -> tuple[int, str, str, int, int]:
    return (0 if date else 1, date or "", cite.doc_id, cite.start, rank)
