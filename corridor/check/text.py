"""Surface analysis of a claim or an evidence text: the parts a pair judge aligns.

Language-light and deterministic: content words (crudely stemmed), numbers
with their unit, ordinals with the noun they count, years and dates, negation
cues with what they scope over, action verbs with a polarity (so "refused"
and "expressed willingness" can be told apart), title phrases ("Deputy Prime
Minister") and venue phrases ("in Islamabad", "at the Aiwan-e-Sadr").
English only; other scripts get content words and numbers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from ..domain import words

__all__ = [
    "ACTION_GROUPS",
    "Quantity",
    "Ordinal",
    "DateMention",
    "Negation",
    "Action",
    "TextFacts",
    "analyse_text",
    "content_words",
    "stem",
]

STOPWORDS = words.word_set("check", "stopwords")

_IRREGULAR: dict[str, str] = words.word_map("check", "irregular_stems")


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """A crude English stem: enough to match "agreed"/"agree", "meetings"/"meeting"."""
    w = word.lower().strip("'’")
    if w in _IRREGULAR:
        return _IRREGULAR[w]
    if len(w) <= 3 or not w.isalpha():
        return w
    for suffix, repl, minlen in (
        ("ational", "ate", 8), ("isation", "ise", 8), ("ization", "ise", 8), ("ations", "ate", 7),
        ("ation", "ate", 6), ("nesses", "", 8), ("ness", "", 6), ("ments", "", 7),
        ("ment", "", 6), ("ingly", "", 7), ("ings", "", 6), ("ing", "", 5), ("ies", "y", 5),
        ("ied", "y", 5), ("sses", "ss", 5), ("edly", "", 6), ("ed", "", 5), ("ly", "", 5),
        ("es", "", 5), ("s", "", 4),
    ):
        if w.endswith(suffix) and len(w) >= minlen:
            if suffix == "s" and w.endswith(("ss", "us", "is")):
                continue
            w = w[: len(w) - len(suffix)] + repl
            break
    if len(w) > 4 and w[-1] == w[-2] and w[-1] not in "lsz":
        w = w[:-1]  # planned -> plann -> plan
    if w.endswith("ise") or w.endswith("ize"):
        w = w[:-3] + "is"
    return w.rstrip("e") if len(w) > 4 else w


_WORD = re.compile(r"[^\W_]+(?:[-'’][^\W_]+)*", re.UNICODE)


def content_words(text: str) -> list[str]:
    """Stems of the content words of ``text``, in order (duplicates kept)."""
    out = []
    for m in _WORD.finditer(text):
        token = m.group(0)
        token = re.sub(r"['’]s$", "", token)
        for part in re.split(r"[-'’]", token) if "-" in token else [token]:
            low = part.lower()
            if not low or low in STOPWORDS or low in ("s",):
                continue
            if low.isdigit() and len(low) < 2:
                continue
            out.append(stem(low))
    return out


# -- numbers ------------------------------------------------------------------
_UNITS_WORDS: dict[str, int] = words.word_map("check", "number_words")
_ORDINAL_WORDS: dict[str, int] = words.word_map("check", "ordinal_words")
_SCALE: dict[str, float] = words.word_map("check", "scale_words")
_CURRENCY_WORDS: dict[str, str] = words.word_map("check", "currency_words")
_MONTHS = {m: i for i, m in enumerate(
    [
        "january", "february", "march", "april", "may", "june", "july", "august", "september",
        "october", "november", "december"
    ], 1)}
_MONTHS.update({m[:3]: i for m, i in list(_MONTHS.items())})
_MONTHS["sept"] = 9


@dataclass(frozen=True)
class Quantity:
    value: float
    unit: str  # stem of the counted noun, "usd"/"pkr"/... for money, "percent", "" unknown
    text: str
    start: int

    @property
    def money(self) -> bool:
        return self.unit in ("usd", "pkr", "cny", "eur", "gbp")


@dataclass(frozen=True)
class Ordinal:
    value: int
    head: str  # stem of the noun it orders ("meet" for "fourth meeting"), "" unknown
    text: str
    start: int


@dataclass(frozen=True)
class DateMention:
    year: int | None
    month: int | None
    day: int | None
    text: str
    start: int


@dataclass(frozen=True)
class Negation:
    cue: str
    start: int
    scope: tuple[str, ...]  # content-word stems the cue governs (up to the clause end)


@dataclass(frozen=True)
class Action:
    group: str  # e.g. "accept/refuse"
    polarity: int  # +1 or -1
    text: str
    start: int


# (group name, positive forms, negative forms); forms are stems of single words or
# phrases of stems; matching is on the stemmed token sequence.
ACTION_GROUPS: tuple[tuple[str, tuple[str, ...], tuple[str, ...]], ...] = tuple(
    (group, tuple(positive), tuple(negative))
    for group, positive, negative in words.word_rows("check", "action_groups")
)

_NEG_CUES = re.compile(
    r"\b(?:not|no|never|n't|neither|nor|without|none|nothing|nobody|cannot|"
    r"rather than|instead of|but not|other than|except|excluding|failed to|fail to|"
    r"lack of|absence of)\b|n['’]t\b",
    re.IGNORECASE,
)
_CLAUSE_END = re.compile(r"[.;:!?]|,\s*(?:but|while|whereas|and)\b|\bbut\b")

# "in Islamabad", "at the Aiwan-e-Sadr", "held in Beijing"
_VENUE = re.compile(
    r"\b(?:in|at)\s+(?:the\s+)?"
    r"([A-Z][\w'’\-]+(?:\s+(?:of\s+|the\s+)?[A-Z][\w'’\-]+)*)"
)


@dataclass
class TextFacts:
    text: str
    words: list[str] = field(default_factory=list)  # content stems, in order
    quantities: list[Quantity] = field(default_factory=list)
    ordinals: list[Ordinal] = field(default_factory=list)
    dates: list[DateMention] = field(default_factory=list)
    negations: list[Negation] = field(default_factory=list)
    actions: list[Action] = field(default_factory=list)
    titles: list[tuple[str, int]] = field(default_factory=list)  # (title phrase, start)
    venues: list[tuple[str, int, str]] = field(default_factory=list)  # (place, start, "in"/"at")
    future: bool = False

    @property
    def years(self) -> set[int]:
        return {d.year for d in self.dates if d.year is not None}


def _tokens(text: str) -> list[tuple[str, int, int]]:
    return [(m.group(0), m.start(), m.end()) for m in re.finditer(
        r"US\$|[$€£¥]|\d+(?:st|nd|rd|th)\b|\d+-[^\W\d_]+|\d[\d,]*(?:\.\d+)?(?![\w])|"
        r"[^\W_]+(?:[-'’][^\W_]+)*|%", text)]


def _next_noun(toks: list[tuple[str, int, int]], i: int, window: int = 4) -> str:
    """The stem of the head of the noun phrase after token ``i`` ("" when none).

    The phrase runs until a stop word or punctuation; its head is its last
    word that does not look like a verb form: "fourth JWG-ICC meeting of" ->
    "meet", "15th Five-Year Plan" -> "plan", "three-day state visit" -> "visit".
    """
    words: list[str] = []
    prev_end = toks[i][2]
    for tok, s, e in toks[i + 1 : i + 1 + window]:
        low = tok.lower()
        if s - prev_end > 1 or low in STOPWORDS or not any(c.isalpha() for c in tok):
            break
        words.append(low)
        prev_end = e
    nouns = [w for w in words
             if not (w.endswith("ed") or (w in _IRREGULAR and w != "talks")) or w == words[0]]
    if not nouns:
        return ""
    return stem(nouns[-1].split("-")[-1])


def _parse_number(tok: str) -> float | None:
    t = tok.replace(",", "")
    try:
        return float(t)
    except ValueError:
        return _UNITS_WORDS.get(tok.lower())


def _quantities(text: str, toks: list[tuple[str, int, int]]) -> list[Quantity]:
    out: list[Quantity] = []
    skip: set[int] = set()
    for i, (tok, start, _end) in enumerate(toks):
        if i in skip:
            continue
        low = tok.lower()
        parts = low.split("-")
        hyphen_unit = ""
        value: float | None
        if low in _ORDINAL_WORDS:
            continue  # "seventy-fifth": an ordinal, not seventy of something
        if len(parts) == 2 and parts[0] in _UNITS_WORDS and parts[1] not in _UNITS_WORDS:
            value, hyphen_unit = float(_UNITS_WORDS[parts[0]]), stem(parts[1])  # "five-day"
        elif len(parts) == 2 and parts[0].isdigit():
            value, hyphen_unit = float(parts[0]), stem(parts[1])  # "5-day"
        elif len(parts) == 2 and parts[0] in _UNITS_WORDS and parts[1] in _UNITS_WORDS:
            value = float(_UNITS_WORDS[parts[0]] + _UNITS_WORDS[parts[1]])  # "twenty-five"
        else:
            value = _parse_number(tok)
        if value is None:
            continue
        if low in ("one",) and not hyphen_unit:
            continue  # "one of the", "one another": rarely a count worth aligning
        if re.fullmatch(r"(?:19|20)\d\d", tok) and not hyphen_unit:
            continue  # a year
        j = i
        if not hyphen_unit and j + 1 < len(toks) and toks[j + 1][0].lower() in _SCALE:
            value *= _SCALE[toks[j + 1][0].lower()]
            j += 1
        currency = ""
        if i > 0 and toks[i - 1][0].lower() in _CURRENCY_WORDS and toks[i - 1][2] >= start - 1:
            currency = _CURRENCY_WORDS[toks[i - 1][0].lower()]
        unit = hyphen_unit
        if not unit and j + 1 < len(toks):
            nxt = toks[j + 1][0].lower()
            if nxt in _CURRENCY_WORDS:
                currency = currency or _CURRENCY_WORDS[nxt]
                j += 1
            elif nxt in ("%", "percent") or (nxt == "per" and j + 2 < len(toks)
                                               and toks[j + 2][0].lower() == "cent"):
                unit = "percent"
            elif not currency:
                unit = _next_noun(toks, j, window=3)
        unit = currency or unit
        skip.update(range(i, j + 1))
        out.append(Quantity(value, unit, text[start:toks[j][2]], start))
    return out


_THIRD_IDIOMS = frozenset({"party", "parties", "country", "countries", "world", "person",
                           "persons"})
#: a stage or edition numbered in Roman figures: "Phase-II", "Phase II", "CPEC-II"
_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "v": 5, "vi": 6, "vii": 7, "viii": 8, "ix": 9,
          "x": 10}
_ROMAN_SERIES = re.compile(r"([A-Za-z][\w]*)-(I{1,3}|IV|VI{0,3}|IX|X)")


def _roman(toks: list[tuple[str, int, int]], i: int) -> Ordinal | None:
    """"Phase-III" (one token) or "Phase III" (a capitalised word, then the numeral)."""
    tok, start, _end = toks[i]
    m = _ROMAN_SERIES.fullmatch(tok)
    if m:
        return Ordinal(_ROMAN[m.group(2).lower()], stem(m.group(1).lower()), tok, start)
    if (tok.isupper() and tok.lower() in _ROMAN and tok != "I" and i > 0
            and toks[i - 1][0][:1].isupper() and toks[i - 1][2] == start - 1):
        prev = toks[i - 1][0]
        return Ordinal(_ROMAN[tok.lower()], stem(prev.lower()), f"{prev} {tok}",
                       toks[i - 1][1])
    return None


def _title_case(toks: list[tuple[str, int, int]]) -> bool:
    """Is the text a headline in title case (most of its longer words capitalised)?"""
    words = [t for t, _, _ in toks if len(t) >= 4 and t[:1].isalpha()]
    return bool(words) and sum(t[:1].isupper() for t in words) >= 0.7 * len(words)


def _opens_a_name(toks: list[tuple[str, int, int]], i: int, title_case: bool) -> bool:
    """A capitalised ordinal word followed by two or more capitalised words, none of
    them a thing a series counts, begins a name ("First Motion Picture Unit"); outside
    a headline in title case ("Ports Hold Fourth Council Talks") and unless the name is
    a meeting's ("Fourth Harbour Council Meeting" is a count)."""
    if title_case or not toks[i][0][:1].isupper():
        return False
    run = []
    for t, _, _ in toks[i + 1:i + 7]:
        if not (t[:1].isupper() and t[:1].isalpha()):
            break
        run.append(t.lower())
    return len(run) >= 2 and not any(t in _SERIES_NOUNS for t in run)


#: what an ordinal counts when it is no name: "Fourth Meeting", "Ninth Asian Winter Games"
_SERIES_NOUNS = frozenset({
    "meeting", "meetings", "session", "sessions", "round", "summit", "conference", "dialogue",
    "edition", "anniversary", "plenum", "plenary", "forum", "congress", "visit", "term",
    "phase", "stage", "review", "talks", "consultation", "consultations", "games", "meet",
    "ceremony", "expo", "exhibition", "festival", "joint", "working", "asian", "annual",
    "strategic", "high-level", "ministerial", "trilateral", "bilateral", "international",
    "national", "world", "five-year", "plan", "general", "regular", "special", "extraordinary",
})


def _ordinals(toks: list[tuple[str, int, int]]) -> list[Ordinal]:
    out = []
    title_case = _title_case(toks)
    for i, (tok, start, _end) in enumerate(toks):
        low = tok.lower()
        roman = _roman(toks, i)
        if roman is not None:
            out.append(roman)
            continue
        m = re.fullmatch(r"(\d+)(?:st|nd|rd|th)", low)
        value = int(m.group(1)) if m else _ORDINAL_WORDS.get(low)
        if value is None:
            continue
        if low == "second" and i + 1 < len(toks) and toks[i + 1][0].lower() in ("hand",):
            continue
        if low == "third" and i + 1 < len(toks) and toks[i + 1][0].lower() in _THIRD_IDIOMS:
            continue  # "third parties", "third countries": others, not a count
        if _opens_a_name(toks, i, title_case):
            continue  # "First Motion Picture Unit", "Second Thomas Shoal": a name
        # "the first time", "first of all" are not counts of an event
        out.append(Ordinal(value, _next_noun(toks, i), tok, start))
    return out


def _dates(text: str) -> list[DateMention]:
    out: list[DateMention] = []
    taken: list[tuple[int, int]] = []
    months = "|".join(sorted(_MONTHS, key=len, reverse=True))
    patterns = (
        rf"\b(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<m>{months})\.?,?\s+(?P<y>\d{{4}})\b",
        rf"\b(?P<m>{months})\.?\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<y>\d{{4}})\b",
        rf"\b(?P<m>{months})\.?,?\s+(?P<y>\d{{4}})\b",
        rf"\b(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<m>{months})\b",
        rf"\b(?P<m>{months})\.?\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\b",
        r"\b(?P<y>\d{4})-(?P<mm>\d{2})-(?P<d>\d{2})\b",
        # a decade ("the 1970's", "1970s") is no year
        r"\b(?P<y>(?:19|20)\d{2})\b(?!\s?['’]s\b)",
    )
    for pat in patterns:
        for m in re.finditer(pat, text, flags=re.IGNORECASE):
            if any(s < m.end() and m.start() < e for s, e in taken):
                continue
            g = m.groupdict()
            month = None
            if g.get("m"):
                word = g["m"].lower()
                if word == "may" and not g.get("d") and not g.get("y"):
                    continue
                if word in ("may", "march") and not text[m.start("m")].isupper():
                    continue  # "may" the verb, "march" the noun
                month = _MONTHS[word]
            elif g.get("mm"):
                month = int(g["mm"])
            day = int(g["d"]) if g.get("d") else None
            year = int(g["y"]) if g.get("y") else None
            if day is not None and not 1 <= day <= 31:
                continue
            taken.append((m.start(), m.end()))
            out.append(DateMention(year, month, day, m.group(0), m.start()))
    return sorted(out, key=lambda d: d.start)


def _negations(text: str) -> list[Negation]:
    out = []
    for m in _NEG_CUES.finditer(text):
        cue = m.group(0).lower()
        if cue == "no" and re.match(r"\s*(?:doubt|longer)\b", text[m.end():]):
            continue
        if cue in ("not",) and re.match(r"\s+only\b", text[m.end():]):
            continue  # "not only ... but also"
        rest = text[m.end():]
        end = _CLAUSE_END.search(rest)
        scope = rest[: end.start()] if end else rest
        out.append(Negation(cue, m.start(), tuple(content_words(scope)[:8])))
    return out


@lru_cache(maxsize=1)
def _action_index() -> list[tuple[tuple[str, ...], str, int]]:
    out = []
    for group, pos, neg in ACTION_GROUPS:
        for forms, pol in ((pos, 1), (neg, -1)):
            for f in forms:
                out.append((tuple(f.split()), group, pol))
    out.sort(key=lambda x: -len(x[0]))
    return out


@lru_cache(maxsize=1)
def _action_heads() -> dict[str, list[tuple[int, tuple[str, ...], str, int]]]:
    """The action forms keyed by their first word, each with its rank in
    ``_action_index`` (longest forms first: the first match wins)."""
    heads: dict[str, list[tuple[int, tuple[str, ...], str, int]]] = {}
    for rank, (forms, group, pol) in enumerate(_action_index()):
        heads.setdefault(forms[0], []).append((rank, forms, group, pol))
    return heads


def _word_fits(word: str, form: str) -> bool:
    """Is ``word`` (a stem) a form of ``form``: the form itself, or (forms of 4+ letters)
    the form with an ending, except a comparative's or a doer's ("closer" is no
    "close", "leader" no "lead")?"""
    return word == form or (len(form) >= 4 and word.startswith(form)
                            and word[len(form):] not in ("er", "est", "r", "st"))


def _actions(toks: list[tuple[str, int, int]], text: str) -> list[Action]:
    """Action phrases: a form matches a run of token stems, each stem equal to its form
    word or (forms of 4+ letters) starting with it. Forms are looked up by the first
    word's stem and its prefixes, not tried one by one at every token."""
    stems = [stem(t[0].lower()) for t in toks]
    heads = _action_heads()
    out: list[Action] = []
    used: set[int] = set()
    for i, w in enumerate(stems):
        if i in used:
            continue
        keys = [w] + [w[:k] for k in range(4, len(w))]
        found = sorted(c for key in keys for c in heads.get(key, ()))
        for _rank, forms, group, pol in found:
            n = len(forms)
            if i + n > len(stems):
                continue
            if all(_word_fits(x, f) for x, f in zip(stems[i:i + n], forms, strict=True)):
                used.update(range(i, i + n))
                out.append(Action(group, pol, text[toks[i][1]:toks[i + n - 1][2]], toks[i][1]))
                break
    return out


@lru_cache(maxsize=1)
def _title_regex() -> re.Pattern[str]:
    from ..domain import load_pack

    titles = load_pack().titles
    phrases = set(titles.heads) | set(titles.role_nouns)
    quals = r"(?:(?:Deputy|Vice|Assistant|Acting|Former|Additional|Special|State|Chief|Senior|" \
            r"Junior|Federal|Provincial|Interim|Caretaker)[\s\-]+)*"
    body = "|".join(re.escape(p) for p in sorted(phrases, key=len, reverse=True))
    return re.compile(rf"\b{quals}(?:{body})\b(?:\s+(?:for|of)\s+(?:the\s+)?"
                      rf"[A-Z][\w&]*(?:\s+(?:and\s+)?[A-Z][\w&]*){{0,4}})?")


def _titles(text: str) -> list[tuple[str, int]]:
    return [(m.group(0), m.start()) for m in _title_regex().finditer(text)]


_EVENT_AFTER = re.compile(r"\s+(?:meetings?|talks|summits?|sessions?|conferences?|forums?|"
                          r"dialogues?|ceremon(?:y|ies)|events?|consultations?|visits?)\b",
                          re.IGNORECASE)


#: a post held in a place: "Pakistan's envoy in Beijing", "the embassy in Islamabad"
_POST_BEFORE = re.compile(r"\b(?:envoys?|ambassadors?|embass(?:y|ies)|consul(?:ate)?s?|"
                          r"consuls?[\s\-]general|correspondents?|missions?|high commissions?|"
                          r"high commissioners?|representatives?|charg[eé]s? d['’]affaires)"
                          r"\s*$", re.IGNORECASE)


#: a building or compound named after its owner: "at the IDCPC headquarters" is a venue
#: of its own, not "at the IDCPC"
_BUILDINGS = r"headquarters|offices?|residence|secretariat|compound|campus|premises|building"
_BUILDING_AFTER = re.compile(rf"\s+({_BUILDINGS})\b")
BUILDING_END = re.compile(rf"\s(?:{_BUILDINGS})$")


def _venues(text: str) -> list[tuple[str, int, str]]:
    out = []
    for m in _VENUE.finditer(text):
        phrase = m.group(1).strip()
        building = _BUILDING_AFTER.match(text, m.end(1))
        if building:
            phrase = f"{phrase} {building.group(1)}"
        if _POST_BEFORE.search(text, 0, m.start()):
            continue  # "the envoy in Beijing": where a post is held, not where it happened
        if re.search(r"['’]s$", phrase):
            continue  # "at Tarar's meeting": a possessive, not a place
        if not phrase or phrase.lower() in _MONTHS or re.fullmatch(r"\d+", phrase):
            continue
        if _EVENT_AFTER.match(text, m.end(1)):
            continue  # "at the Tarar-Cao meeting", "in the SCO summit": an event, not a place
        prep = "at" if m.group(0).lower().startswith("at") else "in"
        out.append((phrase, m.start(1), prep))
    return out


#: things listed one by one under the same noun: "a growth corridor, an innovation
#: corridor, ... and an open corridor"
_ENUMERATION = re.compile(
    r"\b(?:a|an)\s+(?:[\w’'-]+\s+){0,2}?([a-z]{3,})"
    r"(?:,\s+(?:a|an)\s+(?:[\w’'-]+\s+){0,2}?\1\b)+,?\s+and\s+(?:a|an)\s+"
    r"(?:[\w’'-]+\s+){0,2}?\1\b")


def _enumerations(text: str) -> list[Quantity]:
    """A count stated by listing: three or more things named one by one under the same
    noun are that many of it ("a growth corridor, ..., and an open corridor": five
    corridors), which a claim's "four corridors" can be held against."""
    out = []
    for m in _ENUMERATION.finditer(text):
        noun = m.group(1)
        n = len(re.findall(rf"\b{noun}\b", m.group(0)))
        if n >= 3:
            out.append(Quantity(n, stem(noun), m.group(0), m.start()))
    return out


_FUTURE = re.compile(r"\b(?:will|shall|would be held|to be held|next|upcoming|forthcoming|"
                     r"plans? to|is set to|are set to|scheduled)\b", re.IGNORECASE)


def analyse_text(text: str) -> TextFacts:
    """The alignable parts of ``text`` (a claim or one or more evidence sentences)."""
    toks = _tokens(text)
    dates = _dates(text)
    in_date = [(d.start, d.start + len(d.text)) for d in dates]
    quantities = [q for q in _quantities(text, toks)
                  if not any(s <= q.start < e for s, e in in_date)] + _enumerations(text)
    return TextFacts(
        text=text,
        words=content_words(text),
        quantities=quantities,
        ordinals=_ordinals(toks),
        dates=dates,
        negations=_negations(text),
        actions=_actions(toks, text),
        titles=_titles(text),
        venues=_venues(text),
        future=bool(_FUTURE.search(text)),
    )
