"""Ingest CPU against its floor on real news pages (a benchmark, not a test).

    .venv/bin/python bench/ingest_cpu_bench.py [--pages DIR] [--limit N]

The pages are ``../shared/eval/article_extraction_benchmark/html`` (181 real
article pages, gzip'd HTML; skipped with a message when absent). Three
figures, each the CPU time (user + system of this process, so a loaded
machine inflates all alike):

- **floor**: what any such system must do for these pages: trafilatura's
  extraction of each page, then spaCy's ``en_core_web_sm`` over the texts
  (``nlp.pipe``, the stock pipeline);
- **ingest**: ``corridor ingest`` of the same pages into a fresh SQLite pool
  (clean, dedup, extract, embed, store), as ``Corridor.ingest`` runs it;
- the **embedding** share of the ingest: the CPU of the threads calling the
  sentence embedder, during its calls (an extraction run embeds on a second
  thread with one onnxruntime thread, so this is all of that work).

It prints the ratio ingest / floor (issue 14 asks for at most 1.5) and the
shares, with the command that reproduced them.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")

PAGES = Path(__file__).resolve().parents[2] / "shared" / "eval" / \
    "article_extraction_benchmark" / "html"


def _cpu() -> float:
    t = os.times()
    return t.user + t.system


def _unpack(pages: Path, out: Path, limit: int | None) -> list[Path]:
    files = sorted(pages.glob("*.html.gz"))[:limit] if limit else sorted(pages.glob("*.html.gz"))
    done = []
    for f in files:
        target = out / f.name.removesuffix(".gz")
        target.write_bytes(gzip.decompress(f.read_bytes()))
        done.append(target)
    return done


def floor(files: list[Path]) -> dict[str, float]:
    import spacy
    import trafilatura

    from corridor.extract._nlp import MODEL_PACKAGES

    nlp = None
    for name in MODEL_PACKAGES:  # the stock model, under the name its wheel installs
        try:
            nlp = spacy.load(name)
            break
        except OSError:
            continue
    if nlp is None:
        raise SystemExit(f"no spaCy English model installed ({', '.join(MODEL_PACKAGES)})")
    list(nlp.pipe(["Warm-up sentence for the pipeline."]))
    c0 = _cpu()
    texts = [trafilatura.extract(f.read_text("utf-8", errors="replace")) or "" for f in files]
    c1 = _cpu()
    words = sum(len(t.split()) for t in texts)
    list(nlp.pipe(texts))
    c2 = _cpu()
    return {"trafilatura_cpu_s": c1 - c0, "spacy_cpu_s": c2 - c1, "floor_cpu_s": c2 - c0,
            "words": float(words)}


def ingest(folder: Path, db: Path, after: bool = False) -> dict[str, float]:
    """``after``: embed after the extraction, on this thread, as before the background
    embedder (``--compare``)."""
    from corridor import embed
    from corridor.extract import run
    from corridor.extract._nlp import get_nlp
    from corridor.extract.vectors import ingest_embedder
    from corridor.service import Corridor
    from corridor.settings import Settings

    spent = {"embed": 0.0}
    lock = threading.Lock()
    original = embed.Embedder.embed

    def timed(self: embed.Embedder, texts):  # type: ignore[no-untyped-def]
        # the calling thread's CPU: all of the embedder's work where it runs one
        # onnxruntime thread (the extraction's background embedder), part of it else
        c = time.thread_time()
        try:
            return original(self, texts)
        finally:
            with lock:
                spent["embed"] += time.thread_time() - c

    embed.Embedder.embed = timed  # type: ignore[method-assign]
    # models loaded before the clock starts, as in a warm server or a long run
    get_nlp()
    embed.get_embedder().embed(["Warm-up sentence for the embedder."])
    ingest_embedder().embed(["Warm-up sentence for the embedder."])
    spent["embed"] = 0.0
    background = run._background_vectors
    if after:  # no background embedder: embed_after_extract embeds it all at the end
        run._background_vectors = lambda store: None
    try:
        with Corridor(settings=Settings(db=str(db))) as pool:
            c0, w0 = _cpu(), time.monotonic()
            report = pool.ingest([str(folder)])
            c1, w1 = _cpu(), time.monotonic()
    finally:
        run._background_vectors = background
        embed.Embedder.embed = original  # type: ignore[method-assign]
    return {"ingest_cpu_s": c1 - c0, "ingest_wall_s": w1 - w0, "embed_cpu_s": spent["embed"],
            "stored": float(report.stored)}


def _median(runs: list[dict[str, float]]) -> dict[str, float]:
    """Each figure's median over the runs (of two: their mean)."""
    return {k: statistics.median(r[k] for r in runs) for k in runs[0]}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pages", type=Path, default=PAGES)
    ap.add_argument("--limit", type=int, default=None, help="first N pages only")
    ap.add_argument("--compare", action="store_true",
                    help="four ingests, alternating: embedding after the extraction (as "
                         "before the background embedder) and beside it; medians of each")
    args = ap.parse_args()
    if not args.pages.is_dir():
        print(f"pages not found at {args.pages}: skipped")
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        folder = work / "pages"
        folder.mkdir()
        files = _unpack(args.pages, folder, args.limit)
        t0 = time.monotonic()
        fl = floor(files)
        if args.compare:  # alternated, so that a drift of the machine hits both alike
            runs = [ingest(folder, work / f"pool{n}.db", after=n % 2 == 0) for n in range(4)]
            old, ing = _median(runs[0::2]), _median(runs[1::2])
        else:
            ing, old = ingest(folder, work / "pool.db"), None
        wall = time.monotonic() - t0
    ratio = ing["ingest_cpu_s"] / fl["floor_cpu_s"]
    result = {**{k: round(v, 2) for k, v in {**fl, **ing}.items()},
              "pages": len(files), "ratio_ingest_to_floor": round(ratio, 2),
              "embed_share_of_ingest": round(ing["embed_cpu_s"] / ing["ingest_cpu_s"], 3),
              "ingest_pages_per_cpu_s": round(len(files) / ing["ingest_cpu_s"], 2),
              "wall_s": round(wall, 1)}
    print(json.dumps(result, indent=2))
    print(f"ingest CPU / (trafilatura + spaCy) CPU = {ratio:.2f} (issue 14: <= 1.5); "
          f"embedding {result['embed_share_of_ingest']:.0%} of the ingest")
    if old is not None:
        print(f"embedding after the extraction instead (same run): CPU "
              f"{old['ingest_cpu_s']:.1f} s (ratio {old['ingest_cpu_s'] / fl['floor_cpu_s']:.2f}),"
              f" wall {old['ingest_wall_s']:.1f} s; the background embedder takes "
              f"{ing['ingest_cpu_s'] / old['ingest_cpu_s']:.2f}x its CPU and "
              f"{ing['ingest_wall_s'] / old['ingest_wall_s']:.2f}x its wall time")
    print("reproduce: .venv/bin/python bench/ingest_cpu_bench.py"
          + (f" --limit {args.limit}" if args.limit else "")
          + (" --compare" if args.compare else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
