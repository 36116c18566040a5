"""Claim-checking quality on ../shared/eval (skips with a message when absent).

1. Seed claims (dev split): ingest ../shared/seeds into a temporary database,
   check every claim of seed_claims_dev.json, print accuracy, macro-F1, the
   confusion matrix and evidence recall (labelled evidence sentences found
   among the cited ones; a cited sentence counts when it contains, or is
   contained in, the labelled one).
2. FEVER-Symmetric dev (``../shared/train/fever_symmetric``, never trained
   on) through the whole ``Corridor.check`` path: for every pair a fresh pool
   holding one article whose text is the evidence, then the claim checked
   against it; SUPPORTED / REFUTED against the gold label (anything else
   counts as wrong), as the outside measurement did.

The pair judge alone on the public pair sets: ``eval/judge_eval.py``.

    .venv/bin/python eval/check_eval.py [--seeds-only | --symmetric-only] [--limit N] [-v]
    .venv/bin/python eval/check_eval.py --seeds-only --claims FILE   # another claim set
    .venv/bin/python eval/check_eval.py --contrast-only --contrast FILE [--contrast-limit N]

3. With ``--contrast FILE``: the held-out split of the generated contrast pairs
   (``training/judge/contrast.py``) the same way, one pool per pair, with the
   number of false claims called SUPPORTED by kind of contrast.
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


def accuracy(gold: list[str], pred: list[str]) -> float:
    return sum(g == p for g, p in zip(gold, pred, strict=True)) / max(len(gold), 1)


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


def seeds_eval(verbose: bool, claims_file: Path | None = None) -> None:
    claims_file = claims_file or EVAL / "seed_claims_dev.json"
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
    acc = accuracy(gold, pred)
    print(f"\nseed claims ({claims_file.name}, n={n}): accuracy {acc:.3f}, macro-F1 "
          f"{macro_f1(gold, pred, LABELS):.3f}, evidence recall {found}/{total} = "
          f"{found / max(total, 1):.3f}, {seconds / n:.2f} s per claim")
    print(confusion(gold, pred, LABELS, ("CONFLICTING",)))


def pool_verdicts(rows: list[dict[str, str]], verbose: bool) -> list[str]:
    """Each row's claim checked against a fresh pool holding one article: its evidence."""
    from corridor.service import Corridor
    from corridor.settings import Settings

    out: list[str] = []
    with tempfile.TemporaryDirectory() as tmp:
        for i, row in enumerate(rows):
            settings = Settings(db=str(Path(tmp) / f"pool{i}.db"), min_words=1)
            with Corridor(settings=settings) as pool:
                report = pool.ingest_articles([{"text": row["evidence"], "lang": "en",
                                                "source": "eval", "url":
                                                f"https://pair.example/{i}"}])
                if not report.stored:
                    print(f"pair {i}: evidence not stored ({report})")
                v = pool.check(row["claim"], save=False)
            out.append(v.verdict)
            if verbose:
                gold = _WANT[row["label"]]
                mark = "ok " if v.verdict == gold else "XX "
                print(f"{mark}{gold:15s} {v.verdict:15s} {row['claim']}")
    return out


_WANT = {"SUPPORTS": "SUPPORTED", "REFUTES": "REFUTED", "NOT_ENOUGH_INFO": "NOT_ENOUGH_INFO"}


def symmetric_eval(limit: int | None, verbose: bool) -> None:
    path = SHARED / "train" / "fever_symmetric" / "train.jsonl"
    if not path.is_file():
        print(f"FEVER-Symmetric: skipped ({path} not found)")
        return
    rows = [json.loads(line) for line in path.read_text("utf-8").splitlines() if line.strip()]
    rows = rows[:limit] if limit else rows
    c0 = time.process_time()
    pred = pool_verdicts(rows, verbose)
    gold = [_WANT[r["label"]] for r in rows]
    seconds = time.process_time() - c0
    n = len(rows)
    acc = accuracy(gold, pred)
    print(f"\nFEVER-Symmetric dev through Corridor.check (n={n}, one pool per pair): "
          f"accuracy {acc:.3f}, macro-F1 {macro_f1(gold, pred, ('SUPPORTED', 'REFUTED')):.3f}"
          f" ({seconds / n:.2f} CPU-s per pair, ingest included)")
    print(confusion(gold, pred, ("SUPPORTED", "REFUTED"), ("NOT_ENOUGH_INFO", "CONFLICTING")))


def contrast_eval(path: Path, limit: int | None, verbose: bool) -> None:
    """The held-out split of the generated contrast pairs (``training/judge/contrast.py``)
    through ``Corridor.check``: how often a false claim is called SUPPORTED."""
    rows = [json.loads(line) for line in path.read_text("utf-8").splitlines() if line.strip()]
    rows = [r for r in rows if r.get("split") == "test"]
    # a fixed, seeded sample across every kind of contrast (the file is in article order)
    import random

    random.Random(7).shuffle(rows)
    rows = rows[:limit] if limit else rows
    pred = pool_verdicts(rows, verbose)
    gold = [_WANT[r["label"]] for r in rows]
    n = len(rows)
    acc = accuracy(gold, pred)
    false_sup = [(r, p) for r, g, p in zip(rows, gold, pred, strict=True)
                 if p == "SUPPORTED" and g != "SUPPORTED"]
    print(f"\ncontrast test pairs through Corridor.check (n={n}, one pool per pair): "
          f"accuracy {acc:.3f}, macro-F1 {macro_f1(gold, pred, LABELS):.3f}, "
          f"false claims called SUPPORTED: {len(false_sup)} of "
          f"{sum(g != 'SUPPORTED' for g in gold)}")
    print(confusion(gold, pred, LABELS, ("CONFLICTING",)))
    kinds: dict[str, int] = {}
    for r, _ in false_sup:
        kinds[r["source"]] = kinds.get(r["source"], 0) + 1
    for kind, count in sorted(kinds.items(), key=lambda x: -x[1]):
        print(f"  false SUPPORTED from {kind}: {count}")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seeds-only", action="store_true")
    ap.add_argument("--symmetric-only", action="store_true")
    ap.add_argument("--limit", type=int, default=None, help="FEVER-Symmetric: first N pairs")
    ap.add_argument("--contrast", type=Path, default=None,
                    help="also the held-out contrast pairs of this file (contrast.py's output)")
    ap.add_argument("--contrast-only", action="store_true")
    ap.add_argument("--contrast-limit", type=int, default=600)
    ap.add_argument("--claims", type=Path, default=None,
                    help="seed claims from this file instead of seed_claims_dev.json (the same "
                         "format: a held-out set kept outside the project)")
    ap.add_argument("-v", "--verbose", action="store_true")
    args = ap.parse_args()
    if not EVAL.is_dir():
        print(f"evaluation material not found at {EVAL}: skipped")
        return 0
    if not (args.symmetric_only or args.contrast_only):
        seeds_eval(args.verbose, args.claims)
    if not (args.seeds_only or args.contrast_only):
        symmetric_eval(args.limit, args.verbose)
    if args.contrast is not None and not (args.seeds_only or args.symmetric_only):
        if args.contrast.is_file():
            contrast_eval(args.contrast, args.contrast_limit or None, args.verbose)
        else:
            print(f"contrast pairs: skipped ({args.contrast} not found)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
