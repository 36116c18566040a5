"""HTTP load test: search with concurrent clients while an ingest runs (a benchmark, not a test).

    python bench/http_load.py                       # 8 clients, <= 4000 searches, <= 30 s
    python bench/http_load.py --clients 8 --requests 2000 --seconds 20 --articles 2000

Seeds a fresh SQLite pool with N synthetic articles (bench/corpus.py), starts
a real ``corridor serve`` on 127.0.0.1 (an ephemeral port) and runs
``--clients`` threads, each on its own keep-alive connection, sending
``GET /api/search`` with varied queries, while one more thread keeps POSTing
batches of new articles to ``/api/ingest`` (with an API token). Stops at
``--requests`` searches or ``--seconds``, whichever comes first, then prints
requests/s, p50/p95/p99 latency, the ingest throughput and every error. Exits
1 if any request failed. Only ever talks to 127.0.0.1.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpus import generate  # noqa: E402

from corridor.service import Corridor  # noqa: E402
from corridor.settings import Settings  # noqa: E402

HOST = "127.0.0.1"
QUERIES = [
    "Gwadar", "railway", "energy cooperation", '"working group"', "memorandum", "Karachi",
    "train*", "CPEC Authority", "Thar coal", "youth exchanges", "disinformation",
    "State Bank", "Kashgar OR Urumqi", "tourism", "progress report", "hydropower",
]


def percentile(values: list[float], q: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))
    return ordered[index]


class Results:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.latencies: list[float] = []
        self.errors: list[str] = []
        self.ingest_latencies: list[float] = []
        self.ingest_stored = 0
        self.ingest_errors: list[str] = []
        self.issued = 0

    def claim(self, limit: int) -> bool:
        with self.lock:
            if self.issued >= limit:
                return False
            self.issued += 1
            return True


def search_client(port: int, n: int, res: Results, limit: int, deadline: float) -> None:
    conn = http.client.HTTPConnection(HOST, port, timeout=30)
    i = n
    while time.monotonic() < deadline and res.claim(limit):
        path = "/api/search?" + urlencode({"q": QUERIES[i % len(QUERIES)], "limit": 10})
        i += 7
        started = time.perf_counter()
        try:
            conn.request("GET", path)
            resp = conn.getresponse()
            body = resp.read()
            elapsed = time.perf_counter() - started
            if resp.status != 200:
                with res.lock:
                    res.errors.append(f"HTTP {resp.status} {path}: {body[:200]!r}")
                continue
            json.loads(body)
            with res.lock:
                res.latencies.append(elapsed)
        except (OSError, http.client.HTTPException, ValueError) as exc:
            with res.lock:
                res.errors.append(f"{type(exc).__name__}: {exc} ({path})")
            conn.close()
            conn = http.client.HTTPConnection(HOST, port, timeout=30)
    conn.close()


def ingest_client(port: int, token: str, batch: int, res: Results, stop: threading.Event,
                  seed: int) -> None:
    articles = generate(100_000, seed=seed, near_dup_rate=0.0, exact_dup_rate=0.0)
    conn = http.client.HTTPConnection(HOST, port, timeout=120)
    n = 0
    while not stop.is_set():
        docs = []
        for art in articles:
            n += 1
            docs.append(dict(art, url=f"https://live.example/{seed}/{n}"))
            if len(docs) == batch:
                break
        payload = json.dumps({"articles": docs}).encode()
        started = time.perf_counter()
        try:
            conn.request("POST", "/api/ingest", body=payload,
                         headers={"Content-Type": "application/json",
                                  "Authorization": f"Bearer {token}"})
            resp = conn.getresponse()
            body = resp.read()
        except (OSError, http.client.HTTPException) as exc:
            res.ingest_errors.append(f"{type(exc).__name__}: {exc}")
            conn.close()
            conn = http.client.HTTPConnection(HOST, port, timeout=120)
            continue
        elapsed = time.perf_counter() - started
        if resp.status != 200:
            res.ingest_errors.append(f"HTTP {resp.status}: {body[:200]!r}")
            continue
        res.ingest_latencies.append(elapsed)
        res.ingest_stored += json.loads(body)["report"].get("stored", 0)
    conn.close()


def start_server(db: Path, log: Path, readers: int) -> tuple[subprocess.Popen[bytes], int]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CORRIDOR_")}
    env["HF_HUB_OFFLINE"] = "1"
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "corridor.cli", "serve", "--db", str(db), "--host", HOST,
             "--port", "0", "--log-level", "warning", "--ingest-per-minute", "100000",
             "--readers", str(readers)],
            stdout=out, stderr=subprocess.STDOUT, env=env)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"corridor serve exited:\n{log.read_text(errors='replace')}")
        m = re.search(r"on http://127\.0\.0\.1:(\d+)/", log.read_text(errors="replace"))
        if m:
            port = int(m.group(1))
            try:
                conn = http.client.HTTPConnection(HOST, port, timeout=2)
                conn.request("GET", "/api/health")
                if conn.getresponse().status == 200:
                    conn.close()
                    return proc, port
            except OSError:
                pass
        time.sleep(0.1)
    proc.kill()
    raise SystemExit(f"corridor serve did not start:\n{log.read_text(errors='replace')}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--articles", type=int, default=2000, help="articles in the seeded pool")
    ap.add_argument("--clients", type=int, default=8, help="concurrent search clients")
    ap.add_argument("--requests", type=int, default=4000, help="searches in all (upper bound)")
    ap.add_argument("--seconds", type=float, default=30.0, help="time bound for the load phase")
    ap.add_argument("--batch", type=int, default=20, help="articles per ingest request")
    ap.add_argument("--readers", type=int, default=8, help="server read handles")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--no-ingest", action="store_true", help="searches only (a baseline)")
    args = ap.parse_args()
    if not (1 <= args.clients <= 64 and 1 <= args.requests <= 1_000_000
            and 0 < args.seconds <= 600):
        raise SystemExit("bounds: 1-64 clients, <= 1,000,000 requests, <= 600 s")

    work = Path(tempfile.mkdtemp(prefix="corridor-http-load-"))
    db = work / "pool.db"
    t0 = time.perf_counter()
    with Corridor(settings=Settings.from_env(db=str(db))) as corridor:
        seeded = corridor.ingest_articles(list(generate(args.articles, args.seed)),
                                          label="bench-seed", extract=False)
        _, token = corridor.create_token("http-load")
    seed_seconds = time.perf_counter() - t0
    proc, port = start_server(db, work / "serve.log", args.readers)
    res = Results()
    stop = threading.Event()
    try:
        ingester = threading.Thread(target=ingest_client,
                                    args=(port, token, args.batch, res, stop, args.seed + 1))
        if not args.no_ingest:
            ingester.start()
        time.sleep(0.5)  # let the first ingest batch start: searches run against a writer
        started = time.perf_counter()
        deadline = time.monotonic() + args.seconds
        clients = [threading.Thread(target=search_client,
                                    args=(port, i, res, args.requests, deadline))
                   for i in range(args.clients)]
        for c in clients:
            c.start()
        for c in clients:
            c.join()
        elapsed = time.perf_counter() - started
        stop.set()
        if ingester.is_alive():
            ingester.join(timeout=180)
    finally:
        stop.set()
        proc.terminate()
        try:
            proc.wait(15)
        except subprocess.TimeoutExpired:
            proc.kill()
    lat = res.latencies
    result: dict[str, Any] = {
        "seeded_articles": seeded.stored,
        "seed_seconds": round(seed_seconds, 1),
        "clients": args.clients,
        "ingest_running": not args.no_ingest,
        "searches": len(lat),
        "seconds": round(elapsed, 2),
        "searches_per_second": round(len(lat) / elapsed, 1) if elapsed else 0.0,
        "latency_ms": {
            "p50": round(percentile(lat, 50) * 1000, 1),
            "p95": round(percentile(lat, 95) * 1000, 1),
            "p99": round(percentile(lat, 99) * 1000, 1),
            "mean": round(statistics.fmean(lat) * 1000, 1) if lat else 0.0,
        },
        "errors": len(res.errors) + len(res.ingest_errors),
        "search_errors": res.errors[:10],
        "ingest_requests": len(res.ingest_latencies),
        "ingest_stored_during_load": res.ingest_stored,
        "ingest_request_p50_s": round(percentile(res.ingest_latencies, 50), 2),
        "ingest_errors": res.ingest_errors[:10],
        "cpu_count": os.cpu_count(),
    }
    print(json.dumps(result, indent=2))
    print(f"reproduce: python bench/http_load.py --articles {args.articles} --clients "
          f"{args.clients} --requests {args.requests} --seconds {args.seconds:g} "
          f"--batch {args.batch}" + (" --no-ingest" if args.no_ingest else ""))
    for p in sorted(work.iterdir(), reverse=True):
        p.unlink()
    work.rmdir()
    if result["errors"]:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
