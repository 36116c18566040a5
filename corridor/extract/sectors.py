"""Cooperation sectors (the taxonomy in the domain pack) with their supporting sentence.

A sector is hit by a sentence that contains one of its cues (``sectors.json``):
English cues on word boundaries (case-insensitive, ``*`` for any ending),
acronym cues case-sensitively, Urdu and Chinese cues as substrings. A cue
inside an organisation's name or a person's title ("Minister for Information
and Broadcasting") does not count, nor one inside an excluded phrase ("food
security" is not security). One hit per sector and sentence; its offsets are
the sentence's.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from ..document import SectorHit
from ..domain import load_pack
from ._types import Analysis

__all__ = ["SECTORS", "find_sectors", "sectors_in"]


@dataclass(frozen=True)
class _Compiled:
    sector: str
    pattern: re.Pattern[str] | None
    pattern_cs: re.Pattern[str] | None
    script: re.Pattern[str] | None
    exclude: re.Pattern[str] | None


def _cue_rx(cue: str) -> str:
    star = cue.endswith("*")
    body = re.escape(cue.rstrip("*")).replace(r"\ ", r"\s+")
    ascii_word = cue[:1].isascii() and cue[:1].isalnum()
    left = r"\b" if ascii_word else ""
    last = cue.rstrip("*")[-1:]
    right = r"[\w\-]*" if star else (r"\b" if last.isascii() and last.isalnum() else "")
    return left + body + right


@lru_cache(maxsize=1)
def _compiled() -> tuple[_Compiled, ...]:
    out: list[_Compiled] = []
    for sid, spec in load_pack().sectors.items():
        ci = "|".join(_cue_rx(c) for c in spec.cues if not c.isupper() or len(c) > 5)
        cs_cues = list(spec.cues_cs) + [c for c in spec.cues if c.isupper() and len(c) <= 5]
        cs = "|".join(_cue_rx(c) for c in cs_cues)
        sc = "|".join(re.escape(c) for c in (*spec.ur, *spec.zh))
        ex = "|".join(_cue_rx(c) for c in spec.exclude)
        out.append(
            _Compiled(
                sector=sid,
                pattern=re.compile(ci, re.I) if ci else None,
                pattern_cs=re.compile(cs) if cs else None,
                script=re.compile(sc) if sc else None,
                exclude=re.compile(ex, re.I) if ex else None,
            )
        )
    return tuple(out)


SECTORS: tuple[str, ...] = tuple(load_pack().sectors)


def sectors_in(
    text: str,
    start: int,
    end: int,
    blocked: list[tuple[int, int]] | None = None,
) -> list[str]:
    """Sectors whose cues occur in ``text[start:end]`` (outside ``blocked`` spans)."""
    blocked = blocked or []
    found: list[str] = []
    for comp in _compiled():
        excl: list[tuple[int, int]] = []
        if comp.exclude is not None:
            excl = [(m.start(), m.end()) for m in comp.exclude.finditer(text, start, end)]
        for rx in (comp.pattern, comp.pattern_cs, comp.script):
            if rx is None:
                continue
            hit = False
            for m in rx.finditer(text, start, end):
                a, b = m.start(), m.end()
                if any(x <= a and b <= y for x, y in excl):
                    continue
                if any(x <= a and b <= y for x, y in blocked):
                    continue
                hit = True
                break
            if hit:
                found.append(comp.sector)
                break
    return found


def blocked_spans(an: Analysis) -> list[tuple[int, int]]:
    """Spans where cues do not count: organisation names and persons' titles."""
    spans: list[tuple[int, int]] = []
    for c in an.cands:
        if c.label == "ORG":
            spans.append((c.start, c.end))
        if c.role_start is not None and c.role_end is not None:
            spans.append((c.role_start, c.role_end))
    return spans


def find_sectors(an: Analysis) -> list[SectorHit]:
    """One ``SectorHit`` per (sector, sentence) whose cues the sentence contains."""
    blocked = blocked_spans(an)
    pack = load_pack()
    hits: list[SectorHit] = []
    for s in an.sents:
        lo = s.start
        if an.dateline_start <= s.start < an.dateline_end:
            lo = an.dateline_end  # the dateline's place and source are not sector cues
        found = sectors_in(an.text, lo, s.end, blocked)
        kinds = {
            pack.entities[c.lex_id].kind
            for c in an.cands
            if c.lex_id and c.lex_id in pack.entities and s.start <= c.start < s.end
        }
        for spec in pack.sectors.values():
            if spec.id not in found and kinds & set(spec.kinds):
                found.append(spec.id)
        for sector in found:
            hits.append(SectorHit(sector=sector, start=s.start, end=s.end))
    return hits
