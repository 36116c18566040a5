"""Evaluate corridor.ingest.feeds.parse_feed on real feed samples.

Reads ``../shared/eval/rss_feeds`` (relative to the repository root; ``--data``
overrides): rss-parser's test inputs with its expected outputs, and
trafilatura's sample feeds. For every input it reports the item count; where
rss-parser has an expected output it compares, item by item in feed order:

* item count;
* titles and links: exact match after stripping surrounding whitespace;
* dates: our ``published`` (the day as written in the feed, in the feed's own
  zone) against the UTC calendar day of rss-parser's ``isoDate``, when it has
  one. Misses exactly one day off (the zone, not a wrong date) are counted
  separately from other misses.

rss-parser's output is one library's reading, not hand-made gold: where it
decoded a feed wrongly (U+FFFD in its titles) a second, lenient title rate
lets each U+FFFD stand for any one character and collapses inner whitespace.

Inputs that raise must raise a project error (MalformedInput,
UnsupportedInput...); anything else is counted as a crash and makes the
script exit 1. Absent data: prints a message and exits 0.
"""

from __future__ import annotations

import argparse
import json
import re
import shlex
import sys
import time
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from corridor.errors import CorridorError
from corridor.ingest.feeds import Feed, FeedItem, parse_feed

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATA = ROOT.parent / "shared" / "eval" / "rss_feeds"


@dataclass
class Score:
    """Matches over the items rss-parser lists (``None`` when there is nothing to compare)."""

    total: int = 0
    hits: int = 0

    def add(self, hit: bool) -> None:
        self.total += 1
        self.hits += int(hit)

    def rate(self) -> str:
        return f"{self.hits}/{self.total}" if self.total else "-"


@dataclass
class Row:
    name: str
    status: str = "ok"
    items: int | None = None
    expected: int | None = None
    seconds: float = 0.0
    titles: Score = field(default_factory=Score)
    titles_lenient: Score = field(default_factory=Score)
    links: Score = field(default_factory=Score)
    dates: Score = field(default_factory=Score)
    dates_tz_only: int = 0
    misses: list[str] = field(default_factory=list)


def main(argv: list[str] | None = None) -> int:
    args = _parse_args(argv)
    data: Path = args.data
    if not data.is_dir():
        print(f"feed samples not found at {data}; nothing to evaluate (pass --data DIR).")
        return 0
    inputs = _inputs(data)
    rows = [_evaluate(path, data) for path in inputs]
    _print_table(rows, args.verbose)
    _print_totals(rows)
    print(f"\nreproduce: {_command(args)}")
    return 1 if any(row.status == "CRASH" for row in rows) else 0


def _parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="the rss_feeds folder")
    parser.add_argument("-v", "--verbose", action="store_true", help="list every mismatch")
    return parser.parse_args(argv)


def _inputs(data: Path) -> list[Path]:
    found = sorted((data / "rss-parser" / "input").glob("*"))
    found += sorted(p for p in (data / "trafilatura").glob("*") if p.is_file())
    return [p for p in found if p.is_file()]


def _evaluate(path: Path, data: Path) -> Row:
    group = path.parent.parent if path.parent.name == "input" else path.parent
    row = Row(name=f"{group.name}/{path.name}")
    raw = path.read_bytes()
    start = time.perf_counter()
    try:
        feed = parse_feed(raw)
    except CorridorError as exc:
        row.status = f"error:{exc.code}"
        row.misses.append(str(exc))
        return row
    except Exception as exc:  # noqa: BLE001 - counting crashes is the point
        row.status = "CRASH"
        row.misses.append(f"{type(exc).__name__}: {exc}")
        return row
    finally:
        row.seconds = time.perf_counter() - start
    row.items = len(feed.items)
    expected = data / "rss-parser" / "expected_output" / f"{path.stem}.json"
    if path.parent.name == "input" and expected.is_file():
        _compare(row, feed, _load_expected(expected))
    return row


def _load_expected(path: Path) -> dict[str, Any]:
    """rss-parser's expected output; a few files are not UTF-8 (Latin-1 fixtures)."""
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        text = raw.decode("cp1252", errors="replace")
    loaded: dict[str, Any] = json.loads(text)
    return loaded


def _compare(row: Row, feed: Feed, expected: dict[str, Any]) -> None:
    wanted = (expected.get("feed") or {}).get("items") or []
    row.expected = len(wanted)
    for index, exp in enumerate(wanted):
        ours = feed.items[index] if index < len(feed.items) else None
        _compare_item(row, index, ours, exp)


def _compare_item(row: Row, index: int, ours: FeedItem | None, exp: dict[str, Any]) -> None:
    title, link = _text(exp.get("title")), _text(exp.get("link"))
    our_title = (ours.title or "") if ours else ""
    our_link = (ours.link or "") if ours else ""
    row.titles.add(title == our_title.strip())
    row.titles_lenient.add(_lenient_equal(title, our_title))
    row.links.add(link == our_link.strip())
    if title != our_title.strip():
        row.misses.append(f"item {index}: title {our_title!r} != {title!r}")
    if link != our_link.strip():
        row.misses.append(f"item {index}: link {our_link!r} != {link!r}")
    iso = exp.get("isoDate")
    if isinstance(iso, str) and iso:
        ours_day = ours.published if ours else None
        hit = ours_day == iso[:10]
        row.dates.add(hit)
        if not hit and ours_day and _one_day_apart(ours_day, iso[:10]):
            row.dates_tz_only += 1
        elif not hit:
            row.misses.append(f"item {index}: date {ours_day!r} != {iso[:10]!r}")


def _text(value: Any) -> str:
    if value is None:
        return ""
    return (value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)).strip()


def _lenient_equal(expected: str, ours: str) -> bool:
    want = " ".join(expected.split())
    have = " ".join(ours.split())
    if "\ufffd" not in want:
        return want == have
    pattern = ".".join(re.escape(part) for part in want.split("\ufffd"))
    return re.fullmatch(pattern, have) is not None


def _one_day_apart(ours: str, utc_day: str) -> bool:
    """A day off in either direction: the feed's own zone against UTC."""
    try:
        gap = date.fromisoformat(ours) - date.fromisoformat(utc_day)
    except ValueError:
        return False
    return abs(gap.days) == 1


def _print_table(rows: list[Row], verbose: bool) -> None:
    header = f"{'feed':40} {'items':>5} {'exp':>5} {'titles':>9} {'links':>9} {'dates':>9}  status"
    print(header)
    print("-" * len(header))
    for row in rows:
        items = "-" if row.items is None else str(row.items)
        exp = "-" if row.expected is None else str(row.expected)
        print(
            f"{row.name:40} {items:>5} {exp:>5} {row.titles.rate():>9} {row.links.rate():>9} "
            f"{row.dates.rate():>9}  {row.status}"
        )
        if verbose or row.status != "ok":
            for miss in row.misses[: None if verbose else 3]:
                print(f"    {miss[:150]}")


def _sum(rows: list[Row], name: str) -> Score:
    total = Score()
    for row in rows:
        score: Score = getattr(row, name)
        total.total += score.total
        total.hits += score.hits
    return total


def _pct(score: Score) -> str:
    if not score.total:
        return "n/a"
    return f"{score.hits}/{score.total} = {100 * score.hits / score.total:.1f}%"


def _print_totals(rows: list[Row]) -> None:
    parsed = [row for row in rows if row.items is not None]
    errors = [row for row in rows if row.status.startswith("error:")]
    crashes = [row for row in rows if row.status == "CRASH"]
    compared = [row for row in parsed if row.expected is not None]
    same_count = sum(1 for row in compared if row.items == row.expected)
    print()
    print(
        f"feeds: {len(rows)}  parsed: {len(parsed)}  project errors: {len(errors)}"
        f"  crashes: {len(crashes)}"
    )
    for row in errors:
        print(f"  {row.name}: {row.status} ({row.misses[0][:120]})")
    print(
        f"items parsed: {sum(row.items or 0 for row in parsed)}"
        f"  seconds: {sum(row.seconds for row in rows):.2f}"
    )
    print(
        f"with rss-parser expected output: {len(compared)} feeds,"
        f" {sum(row.expected or 0 for row in compared)} items"
    )
    print(f"  item count equal: {same_count}/{len(compared)} feeds")
    print(f"  titles exact (strip):                 {_pct(_sum(compared, 'titles'))}")
    print(f"  titles lenient (U+FFFD, inner spaces): {_pct(_sum(compared, 'titles_lenient'))}")
    print(f"  links exact (strip):                  {_pct(_sum(compared, 'links'))}")
    dates = _sum(compared, "dates")
    tz_only = sum(row.dates_tz_only for row in compared)
    print(f"  dates = UTC day of isoDate:           {_pct(dates)}")
    print(f"    misses one day off (feed's own zone vs UTC; we keep the day as written): {tz_only}")
    print(f"    other date misses: {dates.total - dates.hits - tz_only}")


def _command(args: argparse.Namespace) -> str:
    parts = [".venv/bin/python", "eval/feeds_eval.py"]
    if Path(args.data).resolve() != DEFAULT_DATA.resolve():
        parts += ["--data", str(args.data)]
    if args.verbose:
        parts.append("--verbose")
    return "cd " + shlex.quote(str(ROOT)) + " && " + " ".join(shlex.quote(p) for p in parts)


if __name__ == "__main__":
    sys.exit(main())
