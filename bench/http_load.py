"""HTTP load test: search, then claim checks, with concurrent clients while an ingest runs.

A benchmark, not a test.

    python bench/http_load.py          # 8 clients: <= 4000 searches / 30 s, <= 200 checks / 90 s
    python bench/http_load.py --clients 8 --requests 2000 --seconds 20 --articles 300 \
        --check-requests 100 --check-seconds 60

Seeds a fresh SQLite pool with ``--articles`` synthetic articles
(bench/corpus.py), extracted and embedded, so claims about them can be
checked (extraction is the slow part of seeding: about 0.5 s an article on a
free core). Every article is extracted because an ingest also extracts every
document still waiting for it: a half-extracted pool would make the first
ingest request of the load extract the whole backlog. Starts a real
``corridor serve`` on 127.0.0.1 (an ephemeral port),
and one thread keeps POSTing batches of new articles to ``/api/ingest`` (with
an API token; the server extracts them) for the whole run. Meanwhile two
phases run one after the other, each with ``--clients`` threads on their own
keep-alive connections:

1. search: ``GET /api/search`` with varied queries, until ``--requests``
   searches or ``--seconds``;
2. check: ``POST /api/check`` (stored, with the token) with claims taken from
   sentences of the extracted articles, until ``--check-requests`` checks or
   ``--check-seconds``.

Prints requests/s and p50/p95/p99 latency of each phase, the ingest
throughput and every error; exits 1 if any request failed. Only ever talks to
127.0.0.1.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
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
#: an ingest request extracts its articles before answering: minutes on a busy machine
INGEST_TIMEOUT = 900
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
        self.check_latencies: list[float] = []
        self.check_errors: list[str] = []
        self.verdicts: dict[str, int] = {}
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


def check_client(port: int, n: int, token: str, claims: list[str], res: Results, limit: int,
                 deadline: float) -> None:
    conn = http.client.HTTPConnection(HOST, port, timeout=180)
    time.sleep(0.05 * n)  # users do not all press "check" in the same millisecond (burst)
    i = n
    while time.monotonic() < deadline and res.claim(limit):
        claim = claims[i % len(claims)]
        i += 5
        payload = json.dumps({"claim": claim, "save": True}).encode()
        started = time.perf_counter()
        try:
            conn.request("POST", "/api/check", body=payload,
                         headers={"Content-Type": "application/json",
                                  "Authorization": f"Bearer {token}"})
            resp = conn.getresponse()
            body = resp.read()
            elapsed = time.perf_counter() - started
            if resp.status != 200:
                with res.lock:
                    res.check_errors.append(f"HTTP {resp.status} {claim[:60]!r}: {body[:200]!r}")
                continue
            verdict = json.loads(body)["verdict"]
            with res.lock:
                res.check_latencies.append(elapsed)
                res.verdicts[verdict] = res.verdicts.get(verdict, 0) + 1
        except (OSError, http.client.HTTPException, ValueError, KeyError) as exc:
            with res.lock:
                res.check_errors.append(f"{type(exc).__name__}: {exc} ({claim[:60]!r})")
            conn.close()
            conn = http.client.HTTPConnection(HOST, port, timeout=180)
    conn.close()


def claims_from(articles: list[dict[str, str]], n: int, seed: int) -> list[str]:
    """Claims to check: sentences of the extracted articles, some with a detail changed."""
    rng = random.Random(seed)
    sentences = [s.strip() + "." for art in articles
                 for s in re.split(r"(?<=[.!?])\s+", art["text"]) if 40 < len(s) < 300]
    sentences = [s.removesuffix("..") for s in sentences]
    picked = rng.sample(sentences, min(n, len(sentences)))
    out = []
    for i, sentence in enumerate(picked):
        if i % 3 == 2:  # a changed detail: a weekday, a place or a number
            for old, new in (("Monday", "Friday"), ("Beijing", "Lahore"), ("Islamabad", "Quetta"),
                             ("2025", "2031"), ("first", "fifth")):
                if old in sentence:
                    sentence = sentence.replace(old, new, 1)
                    break
        out.append(sentence)
    return out


def phase(target: Any, clients: int, port: int, args: tuple[Any, ...]) -> float:
    """Run ``clients`` threads of ``target(port, i, *args)``; the wall time."""
    started = time.perf_counter()
    threads = [threading.Thread(target=target, args=(port, i, *args)) for i in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return time.perf_counter() - started


def summary(latencies: list[float], elapsed: float) -> dict[str, Any]:
    return {
        "requests": len(latencies),
        "seconds": round(elapsed, 2),
        "per_second": round(len(latencies) / elapsed, 2) if elapsed else 0.0,
        "latency_ms": {
            "p50": round(percentile(latencies, 50) * 1000, 1),
            "p95": round(percentile(latencies, 95) * 1000, 1),
            "p99": round(percentile(latencies, 99) * 1000, 1),
            "mean": round(statistics.fmean(latencies) * 1000, 1) if latencies else 0.0,
        },
    }


def ingest_client(port: int, token: str, batch: int, res: Results, stop: threading.Event,
                  seed: int) -> None:
    articles = generate(100_000, seed=seed, near_dup_rate=0.0, exact_dup_rate=0.0)
    conn = http.client.HTTPConnection(HOST, port, timeout=INGEST_TIMEOUT)
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
            conn = http.client.HTTPConnection(HOST, port, timeout=INGEST_TIMEOUT)
            continue
        elapsed = time.perf_counter() - started
        if resp.status != 200:
            res.ingest_errors.append(f"HTTP {resp.status}: {body[:200]!r}")
            continue
        res.ingest_latencies.append(elapsed)
        res.ingest_stored += json.loads(body)["report"].get("stored", 0)
    conn.close()


def start_server(db: Path, log: Path, readers: int, *options: str,
                 wait: float = 60.0) -> tuple[subprocess.Popen[bytes], int]:
    """``corridor serve`` on 127.0.0.1 (any free port, ingest limit lifted, ``options``
    added), once it answers /api/health within ``wait`` seconds."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("CORRIDOR_")}
    env["HF_HUB_OFFLINE"] = "1"
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "corridor.cli", "serve", "--db", str(db), "--host", HOST,
             "--port", "0", "--log-level", "warning", "--ingest-per-minute", "100000",
             "--readers", str(readers), *options],
            stdout=out, stderr=subprocess.STDOUT, env=env)
    deadline = time.monotonic() + wait
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
    ap.add_argument("--articles", type=int, default=300, help="articles in the seeded pool")
    ap.add_argument("--clients", type=int, default=8, help="concurrent search clients")
    ap.add_argument("--requests", type=int, default=4000, help="searches in all (upper bound)")
    ap.add_argument("--seconds", type=float, default=30.0, help="time bound for the load phase")
    ap.add_argument("--batch", type=int, default=5,
                    help="articles per ingest request (the server extracts them: ~1 s each)")
    ap.add_argument("--readers", type=int, default=8, help="server read handles")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--check-requests", type=int, default=200, help="checks in all (bound)")
    ap.add_argument("--check-seconds", type=float, default=90.0,
                    help="time bound for the check phase")
    ap.add_argument("--no-ingest", action="store_true", help="no ingest during the load")
    ap.add_argument("--no-checks", action="store_true", help="skip the check phase")
    args = ap.parse_args()
    if not (1 <= args.clients <= 64 and 1 <= args.requests <= 1_000_000
            and 0 < args.seconds <= 600 and 1 <= args.check_requests <= 100_000
            and 0 < args.check_seconds <= 600):
        raise SystemExit("bounds: 1-64 clients, <= 1,000,000 searches, <= 100,000 checks, "
                         "<= 600 s a phase")

    work = Path(tempfile.mkdtemp(prefix="corridor-http-load-"))
    db = work / "pool.db"
    t0 = time.perf_counter()
    corpus = list(generate(args.articles, args.seed))
    with Corridor(settings=Settings.from_env(db=str(db))) as corridor:
        seeded = corridor.ingest_articles(corpus, label="bench-seed", extract=True)
        _, token = corridor.create_token("http-load")
    seed_seconds = time.perf_counter() - t0
    stored_urls = set()
    with Corridor(settings=Settings.from_env(db=str(db))) as corridor:
        for doc_id in seeded.stored_ids:
            stored_urls.add(corridor.document(doc_id).url)
    claims = claims_from([a for a in corpus if a["url"] in stored_urls], 60, args.seed)
    proc, port = start_server(db, work / "serve.log", args.readers,
                              "--check-per-minute", "100000")
    res = Results()
    checks = Results()  # its own request counter
    stop = threading.Event()
    search_s = check_s = 0.0
    try:
        ingester = threading.Thread(target=ingest_client,
                                    args=(port, token, args.batch, res, stop, args.seed + 1))
        if not args.no_ingest:
            ingester.start()
        time.sleep(0.5)  # let the first ingest batch start: requests run against a writer
        search_s = phase(search_client, args.clients, port,
                         (res, args.requests, time.monotonic() + args.seconds))
        if not args.no_checks and claims:
            check_s = phase(check_client, args.clients, port,
                            (token, claims, checks, args.check_requests,
                             time.monotonic() + args.check_seconds))
        stop.set()
        if ingester.is_alive():
            ingester.join(timeout=INGEST_TIMEOUT)
    finally:
        stop.set()
        proc.terminate()
        try:
            proc.wait(15)
        except subprocess.TimeoutExpired:
            proc.kill()
    errors = len(res.errors) + len(res.ingest_errors) + len(checks.check_errors)
    result: dict[str, Any] = {
        "seeded_articles": seeded.stored,
        "extracted_articles": seeded.extracted,
        "seed_seconds": round(seed_seconds, 1),
        "clients": args.clients,
        "ingest_running": not args.no_ingest,
        "search": summary(res.latencies, search_s),
        "check": {**summary(checks.check_latencies, check_s),
                  "verdicts": dict(sorted(checks.verdicts.items()))},
        "errors": errors,
        "search_errors": res.errors[:10],
        "check_errors": checks.check_errors[:10],
        "ingest_requests": len(res.ingest_latencies),
        "ingest_stored_during_load": res.ingest_stored,
        "ingest_request_p50_s": round(percentile(res.ingest_latencies, 50), 2),
        "ingest_errors": res.ingest_errors[:10],
        "cpu_count": os.cpu_count(),
    }
    print(json.dumps(result, indent=2))
    print(f"reproduce: python bench/http_load.py --articles {args.articles} --clients "
          f"{args.clients} --requests {args.requests} --seconds {args.seconds:g} "
          f"--batch {args.batch} --check-requests "
          f"{args.check_requests} --check-seconds {args.check_seconds:g}"
          + (" --no-ingest" if args.no_ingest else "") + (" --no-checks" if args.no_checks else ""))
    for p in sorted(work.iterdir(), reverse=True):
        p.unlink()
    work.rmdir()
    if errors:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
