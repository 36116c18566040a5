"""The training mix of the claim–evidence judge, read from ``../shared/train``.

Every set is used from its train file only; dev files and FEVER-Symmetric dev
are for evaluation. FEVER pairs whose claim or evidence also occurs in
FEVER-Symmetric dev are dropped (Symmetric is built from FEVER dev, so
without this filter the evaluation would see trained pairs).

FEVER has no NOT_ENOUGH_INFO pairs here: ``fever_nei`` pairs a claim with the
evidence of another claim that names none of its capitalised words' pages
(wrong topic) or the same page (right topic, other fact), so "unrelated" is
learned on Wikipedia text too.
"""

from __future__ import annotations

import json
import random
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

SHARED = Path(__file__).resolve().parents[3] / "shared"
TRAIN = SHARED / "train"
LABELS = ("SUPPORTS", "REFUTES", "NOT_ENOUGH_INFO")

#: at most this many pairs of each contrast kind (the common edits would crowd out the rest)
CONTRAST_CAP = {"unstated": 2200, "negation": 1500, "negation-evidence": 1200,
                "negation-both": 1200, "person": 1200, "org": 900, "gpe": 900,
                "other-sentence": 1400, "reduced": 3000, "hedge": 900}
#: at most this many NOT_ENOUGH_INFO pairs from Climate-FEVER (noisy, two thirds of the set)
CLIMATE_NEI = 1800


@dataclass(frozen=True)
class Pair:
    claim: str
    evidence: str
    label: str
    source: str

    @property
    def y(self) -> int:
        return LABELS.index(self.label)


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    if not path.is_file():
        return []
    return [json.loads(line) for line in path.read_text("utf-8").splitlines() if line.strip()]


def norm(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", text.lower())


def detok(text: str) -> str:
    """PTB-style spacing undone ("Apple Inc. ." -> "Apple Inc."), as news text reads."""
    text = re.sub(r"\s+([.,;:!?%)\]])", r"\1", text)
    text = re.sub(r"([(\[])\s+", r"\1", text)
    text = re.sub(r"\s+(['’]s)\b", r"\1", text)
    text = re.sub(r"\s+(n['’]t)\b", r"\1", text)
    text = text.replace(" - ", "-") if re.search(r"\w - \w", text) else text
    return re.sub(r"\.\s*\.$", ".", text).strip()


def _pairs(rows: Iterable[dict[str, Any]], source: str, clean: bool = False) -> list[Pair]:
    out = []
    for r in rows:
        claim, evidence = r["claim"], r["evidence"]
        if r.get("context"):
            evidence = f"{r['context']} {evidence}"
        if clean:
            claim, evidence = detok(claim), detok(evidence)
        out.append(Pair(claim, evidence, r["label"], source))
    return out


def symmetric_dev() -> list[Pair]:
    return _pairs(read_jsonl(TRAIN / "fever_symmetric" / "train.jsonl"), "fever_symmetric",
                  clean=True)


def fever_rows() -> list[dict[str, Any]]:
    """FEVER dev pairs that share no claim (normalised) and no evidence sentence with
    FEVER-Symmetric dev, which is built from FEVER dev and must stay unseen."""
    sym = read_jsonl(TRAIN / "fever_symmetric" / "train.jsonl")
    sym_claims = {norm(r["claim"]) for r in sym}
    sym_evidence = [r["evidence"] for r in sym]
    return [r for r in read_jsonl(TRAIN / "fever_dev_pairs" / "train.jsonl")
            if norm(r["claim"]) not in sym_claims
            and not any(e in r["evidence"] for e in sym_evidence)]


def fever_pairs(rng: random.Random, nei: int) -> list[Pair]:
    pairs = _pairs(fever_rows(), "fever", clean=True)
    # NOT_ENOUGH_INFO: a claim with another claim's evidence (never one it shares)
    by_claim = {p.claim: p for p in pairs}
    claims = list(by_claim)
    evidences = sorted({p.evidence for p in pairs})
    first_word = {e: e.split(" ", 1)[0] for e in evidences}
    by_first: dict[str, list[str]] = {}
    for e, w in first_word.items():
        by_first.setdefault(w, []).append(e)
    own: dict[str, set[str]] = {}
    for p in pairs:
        own.setdefault(p.claim, set()).add(p.evidence)
    extra: list[Pair] = []
    for claim in rng.sample(claims, min(nei, len(claims))):
        mine = own[claim]
        same_topic = [e for e in by_first.get(claim.split(" ", 1)[0], []) if e not in mine]
        pool = same_topic if same_topic and rng.random() < 0.7 else evidences
        ev = rng.choice(pool)
        if ev not in mine and not any(ev in m or m in ev for m in mine):
            extra.append(Pair(claim, ev, "NOT_ENOUGH_INFO", "fever_nei"))
    return pairs + extra


def contrast_pairs(path: Path, split: str, rng: random.Random,
                   cap: dict[str, int] | None = None) -> list[Pair]:
    rows = [r for r in read_jsonl(path) if r.get("split") == split]
    rng.shuffle(rows)
    counts: Counter[str] = Counter()
    limits = CONTRAST_CAP if cap is None else cap
    out = []
    for r in rows:
        kind = r["source"].split(":", 1)[1]
        if counts[kind] >= limits.get(kind, 10**9):
            continue
        counts[kind] += 1
        out.extend(_pairs([r], r["source"]))
    return out


def training_mix(contrast: Path | None, seed: int = 13) -> list[Pair]:
    rng = random.Random(seed)
    pairs: list[Pair] = []
    pairs += fever_pairs(rng, nei=3500)
    pairs += _pairs(read_jsonl(TRAIN / "snli" / "train.jsonl"), "snli", clean=True)
    climate = _pairs(read_jsonl(TRAIN / "climate_fever" / "train.jsonl"), "climate_fever")
    nei = [p for p in climate if p.label == "NOT_ENOUGH_INFO"]
    pairs += [p for p in climate if p.label != "NOT_ENOUGH_INFO"] + rng.sample(
        nei, min(CLIMATE_NEI, len(nei)))
    for name in ("check_covid", "healthver", "covid_fact", "scifact", "wice"):
        pairs += _pairs(read_jsonl(TRAIN / name / "train.jsonl"), name)
    if contrast is not None and contrast.is_file():
        pairs += contrast_pairs(contrast, "train", rng)
    rng.shuffle(pairs)
    return pairs


def dev_sets(contrast: Path | None, snli: int = 1000, seed: int = 7) -> dict[str, list[Pair]]:
    """Held-out sets for progress and the model card (none of them is trained on)."""
    rng = random.Random(seed)
    sets = {"fever_symmetric": symmetric_dev()}
    snli_dev = _pairs(read_jsonl(TRAIN / "snli" / "dev.jsonl"), "snli_dev", clean=True)
    sets["snli_dev"] = rng.sample(snli_dev, min(snli, len(snli_dev))) if snli else snli_dev
    sets["check_covid_dev"] = _pairs(read_jsonl(TRAIN / "check_covid" / "dev.jsonl"),
                                     "check_covid_dev")
    if contrast is not None and contrast.is_file():
        sets["contrast_test"] = contrast_pairs(contrast, "test", rng, cap={})
    return {k: v for k, v in sets.items() if v}


def describe(pairs: list[Pair]) -> str:
    by = Counter((p.source.split(":")[0], p.label) for p in pairs)
    lines = [f"{len(pairs)} pairs"]
    for src in sorted({s for s, _ in by}):
        counts = ", ".join(f"{lab[:3]} {by[(src, lab)]}" for lab in LABELS if by[(src, lab)])
        lines.append(f"  {src}: {counts}")
    return "\n".join(lines)
