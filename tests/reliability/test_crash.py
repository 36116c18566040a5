"""Crash safety: ``kill -9`` the real ``corridor ingest`` at random moments.

The run ingests, extracts and embeds thousands of articles; it is killed at
least 20 times (during start-up, migration, storing, extraction or
embedding, wherever the random moment falls). After every kill the pool must
open and pass its integrity checks (PRAGMA integrity_check, FTS indexes
against their tables, foreign keys, vectors for every embedded sentence); a
final rerun must complete with every article stored once, extracted and
embedded, and a further rerun must change nothing.

Runs on both backends (``db_url``: a SQLite file and a real PostgreSQL
server). Scale with CORRIDOR_CRASH_ARTICLES and CORRIDOR_CRASH_KILLS
(defaults: 2000 articles on SQLite, 600 on PostgreSQL, 20 kills);
docs/reliability.md gives the figures and commands.
"""

from __future__ import annotations

import contextlib
import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

from corridor.service import Corridor
from corridor.settings import Settings

from .corpus import write_jsonl

ARTICLES = {"sqlite": 2000, "postgres": 600}
KILLS = int(os.environ.get("CORRIDOR_CRASH_KILLS", "20"))


def _cli() -> list[str]:
    return [sys.executable, "-c", "from corridor.cli import main; main()"]


def _articles(db: str) -> int:
    backend = "postgres" if "://" in db else "sqlite"
    return int(os.environ.get("CORRIDOR_CRASH_ARTICLES", ARTICLES[backend]))


def _progress(db: str, *, check: bool = True) -> dict[str, int]:
    with Corridor(settings=Settings(db=db)) as pool:
        if check:
            assert pool.check_integrity() == [], "integrity check failed after a kill"
        return {"documents": pool.stats()["documents"],
                "unextracted": len(pool.extraction_todo()),
                "unembedded": len(pool.store.sentences_to_hash())}


def _done(state: dict[str, int]) -> int:
    """Work units finished: documents stored plus documents extracted."""
    return 2 * state["documents"] - state["unextracted"]


def _moment(proc: subprocess.Popen[bytes], db: str, before: dict[str, int],
            rng: random.Random, kill_no: int, point: float) -> str:
    """Wait for a random moment to kill ``proc``; what kind of moment it was.

    One kill in four falls at a random time shortly after start (start-up,
    migration, or the embedding pass of a run with nothing left to store or
    extract). The others wait until the work done (documents stored plus
    documents extracted) passes ``point``, a random point of the whole run
    drawn in advance, so the kills spread over storing and extracting, and
    the run cannot finish before every kill has landed.
    """
    if kill_no % 4 == 0:
        with contextlib.suppress(subprocess.TimeoutExpired):
            proc.wait(timeout=rng.uniform(0.05, 1.5))
        return "from start"
    target = max(point, _done(before) + 1)
    deadline = time.monotonic() + 600
    while proc.poll() is None and time.monotonic() < deadline:
        now = _progress(db, check=False)
        if _done(now) >= target:
            break
        if now["documents"] and now["unextracted"] == 0 and now != before:
            break  # only embedding is left
        time.sleep(0.1)
    return "mid-work"


def test_kill_9_at_random_points_then_resume(tmp_path: Path, db_url: str) -> None:
    articles = _articles(db_url)
    corpus = write_jsonl(tmp_path / "corpus.jsonl", articles)
    db = db_url
    cmd = [*_cli(), "ingest", str(corpus), "--db", db, "--quiet", "--json"]
    env = dict(os.environ, PYTHONPATH=str(Path(__file__).resolve().parents[2]))
    rng = random.Random(int(os.environ.get("CORRIDOR_CRASH_SEED", "20")))
    log: list[dict[str, object]] = []
    kills = 0
    state = _progress(db)
    # where in the run (work units of 2 x articles) each kill lands
    points = sorted(rng.uniform(0, 1.9 * articles) for _ in range(KILLS))
    while kills < KILLS:
        proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL)
        when = _moment(proc, db, state, rng, kills, points[kills])
        if proc.poll() is not None:
            assert proc.returncode == 0
            break  # the run finished before the next kill landed
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        kills += 1
        state = _progress(db)
        log.append({"kill": kills, "when": when, **state})
    final = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=1800)
    assert final.returncode == 0, final.stderr
    with Corridor(settings=Settings(db=db)) as pool:
        assert pool.check_integrity() == []
        assert pool.stats()["documents"] == articles
        keys = [d.source_key for d in pool.store.iter_documents()]
        assert len(set(keys)) == articles  # no article lost, none stored twice
        assert pool.extraction_todo() == []
        assert pool.store.sentences_to_hash() == []
        assert pool.events(limit=1)
    again = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=600)
    report = json.loads(again.stdout)
    assert report["unchanged"] == articles and report["stored"] == 0
    assert report["extracted"] == 0
    print(json.dumps({"db": db.split("://")[0], "articles": articles, "kills": kills, "log": log}))
    assert kills == KILLS
