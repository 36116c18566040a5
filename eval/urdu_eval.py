"""Urdu ingestion, sentence splitting and search on a real Urdu news corpus.

Data: ``../shared/eval/urdu_bend_the_truth/bend_the_truth.jsonl`` (900 Urdu
news articles, real and journalist-written fake versions; JSONL with
``id, split, label, domain, text``, which ``corridor ingest`` reads as it is:
``text`` is the body, the other fields are ignored). The script ingests it
into a temporary SQLite database with ``Corridor.ingest`` and reports:

* documents stored / dropped (by reason) / duplicates / quarantined, and the
  languages detected;
* sentences per stored document (``corridor.extract.split_sentences``):
  mean, median, min, max, and how many documents come out as one sentence;
* search recall@10 for 20 Urdu keyword queries written for this evaluation,
  each aimed at one article (a query counts as found when its article, or the
  stored document its article was merged into as a duplicate, is in the top 10
  of ``Corridor.search``); five of them are typed with Arabic code points
  (ي ك) to exercise the spelling variants of ``corridor.textnorm``;
* cross-language recall@10 for English entity queries run as
  ``corridor.xlang.any_language_query`` alternatives (merged round-robin):
  the fraction of the articles naming the entity (listed by id) in the top 10.

The corpus has no titles; the queries were written from the articles' opening
lines (names and topic words, not copied sentences).

    python eval/urdu_eval.py [--data DIR] [--keep-db FILE] [--extract] [--show-misses]
                             [--no-variants]

When the data folder is absent the script says so and exits 0.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DEFAULT_DATA = REPO.parent / "shared" / "eval" / "urdu_bend_the_truth"
K = 10

#: (query, article id): keywords chosen for this evaluation
QUERIES: tuple[tuple[str, str], ...] = (
    ("آئی ایم ایف زرمبادلہ ذخائر", "Train/Real/bus6.txt"),
    ("قطر اوپیک قرقاش", "Train/Real/bus29.txt"),
    ("ایچ آئی وی نئے معاملوں میں کمی", "Train/Real/hlth5.txt"),
    ("اسپرین کینسر علاج", "Train/Real/hlth28.txt"),
    ("انل كپور فلم تخت", "Train/Real/sbz4.txt"),
    ("شلپا شیٹھی قرض مقدمہ", "Train/Real/sbz27.txt"),
    ("ویرات کوہلی انوشکا ازدواجی زندگی", "Train/Real/sbz50.txt"),
    ("میراڈونا میسی قیادت", "Train/Real/sp26.txt"),
    ("ہیزل ووڈ فٹنس انگلینڈ", "Train/Real/sp49.txt"),
    ("ناسا آرکٹک برف", "Train/Real/tch2.txt"),
    ("واٹس ايپ ويڈيو كالنگ", "Train/Real/tch25.txt"),
    ("مصنوعی ذہانت چین تھنک ٹینک", "Train/Real/tch48.txt"),
    ("اوریکل سہ ماہی", "Train/Fake/bus44.txt"),
    ("جونی ڈیپ پائریٹس", "Train/Fake/sbz33.txt"),
    ("جنيد جمشيد", "Train/Fake/sbz56.txt"),
    ("كورا صارفين ڈیٹا", "Train/Fake/tch13.txt"),
    ("عامر خان باکسر ناک آؤٹ", "Test/Real/sp84.txt"),
    ("فيس بك ميسنجر پیغام", "Test/Real/tch77.txt"),
    ("انجلینا جولی", "Test/Fake/sbz72.txt"),
    ("آبِ زم زم", "Test/Real/hlth75.txt"),
)

#: English queries for entities the lexicon names in Urdu, and the articles
#: (read to check) that name them
CROSS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("Xi Jinping", ("Test/Real/bus100.txt", "Test/Real/bus97.txt", "Train/Real/bus9.txt")),
    ("Orange Line", ("Train/Real/bus48.txt",)),
    ("FATF", ("Test/Real/tch95.txt",)),
    ("Belt and Road Initiative", ("Test/Real/bus94.txt",)),
    ("Xinhua", ("Test/Real/bus80.txt", "Test/Fake/bus80.txt")),
    ("Ishaq Dar", ("Train/Real/bus56.txt",)),
    ("Shehbaz Sharif", ("Test/Real/bus84.txt", "Test/Real/bus96.txt")),
    ("Gwadar", ("Train/Real/bus1.txt", "Train/Real/bus40.txt", "Train/Fake/bus40.txt",
                "Train/Real/hlth31.txt", "Train/Fake/hlth31.txt")),
)  # fmt: skip


def merged_search(corridor: object, queries: list[str], k: int) -> list[str]:
    """Doc ids of the alternatives' hits, interleaved rank by rank, deduplicated."""
    from corridor.service import Corridor

    assert isinstance(corridor, Corridor)
    runs = [[h.doc_id for h in corridor.search(q, limit=k)] for q in queries]
    out: dict[str, None] = {}
    for rank in range(k):
        for hits in runs:
            if rank < len(hits):
                out.setdefault(hits[rank], None)
    return list(out)[:k]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--keep-db", type=Path, default=None, help="write the database here")
    ap.add_argument("--extract", action="store_true", help="also run extraction at ingest")
    ap.add_argument("--show-misses", action="store_true")
    ap.add_argument("--no-variants", action="store_true",
                    help="ablation: search each term only as typed (no spelling variants)")
    args = ap.parse_args(argv)
    source = args.data / "bend_the_truth.jsonl"
    if not source.is_file():
        print(f"urdu_eval: {source} not found; nothing to evaluate (skipped).")
        return 0

    from corridor.extract import split_sentences
    from corridor.service import Corridor
    from corridor.settings import Settings
    from corridor.xlang import any_language_query

    if args.no_variants:
        import corridor.store.fts_query as fts_query

        setattr(fts_query, "search_variants", lambda term: [term])  # noqa: B010

    ids = [json.loads(line)["id"] for line in source.read_text(encoding="utf-8").splitlines()
           if line.strip()]
    with tempfile.TemporaryDirectory() as tmp:
        db = args.keep_db or Path(tmp) / "urdu.db"
        if db.exists():
            db.unlink()
        with Corridor(settings=Settings(db=str(db))) as corridor:
            started = time.perf_counter()
            report = corridor.ingest([str(source)], extract=args.extract)
            seconds = time.perf_counter() - started
            print(f"data: {source}")
            print(f"ingested {report.inputs} inputs in {seconds:.1f} s: stored {report.stored}, "
                  f"duplicates {dict(report.duplicates) or 0}, "
                  f"dropped {dict(report.dropped) or 0}, "
                  f"quarantined {dict(report.quarantined) or 0}")

            # input line -> stored document (itself, or the copy it duplicates)
            article_doc: dict[str, str] = {}
            langs: Counter[str] = Counter()
            sentence_counts: list[int] = []
            for doc in corridor.store.iter_documents():
                langs[doc.lang or "?"] += 1
                sentence_counts.append(len(split_sentences(doc.text, doc.lang)))
                for link in corridor.document(doc.id).sources:
                    line = link.source_key.rsplit("#L", 1)[-1]
                    if line.isdigit() and 0 < int(line) <= len(ids):
                        article_doc[ids[int(line) - 1]] = doc.id
            print(f"languages detected: {dict(langs)}")
            if sentence_counts:
                counts = sentence_counts
                single = sum(1 for n in counts if n == 1)
                print(f"sentences per document: mean {statistics.mean(counts):.1f}, "
                      f"median {statistics.median(counts):.0f}, min {min(counts)}, "
                      f"max {max(counts)}; {single} of {len(counts)} documents are one sentence")

            found = 0
            misses: list[str] = []
            for query, article in QUERIES:
                target = article_doc.get(article)
                hits = [h.doc_id for h in corridor.search(query, limit=K)]
                rank = hits.index(target) + 1 if target in hits else None
                found += rank is not None
                if rank is None:
                    misses.append(f"  miss: {query!r} -> {article} ({len(hits)} hits)")
            print(f"search recall@{K}: {found}/{len(QUERIES)} = {found / len(QUERIES):.2f}")

            cross_found = cross_total = 0
            for query, articles in CROSS:
                alternatives = any_language_query(query)
                top = merged_search(corridor, alternatives, K)
                targets = {article_doc[a] for a in articles if a in article_doc}
                got = len(targets & set(top))
                cross_found += got
                cross_total += len(targets)
                if got < len(targets):
                    misses.append(
                        f"  cross miss: {query!r}: {got}/{len(targets)} via {alternatives}"
                    )
            if cross_total:
                print(f"cross-language recall@{K} (English entity -> Urdu articles): "
                      f"{cross_found}/{cross_total} = {cross_found / cross_total:.2f}")
            if args.show_misses:
                print("\n".join(misses) or "  no misses")
    print("\nreproduce: .venv/bin/python eval/urdu_eval.py --show-misses")
    return 0


if __name__ == "__main__":
    sys.exit(main())
