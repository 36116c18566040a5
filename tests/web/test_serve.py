"""`corridor serve` as a real process: health answers while the models warm up in the
background, and a check sent meanwhile waits for them (issue 14). No timing asserted."""

from __future__ import annotations

import json
import os
import urllib.request
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from tests.serving import serve

pytestmark = pytest.mark.slow


def _get(url: str) -> dict[str, Any]:
    with urllib.request.urlopen(url, timeout=30) as answer:
        data: dict[str, Any] = json.loads(answer.read())
        return data


def test_health_reports_warm_up_and_a_check_waits_for_it(
        seeded_db: SimpleNamespace, tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CORRIDOR_")}
    with serve(seeded_db.path, env=env, log=tmp_path / "serve.log") as (base, _proc):
        first = _get(base + "/api/health")
        assert first["status"] == "ok" and first["detail"] == ""
        assert isinstance(first["warm"], bool)
        # sent at once: while the models warm up, the check waits for them (no error)
        request = urllib.request.Request(
            base + "/api/check", data=json.dumps({"claim": "Ishaq Dar met Wang Yi in Beijing",
                                                  "save": False}).encode(),
            headers={"Authorization": f"Bearer {seeded_db.token}",
                     "Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=300) as answer:
            verdict = json.loads(answer.read())
        assert answer.status == 200 and verdict["evidence"], verdict
        assert _get(base + "/api/health")["warm"] is True  # the check waited for it
    log = (tmp_path / "serve.log").read_text(errors="replace")
    assert "Traceback" not in log, log
