"""Pledges: commitments that recur across articles, with their cited history."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from ..store.base import Citation

__all__ = ["SIGNAL_KINDS", "STATUSES", "Pledge", "PledgeLink", "PledgeMention", "PledgeSignal"]

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
class PledgeLink:
    """Why two statements are one pledge: the pair that joined them, each cited
    (document, offsets, sentence), with the parties they share and the
    similarity of their core wording (``cosine``: embeddings of the actions,
    None without the model; ``overlap``: share of content words; ``score``:
    what the clustering compared with its threshold)."""

    a: int  # commitment id of the earlier statement
    b: int  # commitment id of the later one
    action_a: str
    action_b: str
    parties: list[str]
    score: float
    cosine: float | None
    overlap: float
    citation_a: Citation
    citation_b: Citation

    @property
    def basis(self) -> str:
        """The link in words, for a reader: what matched and how closely."""
        how = (f"wording cosine {self.cosine:.2f}, " if self.cosine is not None else "")
        return (f"same party ({', '.join(self.parties)}), same action and object: "
                f"{how}shared words {self.overlap:.2f}")

    def to_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out["basis"] = self.basis
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
    #: the pairs of statements that joined the mentions into one pledge (one
    #: fewer than the mentions), each citing both sentences
    links: list[PledgeLink] = field(default_factory=list)

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
        ``mentioned`` (again in the same document), ``progress``, ``done``, ``contradicted``.
        A statement after the first carries ``link``: the earlier statement it
        was joined to (its citation and the link's basis)."""
        rows: list[tuple[tuple[int, str, str, int, int], dict[str, Any]]] = []
        reiterated = {(s.citation.doc_id, s.citation.start) for s in self.signals
                      if s.kind == "reiterated"}
        for i, m in enumerate(self.mentions):
            kind = "first" if i == 0 else (
                "reiterated" if (m.citation.doc_id, m.citation.start) in reiterated
                else "mentioned")
            row: dict[str, Any] = {"kind": kind, "modality": m.modality, "action": m.action,
                                   "parties": m.parties, "date": m.date, "cue": m.modality,
                                   "citation": asdict(m.citation)}
            link = self.link_of(m.commitment_id) if i else None
            if link is not None:
                other = link.citation_a if link.b == m.commitment_id else link.citation_b
                row["link"] = {"citation": asdict(other), "basis": link.basis,
                               "score": link.score}
            rows.append((_order(m.date, m.citation, 0), row))
        for s in self.signals:
            if s.kind == "reiterated":
                continue
            rows.append((_order(s.date, s.citation, 1),
                         {"kind": s.kind, "cue": s.cue, "note": s.note, "date": s.date,
                          "citation": asdict(s.citation)}))
        rows.sort(key=lambda r: r[0])
        return [r[1] for r in rows]

    def link_of(self, commitment_id: int) -> PledgeLink | None:
        """The link that joins this mention to an earlier one (else any link
        that names it): the evidence to cite for it."""
        return link_for(self.links, commitment_id)

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
            out["links"] = [k.to_dict() for k in self.links]
        return out


def link_for(links: list[PledgeLink], commitment_id: int) -> PledgeLink | None:
    """Of ``links``, the one joining ``commitment_id`` to an earlier statement,
    else the first that names it."""
    named = [k for k in links if commitment_id in (k.a, k.b)]
    return next((k for k in named if k.b == commitment_id), named[0] if named else None)


def _order(date: str | None, cite: Citation, rank: int) -> tuple[int, str, str, int, int]:
    return (0 if date else 1, date or "", cite.doc_id, cite.start, rank)
