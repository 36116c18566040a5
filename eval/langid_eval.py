"""Language identification quality of ``corridor.ingest.meta.detect_language``.

Data: the Lingua test sentences in ``../shared/eval/langid_sentences`` (one
sentence per line, the file name is the label): the corpus languages en, ur,
zh and their look-alikes hi (Devanagari Hindustani), fa and ar (Arabic
script), ja (Han characters). Reports per-language accuracy, the precision of
en/ur/zh among these seven files, the confusions, and the speed; then a
mixed-page check of ``detect_paragraph_languages`` on pages assembled from
paragraphs of 1-4 sentences in different languages (fraction of characters
whose run has the right language).

    python eval/langid_eval.py [--data DIR] [--min-accuracy 0.97] [--show-errors K]

``--min-accuracy`` is a gate on en, ur and zh (exit status 1 below it). When
the data folder is absent the script says so and exits 0. Note: a few lines in
``ur.txt`` are Persian (the upstream corpus comes from crawled websites), so
Urdu accuracy has a ceiling just under 1.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DEFAULT_DATA = REPO.parent / "shared" / "eval" / "langid_sentences"
LANGS = ("en", "ur", "zh", "hi", "fa", "ar", "ja")
CORPUS_LANGS = ("en", "ur", "zh")


def load(data: Path) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for lang in LANGS:
        path = data / f"{lang}.txt"
        if path.exists():
            lines = path.read_text(encoding="utf-8").splitlines()
            out[lang] = [line.strip() for line in lines if line.strip()]
    return out


def mixed_pages(sentences: dict[str, list[str]], pages: int, seed: int = 7) -> float:
    """Character accuracy of detect_paragraph_languages on assembled mixed pages."""
    from corridor.ingest.meta import detect_paragraph_languages

    rng = random.Random(seed)
    langs = [lang for lang in LANGS if lang in sentences]
    right = total = 0
    for _ in range(pages):
        parts: list[tuple[str, str]] = []
        for _ in range(rng.randint(2, 5)):
            lang = rng.choice(langs)
            joiner = "" if lang in ("zh", "ja") else " "
            parts.append((lang, joiner.join(rng.sample(sentences[lang], rng.randint(1, 4)))))
        text = "\n".join(p for _, p in parts)
        gold: list[str] = []
        for lang, paragraph in parts:
            gold.extend(lang for _ in paragraph)
            gold.append("")
        for start, end, found in detect_paragraph_languages(text):
            for i in range(start, end):
                if gold[i]:
                    total += 1
                    right += gold[i] == found
    return right / total if total else 0.0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--min-accuracy", type=float, default=None)
    ap.add_argument("--show-errors", type=int, default=0, metavar="K")
    ap.add_argument("--pages", type=int, default=300, help="mixed pages to assemble")
    args = ap.parse_args(argv)
    if not args.data.is_dir():
        print(f"langid_eval: {args.data} not found; nothing to evaluate (skipped).")
        return 0
    from corridor.ingest.meta import detect_language

    sentences = load(args.data)
    detect_language("warm up the model")
    print(f"data: {args.data}")
    print(f"{'lang':6}{'n':>6}{'accuracy':>10}  confused with")
    predicted_as: Counter[tuple[str, str]] = Counter()
    accuracy: dict[str, float] = {}
    n_total, seconds = 0, 0.0
    errors: dict[str, list[tuple[str | None, str]]] = {}
    for lang, lines in sentences.items():
        started = time.perf_counter()
        preds = [detect_language(line) for line in lines]
        seconds += time.perf_counter() - started
        n_total += len(lines)
        counts = Counter(str(p) for p in preds)
        accuracy[lang] = counts[lang] / len(lines)
        for code, n in counts.items():
            predicted_as[(lang, code)] += n
        wrong = ", ".join(f"{c} {n}" for c, n in counts.most_common() if c != lang)
        print(f"{lang:6}{len(lines):>6}{accuracy[lang]:>10.4f}  {wrong or '-'}")
        errors[lang] = [(p, line) for p, line in zip(preds, lines, strict=True) if p != lang]
    print("\nprecision among these files (predicted X that are X):")
    for lang in CORPUS_LANGS:
        as_lang = sum(n for (gold, code), n in predicted_as.items() if code == lang)
        if as_lang:
            wrong_in = {g: n for (g, c), n in predicted_as.items() if c == lang and g != lang}
            share = predicted_as[(lang, lang)] / as_lang
            print(f"  {lang}: {share:.4f}  (from others: {wrong_in or 0})")
    print(f"\nspeed: {seconds / max(n_total, 1) * 1e6:.0f} us per sentence ({n_total} sentences)")
    if args.pages:
        started = time.perf_counter()
        score = mixed_pages(sentences, args.pages)
        print(f"mixed pages ({args.pages}, 2-5 paragraphs of 1-4 sentences): "
              f"character accuracy {score:.4f} ({time.perf_counter() - started:.1f} s)")
    if args.show_errors:
        for lang, errs in errors.items():
            for pred, line in errs[: args.show_errors]:
                print(f"  {lang} -> {pred}: {line[:100]}")
    print("\nreproduce: .venv/bin/python eval/langid_eval.py --min-accuracy 0.97")
    if args.min_accuracy is not None:
        low = [lang for lang in CORPUS_LANGS if accuracy.get(lang, 0.0) < args.min_accuracy]
        if low:
            print(f"FAIL: accuracy below {args.min_accuracy} for {', '.join(low)}")
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
