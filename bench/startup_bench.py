"""Start-up of the ``corridor`` commands against a bare interpreter (a benchmark, not a test).

    .venv/bin/python bench/startup_bench.py [--repeat 7] [--serve-repeat 3] [--keep-env]

In one run, each as a new process: the floor ``python -c pass`` (the same
interpreter), ``corridor --help``, ``corridor search Gwadar --db POOL`` (a
keyword search), ``corridor check CLAIM --db POOL --no-save`` (cold: imports,
spaCy, the embedding model and the judge, one check) and ``corridor serve``
until ``/api/health`` answers (and, separately, until it reports its models
warm). POOL is a SQLite pool that the script builds first, with
``corridor ingest``, from the few short articles written below (made up for
this benchmark).

Each figure is the median of ``--repeat`` runs, interleaved with the floor's
runs so that a change of load touches both, as wall time and as CPU time
(user + system of the child, from ``resource.getrusage(RUSAGE_CHILDREN)``
before and after it is waited for), and as a ratio to the floor. ``serve`` is
killed the moment health answers (with the ingest worker it spawned, found
in ``/proc``), so its getrusage CPU is that of its start; the warm-up is
timed on separate starts. Issue 14 asks for ``--help`` and ``search`` within
10x the floor and ``serve`` health within 2 s.

The children run without ``PYTHONDONTWRITEBYTECODE`` (unless ``--keep-env``):
with it, every run compiles Corridor from source, a cost an installed
Corridor does not pay; one untimed run of each command first fills the
bytecode and the file caches. Nothing is asserted.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import re
import resource
import shlex
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Sequence
from pathlib import Path

#: short made-up articles for the pool (not taken from any real source)
ARTICLES = {
    "gwadar-talks.txt": (
        "Gwadar port expansion talks resume\n\n"
        "Officials from Pakistan and China met in Islamabad on Monday to discuss the "
        "expansion of Gwadar port, the ministry of maritime affairs said. They agreed to "
        "form a joint working group on shipping logistics and to meet again in June.\n"
    ),
    "rail-study.txt": (
        "Rail upgrade study signed in Lahore\n\n"
        "Engineers from both countries signed a feasibility study for upgrading the ML-1 "
        "railway line on Wednesday, the planning ministry said in a statement. The study "
        "is expected to take eighteen months and will cover signalling and bridges.\n"
    ),
    "solar-park.txt": (
        "Solar park reaches first power\n\n"
        "A 300-megawatt solar park near Bahawalpur delivered its first power to the grid "
        "on Friday, the energy ministry said. The operator said the remaining panels would "
        "be connected before the end of the year.\n"
    ),
    "trade-fair.txt": (
        "Trade fair draws exporters to Karachi\n\n"
        "More than two hundred exporters took part in a three-day trade fair in Karachi "
        "that ended on Sunday, the chamber of commerce said. Textile and seafood firms "
        "reported orders worth about forty million dollars.\n"
    ),
}
CLAIM = "Pakistan and China agreed to form a working group on shipping logistics."
QUERY = "Gwadar"


def corridor_command() -> list[str]:
    """The installed console script next to this interpreter, else ``python -m``."""
    script = Path(sys.executable).with_name("corridor")
    return [str(script)] if script.exists() else [sys.executable, "-m", "corridor.cli"]


def child_env(keep: bool) -> dict[str, str]:
    env = dict(os.environ)
    if not keep:
        env.pop("PYTHONDONTWRITEBYTECODE", None)
    env.setdefault("HF_HUB_OFFLINE", "1")
    return env


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def timed(cmd: Sequence[str], env: dict[str, str]) -> tuple[float, float]:
    """(wall s, CPU s) of one run of ``cmd`` to its end (output discarded)."""
    cpu0, t0 = children_cpu(), time.perf_counter()
    proc = subprocess.run(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                          check=False)
    wall, cpu = time.perf_counter() - t0, children_cpu() - cpu0
    if proc.returncode != 0:
        raise SystemExit(f"{shlex.join(cmd)} failed ({proc.returncode}):\n"
                         + proc.stderr.decode(errors="replace"))
    return wall, cpu


def _children(pid: int) -> list[int]:
    """The child processes of ``pid`` (Linux /proc; none elsewhere)."""
    found: list[int] = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            found += [int(c) for c in (task / "children").read_text().split()]
        except (OSError, ValueError):
            continue
    return found


def _get(url: str) -> dict[str, object] | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as answer:  # noqa: S310 - loopback
            data: dict[str, object] = json.loads(answer.read())
            return data
    except (OSError, urllib.error.URLError, ValueError):
        return None


def _start_serving(cmd: Sequence[str],
                   env: dict[str, str]) -> tuple[subprocess.Popen[str], str, float]:
    """Start ``corridor serve``; (process, its health URL, perf_counter at start)."""
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            text=True)
    assert proc.stderr is not None
    line = proc.stderr.readline()  # "Corridor serving DB on http://127.0.0.1:PORT/ ..."
    found = re.search(r"(http://\S+?)/ ", line)
    if found is None:
        proc.kill()
        raise SystemExit(f"corridor serve did not start: {line}{proc.stderr.read()}")
    return proc, found.group(1) + "/api/health", t0


def serve_until_health(cmd: Sequence[str], env: dict[str, str],
                       limit: float = 120.0) -> tuple[float, float]:
    """(wall s, CPU s) from starting ``corridor serve`` to its first health answer. The
    server is killed (SIGKILL, with the ingest worker it started) as soon as it answers,
    so the CPU that getrusage(RUSAGE_CHILDREN) then counts is that of its start alone."""
    cpu0 = children_cpu()
    proc, health, t0 = _start_serving(cmd, env)
    try:
        while _get(health) is None:
            if time.perf_counter() - t0 > limit or proc.poll() is not None:
                raise SystemExit(f"no answer from {health}")
            time.sleep(0.005)
        wall = time.perf_counter() - t0
        for child in _children(proc.pid):  # the ingest worker, spawned at start-up
            with contextlib.suppress(OSError):
                os.kill(child, signal.SIGKILL)
    finally:
        proc.kill()
        proc.wait()
    return wall, children_cpu() - cpu0


def serve_until_warm(cmd: Sequence[str], env: dict[str, str],
                     limit: float = 120.0) -> float | None:
    """Wall s from starting ``corridor serve`` until its health says the models are warm
    (None: its health has no ``warm`` field); then stopped as an operator would."""
    proc, health, t0 = _start_serving(cmd, env)
    try:
        while time.perf_counter() - t0 < limit:
            state = _get(health)
            if state is not None and "warm" not in state:
                return None
            if state is not None and state["warm"] is True:
                return time.perf_counter() - t0
            time.sleep(0.02)
        raise SystemExit(f"{health} never said warm")
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def build_pool(folder: Path, env: dict[str, str]) -> Path:
    articles = folder / "articles"
    articles.mkdir()
    for name, text in ARTICLES.items():
        (articles / name).write_text(text, encoding="utf-8")
    db = folder / "pool.db"
    subprocess.run([*corridor_command(), "ingest", str(articles), "--db", str(db), "--quiet",
                    "--json"], env=env, check=True, stdout=subprocess.DEVNULL)
    return db


def med(values: Sequence[float | None]) -> float | None:
    known = [v for v in values if v is not None]
    return statistics.median(known) if known else None


def main() -> int:
    ap = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    ap.add_argument("--repeat", type=int, default=7, help="runs of each command (median)")
    ap.add_argument("--serve-repeat", type=int, default=3, help="starts of corridor serve")
    ap.add_argument("--keep-env", action="store_true",
                    help="keep PYTHONDONTWRITEBYTECODE for the children")
    args = ap.parse_args()
    if not (1 <= args.repeat <= 100 and 1 <= args.serve_repeat <= 20):
        raise SystemExit("bounds: 1-100 repeats, 1-20 serve starts")
    env = child_env(args.keep_env)
    corridor = corridor_command()
    with tempfile.TemporaryDirectory(prefix="corridor-startup-") as tmp:
        db = build_pool(Path(tmp), env)
        floor = [sys.executable, "-c", "pass"]
        commands = {
            "corridor --help": [*corridor, "--help"],
            f"corridor search {QUERY}": [*corridor, "search", QUERY, "--db", str(db)],
            "corridor check (cold)": [*corridor, "check", CLAIM, "--db", str(db),
                                      "--no-save"],
        }
        for cmd in (floor, *commands.values()):  # untimed: bytecode and file caches
            timed(cmd, env)
        runs: dict[str, list[tuple[float, float]]] = {"floor": []}
        runs.update({name: [] for name in commands})
        for _ in range(args.repeat):
            for name, cmd in (("floor", floor), *commands.items()):
                runs[name].append(timed(cmd, env))
        serve_cmd = [*corridor, "serve", "--db", str(db), "--port", "0",
                     "--log-level", "warning"]
        serve_until_health(serve_cmd, env)  # untimed, as above
        runs["serve"] = []
        for _ in range(args.serve_repeat):
            runs["floor"].append(timed(floor, env))
            runs["serve"].append(serve_until_health(serve_cmd, env))
        warm = [serve_until_warm(serve_cmd, env) for _ in range(args.serve_repeat)]

    floor_wall = statistics.median(w for w, _ in runs["floor"])
    floor_cpu = statistics.median(c for _, c in runs["floor"])
    print(f"# corridor start-up, {args.repeat} runs each (serve: {args.serve_repeat}), "
          f"medians; {os.cpu_count()} CPUs, load average "
          + " ".join(f"{x:.2f}" for x in os.getloadavg()))
    print(f"{'command':<28} {'wall s':>8} {'x floor':>8} {'CPU s':>8} {'x floor':>8}")

    def row(name: str, wall: float | None, cpu: float | None) -> None:
        def cell(v: float | None, base: float) -> str:
            return (f"{v:8.3f} {v / base:8.1f}" if v is not None and base > 0
                    else f"{'-':>8} {'-':>8}")
        print(f"{name:<28} {cell(wall, floor_wall)} {cell(cpu, floor_cpu)}")

    row("python -c pass (floor)", floor_wall, floor_cpu)
    for name in commands:
        row(name, med([w for w, _ in runs[name]]), med([c for _, c in runs[name]]))
    row("corridor serve: health", med([w for w, _ in runs["serve"]]),
        med([c for _, c in runs["serve"]]))
    warm_wall = med(warm)
    print("corridor serve: models warm (health says so) after "
          + (f"{warm_wall:.2f} s wall" if warm_wall is not None else "- (not reported)"))
    print("\nto reproduce:")
    print(f"  {shlex.join([sys.executable, *sys.argv])}")
    for name, cmd in commands.items():
        print(f"  {name}: {shlex.join(cmd).replace(str(db), 'POOL')}")
    print(f"  corridor serve: {shlex.join(serve_cmd).replace(str(db), 'POOL')}"
          " (then GET /api/health)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
