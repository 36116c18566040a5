"""Approximate vector search for the stores: when to use it, keeping it in sync.

Both stores call :func:`ann_pick` at the start of ``vector_search`` with a
:class:`VectorRows` (a few SQL reads on their own tables: ``sqlite_rows`` /
``pg_rows`` below). It returns ``None`` to mean "search exactly, as before"
when the store holds fewer than ``CORRIDOR_ANN_MIN_VECTORS`` (default
200,000) hashed sentences, and otherwise the best sentences from an
:class:`~corridor.vectors.ann.IVFIndex`:

* index ids are ``sentence_hashes.rowid`` (monotonic on both backends), so
  keeping up is one ranged read of rows above the last id seen; new vectors
  go to their nearest list; rows deleted by re-extraction are noticed when a
  candidate no longer resolves and are dropped; ``drifted()`` (the corpus
  grew or shrank 2x, or one list swelled) triggers a rebuild;
* candidates are over-fetched (4x the limit, 20x under filters), then
  resolved and **re-scored exactly** from the stored float32 vectors, so
  every returned score is the exact cosine; filters are applied to the
  resolved documents. When the allowed documents are few (<= 2,000, e.g. a
  claim check's ``doc_ids``) the search is exact over their vectors read
  from the store; when too few candidates survive the filters, every id is
  walked in approximate-score order until enough do;
* persistence: on SQLite the index lives in a sidecar folder ``<db>.ann/``
  (plain ``.npy`` files, memory-mapped on open); on PostgreSQL in
  ``$CORRIDOR_ANN_DIR/pg-<hash of host, port, database>/`` when that variable
  is set, otherwise in this process's memory only (built on the first
  search above the threshold). ``CORRIDOR_ANN_DIR`` also relocates SQLite
  sidecars. docs/choices.md ("Approximate vector search") explains why a
  sidecar rather than a table.
"""

from __future__ import annotations

import abc
import hashlib
import logging
import os
import threading
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np
import numpy.typing as npt

from ..errors import ConfigError, StoreError
from .ann import IVFIndex, default_nlist, kmeans, quantize

__all__ = ["VectorRows", "ann_pick", "ann_threshold", "build_index", "exact_docs_limit"]

_log = logging.getLogger(__name__)

F32 = npt.NDArray[np.float32]
Key = tuple[str, int]
DEFAULT_MIN_VECTORS = 200_000
#: allowed documents up to this many: exact search over their own vectors
EXACT_DOCS = 2_000
SCAN_BATCH = 20_000


class Row(NamedTuple):
    rowid: int
    doc_id: str
    idx: int
    vec: bytes


def _env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or not raw.strip():
        return default
    try:
        value = int(raw)
    except ValueError as exc:
        raise ConfigError(f"{name} must be an integer, not {raw!r}") from exc
    if value < 0:
        raise ConfigError(f"{name} must be >= 0")
    return value


def ann_threshold() -> int:
    """Hashed sentences from which the approximate index is used."""
    return _env_int("CORRIDOR_ANN_MIN_VECTORS", DEFAULT_MIN_VECTORS)


def exact_docs_limit() -> int:
    """Allowed documents up to which a filtered search reads their vectors exactly."""
    return _env_int("CORRIDOR_ANN_EXACT_DOCS", EXACT_DOCS)


def nprobe_setting() -> int | None:
    """Lists scanned per query (``CORRIDOR_ANN_NPROBE``; default: about nlist / 16)."""
    value = _env_int("CORRIDOR_ANN_NPROBE", 0)
    return value or None


@dataclass
class _State:
    index: IVFIndex | None = None
    synced_to: int = 0     # largest sentence_hashes.rowid looked at
    saved_at: int = 0      # index size when last saved
    probes: dict[int, str] | None = None  # a few (rowid: text hash) the index was built on
    checked: tuple[int, int] = (-1, -1)  # (max rowid, threshold) last found not reached


#: index states shared by every connection of this process to the same database
#: (the web app opens 8 read handles: one index in memory, not 8), under one lock
_SHARED: dict[str, dict[str, _State]] = {}
_LOCK = threading.RLock()


class VectorRows(abc.ABC):
    """The reads the index needs from a store (one object per store connection).

    ``key`` names the database: connections with the same key share one index."""

    def __init__(self, folder: Path | None, key: str | None = None) -> None:
        self.folder = folder
        with _LOCK:
            self.states: dict[str, _State] = _SHARED.setdefault(key, {}) if key else {}

    @abc.abstractmethod
    def count_rows(self) -> int:
        """Rows of ``sentence_hashes`` (hashed sentences)."""

    @abc.abstractmethod
    def max_rowid(self) -> int: ...

    @abc.abstractmethod
    def scan(self, model: str, after: int, batch: int) -> Iterator[tuple[Any, F32]]:
        """(rowids, float32 matrix) of rows above ``after`` with a ``model`` vector."""

    @abc.abstractmethod
    def fetch(self, model: str, rowids: Sequence[int]) -> list[Row]: ...

    @abc.abstractmethod
    def text_hashes(self, rowids: Sequence[int]) -> dict[int, str]:
        """``sentence_hashes.text_hash`` of those rows that still exist."""

    @abc.abstractmethod
    def doc_rows(self, model: str, doc_ids: Sequence[str]) -> list[Row]: ...

    def model_folder(self, model: str) -> Path | None:
        if self.folder is None:
            return None
        safe = "".join(c if c.isalnum() or c in "-_." else "_" for c in model)
        return self.folder / safe


# -- the two backends -----------------------------------------------------------
class _SqliteRows(VectorRows):
    def __init__(self, conn: Any, folder: Path | None, key: str | None = None) -> None:
        super().__init__(folder, key)
        self.conn = conn

    def count_rows(self) -> int:
        return int(self.conn.execute("SELECT count(*) FROM sentence_hashes").fetchone()[0])

    def max_rowid(self) -> int:
        return int(self.conn.execute(
            "SELECT coalesce(max(rowid), 0) FROM sentence_hashes").fetchone()[0])

    def scan(self, model: str, after: int, batch: int) -> Iterator[tuple[Any, F32]]:
        while True:
            rows = self.conn.execute(
                "SELECT h.rowid, v.vec FROM sentence_hashes h JOIN sentence_vectors v"
                " ON v.text_hash = h.text_hash AND v.model = ? WHERE h.rowid > ?"
                " ORDER BY h.rowid LIMIT ?", (model, after, batch)).fetchall()
            if not rows:
                return
            after = int(rows[-1][0])
            yield (np.fromiter((r[0] for r in rows), dtype=np.int64, count=len(rows)),
                   _matrix([r[1] for r in rows]))

    def _rows(self, sql: str, model: str, values: Sequence[Any]) -> list[Row]:
        out: list[Row] = []
        for s in range(0, len(values), 500):
            part = list(values[s:s + 500])
            out += [Row(int(r[0]), r[1], int(r[2]), r[3]) for r in self.conn.execute(
                sql.format(marks=",".join("?" * len(part))), [model, *part])]
        return out

    def fetch(self, model: str, rowids: Sequence[int]) -> list[Row]:
        return self._rows(
            "SELECT h.rowid, h.doc_id, h.idx, v.vec FROM sentence_hashes h JOIN sentence_vectors"
            " v ON v.text_hash = h.text_hash AND v.model = ? WHERE h.rowid IN ({marks})",
            model, [int(i) for i in rowids])

    def doc_rows(self, model: str, doc_ids: Sequence[str]) -> list[Row]:
        return self._rows(
            "SELECT h.rowid, h.doc_id, h.idx, v.vec FROM sentence_hashes h JOIN sentence_vectors"
            " v ON v.text_hash = h.text_hash AND v.model = ? WHERE h.doc_id IN ({marks})",
            model, list(doc_ids))

    def text_hashes(self, rowids: Sequence[int]) -> dict[int, str]:
        ids = [int(i) for i in rowids][:500]
        return {int(r[0]): r[1] for r in self.conn.execute(
            f"SELECT rowid, text_hash FROM sentence_hashes WHERE rowid IN"
            f" ({','.join('?' * len(ids))})", ids)} if ids else {}


class _PgRows(VectorRows):
    def __init__(self, store: Any, folder: Path | None, key: str | None = None) -> None:
        super().__init__(folder, key)
        self.store = store

    def count_rows(self) -> int:
        return int(self.store._scalar("SELECT count(*) FROM sentence_hashes"))

    def max_rowid(self) -> int:
        return int(self.store._scalar("SELECT coalesce(max(rowid), 0) FROM sentence_hashes"))

    def scan(self, model: str, after: int, batch: int) -> Iterator[tuple[Any, F32]]:
        while True:
            rows = self.store._x(
                "SELECT h.rowid, v.vec FROM sentence_hashes h JOIN sentence_vectors v"
                " ON v.text_hash = h.text_hash AND v.model = %s WHERE h.rowid > %s"
                " ORDER BY h.rowid LIMIT %s", (model, after, batch)).fetchall()
            if not rows:
                return
            after = int(rows[-1]["rowid"])
            yield (np.fromiter((r["rowid"] for r in rows), dtype=np.int64, count=len(rows)),
                   _matrix([bytes(r["vec"]) for r in rows]))

    def _rows(self, cond: str, model: str, values: list[Any]) -> list[Row]:
        if not values:
            return []
        return [Row(int(r["rowid"]), r["doc_id"], int(r["idx"]), bytes(r["vec"]))
                for r in self.store._x(
                    "SELECT h.rowid, h.doc_id, h.idx, v.vec FROM sentence_hashes h JOIN"
                    " sentence_vectors v ON v.text_hash = h.text_hash AND v.model = %s"
                    f" WHERE {cond} = ANY(%s)", (model, values))]

    def fetch(self, model: str, rowids: Sequence[int]) -> list[Row]:
        return self._rows("h.rowid", model, [int(i) for i in rowids])

    def doc_rows(self, model: str, doc_ids: Sequence[str]) -> list[Row]:
        return self._rows("h.doc_id", model, list(doc_ids))

    def text_hashes(self, rowids: Sequence[int]) -> dict[int, str]:
        ids = [int(i) for i in rowids]
        return {int(r["rowid"]): r["text_hash"] for r in self.store._x(
            "SELECT rowid, text_hash FROM sentence_hashes WHERE rowid = ANY(%s)", (ids,))
        } if ids else {}


def _ann_dir() -> Path | None:
    raw = os.environ.get("CORRIDOR_ANN_DIR", "").strip()
    return Path(raw) if raw else None


def sqlite_rows(conn: Any, path: str) -> VectorRows:
    """Rows of a SQLite store whose database file is ``path``."""
    base = _ann_dir()
    if path == ":memory:" or path.startswith("file:"):
        return _SqliteRows(conn, None)
    resolved = str(Path(path).resolve())
    if base is not None:
        digest = hashlib.sha256(resolved.encode()).hexdigest()[:16]
        folder = base / f"sqlite-{digest}"
    else:
        folder = Path(path + ".ann")
    return _SqliteRows(conn, folder, "sqlite:" + resolved)


def pg_rows(store: Any) -> VectorRows:
    """Rows of a PostgresStore (``store._x`` / ``store._scalar``)."""
    base = _ann_dir()
    info = store.conn.info
    ident = f"{info.host}:{info.port}/{info.dbname}"
    folder = None
    if base is not None:
        folder = base / f"pg-{hashlib.sha256(ident.encode()).hexdigest()[:16]}"
    return _PgRows(store, folder, "pg:" + ident)


def _matrix(blobs: Sequence[bytes]) -> F32:
    return np.frombuffer(b"".join(blobs), dtype=np.float32).reshape(len(blobs), -1)


# -- building and keeping up -------------------------------------------------------
def build_index(rows: VectorRows, model: str, *, nlist: int | None = None,
                sample: int = 60_000, seed: int = 0) -> IVFIndex | None:
    """Build an index over every stored ``model`` vector in one streaming pass
    (int8 codes are kept, float32 vectors are not); None when there are none."""
    ids: list[Any] = []
    codes: list[npt.NDArray[np.int8]] = []
    scales: list[F32] = []
    for batch_ids, vecs in rows.scan(model, 0, SCAN_BATCH):
        batch_codes, batch_scales = quantize(vecs)
        ids.append(batch_ids)
        codes.append(batch_codes)
        scales.append(batch_scales)
    if not ids:
        return None
    all_ids = np.concatenate(ids)
    all_codes = np.concatenate(codes)
    all_scales = np.concatenate(scales)
    n = len(all_ids)
    nlist = nlist or default_nlist(n)
    rng = np.random.default_rng(seed)
    pick = np.arange(n) if n <= sample else np.sort(rng.choice(n, sample, replace=False))
    train = _decode(all_codes, all_scales, pick)
    centroids = kmeans(train, nlist, seed=seed)
    lists = np.empty(n, dtype=np.int32)
    for s in range(0, n, 65536):
        part = np.arange(s, min(n, s + 65536))
        lists[part] = np.argmax(_decode(all_codes, all_scales, part) @ centroids.T, axis=1)
    return IVFIndex.from_assigned(centroids, all_ids, all_codes, all_scales, lists,
                                  trained_n=n, meta={"model": model})


def _decode(codes: npt.NDArray[np.int8], scales: F32, idx: Any) -> F32:
    v: F32 = codes[idx].astype(np.float32) * scales[idx][:, None]
    norms = np.linalg.norm(v, axis=1, keepdims=True)
    out: F32 = (v / np.maximum(norms, 1e-12)).astype(np.float32)
    return out


def _save(state: _State, rows: VectorRows, model: str) -> None:
    folder = rows.model_folder(model)
    if folder is None or state.index is None:
        return
    state.index.meta["synced_to"] = state.synced_to
    state.index.meta["probes"] = {str(k): v for k, v in (state.probes or {}).items()}
    try:
        state.index.save(folder)
        state.saved_at = len(state.index)
    except OSError as exc:  # read-only folder, disk full: keep serving from memory
        _log.warning("approximate index not saved in %s: %s", folder, exc)


def _probes(rows: VectorRows, index: IVFIndex) -> dict[int, str]:
    """(rowid: text hash) of 8 ids spread over the index: a cheap identity check."""
    sample = np.asarray(index.ids[:: max(1, len(index.ids) // 8)][:8])
    return rows.text_hashes([int(i) for i in sample])


def _same_rows(rows: VectorRows, probes: dict[int, str]) -> bool:
    """False when a probed row now holds another sentence (the table was replaced)."""
    now = rows.text_hashes(list(probes))
    return all(now.get(i, h) == h for i, h in probes.items())


def _build(state: _State, rows: VectorRows, model: str, top: int) -> IVFIndex | None:
    state.index = build_index(rows, model)
    state.synced_to = top
    if state.index is not None:
        state.probes = _probes(rows, state.index)
        _save(state, rows, model)
    return state.index


def _ready(rows: VectorRows, model: str) -> IVFIndex | None:
    """The up-to-date index, or None while the store is below the threshold."""
    state = rows.states.setdefault(model, _State())
    top = rows.max_rowid()
    if state.index is not None and (top < state.synced_to or not _same_rows(
            rows, state.probes or {})):
        state = rows.states[model] = _State()  # a restore replaced the table: start again
    if state.index is None:
        if state.checked == (top, ann_threshold()):
            return None
        folder = rows.model_folder(model)
        loaded = IVFIndex.load(folder) if folder is not None else None
        probes = {int(k): str(v) for k, v in (loaded.meta.get("probes") or {}).items()} \
            if loaded is not None else {}
        if loaded is not None and loaded.meta.get("model") == model \
                and int(loaded.meta.get("synced_to", -1)) <= top and _same_rows(rows, probes):
            state.index, state.synced_to = loaded, int(loaded.meta["synced_to"])
            state.saved_at, state.probes = len(loaded), probes
        elif rows.count_rows() < ann_threshold():
            state.checked = (top, ann_threshold())
            return None
        elif _build(state, rows, model, top) is None:
            return None
    index = state.index
    assert index is not None
    if top > state.synced_to:
        for ids, vecs in rows.scan(model, state.synced_to, SCAN_BATCH):
            index.add(ids, vecs)
        state.synced_to = top
        if index.drifted():
            if rows.count_rows() < ann_threshold() // 2:
                rows.states.pop(model, None)
                return None
            index = _build(state, rows, model, top) or index
        elif abs(len(index) - state.saved_at) > max(20_000, state.saved_at // 20):
            _save(state, rows, model)
    if len(index) < ann_threshold():  # the threshold was raised: kept, but not used
        return None
    return index


def _exact(rows: Sequence[Row], q: F32, limit: int) -> list[tuple[Key, float]]:
    if not rows:
        return []
    matrix = _matrix([r.vec for r in rows])
    if matrix.shape[1] != q.shape[0]:
        raise StoreError(f"query vector has {q.shape[0]} dimensions, the stored "
                         f"vectors {matrix.shape[1]}")
    scores = matrix @ q
    order = sorted(range(len(rows)), key=lambda i: (-float(scores[i]), rows[i].rowid))
    return [((rows[i].doc_id, rows[i].idx), float(scores[i])) for i in order[:limit]]


def ann_pick(rows: VectorRows, model: str, vector: F32, limit: int,
             allowed: set[str] | None, *, nprobe: int | None = None
             ) -> list[tuple[Key, float]] | None:
    """The best ``limit`` sentences for ``vector`` among documents in ``allowed``
    (None: all), with exact cosine scores; None when the exact path should run."""
    with _LOCK:
        return _pick(rows, model, np.asarray(vector, dtype=np.float32), limit, allowed, nprobe)


def _pick(rows: VectorRows, model: str, q: F32, limit: int, allowed: set[str] | None,
          nprobe: int | None) -> list[tuple[Key, float]] | None:
    if allowed is not None and len(allowed) <= exact_docs_limit():
        state = rows.states.get(model)
        size = len(state.index) if state and state.index else rows.count_rows()
        if size < ann_threshold():
            return None
        return _exact(rows.doc_rows(model, sorted(allowed)), q, limit)
    index = _ready(rows, model)
    if index is None:
        return None
    if q.shape != (index.dim,):
        return None  # let the exact path report the dimension mismatch
    depth = max(limit * (20 if allowed is not None else 4), 100)
    ids, _ = index.search(q, depth, nprobe or nprobe_setting())
    found = _resolve(rows, index, model, ids, allowed)
    if len(found) < limit and len(index) > len(ids):
        found = []
        for batch in index.ranked(q, batch=max(depth, 2_000)):
            found += _resolve(rows, index, model, batch, allowed)
            if len(found) >= limit:
                break
    return _exact(found, q, limit)


def _resolve(rows: VectorRows, index: IVFIndex, model: str, ids: Any,
             allowed: set[str] | None) -> list[Row]:
    got = rows.fetch(model, [int(i) for i in ids])
    if len(got) < len(ids):
        index.remove(set(int(i) for i in ids) - {r.rowid for r in got})
    return [r for r in got if allowed is None or r.doc_id in allowed]
