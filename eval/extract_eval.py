"""Evaluate extraction (entities, roles, events, sectors, commitments) on the own gold set.

Gold: ``eval/gold/*.json``, articles written for this project with their
annotations (see ``eval/gold/README.md`` for the guidelines). Each kind is
scored with precision / recall / F1 over all articles:

- entities     unique (type, entity id) per article
- roles        persons whose stated role matches (either contains the other)
- events       greedy one-to-one match: same type, same stated date (``date``:
               only a date the text or a dated dateline gives for the event), and
               participant-set Jaccard >= 0.5 (``events_strict``: identical sets);
               place, ordinal, inferred date (``date_inferred``: a relative phrase
               resolved) and parties (countries) accuracy over matched pairs
- sectors      (sector, supporting sentence) pairs; ``sectors_doc``: per article
- commitments  same party set, same modality, and action match (at least half
               of the gold action's content words, compared on their first five
               letters, occur in the predicted action); ``commitments_loose``
               drops the modality condition

Reproduce::

    .venv/bin/python eval/extract_eval.py                 # statistical model if installed
    .venv/bin/python eval/extract_eval.py --mode rules    # rule-only pipeline
    .venv/bin/python eval/extract_eval.py --min-f1 entities=0.9 --min-f1 events=0.8
    .venv/bin/python eval/extract_eval.py --split heldout   # articles not used while building

Exit status 1 when a ``--min-f1`` floor is not met.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

GOLD_DIR = Path(__file__).resolve().parent / "gold"
STOP = frozenset(
    [
        "a",
        "an",
        "the",
        "to",
        "of",
        "for",
        "and",
        "or",
        "in",
        "on",
        "at",
        "with",
        "by",
        "its",
        "their",
        "his",
        "her",
        "as",
        "be",
        "is",
        "was",
        "were",
        "would",
        "will",
        "that",
        "this",
        "these",
        "those",
        "from",
        "into",
        "over",
        "under",
        "between",
        "more",
    ]
)


@dataclass
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    errors: list[str] = field(default_factory=list)

    def add(self, tp: int, fp: int, fn: int) -> None:
        self.tp += tp
        self.fp += fp
        self.fn += fn

    @property
    def p(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def r(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        return 2 * self.p * self.r / (self.p + self.r) if self.p + self.r else 0.0


def load_gold(folder: Path) -> list[dict[str, Any]]:
    return [json.loads(p.read_text(encoding="utf-8")) for p in sorted(folder.glob("*.json"))]


def content_words(text: str) -> set[str]:
    words = re.findall(r"[\w\-$,.']+", text.lower())
    out = set()
    for w in words:
        w = w.strip(",.'")
        if w and w not in STOP:
            out.add(w[:5])
    return out


def action_match(gold: str, pred: str) -> bool:
    g, p = content_words(gold), content_words(pred)
    return bool(g) and len(g & p) / len(g) >= 0.5


def greedy(
    gold: list[Any], pred: list[Any], ok: Callable[[Any, Any], float | None]
) -> list[tuple[int, int]]:
    """One-to-one matching: best scoring pairs first (score None = no match)."""
    cands: list[tuple[float, int, int]] = []
    for i, g in enumerate(gold):
        for j, p in enumerate(pred):
            s = ok(g, p)
            if s is not None:
                cands.append((s, i, j))
    cands.sort(reverse=True)
    used_g: set[int] = set()
    used_p: set[int] = set()
    pairs: list[tuple[int, int]] = []
    for _s, i, j in cands:
        if i in used_g or j in used_p:
            continue
        used_g.add(i)
        used_p.add(j)
        pairs.append((i, j))
    return pairs


def jaccard(a: Iterable[str], b: Iterable[str]) -> float:
    sa, sb = set(a), set(b)
    if not sa and not sb:
        return 1.0
    return len(sa & sb) / len(sa | sb)


def role_match(gold_roles: list[str], pred: str | None) -> bool:
    if not pred:
        return False
    pn = re.sub(r"\s+", " ", pred.lower().replace("’", "'")).strip()
    for g in gold_roles:
        gn = re.sub(r"\s+", " ", g.lower().replace("’", "'")).strip()
        if gn in pn or pn in gn:
            return True
    return False


def gold_articles(split: str) -> list[dict[str, Any]]:
    dev = load_gold(GOLD_DIR)
    held = load_gold(GOLD_DIR / "heldout")
    return {"dev": dev, "heldout": held, "all": dev + held}[split]


def evaluate(
    mode: str, show_errors: bool, split: str = "dev"
) -> tuple[dict[str, Score], dict[str, Any]]:
    os.environ["CORRIDOR_NLP"] = mode
    from corridor.document import Document
    from corridor.extract import extract, get_nlp, split_sentences

    nlp = get_nlp()
    scores = {
        k: Score()
        for k in (
            "entities",
            "roles",
            "events",
            "events_strict",
            "sectors",
            "sectors_doc",
            "commitments",
            "commitments_loose",
        )
    }
    per_type: dict[str, Score] = {}
    place_ok = place_n = ord_ok = ord_n = inf_ok = inf_n = party_ok = party_n = 0
    timings: list[float] = []
    for art in gold_articles(split):
        doc = Document(
            source_key=f"gold:{art['id']}",
            text=art["text"],
            published=art.get("published"),
            lang=art.get("lang"),
            dateline_place=art.get("dateline_place"),
            id=art["id"],
        )
        t0 = time.perf_counter()
        extract(doc)
        timings.append(time.perf_counter() - t0)
        for m in doc.mentions:
            assert doc.text[m.start : m.end] == m.text, (art["id"], m)
        aid = art["id"]

        # entities
        gold_ents = {(e["type"], e["id"]) for e in art["entities"]}
        pred_ents = {(m.label, m.entity_id) for m in doc.mentions if m.entity_id}
        tp = len(gold_ents & pred_ents)
        scores["entities"].add(tp, len(pred_ents - gold_ents), len(gold_ents - pred_ents))
        for e in sorted(gold_ents - pred_ents):
            scores["entities"].errors.append(f"{aid} FN {e}")
        for e in sorted(pred_ents - gold_ents, key=str):
            scores["entities"].errors.append(f"{aid} FP {e}")

        # roles
        for e in art["entities"]:
            if not e.get("role"):
                continue
            roles = [m.role for m in doc.mentions if m.entity_id == e["id"] and m.role]
            ok = any(role_match(e["role"], r) for r in roles)
            scores["roles"].add(int(ok), 0, int(not ok))
            if not ok:
                scores["roles"].errors.append(f"{aid} {e['id']}: gold {e['role']} got {roles[:1]}")

        # sectors
        sents = split_sentences(doc.text, doc.lang)

        def sent_of(evidence: str, sents: list[Any] = sents, text: str = doc.text) -> int:
            pos = text.find(evidence)
            return next((k for k, s in enumerate(sents) if s.start <= pos < s.end), -1)

        gold_sec = {(s["sector"], sent_of(s["evidence"])) for s in art["sectors"]}
        pred_sec = {
            (h.sector, next((k for k, s in enumerate(sents) if s.start == h.start), -1))
            for h in doc.sectors
        }
        scores["sectors"].add(
            len(gold_sec & pred_sec), len(pred_sec - gold_sec), len(gold_sec - pred_sec)
        )
        for x in sorted(gold_sec - pred_sec):
            scores["sectors"].errors.append(f"{aid} FN {x} {sents[x[1]].text[:70]!r}")
        for x in sorted(pred_sec - gold_sec):
            scores["sectors"].errors.append(f"{aid} FP {x} {sents[x[1]].text[:70]!r}")
        gd, pd = {s for s, _ in gold_sec}, {s for s, _ in pred_sec}
        scores["sectors_doc"].add(len(gd & pd), len(pd - gd), len(gd - pd))

        # events
        if art.get("events") is not None:
            gold_ev = art["events"]
            pred_ev = doc.events

            def ev_ok(g: dict[str, Any], p: Any) -> float | None:
                if g["type"] != p.type or g.get("date") != p.date:
                    return None
                j = jaccard(g["participants"], p.participants)
                return j if j >= 0.5 else None

            pairs = greedy(gold_ev, pred_ev, ev_ok)
            scores["events"].add(len(pairs), len(pred_ev) - len(pairs), len(gold_ev) - len(pairs))
            strict = [
                (i, j)
                for i, j in pairs
                if set(gold_ev[i]["participants"]) == set(pred_ev[j].participants)
            ]
            scores["events_strict"].add(
                len(strict), len(pred_ev) - len(strict), len(gold_ev) - len(strict)
            )
            for typ in {g["type"] for g in gold_ev} | {p.type for p in pred_ev}:
                sc = per_type.setdefault(typ, Score())
                m = sum(1 for i, _ in pairs if gold_ev[i]["type"] == typ)
                sc.add(
                    m,
                    sum(1 for p in pred_ev if p.type == typ) - m,
                    sum(1 for g in gold_ev if g["type"] == typ) - m,
                )
            for i, j in pairs:
                g, p = gold_ev[i], pred_ev[j]
                place_n += 1
                place_ok += int(g.get("place") == p.place)
                inferred = getattr(p, "date_inferred", None)
                if g.get("date_inferred") or inferred:
                    inf_n += 1
                    inf_ok += int(g.get("date_inferred") == inferred)
                if "parties" in g:
                    party_n += 1
                    party_ok += int(set(g["parties"]) == set(getattr(p, "parties", ())))
                got = (p.place, inferred, sorted(getattr(p, "parties", ())))
                want = (g.get("place"), g.get("date_inferred"), sorted(g.get("parties", got[2])))
                if got != want:
                    scores["events"].errors.append(
                        f"{aid} DETAIL {g['type']} {g['participants']}: place/inferred/parties"
                        f" {got} != gold {want}"
                    )
                if g.get("ordinal") or p.ordinal:
                    ord_n += 1
                    ord_ok += int((g.get("ordinal") or "").lower() == (p.ordinal or "").lower())
            mg = {i for i, _ in pairs}
            mp = {j for _, j in pairs}
            for i, g in enumerate(gold_ev):
                if i not in mg:
                    scores["events"].errors.append(
                        f"{aid} FN {g['type']} {g['participants']} {g.get('date')}"
                        f" ~{g.get('date_inferred')}"
                    )
            for j, p in enumerate(pred_ev):
                if j not in mp:
                    scores["events"].errors.append(
                        f"{aid} FP {p.type} {p.participants} {p.date}"
                        f" ~{getattr(p, 'date_inferred', None)} {doc.text[p.start : p.end]!r}"
                    )

        # commitments
        if art.get("commitments") is not None:
            gold_c = art["commitments"]
            pred_c = doc.commitments

            def c_ok(g: dict[str, Any], p: Any, modal: bool = True) -> float | None:
                if sorted(g["parties"]) != sorted(p.parties):
                    return None
                if modal and g["modality"] != p.modality:
                    return None
                if not action_match(g["action"], p.action):
                    return None
                return len(content_words(g["action"]) & content_words(p.action)) / 1.0

            pairs = greedy(gold_c, pred_c, c_ok)
            scores["commitments"].add(
                len(pairs), len(pred_c) - len(pairs), len(gold_c) - len(pairs)
            )
            loose = greedy(gold_c, pred_c, lambda g, p: c_ok(g, p, modal=False))
            scores["commitments_loose"].add(
                len(loose), len(pred_c) - len(loose), len(gold_c) - len(loose)
            )
            mg = {i for i, _ in pairs}
            mp = {j for _, j in pairs}
            for i, g in enumerate(gold_c):
                if i not in mg:
                    scores["commitments"].errors.append(
                        f"{aid} FN {g['parties']} {g['modality']} {g['action']!r}"
                    )
            for j, p in enumerate(pred_c):
                if j not in mp:
                    scores["commitments"].errors.append(
                        f"{aid} FP {p.parties} {p.modality} {p.action!r}"
                    )

    extra = {
        "pipeline": nlp.name,
        "per_type": per_type,
        "place_acc": (place_ok, place_n),
        "ordinal_acc": (ord_ok, ord_n),
        "inferred_acc": (inf_ok, inf_n),
        "parties_acc": (party_ok, party_n),
        "mean_ms": 1000 * sum(timings) / max(1, len(timings)),
        "articles": len(timings),
    }
    return scores, extra


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--mode", choices=["auto", "model", "rules"], default="auto")
    ap.add_argument(
        "--min-f1",
        action="append",
        default=[],
        metavar="KIND=X",
        help="fail (exit 1) when KIND's F1 is below X",
    )
    ap.add_argument("--show-errors", action="store_true", help="list misses and false hits")
    ap.add_argument(
        "--split",
        choices=["dev", "heldout", "all"],
        default="dev",
        help="dev: gold/*.json (used while building); heldout: gold/heldout/*.json (not tuned on)",
    )
    args = ap.parse_args(argv)
    floors: dict[str, float] = {}
    for item in args.min_f1:
        kind, _, value = item.partition("=")
        floors[kind.strip()] = float(value)

    scores, extra = evaluate(args.mode, args.show_errors, args.split)
    print(f"extraction eval: {extra['articles']} gold articles ({args.split}) in {GOLD_DIR}")
    print(f"pipeline: {extra['pipeline']}; mean {extra['mean_ms']:.0f} ms per article")
    print(f"{'kind':<20}{'P':>7}{'R':>7}{'F1':>7}{'tp':>6}{'fp':>6}{'fn':>6}")
    for kind, sc in scores.items():
        print(f"{kind:<20}{sc.p:7.3f}{sc.r:7.3f}{sc.f1:7.3f}{sc.tp:6d}{sc.fp:6d}{sc.fn:6d}")
    print("events by type:")
    for typ, sc in sorted(extra["per_type"].items()):
        print(f"  {typ:<18}{sc.p:7.3f}{sc.r:7.3f}{sc.f1:7.3f}{sc.tp:6d}{sc.fp:6d}{sc.fn:6d}")
    pok, pn = extra["place_acc"]
    ook, on = extra["ordinal_acc"]
    iok, in_ = extra["inferred_acc"]
    yok, yn = extra["parties_acc"]
    print(
        f"on matched events: place {pok}/{pn}; ordinals {ook}/{on}; "
        f"inferred dates {iok}/{in_}; parties {yok}/{yn}"
    )
    ev = scores["events"]
    print(f"EVENTS precision {ev.p:.3f} recall {ev.r:.3f} ({args.split})")
    if args.show_errors:
        for kind, sc in scores.items():
            if sc.errors:
                print(f"--- {kind} errors")
                for e in sc.errors:
                    print("  " + e)
    print(
        "reproduce: .venv/bin/python eval/extract_eval.py "
        f"--mode {args.mode} --split {args.split}"
        + "".join(f" --min-f1 {k}={v}" for k, v in floors.items())
    )
    failed = [k for k, v in floors.items() if k not in scores or scores[k].f1 < v]
    for k in failed:
        got = scores[k].f1 if k in scores else float("nan")
        print(f"FAIL: {k} F1 {got:.3f} < {floors[k]}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
