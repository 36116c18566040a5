"""Pledges from the stored commitments, computed on demand (deterministic).

``PledgeTracker(store).all()`` reads every commitment, clusters them
(:mod:`.cluster`), and attaches to each pledge its mentions (oldest first),
``reiterated`` signals (each later document that states it again) and the
progress / done / contradicted signals found in sentences that name its
project or body (:mod:`.status`). The result is memoised per tracker until
the pool changes (number of documents, or the commitments themselves).
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

import numpy as np
import numpy.typing as npt

from ..domain import load_pack
from ..store.base import (
    Citation,
    CommitmentFilters,
    CommitmentRecord,
    DocumentStore,
    FactStore,
    SearchFilters,
    SentenceHit,
    SentenceRecord,
    SentenceStore,
)
from .cluster import ClusterParams, Item, Link, cluster_links
from .model import Pledge, PledgeLink, PledgeMention, PledgeSignal, link_for
from .status import classify, load_spec
from .text import (
    clean_action,
    content_words,
    core_action,
    display_action,
    key_entities_in,
    ordinals,
)
from .vectors import action_vectors


class PledgeStore(DocumentStore, FactStore, SentenceStore, Protocol):
    """What building pledges reads: commitments, their sentences and vectors, documents."""

__all__ = ["PledgeTracker", "build_pledges", "pledge_id"]

#: sentences read per key entity when looking for status signals
SIGNAL_SENTENCES_PER_ENTITY = 5000
#: pledges without a project or body: how many get a semantic search, how many
#: sentences it returns, and the least cosine a sentence needs
SEMANTIC_PLEDGES = 300
SEMANTIC_HITS = 12
SEMANTIC_MIN = 0.5
_WORDS = re.compile(r"[\w\-]+")


def pledge_id(record: CommitmentRecord) -> str:
    """Stable id of a pledge: from its first mention's document, offset and action."""
    c = record.citation
    digest = hashlib.sha256(f"{c.doc_id}:{c.start}:{record.action}".encode()).hexdigest()
    return "p" + digest[:10]


def _order_key(r: CommitmentRecord) -> tuple[int, str, str, int, str]:
    d = r.citation.published
    return (0 if d else 1, d or "", r.citation.doc_id, r.citation.start, r.action)


@dataclass
class _Draft:
    records: list[CommitmentRecord]
    vectors: npt.NDArray[np.float32] | None
    bodies: list[str]
    links: list[PledgeLink]


def build_pledges(store: PledgeStore, params: ClusterParams | None = None) -> list[Pledge]:
    """Every pledge in the pool, most stated first."""
    records = sorted(store.list_commitments(CommitmentFilters(), limit=10**9), key=_order_key)
    return _build(store, records, params)


def _build(store: PledgeStore, records: list[CommitmentRecord],
           params: ClusterParams | None) -> list[Pledge]:
    if not records:
        return []
    vectors = action_vectors(store, records)
    umbrella = _umbrella()
    bodies = [key_entities_in(r.citation.sentence, r.action, set(r.parties)) for r in records]
    items = []
    for r, bs in zip(records, bodies, strict=True):
        concrete = frozenset(x for x in r.projects if x not in umbrella)
        items.append(Item(parties=frozenset(r.parties), projects=concrete,
                          words=content_words(core_action(r.action)),
                          ordinals=ordinals(r.action), sectors=frozenset(r.sectors),
                          doc=r.citation.doc_id,
                          bodies=frozenset([*bs, *r.projects]) - concrete))
    groups, links = cluster_links(items, vectors, params)
    owner = {i: n for n, g in enumerate(groups) for i in g}
    by_group: dict[int, list[Link]] = {}
    for k in links:
        by_group.setdefault(owner[k.a], []).append(k)
    drafts = []
    for n, g in enumerate(groups):
        recs = [records[i] for i in g]
        named = Counter(b for i in g for b in dict.fromkeys(bodies[i]))
        keys = list(dict.fromkeys([*(x for r in recs for x in r.projects),
                                   *(b for b, n in named.items() if 2 * n >= len(g)),
                                   *(x for r in recs for x in r.parties if _is_body(x))]))
        # items follow the records' order (oldest first), so k.a is the earlier
        cited = [_link(records[k.a], records[k.b], k)
                 for k in sorted(by_group.get(n, []), key=lambda k: (k.b, k.a))]
        drafts.append(_Draft(recs, None if vectors is None else vectors[g], keys, cited))
    pledges = [_pledge(d) for d in drafts]
    _attach_signals(store, pledges)
    if vectors is not None:
        _attach_semantic_signals(store, pledges, drafts)
    pledges.sort(key=lambda p: (-p.count, -p.documents, _neg_date(p.last_seen), p.id))
    return pledges


def _link(a: CommitmentRecord, b: CommitmentRecord, k: Link) -> PledgeLink:
    shared = sorted(set(a.parties) & set(b.parties)) or sorted({*a.parties, *b.parties})
    return PledgeLink(a=a.id, b=b.id, action_a=a.action, action_b=b.action,
                      parties=shared, score=k.score, cosine=k.cosine, overlap=k.overlap,
                      citation_a=a.citation, citation_b=b.citation)


def _umbrella() -> frozenset[str]:
    """Programmes that group many projects (CPEC): not a project of their own
    for clustering, and weak anchors for status signals."""
    kinds = load_spec().umbrella_kinds
    return frozenset(e.id for e in load_pack().entities.values()
                     if e.type == "PROJECT" and e.kind in kinds)


def _is_body(party: str) -> bool:
    """A party that is a named body (a broadcaster, a bank), not a country or person."""
    entry = load_pack().entities.get(party)
    if entry is None:
        return not party.startswith("person:")
    return entry.type == "ORG" and entry.kind != "government"


def _neg_date(d: str | None) -> tuple[int, str]:
    # newest first, undated last: sort on the complement of each character
    return (1, "") if not d else (0, "".join(chr(0x10FFFF - ord(c)) for c in d))


def _name(entity_id: str) -> str:
    entry = load_pack().entities.get(entity_id)
    return entry.name if entry is not None else entity_id


def _canonical(d: _Draft) -> CommitmentRecord:
    """The most central wording (medoid) among the mentions that name every
    party, earliest on ties; the first mention when there are two or fewer."""
    recs = d.records
    if len(recs) <= 2:
        return recs[0]
    if d.vectors is not None:
        scores = (d.vectors @ d.vectors.sum(axis=0)).tolist()
    else:
        words = [content_words(r.action) for r in recs]
        scores = [sum(len(w & o) / max(len(w | o), 1) for o in words) for w in words]
    everyone = {p for r in recs for p in r.parties}
    pool = [i for i, r in enumerate(recs) if set(r.parties) == everyone] or list(range(len(recs)))
    best = max(pool, key=lambda i: (round(scores[i], 6), -i))
    return recs[best]


def _pledge(d: _Draft) -> Pledge:
    recs = d.records
    first = recs[0]
    canon = _canonical(d)
    wording = display_action(clean_action(canon.action), canon.citation.sentence)
    parties = sorted({p for r in recs for p in r.parties})
    sectors = [s for s, _ in Counter(s for r in recs for s in r.sectors).most_common()]
    dates = [r.citation.published for r in recs if r.citation.published]
    mentions = [PledgeMention(r.id, r.parties, r.modality, r.action, r.sectors, r.projects,
                              r.citation) for r in recs]
    signals = []
    seen_docs = {first.citation.doc_id}
    for r in recs[1:]:
        if r.citation.doc_id in seen_docs:
            continue
        seen_docs.add(r.citation.doc_id)
        link = link_for(d.links, r.id)
        other = None if link is None else (
            (link.action_a, link.citation_a) if link.b == r.id
            else (link.action_b, link.citation_b))
        via = "" if link is None or other is None else (
            f" (linked to '{other[0]}', {other[1].doc_id} "
            f"{other[1].start}-{other[1].end}: {link.basis})")
        signals.append(PledgeSignal("reiterated", r.modality, r.citation,
                                    note=f"{' + '.join(_name(p) for p in r.parties)} "
                                         f"{r.modality}: {r.action}{via}"))
    return Pledge(
        id=pledge_id(first), canonical=wording[:1].upper() + wording[1:],
        parties=parties, party_names=[_name(p) for p in parties],
        projects=list(dict.fromkeys(x for r in recs for x in r.projects)), sectors=sectors,
        first_seen=min(dates) if dates else None, last_seen=max(dates) if dates else None,
        status="pledged", mentions=mentions, signals=signals, key_entities=d.bodies,
        links=d.links)


def _attach_signals(store: PledgeStore, pledges: Sequence[Pledge]) -> None:
    spec = load_spec()
    keys_of: dict[str, list[tuple[str, int]]] = {}
    for p in pledges:
        for e in p.key_entities:
            if e not in keys_of:
                keys_of[e] = store.sentences_mentioning([e], SearchFilters(),
                                                        SIGNAL_SENTENCES_PER_ENTITY)
    every = sorted({k for ks in keys_of.values() for k in ks})
    hits: dict[tuple[str, int], SentenceHit] = {h.key: h for h in store.get_sentences(every)}
    records: dict[tuple[str, int], SentenceRecord] = store.sentence_records(every)
    pack = load_pack()
    weak_all = {e for e in keys_of if (entry := pack.entities.get(e)) is not None
                and entry.type == "PROJECT" and entry.kind in spec.umbrella_kinds}
    for p in pledges:
        umbrella = weak_all | set(p.parties)
        said = {(m.citation.doc_id, m.citation.start) for m in p.mentions}
        cands = sorted({k for e in p.key_entities for k in keys_of.get(e, [])})
        found: list[PledgeSignal] = []
        for key in cands:
            hit, rec = hits.get(key), records.get(key)
            if hit is None or rec is None or (hit.doc_id, hit.start) in said:
                continue
            if p.first_seen and (not hit.published or hit.published < p.first_seen):
                continue
            anchored = [m for m in rec.mentions if m.entity_id in p.key_entities]
            anchors = [(m.start - hit.start, m.end - hit.start) for m in anchored]
            need_overlap = all(m.entity_id in umbrella for m in anchored)
            got = classify(hit.text, anchors, p.canonical, need_overlap=need_overlap)
            if got is None:
                continue
            kind, cue = got
            found.append(PledgeSignal(kind, cue, Citation(
                doc_id=hit.doc_id, start=hit.start, end=hit.end, sentence=hit.text,
                title=hit.title, source=hit.source, published=hit.published, url=hit.url)))
        p.signals = sorted([*p.signals, *found], key=_signal_order)
        p.status = _status(p)


def _attach_semantic_signals(store: PledgeStore, pledges: Sequence[Pledge],
                             drafts: Sequence[_Draft]) -> None:
    """Signals for pledges that name no project or body: the sentences nearest
    to the pledge's wording (cosine >= SEMANTIC_MIN) that share two content words
    with it, the cue next to one of them. Only for pledges stated at least twice
    (at most SEMANTIC_PLEDGES of them, most stated first): one vector search each."""
    from ..embed import MODEL_ID

    todo = sorted((i for i, p in enumerate(pledges) if not p.key_entities and p.count >= 2),
                  key=lambda i: (-pledges[i].count, pledges[i].id))[:SEMANTIC_PLEDGES]
    for i in todo:
        p, vecs = pledges[i], drafts[i].vectors
        if vecs is None:
            continue
        centre = vecs.sum(axis=0)
        norm = float(np.linalg.norm(centre))
        if norm == 0:
            continue
        hits = store.vector_search(MODEL_ID, (centre / norm).astype(np.float32),
                                   SearchFilters(since=p.first_seen), limit=SEMANTIC_HITS)
        said = {(m.citation.doc_id, m.citation.start) for m in p.mentions}
        want = content_words(p.canonical)
        found = []
        for hit in hits:
            if hit.score < SEMANTIC_MIN or (hit.doc_id, hit.start) in said:
                continue
            if p.first_seen and (not hit.published or hit.published < p.first_seen):
                continue
            anchors = [(m.start(), m.end()) for m in _WORDS.finditer(hit.text)
                       if content_words(m.group(0)) & want]
            got = classify(hit.text, anchors, p.canonical, need_overlap=True)
            if got is None:
                continue
            found.append(PledgeSignal(got[0], got[1], Citation(
                doc_id=hit.doc_id, start=hit.start, end=hit.end, sentence=hit.text,
                title=hit.title, source=hit.source, published=hit.published, url=hit.url),
                note=f"similar wording (cosine {hit.score:.2f})"))
        if found:
            p.signals = sorted([*p.signals, *found], key=_signal_order)
            p.status = _status(p)


def _signal_order(s: PledgeSignal) -> tuple[int, str, str, int]:
    return (0 if s.date else 1, s.date or "", s.citation.doc_id, s.citation.start)


def _status(p: Pledge) -> str:
    told = [s for s in p.signals if s.kind != "reiterated"]
    dated = [s for s in told if s.date] or told  # undated evidence only when nothing else
    if dated:
        return dated[-1].kind
    return "reiterated" if p.documents >= 2 else "pledged"


class PledgeTracker:
    """Pledges of one store, memoised until the pool changes."""

    def __init__(self, store: PledgeStore, params: ClusterParams | None = None) -> None:
        self.store = store
        self.params = params
        self._stamp: tuple[str, int] | None = None
        self._pledges: list[Pledge] = []

    def all(self) -> list[Pledge]:
        records = sorted(self.store.list_commitments(CommitmentFilters(), limit=10**9),
                         key=_order_key)
        h = hashlib.sha256()
        for r in records:
            h.update(f"{r.id}\x1f{r.citation.doc_id}\x1f{r.action}\x1e".encode())
        stamp = (h.hexdigest(), self.store.document_count())
        if stamp != self._stamp:
            self._pledges = _build(self.store, records, self.params)
            self._stamp = stamp
        return self._pledges
