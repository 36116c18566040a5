"""The pair judge: supports / refutes / unrelated for one claim and one piece of evidence.

A multinomial logistic regression over the alignment features of
``check.features`` (standardised), with parameters in ``judge_params.json``
beside this module. ``corridor/check/train.py`` rebuilds that file from the
labelled contrast pairs in ``eval/check_pairs.json`` (reproducible: fixed
seed, no other input), so the probabilities are calibrated on pairs whose
label is known by construction.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

import numpy as np

from ..errors import ConfigError
from .features import FEATURES, Finding, PairFeatures

__all__ = ["CLASSES", "Judge", "Judgement", "load_judge"]

CLASSES = ("supports", "refutes", "unrelated")

#: how much a kind of mismatch weighs when several are found (for the reason)
_KIND_ORDER = ("swap", "negation", "action", "ordinal", "number", "date", "year", "role",
               "person", "place")


@dataclass
class Judgement:
    label: str
    probs: dict[str, float]
    features: PairFeatures

    @property
    def p_supports(self) -> float:
        return self.probs["supports"]

    @property
    def p_refutes(self) -> float:
        return self.probs["refutes"]

    def main_mismatch(self) -> Finding | None:
        found = self.features.mismatches
        for kind in _KIND_ORDER:
            for f in found:
                if f.kind == kind:
                    return f
        return None

    def main_unstated(self) -> Finding | None:
        found = self.features.unstated
        return found[0] if found else None


class Judge:
    def __init__(self, params: dict[str, Any]) -> None:
        names = tuple(params["features"])
        if names != FEATURES:
            raise ConfigError("the judge parameters were trained on other features "
                              f"({len(names)} vs {len(FEATURES)}); run corridor/check/train.py")
        self.version = str(params.get("version", "?"))
        self.weights = np.asarray(params["weights"], dtype=np.float64)  # (classes, features)
        self.bias = np.asarray(params["bias"], dtype=np.float64)
        self.mean = np.asarray(params["mean"], dtype=np.float64)
        self.scale = np.asarray(params["scale"], dtype=np.float64)
        self.classes = tuple(params["classes"])
        self.params = params

    def probabilities(self, x: np.ndarray) -> np.ndarray:
        """Class probabilities for feature rows ``x`` (n, features)."""
        z = ((x - self.mean) / self.scale) @ self.weights.T + self.bias
        z -= z.max(axis=1, keepdims=True)
        e = np.exp(z)
        p: np.ndarray = e / e.sum(axis=1, keepdims=True)
        return p

    def judge(self, features: PairFeatures) -> Judgement:
        p = self.probabilities(features.vector()[None, :])[0]
        probs = {c: float(v) for c, v in zip(self.classes, p, strict=True)}
        label = max(probs, key=lambda c: probs[c])
        return Judgement(label, probs, features)


def _read_params() -> dict[str, Any]:
    path = resources.files("corridor.check") / "judge_params.json"
    try:
        data: dict[str, Any] = json.loads(path.read_text("utf-8"))
    except (OSError, ValueError) as exc:
        raise ConfigError(f"cannot read the pair judge's parameters {path}: {exc}") from exc
    return data


@lru_cache(maxsize=1)
def load_judge() -> Judge:
    """The packaged judge (parameters read once per process)."""
    return Judge(_read_params())
