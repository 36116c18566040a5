"""SQLite vs PostgreSQL: ingest throughput, size per 1,000 articles, search latency.

    python bench/pg_backend_bench.py -n 5000            # both backends, store path only
    python bench/pg_backend_bench.py -n 300 --extract   # with extraction + embeddings
    python bench/pg_backend_bench.py --pg-url postgresql://user@host/db   # an existing server

The same synthetic corpus (bench/corpus.py) is ingested through ``Corridor``
into a fresh SQLite file and a fresh PostgreSQL database. PostgreSQL is
started from the Debian packages in a temporary folder (tests/pg.py) with the
server's default, durable settings (fsync and synchronous_commit on; SQLite
runs WAL with synchronous=NORMAL, which syncs at checkpoints only). Size:
the SQLite file (+ WAL) and ``pg_database_size`` minus the empty migrated
database, per 1,000 stored articles. Search: every query of QUERIES run
REPEAT times after one warm-up run, p50/p95 of the wall time of
``Corridor.search`` (20 hits with snippets). Not a test: prints figures.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT))
from corpus import write_jsonl  # noqa: E402

from corridor.service import Corridor  # noqa: E402

QUERIES = [
    "Gwadar", "railway upgrade", '"economic zone"', "energy OR mining", "engin*",
    "Zhou Liang", "hydropower project financing", "scholarships", "Kashgar tourism",
    '"working group"', "disinformation", "Karachi Circular Railway", "banking",
    "memorandum of understanding", "climate resilience", "nothingmatchesthis",
]
REPEAT = 5


def _search_latency(corridor: Corridor) -> dict[str, float]:
    times: list[float] = []
    for q in QUERIES:
        corridor.search(q)  # warm-up (page cache, prepared statements)
        for _ in range(REPEAT):
            t = time.perf_counter()
            corridor.search(q)
            times.append(time.perf_counter() - t)
    ms = np.asarray(times) * 1000
    return {"p50_ms": round(float(np.percentile(ms, 50)), 2),
            "p95_ms": round(float(np.percentile(ms, 95)), 2),
            "max_ms": round(float(ms.max()), 2)}


def _run(db: str, corpus: Path, extract: bool, empty_bytes: int,
         size_of: Any) -> dict[str, Any]:
    with Corridor(db) as corridor:
        t0 = time.perf_counter()
        report = corridor.ingest([str(corpus)], extract=extract)
        seconds = time.perf_counter() - t0
        latency = _search_latency(corridor)
        integrity = corridor.check_integrity()
        size = size_of(corridor) - empty_bytes
    return {
        "ingest_seconds": round(seconds, 2),
        "articles_per_second": round(report.inputs / seconds, 1),
        "outcomes": report.to_dict(),
        "bytes_per_1000_articles": int(size / max(report.stored, 1) * 1000),
        "search": latency,
        "integrity_problems": integrity,
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("-n", type=int, default=5000, help="articles")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--extract", action="store_true",
                    help="also extract facts and embed sentences while ingesting")
    ap.add_argument("--pg-url", help="an existing, empty PostgreSQL database to use")
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="corridor-pgbench-"))
    corpus = write_jsonl(work / "corpus.jsonl", args.n, args.seed)
    results: dict[str, Any] = {"articles": args.n, "extract": args.extract,
                               "cpu_count": os.cpu_count()}

    # warm-up: imports and caches are paid before either timed run
    warm = write_jsonl(work / "warm.jsonl", 20, args.seed + 1)
    with Corridor(str(work / "warm.sqlite")) as corridor:
        corridor.ingest([str(warm)], extract=args.extract)
    db = work / "bench.db"

    def sqlite_size(_: Corridor) -> int:
        return sum(p.stat().st_size for p in work.glob("bench.db*"))

    results["sqlite"] = _run(str(db), corpus, args.extract, 0, sqlite_size)

    server = None
    url = args.pg_url
    if url is None:
        from tests.pg import LocalPostgres, find_pg_bindir

        bindir = find_pg_bindir()
        if bindir is None:
            sys.exit("no PostgreSQL binaries found; pass --pg-url")
        server = LocalPostgres(bindir, durable=True).start()
        url = server.create_database(name="bench")
    try:
        def pg_size(corridor: Corridor) -> int:
            return int(corridor.stats()["database_bytes"])

        with Corridor(url) as empty:
            empty_bytes = pg_size(empty)
        results["postgres"] = _run(url, corpus, args.extract, empty_bytes, pg_size)
    finally:
        if server is not None:
            server.stop()
    print(json.dumps(results, indent=2))
    print(f"reproduce: python bench/pg_backend_bench.py -n {args.n} --seed {args.seed}"
          + (" --extract" if args.extract else ""))
    for p in work.iterdir():
        p.unlink()
    work.rmdir()


if __name__ == "__main__":
    main()
