"""Fingerprints for deduplication: a hash of normalised text and a MinHash.

Normalisation (NFKC, case-folded, punctuation dropped, whitespace collapsed)
makes the exact hash blind to typography. Near-duplicates are found with
MinHash (datasketch) over 5-token shingles — words for spaced scripts, single
characters for Chinese/Japanese — and LSH banding whose band keys a Store can
index, so lookups work across runs, processes and backends alike.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from functools import lru_cache

import numpy as np
from datasketch import MinHash

__all__ = [
    "band_keys",
    "content_hash",
    "estimate_similarity",
    "lsh_params",
    "minhash_signature",
    "normalize",
    "shingles",
]

_TOKENS = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff]|\w+", re.UNICODE)
SHINGLE = 5


def normalize(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).casefold()
    return " ".join(_TOKENS.findall(text))


def content_hash(text: str) -> str:
    return hashlib.sha256(normalize(text).encode("utf-8")).hexdigest()


def shingles(text: str, size: int = SHINGLE) -> set[bytes]:
    tokens = normalize(text).split(" ")
    if len(tokens) <= size:
        return {" ".join(tokens).encode("utf-8")}
    return {" ".join(tokens[i : i + size]).encode("utf-8") for i in range(len(tokens) - size + 1)}


def minhash_signature(text: str, num_perm: int = 128) -> list[int]:
    mh = MinHash(num_perm=num_perm, seed=1)
    mh.update_batch(list(shingles(text)))
    return [int(v) for v in mh.hashvalues]


def estimate_similarity(a: list[int], b: list[int]) -> float:
    if len(a) != len(b) or not a:
        return 0.0
    return float(np.mean(np.asarray(a, dtype=np.uint64) == np.asarray(b, dtype=np.uint64)))


@lru_cache(maxsize=16)
def lsh_params(threshold: float, num_perm: int) -> tuple[int, int]:
    """(bands, rows) minimising false positives + negatives at ``threshold``."""
    from datasketch.lsh import _optimal_param

    b, r = _optimal_param(threshold, num_perm, 0.5, 0.5)
    return int(b), int(r)


def band_keys(signature: list[int], threshold: float) -> list[tuple[int, int]]:
    bands, rows = lsh_params(threshold, len(signature))
    arr = np.asarray(signature, dtype=np.uint32)
    keys = []
    for band in range(bands):
        chunk = arr[band * rows : (band + 1) * rows].tobytes()
        digest = hashlib.blake2b(chunk, digest_size=8).digest()
        keys.append((band, int.from_bytes(digest, "big", signed=True)))
    return keys
