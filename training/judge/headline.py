"""A news sentence rewritten the way headlines and social posts word the same fact.

Circulating claims are often headlines or posts about a report: "Pakistan,
China welcome Gaza ceasefire deal" for "The two sides welcomed the ceasefire
agreement in Gaza". A judge that has only seen claims worded like their
source sentence reads these conventions as contradictions. Each rewrite here
is a convention of English headline style that keeps what the sentence says:

- the past or perfect of the main verb becomes the present ("welcomed" ->
  "welcome", "has signed" -> "signs"); a passive drops its auxiliary ("talks
  were held" -> "talks held"); "will" becomes "to" ("will visit" -> "to visit");
- a reported statement becomes a quote attributed by a colon or a trailing
  "says" ("The minister said that X" -> "Minister: X", "X, says minister");
- articles and "also" are dropped, "A and B" as a subject becomes "A, B",
  the final full stop goes.

``contrast.py`` pairs the result with its source sentence (SUPPORTS, kind
``headline``) and, with one fact of it changed, as REFUTES
(``headline-<edit>``), so the style alone never gives the label away.
"""

from __future__ import annotations

import random
from typing import Any

#: verbs that report a statement ("X said that Y")
REPORTING = {"say", "affirm", "stress", "note", "add", "state", "emphasize", "emphasise",
             "underline", "reiterate", "assert", "insist", "remark", "observe", "maintain",
             "announce", "declare", "confirm", "point", "highlight", "underscore", "tell"}
_IRREGULAR_3SG = {"be": "is", "have": "has", "do": "does", "go": "goes"}
_IRREGULAR_PLURAL = {"be": "are"}


def lemma_of(verb: Any) -> str:
    """The verb's lemma, mended where the tagger's rule strips a silent e: a short stem
    whose past is written with one consonant keeps its e ("hoped" is "hope", not "hop",
    whose past is "hopped")."""
    lemma = str(verb.lemma_).lower()
    text = str(verb.text).lower()
    vowels = "aeiou"
    if (len(lemma) == 3 and text == lemma + "ed" and lemma[0] not in vowels
            and lemma[1] in vowels and lemma[2] not in vowels + "wxy"):
        return lemma + "e"
    return lemma


def present(lemma: str, plural: bool) -> str:
    """The present tense of a verb from its lemma (third person)."""
    if plural:
        return _IRREGULAR_PLURAL.get(lemma, lemma)
    if lemma in _IRREGULAR_3SG:
        return _IRREGULAR_3SG[lemma]
    if lemma.endswith(("s", "x", "z", "ch", "sh", "o")):
        return lemma + "es"
    if len(lemma) > 2 and lemma.endswith("y") and lemma[-2] not in "aeiou":
        return lemma[:-1] + "ies"
    return lemma + "s"


def _plural(subject: Any) -> bool:
    return subject.tag_ in ("NNS", "NNPS") or subject.lower_ in ("they", "we") or any(
        c.dep_ == "conj" for c in subject.children)


def _render(tokens: list[Any], repl: dict[int, str]) -> str:
    out = []
    for t in tokens:
        text = repl.get(t.i, t.text)
        if text:
            out.append(text + t.whitespace_)
        elif out and not t.whitespace_:
            out[-1] = out[-1].rstrip()
    return "".join(out).strip()


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def _tidy(text: str) -> str:
    text = " ".join(text.split()).rstrip(" .")
    return text.replace(" ,", ",").replace(",,", ",")


def _child(head: Any, *deps: str) -> Any:
    """The first dependent of ``head`` with one of the relations ``deps``, or None."""
    return next((c for c in head.children if c.dep_ in deps), None)


def _restyle(tokens: list[Any], root: Any, repl: dict[int, str]) -> None:
    """Articles, "also" and the subject's "and" (in place)."""
    for t in tokens:
        if (t.lower_ in ("the", "a", "an") and t.dep_ == "det") or (
                t.lower_ == "also" and t.dep_ == "advmod"):
            repl[t.i] = ""
    subj = _child(root, "nsubj", "nsubjpass")
    if subj is not None:
        for t in subj.subtree:
            if t.dep_ == "cc" and t.lower_ == "and" and t.head == subj:
                repl[t.i] = ""
                prev = t.doc[t.i - 1]
                if prev.i >= subj.left_edge.i and prev.text != ",":
                    repl[prev.i] = repl.get(prev.i, prev.text) + ","


def _tense(root: Any, repl: dict[int, str]) -> bool:
    """The main verb (and verbs conjoined with it) in headline tense; False when the
    sentence is not a plain past, perfect, passive or future report."""
    subj = _child(root, "nsubj", "nsubjpass")
    if subj is None or root.pos_ not in ("VERB", "AUX") or subj.i > root.i or (
            root.i > 0 and root.doc[root.i - 1].text == "-"):
        return False
    auxes = [c for c in root.children if c.dep_ in ("aux", "auxpass")]
    words = {a.lower_ for a in auxes}
    if words & {"would", "could", "should", "might", "may", "must", "can", "did", "does",
                "do", "had"} or any(c.dep_ == "neg" for c in root.children):
        return False
    plural = _plural(subj)
    if any(a.dep_ == "auxpass" for a in auxes):
        if words - {"was", "were", "has", "have", "been", "is", "are"}:
            return False
        for a in auxes:
            repl[a.i] = ""  # "talks were held" -> "talks held"
        return True
    if "will" in words:
        if words != {"will"}:
            return False
        for a in auxes:
            repl[a.i] = "to"  # "will visit" -> "to visit"
        return True
    if words and words - {"has", "have"}:
        return False
    if root.tag_ not in ("VBD", "VBN"):
        return False
    for a in auxes:
        repl[a.i] = ""
    for v in (root, *[c for c in root.children if c.dep_ == "conj" and c.tag_ in ("VBD", "VBN")]):
        word = present(lemma_of(v), plural)
        repl[v.i] = _cap(word) if v.text[:1].isupper() else word
    return True


def _quoted(tokens: list[Any], root: Any, rng: random.Random) -> str | None:
    """"X said that Y" -> "X: Y" or "Y, says X"; None when the sentence is no such report."""
    if root.lemma_.lower() not in REPORTING or root.tag_ != "VBD":
        return None
    subj = _child(root, "nsubj")
    comp = _child(root, "ccomp")
    if subj is None or comp is None or subj.i > root.i or comp.i < root.i:
        return None
    if subj.lower_ in ("he", "she", "it", "they", "we", "i", "this", "that"):
        return None
    rest = [c for c in root.children if c not in (subj, comp) and c.dep_ not in ("punct",)
            and not (c.dep_ == "advmod" and c.lower_ == "also")]
    if rest:
        return None
    repl: dict[int, str] = {}
    _restyle(tokens, root, repl)
    span = list(comp.subtree)
    span = [t for t in span if not (t.dep_ == "mark" and t.lower_ == "that" and t.head == comp)]
    clause = _tidy(_render(span, repl))
    who = _tidy(_render(list(subj.subtree), repl))
    if not clause or not who or len(clause.split()) < 3:
        return None
    if rng.random() < 0.5:
        return f"{_cap(who)}: {clause}"
    says = "say" if _plural(subj) else "says"
    return f"{_cap(clause)}, {says} {who}"


def headlined(span: Any, rng: random.Random) -> str | None:
    """The sentence (a parsed spaCy span) worded as a headline or post, or None when no
    headline convention applies to it."""
    tokens = list(span)
    root = span.root
    if any(t.dep_ == "neg" or t.lower_ in ("if", "unless", "whether", "or") for t in tokens):
        return None
    out = _quoted(tokens, root, rng) if rng.random() < 0.7 else None
    if out is None:
        repl: dict[int, str] = {}
        if not _tense(root, repl):
            return None
        _restyle(tokens, root, repl)
        out = _tidy(_render(tokens, repl))
    out = _cap(out)
    if rng.random() < 0.15:
        out += rng.choice([" 👏", " 🇵🇰", " 🇨🇳", " 🔥", " 📢", " 🤝"])
    return out if out.rstrip(".") != span.text.strip().rstrip(".") else None
