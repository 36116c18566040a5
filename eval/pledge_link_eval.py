"""Which signal tells two statements of one pledge from two pledges: embeddings
of the core action or the learned claim judge read both ways.

Over the pledge gold (``eval/gold/pledges``, or ``--heldout``), every pair of
found gold mentions in different articles that clustering may compare (parties
equal or one inside the other, same concrete projects) is scored four ways:

- ``cosine``: the action vectors the tracker uses (core wording, all-MiniLM-L6-v2),
- ``score``: what clustering thresholds (0.8 cosine + 0.2 content-word overlap),
- ``judge actions``: the claim judge's SUPPORTS for the two actions, the lower
  of the two directions (each must entail the other),
- ``judge sentences``: the same on the two cited sentences.

It prints each signal's ROC AUC (same pledge vs different pledge) and the best
F1 over thresholds.

    .venv/bin/python eval/pledge_link_eval.py [--heldout]
"""

from __future__ import annotations

import argparse
import itertools
import json
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from corridor.check.pairmodel import get_pair_model  # noqa: E402
from corridor.pledges.text import clean_action, content_words, core_action  # noqa: E402
from corridor.pledges.vectors import action_vectors  # noqa: E402
from corridor.service import Corridor  # noqa: E402
from corridor.settings import Settings  # noqa: E402
from corridor.store.base import CommitmentFilters  # noqa: E402


def auc(pos: list[float], neg: list[float]) -> float:
    wins = sum((p > n) + 0.5 * (p == n) for p in pos for n in neg)
    return wins / (len(pos) * len(neg)) if pos and neg else float("nan")


def best_f1(pos: list[float], neg: list[float]) -> tuple[float, float]:
    best = (0.0, 0.0)
    for t in sorted(set(pos + neg)):
        tp = sum(p >= t for p in pos)
        fp = sum(n >= t for n in neg)
        f1 = 2 * tp / (2 * tp + fp + (len(pos) - tp)) if tp else 0.0
        best = max(best, (f1, t))
    return best


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--heldout", action="store_true")
    args = ap.parse_args()
    folder = HERE / "gold" / "pledges" / ("heldout" if args.heldout else "")
    spec = json.loads((folder / "gold.json").read_text(encoding="utf-8"))
    prefix = spec.get("url_prefix", "https://gold.example/pledges/")
    with tempfile.TemporaryDirectory() as tmp:
        corridor = Corridor(settings=Settings(db=str(Path(tmp) / "pool.db")))
        corridor.ingest([str(folder / "articles.jsonl")])
        recs = corridor.store.list_commitments(CommitmentFilters(), limit=10**9)
        vecs = action_vectors(corridor.store, recs)
        corridor.close()
    if vecs is None:
        print("no embedding model: nothing to compare")
        return 1
    gold: dict[int, str] = {}
    for g in spec["pledges"]:
        for num, anchor in g["mentions"]:
            url = f"{prefix}{num:02d}"
            hit = next((i for i, r in enumerate(recs) if r.citation.url == url
                        and anchor in r.action and i not in gold), None)
            if hit is not None:
                gold[hit] = g["id"]
    pairs = []
    for i, j in itertools.combinations(sorted(gold), 2):
        a, b = recs[i], recs[j]
        pa, pb = set(a.parties), set(b.parties)
        if a.citation.doc_id == b.citation.doc_id or not (pa <= pb or pb <= pa):
            continue
        if set(a.projects) != set(b.projects):
            continue
        pairs.append((i, j))
    model = get_pair_model()
    rows: dict[str, tuple[list[float], list[float]]] = {
        k: ([], []) for k in ("cosine", "score", "judge actions", "judge sentences")}
    for i, j in pairs:
        a, b = recs[i], recs[j]
        same = gold[i] == gold[j]
        cos = float(vecs[i] @ vecs[j])
        wa, wb = content_words(core_action(a.action)), content_words(core_action(b.action))
        lex = len(wa & wb) / len(wa | wb) if wa and wb else 0.0
        ca, cb = clean_action(a.action), clean_action(b.action)
        sa, sb = a.citation.sentence, b.citation.sentence
        pr = model.probabilities([(ca, cb), (cb, ca), (sa, sb), (sb, sa)])[:, 0]
        for name, value in (("cosine", cos), ("score", 0.8 * cos + 0.2 * lex),
                            ("judge actions", float(min(pr[0], pr[1]))),
                            ("judge sentences", float(min(pr[2], pr[3])))):
            rows[name][0 if same else 1].append(value)
    npos = len(rows["cosine"][0])
    print(f"pairs across articles the clustering compares: {len(pairs)} "
          f"({npos} same pledge, {len(pairs) - npos} different)")
    for name, (pos, neg) in rows.items():
        f1, t = best_f1(pos, neg)
        print(f"  {name:<16} AUC {auc(pos, neg):.3f}  best F1 {f1:.3f} at >= {t:.3f}  "
              f"(same pledge min {min(pos):.3f}, different max {max(neg):.3f})")
    print("reproduce: .venv/bin/python eval/pledge_link_eval.py"
          + (" --heldout" if args.heldout else ""))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
