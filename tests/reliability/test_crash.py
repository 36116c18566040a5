"""Crash safety: ``kill -9`` the real ``corridor ingest`` at random moments.

The run ingests, extracts and embeds thousands of articles; it is killed at
least 20 times (during start-up, migration, storing, extraction or
embedding, wherever the random moment falls). After every kill the pool must
open and pass its integrity checks (PRAGMA integrity_check, FTS indexes
against their tables, foreign keys, vectors for every embedded sentence); a
final rerun must complete with every article stored once, extracted and
embedded, and a further rerun must change nothing.

Scale with CORRIDOR_CRASH_ARTICLES and CORRIDOR_CRASH_KILLS (defaults 2000
and 20); docs/reliability.md gives the figures of a larger run.
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
from pathlib import Path

from corridor.service import Corridor
from corridor.settings import Settings

from .corpus import write_jsonl

ARTICLES = int(os.environ.get("CORRIDOR_CRASH_ARTICLES", "2000"))
KILLS = int(os.environ.get("CORRIDOR_CRASH_KILLS", "20"))


def _cli() -> list[str]:
    return [sys.executable, "-c", "from corridor.cli import main; main()"]


def _progress(db: Path) -> dict[str, int]:
    with Corridor(settings=Settings(db=str(db))) as pool:
        assert pool.check_integrity() == [], "integrity check failed after a kill"
        return {"documents": pool.stats()["documents"],
                "unextracted": len(pool.extraction_todo()),
                "unembedded": len(pool.store.sentences_to_hash())}


def test_kill_9_at_random_points_then_resume(tmp_path: Path) -> None:
    corpus = write_jsonl(tmp_path / "corpus.jsonl", ARTICLES)
    db = tmp_path / "pool.db"
    cmd = [*_cli(), "ingest", str(corpus), "--db", str(db), "--quiet", "--json"]
    env = dict(os.environ, PYTHONPATH=str(Path(__file__).resolve().parents[2]))
    rng = random.Random(int(os.environ.get("CORRIDOR_CRASH_SEED", "20")))
    log: list[dict[str, object]] = []
    kills = 0
    while kills < KILLS:
        proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL)
        delay = rng.uniform(0.2, 5.0)
        try:
            proc.wait(timeout=delay)
        except subprocess.TimeoutExpired:
            proc.send_signal(signal.SIGKILL)
            proc.wait()
            kills += 1
            log.append({"kill": kills, "after_s": round(delay, 2), **_progress(db)})
            continue
        assert proc.returncode == 0
        break  # the run finished before the next kill landed
    final = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=1800)
    assert final.returncode == 0, final.stderr
    with Corridor(settings=Settings(db=str(db))) as pool:
        assert pool.check_integrity() == []
        assert pool.stats()["documents"] == ARTICLES
        keys = [d.source_key for d in pool.store.iter_documents()]
        assert len(set(keys)) == ARTICLES  # no article lost, none stored twice
        assert pool.extraction_todo() == []
        assert pool.store.sentences_to_hash() == []
        assert pool.events(limit=1)
    again = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=600)
    report = json.loads(again.stdout)
    assert report["unchanged"] == ARTICLES and report["stored"] == 0
    assert report["extracted"] == 0
    print(json.dumps({"articles": ARTICLES, "kills": kills, "log": log}))
    assert kills >= min(KILLS, 1)
