"""Event typing and actor extraction on the PLOVER gold-standard records.

Data: ``../shared/eval/plover_gsr_events/plover_gsr_cameo.jsonl`` (322 coded wire
sentences; CC BY-SA 4.0, see its README). Read from there, never copied. Skips
with a message when the folder is absent.

Each sentence is extracted as a one-sentence article (no publication date).
The sentence's predicted PLOVER type is that of its main event (the domain
pack's priority order: SIGN > AGREE > JOINT_STATEMENT > CALL > VISIT > MEET)
mapped through the pack's PLOVER table (MEET/VISIT/CALL -> CONSULT;
AGREE/SIGN/JOINT_STATEMENT -> AGREE; STATEMENT has no PLOVER type). A sentence
with no mapped event but a commitment (will / pledged / agreed to / ready to)
is typed AGREE, PLOVER's type for promises and offers. Otherwise: no event.

Reported:
- coverage and accuracy over all records (our seven types can only ever
  produce CONSULT or AGREE, so most PLOVER types are out of reach by design);
- accuracy on the in-scope records (gold AGREE or CONSULT) and precision of
  the predicted types;
- actors: gold source / target actor texts located in the sentence; a gold
  actor is found when a predicted source (target) span overlaps it;
  precision, recall, F1 for sources and targets, and the recall of any
  extracted entity mention over all gold actors.

Reproduce::

    .venv/bin/python eval/plover_eval.py [--data PATH] [--mode auto|model|rules]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections import Counter
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
DEFAULT = REPO.parent / "shared" / "eval" / "plover_gsr_events"


def actor_texts(field: Any) -> list[str]:
    if not field:
        return []
    if isinstance(field, str):
        return [field]
    out = []
    for a in field:
        if isinstance(a, dict) and a.get("actorText"):
            out.append(str(a["actorText"]))
        elif isinstance(a, str):
            out.append(a)
    return out


def locate(text: str, actor: str) -> tuple[int, int] | None:
    low = text.lower()
    probe = actor.strip().lower()
    i = low.find(probe)
    if i >= 0:
        return i, i + len(probe)
    # PLOVER sometimes joins words ("U.S. ... negotiators"): fall back to the last word
    words = [w for w in probe.replace("(", " ").split() if len(w) > 2]
    if words:
        i = low.find(words[-1])
        if i >= 0:
            return i, i + len(words[-1])
    return None


def overlaps(a: tuple[int, int], spans: list[tuple[int, int]]) -> bool:
    return any(s < a[1] and a[0] < e for s, e in spans)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--data", type=Path, default=DEFAULT)
    ap.add_argument("--mode", choices=["auto", "model", "rules"], default="auto")
    ap.add_argument("--show", type=int, default=0, help="print N mistyped examples")
    args = ap.parse_args(argv)
    path = args.data / "plover_gsr_cameo.jsonl"
    if not path.exists():
        print(f"PLOVER eval skipped: {path} not found")
        return 0
    os.environ["CORRIDOR_NLP"] = args.mode
    from corridor.document import Document
    from corridor.domain import load_pack
    from corridor.extract import analyse, get_nlp, plover_type
    from corridor.extract.commitments import find_commitments
    from corridor.extract.events import find_events

    priority = load_pack().events.priority
    records = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]
    records = [r for r in records if r.get("event") and r["event"] != "DOCUMENT"]

    total = correct = predicted = in_scope = in_scope_ok = 0
    confusion: Counter[tuple[str, str]] = Counter()
    src = {"tp": 0, "fp": 0, "fn": 0}
    tgt = {"tp": 0, "fp": 0, "fn": 0}
    src_ev = {"tp": 0, "fp": 0, "fn": 0}
    tgt_ev = {"tp": 0, "fp": 0, "fn": 0}
    any_found = any_total = 0
    shown = 0
    for r in records:
        text = r["text"].strip().strip("{}")
        doc = Document(source_key=r["id"], text=text, lang="en")
        an, actors = analyse(doc)
        details = find_events(an, doc.mentions, actors, keep_empty=True)
        commitments = find_commitments(an, doc.mentions, actors)
        main_ev = None
        for typ in priority:
            main_ev = next((d for d in details if d.event.type == typ and plover_type(typ)), None)
            if main_ev is not None:
                break
        pred = plover_type(main_ev.event.type) if main_ev is not None else None
        if pred is None and commitments:
            pred = "AGREE"
        gold = r["event"]
        total += 1
        if pred is not None:
            predicted += 1
        correct += int(pred == gold)
        if gold in ("AGREE", "CONSULT"):
            in_scope += 1
            in_scope_ok += int(pred == gold)
        confusion[(gold, pred or "-")] += 1
        if args.show and pred != gold and gold in ("AGREE", "CONSULT") and shown < args.show:
            shown += 1
            print(f"  gold {gold} pred {pred}: {text[:120]}")

        # actors
        gold_src = [x for a in actor_texts(r.get("source")) if (x := locate(text, a))]
        gold_tgt = [x for a in actor_texts(r.get("target")) if (x := locate(text, a))]
        src_spans: list[tuple[int, int]] = []
        tgt_spans: list[tuple[int, int]] = []
        if main_ev is not None:
            src_spans = [(a.start, a.end) for a in main_ev.sources if a.kind == "entity"]
            tgt_spans = [(a.start, a.end) for a in main_ev.targets if a.kind == "entity"]
        pairs = [(gold_src, src_spans, src), (gold_tgt, tgt_spans, tgt)]
        if main_ev is not None:
            pairs += [(gold_src, src_spans, src_ev), (gold_tgt, tgt_spans, tgt_ev)]
        for gold_spans, pred_spans, acc in pairs:
            hit = sum(1 for g in gold_spans if overlaps(g, pred_spans))
            acc["tp"] += hit
            acc["fn"] += len(gold_spans) - hit
            acc["fp"] += sum(1 for p in pred_spans if not overlaps(p, gold_spans))
        mention_spans = [(m.start, m.end) for m in doc.mentions]
        for g in gold_src + gold_tgt:
            any_total += 1
            any_found += int(overlaps(g, mention_spans))

    def prf(acc: dict[str, int]) -> str:
        p = acc["tp"] / (acc["tp"] + acc["fp"]) if acc["tp"] + acc["fp"] else 0.0
        rr = acc["tp"] / (acc["tp"] + acc["fn"]) if acc["tp"] + acc["fn"] else 0.0
        f = 2 * p * rr / (p + rr) if p + rr else 0.0
        return (
            f"P {p:.3f}  R {rr:.3f}  F1 {f:.3f}  (tp {acc['tp']}, fp {acc['fp']}, fn {acc['fn']})"
        )

    print(f"PLOVER GSR eval: {total} coded sentences from {path}")
    print(f"pipeline: {get_nlp().name}")
    print(f"event-type accuracy, all records:      {correct}/{total} = {correct / total:.3f}")
    print(f"coverage (a mapped type predicted):    {predicted}/{total} = {predicted / total:.3f}")
    print(
        f"accuracy on in-scope (gold AGREE/CONSULT): {in_scope_ok}/{in_scope} = "
        f"{in_scope_ok / max(1, in_scope):.3f}"
    )
    pred_ok = sum(v for (g, p), v in confusion.items() if p != "-" and g == p)
    print(
        f"precision of predicted types:          {pred_ok}/{predicted} = "
        f"{pred_ok / max(1, predicted):.3f}"
    )
    by_pred: Counter[str] = Counter()
    for (g, p), v in confusion.items():
        if p != "-":
            by_pred[f"{p}<-{g}"] += v
    print(
        "predicted <- gold (counts): " + ", ".join(f"{k} {v}" for k, v in by_pred.most_common(12))
    )
    print(f"source actors, all records:             {prf(src)}")
    print(f"target actors, all records:             {prf(tgt)}")
    print(f"source actors, records with an event:   {prf(src_ev)}")
    print(f"target actors, records with an event:   {prf(tgt_ev)}")
    print(
        f"gold actors covered by any entity mention: {any_found}/{any_total} = "
        f"{any_found / max(1, any_total):.3f}"
    )
    print(f"reproduce: .venv/bin/python eval/plover_eval.py --mode {args.mode}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
