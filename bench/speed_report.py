"""Issue 14's figures in one run: ingest against its floor, start-up, checks, embedder recall.

    .venv/bin/python bench/speed_report.py [--skip NAME ...]

Runs, one after the other, each as its own process (so each measures a cold
start where it means to, and none inherits another's warm caches):

- ``ingest``: ``bench/ingest_cpu_bench.py`` (ingest CPU / trafilatura + spaCy
  floor on the 181 real pages of ``../shared/eval``);
- ``startup``: ``bench/startup_bench.py`` (``--help``, ``search``, cold
  ``check`` and ``serve`` against a bare ``python -c pass``);
- ``check``: ``bench/check_bench.py`` (warm check CPU p50/p95 on the seed pool);
- ``embed``: ``bench/embed_bench.py`` (embedder CPU per sentence, recall@10
  against exact MiniLM search of the stored vectors alone and of semantic
  search with its exact re-ranking, FEVER gold-evidence retrieval).

Each benchmark's own report is printed as it comes, under its name; a
benchmark that needs ``../shared`` says it skipped. About 15 minutes on a
2-core machine. Nothing is asserted.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
BENCHES = {
    "ingest": ["ingest_cpu_bench.py"],
    "startup": ["startup_bench.py"],
    "check": ["check_bench.py"],
    "embed": ["embed_bench.py"],
}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--skip", nargs="*", default=[], choices=sorted(BENCHES),
                    help="benchmarks not to run")
    args = ap.parse_args()
    failed = []
    for name, argv in BENCHES.items():
        if name in args.skip:
            continue
        print(f"\n=== {name}: {' '.join(argv)}", flush=True)
        started = time.monotonic()
        done = subprocess.run([sys.executable, str(HERE / argv[0]), *argv[1:]], check=False)
        print(f"=== {name}: {time.monotonic() - started:.0f} s, exit {done.returncode}",
              flush=True)
        if done.returncode:
            failed.append(name)
    if failed:
        print(f"\nfailed: {', '.join(failed)}")
    print("\ncommand: python bench/speed_report.py")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
