"""Entity mentions: lexicon (EntityRuler), statistical NER, titles and roles.

Sources of candidates, strongest first:

1. the domain lexicon, through spaCy's ``EntityRuler`` (English aliases and
   acronyms) or, for Urdu / Chinese script, a longest-match scan of the Urdu
   and Chinese aliases;
2. titled persons: a title phrase ("Vice Minister for Foreign Affairs of China",
   "the Ambassador of Pakistan to China,") followed by a name, or a name
   followed by ", <title phrase>" — the title becomes the mention's ``role``;
3. the statistical NER of the small English model (when installed);
4. capitalised chunks ending in an organisation or project head word
   ("... Authority", "... Corridor"), which is how the rule-only mode finds
   organisations that are not in the lexicon;
5. role-only references ("the President", "the foreign secretary"), resolved
   to a person later (``resolve``) and dropped when they cannot be.

Each person's country comes from a demonym or possessive before the title
("Chinese Foreign Minister", "Pakistan's Ambassador"), from an "of <country or
organisation>" inside the title, from title hints in the domain pack
("Federal Minister" -> Pakistan) or from the lexicon.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from spacy.tokens import Doc as SpacyDoc

from ..domain import DomainPack, load_pack, norm_key, words
from ._nlp import get_nlp
from ._types import Analysis, Cand, SentInfo, Tok

__all__ = ["NER_LABELS", "find_mentions", "tokens_from_spacy"]

#: spaCy NER label -> our label (others are not entity mentions)
NER_LABELS = {"PERSON": "PERSON", "ORG": "ORG", "GPE": "PLACE", "LOC": "PLACE", "FAC": "PLACE"}

ORG_HEADS = words.word_set("entities", "org_heads")
VENUE_HEADS = words.word_set("entities", "venue_heads")
PROJECT_HEADS = words.word_set("entities", "project_heads")
NON_ENTITY_HEADS = words.word_set("entities", "non_entity_heads")
_PROJECT_NOUN_AFTER = re.compile(r"\s+(?:programme|program|project|mission|initiative|scheme)\b")
_INNER = frozenset({"of", "and", "the", "'s", "’s", "&", "for", "on", "-"})
_NAME_PARTICLES = words.word_set("entities", "name_particles")
_CALENDAR = words.word_set("entities", "calendar_words")
_STOP_CAPS = words.word_set("entities", "capitalised_non_names")


#: a number standing alone ("10", "2-1", "10.15"), not part of a name ("Chang'e-8", "G-20")
_NUMBER = re.compile(r"(?<![\w.\-/'’])\d+(?:[.:,\-]\d+)*(?![\w\-])")


def _is_headline(info: SentInfo) -> bool:
    """A Title Case line without final punctuation (a headline or section title)."""
    if info.text.rstrip()[-1:] in '.!?"”’':
        return False
    if len(_NUMBER.findall(info.text)) >= 2:
        return False  # a results or table line ("Racing Strasbourg 10, Stade Rennes 9")
    words = [w for w in re.findall(r"[A-Za-z][A-Za-z'’\-]*", info.text) if len(w) > 3]
    if len(words) < 3:
        return False
    caps = sum(1 for w in words if w[0].isupper())
    return caps / len(words) >= 0.7


def _is_cap(t: Tok) -> bool:
    return bool(t.text) and t.text[0].isupper() and any(c.isalpha() for c in t.text)


def _is_acronym(t: Tok) -> bool:
    letters = [c for c in t.text if c.isalpha()]
    return len(letters) >= 2 and all(c.isupper() for c in letters)


class _Sent:
    """Token-level view of one sentence with its candidate indexes."""

    def __init__(self, info: SentInfo, cands: list[Cand], pack: DomainPack) -> None:
        self.info = info
        self.toks = info.toks
        self.n = len(self.toks)
        self.pack = pack
        self.by_start: dict[int, int] = {t.start: t.i for t in self.toks}
        self.by_end: dict[int, int] = {t.end: t.i for t in self.toks}
        # token index -> (end token index exclusive, cand) for non-person entities and persons
        self.ent_at: dict[int, tuple[int, Cand]] = {}
        self.person_at: dict[int, tuple[int, Cand]] = {}
        for c in cands:
            si = self.by_start.get(c.start)
            ei = self.by_end.get(c.end)
            if si is None or ei is None:
                continue
            target = self.person_at if c.label == "PERSON" else self.ent_at
            prev = target.get(si)
            if prev is None or prev[0] < ei + 1:
                target[si] = (ei + 1, c)

    # -- token classes -------------------------------------------------
    def word(self, i: int) -> str:
        return self.toks[i].text if 0 <= i < self.n else ""

    def is_title_word(self, i: int, allow_lower: bool = False) -> bool:
        if not 0 <= i < self.n:
            return False
        w = self.toks[i].text
        titles = self.pack.titles
        if w in titles.head_words or w in titles.modifiers:
            return True
        if allow_lower and w.islower():
            cap = w.capitalize()
            return cap in titles.head_words or (
                cap in titles.modifiers and self.is_title_word(i + 1, allow_lower=True)
            )
        return False

    def is_head_word(self, i: int, allow_lower: bool = False) -> bool:
        if not 0 <= i < self.n:
            return False
        w = self.toks[i].text
        heads = self.pack.titles.head_words
        return w in heads or (allow_lower and w.capitalize() in heads)

    def is_honorific(self, i: int) -> bool:
        if not 0 <= i < self.n:
            return False
        return self.toks[i].text in self.pack.titles.honorifics

    def portfolio_end(self, i: int) -> int | None:
        """Token index after a portfolio phrase starting at ``i``, if one does."""
        if not 0 <= i < self.n or not _is_cap(self.toks[i]):
            return None
        start = self.toks[i].start
        text = self.info_text_from(start)
        for p in self.pack.titles.portfolios:
            if text.startswith(p):
                end_char = start + len(p)
                j = self.by_end.get(end_char)
                if j is not None:
                    return j + 1
        return None

    def info_text_from(self, char: int) -> str:
        return self.info.text[char - self.info.start :]

    def is_name_word(self, i: int) -> bool:
        if not 0 <= i < self.n:
            return False
        t = self.toks[i]
        if not _is_cap(t) or t.text in _CALENDAR or t.text in _STOP_CAPS:
            return False
        if self.is_title_word(i) or self.is_honorific(i):
            return False
        if t.text in ORG_HEADS or t.text in PROJECT_HEADS or t.text in VENUE_HEADS:
            return False
        if i in self.ent_at:
            return False
        if self.pack.country_of_demonym(t.text):
            return False
        return not (len(t.text) > 1 and _is_acronym(t) and len(t.text) <= 6)

    # -- title phrases -------------------------------------------------
    def parse_title(self, i: int, allow_lower: bool = False) -> tuple[int, int] | None:
        """Parse a title phrase at token ``i``: (end token exclusive, end of role) or None.

        The role ends before a trailing parenthesised acronym.
        """
        if not self.is_title_word(i, allow_lower):
            return None
        j = i
        role_end = i
        has_head = False

        def title_words(k: int) -> int:
            nonlocal has_head
            while k < self.n:
                if self.is_title_word(k, allow_lower):
                    has_head = has_head or self.is_head_word(k, allow_lower)
                    k += 1
                elif self.word(k) in ("/", "-") and self.is_title_word(k + 1, allow_lower):
                    k += 1
                else:
                    break
            return k

        j = title_words(j)
        role_end = j
        while j < self.n:
            w = self.word(j)
            if w in ("of", "for", "to", "in", "at") or (
                w == "and" and (self.is_title_word(j + 1) or self.portfolio_end(j + 1))
            ):
                k = j + 1
                if w == "and" and self.is_title_word(k):
                    k2 = title_words(k)
                    if k2 > k:
                        j = role_end = k2
                        continue
                if self.word(k) == "the":
                    k += 1
                arg_end = self.parse_arg(k)
                if arg_end is None:
                    break
                j = role_end = arg_end
                continue
            if (
                w == "("
                and j + 2 < self.n
                and self.word(j + 2) == ")"
                and _is_acronym(self.toks[j + 1])
            ):
                j += 3
                continue
            if self.is_title_word(j):
                k2 = title_words(j)
                j = role_end = k2
                continue
            break
        if not has_head:
            return None
        return j, role_end

    def parse_arg(self, k: int) -> int | None:
        """The argument of 'of/for/to' in a title: portfolio, entity, or capitalised org name."""
        if k >= self.n:
            return None
        pe = self.portfolio_end(k)
        if k in self.person_at:
            return None
        run_end = k
        last_strong: int | None = None
        if pe is not None:
            run_end = last_strong = pe
        j = run_end
        while j < self.n:
            if j in self.person_at:
                break
            if j in self.ent_at:
                j = last_strong = self.ent_at[j][0]
                run_end = j
                continue
            t = self.toks[j]
            if _is_cap(t) and t.text not in _CALENDAR:
                if self.is_title_word(j) and last_strong is not None and j > k:
                    break
                j += 1
                run_end = j
                if t.text in ORG_HEADS or _is_acronym(t):
                    last_strong = j
                continue
            if (
                t.text in ("'s", "’s", "of", "and", "&", "-", "the", "for")
                and j + 1 < self.n
                and j > k
                and _is_cap(self.toks[j + 1])
            ):
                j += 1
                continue
            break
        if run_end == k:
            return None
        if last_strong is not None and last_strong < run_end:
            # trailing capitalised words after the last organisation word: a name
            return last_strong
        return run_end

    def name_run(self, i: int) -> int:
        """End (exclusive) of a person name starting at token ``i`` (== i if none)."""
        if i in self.person_at:
            end, pc = self.person_at[i]
            if pc.source != "lexicon" and not self.is_name_word(i):
                return i
            # extend over directly following name words (NER cut "Muhammad Syrus")
            while end < self.n and self.is_name_word(end):
                end += 1
            return end
        j = i
        while j < self.n and j - i < 5:
            if self.is_name_word(j):
                j += 1
                continue
            if self.word(j) in _NAME_PARTICLES and j > i and self.is_name_word(j + 1):
                j += 1
                continue
            if self.word(j) == "-" and j > i and self.is_name_word(j + 1):
                j += 1
                continue
            break
        return j


def tokens_from_spacy(sd: SpacyDoc, base: int) -> list[Tok]:
    """Our tokens for one sentence's spaCy Doc, offsets shifted by ``base``."""
    toks: list[Tok] = []
    for t in sd:
        if t.is_space:
            continue
        toks.append(
            Tok(
                i=len(toks),
                start=base + t.idx,
                end=base + t.idx + len(t.text),
                text=t.text,
                lemma=t.lemma_ or t.text.lower(),
                pos=t.pos_,
                tag=t.tag_,
                dep=t.dep_,
                head=t.head.i,
            )
        )
    # spaCy head indexes count space tokens; remap by offsets
    idx = {t.idx: k for k, t in enumerate(sd) if not t.is_space}
    ordered = [t for t in sd if not t.is_space]
    for tok, st in zip(toks, ordered, strict=True):
        tok.head = idx.get(st.head.idx, -1)
    return toks


#: a span ending in an abbreviation whose final period is part of it: "U.S.", "Corp."
_ABBREV_END = re.compile(
    r"(?:(?<![A-Za-z])(?:[A-Za-z]\.){2,}|\b(?:Corp|Inc|Co|Ltd|Bros|Jr|Sr|Plc|Cie|Mt|St)\.)$"
)


def _strip_span(text: str, start: int, end: int, pack: DomainPack) -> tuple[int, int]:
    """Trim leading determiners/honorifics and trailing punctuation from a span."""
    changed = True
    while changed and start < end:
        changed = False
        seg = text[start:end]
        for lead in ("the ", "The ", *(h + " " for h in pack.titles.honorifics)):
            if seg.startswith(lead) and len(seg) > len(lead):
                start += len(lead)
                changed = True
                break
        while start < end and text[start] in " \t\"'“‘(":
            start += 1
            changed = True
        while end > start and text[end - 1] in " \t\"'”’),.;:":
            if text[end - 1] == "." and _ABBREV_END.search(text, start, end):
                break  # "U.S.", "Corp.": the period belongs to the abbreviation
            end -= 1
            changed = True
    if text[start:end].endswith(("'s", "’s")):
        end -= 2
    return start, end


def _spacy_cands(sd: SpacyDoc, base: int, sent: int, text: str, pack: DomainPack) -> list[Cand]:
    out: list[Cand] = []
    for ent in sd.ents:
        s, e = _strip_span(text, base + ent.start_char, base + ent.end_char, pack)
        paren = text.find("(", s, e)
        if paren > s and not ent.ent_id_:
            # "Alessio Ferraro (Italy": a name and what follows it in brackets
            s, e = _strip_span(text, s, paren, pack)
        num = _NUMBER.search(text, s, e)
        if num is not None and num.start() > s and not ent.ent_id_:
            # "Yorkshire 301", "Calgary Flames 4 Ottawa": a score ends the name
            s, e = _strip_span(text, s, num.start(), pack)
        if e <= s:
            continue
        if ent.ent_id_:
            entry = pack.entities.get(ent.ent_id_)
            if entry is None:
                continue
            out.append(Cand(s, e, entry.type, "lexicon", sent, lex_id=entry.id))
            continue
        label = NER_LABELS.get(ent.label_)
        if label is None:
            continue
        surface = text[s:e]
        words = surface.replace("-", " ").split()
        if not words or not surface[0].isupper():
            continue
        if words[-1] in NON_ENTITY_HEADS or words[0] in NON_ENTITY_HEADS:
            continue
        mproj = re.search(r"\s+(?:programme|program|project|mission|initiative|scheme)$", surface)
        if mproj and label != "PERSON":
            e = s + mproj.start()
            surface = text[s:e]
            words = surface.replace("-", " ").split()
            label = "PROJECT"
        elif label in ("ORG", "PLACE") and _PROJECT_NOUN_AFTER.match(text, e):
            label = "PROJECT"  # "the International Lunar Research Station programme"
        if label not in ("PERSON", "PROJECT") and any(ch.isdigit() for ch in surface):
            continue  # "COVID-19", "G-20": not organisations or places here
        entry = pack.lookup(surface)
        if entry is not None:
            out.append(Cand(s, e, entry.type, "lexicon", sent, lex_id=entry.id))
            continue
        if label in ("ORG", "PLACE") and words[-1] in PROJECT_HEADS:
            label = "PROJECT"
        if label == "PERSON" and any(w in pack.titles.head_words for w in words[:1]):
            continue  # NER took a title for a name; the title parser handles it
        if label == "PERSON":
            if words[-1] in ORG_HEADS:
                label = "ORG"
            elif words[-1] in VENUE_HEADS:
                label = "PLACE"
            elif words[-1] in PROJECT_HEADS:
                label = "PROJECT"
            elif len(words) == 1 and text[max(0, s - 4) : s].lower() == "the ":
                continue  # "the Moon": persons do not take an article
        if label == "ORG" and _PAREN_PLACE.match(text, e) and _looks_like_name(words, pack):
            label = "PERSON"  # "Remi Dufresne (France)": a person and their country
        if label == "ORG" and all(
            w in pack.titles.head_words
            or w in pack.titles.modifiers
            or w.lower() == "the"
            or pack.country_of_demonym(w)
            for w in words
        ):
            continue  # "the Consul General": a role reference, not an organisation
        out.append(Cand(s, e, label, "ner", sent, ner_label=ent.label_))
    return _join_split_persons(out, text)


#: Title Case words in brackets right after a name: "Smith (Australia)", "(South Korea)"
_PAREN_PLACE = re.compile(r"\s*\(\s*([A-Z][a-z]+(?:[ -][A-Z][a-z]+){0,2})\s*\)")


def _looks_like_name(words: list[str], pack: DomainPack) -> bool:
    """Two or three capitalised words with no organisation, project or title word."""
    if not 2 <= len(words) <= 3:
        return False
    for w in words:
        if not (w[:1].isupper() and w[1:].islower()):
            return False
        if w in ORG_HEADS or w in PROJECT_HEADS or w in VENUE_HEADS or w in NON_ENTITY_HEADS:
            return False
        if w in pack.titles.head_words or pack.country_of_demonym(w):
            return False
    return pack.lookup(" ".join(words)) is None


def _paren_places(cands: list[Cand], text: str, pack: DomainPack) -> list[Cand]:
    """A country or place in brackets after a person's name: "Smith (Australia)"."""
    out: list[Cand] = []
    for c in cands:
        if c.label != "PERSON" or c.is_ref:
            continue
        m = _PAREN_PLACE.match(text, c.end)
        if m is None:
            continue
        s, e = m.span(1)
        if any(x.start < e and s < x.end for x in cands):
            continue  # already a mention ("(Hajduk Split)" may be the player's club)
        entry = pack.lookup(text[s:e])
        if entry is not None:
            if entry.type == "PLACE":
                out.append(Cand(s, e, "PLACE", "lexicon", c.sent, lex_id=entry.id))
            continue
        if " " not in text[s:e]:  # one word: the country or city, not a club or body
            out.append(Cand(s, e, "PLACE", "ner", c.sent, ner_label="GPE"))
    return out


def _join_split_persons(cands: list[Cand], text: str) -> list[Cand]:
    """NER sometimes splits one name in two ("Muhammad Yousuf" + "Khan"): join them."""
    out: list[Cand] = []
    for c in sorted(cands, key=lambda x: x.start):
        if (
            out
            and c.label == "PERSON"
            and out[-1].label == "PERSON"
            and out[-1].source == "ner"
            and c.source == "ner"
            and text[out[-1].end : c.start] == " "
        ):
            out[-1].end = c.end
            continue
        out.append(c)
    return out
    return out


def _title_persons(st: _Sent, text: str) -> list[Cand]:
    """Persons introduced by a title phrase before or after their name."""
    out: list[Cand] = []
    i = 0
    while i < st.n:
        parsed = st.parse_title(i)
        if parsed is None:
            i += 1
            continue
        end, role_end = parsed
        j = end
        comma = False
        if st.word(j) == ",":
            comma = True
            j += 1
        while st.is_honorific(j):
            j += 1
        name_end = st.name_run(j)
        if name_end > j and (not comma or st.word(name_end) in (",", ".", ")", "", "and")):
            s, e = st.toks[j].start, st.toks[name_end - 1].end
            role_s, role_e = st.toks[i].start, st.toks[role_end - 1].end
            out.append(
                Cand(
                    s,
                    e,
                    "PERSON",
                    "title",
                    st.info.index,
                    role=text[role_s:role_e],
                    role_start=role_s,
                    role_end=role_e,
                    country=_role_country(st, i, role_end),
                )
            )
            i = name_end
            continue
        i = max(end, i + 1)
    return out


def _org_title_persons(st: _Sent, text: str) -> list[Cand]:
    """'CAAS president Wu Kongming', 'SUPARCO chairman Muhammad Yousuf Khan'."""
    out: list[Cand] = []
    for k, (end, org) in list(st.ent_at.items()):
        if org.label != "ORG" or end >= st.n or not st.toks[end].text.islower():
            continue
        parsed = st.parse_title(end, allow_lower=True)
        if parsed is None:
            continue
        t_end, role_end = parsed
        name_end = st.name_run(t_end)
        if name_end <= t_end:
            continue
        rs, re_ = st.toks[k].start, st.toks[role_end - 1].end
        out.append(
            Cand(
                st.toks[t_end].start,
                st.toks[name_end - 1].end,
                "PERSON",
                "title",
                st.info.index,
                role=text[rs:re_],
                role_start=rs,
                role_end=re_,
                country=_country_of_cand(org, st.pack),
            )
        )
    return out


def _role_country(st: _Sent, i: int, role_end: int) -> str | None:
    """Country of a role at tokens [i, role_end)."""
    pack = st.pack
    # demonym or possessive right before the title
    prev = st.word(i - 1)
    if prev:
        c = pack.country_of_demonym(prev)
        if c:
            return c
        if prev in ("'s", "’s") and i - 2 >= 0:
            hit = _ent_ending_at(st, i - 1)
            if hit is not None:
                return _country_of_cand(hit, pack)
    first_any: str | None = None
    for k in range(i, role_end):
        if k in st.ent_at:
            c = _country_of_cand(st.ent_at[k][1], pack)
            if c is None:
                continue
            before = st.word(k - 1) if st.word(k - 1) != "the" else st.word(k - 2)
            if before == "of":
                return c
            if before != "to" and first_any is None:
                first_any = c
    if first_any:
        return first_any
    role_text = " ".join(st.word(k) for k in range(i, role_end))
    for hint, c in pack.titles.country_hints.items():
        if role_text.startswith(hint) or hint in role_text:
            return c
    return None


def _ent_ending_at(st: _Sent, end_tok: int) -> Cand | None:
    for start_i, (end_i, c) in st.ent_at.items():
        if end_i == end_tok and start_i < end_tok:
            return c
    return None


def _country_of_cand(c: Cand, pack: DomainPack) -> str | None:
    if c.lex_id:
        entry = pack.entities.get(c.lex_id)
        if entry is not None:
            if entry.kind == "country":
                return entry.id
            return entry.country
    return None


def _post_roles(st: _Sent, text: str, persons: Iterable[Cand]) -> None:
    """Fill roles stated after a name: 'Cao Shumin, Deputy Head of ...'."""
    persons = list(persons)
    for c in persons:
        if c.is_ref or c.post_end is not None:
            continue
        ei = st.by_end.get(c.end)
        if ei is None:
            continue
        j = ei + 1
        if st.word(j) != ",":
            continue
        j += 1
        if st.word(j) in ("the", "The"):
            j += 1
        dem = st.pack.country_of_demonym(st.word(j))
        if dem:
            j += 1
        parsed = st.parse_title(j, allow_lower=True)
        if parsed is None:
            continue
        _end, role_end = parsed
        rs, re_ = st.toks[j].start, st.toks[role_end - 1].end
        if any(p is not c and p.start >= re_ and not text[re_ : p.start].strip() for p in persons):
            continue  # "X, Defence Minister Dong Jun and ...": the next person's title
        c.post_end = re_
        c.country = c.country or dem or _role_country(st, j, role_end)
        if c.role:
            continue  # "Senator X, chairman of Y": keep the first stated role
        c.role, c.role_start, c.role_end = text[rs:re_], rs, re_


def _role_refs(st: _Sent, text: str, taken: list[tuple[int, int]]) -> list[Cand]:
    """'the President', 'the foreign secretary', 'the Chinese Ambassador' without a name."""
    out: list[Cand] = []
    for i, t in enumerate(st.toks):
        if t.text not in ("the", "The"):
            continue
        j = i + 1
        dem = st.pack.country_of_demonym(st.word(j))
        if dem:
            j += 1
        if j >= st.n or any(s <= st.toks[j].start < e for s, e in taken):
            continue
        if st.word(j).endswith("s") and st.word(j)[:-1] in st.pack.titles.head_words:
            continue  # plural: 'the Ministers'
        parsed = st.parse_title(j, allow_lower=True)
        if parsed is None:
            continue
        end, role_end = parsed
        nxt = end
        if st.word(nxt) == ",":
            nxt += 1
        while st.is_honorific(nxt):
            nxt += 1
        if st.name_run(nxt) > nxt and st.word(end) != ",":
            continue  # a name follows: handled as a titled person
        if st.word(end) in ("'s", "’s") and st.is_title_word(end + 1):
            continue
        if st.word(end) in VENUE_HEADS or st.word(end) in ORG_HEADS:
            continue  # "the Chief Minister House", "the President Office"
        s, e = st.toks[j].start, st.toks[role_end - 1].end
        over = [a for a, b in taken if a < e and s < b]
        if over:
            # "the President of Pakistan": the title, its country already a mention
            cut = re.search(r"\s+(?:of|to)\s+(?:the\s+)?$", text[s : min(over)])
            if min(over) <= s or cut is None:
                continue
            e = s + cut.start()
        out.append(
            Cand(
                s,
                e,
                "PERSON",
                "ref",
                st.info.index,
                role=text[s:e],
                role_start=s,
                role_end=e,
                country=dem or _role_country(st, j, role_end),
                is_ref=True,
            )
        )
    return out


def _title_fragment(c: Cand, roles: list[tuple[int | None, int | None]], text: str) -> bool:
    """A NER span inside a person's title that is a portfolio, not an organisation."""
    if c.source != "ner":
        return False
    inside = any(a is not None and b is not None and a <= c.start and c.end <= b for a, b in roles)
    if not inside:
        return False
    words = text[c.start : c.end].replace("-", " ").split()
    if len(words) == 1 and words[0].isupper():
        return False
    return not any(w in ORG_HEADS for w in words)


def _title_venue(st: _Sent, i: int) -> bool:
    """Title words that name a place or office: "Chief Minister House", "PM Office"."""
    j = i
    while j < st.n and st.is_title_word(j):
        j += 1
    return j < st.n and (st.word(j) in VENUE_HEADS or st.word(j) in ("Office", "Secretariat"))


def _chunks(st: _Sent, text: str) -> list[Cand]:
    """Capitalised runs ending in an organisation or project head word."""
    out: list[Cand] = []
    i = 0
    while i < st.n:
        t = st.toks[i]
        if (
            not _is_cap(t)
            or t.text in _STOP_CAPS
            or (i in st.person_at and st.person_at[i][1].source != "ner")
        ):
            i += 1
            continue
        if st.is_title_word(i) and not _title_venue(st, i):
            i += 1
            continue
        if i in st.person_at and st.word(st.person_at[i][0]) in ("of", "at", "from"):
            i = st.person_at[i][0]  # "Prof. Zhang Li of Sichuan University": not one name
            continue
        j = i
        last_head: tuple[int, str] | None = None
        head_first: str | None = None
        while j < st.n:
            tj = st.toks[j]
            if j in st.person_at and st.person_at[j][1].source != "ner":
                break
            if j in st.ent_at and j > i:
                inner = st.ent_at[j][1]
                j = st.ent_at[j][0]
                if head_first:
                    last_head = (j, head_first)
                elif inner.source == "ner":
                    w_last = st.word(j - 1)
                    if w_last in ORG_HEADS:
                        last_head = (j, "ORG")
                    elif w_last in VENUE_HEADS:
                        last_head = (j, "PLACE")
                    elif w_last in PROJECT_HEADS:
                        last_head = (j, "PROJECT")
                continue
            if (
                _is_cap(tj)
                and tj.text not in _CALENDAR
                and not (
                    j > i
                    and st.is_title_word(j)
                    and st.word(j - 1) not in ("of", "and")
                    and not st.is_title_word(j - 1)
                )
            ):
                if tj.text in ORG_HEADS:
                    last_head = (j + 1, "ORG")
                elif tj.text in PROJECT_HEADS:
                    last_head = (j + 1, "PROJECT")
                elif tj.text in VENUE_HEADS:
                    last_head = (j + 1, "PLACE")
                elif head_first:
                    last_head = (j + 1, head_first)
                if last_head is not None and last_head[0] == j + 1 and st.word(j + 1) == "of":
                    head_first = last_head[1]  # "University of Agriculture Faisalabad"
                j += 1
                continue
            if (
                tj.text in ("of", "and", "&", "for", "-", "'s", "’s")
                and j + 1 < st.n
                and _is_cap(st.toks[j + 1])
                and j > i
            ):
                j += 1
                continue
            break
        if last_head is not None:
            end, label = last_head
            # "... Authority of Pakistan": extend over 'of <entity>'
            if st.word(end) == "of" and end + 1 in st.ent_at:
                end = st.ent_at[end + 1][0]
            words = [st.word(k) for k in range(i, end)]
            if end < st.n and _PROJECT_NOUN_AFTER.match(text, st.toks[end - 1].end):
                label = "PROJECT"  # "... Research Station programme"
            if (
                len([w for w in words if w[:1].isupper()]) >= 2
                and words[-1] not in NON_ENTITY_HEADS
            ):
                s, e = _strip_span(text, st.toks[i].start, st.toks[end - 1].end, st.pack)
                out.append(Cand(s, e, label, "chunk", st.info.index))
            i = max(end, i + 1)
            continue
        i = max(j, i + 1)
    for k in range(st.n - 1):
        if k in st.ent_at and st.ent_at[k][1].label == "PLACE" and st.ent_at[k][1].lex_id:
            end = st.ent_at[k][0]
            if st.word(end) == "government":
                entry = st.pack.entities.get(st.ent_at[k][1].lex_id or "")
                if entry is not None and entry.kind not in ("country", "city"):
                    out.append(
                        Cand(st.toks[k].start, st.toks[end].end, "ORG", "chunk", st.info.index)
                    )
    return out


_PRIORITY = {"lexicon": 4, "title": 3, "ref": 3, "ner": 2, "chunk": 1, "script": 4}


def _merge(cands: list[Cand]) -> list[Cand]:
    """Drop overlapping candidates: stronger source first, then longer span."""

    def rank(c: Cand) -> tuple[int, int]:
        prio = _PRIORITY[c.source]
        # an organisation chunk that swallows a lexicon place ("Pakistan Business Council")
        if c.source == "chunk":
            prio = 5
        if c.source == "title":
            prio = 5 if c.role else 3
        return (prio, c.end - c.start)

    kept: list[Cand] = []
    for c in sorted(cands, key=rank, reverse=True):
        if any(k.start < c.end and c.start < k.end for k in kept):
            # a chunk org beats the lexicon places inside it only when it strictly contains them
            continue
        kept.append(c)
    kept.sort(key=lambda c: (c.start, c.end))
    return kept


def _chunk_allowed(c: Cand, lex: list[Cand]) -> bool:
    """A chunk may override lexicon candidates only when it starts with a place and adds words."""
    inside = [x for x in lex if c.start <= x.start and x.end <= c.end]
    overlapping = [x for x in lex if x.start < c.end and c.start < x.end]
    if len(overlapping) != len(inside):
        return False
    return all(x.label == "PLACE" or x.label == "PROJECT" for x in inside)


def _script_cands(text: str, sents: list[SentInfo], pack: DomainPack) -> list[Cand]:
    """Lexicon aliases in Urdu and Chinese script (longest match first)."""
    aliases: list[tuple[str, str]] = []
    for entry in pack.entities.values():
        for a in (*entry.ur, *entry.zh):
            aliases.append((a, entry.id))
    if not aliases:
        return []
    aliases.sort(key=lambda p: len(p[0]), reverse=True)
    index = {a: i for a, i in aliases}
    rx = re.compile("|".join(re.escape(a) for a, _ in aliases))
    out: list[Cand] = []
    sent_starts = [(s.start, s.end, s.index) for s in sents]
    for m in rx.finditer(text):
        a = m.group(0)
        s, e = m.start(), m.end()
        # Urdu words must not be glued to other Arabic-script letters
        if any("\u0600" <= ch <= "\u06ff" for ch in a):
            before = text[s - 1] if s > 0 else " "
            after = text[e] if e < len(text) else " "
            if ("\u0600" <= before <= "\u06ff") or ("\u0600" <= after <= "\u06ff"):
                continue
        entry = pack.entities[index[a]]
        sent = next((k for a0, b0, k in sent_starts if a0 <= s < b0), 0)
        out.append(Cand(s, e, entry.type, "script", sent, lex_id=entry.id))
    return out


def _surname_mentions(an: Analysis, cands: list[Cand], pack: DomainPack) -> list[Cand]:
    """A named person's surname standing alone elsewhere in the text ("Aurangzeb thanked").

    Each sentence is tagged on its own, so NER misses a bare surname that the full
    name earlier in the article makes plain; only a capitalised word between
    lower-case or punctuation neighbours counts, never part of a longer name.
    """
    text = an.text
    surnames: set[str] = set()
    for c in cands:
        if c.label != "PERSON" or c.is_ref:
            continue
        words = text[c.start : c.end].split()
        last = words[-1] if words else ""
        if len(words) >= 2 and len(last) > 2 and last[0].isupper() and last[1:].islower():
            surnames.add(last)
    surnames = {
        w
        for w in surnames
        if w not in pack.titles.head_words
        and w not in pack.titles.modifiers
        and w not in _STOP_CAPS
        and w not in _CALENDAR
        and pack.lookup(w) is None
        and not pack.country_of_demonym(w)
    }
    if not surnames:
        return []
    taken = [(c.start, c.end) for c in cands]
    taken += [(c.role_start, c.role_end) for c in cands if c.role_start is not None and c.role_end]
    out: list[Cand] = []
    for info in an.sents:
        toks = info.toks
        for k, t in enumerate(toks):
            if t.text not in surnames or any(a < t.end and t.start < b for a, b in taken):
                continue
            if k > 0 and _is_cap(toks[k - 1]) and toks[k - 1].text not in _STOP_CAPS:
                continue
            if k + 1 < len(toks) and _is_cap(toks[k + 1]):
                continue
            out.append(Cand(t.start, t.end, "PERSON", "ner", info.index, ner_label="PERSON"))
    return out


#: an all-caps place opening a line, before a date: "MADRID 1996-08-23", "BONN, Aug 21"
_DATELINE_PLACE = re.compile(
    r"(?m)^[ \t]*(?P<place>[A-Z]{3,}(?:[ \-][A-Z]{3,}){0,2})(?=\s*,?\s*"
    r"(?:\d{4}-\d{2}-\d{2}\b|[A-Z][a-z]{2,8}\.?\s+\d{1,2}\b|[A-Z]{3}\s+\d{1,2}\b))"
)


def _dateline_places(an: Analysis, cands: list[Cand], pack: DomainPack) -> list[Cand]:
    """The place of an agency dateline ("BONN 1996-08-21 The Bundesbank ..."), if not found."""
    out: list[Cand] = []
    for m in _DATELINE_PLACE.finditer(an.text):
        s, e = m.span("place")
        if any(c.start < e and s < c.end for c in cands):
            continue
        sent = next((x.index for x in an.sents if x.start <= s < x.end), None)
        if sent is None:
            continue
        entry = pack.lookup(m.group("place"))
        if entry is not None:
            if entry.type == "PLACE":
                out.append(Cand(s, e, "PLACE", "lexicon", sent, lex_id=entry.id))
            continue
        out.append(Cand(s, e, "PLACE", "ner", sent, ner_label="GPE"))
    return out


def find_mentions(an: Analysis) -> None:
    """Fill ``an.sents[*].toks`` and ``an.cands`` (unresolved candidates)."""
    pack = load_pack()
    text = an.text
    cands: list[Cand] = []
    has_script = any("\u0600" <= ch <= "\u06ff" or "\u4e00" <= ch <= "\u9fff" for ch in text)
    if an.english:
        nlp = get_nlp()
        an.statistical = nlp.statistical
        docs = nlp.nlp.pipe([s.text for s in an.sents])
        for info, sd in zip(an.sents, docs, strict=True):
            info.toks = tokens_from_spacy(sd, info.start)
            base = _spacy_cands(sd, info.start, info.index, text, pack)
            st = _Sent(info, base, pack)
            persons = _title_persons(st, text) + _org_title_persons(st, text)
            lex = [c for c in base if c.source == "lexicon"]
            chunk = [c for c in _chunks(st, text) if _chunk_allowed(c, lex)]
            if _is_headline(info):
                # Title Case headlines fool NER and the chunker: keep lexicon and persons
                base = [c for c in base if c.source == "lexicon" or c.label == "PERSON"]
                chunk = []
            roles: list[tuple[int | None, int | None]] = [
                (c.role_start, c.role_end) for c in persons if c.role_start is not None
            ]
            base = [
                c
                for c in base
                if c.source == "lexicon"
                or not any(
                    a is not None
                    and b is not None
                    and a < c.end
                    and c.start < b
                    and not (a <= c.start and c.end <= b)
                    for a, b in roles
                )
            ]
            base = [c for c in base if not _title_fragment(c, roles, text)]
            merged = _merge(base + persons + chunk)
            merged = sorted(merged + _paren_places(merged, text, pack), key=lambda c: c.start)
            st2 = _Sent(info, merged, pack)
            _post_roles(st2, text, [c for c in merged if c.label == "PERSON"])
            taken: list[tuple[int, int]] = [(c.start, c.end) for c in merged]
            for c in merged:
                if c.role_start is not None and c.role_end is not None:
                    taken.append((c.role_start, c.role_end))
            refs = _role_refs(st2, text, taken)
            cands.extend(merged + refs)
    if an.english:
        cands.extend(_surname_mentions(an, cands, pack))
        cands.extend(_dateline_places(an, cands, pack))
    if has_script:
        script = _script_cands(text, an.sents, pack)
        cands = _merge(cands + script)
    an.cands = sorted(cands, key=lambda c: (c.start, c.end))


def lexicon_key(surface: str) -> str:
    """Normalised lookup key of a surface form (exposed for tests)."""
    return norm_key(surface)
