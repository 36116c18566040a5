"""Who does what: actor spans and the subject/object chains around a word (internal).

An *actor span* is a stretch of text that names who acts: an entity mention
with the title stated around it ("Foreign Secretary Muhammad Syrus Sajjad
Qazi", "Cao Shumin, Deputy Head of ..."), a collective ("both sides", "the two
countries", "the Chinese side") or a pronoun ("He", "They"). The chains are the
actors joined by "and" / "," right before a verb (its subject) or right after
it (its object), skipping adverbs, auxiliaries, dates and parenthetical
clauses.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..document import Mention
from ..domain import load_pack, words
from ._types import Analysis, Cand

__all__ = ["ActorSpan", "Actors"]

_COLLECTIVE = re.compile(
    r"\b(?:both|the two) (?:sides|countries|nations|neighbours|neighbors|governments|states|"
    r"parties|leaders|delegations|ministers|foreign ministers|sides'|institutions|organisations|"
    r"organizations|broadcasters|agencies|news agencies|companies|universities|academies|bodies|"
    r"firms|ministries|militaries|armies|armed forces|navies|air forces)\b"
    r"|\bthe (?:participants|co-chairs|nations|countries)\b",
    re.I,
)
_SIDE = re.compile(r"\b(?:the )?([A-Z][a-z]+) side\b")
_CAPITAL_OF = re.compile(r"\bthe ([A-Z][a-z]+) capital\b")
_PRONOUN = re.compile(r"\b(?:He|She|he|she|They|they|His|Her|his|her|Their|their|him)\b")

_BACK_GLUE = words.word_set("actors", "back_glue")
_PAREN_OPENERS = words.word_set("actors", "parenthesis_openers")
_FWD_GLUE = words.word_set("actors", "forward_glue")
_ACTOR_LABELS = frozenset({"PERSON", "ORG"})
_BODIES = re.compile(
    r"\b(?:broadcasters|agencies|news agencies|companies|institutions|organisations|"
    r"organizations|universities|academies|bodies|firms|ministries)\b"
)
_VERBISH = words.word_set("actors", "verbish")
_LEFT_WORD = re.compile(r"(?:^|(?<=\s))((?:H\.\s?E\.|[A-Za-z]+\.?)(?:'s|’s)?)\s+$")


@dataclass
class ActorSpan:
    start: int
    end: int
    ids: tuple[str, ...]
    kind: str  # entity, collective, pronoun
    label: str = ""
    mention: Mention | None = None


def _is_place(entry: object) -> bool:
    return entry is not None and getattr(entry, "type", "") == "PLACE"


_PAREN_ACRO = re.compile(r"\(\s*[A-Z][A-Za-z\-&]{1,11}\s*\)$")
_OF_BEFORE = re.compile(r"\s+(?:of|at|from)\s+(?:the\s+)?$")


class Actors:
    """Actor spans of one analysed document and chain walking over them."""

    def __init__(self, an: Analysis, mentions: list[Mention]) -> None:
        self.an = an
        self.text = an.text
        self.pack = load_pack()
        self.mentions = mentions
        self.role_spans: list[tuple[int, int]] = []
        cand_by_span: dict[tuple[int, int], Cand] = {(c.start, c.end): c for c in an.cands}
        for c in an.cands:
            if c.role_start is not None and c.role_end is not None and not c.is_ref:
                self.role_spans.append((c.role_start, c.role_end))
        self.spans: list[ActorSpan] = []
        self._gpe = {(c.start, c.end) for c in an.cands if c.ner_label == "GPE"}
        for m in mentions:
            if m.start < an.dateline_end or not m.entity_id:
                continue
            if not self._is_actor(m):
                continue
            if any(a <= m.start and m.end <= b for a, b in self.role_spans) and m.label != "PERSON":
                continue
            s, e = m.start, m.end
            cand = cand_by_span.get((m.start, m.end))
            if cand is not None and cand.role_start is not None and cand.role_end is not None:
                s, e = min(s, cand.role_start), max(e, cand.role_end)
            if cand is not None and cand.post_end is not None:
                e = max(e, cand.post_end)
            s = self._extend_left(
                s, person=m.label == "PERSON" and cand is not None and bool(cand.role)
            )
            self.spans.append(ActorSpan(s, e, (m.entity_id,), "entity", m.label, m))
        for rx in (_COLLECTIVE,):
            for mt in rx.finditer(self.text):
                self.spans.append(ActorSpan(mt.start(), mt.end(), (), "collective"))
        for mt in _SIDE.finditer(self.text):
            country = self.pack.country_of_demonym(mt.group(1))
            if country:
                self.spans.append(ActorSpan(mt.start(), mt.end(), (country,), "entity", "PLACE"))
        for mt in _PRONOUN.finditer(self.text):
            self.spans.append(ActorSpan(mt.start(), mt.end(), (), "pronoun"))
        # drop spans nested in a larger one
        self.spans.sort(key=lambda a: (a.start, -(a.end - a.start)))
        kept: list[ActorSpan] = []
        for a in self.spans:
            if kept and a.start < kept[-1].end:
                continue
            kept.append(a)
        self.spans = kept
        self.by_end = {a.end: a for a in self.spans}
        self.by_start = {a.start: a for a in self.spans}
        self.persons = sorted(
            (m for m in mentions if m.label == "PERSON" and m.entity_id), key=lambda m: m.start
        )
        self.last_group: tuple[str, ...] = ()
        #: (offset, the two people) of each meeting or call between two named people,
        #: in text order: "both sides" / "they" after it are those two (set by events)
        self.pairs: list[tuple[int, tuple[str, ...]]] = []
        self._topics: dict[int, str | None] = {}

    def _is_actor(self, m: Mention) -> bool:
        if m.label in _ACTOR_LABELS:
            return True
        if m.label == "PLACE" and m.entity_id:
            entry = self.pack.entities.get(m.entity_id)
            if entry is None:
                return (m.start, m.end) in self._gpe  # a country the lexicon lacks
            return entry.kind == "country"
        return False

    def _extend_left(self, s: int, person: bool = False) -> int:
        """Include honorifics, 'the', a demonym or a possessive country just before an actor.

        Before a titled person, a place name too ("Punjab Chief Minister ...").
        """
        while True:
            before = self.text[max(0, s - 40) : s]
            m = _LEFT_WORD.search(before)
            if not m:
                return s
            word = m.group(1)
            bare = re.sub(r"(?:'s|’s)$", "", word)
            ok = (
                word.lower() == "the"
                or word in self.pack.titles.honorifics
                or (word.rstrip(".") + ".") in self.pack.titles.honorifics
                or self.pack.country_of_demonym(bare) is not None
                or (bare != word and self.pack.lookup(bare) is not None)
                or (person and _is_place(self.pack.lookup(word)))
            )
            if not ok:
                return s
            s -= len(m.group(0))

    # -- resolution of collectives and pronouns -------------------------
    def ids_of(self, a: ActorSpan) -> tuple[str, ...]:
        if a.kind == "entity":
            return a.ids
        if a.kind == "collective":
            low = self.text[a.start : a.end].lower()
            people = self._pair_before(a.start)
            if "leaders" in low or "ministers" in low or "co-chairs" in low:
                return people[1] if people else (self.last_group or self.an.pair)
            if "two sides" in low or _BODIES.search(low):
                pos, group = self._last_pair_of_bodies(a.start)
                if group and (not people or pos > people[0]):
                    return group
            if "institutions" in low or "organisations" in low or "organizations" in low:
                return self.last_group or self.an.pair
            if people and re.search(r"\b(?:sides|delegations|parties)\b", low):
                return people[1]  # "both sides" after "X met Y": X and Y
            return self.an.pair
        word = self.text[a.start : a.end].lower()
        if word == "him":
            eid = self._pronoun_object(a.start)
            return (eid,) if eid else ()
        if word in ("they", "their"):
            people = self._pair_before(a.start)
            return people[1] if people else self.an.pair
        eid = self._pronoun_person(a.start)
        return (eid,) if eid else ()

    def _pair_before(self, pos: int) -> tuple[int, tuple[str, ...]] | None:
        """The latest meeting or call between two named people before ``pos``."""
        found = [p for p in self.pairs if p[0] < pos]
        return found[-1] if found else None

    def _last_pair_of_bodies(self, pos: int) -> tuple[int, tuple[str, ...]]:
        """The last two named bodies (not states) that acted together before ``pos``,
        with where they were named (``(0, ())`` when there are none)."""
        spans = [a for a in self.spans if a.end <= pos and a.kind == "entity"]
        for k in range(len(spans) - 1, 0, -1):
            a, b = spans[k - 1], spans[k]
            between = self.text[a.end : b.start]
            between = re.sub(r"\s*\(\s*[A-Z][A-Za-z\-&]{1,11}\s*\)", "", between)
            between = re.sub(r"^\s*\)", "", between)  # after an acronym span "(CMG"
            if not re.fullmatch(r"\s*(?:and|&)\s*", between):
                continue
            if (
                a.label == "ORG"
                and b.label == "ORG"
                and not any(self._is_state(i) for i in a.ids + b.ids)
            ):
                if pos - b.end > 600:
                    return 0, ()
                return b.end, tuple(dict.fromkeys(a.ids + b.ids))
        return 0, ()

    def _is_state(self, ent_id: str) -> bool:
        entry = self.pack.entities.get(ent_id)
        return entry is not None and entry.kind in ("country", "government")

    def _sentence_of(self, pos: int) -> int:
        for s in self.an.sents:
            if s.start <= pos < s.end:
                return s.index
        return -1

    def _topic(self, sent: int) -> str | None:
        """The person a sentence is about: its first actor, when that is a person."""
        if sent in self._topics:
            return self._topics[sent]
        self._topics[sent] = None  # guard against cycles
        info = self.an.sents[sent]
        topic: str | None = None
        spans = [a for a in self.spans if info.start <= a.start < info.end]
        for k, a in enumerate(spans):
            nxt = spans[k + 1] if k + 1 < len(spans) else None
            if (
                a.kind == "entity"
                and a.label in ("ORG", "PLACE")
                and nxt is not None
                and nxt.label == "PERSON"
                and nxt.start - a.end <= 30
                and not re.search(r"\b[a-z]", self.text[a.end : nxt.start])
            ):
                continue  # "Foreign Office Spokesperson X said": X's title names the office
            if a.kind == "pronoun":
                w = self.text[a.start : a.end].lower()
                if w in ("he", "she"):
                    topic = self._prev_topic(sent)
                break
            if a.kind == "entity" and a.label == "PERSON":
                topic = a.ids[0] if a.ids else None
            break
        self._topics[sent] = topic
        return topic

    def _prev_topic(self, sent: int) -> str | None:
        for k in range(sent - 1, -1, -1):
            t = self._topic(k)
            if t:
                return t
        return None

    def _pronoun_object(self, pos: int) -> str | None:
        """ "him": a person named earlier in the sentence other than the nearest one (the
        subject of the verb before "him"), else the previous sentence's person."""
        sent = self._sentence_of(pos)
        if sent < 0:
            return None
        info = self.an.sents[sent]
        before = [
            a.ids[0]
            for a in self.spans
            if info.start <= a.start < pos and a.kind == "entity" and a.label == "PERSON" and a.ids
        ]
        others = [i for i in before if i != (before[-1] if before else None)]
        if others:
            return others[0]
        topic = self._prev_topic(sent)
        return topic if topic not in before else None

    def _pronoun_person(self, pos: int) -> str | None:
        """The person 'he' / 'she' / 'his' at ``pos`` most likely stands for."""
        sent = self._sentence_of(pos)
        if sent >= 0:
            info = self.an.sents[sent]
            first = next(
                (
                    a
                    for a in self.spans
                    if info.start <= a.start < pos and a.kind == "entity" and a.label == "PERSON"
                ),
                None,
            )
            if first is not None and first.ids:
                return first.ids[0]
            topic = self._prev_topic(sent)
            if topic:
                return topic
        prev = [m for m in self.persons if m.end <= pos]
        return prev[-1].entity_id if prev else None

    # -- chains -----------------------------------------------------------
    def _skip_back(self, pos: int, floor: int) -> int:
        """Move ``pos`` left over glue words, dates and parentheticals."""
        while pos > floor:
            seg = self.text[floor:pos]
            stripped = seg.rstrip()
            if not stripped:
                return floor
            pos = floor + len(stripped)
            mp = _PAREN_ACRO.search(stripped)
            if mp:
                pos = floor + mp.start()
                continue
            m = re.search(r"([A-Za-z'’\-]+)$", stripped)
            if m and m.group(1).lower() in _BACK_GLUE:
                pos = floor + m.start(1)
                continue
            m = re.search(
                r"\b(?:on |this |last |early |late )?(?:Monday|Tuesday|Wednesday|Thursday|Friday|"
                r"Saturday|Sunday)(?: morning| afternoon| evening)?$",
                stripped,
            )
            if m:
                pos = floor + m.start()
                continue
            if stripped.endswith(","):
                before_comma = floor + len(stripped[:-1].rstrip())
                # a parenthetical ", during his visit to China," or ", underscoring ...,"
                inner_end = len(stripped) - 1
                k = stripped.rfind(",", 0, inner_end)
                inner = stripped[k + 1 : inner_end].strip() if k >= 0 else ""
                first = inner.split(" ", 1)[0].lower() if inner else ""
                if k >= 0 and first in _PAREN_OPENERS:
                    pos = floor + k  # ", who is visiting China," ends in an actor too
                    continue
                if before_comma in self.by_end and self.by_end[before_comma].kind != "pronoun":
                    return before_comma  # "The Ambassador ..., H.E. Khalil Hashmi, paid"
                if k >= 0:
                    before_k = floor + len(stripped[:k].rstrip())
                    if first in _PAREN_OPENERS or (
                        before_k in self.by_end
                        and self.by_end[before_k].kind != "pronoun"
                        and first[:1].islower()
                    ):
                        pos = floor + k
                        continue
            return pos
        return pos

    def subject(self, pos: int, floor: int) -> list[ActorSpan]:
        """Actors joined by and/',' ending just before ``pos`` (not before ``floor``)."""
        out: list[ActorSpan] = []
        p = self._skip_back(pos, floor)
        mw = re.search(
            r",\s*who\s+(?:(?:is|was|are|were|has been|had been|will be)\s+)?$|,\s*who\s*$",
            self.text[floor:p],
        )
        if mw:
            p = floor + mw.start()  # "X, who visited ...": X
        while p > floor:
            a = self._span_ending(p)
            if a is None:
                mp = _PAREN_ACRO.search(self.text[floor:p].rstrip())
                if mp and out:
                    p = floor + len(self.text[floor : floor + mp.start()].rstrip())
                    continue
                break
            if a.label in ("ORG", "PLACE") and not out:
                mo = _OF_BEFORE.search(self.text[floor : a.start])
                if mo:
                    owner = self._span_ending(floor + mo.start())
                    if owner is not None and owner.label == "PERSON":
                        a = owner  # "Prof. Zhang Li of Sichuan University said"
            out.append(a)
            q = a.start
            seg = self.text[floor:q].rstrip()
            mp = _PAREN_ACRO.search(seg)
            if mp:
                seg = seg[: mp.start()].rstrip()
            m = re.search(r"(?:,\s*and|,|\band|&)$", seg)
            if not m:
                break
            if len(out) == 1 and m.group(0) == ",":
                break  # "Welcoming X, the President said": not a list
            p = floor + m.start()
            p = floor + len(self.text[floor:p].rstrip())
        out.reverse()
        return out

    def _span_ending(self, p: int) -> ActorSpan | None:
        a = self.by_end.get(p)
        if a is not None:
            return a
        # allow a trailing possessive: "Pakistan's" -> not a subject
        return None

    def object(self, pos: int, ceil: int, extra_glue: tuple[str, ...] = ()) -> list[ActorSpan]:
        """Actors joined by and/',' starting right after ``pos`` (not past ``ceil``)."""
        out: list[ActorSpan] = []
        p = pos
        glue = _FWD_GLUE | frozenset(extra_glue)
        while p < ceil:
            m = re.match(r"\s*([A-Za-z\.]+)", self.text[p:ceil])
            if (
                m
                and m.group(1).lower() in glue
                and p + m.end() <= ceil
                and self.by_start.get(p + m.start(1)) is None
            ):
                p += m.end()
                continue
            break
        while p < ceil:
            m = re.match(
                r"\s*(?:(?:H\.\s?E\.|Mr\.?|Ms\.?|Dr\.?|Mrs\.?|Madam)\s+)*", self.text[p:ceil]
            )
            q = p + (m.end() if m else 0)
            a = self.by_start.get(q) or self.by_start.get(
                p + len(self.text[p:ceil]) - len(self.text[p:ceil].lstrip())
            )
            if (
                a is None
                or a.kind == "pronoun"
                and self.text[a.start : a.end].lower() in ("his", "her", "their")
            ):
                break
            if re.match(r"(?:'s|’s)\b", self.text[a.end : a.end + 3]):
                break  # a possessive modifies what follows: not the object
            out.append(a)
            p = a.end
            mp2 = re.match(r"\s*\(\s*[A-Z][A-Za-z\-&]{1,11}\s*\)", self.text[p:ceil])
            if mp2:
                p += mp2.end()
            m2 = re.match(r"\s*(?:,\s*and\b|,|and\b|&)\s*", self.text[p:ceil])
            if not m2:
                break
            p += m2.end()
            m3 = re.match(r"(?:H\.\s?E\.|Mr\.?|Ms\.?|Dr\.?|Mrs\.?)\s+", self.text[p:ceil])
            if m3:
                p += m3.end()
            while self.by_start.get(p) is None:  # "X and the visiting minister Y"
                m4 = re.match(r"(?:the|visiting)\s+", self.text[p:ceil], re.I)
                if m4 is None:
                    break
                p += m4.end()
        return out

    def clause_subject(self, pos: int, floor: int) -> list[ActorSpan]:
        """The nearest actor chain before ``pos`` that is followed by a verb.

        For a coordinated verb ("the CPC attached ... and would invite ..."):
        the subject of the verb it is coordinated with.
        """
        for a in sorted(
            (x for x in self.spans if floor <= x.start and x.end <= pos), key=lambda x: -x.end
        ):
            after = self.text[a.end : pos]
            after = re.sub(r"^\s*\(\s*[A-Z][A-Za-z\-&]{1,11}\s*\)", "", after)
            after = re.sub(
                r"^\s*(?:on|this|last)?\s*(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|"
                r"Sunday|today|yesterday)\b",
                "",
                after,
            )
            mv = re.match(r"\s*(?:also\s+|have\s+|has\s+|had\s+)?([a-z]+)\b", after)
            if mv and (
                mv.group(1) in _VERBISH or (mv.group(1).endswith("ed") and len(mv.group(1)) > 4)
            ):
                return self.subject(a.end, floor)
        return []

    def actors_in(self, start: int, end: int) -> list[ActorSpan]:
        return [a for a in self.spans if start <= a.start and a.end <= end]
