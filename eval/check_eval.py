"""Claim-checking quality on ../shared/eval (skips with a message when absent).

1. Seed claims (dev split): ingest ../shared/seeds into a temporary database,
   check every claim of seed_claims_dev.json, print accuracy, macro-F1, the
   confusion matrix and evidence recall (labelled evidence sentences found
   among the cited ones; a cited sentence counts when it contains, or is
   contained in, the labelled one).
2. The pair judge on climate_fever: every (claim, evidence sentence) pair,
   judged alone (no retrieval), labels SUPPORTS / REFUTES / NOT_ENOUGH_INFO
   against supports / refutes / unrelated: accuracy and macro-F1.

    .venv/bin/python eval/check_eval.py [--seeds-only | --pairs-only] [--limit N] [-v]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")

SHARED = Path(__file__).resolve().parents[2] / "shared"
EVAL = SHARED / "eval"
LABELS = ("SUPPORTED", "REFUTED", "NOT_ENOUGH_INFO")


def _norm(text: str) -> str:
    return " ".join(text.replace("’", "'").replace("‘", "'").split()).lower()


def macro_f1(gold: list[str], pred: list[str], labels: tuple[str, ...]) -> float:
    scores = []
    for lab in labels:
        tp = sum(g == lab and p == lab for g, p in zip(gold, pred, strict=True))
        fp = sum(g != lab and p == lab for g, p in zip(gold, pred, strict=True))
        fn = sum(g == lab and p != lab for g, p in zip(gold, pred, strict=True))
        prec = tp / (tp + fp) if tp + fp else 0.0
        rec = tp / (tp + fn) if tp + fn else 0.0
        scores.append(2 * prec * rec / (prec + rec) if prec + rec else 0.0)
    return sum(scores) / len(scores)


def confusion(gold: list[str], pred: list[str], labels: tuple[str, ...],
              extra: tuple[str, ...] = ()) -> str:
    cols = labels + extra
    lines = ["gold \\ predicted".ljust(18) + "".join(c[:12].rjust(14) for c in cols)]
    for g in labels:
        row = [sum(x == g and y == c for x, y in zip(gold, pred, strict=True)) for c in cols]
        lines.append(g[:16].ljust(18) + "".join(str(n).rjust(14) for n in row))
    return "\n".join(lines)


def seeds_eval(verbose: bool) -> None:
    claims_file = EVAL / "seed_claims_dev.json"
    seeds = SHARED / "seeds"
    if not claims_file.is_file() or not seeds.is_dir():
        print(f"seed claims: skipped ({claims_file} or {seeds} not found)")
        return
    from corridor.service import Corridor

    claims = json.loads(claims_file.read_text("utf-8"))
    with tempfile.TemporaryDirectory() as tmp, Corridor(str(Path(tmp) / "eval.db")) as corridor:
        t0 = time.monotonic()
        report = corridor.ingest([str(seeds)])
        print(f"ingested {report.stored} seed articles in {time.monotonic() - t0:.1f} s")
        gold, pred = [], []
        found = total = 0
        t0 = time.monotonic()
        for c in claims:
            v = corridor.check(c["claim"], save=False)
            gold.append(c["label"])
            pred.append(v.verdict)
            cited = [_norm(e.sentence) for e in v.evidence]
            for ev in c.get("evidence", []):
                total += 1
                want = _norm(ev["sentence"])
                if any(want in s or s in want for s in cited):
                    found += 1
            mark = "ok " if v.verdict == c["label"] else "XX "
            if verbose or v.verdict != c["label"]:
                print(f"{mark}{c['id']} gold={c['label']} got={v.verdict} "
                      f"({v.confidence:.2f}) {c['claim']}")
                print(f"      reason: {v.reason}")
        seconds = time.monotonic() - t0
    n = len(claims)
    acc = sum(g == p for g, p in zip(gold, pred, strict=True)) / n
    print(f"\nseed claims (dev, n={n}): accuracy {acc:.3f}, macro-F1 "
          f"{macro_f1(gold, pred, LABELS):.3f}, evidence recall {found}/{total} = "
          f"{found / max(total, 1):.3f}, {seconds / n:.2f} s per claim")
    print(confusion(gold, pred, LABELS, ("CONFLICTING",)))


def pairs_eval(limit: int | None, verbose: bool) -> None:
    path = EVAL / "climate_fever" / "climate-fever.jsonl"
    if not path.is_file():
        print(f"climate_fever pairs: skipped ({path} not found)")
        return
    import numpy as np

    from corridor.check.checker import word_vectors
    from corridor.check.facts import claim_facts, evidence_facts
    from corridor.check.features import compare
    from corridor.check.judge import load_judge
    from corridor.embed import get_embedder
    from corridor.store.base import SentenceHit

    judge = load_judge()
    embedder = get_embedder()
    words = word_vectors(embedder)
    rows = [json.loads(line) for line in path.read_text("utf-8").splitlines() if line.strip()]
    if limit:
        rows = rows[:limit]
    mapping = {"SUPPORTS": "supports", "REFUTES": "refutes", "NOT_ENOUGH_INFO": "unrelated"}
    gold: list[str] = []
    pred: list[str] = []
    t0 = time.monotonic()
    for row in rows:
        facts = claim_facts(row["claim"])
        cv = embedder.embed([row["claim"]])[0]
        texts = [e["evidence"] for e in row["evidences"]]
        evs = embedder.embed(texts)
        for e, vec in zip(row["evidences"], evs, strict=True):
            hit = SentenceHit(doc_id=e["article"], idx=0, start=0, end=len(e["evidence"]),
                              text=e["evidence"])
            ev = evidence_facts([hit], {})
            feats = compare(facts, ev, float(np.dot(cv, vec)), words.similarity)
            gold.append(mapping[e["evidence_label"]])
            pred.append(judge.judge(feats).label)
    labels = ("supports", "refutes", "unrelated")
    n = len(gold)
    acc = sum(g == p for g, p in zip(gold, pred, strict=True)) / n
    print(f"\nclimate_fever pairs (n={n}, {len(rows)} claims): accuracy {acc:.3f}, "
          f"macro-F1 {macro_f1(gold, pred, labels):.3f} "
          f"({time.monotonic() - t0:.0f} s)")
    print(confusion(gold, pred, labels))
    majority = max(labels, key=gold.count)
    print(f"(majority class '{majority}' alone: accuracy {gold.count(majority) / n:.3f})")
    del verbose


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seeds-only", action="store_true")
    ap.add_argument("--pairs-only", action="store_true")
    ap.add_argument("--limit", type=int, default=None, help="climate_fever: first N claims")
    ap.add_argument("-v", "--verbose", action="store_true")
    args = ap.parse_args()
    if not EVAL.is_dir():
        print(f"evaluation material not found at {EVAL}: skipped")
        return 0
    if not args.pairs_only:
        seeds_eval(args.verbose)
    if not args.seeds_only:
        pairs_eval(args.limit, args.verbose)
    return 0


if __name__ == "__main__":
    sys.exit(main())
