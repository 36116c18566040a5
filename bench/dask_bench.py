"""Ingest + extract throughput: single process vs the Dask engine (a benchmark, not a test).

    python bench/dask_bench.py -n 2000 --workers 1,2

Generates N synthetic articles (bench/corpus.py: topics, skewed entity
popularity, exact copies, near-duplicates, follow-ups) as JSONL, then ingests
them with extraction and sentence embeddings into a fresh SQLite file:

* ``single``: ``Corridor.ingest`` in this process;
* ``dask wN``: ``Corridor.ingest_distributed`` on a LocalCluster of N worker
  processes (one thread each), for each N of ``--workers``.

Model loading is timed apart ("startup"): for the single process a warm-up
ingest of 20 other articles; for Dask starting the cluster, which warms every
worker. "articles/s" is N / ingest seconds, startup excluded. Every run must
give the same outcome counts and the same number of entities, events and
sentence vectors as the single process; the script says so or fails.

CPU load matters: the figures print the number of usable CPUs and the 1-minute
load average before and after each run (on a shared machine other processes
take their share of the cores too), and the CPU time each run used per
article: in all its processes ("CPU ms/art", what the work costs whatever the
load) and in the driver alone ("driver": the one writer's share, which bounds
how far more workers can scale: about 1000 / driver ms articles/s).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sqlite3
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpus import write_jsonl  # noqa: E402

from corridor.engine import dask_engine  # noqa: E402
from corridor.service import Corridor  # noqa: E402
from corridor.settings import Settings  # noqa: E402


def _counts(db: Path) -> dict[str, int]:
    conn = sqlite3.connect(db)
    try:
        return {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                for t in ("documents", "sources", "quarantine", "entities", "mentions", "events",
                          "commitments", "sentences", "sentence_vectors")}
    finally:
        conn.close()


def _outcomes(report: Any) -> dict[str, Any]:
    data: dict[str, Any] = report.to_dict()
    data.pop("seconds")
    return data


def _load() -> float:
    return round(os.getloadavg()[0], 2)


def _cpu() -> float:
    """CPU seconds (user + system, all threads) this process has used."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("-n", type=int, default=2000, help="articles")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--workers", default="1,2", help="comma-separated worker counts")
    ap.add_argument("--chunk-size", type=int, default=dask_engine.CHUNK_SIZE,
                    help="inputs per worker task")
    ap.add_argument("--no-single", action="store_true", help="skip the single-process run")
    args = ap.parse_args()
    counts = [int(w) for w in args.workers.split(",") if w.strip()]

    work = Path(tempfile.mkdtemp(prefix="corridor-dask-bench-"))
    corpus = write_jsonl(work / "corpus.jsonl", args.n, args.seed)
    warm = write_jsonl(work / "warm.jsonl", 20, args.seed + 1)
    rows: list[dict[str, Any]] = []
    reference: tuple[dict[str, Any], dict[str, int]] | None = None

    if not args.no_single:
        load0 = _load()
        t0 = time.perf_counter()
        with Corridor(settings=Settings(db=str(work / "warm.db"))) as pool:
            pool.ingest([str(warm)])
        t1, cpu1 = time.perf_counter(), _cpu()
        with Corridor(settings=Settings(db=str(work / "single.db"))) as pool:
            report = pool.ingest([str(corpus)])
        t2, cpu2 = time.perf_counter(), _cpu()
        reference = (_outcomes(report), _counts(work / "single.db"))
        rows.append({"engine": "single", "workers": 0, "startup_s": round(t1 - t0, 1),
                     "ingest_s": round(t2 - t1, 1),
                     "articles_per_s": round(args.n / (t2 - t1), 2),
                     "cpu_ms_per_article": round((cpu2 - cpu1) / args.n * 1000),
                     "driver_cpu_ms_per_article": round((cpu2 - cpu1) / args.n * 1000),
                     "load_before": load0, "load_after": _load()})

    for n_workers in counts:
        load0 = _load()
        t0 = time.perf_counter()
        with dask_engine.dask_client(workers=n_workers) as client:
            t1, cpu1, wcpu1 = time.perf_counter(), _cpu(), client.run(_cpu)
            db = work / f"dask{n_workers}.db"
            with Corridor(settings=Settings(db=str(db))) as pool:
                report = dask_engine.ingest_dask(
                    pool, [str(corpus)], scheduler=client.scheduler.address,
                    chunk_size=args.chunk_size)
            t2, cpu2, wcpu2 = time.perf_counter(), _cpu(), client.run(_cpu)
        workers_cpu = sum(wcpu2[w] - wcpu1[w] for w in wcpu2)
        result = (_outcomes(report), _counts(db))
        if reference is None:
            reference = result
        same = result == reference
        rows.append({"engine": "dask", "workers": n_workers, "startup_s": round(t1 - t0, 1),
                     "ingest_s": round(t2 - t1, 1),
                     "articles_per_s": round(args.n / (t2 - t1), 2),
                     "cpu_ms_per_article": round((cpu2 - cpu1 + workers_cpu) / args.n * 1000),
                     "driver_cpu_ms_per_article": round((cpu2 - cpu1) / args.n * 1000),
                     "load_before": load0, "load_after": _load(), "same_as_single": same})
        if not same:
            print(json.dumps({"expected": reference, "got": result}, indent=2))
            raise SystemExit(f"dask with {n_workers} worker(s) differs from the reference")

    assert reference is not None
    base = rows[0]["articles_per_s"]
    for row in rows:
        row["speedup"] = round(row["articles_per_s"] / base, 2)
    print(json.dumps({"articles": args.n, "outcomes": reference[0], "stored": reference[1],
                      "usable_cpus": dask_engine.default_workers(), "runs": rows}, indent=2))
    print(f"{'run':<10}{'startup s':>10}{'ingest s':>10}{'art/s':>8}{'speedup':>9}"
          f"{'CPU ms/art':>12}{'driver':>8}{'load 1m before/after':>23}")
    for row in rows:
        name = "single" if row["engine"] == "single" else f"dask w{row['workers']}"
        print(f"{name:<10}{row['startup_s']:>10}{row['ingest_s']:>10}{row['articles_per_s']:>8}"
              f"{row['speedup']:>9}{row['cpu_ms_per_article']:>12}"
              f"{row['driver_cpu_ms_per_article']:>8}{row['load_before']:>13} / "
              f"{row['load_after']}")
    print(f"reproduce: python bench/dask_bench.py -n {args.n} --seed {args.seed} "
          f"--workers {args.workers} --chunk-size {args.chunk_size}")
    for p in sorted(work.iterdir()):
        p.unlink()
    work.rmdir()


if __name__ == "__main__":
    main()
