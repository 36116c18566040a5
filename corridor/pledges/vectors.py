"""Vectors of commitment actions (all-MiniLM-L6-v2), kept with the sentence vectors.

Clustering compares the *action* of each commitment ("advance the upgradation
of ML-1"; its core wording, :func:`~corridor.pledges.text.core_action`), not
its whole sentence: a joint-statement sentence often holds two commitments.
Action vectors are computed when a document is extracted
(:func:`embed_actions`, called by ``Corridor.extract``) and stored in the
``sentence_vectors`` table under the SHA-256 of the action text, so reading
pledges embeds nothing. Vectors missing there (a pool extracted before this
existed) are computed in memory; ``corridor embed`` stores them.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Sequence
from typing import Protocol

import numpy as np
import numpy.typing as npt

from ..errors import ConfigError
from ..store.base import CommitmentFilters, CommitmentRecord, FactStore, SentenceStore
from .text import core_action


class ActionStore(FactStore, SentenceStore, Protocol):
    """What embedding commitment actions reads and writes: commitments and vectors."""

__all__ = ["action_key", "action_vectors", "embed_actions"]

_log = logging.getLogger("corridor.pledges")


def action_key(action: str) -> str:
    """The hash an action's vector is stored under (of the text that is embedded:
    :func:`~corridor.pledges.text.core_action`, the action without its
    attribution and without an opening frame of emphasis; for most actions that
    is the same text as before such frames were dropped, so their stored vectors stay)."""
    return hashlib.sha256(("action: " + core_action(action)).encode("utf-8")).hexdigest()


def _embedder() -> object | None:
    from ..embed import get_embedder

    try:
        emb = get_embedder()
        emb.load()
    except ConfigError as exc:
        _log.warning("commitment actions not embedded (lexical clustering only): %s", exc)
        return None
    return emb


def embed_actions(store: ActionStore, doc_ids: Sequence[str] | None = None) -> int:
    """Store vectors for the actions of the commitments of ``doc_ids`` (all when
    None) that have none yet; returns how many were embedded."""
    from ..embed import Embedder

    if doc_ids is None:
        records = store.list_commitments(CommitmentFilters(), limit=10**9)
    else:
        records = []
        for d in dict.fromkeys(doc_ids):
            records += store.list_commitments(CommitmentFilters(doc_id=d), limit=10**9)
    if not records:
        return 0
    emb = _embedder()
    if not isinstance(emb, Embedder):
        return 0
    texts = {action_key(r.action): core_action(r.action) for r in records}
    missing = sorted(store.missing_vectors(emb.model_id, list(texts)))
    if not missing:
        return 0
    vectors = emb.embed([texts[h] for h in missing])
    with store.transaction():
        store.save_sentence_vectors(emb.model_id, [], dict(zip(missing, vectors, strict=True)))
    return len(missing)


def action_vectors(
    store: ActionStore, records: Sequence[CommitmentRecord]
) -> npt.NDArray[np.float32] | None:
    """One unit vector per record (rows in order), or None without the model."""
    from ..embed import Embedder

    if not records:
        return np.zeros((0, 0), dtype=np.float32)
    emb = _embedder()
    if not isinstance(emb, Embedder):
        return None
    keys = [action_key(r.action) for r in records]
    found = store.vectors_by_hash(emb.model_id, keys)
    missing = sorted({k for k in keys if k not in found})
    if missing:
        by_key = {action_key(r.action): core_action(r.action) for r in records}
        for k, v in zip(missing, emb.embed([by_key[k] for k in missing]), strict=True):
            found[k] = np.asarray(v, dtype=np.float32)
    return np.stack([found[k] for k in keys]).astype(np.float32)
