"""Entity pass against plain ``en_core_web_sm`` on CoNLL-style sentences (issue 17).

Gold: ``eval/gold/entities_conll/*.json``, short newswire sentences written for
this project (sports results with countries in parentheses, "U.S." / "U.K.",
agency datelines, all-caps headlines, lists of names) with PER / ORG / LOC
exact character spans, following CoNLL-2003 conventions (demonyms and other
MISC are not annotated).

Each sentence is one document. Scored by exact span and type, per type and
overall (micro), for two systems on the same sentences:

- ``corridor``: Corridor's entity pass (``corridor.extract.analyse``: lexicon
  ruler, NER, titles, chunks, resolution); PERSON -> PER, ORG -> ORG,
  PLACE -> LOC (countries, cities, places), PROJECT and role-only references
  ("the President") are not CoNLL entities and are dropped;
- ``spacy``: the plain statistical pipeline, no ruler; PERSON -> PER,
  ORG -> ORG, GPE / LOC / FAC -> LOC, NORP and the rest dropped.

Reproduce::

    .venv/bin/python eval/entity_eval.py
    .venv/bin/python eval/entity_eval.py --show-errors
    .venv/bin/python eval/entity_eval.py --min-margin 0   # fail if corridor F1 < spacy F1

Exit status 1 when ``--min-margin`` is given and corridor's overall F1 minus
spaCy's is below it.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import Any

GOLD_DIR = Path(__file__).resolve().parent / "gold" / "entities_conll"
TYPES = ("PER", "ORG", "LOC")
CORRIDOR_MAP = {"PERSON": "PER", "ORG": "ORG", "PLACE": "LOC"}
SPACY_MAP = {"PERSON": "PER", "ORG": "ORG", "GPE": "LOC", "LOC": "LOC", "FAC": "LOC"}

Span = tuple[int, int, str]


def load_gold(folder: Path = GOLD_DIR) -> list[dict[str, Any]]:
    sents: list[dict[str, Any]] = []
    for path in sorted(folder.glob("*.json")):
        sents.extend(json.loads(path.read_text(encoding="utf-8"))["sentences"])
    return sents


def corridor_spans(text: str) -> set[Span]:
    from corridor.document import Document
    from corridor.extract import analyse

    doc = Document(source_key="entity-eval", text=text, published=None, lang="en")
    analyse(doc)
    out: set[Span] = set()
    for m in doc.mentions:
        typ = CORRIDOR_MAP.get(m.label)
        if typ is None or not m.text[:1].isupper():
            continue  # "the President": a role reference, not a name
        out.add((m.start, m.end, typ))
    return out


def spacy_spans(nlp: Any, text: str) -> set[Span]:
    out: set[Span] = set()
    for ent in nlp(text).ents:
        typ = SPACY_MAP.get(ent.label_)
        if typ is not None:
            out.add((ent.start_char, ent.end_char, typ))
    return out


def load_plain_spacy() -> Any:
    import spacy

    from corridor.extract._nlp import MODEL_PACKAGES

    for name in MODEL_PACKAGES:
        try:
            return spacy.load(name)
        except (OSError, ImportError):
            continue
    raise SystemExit(f"no English spaCy model installed ({', '.join(MODEL_PACKAGES)})")


def score(gold: list[set[Span]], pred: list[set[Span]]) -> dict[str, tuple[int, int, int]]:
    counts: dict[str, tuple[int, int, int]] = {}
    for typ in (*TYPES, "ALL"):
        tp = fp = fn = 0
        for g, p in zip(gold, pred, strict=True):
            gs = {s for s in g if typ in ("ALL", s[2])}
            ps = {s for s in p if typ in ("ALL", s[2])}
            tp += len(gs & ps)
            fp += len(ps - gs)
            fn += len(gs - ps)
        counts[typ] = (tp, fp, fn)
    return counts


def prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--show-errors", action="store_true", help="list misses and false hits")
    ap.add_argument(
        "--min-margin",
        type=float,
        default=None,
        metavar="X",
        help="fail (exit 1) when corridor F1 - spacy F1 < X",
    )
    args = ap.parse_args(argv)
    os.environ.setdefault("CORRIDOR_NLP", "model")
    sents = load_gold()
    gold = [{(e["start"], e["end"], e["type"]) for e in s["entities"]} for s in sents]
    plain = load_plain_spacy()
    systems = {
        "corridor": [corridor_spans(s["text"]) for s in sents],
        "spacy": [spacy_spans(plain, s["text"]) for s in sents],
    }
    n_ents = sum(len(g) for g in gold)
    print(f"entity eval: {len(sents)} sentences, {n_ents} gold entities in {GOLD_DIR}")
    print(f"{'system':<10}{'type':<6}{'P':>7}{'R':>7}{'F1':>7}{'tp':>5}{'fp':>5}{'fn':>5}")
    overall: dict[str, float] = {}
    for name, pred in systems.items():
        for typ, (tp, fp, fn) in score(gold, pred).items():
            p, r, f = prf(tp, fp, fn)
            print(f"{name:<10}{typ:<6}{p:7.3f}{r:7.3f}{f:7.3f}{tp:5d}{fp:5d}{fn:5d}")
            if typ == "ALL":
                overall[name] = f
        empty = sum(1 for g, p in zip(gold, pred, strict=True) if g and not p)
        print(f"{name:<10}sentences with gold entities but none found: {empty}")
    if args.show_errors:
        for name, pred in systems.items():
            print(f"--- {name} errors")
            for s, g, p in zip(sents, gold, pred, strict=True):
                text = s["text"]
                for a, b, t in sorted(g - p):
                    print(f"  {s['id']} FN {t} {text[a:b]!r}")
                for a, b, t in sorted(p - g):
                    print(f"  {s['id']} FP {t} {text[a:b]!r}")
    margin = overall["corridor"] - overall["spacy"]
    print(
        f"OVERALL F1 corridor {overall['corridor']:.3f} spacy {overall['spacy']:.3f} "
        f"(margin {margin:+.3f})"
    )
    print("reproduce: .venv/bin/python eval/entity_eval.py")
    if args.min_margin is not None and margin < args.min_margin:
        print(f"FAIL: margin {margin:+.3f} < {args.min_margin}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
