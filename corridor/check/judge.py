"""The pair judge: supports / refutes / unrelated for a claim and one piece of evidence.

Two readers, combined by two fixed rules:

1. **The learned model** (``check.pairmodel``): a MiniLM cross-encoder reads
   the claim and the evidence text (the cited sentence, with the sentence
   before it when that is part of the unit) and gives calibrated
   probabilities of supports / refutes / unrelated. It decides by default.
2. **The structured record** (``check.features``): the claim's details
   (ordinals, numbers, dates, years, venues, titles, who did what to whom)
   compared with what extraction stored for the evidence, including what the
   model cannot see (a date resolved from "on Monday", an event's ordinal,
   the participants behind "he"). Each comparison is a named finding that
   becomes the plain-language reason.

The rules only ever move a reading away from support or refutation, so the
record can stop the model from calling a claim supported (or refuted on
silence) but never talks it into support:

- **value veto**: the model reads support, but the record states a
  different value for a detail of the claim (a value kind of
  ``VETO_MISMATCH``, including a claim that copies the evidence with "not"
  put in or taken out or the verb put in its opposite's place): refutes,
  with the model's related mass (supports + refutes) as its probability.
- **unstated veto**: the model reads support, but a detail of the claim
  (a kind of ``VETO_UNSTATED``) is stated nowhere in the evidence: not
  enough info ("the record does not state ..."). The same when the model
  reads a contradiction the record cannot name (no mismatch found), without
  confidence (p < 0.8), while the claim adds such a detail: silence about an
  amount is no contradiction.

- **coverage**: the model reads support in evidence that words less than
  a quarter of the claim's content words: not enough info (the model's own
  knowledge is no evidence).

- **inferred date**: the model sees no link (not enough info), but the record
  dates the same event (an anchored unit) otherwise by an inference from
  the words the model cannot make ("on Monday" in an article of 4 Mar 2025),
  or states a date, a weekday or the parties of the relation reversed in
  evidence about the same event (it words half the claim, matches one of its
  details and leaves none unstated: "on a Friday" against "On Monday, ...
  held the fourth meeting"): refutes, with half the confidence a stated
  value would get.

Everything else (paraphrase, negation in context, idioms, scope, hedges)
is the model's call. No rule names a claim, a person or a wording.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from .features import Finding, PairFeatures
from .pairmodel import PairModel, get_pair_model

__all__ = ["CLASSES", "UNNAMED_REFUTE_AT", "VETO_MISMATCH", "VETO_UNSTATED", "Judge", "Judgement",
           "load_judge"]

CLASSES = ("supports", "refutes", "unrelated")

#: mismatches of these kinds overrule the model's support (values the record compares
#: reliably; negation and actions are left to the model, which reads them in context,
#: except "polarity": a sentence copied word for word with "not" or the verb flipped)
VETO_MISMATCH = frozenset({"ordinal", "number", "date", "year", "place", "role", "swap",
                           "name", "polarity"})
#: details of these kinds, stated nowhere in the evidence, overrule support
VETO_UNSTATED = frozenset({"ordinal", "number", "date", "year", "place", "hedge"})

#: a contradiction the record cannot name (the model's reading alone) is confident from
#: here on: it stands whatever detail the claim adds, and against support
UNNAMED_REFUTE_AT = 0.8
#: ... and, when the claim adds a detail the evidence never states (a venue, an amount,
#: a date), it must be surer still: the model reads an added detail as a contradiction
#: ("in Harbin" added to "will attend the opening ceremony during his stay in China")
SILENCE_REFUTE_AT = 0.9

#: a stated date, weekday or reversed relation refutes a reading of no link when the
#: evidence words this share of the claim (the same event, another day: "on a Friday"
#: against "On Monday, ... held the fourth meeting"; the model does not compare days)
DATED_RECALL = 0.5
#: findings the model does not read (a day, the direction of a relation: "B paid a call
#: on A" for "A paid a call on B"), stated in evidence about the claim's event, refute a
#: reading of no link
STATED_OVER_SILENCE = frozenset({"date", "swap"})

#: the least share of the claim's content words that evidence must word to support it
MIN_SUPPORT_RECALL = 0.25

#: how much a kind of mismatch weighs when several are found (for the reason)
_KIND_ORDER = ("polarity", "swap", "ordinal", "number", "date", "year", "role", "place", "name",
               "negation", "action", "person")


@dataclass
class Judgement:
    label: str
    probs: dict[str, float]
    features: PairFeatures
    #: the model's own probabilities, before any veto
    model: dict[str, float] | None = None
    #: the rule that overruled the model ("value" | "unstated" | "coverage" | "inferred":
    #: a day or a direction the record reads where the model sees no link), if any
    veto: str | None = None

    @property
    def p_supports(self) -> float:
        return self.probs["supports"]

    @property
    def p_refutes(self) -> float:
        return self.probs["refutes"]

    @property
    def value_mismatch(self) -> bool:
        """Does the record find a value of the claim stated otherwise (a veto kind)?"""
        return _value_mismatch(self.features)

    def main_mismatch(self) -> Finding | None:
        found = self.features.mismatches
        for kind in _KIND_ORDER:
            for f in found:
                if f.kind == kind:
                    return f
        return None

    def main_unstated(self) -> Finding | None:
        found = self.features.unstated
        vetoing = [f for f in found if f.kind in VETO_UNSTATED]
        ranked = vetoing or found
        return ranked[0] if ranked else None


def _same_event(features: PairFeatures, found: Finding) -> bool:
    """Is the evidence about the claim's event, the finding aside? It words half the
    claim, matches a detail of it (an ordinal, a number, a place, a person; a reversed
    relation names both parties and the relation already) and leaves none of its details
    unstated ("met in Islamabad" is not a meeting in Beijing)."""
    return (features.values.get("word_recall", 0.0) >= DATED_RECALL
            and (found.kind == "swap" or any(
                f.status == "match" and f.kind in ("ordinal", "number", "place", "person")
                for f in features.findings))
            and not any(f.kind in VETO_UNSTATED for f in features.unstated))


def _value_mismatch(features: PairFeatures) -> bool:
    return any(f.kind in VETO_MISMATCH for f in features.mismatches)


def decide(model: dict[str, float], features: PairFeatures) -> Judgement:
    """The judgement from the model's probabilities and the record's findings."""
    label = max(CLASSES, key=lambda c: model[c])
    if label == "refutes" and model["refutes"] < SILENCE_REFUTE_AT and not \
            features.mismatches and any(f.kind in VETO_UNSTATED for f in features.unstated):
        # silence is no contradiction: the record names no differing detail, and the
        # claim adds one the evidence never states (an amount, a venue, a date); a
        # confident contradiction is about something else the claim says and stands
        probs = {"supports": model["supports"], "refutes": 0.0,
                 "unrelated": model["unrelated"] + model["refutes"]}
        return Judgement("unrelated", probs, features, model, "unstated")
    if label == "unrelated" and features.values.get("anchored", 0.0) > 0 and any(
            f.kind in VETO_MISMATCH and (f.inferred or (
                f.kind in STATED_OVER_SILENCE and _same_event(features, f)))
            for f in features.mismatches):
        # the record dates the same event otherwise, by an inference the model cannot
        # make from the words ("on Monday" in an article of 4 Mar 2025 is 3 Mar 2025):
        # refuted, with half the confidence the model would give a stated value
        related = model["supports"] + model["refutes"]
        probs = {"supports": 0.0, "refutes": 0.5 + 0.5 * related,
                 "unrelated": 0.5 * model["unrelated"]}
        return Judgement("refutes", probs, features, model, "inferred")
    if label != "supports":
        return Judgement(label, dict(model), features, model)
    if _value_mismatch(features):
        probs = {"supports": 0.0, "refutes": model["supports"] + model["refutes"],
                 "unrelated": model["unrelated"]}
        return Judgement("refutes", probs, features, model, "value")
    # a detail of the claim stated nowhere; or evidence that words so little of the claim
    # that it cannot be what supports it: the model would be reading its own knowledge
    # ("received a certification from the RIAA" for "the RIAA is a trade organisation")
    veto = ("unstated" if any(f.kind in VETO_UNSTATED for f in features.unstated) else
            "coverage" if features.values.get("word_recall", 1.0) < MIN_SUPPORT_RECALL
            else None)
    if veto is not None:
        probs = {"supports": 0.0, "refutes": model["refutes"],
                 "unrelated": model["unrelated"] + model["supports"]}
        return Judgement("unrelated", probs, features, model, veto)
    return Judgement(label, dict(model), features, model)


class Judge:
    def __init__(self, model: PairModel | None = None) -> None:
        self.model = model or get_pair_model()

    @property
    def version(self) -> str:
        return self.model.version

    def judge_many(self, claim: str, evidence: Sequence[str],
                   features: Sequence[PairFeatures]) -> list[Judgement]:
        """Judgements of ``claim`` against each evidence text (one batched model call)."""
        probs = self.model.probabilities([(claim, e) for e in evidence])
        out = []
        for row, feats in zip(probs, features, strict=True):
            model = {c: float(p) for c, p in zip(CLASSES, row, strict=True)}
            out.append(decide(model, feats))
        return out


@lru_cache(maxsize=1)
def load_judge() -> Judge:
    """The packaged judge (model loaded on first use, once per process)."""
    return Judge()
