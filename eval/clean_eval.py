"""Article-body extraction quality of ``corridor.ingest.clean.clean_html``.

Runs ``clean_html`` on every page of the Zyte/Scrapinghub article extraction
benchmark (181 gzipped HTML pages with gold article bodies) and scores the body
against the gold text as the upstream benchmark does: bag of lower-cased
``\\w+`` tokens (or n-gram shingles with ``--ngram``), multiset intersection,
precision / recall / F1 per page, then the mean over pages.

    python eval/clean_eval.py [--data DIR] [--ngram N] [--min-f1 X] [--show-worst K]

``--min-f1`` turns it into a gate: exit status 1 when mean F1 < X.
The data set is read from ``../shared/eval/article_extraction_benchmark``
(relative to the repository root) unless ``--data`` says otherwise; when it is
absent the script says so and exits 0.
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DEFAULT_DATA = REPO.parent / "shared" / "eval" / "article_extraction_benchmark"
_TOKEN = re.compile(r"\w+", re.UNICODE)


def shingles(text: str, n: int) -> Counter[str]:
    """Multiset of lower-cased token n-grams (n=1: bag of words)."""
    tokens = [t.lower() for t in _TOKEN.findall(text)]
    if n <= 1:
        return Counter(tokens)
    return Counter(" ".join(tokens[i : i + n]) for i in range(max(len(tokens) - n + 1, 0)))


def score(gold: str, predicted: str, n: int = 1) -> tuple[float, float, float]:
    """Precision, recall, F1 of ``predicted`` against ``gold`` (multiset overlap)."""
    truth, pred = shingles(gold, n), shingles(predicted, n)
    if not truth and not pred:
        return 1.0, 1.0, 1.0
    overlap = sum((truth & pred).values())
    precision = overlap / sum(pred.values()) if pred else 0.0
    recall = overlap / sum(truth.values()) if truth else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def extract(html_bytes: bytes, url: str | None) -> str:
    """Decode and clean one page; an error counts as an empty extraction."""
    from corridor.errors import CorridorError
    from corridor.ingest.clean import clean_html
    from corridor.ingest.decode import to_text

    try:
        html, _encoding = to_text(html_bytes)
        return clean_html(html, url=url).text
    except CorridorError:
        return ""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="benchmark folder")
    parser.add_argument(
        "--ngram",
        type=int,
        default=1,
        help="1 = bag of words (default); 4 = the upstream benchmark's shingles",
    )
    parser.add_argument("--min-f1", type=float, default=None, help="exit 1 if mean F1 < X")
    parser.add_argument("--show-worst", type=int, default=0, help="list the K worst pages")
    parser.add_argument("--limit", type=int, default=None, help="only the first N pages")
    args = parser.parse_args(argv)

    truth_path = args.data / "ground-truth.json"
    if not truth_path.is_file():
        print(
            f"benchmark data not found at {args.data} (need ground-truth.json and html/): "
            "skipping the evaluation"
        )
        return 0
    truth: dict[str, dict[str, str]] = json.loads(truth_path.read_text("utf-8"))
    items = sorted(truth.items())[: args.limit]

    started = time.perf_counter()
    rows: list[tuple[str, float, float, float]] = []
    for item_id, gold in items:
        page = args.data / "html" / f"{item_id}.html.gz"
        html_bytes = gzip.decompress(page.read_bytes()) if page.is_file() else b""
        predicted = extract(html_bytes, gold.get("url")) if html_bytes else ""
        rows.append((item_id, *score(gold.get("articleBody", ""), predicted, args.ngram)))
    elapsed = time.perf_counter() - started

    precision = statistics.mean(r[1] for r in rows)
    recall = statistics.mean(r[2] for r in rows)
    f1 = statistics.mean(r[3] for r in rows)
    unit = "bag of words" if args.ngram <= 1 else f"{args.ngram}-gram shingles"
    per_page = elapsed / max(len(rows), 1)
    print(f"pages: {len(rows)}  ({unit}, {elapsed:.1f} s, {per_page:.3f} s/page)")
    print(f"mean precision: {precision:.4f}")
    print(f"mean recall:    {recall:.4f}")
    print(f"mean F1:        {f1:.4f}")
    for item_id, p, r, f in sorted(rows, key=lambda row: row[3])[: args.show_worst]:
        print(f"  worst {item_id}: P={p:.3f} R={r:.3f} F1={f:.3f}")
    print("reproduce (from the repository root): " + " ".join(_command(args)))
    if args.min_f1 is not None and f1 < args.min_f1:
        print(f"FAIL: mean F1 {f1:.4f} < --min-f1 {args.min_f1}")
        return 1
    return 0


def _command(args: argparse.Namespace) -> list[str]:
    python = Path(sys.executable)
    shown = str(python.relative_to(REPO)) if python.is_relative_to(REPO) else "python"
    command = [shown, "eval/clean_eval.py", "--ngram", str(args.ngram)]
    if args.data != DEFAULT_DATA:
        command += ["--data", str(args.data)]
    if args.limit is not None:
        command += ["--limit", str(args.limit)]
    return command


if __name__ == "__main__":
    sys.exit(main())
