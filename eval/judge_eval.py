"""The claim–evidence judge on public pair sets and on held-out contrast pairs.

Each pair is judged alone (no retrieval): the learned model's own label
("model") and, with ``--judge``, the full pair judge (model + the record's
vetoes, evidence analysed as text; slower: the claim is run through
extraction). Sets, read from ``../shared`` (skipped with a message when absent):

- FEVER-Symmetric dev (``train/fever_symmetric``; never trained on): two
  classes, the likelier of SUPPORTS and REFUTES;
- SNLI dev (3 classes), Check-COVID dev (3 classes), Climate-FEVER
  (``eval/climate_fever``, every claim's 5 evidence sentences; it is also in
  the training mix through ``train/climate_fever``, so it is reported for
  comparison with the majority baseline only);
- contrast pairs generated from the held-out 15 % of source articles
  (``training/judge/contrast.py --split test``, made on the fly when
  ``--contrast`` is not given): every kind of edit, and how many false
  claims (REFUTES or NOT_ENOUGH_INFO pairs) were called SUPPORTS.

For each: accuracy, macro-F1, the majority baseline, expected calibration
error (ECE, 10 bins, top class), and pairs per CPU-second.

    .venv/bin/python eval/judge_eval.py [--judge] [--limit N] [--sets fever_symmetric,snli_dev]
        [--min-accuracy 0.70]   # the CI gate
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

os.environ.setdefault("HF_HUB_OFFLINE", "1")

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
LABELS = ("SUPPORTS", "REFUTES", "NOT_ENOUGH_INFO")

sys.path.insert(0, str(ROOT / "training" / "judge"))
from check_eval import accuracy, macro_f1  # noqa: E402  (this folder)
from data import detok, read_jsonl  # noqa: E402  (the clean-up the training data had)


def load_sets(contrast: Path | None, names: set[str] | None) -> dict[str, list[dict[str, Any]]]:
    train = SHARED / "train"
    sets: dict[str, list[dict[str, Any]]] = {}
    sources = {
        "fever_symmetric": (train / "fever_symmetric" / "train.jsonl", True),
        "snli_dev": (train / "snli" / "dev.jsonl", True),
        "check_covid_dev": (train / "check_covid" / "dev.jsonl", False),
    }
    for name, (path, clean) in sources.items():
        if names and name not in names:
            continue
        if not path.is_file():
            print(f"{name}: skipped ({path} not found)")
            continue
        rows = read_jsonl(path)
        if clean:
            rows = [dict(r, claim=detok(r["claim"]), evidence=detok(r["evidence"]))
                    for r in rows]
        sets[name] = rows
    climate = SHARED / "eval" / "climate_fever" / "climate-fever.jsonl"
    if (not names or "climate_fever" in names) and climate.is_file():
        rows = []
        for c in read_jsonl(climate):
            for e in c["evidences"]:
                rows.append({"claim": c["claim"], "evidence": e["evidence"],
                             "label": e["evidence_label"]})
        sets["climate_fever"] = rows
    if not names or "contrast_test" in names:
        path = contrast or _make_contrast()
        if path is not None and path.is_file():
            rows = [r for r in read_jsonl(path) if r.get("split") == "test"]
            sets["contrast_test"] = [
                dict(r, evidence=f"{r['context']} {r['evidence']}" if r.get("context")
                     else r["evidence"]) for r in rows]
    return sets


def _make_contrast() -> Path | None:
    out = Path(tempfile.gettempdir()) / "corridor-contrast-test.jsonl"
    if out.is_file():
        return out
    script = ROOT / "training" / "judge" / "contrast.py"
    print("generating the held-out contrast pairs (training/judge/contrast.py --split test)")
    done = subprocess.run([sys.executable, str(script), "--split", "test", "--out", str(out)],
                          check=False)
    return out if done.returncode == 0 else None


def ece(conf: list[float], right: list[bool], bins: int = 10) -> float:
    total = 0.0
    n = len(conf)
    for b in range(bins):
        lo, hi = b / bins, (b + 1) / bins
        sel = [i for i, c in enumerate(conf) if lo < c <= hi]
        if sel:
            avg_c = sum(conf[i] for i in sel) / len(sel)
            acc = sum(right[i] for i in sel) / len(sel)
            total += len(sel) / n * abs(avg_c - acc)
    return total


def judge_pairs(rows: list[dict[str, Any]], with_record: bool) -> list[dict[str, float]]:
    from corridor.check.judge import CLASSES, load_judge

    judge = load_judge()
    pairs = [(r["claim"], r["evidence"]) for r in rows]
    if not with_record:
        probs = judge.model.probabilities(pairs)
        return [{c: float(p) for c, p in zip(CLASSES, row, strict=True)} for row in probs]
    from corridor.check.facts import claim_facts, evidence_facts
    from corridor.check.features import compare
    from corridor.store.base import SentenceHit

    out: list[dict[str, float]] = []
    for claim, ev in pairs:
        hit = SentenceHit(doc_id="e", idx=0, start=0, end=len(ev), text=ev)
        feats = compare(claim_facts(claim), evidence_facts([hit], {}), 0.0)
        j = judge.judge_many(claim, [ev], [feats])[0]
        out.append(dict(j.probs))
    return out


def report(name: str, rows: list[dict[str, Any]], probs: list[dict[str, float]],
           seconds: float, full_label: bool = False) -> dict[str, Any]:
    to_class = {"SUPPORTS": "supports", "REFUTES": "refutes", "NOT_ENOUGH_INFO": "unrelated"}
    gold = [to_class[r["label"]] for r in rows]
    classes = tuple(c for c in ("supports", "refutes", "unrelated") if c in set(gold))
    # the model alone on a two-class set: the likelier of its two classes (as FEVER-
    # Symmetric is scored); the judge's own label otherwise (its vetoes move mass to
    # "unrelated", which is then a wrong answer on a two-class set)
    pick = classes if not full_label else ("supports", "refutes", "unrelated")
    pred = [max(pick, key=lambda c, p=p: p[c]) for p in probs]  # type: ignore[misc]
    conf = [max(p.values()) for p in probs]
    top = [max(p, key=lambda c, p=p: p[c]) for p in probs]  # type: ignore[misc]
    n = len(rows)
    acc = accuracy(gold, pred)
    majority = Counter(gold).most_common(1)[0]
    false_support = sum(g != "supports" and q == "supports" for g, q in zip(gold, pred,
                                                                           strict=True))
    out = {"set": name, "n": n, "classes": len(classes), "accuracy": round(acc, 3),
           "macro_f1": round(macro_f1(gold, pred, classes), 3),
           "majority": f"{majority[0]} {majority[1] / n:.3f}",
           "ece": round(ece(conf, [g == t for g, t in zip(gold, top, strict=True)]), 3),
           "false_supported": false_support, "pairs_per_cpu_s": round(n / max(seconds, 1e-9))}
    print(f"{name:16s} n={n:5d} acc {out['accuracy']:.3f} macro-F1 {out['macro_f1']:.3f} "
          f"(majority {out['majority']}) ECE {out['ece']:.3f} false SUPPORTS "
          f"{false_support} ({out['pairs_per_cpu_s']} pairs/CPU-s)")
    if name == "contrast_test":
        kinds: dict[str, list[bool]] = {}
        for r, g, q in zip(rows, gold, pred, strict=True):
            kinds.setdefault(r["source"].split(":", 1)[1], []).append(g == q)
        print("   by kind: " + ", ".join(f"{k} {sum(v)}/{len(v)}" for k, v in
                                          sorted(kinds.items())))
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--judge", action="store_true",
                    help="the full pair judge (model + record vetoes), not the model alone")
    ap.add_argument("--limit", type=int, default=0, help="first N pairs of each set")
    ap.add_argument("--sets", default="", help="comma-separated names (default: all)")
    ap.add_argument("--contrast", type=Path, default=None,
                    help="contrast pairs file (contrast.py output; its 'test' split is used)")
    ap.add_argument("--json", type=Path, default=None, help="also write the figures here")
    ap.add_argument("--min-accuracy", type=float, default=None,
                    help="quality gate: exit 1 when a set's accuracy is below this floor")
    args = ap.parse_args()
    if not SHARED.is_dir():
        print(f"evaluation material not found at {SHARED}: skipped")
        return 0
    names = set(filter(None, args.sets.split(","))) or None
    sets = load_sets(args.contrast, names)
    mode = "pair judge (model + record vetoes)" if args.judge else "model alone"
    print(f"{mode}; command: {' '.join(sys.argv)}")
    results = []
    for name, rows in sets.items():
        rows = rows[: args.limit] if args.limit else rows
        c0 = time.process_time()
        probs = judge_pairs(rows, args.judge)
        results.append(report(name, rows, probs, time.process_time() - c0, args.judge))
    if args.json:
        args.json.write_text(json.dumps(results, indent=2) + "\n", "utf-8")
    if args.min_accuracy is not None:
        low = [r for r in results if r["accuracy"] < args.min_accuracy]
        for r in low:
            print(f"GATE FAILED: {r['set']} accuracy {r['accuracy']} < {args.min_accuracy}")
        if low:
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
