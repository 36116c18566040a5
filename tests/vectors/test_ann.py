"""The IVF index on its own: recall, incremental adds, removal, drift, persistence."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import numpy.typing as npt
import pytest

from corridor.errors import StoreError
from corridor.vectors.ann import IVFIndex, kmeans, quantize


def clustered(n: int, dim: int = 48, clusters: int = 40, seed: int = 1
              ) -> npt.NDArray[np.float32]:
    rng = np.random.default_rng(seed)
    centres = rng.normal(size=(clusters, dim))
    x = centres[rng.integers(0, clusters, n)] + 0.35 * rng.normal(size=(n, dim))
    x /= np.linalg.norm(x, axis=1, keepdims=True)
    return x.astype(np.float32)


def exact_top(x: npt.NDArray[np.float32], ids: npt.NDArray[np.int64],
              q: npt.NDArray[np.float32], k: int) -> set[int]:
    return {int(i) for i in ids[np.argsort(-(x @ q))[:k]]}


def recall(index: IVFIndex, x: npt.NDArray[np.float32], ids: npt.NDArray[np.int64],
           queries: npt.NDArray[np.float32], k: int = 10, nprobe: int | None = None) -> float:
    got = 0
    for q in queries:
        found, _ = index.search(q, k, nprobe)
        got += len({int(i) for i in found} & exact_top(x, ids, q, k))
    return got / (k * len(queries))


def test_quantize_round_trip_is_close() -> None:
    x = clustered(200)
    codes, scales = quantize(x)
    assert codes.dtype == np.int8 and scales.dtype == np.float32
    back = codes.astype(np.float32) * scales[:, None]
    assert float(np.abs(back - x).max()) < 0.01


def test_kmeans_finds_separated_clusters() -> None:
    x = clustered(3000, clusters=8, seed=3)
    cent = kmeans(x, 8)
    assert cent.shape == (8, 48)
    assert np.allclose(np.linalg.norm(cent, axis=1), 1.0, atol=1e-5)
    # every point is much closer to some centroid than a random unit vector would be
    assert float((x @ cent.T).max(axis=1).mean()) > 0.8


def test_recall_on_clustered_vectors() -> None:
    x = clustered(20_000)
    ids = np.arange(100, 20_100, dtype=np.int64)
    index = IVFIndex.build(ids, x)
    assert index.nlist == 141 and len(index) == 20_000
    queries = clustered(50, seed=9)
    assert recall(index, x, ids, queries) >= 0.9
    # every list probed, 4x over-fetched and re-scored exactly (as the stores do): exact
    for q in queries[:10]:
        found, _ = index.search(q, 40, index.nlist)
        rows = found - 100
        best = {int(i) for i in found[np.argsort(-(x[rows] @ q))[:10]]}
        assert best == exact_top(x, ids, q, 10)
    # fewer lists, lower recall: the knob matters
    assert recall(index, x, ids, queries, nprobe=1) < recall(index, x, ids, queries, nprobe=32)


def test_search_returns_best_first_with_scores() -> None:
    x = clustered(2000)
    ids = np.arange(2000, dtype=np.int64)
    index = IVFIndex.build(ids, x)
    found, scores = index.search(x[17], 5, index.nlist)
    assert int(found[0]) == 17 and abs(float(scores[0]) - 1.0) < 0.01
    assert list(scores) == sorted(scores, reverse=True)
    with pytest.raises(StoreError, match="dimensions"):
        index.search(np.ones(3, dtype=np.float32), 5)


def test_incremental_add_and_remove() -> None:
    x = clustered(5000)
    index = IVFIndex.build(np.arange(5000, dtype=np.int64), x)
    new = clustered(300, seed=5)
    index.add(np.arange(10_000, 10_300, dtype=np.int64), new)
    assert len(index) == 5300 and index.delta_size() == 300
    found, _ = index.search(new[42], 3)
    assert int(found[0]) == 10_042  # found in the delta, before any merge
    index.remove([10_042])
    found, _ = index.search(new[42], 3)
    assert 10_042 not in {int(i) for i in found}
    index.compact()
    assert index.delta_size() == 0 and len(index) == 5299 and len(index.ids) == 5299
    found, _ = index.search(new[7], 1)
    assert int(found[0]) == 10_007
    assert not index.drifted()
    index.add(np.arange(20_000, 25_000, dtype=np.int64), clustered(5000, seed=6))
    assert index.drifted()  # grown 2x since the lists were trained


def test_ranked_walks_every_live_id() -> None:
    x = clustered(1000)
    index = IVFIndex.build(np.arange(1000, dtype=np.int64), x, nlist=16)
    index.remove([3, 4])
    walked = np.concatenate(list(index.ranked(x[0], batch=100)))
    assert len(walked) == 998 and {3, 4}.isdisjoint(walked.tolist()) and int(walked[0]) == 0


def test_save_and_load(tmp_path: Path) -> None:
    x = clustered(3000)
    index = IVFIndex.build(np.arange(3000, dtype=np.int64), x, meta={"model": "m"})
    index.add(np.array([9000], dtype=np.int64), x[:1])
    folder = tmp_path / "ann"
    first = index.save(folder)
    loaded = IVFIndex.load(folder)
    assert loaded is not None and loaded.meta["model"] == "m" and len(loaded) == 3001
    assert isinstance(loaded.codes, np.memmap)
    for q in x[:5]:
        a, sa = index.search(q, 10)
        b, sb = loaded.search(q, 10)
        assert a.tolist() == b.tolist() and np.allclose(sa, sb)
    # a second save replaces the first generation atomically
    loaded.add(np.array([9001], dtype=np.int64), x[1:2])
    second = loaded.save(folder)
    assert not first.exists() and second.exists()
    assert json.loads((folder / "current.json").read_text())["generation"] == second.name
    assert len(IVFIndex.load(folder) or []) == 3002


def test_load_missing_or_damaged_gives_none(tmp_path: Path) -> None:
    assert IVFIndex.load(tmp_path / "nothing") is None
    index = IVFIndex.build(np.arange(500, dtype=np.int64), clustered(500))
    gen = index.save(tmp_path / "ann")
    (gen / "codes.npy").write_bytes(b"not numpy")
    assert IVFIndex.load(tmp_path / "ann") is None


def test_build_rejects_bad_input() -> None:
    with pytest.raises(StoreError):
        IVFIndex.build(np.zeros(0, dtype=np.int64), np.zeros((0, 4), dtype=np.float32))
    with pytest.raises(StoreError):
        IVFIndex.build(np.arange(3, dtype=np.int64), clustered(4))
