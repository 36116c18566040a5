"""Run every fuzz harness for a time budget and print a summary table.

    python fuzz/run.py --seconds 300                 # each target 5 min, one after another
    python fuzz/run.py --seconds 60 --only fts dates
    python fuzz/fuzz_fts.py fuzz/out/crashes/fts/crash-...   # replay one crash repro

For each target the runner writes its seeds and dictionary (``fuzz/seeds.py``)
into ``OUT/corpus/<target>`` and ``OUT/<target>.dict`` and runs the harness
under libFuzzer (atheris) until the budget is spent. A crash (an exception
other than ``corridor.errors.CorridorError``, or a broken invariant) stops
libFuzzer; the runner keeps the repro (``OUT/crashes/<target>/crash-*``
with the traceback next to it as ``.txt``) and restarts on the grown corpus
until the time is up. Inputs slower than ``--timeout`` seconds are kept as
``timeout-*`` repros. The summary (also ``OUT/summary.json``) gives inputs
tried, distinct crashes (by exception and place), timeouts and coverage.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from seeds import DICTS, SEEDS  # noqa: E402

TARGETS = ("decode", "clean", "dates", "feeds", "claims", "fts")
_RUNS = re.compile(r"stat::number_of_executed_units:\s*(\d+)")
_DONE = re.compile(r"Done (\d+) runs")
_COV = re.compile(r"#\d+\s+\w+\s+cov: (\d+) ft: (\d+) corp: (\d+)")
_ARTIFACT = re.compile(r"Test unit written to (\S+)")
_SLOWEST = re.compile(r"stat::slowest_unit_time_sec:\s*(\d+)")
_EXC = re.compile(r"=== Uncaught Python exception: ===\n(.+?)\n(Traceback.*?)(?:\n\n|\n==)", re.S)


@dataclass
class Result:
    target: str
    seconds: float = 0.0
    inputs: int = 0
    runs: int = 0  # libFuzzer sessions (1 + restarts after crashes)
    crashes: list[dict[str, str]] = field(default_factory=list)
    timeouts: int = 0  # inputs over --timeout seconds (or over the memory limit)
    slowest_s: int = 0  # libFuzzer's slowest unit (model loading included)
    coverage: int = 0
    features: int = 0
    corpus: int = 0


def _dict_line(token: str) -> str:
    try:
        raw = token.encode("latin-1")
    except UnicodeEncodeError:
        raw = token.encode("utf-8")
    body = "".join(chr(b) if 32 <= b < 127 and b not in (34, 92) else f"\\x{b:02x}" for b in raw)
    return f'"{body}"'


def _prepare(target: str, out: Path) -> tuple[Path, Path]:
    corpus = out / "corpus" / target
    corpus.mkdir(parents=True, exist_ok=True)
    for i, seed in enumerate(SEEDS[target]):
        (corpus / f"seed-{i:02d}").write_bytes(seed)
    dictionary = out / f"{target}.dict"
    dictionary.write_text("\n".join(_dict_line(t) for t in DICTS[target]) + "\n")
    return corpus, dictionary


def _signature(traceback: str, exc_line: str) -> str:
    """Where it broke: the exception type and the deepest frame in corridor/ (or the harness)."""
    frames = re.findall(r'File "([^"]+)", line (\d+), in (\S+)', traceback)
    ours = [f for f in frames if "/corridor/" in f[0]] or frames
    where = f"{Path(ours[-1][0]).name}:{ours[-1][2]}" if ours else "?"
    return f"{exc_line.split(':', 1)[0].strip()} at {where}"


def fuzz_target(target: str, seconds: float, out: Path, timeout: int, rss_mb: int,
                python: str, nice: int) -> Result:
    corpus, dictionary = _prepare(target, out)
    crash_dir = out / "crashes" / target
    crash_dir.mkdir(parents=True, exist_ok=True)
    log_dir = out / "logs"
    log_dir.mkdir(parents=True, exist_ok=True)
    result = Result(target)
    seen: set[str] = set()
    started = time.monotonic()
    while (left := seconds - (time.monotonic() - started)) >= 5 and result.runs < 200:
        result.runs += 1
        cmd = [python, str(HERE / f"fuzz_{target}.py"), str(corpus),
               f"-max_total_time={int(left)}", f"-timeout={timeout}", f"-rss_limit_mb={rss_mb}",
               f"-dict={dictionary}", f"-artifact_prefix={crash_dir}/", "-print_final_stats=1",
               "-max_len=65536", "-len_control=200"]
        env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(HERE.parent), str(HERE)])}
        log_path = log_dir / f"{target}-{result.runs:03d}.log"
        with log_path.open("w") as log:
            subprocess.run(cmd, stdout=log, stderr=subprocess.STDOUT, env=env,
                           preexec_fn=(lambda: os.nice(nice)) if nice else None, check=False)
        text = log_path.read_text(errors="replace")
        runs = _RUNS.findall(text) or _DONE.findall(text)
        if runs:
            result.inputs += int(runs[-1])
        else:  # killed by a crash before the final stats: the last status line
            counts = re.findall(r"^#(\d+)\s", text, re.M)
            result.inputs += int(counts[-1]) if counts else 0
        for cov, ft, corp in _COV.findall(text)[-1:]:
            result.coverage = max(result.coverage, int(cov))
            result.features = max(result.features, int(ft))
            result.corpus = int(corp)
        for slowest in _SLOWEST.findall(text):
            result.slowest_s = max(result.slowest_s, int(slowest))
        # slow-unit-* files are reports, not failures: libFuzzer goes on after them
        artifacts = [a for a in _ARTIFACT.findall(text) if "/slow-unit-" not in a]
        if not artifacts:
            continue
        artifact = Path(artifacts[-1])
        if artifact.name.startswith(("timeout-", "oom-")):
            result.timeouts += 1
            continue
        exc = _EXC.search(text)
        exc_line, tb = (exc.group(1), exc.group(2)) if exc else ("crash", text[-3000:])
        signature = _signature(tb, exc_line)
        artifact.with_suffix(".txt").write_text(f"{exc_line}\n{tb}\n")
        if signature not in seen:
            seen.add(signature)
            result.crashes.append({"signature": signature, "repro": str(artifact),
                                   "exception": exc_line[:300]})
    result.seconds = round(time.monotonic() - started, 1)
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=60, help="budget per target")
    parser.add_argument("--only", nargs="*", choices=TARGETS, help="targets (default: all)")
    parser.add_argument("--out", type=Path, default=HERE / "out", help="corpus, repros, logs")
    parser.add_argument("--timeout", type=int, default=20, help="seconds per input")
    parser.add_argument("--rss-mb", type=int, default=3072)
    parser.add_argument("--nice", type=int, default=10, help="run harnesses niced")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    results = []
    for target in args.only or TARGETS:
        print(f"fuzzing {target} for {args.seconds:.0f} s ...", flush=True)
        results.append(fuzz_target(target, args.seconds, args.out, args.timeout, args.rss_mb,
                                   sys.executable, args.nice))
        (args.out / "summary.json").write_text(
            json.dumps([asdict(r) for r in results], indent=2))
    print(f"\n{'target':<8} {'seconds':>8} {'inputs':>10} {'exec/s':>7} {'crashes':>7} "
          f"{'timeouts':>8} {'slowest':>7} {'cov':>6} {'corpus':>6}")
    for r in results:
        rate = r.inputs / r.seconds if r.seconds else 0
        print(f"{r.target:<8} {r.seconds:>8.0f} {r.inputs:>10,} {rate:>7.0f} "
              f"{len(r.crashes):>7} {r.timeouts:>8} {r.slowest_s:>6}s {r.coverage:>6} "
              f"{r.corpus:>6}")
    total_s = sum(r.seconds for r in results)
    total_n = sum(r.inputs for r in results)
    print(f"{'total':<8} {total_s:>8.0f} {total_n:>10,}  ({total_s / 3600:.2f} fuzz hours)")
    for r in results:
        for crash in r.crashes:
            print(f"  {r.target}: {crash['signature']}  repro: {crash['repro']}")
    return 1 if any(r.crashes for r in results) else 0


if __name__ == "__main__":
    sys.exit(main())
