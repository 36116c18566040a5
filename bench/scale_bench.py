"""Corridor at scale: load, size, search latency, claim checks, ANN recall (a benchmark).

    python bench/scale_bench.py                                   # the documented 1M run
    python bench/scale_bench.py --articles 20000 --load-seconds 1200 --embed-articles 1000 \\
        --ann-vectors 2000000 --out bench/out/scale.json          # what fits in an hour
    python bench/scale_bench.py --articles 5000 --pg postgresql://user@host/db   # + PostgreSQL
    python bench/scale_bench.py --articles 0 --work DIR --ann-nprobe 22,44,88   # ANN figure only,
                                               # from the scale.db a --work/--keep run left in DIR

Phases, each timed and reported (JSON on stdout and in ``--out``):

1. **load**: ``--articles`` synthetic articles (bench/corpus.py, seed 7) are
   ingested through ``Corridor.ingest_articles`` (the real pipeline: cleaning,
   MinHash dedup, batched transactions), ``--chunk`` articles per call,
   without extraction. ``--load-seconds`` stops generating early: the report
   then says how many were requested and how many were loaded;
2. **extract + embed**: the first ``--embed-articles`` stored documents go
   through ``Corridor.extract`` (entities, events, sentences, and their
   all-MiniLM-L6-v2 vectors);
3. **size**: database bytes (file + WAL, or ``pg_database_size``) per 1,000
   articles after load, and the extra bytes per extracted + embedded article;
4. **latency** (wall clock, one warm-up pass, then ``--repeat`` passes):
   keyword document search (``Corridor.search``), keyword / semantic /
   hybrid sentence search (``Corridor.search_sentences``) with exact vectors
   and with the ANN index forced on (``CORRIDOR_ANN_MIN_VECTORS=0``), and
   ``Corridor.check(save=False)``; p50 / p95;
5. **ANN recall on real embeddings**: recall@10 of ``Store.vector_search``
   with the index against exact search, for every query;
6. **ANN at millions of vectors (synthetic)**: ``--ann-vectors`` vectors made
   from the real sentence vectors of phase 2 (``--ann-synth noise``: a real
   vector plus Gaussian noise; ``mix``: a blend of two real vectors plus
   noise; re-normalised; these are NOT real embeddings), indexed with
   ``corridor.vectors.IVFIndex``: build time, index bytes, query latency
   (probe + 4x over-fetch + exact re-score) against numpy brute force over
   float32, recall@10. This isolates the index: no SQL round trip.

Peak RSS is read after each phase (``ru_maxrss``: the process high-water mark).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT))
from corpus import generate  # noqa: E402

from corridor.service import Corridor  # noqa: E402
from corridor.store.base import SearchFilters  # noqa: E402
from corridor.vectors.ann import IVFIndex  # noqa: E402

DOC_QUERIES = [
    "Gwadar", "railway upgrade", '"economic zone"', "energy OR mining", "Zhou Liang",
    "hydropower project financing", "scholarships", "Kashgar", '"working group"',
    "Karachi Circular Railway", "memorandum of understanding", "nothingmatchesthis",
]
SENTENCE_QUERIES = [
    "talks on finishing the railway line", "new loans for a hydropower dam",
    "students receive scholarships to study abroad", "trade between the two countries grew",
    "security for foreign engineers working on projects", "farmers adopt new seed varieties",
    "the central bank signed a currency swap", "port expansion and shipping traffic",
    "a memorandum of understanding on climate resilience", "ministers reviewed progress",
    "exports of rice and seafood", "tourism in the northern areas",
]
CLAIMS = [
    "Amina Rahimtoola met Zhou Liang in Beijing to review cooperation in energy.",
    "Bilateral trade rose by 12 percent last year.",
    "The ML-1 railway upgrade was completed ahead of schedule.",
    "A memorandum of understanding on agriculture was signed in Islamabad.",
    "China agreed to finance the Kohala hydropower project.",
    "The Karachi Circular Railway will open to passengers next month.",
]


def rss_mb() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def pct(values: list[float]) -> dict[str, float]:
    a = np.asarray(values) * 1000
    return {"p50_ms": round(float(np.percentile(a, 50)), 2),
            "p95_ms": round(float(np.percentile(a, 95)), 2), "n": len(values)}


def timed(fn: Callable[[str], Any], items: list[str], repeat: int) -> dict[str, float]:
    for item in items:  # warm-up: page cache, model load, index build
        fn(item)
    times = []
    for _ in range(repeat):
        for item in items:
            t = time.perf_counter()
            fn(item)
            times.append(time.perf_counter() - t)
    return pct(times)


def db_bytes(c: Corridor, db: str) -> int:
    if db.startswith("postgres"):
        return int(c.store._scalar(  # type: ignore[attr-defined]
            "SELECT pg_database_size(current_database())"))
    c.store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # type: ignore[attr-defined]
    return sum(Path(p).stat().st_size for p in (db, db + "-wal") if Path(p).exists())


def chunks(n: int, size: int) -> Iterator[list[dict[str, str]]]:
    batch: list[dict[str, str]] = []
    for art in generate(n, seed=7):
        batch.append(art)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def run_backend(db: str, args: argparse.Namespace, log: Callable[[str], None]) -> dict[str, Any]:
    out: dict[str, Any] = {"db": db.split("@")[-1]}
    with Corridor(db) as c:
        empty = db_bytes(c, db)
        # 1. load
        t0 = time.perf_counter()
        loaded = stored = dups = 0
        for batch in chunks(args.articles, args.chunk):
            rep = c.ingest_articles(batch, label="scale-bench", extract=False)
            loaded += len(batch)
            stored += rep.stored
            dups += sum(rep.duplicates.values())
            elapsed = time.perf_counter() - t0
            log(f"loaded {loaded} ({stored} stored) in {elapsed:.0f}s")
            if args.load_seconds and elapsed > args.load_seconds:
                break
        load_s = time.perf_counter() - t0
        size = db_bytes(c, db) - empty
        out["load"] = {"articles_requested": args.articles, "articles_loaded": loaded,
                       "stored": stored, "duplicates": dups, "seconds": round(load_s, 1),
                       "articles_per_second": round(loaded / load_s, 2),
                       "db_bytes_per_1000_articles": int(size / max(stored, 1) * 1000),
                       "peak_rss_mb": rss_mb()}
        # 2. extract + embed a subset
        ids = c.extraction_todo()[: args.embed_articles]
        marks: list[float] = []
        t0 = time.perf_counter()
        c.extract(ids, progress=lambda _d: marks.append(time.perf_counter()))
        t1 = time.perf_counter()
        ex_s = (marks[-1] - t0) if marks else 0.0
        n_sent = int(c.store._scalar("SELECT count(*) FROM sentences")  # type: ignore[attr-defined]
                     if db.startswith("postgres") else
                     c.store.conn.execute("SELECT count(*) FROM sentences")  # type: ignore[attr-defined]
                     .fetchone()[0])
        n_vec = vector_count(c, db)
        size2 = db_bytes(c, db) - empty
        out["extract_embed"] = {
            "documents": len(ids), "sentences": n_sent, "unique_sentence_vectors": n_vec,
            "extract_seconds": round(ex_s, 1), "embed_seconds": round(t1 - t0 - ex_s, 1),
            "documents_per_second_extract": round(len(ids) / max(ex_s, 1e-9), 2),
            "vectors_per_second_embed": round(n_vec / max(t1 - t0 - ex_s, 1e-9), 1),
            "extra_bytes_per_extracted_article": int((size2 - size) / max(len(ids), 1)),
            "peak_rss_mb": rss_mb()}
        log(f"extracted + embedded {len(ids)} documents")
        # 4. latency
        r = args.repeat
        lat: dict[str, Any] = {
            "keyword_documents": timed(lambda q: c.search(q), DOC_QUERIES, r),
            "keyword_sentences": timed(
                lambda q: c.search_sentences(q, mode="keyword"), SENTENCE_QUERIES, r),
        }
        for label, threshold in (("exact", None), ("ann", "0")):
            with ann_env(threshold):
                lat[f"semantic_{label}"] = timed(
                    lambda q: c.search_sentences(q, mode="semantic"), SENTENCE_QUERIES, r)
                lat[f"hybrid_{label}"] = timed(
                    lambda q: c.search_sentences(q, mode="hybrid"), SENTENCE_QUERIES, r)
        lat["check_save_false"] = timed(lambda q: c.check(q, save=False), CLAIMS, 1)
        out["latency"] = lat
        out["ann_recall_real"] = real_recall(c)
        out["peak_rss_mb"] = rss_mb()
        log("latency measured")
    return out


class ann_env:  # noqa: N801 - used as a context manager
    def __init__(self, threshold: str | None) -> None:
        self.threshold, self.old = threshold, os.environ.get("CORRIDOR_ANN_MIN_VECTORS")

    def __enter__(self) -> None:
        if self.threshold is not None:
            os.environ["CORRIDOR_ANN_MIN_VECTORS"] = self.threshold

    def __exit__(self, *exc: object) -> None:
        if self.old is None:
            os.environ.pop("CORRIDOR_ANN_MIN_VECTORS", None)
        else:
            os.environ["CORRIDOR_ANN_MIN_VECTORS"] = self.old


def vector_count(c: Corridor, db: str) -> int:
    sql = "SELECT count(*) FROM sentence_vectors"
    if db.startswith("postgres"):
        return int(c.store._scalar(sql))  # type: ignore[attr-defined]
    return int(c.store.conn.execute(sql).fetchone()[0])  # type: ignore[attr-defined]


def real_recall(c: Corridor) -> dict[str, Any]:
    """Recall@10 of the store's ANN path against its exact path, on real embeddings,
    at the default nprobe and at 2x, 4x and every list."""
    from corridor.embed import get_embedder

    emb = get_embedder()
    vecs = emb.embed(SENTENCE_QUERIES)
    with ann_env(None):
        exact = [c.store.vector_search(emb.model_id, v, SearchFilters(), 10) for v in vecs]
    out: dict[str, Any] = {"queries": len(vecs)}
    with ann_env("0"):
        c.store.vector_search(emb.model_id, vecs[0], SearchFilters(), 10)  # build
        rows = getattr(c.store, "_ann_rows", None)
        state = rows.states.get(emb.model_id) if rows is not None else None
        index = state.index if state is not None else None
        if index is None:
            return out
        out.update(vectors=len(index), nlist=index.nlist, nprobe=index.default_nprobe())
        sweep = {}
        for nprobe in sorted({index.default_nprobe(), 2 * index.default_nprobe(),
                              4 * index.default_nprobe(), index.nlist}):
            os.environ["CORRIDOR_ANN_NPROBE"] = str(min(nprobe, index.nlist))
            got = by_score = total = 0
            for v, ex in zip(vecs, exact, strict=True):
                approx = c.store.vector_search(emb.model_id, v, SearchFilters(), 10)
                got += len({h.key for h in ex} & {h.key for h in approx})
                total += len(ex)
                # sentences repeated across articles share one vector: ties at the 10th
                # score can be broken differently; count a hit scoring >= the exact 10th
                floor = min(h.score for h in ex) - 1e-6 if ex else 0.0
                by_score += sum(1 for h in approx if h.score >= floor)
            sweep[str(min(nprobe, index.nlist))] = {
                "recall_at_10": round(got / max(total, 1), 4),
                "recall_at_10_ties_counted": round(by_score / max(total, 1), 4)}
        os.environ.pop("CORRIDOR_ANN_NPROBE", None)
    out["nprobe_sweep"] = sweep
    out.update(sweep[str(index.default_nprobe())])
    return out


def real_vectors(db: str) -> npt.NDArray[np.float32]:
    with Corridor(db) as c:
        if db.startswith("postgres"):
            rows = [bytes(r["vec"]) for r in c.store._x(  # type: ignore[attr-defined]
                "SELECT vec FROM sentence_vectors")]
        else:
            rows = [r[0] for r in c.store.conn.execute(  # type: ignore[attr-defined]
                "SELECT vec FROM sentence_vectors")]
    if not rows:
        raise SystemExit("no sentence vectors to derive synthetic ones from (--embed-articles 0?)")
    return np.frombuffer(b"".join(rows), dtype=np.float32).reshape(len(rows), -1)


def _synth(base: npt.NDArray[np.float32], m: int, how: str, rng: np.random.Generator
           ) -> tuple[npt.NDArray[np.float32], npt.NDArray[np.int64]]:
    """``m`` synthetic unit vectors and the real vector each is closest by construction to.

    ``noise``: a real vector plus Gaussian noise (sigma 0.035 per dimension):
    copies cluster tightly around each real vector (easy for IVF);
    ``mix``: alpha * one real vector + (1 - alpha) * another random one
    (alpha uniform in [0.5, 1]) plus noise (sigma 0.02): fills the space
    between real vectors, so neighbours are not simply copies of one vector.
    """
    dim = base.shape[1]
    src = rng.integers(0, len(base), m)
    if how == "noise":
        part = base[src] + rng.normal(0, 0.035, (m, dim)).astype(np.float32)
    else:
        alpha = rng.uniform(0.5, 1.0, (m, 1)).astype(np.float32)
        other = base[rng.integers(0, len(base), m)]
        part = alpha * base[src] + (1 - alpha) * other + rng.normal(0, 0.02, (m, dim)).astype(
            np.float32)
    out = (part / np.linalg.norm(part, axis=1, keepdims=True)).astype(np.float32)
    return out, src


def synthetic_ann(base: npt.NDArray[np.float32], n: int, queries: int,
                  log: Callable[[str], None], nprobes: list[int] | None = None,
                  how: str = "noise") -> dict[str, Any]:
    """IVF vs brute force on ``n`` synthetic vectors derived from the real ones in ``base``."""
    rng = np.random.default_rng(11)
    dim = base.shape[1]
    x = np.empty((n, dim), dtype=np.float32)
    first = np.zeros(0, dtype=np.int64)
    for s in range(0, n, 200_000):
        m = min(n, s + 200_000) - s
        x[s:s + m], src = _synth(base, m, how, rng)
        first = src if s == 0 else first
    qs, _ = _synth(base, queries, how, rng)
    cos = float(np.mean(np.sum(x[:1000] * base[first[:1000]], axis=1)))
    log(f"synthesised {n} vectors")
    ids = np.arange(n, dtype=np.int64)
    t0 = time.perf_counter()
    index = IVFIndex.build(ids, x)
    build_s = time.perf_counter() - t0
    log(f"built IVF over {n} in {build_s:.0f}s")
    exact_t: list[float] = []
    exact_cpu: list[float] = []
    truth = []
    for q in qs:
        t, c0 = time.perf_counter(), time.process_time()
        scores = x @ q
        top = np.argpartition(-scores, 10)[:10]
        truth.append(set(top[np.argsort(-scores[top])].tolist()))
        exact_t.append(time.perf_counter() - t)
        exact_cpu.append(time.process_time() - c0)
    sizes = np.diff(np.asarray(index.offsets))
    sweep = {}
    for nprobe in nprobes or [index.default_nprobe()]:
        ann_t, ann_cpu, scanned, hit = [], [], [], 0
        for q, exact in zip(qs, truth, strict=True):
            t, c0 = time.perf_counter(), time.process_time()
            cand, _ = index.search(q, 40, nprobe)
            rescored = x[cand] @ q  # the stores re-score from their float32 rows
            approx = set(cand[np.argsort(-rescored)[:10]].tolist())
            ann_t.append(time.perf_counter() - t)
            ann_cpu.append(time.process_time() - c0)
            hit += len(exact & approx)
            probe = np.argpartition(-(index.centroids @ q), nprobe - 1)[:nprobe]
            scanned.append(int(sizes[probe].sum()))
        sweep[str(nprobe)] = {"recall_at_10": round(hit / (10 * queries), 4),
                              "ann_query": pct(ann_t), "ann_query_cpu": pct(ann_cpu),
                              "mean_vectors_scanned": int(np.mean(scanned))}
        log(f"nprobe {nprobe}: {sweep[str(nprobe)]}")
    default = sweep.get(str(index.default_nprobe())) or next(iter(sweep.values()))
    index_bytes = sum(int(np.asarray(a).nbytes) for a in
                      (index.centroids, index.ids, index.codes, index.scales, index.offsets))
    return {"vectors": n, "synthetic": how, "base_real_vectors": len(base),
            "mean_cos_to_its_real_vector": round(cos, 3),
            "nlist": index.nlist, "nprobe": index.default_nprobe(), "overfetch": 40,
            "build_seconds": round(build_s, 1), "index_bytes": index_bytes,
            "float32_bytes": int(x.nbytes), "queries": queries,
            "recall_at_10": default["recall_at_10"], "ann_query": default["ann_query"],
            "exact_query": pct(exact_t), "exact_query_cpu": pct(exact_cpu),
            "nprobe_sweep": sweep, "peak_rss_mb": rss_mb()}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--articles", type=int, default=1_000_000)
    ap.add_argument("--load-seconds", type=float, default=0,
                    help="stop loading after this many seconds (0: load everything)")
    ap.add_argument("--chunk", type=int, default=2000, help="articles per ingest call")
    ap.add_argument("--embed-articles", type=int, default=2000,
                    help="documents to extract + embed (the rest are loaded only)")
    ap.add_argument("--ann-vectors", type=int, default=2_000_000,
                    help="synthetic vectors for the index-only ANN figure (0: skip)")
    ap.add_argument("--ann-queries", type=int, default=200)
    ap.add_argument("--ann-nprobe", default="",
                    help="comma-separated nprobe values to sweep (default: the index default)")
    ap.add_argument("--ann-synth", default="noise",
                    help="noise and/or mix, comma-separated: how synthetic vectors are made "
                    "from the real ones (see _synth)")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--pg", default=None,
                    help="also run on this PostgreSQL URL (an empty database)")
    ap.add_argument("--work", type=Path, default=None, help="folder for the SQLite file")
    ap.add_argument("--keep", action="store_true", help="keep the SQLite file")
    ap.add_argument("--out", type=Path, default=None, help="also write the JSON here")
    args = ap.parse_args()
    started = time.time()

    def log(msg: str) -> None:
        print(f"[{time.time() - started:7.0f}s] {msg}", file=sys.stderr, flush=True)

    if not args.articles and (args.work is None or not (args.work / "scale.db").exists()):
        ap.error("--articles 0 needs --work with the scale.db of an earlier --keep run")
    work = args.work or Path(tempfile.mkdtemp(prefix="corridor-scale-"))
    work.mkdir(parents=True, exist_ok=True)
    db = str(work / "scale.db")
    result: dict[str, Any] = {
        "command": "python " + " ".join(sys.argv),
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(),
                    "platform": platform.platform(), "loadavg_start": os.getloadavg()},
    }
    if args.articles:  # 0: reuse the SQLite file kept in --work (ANN figures only)
        result["sqlite"] = run_backend(db, args, log)
    else:
        with Corridor(db) as c:
            result["sqlite"] = {"db": db, "ann_recall_real": real_recall(c)}
    if args.pg:
        result["postgres"] = run_backend(args.pg, args, log)
    if args.ann_vectors:
        nprobes = [int(v) for v in args.ann_nprobe.split(",") if v.strip()]
        base = real_vectors(db)
        for how in [h.strip() for h in args.ann_synth.split(",") if h.strip()]:
            if how not in ("noise", "mix"):
                ap.error(f"--ann-synth: unknown kind {how!r}")
            result[f"ann_synthetic_{how}"] = synthetic_ann(
                base, args.ann_vectors, args.ann_queries, log, nprobes, how)
    result["machine"]["loadavg_end"] = os.getloadavg()
    result["seconds"] = round(time.time() - started, 1)
    text = json.dumps(result, indent=2)
    print(text)
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(text + "\n", encoding="utf-8")
    if not args.keep and args.work is None:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
