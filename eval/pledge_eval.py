"""Pledge clustering and status on own-written articles (eval/gold/pledges/).

Ingests ``articles.jsonl`` into a fresh SQLite pool (extraction and
embeddings included), builds the pledges and compares them with
``gold.json``: B-cubed precision / recall / F1, purity and inverse purity,
pairwise precision / recall over the gold mentions that extraction found
(mentions it did not find are counted apart), and the status of each gold
pledge. Commitments outside the gold are left out of the scores.

    .venv/bin/python eval/pledge_eval.py [--heldout] [--show]
"""

from __future__ import annotations

import argparse
import itertools
import json
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
GOLD = HERE / "gold" / "pledges"
sys.path.insert(0, str(HERE.parent))

from corridor.service import Corridor  # noqa: E402
from corridor.settings import Settings  # noqa: E402


def bcubed(gold: dict[int, str], pred: dict[int, str]) -> tuple[float, float]:
    items = list(gold)
    p_sum = r_sum = 0.0
    for i in items:
        same_pred = [j for j in items if pred[j] == pred[i]]
        same_gold = [j for j in items if gold[j] == gold[i]]
        both = sum(1 for j in same_pred if gold[j] == gold[i])
        p_sum += both / len(same_pred)
        r_sum += both / len(same_gold)
    return p_sum / len(items), r_sum / len(items)


def purity(a: dict[int, str], b: dict[int, str]) -> float:
    """Share of items in the majority ``b`` class of their ``a`` cluster."""
    clusters: dict[str, Counter[str]] = {}
    for i, c in a.items():
        clusters.setdefault(c, Counter())[b[i]] += 1
    return sum(c.most_common(1)[0][1] for c in clusters.values()) / len(a)


def pairwise(gold: dict[int, str], pred: dict[int, str]) -> tuple[float, float]:
    tp = fp = fn = 0
    for i, j in itertools.combinations(sorted(gold), 2):
        g, p = gold[i] == gold[j], pred[i] == pred[j]
        tp += g and p
        fp += p and not g
        fn += g and not p
    return (tp / (tp + fp) if tp + fp else 1.0), (tp / (tp + fn) if tp + fn else 1.0)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--show", action="store_true", help="print every predicted pledge")
    ap.add_argument("--heldout", action="store_true",
                    help="the held-out set (gold/pledges/heldout), never used for tuning")
    args = ap.parse_args()
    folder = GOLD / "heldout" if args.heldout else GOLD
    gold_spec = json.loads((folder / "gold.json").read_text(encoding="utf-8"))
    prefix = gold_spec.get("url_prefix", "https://gold.example/pledges/")
    started = time.monotonic()
    with tempfile.TemporaryDirectory() as tmp:
        corridor = Corridor(settings=Settings(db=str(Path(tmp) / "pool.db")))
        report = corridor.ingest([str(folder / "articles.jsonl")])
        pledges = corridor.pledges(limit=10**6)
        corridor.close()
    seconds = time.monotonic() - started
    by_commitment = {m.commitment_id: (p, m) for p in pledges for m in p.mentions}
    gold: dict[int, str] = {}
    pred: dict[int, str] = {}
    missed: list[str] = []
    for g in gold_spec["pledges"]:
        for num, anchor in g["mentions"]:
            url = f"{prefix}{num:02d}"
            hits = [cid for cid, (_, m) in by_commitment.items()
                    if m.citation.url == url and anchor in m.action and cid not in gold]
            if not hits:
                missed.append(f"{g['id']}: article {num} '{anchor}'")
                continue
            cid = min(hits)
            gold[cid] = g["id"]
            pred[cid] = by_commitment[cid][0].id
    bp, br = bcubed(gold, pred)
    pp, pr = pairwise(gold, pred)
    f1 = 2 * bp * br / (bp + br) if bp + br else 0.0
    print(f"articles stored {report.stored}, commitments {len(by_commitment)}, "
          f"pledges {len(pledges)} ({seconds:.1f} s with ingest)")
    print(f"gold mentions {len(gold) + len(missed)}: found {len(gold)}, "
          f"not extracted {len(missed)}")
    for m in missed:
        print(f"  not extracted: {m}")
    print(f"B-cubed precision {bp:.3f}  recall {br:.3f}  F1 {f1:.3f}")
    print(f"purity {purity(pred, gold):.3f}  inverse purity {purity(gold, pred):.3f}")
    print(f"pairwise precision {pp:.3f}  recall {pr:.3f}")
    right = 0
    print("status per gold pledge (pledge of its first found mention):")
    for g in gold_spec["pledges"]:
        cids = [c for c, gid in gold.items() if gid == g["id"]]
        if not cids:
            print(f"  {g['id']:<24} gold {g['status']:<13} (no mention found)")
            continue
        p = by_commitment[min(cids, key=lambda c: (by_commitment[c][1].date or "", c))][0]
        ok = p.status == g["status"]
        right += ok
        cues = "; ".join(f"{s.kind} '{s.cue}' {s.date}" for s in p.signals
                         if s.kind != "reiterated")
        print(f"  {g['id']:<24} gold {g['status']:<13} got {p.status:<13} "
              f"{'ok ' if ok else 'BAD'} {cues}")
    print(f"status accuracy {right}/{len(gold_spec['pledges'])}")
    # a gold pledge stated in several articles counts as linked when its found
    # mentions are one pledge whose links cite both statements (document and
    # offsets) and join every one of its articles
    linked = multi = 0
    for g in gold_spec["pledges"]:
        cids = [c for c, gid in gold.items() if gid == g["id"]]
        docs = {by_commitment[c][1].citation.doc_id for c in cids}
        if len(docs) < 2:
            continue
        multi += 1
        owners = {by_commitment[c][0].id for c in cids}
        if len(owners) != 1:
            continue
        p = by_commitment[cids[0]][0]
        cited = [k for k in p.links if k.citation_a.doc_id and k.citation_b.doc_id
                 and k.citation_a.end > k.citation_a.start
                 and k.citation_b.end > k.citation_b.start]
        reached = {k.citation_a.doc_id for k in cited} | {k.citation_b.doc_id for k in cited}
        linked += len(cited) == len(p.links) == p.count - 1 and docs <= reached
    print(f"gold pledges in several articles linked as one, every link cited: {linked}/{multi}")
    if args.show:
        for p in pledges:
            print(f"{p.id} x{p.count} {p.status:<12} {'+'.join(p.parties)} | {p.canonical}")
            for m in p.mentions:
                print(f"    {m.date} {gold.get(m.commitment_id, '-'):<22} {m.action}")
            for k in p.links:
                print(f"      link {k.a}-{k.b} score {k.score:.3f} {k.basis}")
    print("reproduce: .venv/bin/python eval/pledge_eval.py"
          + (" --heldout" if args.heldout else ""))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
