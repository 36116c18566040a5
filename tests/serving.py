"""Run a real ``corridor serve`` on 127.0.0.1 for a test (one helper for all suites).

``serve(db, *options)`` starts the server on an ephemeral port (``--port 0``),
reads the address it prints, waits for ``/api/health`` and yields
``(base_url, process)``; on exit it stops the server. Its output goes to
``log`` (a file; the default is a temporary one) and is quoted if it fails
to start.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

__all__ = ["serve"]

SERVING = re.compile(r"serving .* on (http://127\.0\.0\.1:\d+)/")


@contextmanager
def serve(db: str | Path, *options: str, env: Mapping[str, str] | None = None,
          log: Path | None = None, timeout: float = 120.0,
          ) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    if log is None:
        log = Path(tempfile.mkdtemp(prefix="corridor-serve-")) / "serve.log"
    environment = dict(os.environ if env is None else env)
    environment.setdefault("PYTHONPATH", str(Path(__file__).resolve().parents[1]))
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "corridor.cli", "serve", "--db", str(db), "--port", "0",
             "--log-level", "warning", *options],
            stdout=out, stderr=subprocess.STDOUT, env=environment)
    try:
        yield _wait_until_serving(proc, log, timeout), proc
    finally:
        proc.terminate()
        try:
            proc.wait(20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(5)


def _wait_until_serving(proc: subprocess.Popen[bytes], log: Path, timeout: float) -> str:
    deadline = time.monotonic() + timeout
    base = None
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"corridor serve exited: {log.read_text(errors='replace')}")
        if base is None and (m := SERVING.search(log.read_text(errors="replace"))):
            base = m.group(1)
        if base is not None:
            try:
                with urllib.request.urlopen(base + "/api/health", timeout=2) as r:
                    if r.status == 200:
                        return base
            except OSError:
                pass
        time.sleep(0.1)
    raise RuntimeError(f"corridor serve did not start: {log.read_text(errors='replace')}")
