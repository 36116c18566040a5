"""Fit the pair judge's parameters (``judge_params.json``) from labelled contrast pairs.

Recipe (reproducible: fixed seed, the only input is ``eval/check_pairs.json``):

1. Hand-written pairs: for each item (an evidence excerpt written for the
   project), the claims it supports, refutes (one detail changed: person,
   role, place, date, year, ordinal, number, negation, reversed action,
   swapped parties) and leaves unsettled (on-topic, plausible, unstated).
2. Generated pairs, as FEVER-Symmetric / VitaminC do with contrast sets:
   the cited sentence itself (supports); its ordinals and numbers changed
   (refutes); a supported claim with an added detail the evidence never
   states — an amount, a venue, a date (unrelated); claims of other items
   against this evidence (unrelated: on topic, about something else).
3. A multinomial logistic regression (softmax, L2) over the standardised
   features of ``check.features``, fitted by full-batch Adam, classes balanced. The
   script reports 5-fold cross-validated accuracy and calibration (grouped by
   item, so no evidence is in both train and test) before the final fit.

    .venv/bin/python -m corridor.check.train [--pairs eval/check_pairs.json] [--out PATH]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from ..store.base import SentenceHit
from .facts import Facts, claim_facts, evidence_facts
from .features import FEATURES, compare
from .judge import CLASSES

__all__ = ["Pair", "fit", "generate_pairs", "main"]

SEED = 20250206
L2 = 0.05
_ORD = ["first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth",
        "tenth"]
_NUM = ["two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"]
_ADDED = [" in Multan", ", worth 700 million dollars", " on 3 June", " in 2019",
          " for the seventh time", ", a five-year plan"]


@dataclass
class Pair:
    claim: str
    evidence: list[str]
    published: str | None
    label: str  # supports | refutes | unrelated
    group: int  # item index (for grouped cross-validation)
    origin: str  # written | generated


def _swap_ordinal(text: str, rng: random.Random) -> str | None:
    for i, word in enumerate(_ORD):
        m = re.search(rf"\b{word}\b", text, flags=re.IGNORECASE)
        if m:
            other = rng.choice([w for w in _ORD if w != word])
            return text[:m.start()] + (other.capitalize() if m.group(0)[0].isupper() else other) \
                + text[m.end():]
        del i
    m = re.search(r"\b(\d+)(st|nd|rd|th)\b", text)
    if m:
        n = int(m.group(1)) + rng.choice([-2, -1, 1, 2])
        suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
        return text[:m.start()] + f"{max(n, 1)}{suffix}" + text[m.end():]
    return None


def _swap_number(text: str, rng: random.Random) -> str | None:
    m = re.search(r"\b(" + "|".join(_NUM) + r")-(day|year|week|month|member|nation)\b", text)
    if m:
        other = rng.choice([w for w in _NUM if w != m.group(1)])
        return text[:m.start(1)] + other + text[m.end(1):]
    m = re.search(r"\b(\d+(?:\.\d+)?)\s+(billion|million|percent|per cent|[a-z]+s)\b", text)
    if m and not re.fullmatch(r"(19|20)\d\d", m.group(1)):
        value = float(m.group(1))
        new = value * rng.choice([0.5, 2, 3, 1.5])
        shown = f"{new:g}" if "." in m.group(1) else str(int(round(new)))
        return text[:m.start(1)] + shown + text[m.end(1):]
    return None


def generate_pairs(path: Path) -> list[Pair]:
    data = json.loads(path.read_text("utf-8"))
    items: list[dict[str, Any]] = data["items"]
    rng = random.Random(SEED)
    pairs: list[Pair] = []
    for g, item in enumerate(items):
        ev, pub = list(item["evidence"]), item.get("published")
        for claim in item["supports"]:
            pairs.append(Pair(claim, ev, pub, "supports", g, "written"))
        for claim, _kind in item["refutes"]:
            pairs.append(Pair(claim, ev, pub, "refutes", g, "written"))
        for claim in item["nei"]:
            pairs.append(Pair(claim, ev, pub, "unrelated", g, "written"))
        cited = ev[-1]
        pairs.append(Pair(cited, ev, pub, "supports", g, "generated"))
        for fn in (_swap_ordinal, _swap_number):
            changed = fn(cited, rng)
            if changed and changed != cited:
                pairs.append(Pair(changed, ev, pub, "refutes", g, "generated"))
        base = item["supports"][0].rstrip(".")
        for extra in rng.sample(_ADDED, 2):
            if extra.strip(" ,").split()[-1].lower() in base.lower():
                continue
            pairs.append(Pair(base + extra + ".", ev, pub, "unrelated", g, "generated"))
        others = [i for i in range(len(items)) if i != g]
        for o in rng.sample(others, min(3, len(others))):
            claim = rng.choice(items[o]["supports"])
            pairs.append(Pair(claim, ev, pub, "unrelated", g, "generated"))
    return pairs


def featurise(pairs: list[Pair]) -> np.ndarray:
    from ..embed import get_embedder
    from .checker import word_vectors

    embedder = get_embedder()
    words = word_vectors(embedder)
    claims: dict[str, Facts] = {}
    rows = []
    texts = list(dict.fromkeys([p.claim for p in pairs] + [s for p in pairs for s in p.evidence]))
    vectors = dict(zip(texts, embedder.embed(texts), strict=True))
    for p in pairs:
        if p.claim not in claims:
            claims[p.claim] = claim_facts(p.claim)
        hits, offset = [], 0
        for i, s in enumerate(p.evidence):
            hits.append(SentenceHit(doc_id=f"item{p.group}", idx=i, start=offset,
                                    end=offset + len(s), text=s, published=p.published))
            offset += len(s) + 1
        facts = evidence_facts(hits, {})
        sim = max(float(vectors[p.claim] @ vectors[s]) for s in p.evidence)
        rows.append(compare(claims[p.claim], facts, sim, words.similarity).vector())
    return np.vstack(rows)


def _loss(theta: np.ndarray, x: np.ndarray, y: np.ndarray, w: np.ndarray,
          l2: float) -> tuple[float, np.ndarray]:
    k, d = len(CLASSES), x.shape[1]
    weights = theta[: k * d].reshape(k, d)
    bias = theta[k * d:]
    z = x @ weights.T + bias
    z -= z.max(axis=1, keepdims=True)
    logp = z - np.log(np.exp(z).sum(axis=1, keepdims=True))
    p = np.exp(logp)
    onehot = np.eye(k)[y]
    loss = -(w * logp[np.arange(len(y)), y]).sum() / w.sum() + 0.5 * l2 * (weights ** 2).sum()
    g = (p - onehot) * w[:, None] / w.sum()
    grad_w = g.T @ x + l2 * weights
    grad_b = g.sum(axis=0)
    return float(loss), np.concatenate([grad_w.ravel(), grad_b])


def _adam(fn: Any, theta: np.ndarray, steps: int = 4000, lr: float = 0.05) -> np.ndarray:
    """Full-batch Adam on a smooth convex loss (deterministic; no SciPy needed)."""
    m = np.zeros_like(theta)
    v = np.zeros_like(theta)
    for t in range(1, steps + 1):
        _, g = fn(theta)
        m = 0.9 * m + 0.1 * g
        v = 0.999 * v + 0.001 * g * g
        theta = theta - lr * (m / (1 - 0.9 ** t)) / (np.sqrt(v / (1 - 0.999 ** t)) + 1e-8)
    return theta


def fit(x: np.ndarray, labels: list[str], l2: float = L2) -> dict[str, Any]:
    """Softmax regression on standardised ``x``; class-balanced weights."""
    y = np.array([CLASSES.index(lab) for lab in labels])
    mean = x.mean(axis=0)
    scale = x.std(axis=0)
    scale[scale < 1e-6] = 1.0
    xs = (x - mean) / scale
    counts = np.bincount(y, minlength=len(CLASSES)).astype(float)
    w = (len(y) / (len(CLASSES) * np.maximum(counts, 1)))[y]
    theta = _adam(lambda t: _loss(t, xs, y, w, l2),
                  np.zeros(len(CLASSES) * x.shape[1] + len(CLASSES)))
    k, d = len(CLASSES), x.shape[1]
    return {"weights": theta[: k * d].reshape(k, d).tolist(), "bias": theta[k * d:].tolist(),
            "mean": mean.tolist(), "scale": scale.tolist()}


def _predict(params: dict[str, Any], x: np.ndarray) -> np.ndarray:
    z = ((x - np.array(params["mean"])) / np.array(params["scale"])) @ np.array(
        params["weights"]).T + np.array(params["bias"])
    z -= z.max(axis=1, keepdims=True)
    e = np.exp(z)
    p: np.ndarray = e / e.sum(axis=1, keepdims=True)
    return p


def cross_validate(x: np.ndarray, pairs: list[Pair], folds: int = 5) -> dict[str, float]:
    groups = sorted({p.group for p in pairs})
    rng = random.Random(SEED)
    rng.shuffle(groups)
    fold_of = {g: i % folds for i, g in enumerate(groups)}
    probs = np.zeros((len(pairs), len(CLASSES)))
    labels = [p.label for p in pairs]
    for f in range(folds):
        train = [i for i, p in enumerate(pairs) if fold_of[p.group] != f]
        test = [i for i, p in enumerate(pairs) if fold_of[p.group] == f]
        params = fit(x[train], [labels[i] for i in train])
        probs[test] = _predict(params, x[test])
    pred = probs.argmax(axis=1)
    gold = np.array([CLASSES.index(lab) for lab in labels])
    conf = probs.max(axis=1)
    ece = 0.0
    for lo in np.linspace(0, 1, 10, endpoint=False):
        sel = (conf > lo) & (conf <= lo + 0.1)
        if sel.any():
            ece += sel.mean() * abs((pred[sel] == gold[sel]).mean() - conf[sel].mean())
    f1s = []
    for c in range(len(CLASSES)):
        tp = ((pred == c) & (gold == c)).sum()
        prec = tp / max((pred == c).sum(), 1)
        rec = tp / max((gold == c).sum(), 1)
        f1s.append(2 * prec * rec / (prec + rec) if prec + rec else 0.0)
    return {"accuracy": float((pred == gold).mean()), "macro_f1": float(np.mean(f1s)),
            "ece": float(ece)}


def main(argv: list[str] | None = None) -> int:
    root = Path(__file__).resolve().parents[2]
    ap = argparse.ArgumentParser(description="Fit the pair judge of corridor check.")
    ap.add_argument("--pairs", type=Path, default=root / "eval" / "check_pairs.json")
    ap.add_argument("--out", type=Path, default=Path(__file__).with_name("judge_params.json"))
    args = ap.parse_args(argv)
    pairs = generate_pairs(args.pairs)
    counts = {c: sum(p.label == c for p in pairs) for c in CLASSES}
    print(f"{len(pairs)} pairs ({sum(p.origin == 'written' for p in pairs)} written): {counts}")
    x = featurise(pairs)
    cv = cross_validate(x, pairs)
    print(f"5-fold grouped cross-validation: accuracy {cv['accuracy']:.3f}, "
          f"macro-F1 {cv['macro_f1']:.3f}, ECE {cv['ece']:.3f}")
    params = fit(x, [p.label for p in pairs])
    digest = hashlib.sha256(args.pairs.read_bytes()).hexdigest()[:8]
    out = {"version": f"lr-{digest}", "features": list(FEATURES), "classes": list(CLASSES),
           **params, "training": {"pairs": len(pairs), "by_label": counts, "l2": L2,
                                  "seed": SEED, "cv": cv}}
    args.out.write_text(json.dumps(out, indent=1) + "\n", "utf-8")
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
