"""Read latency while an API ingest runs: do reads queue behind ingest work?

A benchmark, not a test.

    python bench/read_during_ingest.py                  # 2 x 20 s, 4 readers, batches of 5
    python bench/read_during_ingest.py --seconds 30 --clients 8 --batch 10

Seeds a fresh SQLite pool with ``--articles`` synthetic articles
(bench/corpus.py; not extracted, reads do not need it), starts a real
``corridor serve`` on 127.0.0.1 and warms it up with one small ingest (the
first one loads the parsers and models). Then two phases of ``--seconds``
each, with ``--clients`` reader threads on keep-alive connections asking in
turn for ``GET /api/search``, ``GET /search`` (an HTML page) and
``GET /api/documents``:

1. ``idle``: reads only;
2. ``ingest``: the same reads while one more thread keeps POSTing batches of
   ``--batch`` new articles to ``/api/ingest`` (the server cleans, extracts
   and embeds them before it answers).

Prints p50/p95/p99/max read latency of each phase (and the ingest requests'
own latency), as JSON. Exits 1 if a request failed. Only talks to 127.0.0.1.
``--no-worker`` serves with ``--no-ingest-worker`` (ingests on a server
thread, as before issue 15), for comparison. ``--join N`` posts long articles
(N generated ones joined), where ingest holds the interpreter lock longest.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
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
from http_load import HOST, QUERIES, percentile, start_server  # noqa: E402

from corridor.service import Corridor  # noqa: E402
from corridor.settings import Settings  # noqa: E402

PATHS = ("/api/search", "/search", "/api/documents")


class Tally:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.latencies: list[float] = []
        self.errors: list[str] = []


def reader(port: int, n: int, tally: Tally, deadline: float) -> None:
    conn = http.client.HTTPConnection(HOST, port, timeout=120)
    i = n
    while time.monotonic() < deadline:
        base = PATHS[i % len(PATHS)]
        query = {"limit": 10} if base == "/api/documents" else {
            "q": QUERIES[i % len(QUERIES)], "limit": 10}
        path = f"{base}?{urlencode(query)}"
        i += 1
        started = time.perf_counter()
        try:
            conn.request("GET", path)
            resp = conn.getresponse()
            body = resp.read()
        except (OSError, http.client.HTTPException) as exc:
            with tally.lock:
                tally.errors.append(f"{type(exc).__name__}: {exc} ({path})")
            conn.close()
            conn = http.client.HTTPConnection(HOST, port, timeout=120)
            continue
        elapsed = time.perf_counter() - started
        with tally.lock:
            if resp.status == 200:
                tally.latencies.append(elapsed)
            else:
                tally.errors.append(f"HTTP {resp.status} {path}: {body[:120]!r}")
    conn.close()


def post_articles(conn: http.client.HTTPConnection, token: str,
                  docs: list[dict[str, str]]) -> tuple[int, bytes]:
    conn.request("POST", "/api/ingest", body=json.dumps({"articles": docs}).encode(),
                 headers={"Content-Type": "application/json",
                          "Authorization": f"Bearer {token}"})
    resp = conn.getresponse()
    return resp.status, resp.read()


def ingester(port: int, token: str, batch: int, join: int, seed: int, tally: Tally,
             stop: threading.Event) -> None:
    articles = iter(generate(1_000_000, seed=seed, near_dup_rate=0.0, exact_dup_rate=0.0))
    conn = http.client.HTTPConnection(HOST, port, timeout=900)
    n = 0
    while not stop.is_set():
        docs = []
        for art in articles:
            n += 1
            # --join: one long article made of several (a feature, a transcript)
            more = [next(articles)["text"] for _ in range(join - 1)]
            docs.append(dict(art, url=f"https://live.example/{seed}/{n}",
                             text="\n\n".join([art["text"], *more])))
            if len(docs) == batch:
                break
        started = time.perf_counter()
        try:
            status, body = post_articles(conn, token, docs)
        except (OSError, http.client.HTTPException) as exc:
            tally.errors.append(f"ingest {type(exc).__name__}: {exc}")
            conn.close()
            conn = http.client.HTTPConnection(HOST, port, timeout=900)
            continue
        if status != 200:
            tally.errors.append(f"ingest HTTP {status}: {body[:120]!r}")
            continue
        tally.latencies.append(time.perf_counter() - started)
    conn.close()


def read_phase(port: int, clients: int, seconds: float) -> Tally:
    tally = Tally()
    deadline = time.monotonic() + seconds
    threads = [threading.Thread(target=reader, args=(port, i, tally, deadline))
               for i in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return tally


def stats(latencies: list[float], seconds: float) -> dict[str, Any]:
    ms = {f"p{q}": round(percentile(latencies, q) * 1000, 1) for q in (50, 95, 99)}
    return {"requests": len(latencies),
            "per_second": round(len(latencies) / seconds, 1) if seconds else 0.0,
            "latency_ms": {**ms, "max": round(max(latencies, default=0.0) * 1000, 1)}}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--articles", type=int, default=200, help="articles in the seeded pool")
    ap.add_argument("--clients", type=int, default=4, help="concurrent reader threads")
    ap.add_argument("--seconds", type=float, default=20.0, help="length of each phase")
    ap.add_argument("--batch", type=int, default=5, help="articles per ingest request")
    ap.add_argument("--join", type=int, default=1,
                    help="generated articles joined into each posted one (long articles)")
    ap.add_argument("--readers", type=int, default=8, help="server read handles")
    ap.add_argument("--seed", type=int, default=11)
    ap.add_argument("--no-worker", action="store_true",
                    help="serve with --no-ingest-worker (ingests on a server thread)")
    args = ap.parse_args()
    if not (1 <= args.clients <= 64 and 0 < args.seconds <= 600 and 1 <= args.batch <= 500
            and 1 <= args.articles <= 100_000 and 1 <= args.join <= 200):
        raise SystemExit("bounds: 1-64 clients, <= 600 s a phase, 1-500 a batch, "
                         "<= 100,000 articles, 1-200 joined")
    work = Path(tempfile.mkdtemp(prefix="corridor-read-ingest-"))
    db = work / "pool.db"
    with Corridor(settings=Settings.from_env(db=str(db))) as corridor:
        corridor.ingest_articles(list(generate(args.articles, args.seed)), label="seed",
                                 extract=False)
        _, token = corridor.create_token("read-during-ingest")
    extra = ("--no-ingest-worker",) if args.no_worker else ()
    proc, port = start_server(db, work / "serve.log", args.readers, *extra, wait=120)
    result: dict[str, Any] = {"cpu_count": os.cpu_count(), "clients": args.clients,
                              "batch": args.batch, "join": args.join, "seconds": args.seconds,
                              "ingest_worker": not args.no_worker}
    errors: list[str] = []
    try:
        warm = http.client.HTTPConnection(HOST, port, timeout=900)
        started = time.perf_counter()
        status, body = post_articles(warm, token, [dict(next(iter(generate(1, args.seed + 99))),
                                                        url="https://warm.example/1")])
        warm.close()
        result["warm_up_ingest_s"] = round(time.perf_counter() - started, 1)
        if status != 200:
            raise SystemExit(f"warm-up ingest failed: HTTP {status} {body[:200]!r}")
        idle = read_phase(port, args.clients, args.seconds)
        result["idle"] = stats(idle.latencies, args.seconds)
        ingest, stop = Tally(), threading.Event()
        # a daemon: the batch in progress when the reads end is not waited for
        thread = threading.Thread(target=ingester, daemon=True,
                                  args=(port, token, args.batch, args.join, args.seed + 1,
                                        ingest, stop))
        thread.start()
        time.sleep(1.0)  # the first batch is being worked on
        during = read_phase(port, args.clients, args.seconds)
        stop.set()
        result["during_ingest"] = stats(during.latencies, args.seconds)
        result["ingest_requests"] = {
            "completed_during_reads": len(ingest.latencies),
            "p50_s": round(percentile(ingest.latencies, 50), 1),
            "max_s": round(max(ingest.latencies, default=0.0), 1)}
        errors = idle.errors + during.errors + ingest.errors
    finally:
        proc.terminate()
        try:
            proc.wait(15)
        except subprocess.TimeoutExpired:
            proc.kill()
    result["errors"] = errors[:10]
    print(json.dumps(result, indent=2))
    for p in sorted(work.iterdir(), reverse=True):
        p.unlink()
    work.rmdir()
    if errors:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
