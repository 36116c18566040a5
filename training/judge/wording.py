"""Rewording lexicons for contrast pairs: same-meaning phrases, opposite phrases, titles.

The judge trained on one-word edits alone learns that any word of the claim
missing from the evidence means "refutes", and reads a paraphrase ("voiced
hope ... would ease" for "expressed optimism ... would facilitate") as a
contradiction. These tables let ``contrast.py`` reword a claim without
changing what it says (SUPPORTS), reword it and then change one fact
(REFUTES), put a phrase in its opposite's place anywhere in the claim
(REFUTES), and change a title's rank or portfolio (REFUTES).

Every entry is a fact of English news usage, written in one inflection so a
substitution keeps the sentence grammatical; no entry comes from a claim or
an article the project is evaluated on.
"""

from __future__ import annotations

import random
import re

#: groups of interchangeable phrases (same inflection within a group)
SAME = [
    ["said", "stated", "noted", "remarked"],
    ["says", "states", "notes"],
    ["met with", "held talks with", "held a meeting with"],
    ["thanked", "expressed gratitude to", "conveyed thanks to"],
    ["visited", "paid a visit to", "travelled to"],
    ["visiting", "travelling to"],
    ["expressed optimism", "voiced hope", "expressed hope", "was hopeful"],
    ["expressed confidence", "voiced confidence", "was confident"],
    ["emphasised", "emphasized", "stressed", "underlined", "underscored", "highlighted"],
    ["reaffirmed", "reiterated", "restated"],
    ["strengthen", "enhance", "bolster", "deepen", "boost"],
    ["strengthening", "enhancing", "bolstering", "deepening", "boosting"],
    ["strengthened", "enhanced", "bolstered", "deepened", "boosted"],
    ["cooperation", "collaboration"],
    ["measures", "steps", "actions"],
    ["ensure", "guarantee", "safeguard"],
    ["facilitate", "ease", "smooth", "make easier"],
    ["personnel", "staff", "employees"],
    ["discussed", "talked about", "deliberated on", "held discussions on"],
    ["help", "assist", "aid"],
    ["helped", "assisted", "aided"],
    ["backed", "supported", "endorsed"],
    ["urged", "called on", "pressed"],
    ["called for", "urged", "demanded", "pressed for"],
    ["praised", "lauded", "commended", "hailed", "applauded"],
    ["appreciated", "valued", "welcomed"],
    ["launched", "initiated", "kicked off", "started"],
    ["announced", "declared", "made public"],
    ["pledged", "vowed", "promised", "committed"],
    ["signed", "inked"],
    ["agreement", "deal", "accord", "pact"],
    ["agreements", "deals", "accords", "pacts"],
    ["bilateral", "two-way"],
    ["countries", "nations"],
    ["country", "nation"],
    ["relations", "ties"],
    ["led", "headed"],
    ["leads", "heads"],
    ["chaired", "presided over"],
    ["co-chaired", "jointly chaired"],
    ["began", "started", "commenced"],
    ["begin", "start", "commence"],
    ["ended", "concluded", "wrapped up"],
    ["arrived in", "reached", "landed in"],
    ["aims to", "seeks to", "is meant to", "intends to"],
    ["aim to", "seek to", "intend to"],
    ["large", "big", "sizeable"],
    ["quickly", "rapidly", "swiftly"],
    ["important", "significant", "key", "crucial"],
    ["major", "significant", "large-scale"],
    ["purchase", "buy", "acquire"],
    ["purchased", "bought", "acquired"],
    ["increase", "rise", "growth"],
    ["decline", "fall", "drop", "decrease"],
    ["showed", "demonstrated", "indicated"],
    ["told", "informed"],
    ["asked", "requested"],
    ["begun", "started"],
    ["completed", "finished"],
    ["completion", "finishing"],
    ["recently", "lately", "not long ago"],
    ["currently", "at present", "now"],
    ["also", "in addition", "as well"],
    ["later", "afterwards", "subsequently"],
    ["foreign minister", "minister of foreign affairs", "top diplomat"],
    ["Foreign Minister", "Minister of Foreign Affairs", "top diplomat"],
    ["Prime Minister", "premier", "head of government"],
    ["ambassador", "envoy"],
    ["Ambassador", "envoy"],
    ["officials", "authorities"],
    ["residents", "inhabitants", "locals"],
    ["people", "individuals", "persons"],
    ["killed", "left dead"],
    ["injured", "wounded", "hurt"],
    ["plan", "scheme", "programme"],
    ["project", "scheme", "undertaking"],
    ["meeting", "talks", "session"],
    ["firm", "company", "business"],
    ["children", "kids", "minors"],
    ["approximately", "about", "around", "roughly"],
    ["more than", "over", "upwards of"],
    ["fewer than", "under", "less than"],
    ["because of", "due to", "owing to", "on account of"],
    ["in order to", "so as to"],
    ["despite", "in spite of", "notwithstanding"],
]

#: phrases and their opposites (same inflection); either side may stand for the other.
#: Words whose opposite is no contradiction in most uses are left out ("named after" is
#: not refuted by "named before", "the new minister" not by "the old minister"; nor
#: before/after, first/last, more/less, early/late, earlier/later, public/secret)
OPPOSITE = [
    ("strengthen", "weaken"), ("strengthened", "weakened"), ("strengthening", "weakening"),
    ("deepen", "strain"), ("deepened", "strained"), ("boost", "hamper"), ("boosted", "hampered"),
    ("facilitate", "hinder"), ("ease", "obstruct"), ("improve", "worsen"),
    ("improved", "worsened"), ("improving", "worsening"), ("increase", "reduce"),
    ("increased", "reduced"), ("increasing", "reducing"), ("rose", "fell"), ("rise", "fall"),
    ("praised", "criticised"), ("praised", "condemned"), ("welcomed", "rejected"),
    ("supported", "opposed"), ("support", "oppose"), ("supports", "opposes"),
    ("accepted", "refused"), ("approved", "blocked"), ("agreed", "declined"),
    ("allowed", "prohibited"), ("won", "lost"), ("gained", "lost"), ("opened", "closed"),
    ("expanded", "scaled back"), ("expand", "scale back"), ("expansion", "reduction"),
    ("success", "failure"), ("successful", "unsuccessful"), ("succeeded", "failed"),
    ("optimism", "pessimism"), ("optimistic", "pessimistic"), ("confidence", "doubt"),
    ("hope", "fear"), ("positive", "negative"), ("friendly", "hostile"),
    ("cooperation", "rivalry"), ("peace", "conflict"), ("stability", "instability"),
    ("secure", "insecure"), ("safe", "unsafe"), ("legal", "illegal"),
    ("higher", "lower"), ("larger", "smaller"), ("largest", "smallest"),
    ("biggest", "smallest"), ("rich", "poor"),
    ("entered", "left"), ("joined", "quit"), ("began", "ended"), ("started", "stopped"),
    ("launched", "scrapped"), ("completed", "abandoned"), ("confirmed", "denied"),
    ("acquitted", "convicted"), ("hired", "dismissed"),
    ("reaffirmed", "withdrew"), ("honoured", "violated"), ("respect", "violate"),
    ("inside", "outside"), ("import", "export"), ("imports", "exports"),
    ("imported", "exported"), ("buyer", "seller"), ("lender", "borrower"),
    ("victory", "defeat"), ("winner", "loser"), ("majority", "minority"),
]

#: rank words a title may carry: dropping, adding or changing one makes another post
RANKS = ["Deputy", "Vice", "Assistant", "Acting", "Former", "Senior", "Chief", "Junior",
         "Under", "Associate"]
#: portfolios of ministries and departments
PORTFOLIOS = ["Foreign Affairs", "Commerce", "Finance", "Defence", "Interior", "Information",
              "Planning", "Education", "Health", "Energy", "Trade", "Agriculture", "Culture",
              "Justice", "Communications", "Railways", "Water Resources", "Science and Technology"]
#: heads of bodies that are different posts
HEADS = ["President", "Prime Minister", "Chairman", "Governor", "Ambassador", "Secretary",
         "Minister", "Speaker", "Director", "Mayor", "Chief Executive", "Consul General"]

_WORD = r"(?<![\w-]){}(?![\w-])"


def _pattern(phrase: str) -> re.Pattern[str]:
    return re.compile(_WORD.format(re.escape(phrase)))


_SAME = [(g, [_pattern(p) for p in g]) for g in SAME]
_OPP = [(a, b, _pattern(a), _pattern(b)) for a, b in OPPOSITE]
_RANK = re.compile(r"(?<![\w-])(" + "|".join(RANKS) + r")[ -](?=[A-Z])")
_HEAD = re.compile(r"(?<![\w-])(" + "|".join(HEADS) + r")(?![\w-])")
_PORTFOLIO = re.compile(r"(?:(?<=\bof )|(?<=\bfor ))(" + "|".join(PORTFOLIOS) + r")(?![\w-])")


def reworded(text: str, rng: random.Random, most: int = 3) -> str | None:
    """``text`` with one to ``most`` phrases put in a same-meaning phrase's place."""
    options = [(g, pats) for g, pats in _SAME if any(p.search(text) for p in pats)]
    if not options:
        return None
    rng.shuffle(options)
    out = text
    done = 0
    for group, pats in options[: rng.randint(1, most)]:
        present = [(phrase, pat) for phrase, pat in zip(group, pats, strict=True)
                   if pat.search(out)]
        if not present:
            continue
        phrase, pat = rng.choice(present)
        new = rng.choice([p for p in group if p != phrase])
        m = rng.choice(list(pat.finditer(out)))
        if m.start() == 0:
            new = new[:1].upper() + new[1:]
        out = out[: m.start()] + new + out[m.end():]
        done += 1
    return out if done and out != text else None


def opposed(text: str, rng: random.Random) -> str | None:
    """``text`` with one phrase put in its opposite's place."""
    found = []
    for a, b, pa, pb in _OPP:
        found += [(m, b) for m in pa.finditer(text)] + [(m, a) for m in pb.finditer(text)]
    if not found:
        return None
    m, new = rng.choice(found)
    if m.group(0)[:1].isupper():
        new = new[:1].upper() + new[1:]
    return text[: m.start()] + new + text[m.end():]


def retitled(text: str, rng: random.Random) -> str | None:
    """``text`` with one title made another post: its rank dropped or changed, its
    portfolio changed, or another head's title put in its place."""
    edits = []
    for m in _RANK.finditer(text):
        edits.append((m.start(), m.end(), ""))
        edits.append((m.start(), m.start() + len(m.group(1)),
                      rng.choice([r for r in RANKS if r != m.group(1)])))
    for m in _PORTFOLIO.finditer(text):
        edits.append((m.start(), m.end(), rng.choice([p for p in PORTFOLIOS if p != m.group(1)])))
    for m in _HEAD.finditer(text):
        edits.append((m.start(), m.end(), rng.choice([h for h in HEADS if h != m.group(1)])))
        if not _RANK.search(text[max(0, m.start() - 12): m.start()]):
            edits.append((m.start(), m.start(), rng.choice(RANKS[:4]) + " "))
    if not edits:
        return None
    a, b, new = rng.choice(edits)
    out = text[:a] + new + text[b:]
    out = re.sub(r"\s{2,}", " ", out)
    return out if out != text else None
