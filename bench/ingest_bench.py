"""Ingest throughput and peak memory on a synthetic corpus (a benchmark, not a test).

    python bench/ingest_bench.py -n 10000

Generates N synthetic articles (bench/corpus.py) as JSONL, ingests them into a
fresh SQLite file with the same code path as `corridor ingest`, then ingests
them again (the idempotent re-run), and prints articles/s, the outcome counts,
the database size and the peak resident memory of this process.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpus import write_jsonl  # noqa: E402

from corridor.service import Corridor  # noqa: E402
from corridor.settings import Settings  # noqa: E402


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("-n", type=int, default=10_000, help="articles (up to 100,000)")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--keep", action="store_true", help="keep the temporary folder")
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="corridor-bench-"))
    corpus = write_jsonl(work / "corpus.jsonl", args.n, args.seed)
    db = work / "bench.db"
    settings = Settings.from_env(db=str(db))
    with Corridor(settings=settings) as corridor:
        t0 = time.perf_counter()
        first = corridor.ingest([str(corpus)])
        t1 = time.perf_counter()
        again = corridor.ingest([str(corpus)])
        t2 = time.perf_counter()
        integrity = corridor.check_integrity()
    size = db.stat().st_size + sum(
        p.stat().st_size for p in work.glob("bench.db-*") if p.exists())
    result = {
        "articles": args.n,
        "ingest_seconds": round(t1 - t0, 2),
        "articles_per_second": round(args.n / (t1 - t0), 1),
        "outcomes": first.to_dict(),
        "rerun_seconds": round(t2 - t1, 2),
        "rerun_unchanged": again.unchanged,
        "rerun_stored": again.stored,
        "db_bytes_per_1000_articles": int(size / max(first.stored, 1) * 1000),
        "peak_rss_mb": round(peak_rss_mb(), 1),
        "integrity_problems": integrity,
        "cpu_count": os.cpu_count(),
    }
    print(json.dumps(result, indent=2))
    print(f"reproduce: python bench/ingest_bench.py -n {args.n} --seed {args.seed}")
    if not args.keep:
        for p in work.iterdir():
            p.unlink()
        work.rmdir()


if __name__ == "__main__":
    main()
