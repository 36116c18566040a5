"""Entity resolution: mention candidates -> canonical entity ids.

Entity ids:
- a lexicon entity keeps its lexicon id (``"pakistan"``, ``"cpec"``, ``"nrta"``,
  ``"person:xi-jinping"``); every alias, acronym, Urdu or Chinese form of it
  resolves there, so ``NRTA`` and ``National Radio and Television
  Administration`` (and ``国家广播电视总局``) are one entity across articles;
- anything else gets ``"<type>:<slug of its normalised name>"`` (``"person:
  sun-weidong"``, ``"org:pakistan-business-council"``), stable across
  articles; a person's slug is that of the longest form of the name in the
  article; an acronym given in brackets after a name ("Pakistan Business
  Council (PBC)") takes the name's id within the article.

Within one article: a surname or short form ("Tarar", "President Xi") joins
the full name it is part of; a role-only reference ("the President", "the
foreign secretary", "the Chinese Ambassador") joins the most recent person
whose stated role has those title words (and country, when given), or is
dropped when there is none. A capital city used for its government
("Islamabad and Beijing reached an agreement", "Beijing's position") is the
government entity (``gov-china``, label ORG); used as a place ("in Beijing",
the dateline) it stays the city.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..document import Mention
from ..domain import DomainPack, load_pack, slugify, words
from ._types import Analysis, Cand, SentInfo

__all__ = ["EntityInfo", "entity_catalog", "entity_info", "resolve_mentions"]

_LOC_PREPS = words.word_set("resolve", "location_prepositions")
_ACTOR_VERBS = words.word_set("resolve", "actor_verbs")
_WEEKDAY_NAMES = words.word_set("resolve", "weekday_names")
_GOV_VERBS_BEFORE = words.word_set("resolve", "government_verbs_before")
_TIES = words.word_set("resolve", "ties")


@dataclass(frozen=True)
class EntityInfo:
    """What the store needs to fill an entities table."""

    id: str
    type: str
    name: str
    aliases: tuple[str, ...] = ()
    country: str | None = None
    in_lexicon: bool = False
    kind: str | None = None


def _sent_of(an: Analysis, c: Cand) -> SentInfo:
    return an.sents[c.sent]


def _capital_is_government(an: Analysis, c: Cand, pack: DomainPack) -> bool:
    """Whether a capital-city mention stands for its government (metonymy)."""
    if c.start < an.dateline_end:
        return False
    info = _sent_of(an, c)
    toks = info.toks
    if not toks:
        return False
    i = info.tok_at(c.start)
    if i is None:
        return False
    j = i
    while j < len(toks) and toks[j].end <= c.end:
        j += 1
    prev = toks[i - 1].lower if i > 0 else ""
    if prev in _LOC_PREPS:
        return False
    nxt = toks[j].text if j < len(toks) else ""
    if nxt in ("'s", "’s"):
        # "Beijing's Great Hall" is a place; "Beijing's position" the government
        after = toks[j + 1] if j + 1 < len(toks) else None
        return not (
            after is not None
            and any(x.start == after.start and x.label == "PLACE" for x in an.cands)
        )
    if prev in _GOV_VERBS_BEFORE:
        return True  # "supports Islamabad", "thanked Beijing"
    if prev == "with" and i >= 2 and toks[i - 2].lower in _TIES:
        return True  # "cooperation with Islamabad"
    if prev == "between" and i >= 2 and toks[i - 2].lower in _TIES:
        return True
    if (
        prev == "and"
        and i >= 3
        and toks[i - 3].lower == "between"
        and (i >= 4 and toks[i - 4].lower in _TIES)
    ):
        return True
    if an.statistical and toks[i].dep in ("nsubj", "nsubjpass"):
        return True
    if an.statistical and toks[i].dep == "conj":
        h = toks[i].head
        if 0 <= h < len(toks) and toks[h].dep in ("nsubj", "nsubjpass"):
            return True
    # rule: skip a conjoined chain of places ("Islamabad and Beijing"), then look for a verb
    spans = [(x.start, x.end) for x in an.cands if x.label == "PLACE"]
    k = j
    while k < len(toks) and (
        toks[k].lower in ("and", ",", "on", "also", "today", "jointly")
        or toks[k].text in _WEEKDAY_NAMES
        or any(a <= toks[k].start < b for a, b in spans)
    ):
        k += 1
    if k < len(toks):
        w = toks[k].text
        if w.islower() and (w in _ACTOR_VERBS or (w.endswith("ed") and len(w) > 4)):
            return prev not in ("of", "for", "with", "by")
    return False


_HON = re.compile(
    r"^(?:(?:H\.\s?E\.|HE|His Excellency|Her Excellency|Mr\.?|Mrs\.?|Ms\.?|Madam|Madame|Dr\.?|"
    r"Prof\.?|Engr\.?|Hon\.?|Honourable|Honorable)\s+)+"
)


def _person_name(text: str) -> str:
    return _HON.sub("", text).strip()


def _title_words(text: str, pack: DomainPack) -> set[str]:
    words = set()
    heads = {w.lower() for w in pack.titles.head_words}
    mods = {w.lower() for w in pack.titles.modifiers}
    for w in re.findall(r"[A-Za-z]+", text):
        lw = w.lower()
        if lw in heads or lw in mods:
            words.add(lw)
    return words


def _apply_synonyms(text: str, pack: DomainPack) -> str:
    low = text.lower()
    for a, b in pack.titles.synonyms.items():
        low = re.sub(rf"\b{re.escape(a)}\b", b, low)
    return low


def _initials(text: str) -> str:
    """'Chief of Army Staff' -> 'COAS' (also without the small words: 'CAS')."""
    words = re.findall(r"[A-Za-z]+", text)
    return (
        "".join(w[0].upper() for w in words) + " " + "".join(w[0] for w in words if w[0].isupper())
    )


def _head_of(text: str, pack: DomainPack) -> str | None:
    """The last head word of the leading title words ("Foreign Minister of China" -> minister)."""
    head: str | None = None
    heads = {w.lower() for w in pack.titles.head_words}
    for w in re.findall(r"[A-Za-z]+", text):
        lw = w.lower()
        if lw in ("of", "for", "to"):
            break
        if lw in heads:
            head = lw
    return head


def resolve_mentions(an: Analysis) -> list[Mention]:
    """Assign entity ids, roles and countries; return the public mentions."""
    pack = load_pack()
    text = an.text

    # 1. capitals used for their government
    for c in an.cands:
        if c.lex_id and c.label == "PLACE":
            entry = pack.entities.get(c.lex_id)
            if entry is not None and entry.capital_of and _capital_is_government(an, c, pack):
                gov = f"gov-{entry.capital_of}"
                if gov in pack.entities:
                    c.metonymy = True
                    c.entity_id = gov
                    c.label = "ORG"

    # 2. lexicon ids; acronyms in brackets after a non-lexicon name
    # 2a. a surname that NER took for an organisation ("Tarar said") joins the person
    name_tokens: set[str] = set()
    for c in an.cands:
        if c.label == "PERSON" and not c.is_ref:
            name_tokens.update(_person_name(text[c.start : c.end]).split())
    for c in an.cands:
        if c.label in ("ORG", "PLACE") and not c.lex_id and c.source == "ner":
            words = text[c.start : c.end].split()
            if words and all(w in name_tokens for w in words) and len(words) <= 2:
                c.label = "PERSON"

    acro_map: dict[str, tuple[str, str]] = {}
    for c in an.cands:
        if c.entity_id:
            continue
        if c.lex_id:
            c.entity_id = c.lex_id
            continue
        if c.label == "PERSON":
            continue
        surface = text[c.start : c.end]
        entry = pack.lookup(surface)
        if entry is not None:
            c.entity_id = entry.id
            c.label = entry.type
            continue
        c.entity_id = f"{c.label.lower()}:{slugify(surface)}"
        m = re.match(r"\s*\(([A-Z][A-Za-z&\-]{1,9})\)", text[c.end : c.end + 14])
        if m and sum(ch.isupper() for ch in m.group(1)) >= 2:
            # an acronym ("(CMG)", "(JWG-ICC)"), not a bracketed word ("(France)")
            acro_map[m.group(1)] = (c.entity_id, c.label)
    for c in an.cands:
        if c.label != "PERSON" and c.entity_id and not c.lex_id:
            surface = text[c.start : c.end]
            if surface in acro_map:
                c.entity_id, c.label = acro_map[surface]

    # 3. persons: cluster short forms into full names
    persons = [c for c in an.cands if c.label == "PERSON" and not c.is_ref]
    names = {id(c): _person_name(text[c.start : c.end]) for c in persons}
    toks_of = {id(c): names[id(c)].split() for c in persons}
    cluster_of: dict[int, Cand] = {}
    by_len = sorted(persons, key=lambda c: (-len(toks_of[id(c)]), c.start))
    heads: list[Cand] = []
    for c in by_len:
        words = toks_of[id(c)]
        best: Cand | None = None
        for h in heads:
            hw = toks_of[id(h)]
            if len(words) >= len(hw):
                continue
            n = len(words)
            if (
                any(hw[k : k + n] == words for k in range(len(hw) - n + 1))
                and (c.lex_id is None or c.lex_id == h.lex_id)
                and (best is None or abs(h.start - c.start) < abs(best.start - c.start))
            ):
                best = h
        if best is None:
            heads.append(c)
            cluster_of[id(c)] = c
        else:
            cluster_of[id(c)] = cluster_of[id(best)]
    members: dict[int, list[Cand]] = {}
    for c in persons:
        members.setdefault(id(cluster_of[id(c)]), []).append(c)
    for head_id, group in members.items():
        head = next(c for c in persons if id(c) == head_id)
        lex = next((c.lex_id for c in group if c.lex_id), None)
        if lex is None:
            entry = pack.lookup(names[id(head)])
            if entry is not None and entry.type == "PERSON":
                lex = entry.id
        ent_id = lex or f"person:{slugify(names[id(head)])}"
        group_sorted = sorted(group, key=lambda c: c.start)
        role = next((c.role for c in group_sorted if c.role), None)
        country = next((c.country for c in group_sorted if c.country), None)
        if country is None and lex and lex in pack.entities:
            country = pack.entities[lex].country
        for c in group_sorted:
            c.entity_id = ent_id
            if c.role is None:
                c.role = role
            if c.country is None:
                c.country = country

    # 4. role-only references
    named = sorted((c for c in persons if c.entity_id), key=lambda c: c.start)
    for ref in (c for c in an.cands if c.is_ref):
        ref_text = _apply_synonyms(ref.role or "", pack)
        want = _title_words(ref_text, pack)
        ref_head = _head_of(ref_text, pack)
        acro = (ref.role or "").strip() if (ref.role or "").strip().isupper() else None
        if not want and not acro:
            continue
        target: Cand | None = None
        for p in named:
            roles = [x.role for x in named if x.entity_id == p.entity_id and x.role]
            if not roles:
                continue
            if acro:
                ok = any(acro in _initials(r) for r in roles)
            else:
                ok = any(
                    want <= _title_words(_apply_synonyms(r, pack), pack)
                    and (ref_head is None or ref_head in _apply_synonyms(r, pack).lower())
                    for r in roles
                )
            if not ok:
                continue
            if ref.country and p.country and ref.country != p.country:
                continue
            if p.start < ref.start:
                target = p
            elif target is None:
                target = p
                break
        if target is not None:
            ref.entity_id = target.entity_id
            ref.country = ref.country or target.country
            # keep the fuller role stated for the person
            ref.role = target.role or ref.role

    # 5. public mentions
    out: list[Mention] = []
    for c in an.cands:
        if not c.entity_id:
            continue
        country = c.country
        if c.label != "PERSON":
            entry = pack.entities.get(c.entity_id)
            if entry is not None:
                country = entry.id if entry.kind == "country" else entry.country
        out.append(
            Mention(
                start=c.start,
                end=c.end,
                text=text[c.start : c.end],
                label=c.label,
                entity_id=c.entity_id,
                role=c.role if c.label == "PERSON" else None,
                country=country,
            )
        )
    return out


def entity_info(entity_id: str) -> EntityInfo | None:
    """Canonical name, type and aliases of a lexicon entity (``None`` for others)."""
    pack = load_pack()
    entry = pack.entities.get(entity_id)
    if entry is None:
        return None
    return EntityInfo(
        id=entry.id,
        type=entry.type,
        name=entry.name,
        aliases=tuple(a for a in entry.aliases if a != entry.name),
        country=entry.id if entry.kind == "country" else entry.country,
        in_lexicon=True,
        kind=entry.kind,
    )


def entity_catalog(mentions: list[Mention]) -> dict[str, EntityInfo]:
    """One ``EntityInfo`` per entity id in ``mentions``.

    Lexicon entities come with their canonical name and every alias (English,
    acronyms, Urdu, Chinese) plus the surface forms seen; other entities are
    named by their longest surface form, with the others as aliases.
    """
    surfaces: dict[str, dict[str, None]] = {}
    labels: dict[str, str] = {}
    countries: dict[str, str | None] = {}
    for m in mentions:
        if not m.entity_id:
            continue
        if m.label == "PERSON" and m.text.lower() == (m.role or "").lower():
            continue  # a role-only reference is not a name
        surfaces.setdefault(m.entity_id, {})[m.text] = None
        labels.setdefault(m.entity_id, m.label)
        if m.country and not countries.get(m.entity_id):
            countries[m.entity_id] = m.country
    out: dict[str, EntityInfo] = {}
    for ent_id, seen in surfaces.items():
        info = entity_info(ent_id)
        if info is not None:
            extra = tuple(s for s in seen if s != info.name and s not in info.aliases)
            out[ent_id] = EntityInfo(
                id=info.id,
                type=info.type,
                name=info.name,
                aliases=info.aliases + extra,
                country=info.country,
                in_lexicon=True,
                kind=info.kind,
            )
            continue
        forms = sorted(seen, key=lambda s: (-len(s), s))
        name = _person_name(forms[0]) if labels[ent_id] == "PERSON" else forms[0]
        out[ent_id] = EntityInfo(
            id=ent_id,
            type=labels[ent_id],
            name=name,
            aliases=tuple(f for f in forms if f != name),
            country=countries.get(ent_id),
        )
    return out
