"""Claim-check latency (a benchmark, not a test): warm CPU p50/p95 and a cold command.

    .venv/bin/python bench/check_bench.py [--pool PATH...] [--claims FILE] [--repeat 3]

The pool: ``../shared/seeds`` when present (else ``examples/articles``),
ingested into a fresh SQLite file. The claims: those of
``../shared/eval/seed_claims_dev.json`` when present, else one claim per
stored sentence's first clause (20). Each claim is checked ``--repeat`` times
in one warm process (models loaded once): CPU time (``time.process_time``,
the figure that holds on a loaded machine) and wall time per check, p50 and
p95, with the share of the CPU that the learned judge takes. Then one cold
``corridor check`` as a new process (import, model load, check), wall and
CPU of the child. Nothing is asserted.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pool", nargs="*", default=None, help="files/folders to ingest")
    ap.add_argument("--claims", type=Path, default=None, help="JSON list of {claim: ...}")
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    from corridor.check import pairmodel
    from corridor.service import Corridor

    seeds = SHARED / "seeds"
    pool = args.pool or [str(seeds if seeds.is_dir() else ROOT / "examples" / "articles")]
    claims_file = args.claims or SHARED / "eval" / "seed_claims_dev.json"
    with tempfile.TemporaryDirectory() as tmp:
        db = str(Path(tmp) / "bench.db")
        with Corridor(db) as corridor:
            report = corridor.ingest(pool)
            if claims_file.is_file():
                claims = [c["claim"] for c in json.loads(claims_file.read_text("utf-8"))]
            else:
                sents = [s for d in corridor.store.iter_documents()
                         for s in corridor.document(d.id).text.split(". ")[:3]]
                claims = [s.strip() + "." for s in sents if len(s.split()) > 6][:20]
            print(f"pool: {report.stored} articles from {pool}; {len(claims)} claims "
                  f"x {args.repeat}")
            corridor.check(claims[0], save=False)  # warm: models and caches
            model = pairmodel.get_pair_model()
            real_logits = model.logits
            judge_cpu = 0.0

            def timed_logits(pairs):  # type: ignore[no-untyped-def]
                nonlocal judge_cpu
                c = time.process_time()
                try:
                    return real_logits(pairs)
                finally:
                    judge_cpu += time.process_time() - c

            model.logits = timed_logits  # type: ignore[method-assign]
            cpu: list[float] = []
            wall: list[float] = []
            for _ in range(args.repeat):
                for claim in claims:
                    c0, t0 = time.process_time(), time.perf_counter()
                    corridor.check(claim, save=False)
                    cpu.append(time.process_time() - c0)
                    wall.append(time.perf_counter() - t0)
        print(f"warm check, CPU per claim: p50 {pct(cpu, 0.5) * 1000:.0f} ms, p95 "
              f"{pct(cpu, 0.95) * 1000:.0f} ms (mean {statistics.mean(cpu) * 1000:.0f} ms; "
              f"the learned judge {judge_cpu / max(sum(cpu), 1e-9):.0%} of it)")
        print(f"warm check, wall per claim: p50 {pct(wall, 0.5) * 1000:.0f} ms, p95 "
              f"{pct(wall, 0.95) * 1000:.0f} ms")
        exe = Path(sys.executable).with_name("corridor")
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        t0 = time.perf_counter()
        done = subprocess.run([str(exe), "check", claims[0], "--db", db, "--json"],
                              capture_output=True, text=True, check=False)
        cold = time.perf_counter() - t0
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        child_cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        verdict = json.loads(done.stdout)["verdict"] if done.returncode == 0 else done.stderr
        print(f"cold `corridor check`: {cold:.2f} s wall, {child_cpu:.2f} s CPU ({verdict})")
    print(f"command: {' '.join([Path(sys.executable).name, *sys.argv])}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
