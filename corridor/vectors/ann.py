"""An IVF index over unit vectors: k-means lists, int8 codes, nprobe lists searched.

``IVFIndex`` is independent of any store. Vectors are identified by an int64
id (the stores use ``sentence_hashes.rowid``):

* **coarse quantiser**: spherical k-means (numpy, cosine = inner product on
  unit vectors) over a sample gives ``nlist`` centroids (about sqrt(N));
  every vector is filed in the list of its nearest centroid;
* **storage**: each vector as int8 codes with one float32 scale
  (``v ~= codes * scale``), 388 bytes instead of 1,536 for float32: a quarter
  of the memory, enough precision to rank candidates that the caller
  re-scores exactly from the stored float32 vectors;
* **search**: the ``nprobe`` lists whose centroids are nearest the query are
  scanned and the best ``k`` (approximate scores) returned;
* **incremental**: ``add`` files new vectors in their nearest list (a small
  unsorted "delta" merged into the sorted arrays when it grows);
  ``remove`` marks ids dead; ``drifted`` says when the lists no longer fit
  the data (grown or shrunk 2x since training, or one list swollen) and the
  caller should ``build`` again;
* **persistence**: ``save(dir)`` writes plain ``.npy`` files in a fresh
  generation folder and then atomically swaps a ``current.json`` pointer;
  ``load(dir)`` memory-maps them, so a new process opens a million-vector
  index in milliseconds and concurrent readers never see a half-written one.
"""

from __future__ import annotations

import json
import os
import shutil
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from ..errors import StoreError

__all__ = ["IVFIndex", "kmeans", "quantize"]

F32 = npt.NDArray[np.float32]
I64 = npt.NDArray[np.int64]
FORMAT = 1
_CHUNK = 8192


def quantize(vectors: F32) -> tuple[npt.NDArray[np.int8], F32]:
    """Per-vector symmetric int8 codes and scales: ``v ~= codes * scale``."""
    v = np.asarray(vectors, dtype=np.float32)
    codes = np.empty(v.shape, dtype=np.int8)
    scales = np.empty(len(v), dtype=np.float32)
    for s in range(0, len(v), 65536):  # in chunks: no float32 copy of a big matrix
        part = v[s:s + 65536]
        scale = (np.maximum(np.abs(part).max(axis=1), 1e-12) / 127.0).astype(np.float32)
        codes[s:s + 65536] = np.clip(np.rint(part / scale[:, None]), -127, 127)
        scales[s:s + 65536] = scale
    return codes, scales


def _nearest(x: F32, centroids: F32) -> npt.NDArray[np.int32]:
    out = np.empty(len(x), dtype=np.int32)
    for s in range(0, len(x), _CHUNK):
        out[s:s + _CHUNK] = np.argmax(x[s:s + _CHUNK] @ centroids.T, axis=1)
    return out


def kmeans(x: F32, k: int, iters: int = 12, seed: int = 0) -> F32:
    """Spherical k-means: ``k`` unit centroids of the unit rows of ``x``."""
    n = len(x)
    if n == 0 or k < 1:
        raise StoreError("k-means needs at least one vector and one list")
    k = min(k, n)
    rng = np.random.default_rng(seed)
    cent = x[rng.choice(n, size=k, replace=False)].astype(np.float32, copy=True)
    for _ in range(iters):
        assign = _nearest(x, cent)
        order = np.argsort(assign, kind="stable")
        counts = np.bincount(assign, minlength=k)
        starts = np.concatenate([[0], np.cumsum(counts)[:-1]])
        sums = np.zeros_like(cent)
        full = counts > 0
        sums[full] = np.add.reduceat(x[order], starts[full], axis=0)
        empty = np.flatnonzero(counts == 0)
        if len(empty):  # re-seed empty lists on random points
            sums[empty] = x[rng.choice(n, size=len(empty), replace=False)]
        norms = np.linalg.norm(sums, axis=1, keepdims=True)
        cent = (sums / np.maximum(norms, 1e-12)).astype(np.float32)
    return cent


class IVFIndex:
    """Inverted-file index (see the module docstring)."""

    def __init__(self, centroids: F32, ids: I64, codes: npt.NDArray[np.int8], scales: F32,
                 offsets: I64, *, trained_n: int, meta: dict[str, Any] | None = None) -> None:
        self.centroids = np.ascontiguousarray(centroids, dtype=np.float32)
        self.ids, self.codes, self.scales, self.offsets = ids, codes, scales, offsets
        self.trained_n = trained_n
        self.meta: dict[str, Any] = dict(meta or {})
        self.dead: set[int] = set()
        self._d_ids: list[I64] = []
        self._d_codes: list[npt.NDArray[np.int8]] = []
        self._d_scales: list[F32] = []
        self._d_lists: list[npt.NDArray[np.int32]] = []
        self._delta: tuple[I64, npt.NDArray[np.int8], F32, npt.NDArray[np.int32]] | None = None

    # -- building ----------------------------------------------------------
    @classmethod
    def build(cls, ids: I64, vectors: F32, *, nlist: int | None = None, sample: int = 60_000,
              seed: int = 0, meta: dict[str, Any] | None = None) -> IVFIndex:
        """Train the lists on a sample of ``vectors`` (unit rows) and file them all."""
        vectors = np.asarray(vectors, dtype=np.float32)
        ids = np.asarray(ids, dtype=np.int64)
        if vectors.ndim != 2 or len(vectors) != len(ids) or len(ids) == 0:
            raise StoreError("an index needs one id per vector and at least one vector")
        n = len(ids)
        nlist = nlist or default_nlist(n)
        rng = np.random.default_rng(seed)
        train = vectors if n <= sample else vectors[np.sort(rng.choice(n, sample, replace=False))]
        centroids = kmeans(train, nlist, seed=seed)
        codes, scales = quantize(vectors)
        return cls.from_assigned(centroids, ids, codes, scales, _nearest(vectors, centroids),
                                 trained_n=n, meta=meta)

    @classmethod
    def from_assigned(cls, centroids: F32, ids: I64, codes: npt.NDArray[np.int8], scales: F32,
                      lists: npt.NDArray[np.int32], *, trained_n: int,
                      meta: dict[str, Any] | None = None) -> IVFIndex:
        order = np.argsort(lists, kind="stable")
        counts = np.bincount(lists, minlength=len(centroids))
        offsets = np.zeros(len(centroids) + 1, dtype=np.int64)
        np.cumsum(counts, out=offsets[1:])
        return cls(centroids, ids[order], codes[order], scales[order], offsets,
                   trained_n=trained_n, meta=meta)

    # -- size and upkeep -----------------------------------------------------
    @property
    def nlist(self) -> int:
        return len(self.centroids)

    @property
    def dim(self) -> int:
        return int(self.centroids.shape[1])

    def delta_size(self) -> int:
        return sum(len(a) for a in self._d_ids)

    def __len__(self) -> int:
        return len(self.ids) + self.delta_size() - len(self.dead)

    def max_id(self) -> int:
        top = [int(self.ids.max())] if len(self.ids) else []
        top += [int(a.max()) for a in self._d_ids if len(a)]
        return max(top, default=0)

    def add(self, ids: I64, vectors: F32) -> None:
        """File new vectors in their nearest list (kept in a delta until ``compact``)."""
        if len(ids) == 0:
            return
        vectors = np.asarray(vectors, dtype=np.float32)
        if vectors.shape[1] != self.dim:
            raise StoreError(f"vectors have {vectors.shape[1]} dimensions, the index {self.dim}")
        codes, scales = quantize(vectors)
        self._d_ids.append(np.asarray(ids, dtype=np.int64))
        self._d_codes.append(codes)
        self._d_scales.append(scales)
        self._d_lists.append(_nearest(vectors, self.centroids))
        self._delta = None
        if self.delta_size() > max(20_000, len(self.ids) // 20):
            self.compact()

    def remove(self, ids: Any) -> None:
        """Mark ids as gone (deleted from the store); they are never returned again."""
        self.dead.update(int(i) for i in ids)

    def compact(self) -> None:
        """Merge the delta into the sorted lists and drop dead entries."""
        lists = np.repeat(np.arange(self.nlist, dtype=np.int32), np.diff(self.offsets))
        ids = np.concatenate([np.asarray(self.ids), *self._d_ids])
        codes = np.concatenate([np.asarray(self.codes), *self._d_codes])
        scales = np.concatenate([np.asarray(self.scales), *self._d_scales])
        lists = np.concatenate([lists, *self._d_lists])
        if self.dead:
            keep = ~np.isin(ids, np.fromiter(self.dead, dtype=np.int64))
            ids, codes, scales, lists = ids[keep], codes[keep], scales[keep], lists[keep]
        fresh = IVFIndex.from_assigned(self.centroids, ids, codes, scales, lists,
                                       trained_n=self.trained_n, meta=self.meta)
        self.ids, self.codes, self.scales, self.offsets = (
            fresh.ids, fresh.codes, fresh.scales, fresh.offsets)
        self.dead = set()
        self._d_ids, self._d_codes, self._d_scales, self._d_lists = [], [], [], []
        self._delta = None

    def list_sizes(self) -> I64:
        sizes = np.diff(self.offsets).astype(np.int64)
        for lists in self._d_lists:
            sizes += np.bincount(lists, minlength=self.nlist)
        return sizes

    def drifted(self) -> bool:
        """True when the lists no longer fit the data and a rebuild is due."""
        n = len(self)
        if n >= 2 * self.trained_n or 2 * n <= self.trained_n:
            return True
        sizes = self.list_sizes()
        return bool(n > 10_000 and sizes.max() > 20 * max(sizes.mean(), 1.0))

    # -- search --------------------------------------------------------------
    def default_nprobe(self) -> int:
        return max(8, min(self.nlist, int(round(self.nlist / 16))))

    def _delta_arrays(self) -> tuple[I64, npt.NDArray[np.int8], F32, npt.NDArray[np.int32]]:
        if self._delta is None:
            if self._d_ids:
                self._delta = (np.concatenate(self._d_ids), np.concatenate(self._d_codes),
                               np.concatenate(self._d_scales), np.concatenate(self._d_lists))
            else:
                self._delta = (np.zeros(0, np.int64), np.zeros((0, self.dim), np.int8),
                               np.zeros(0, np.float32), np.zeros(0, np.int32))
        return self._delta

    def search(self, query: F32, k: int, nprobe: int | None = None) -> tuple[I64, F32]:
        """Ids and approximate scores of the best ``k`` vectors in the ``nprobe``
        lists nearest ``query`` (all lists when ``nprobe >= nlist``), best first."""
        q = np.asarray(query, dtype=np.float32)
        if q.shape != (self.dim,):
            raise StoreError(f"query vector has {q.shape[-1]} dimensions, the index {self.dim}")
        nprobe = min(self.nlist, nprobe or self.default_nprobe())
        if nprobe >= self.nlist:
            probe = np.arange(self.nlist)
        else:
            probe = np.argpartition(-(self.centroids @ q), nprobe - 1)[:nprobe]
        parts = [(int(self.offsets[p]), int(self.offsets[p + 1])) for p in np.sort(probe)]
        parts = [(a, b) for a, b in parts if b > a]
        d_ids, d_codes, d_scales, d_lists = self._delta_arrays()
        dmask = np.isin(d_lists, probe) if len(d_ids) else np.zeros(0, dtype=bool)
        # contiguous list slices: no gather of the int8 rows before converting them
        cand_ids = np.concatenate([np.asarray(self.ids[a:b]) for a, b in parts]
                                  + [d_ids[dmask]])
        scores = np.concatenate([self._score(a, b, q) for a, b in parts]
                                + [(d_codes[dmask].astype(np.float32) @ q) * d_scales[dmask]])
        if self.dead and len(cand_ids):
            alive = ~np.isin(cand_ids, np.fromiter(self.dead, dtype=np.int64))
            cand_ids, scores = cand_ids[alive], scores[alive]
        if len(scores) > k:
            top = np.argpartition(-scores, k - 1)[:k]
            cand_ids, scores = cand_ids[top], scores[top]
        order = np.argsort(-scores, kind="stable")
        return cand_ids[order], scores[order].astype(np.float32)

    def _score(self, a: int, b: int, q: F32) -> F32:
        out = np.empty(b - a, dtype=np.float32)
        for s in range(a, b, 65536):
            e = min(b, s + 65536)
            block = np.asarray(self.codes[s:e]).astype(np.float32)
            out[s - a:e - a] = (block @ q) * self.scales[s:e]
        return out

    def ranked(self, query: F32, batch: int = 2000) -> Iterator[I64]:
        """Every live id, best approximate score first, in batches (for filtered
        searches that the probed lists cannot satisfy)."""
        ids, _ = self.search(query, max(len(self.ids) + self.delta_size(), 1), self.nlist)
        for s in range(0, len(ids), batch):
            yield ids[s:s + batch]

    # -- persistence -----------------------------------------------------------
    def save(self, folder: Path) -> Path:
        """Write this index as a new generation under ``folder`` and point
        ``current.json`` at it (atomic rename); older generations are removed."""
        if self._d_ids or self.dead:
            self.compact()
        folder.mkdir(parents=True, exist_ok=True)
        gen = f"ivf-{time.time_ns()}-{os.getpid()}"
        tmp = folder / (gen + ".tmp")
        tmp.mkdir()
        for name in ("centroids", "ids", "codes", "scales", "offsets"):
            np.save(tmp / f"{name}.npy", np.asarray(getattr(self, name)))
        meta = {**self.meta, "format": FORMAT, "trained_n": self.trained_n, "n": len(self),
                "nlist": self.nlist, "dim": self.dim, "max_id": self.max_id()}
        (tmp / "meta.json").write_text(json.dumps(meta, sort_keys=True), encoding="utf-8")
        tmp.rename(folder / gen)
        pointer = folder / f"current.json.{os.getpid()}.tmp"
        pointer.write_text(json.dumps({"generation": gen}), encoding="utf-8")
        os.replace(pointer, folder / "current.json")
        for old in folder.glob("ivf-*"):
            if old.name != gen and not old.name.endswith(".tmp"):
                shutil.rmtree(old, ignore_errors=True)
        return folder / gen

    @classmethod
    def load(cls, folder: Path) -> IVFIndex | None:
        """The index ``save`` last wrote under ``folder`` (memory-mapped), or None
        when there is none or it cannot be read (the caller rebuilds)."""
        try:
            gen = json.loads((folder / "current.json").read_text(encoding="utf-8"))["generation"]
            path = folder / str(gen)
            meta = json.loads((path / "meta.json").read_text(encoding="utf-8"))
            if meta.get("format") != FORMAT:
                return None
            arrays = {name: np.load(path / f"{name}.npy", mmap_mode="r")
                      for name in ("centroids", "ids", "codes", "scales", "offsets")}
        except (OSError, ValueError, KeyError, TypeError):
            return None
        if arrays["codes"].shape != (len(arrays["ids"]), int(meta["dim"])):
            return None
        return cls(np.asarray(arrays["centroids"]), arrays["ids"], arrays["codes"],
                   arrays["scales"], np.asarray(arrays["offsets"]),
                   trained_n=int(meta["trained_n"]), meta=meta)


def default_nlist(n: int) -> int:
    """About sqrt(n) lists (n/nlist ~ nlist vectors each), between 16 and 4,096."""
    return int(min(4096, max(16, round(np.sqrt(n)))))
