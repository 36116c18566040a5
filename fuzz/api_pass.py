"""A long schemathesis pass against a real ``corridor serve`` (figures for
docs/reliability.md; the bounded version runs in tests/fuzz/test_schemathesis.py).

    python fuzz/api_pass.py --max-examples 200 --seed 8

Seeds a pool in a temporary folder (short articles written for this, extracted),
creates an API token, and starts the app ``corridor serve`` runs (same
``create_app``, default ``WebConfig``: private URLs refused, Host checked, body
limits) under uvicorn on a free 127.0.0.1 port, with two changes: the ingest
and check rate limits are raised to 600/min (at 20 checks a minute nearly every
generated check is a 429 and its logic goes untested) and URL fetches time out
after 2 s. One ingest and one check warm the server up first (the first of
each after a start loads the parsers and models: 12-20 s, over schemathesis'
10 s response-time check; see docs/reliability.md). Then it runs the schemathesis
CLI with every check except ``positive_data_acceptance`` (a ``since`` that is
not a date is a documented 400), all phases (examples, coverage, fuzzing,
stateful), positive and negative data, and writes its JSON and JUnit reports to
``fuzz/out/api``. Exit status: schemathesis' own.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from corridor.service import Corridor  # noqa: E402
from corridor.settings import Settings  # noqa: E402

ARTICLES = [
    {"url": "https://news.example.org/ferry", "title": "Ferry timetable agreed",
     "date": "2024-05-02", "source": "Harbour Daily",
     "text": "ISLAMABAD, May 2: Harbour officials from Pakistan and China agreed on Thursday on "
             "a summer ferry timetable with four daily crossings, the port office said. China "
             "pledged $20 million for two new ferries under CPEC, officials said."},
    {"url": "https://news.example.org/bridge", "title": "Bridge survey begins",
     "date": "2024-06-11", "source": "Valley Post",
     "text": "Surveyors began measuring the riverbed on Monday for a road bridge near Gwadar, "
             "the provincial works department said. Minister Ahsan Iqbal met the Chinese "
             "ambassador in Islamabad to review the survey."},
    {"url": "https://news.example.org/zh", "title": "中巴经济走廊港口合作", "date": "2024-03-06",
     "text": "北京3月6日电 中巴经济走廊港口合作取得新进展，双方同意加快推进港口物流和人才培训项目，"
             "与会代表表示将继续深化交流。"},
]


def _warm_up(base: str, token: str) -> None:
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    for path, body in (("/api/ingest", {"articles": [{"html": "<p>Warm up.</p>"}]}),
                       ("/api/check", {"claim": "China agreed on a ferry timetable.",
                                       "save": False})):
        request = urllib.request.Request(base + path, json.dumps(body).encode(), headers)
        with urllib.request.urlopen(request, timeout=120) as answer:
            answer.read()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--max-examples", type=int, default=200)
    parser.add_argument("--seed", type=int, default=8)
    parser.add_argument("--workers", default="1")
    parser.add_argument("--out", type=Path, default=HERE / "out" / "api")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "pool.db"
        with Corridor(settings=Settings(db=str(db))) as corridor:
            corridor.ingest_articles(ARTICLES)
            _, token = corridor.create_token("schemathesis")
            corridor.check("Pakistan and China agreed on a ferry timetable.")
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            port = sock.getsockname()[1]
        exe = Path(sys.executable).with_name("corridor")
        app = ("import sys, uvicorn\n"
               "from corridor.settings import Settings\n"
               "from corridor.web import WebConfig, create_app\n"
               "config = WebConfig(readers=2, ingest_per_minute=600, ingest_burst=50,\n"
               "                   check_per_minute=600, check_burst=50)\n"
               "app = create_app(Settings.from_env(db=sys.argv[1]), config)\n"
               "uvicorn.run(app, host='127.0.0.1', port=int(sys.argv[2]), log_level='error')\n")
        server = subprocess.Popen([sys.executable, "-c", app, str(db), str(port)],
                                  env={**os.environ, "CORRIDOR_FETCH_TIMEOUT": "2"})
        base = f"http://127.0.0.1:{port}"
        try:
            for _ in range(400):
                try:
                    with urllib.request.urlopen(base + "/api/health", timeout=2):
                        break
                except OSError:
                    time.sleep(0.3)
            _warm_up(base, token)
            started = time.monotonic()
            cmd = [str(exe.with_name("schemathesis")), "run", f"{base}/openapi.json",
                   "-H", f"Authorization: Bearer {token}", "--checks", "all",
                   "--exclude-checks", "positive_data_acceptance",
                   "--max-examples", str(args.max_examples), "--seed", str(args.seed),
                   "--workers", args.workers, "--request-timeout", "60", "--no-color",
                   "--report", "junit,json", "--report-dir", str(args.out),
                   "--continue-on-failure", "--suppress-health-check", "all"]
            print("$", " ".join(c if "Bearer" not in c else "'Authorization: Bearer ***'"
                                for c in cmd), flush=True)
            code = subprocess.run(cmd, check=False).returncode
            print(f"schemathesis exit {code} after {time.monotonic() - started:.0f} s; "
                  f"server alive: {server.poll() is None}")
            return code
        finally:
            server.terminate()
            server.wait(timeout=30)


if __name__ == "__main__":
    sys.exit(main())
