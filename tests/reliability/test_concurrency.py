"""Concurrency: ``corridor serve`` answers while two ingest processes write.

A real server (uvicorn) over a pool (SQLite in WAL mode, and PostgreSQL); two real ``corridor
ingest`` processes write overlapping corpora at the same time; client
threads search, read documents and events, and store claim checks over
HTTP meanwhile. Every request must succeed (no "database is locked" reaching
a user, nothing in the server log either), and afterwards every article is
stored exactly once and every check run is recorded.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import quote

from corridor.service import Corridor
from corridor.settings import Settings
from tests.serving import serve

from .corpus import write_jsonl

CLAIMS = ["Ahmed Khan met Li Wei in Islamabad", "Both sides pledged to complete Gwadar port",
          "Sara Malik signed an agreement on the ML-1 railway"]
QUERIES = ["officials", "Gwadar", "railway", '"special economic zone"', "Karachi OR Lahore"]


class Client(threading.Thread):
    def __init__(self, base: str, token: str, n: int, stop: threading.Event) -> None:
        super().__init__(daemon=True)
        self.base, self.token, self.n, self.stop = base, token, n, stop
        self.ok = 0
        self.checks = 0
        self.busy = 0
        self.failures: list[str] = []

    def _call(self, path: str, body: dict[str, object] | None = None) -> object:
        data = json.dumps(body).encode() if body is not None else None
        req = urllib.request.Request(self.base + path, data=data, headers={
            "Authorization": f"Bearer {self.token}", "Content-Type": "application/json"})
        for _attempt in range(12):
            try:
                with urllib.request.urlopen(req, timeout=120) as resp:
                    payload = resp.read()
                    self.ok += 1
                    return json.loads(payload)
            except urllib.error.HTTPError as exc:
                # busy is a documented answer (the write lock is held elsewhere): a
                # well-behaved client waits Retry-After and asks again; 500 never is
                if exc.code == 503 and exc.headers.get("Retry-After"):
                    self.busy += 1
                    time.sleep(min(float(exc.headers["Retry-After"]), 5.0))
                    continue
                self.failures.append(f"{path}: {exc.code} {exc.read()[:300]!r}")
            except OSError as exc:
                self.failures.append(f"{path}: {exc}")
            return None
        self.failures.append(f"{path}: still busy after 12 tries")
        return None

    def run(self) -> None:
        try:
            self._loop()
        except Exception as exc:  # a crash of the client is a failure too
            self.failures.append(f"client crashed: {exc!r}")

    def _loop(self) -> None:
        i = self.n
        while not self.stop.is_set():
            i += 1
            q = QUERIES[i % len(QUERIES)]
            found = self._call(f"/api/search?q={quote(q)}&limit=5")
            if isinstance(found, dict) and found.get("hits"):
                self._call(f"/api/documents/{quote(found['hits'][0]['doc_id'])}")
            self._call("/api/events?limit=20")
            # two of the clients also store checks
            claim = {"claim": CLAIMS[i % len(CLAIMS)]}
            if self.n < 2 and self._call("/api/check", claim) is not None:
                self.checks += 1


def test_serve_answers_while_two_ingests_write(tmp_path: Path, db_url: str) -> None:
    db = db_url
    seed = write_jsonl(tmp_path / "seed.jsonl", 20)
    first = write_jsonl(tmp_path / "first.jsonl", 150, start=1000)
    second = write_jsonl(tmp_path / "second.jsonl", 150, start=1130)  # 20 shared
    with Corridor(settings=Settings(db=db)) as pool:
        pool.ingest([str(seed)])
        _, token = pool.create_token("load")
    env = {k: v for k, v in os.environ.items() if not k.startswith("CORRIDOR_")}
    env["PYTHONPATH"] = str(Path(__file__).resolve().parents[2])
    stop = threading.Event()
    options = ("--check-per-minute", "100000", "--check-concurrency", "4")
    with serve(db, *options, env=env, log=tmp_path / "serve.log") as (base, _server):
        clients = [Client(base, token, n, stop) for n in range(4)]
        try:
            writers = [subprocess.Popen(
                [sys.executable, "-m", "corridor.cli", "ingest", str(corpus), "--db", db,
                 "--quiet", "--json"], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
                for corpus in (first, second)]
            for client in clients:
                client.start()
            outputs = [w.communicate(timeout=900) for w in writers]
        finally:
            stop.set()
            for client in clients:
                client.join(180)
    for writer, (_stdout, stderr) in zip(writers, outputs, strict=True):
        assert writer.returncode == 0, stderr.decode(errors="replace")
    failures = [f for c in clients for f in c.failures]
    assert failures == []
    assert sum(c.ok for c in clients) > 20
    log = (tmp_path / "serve.log").read_text(errors="replace")
    assert "locked" not in log and "Traceback" not in log
    reports = [json.loads(stdout) for stdout, _ in outputs]
    assert sum(r["inputs"] for r in reports) == 300
    with Corridor(settings=Settings(db=db)) as pool:
        assert pool.check_integrity() == []
        assert pool.stats()["documents"] == 20 + 280  # the 20 shared articles stored once
        keys = [d.source_key for d in pool.store.iter_documents()]
        assert len(keys) == len(set(keys))
        assert pool.extraction_todo() == []
        runs = sum(len(pool.check_history(c.id)) for c in pool.checks(limit=100))
        assert runs == sum(c.checks for c in clients) > 0
    print(json.dumps({"requests_ok": sum(c.ok for c in clients), "checks_stored": runs,
                      "errors": len(failures), "documents": 300}))
