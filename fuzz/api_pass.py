"""A long schemathesis pass against a real ``corridor serve`` (figures for
docs/reliability.md; the bounded version runs in tests/fuzz/test_schemathesis.py).

    python fuzz/api_pass.py --max-examples 200 --seed 8

Seeds a pool in a temporary folder (short articles written for this, extracted),
creates an API token, starts ``corridor serve`` on a free 127.0.0.1 port (URL
fetches time out after 2 s, private addresses refused), runs the schemathesis
CLI with every check except ``positive_data_acceptance`` (a ``since`` that is
not a date is a documented 400), all phases (examples, coverage, fuzzing,
stateful), positive and negative data, and writes its JSON and JUnit reports to
``fuzz/out/api``. Exit status: schemathesis' own.
"""

from __future__ import annotations

import argparse
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
        server = subprocess.Popen(
            [str(exe), "serve", "--db", str(db), "--port", str(port), "--readers", "2",
             "--log-level", "error", "--ingest-per-minute", "600"],
            env={**os.environ, "CORRIDOR_FETCH_TIMEOUT": "2"})
        base = f"http://127.0.0.1:{port}"
        try:
            for _ in range(400):
                try:
                    with urllib.request.urlopen(base + "/api/health", timeout=2):
                        break
                except OSError:
                    time.sleep(0.3)
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
