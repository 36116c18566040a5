"""Weights of a quantised judge (``judge-int8.onnx``) back in a PyTorch model directory.

The shipped judge keeps only its int8 ONNX export. To train it further (a new
kind of contrast pair, say) without repeating the two epochs from the base
weights (2 h 20 min on the 2-core CPU), its weights are dequantised
(``(q - zero_point) * scale``, per channel as onnxruntime stored them) into
the BERT layout of ``transformers`` and saved where ``train.py --init DIR``
reads them. Dequantised weights are the int8 model's own values: the
directory predicts what the shipped model predicts, up to the activation
rounding of int8 arithmetic (checked on the pairs printed at the end).

    .venv-train/bin/python training/judge/from_onnx.py --out CACHE/shipped --dither 5
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import data  # noqa: E402

REPO = Path(__file__).resolve().parents[2]
SHIPPED = REPO / "corridor" / "models" / "judge" / "judge-int8.onnx"
#: the matrices of one BERT layer, in the order the export wrote them
LAYER = ("attention.self.query", "attention.self.key", "attention.self.value",
         "attention.output.dense", "intermediate.dense", "output.dense")


def dequantised(path: Path, dither: int | None = None) -> dict[str, Any]:
    """Every weight of the ONNX graph as a float32 array, named as ``transformers`` names it
    (``torch.nn.Linear`` layout: out x in).

    ``dither`` (a seed): each quantised weight moved to a random point within half a
    quantisation step of its grid value, where the fp32 weight it was rounded from lay.
    Without it, further training starts on the int8 grid and moves each weight by far
    less than a step, so the next export rounds it back to the same grid value and the
    int8 model loses what the training changed (measured: the "opposite" contrast pairs
    at 0.96 in fp32 and 0.63 in int8, as before the training); dithered, the rounding
    carries the change on average.
    """
    import numpy as np
    import onnx
    from onnx import numpy_helper

    rng = np.random.default_rng(dither) if dither is not None else None

    graph = onnx.load(str(path)).graph
    arrays = {i.name: numpy_helper.to_array(i) for i in graph.initializer}
    out: dict[str, Any] = {}
    anonymous: list[Any] = []
    for name, a in arrays.items():
        if name.endswith(("_scale", "_zero_point")):
            continue
        if name.endswith("_quantized"):
            stem = name[: -len("_quantized")]
            q = a.astype(np.float32)
            if rng is not None:
                q = q + rng.uniform(-0.5, 0.5, q.shape).astype(np.float32)
            w = (q - arrays[stem + "_zero_point"].astype(np.float32)) * arrays[stem + "_scale"]
            if stem.endswith("_Transposed"):
                out[stem[: -len("_Transposed")]] = w.T.copy()
            elif stem.startswith("onnx::MatMul"):
                anonymous.append((int(stem.rsplit("_", 1)[1]), w.T.copy()))
            else:
                out[stem] = w
        else:
            out[name] = a.astype(np.float32)
    anonymous.sort(key=lambda x: x[0])
    if len(anonymous) % len(LAYER):
        raise SystemExit(f"{path}: {len(anonymous)} anonymous matrices, not {len(LAYER)} a layer")
    for k, (_, w) in enumerate(anonymous):
        layer, part = divmod(k, len(LAYER))
        out[f"bert.encoder.layer.{layer}.{LAYER[part]}.weight"] = w
    return out


def main(argv: list[str] | None = None) -> int:
    import numpy as np
    import onnxruntime as ort
    import torch
    from train import base_model_dir, encode
    from transformers import AutoModelForSequenceClassification, AutoTokenizer

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--onnx", type=Path, default=SHIPPED)
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--dither", type=int, default=None, metavar="SEED",
                    help="move each weight to a random point within half a quantisation "
                         "step (see dequantised): for a further training run")
    args = ap.parse_args(argv)
    base = base_model_dir()
    model = AutoModelForSequenceClassification.from_pretrained(
        base, num_labels=3, id2label=dict(enumerate(data.LABELS)),
        label2id={lab: i for i, lab in enumerate(data.LABELS)})
    weights = dequantised(args.onnx, args.dither)
    state = model.state_dict()
    missing = [k for k in state if k not in weights and "position_ids" not in k]
    if missing:
        raise SystemExit(f"not in {args.onnx}: {missing}")
    for k, w in weights.items():
        if k not in state or tuple(state[k].shape) != w.shape:
            raise SystemExit(f"{k}: {w.shape} does not fit the model")
    model.load_state_dict({k: torch.from_numpy(weights[k]) if k in weights else v
                           for k, v in state.items()})
    model.eval()
    tok = AutoTokenizer.from_pretrained(base)
    args.out.mkdir(parents=True, exist_ok=True)
    model.save_pretrained(args.out)
    tok.save_pretrained(args.out)
    # agreement with the int8 model on pairs of every kind
    pairs = [data.Pair(c, e, "SUPPORTS", "check") for c, e in (
        ("The minister met the ambassador on Monday.", "On Monday the minister met the envoy."),
        ("The bridge was opened in 2019.", "The bridge opened to traffic in 2021."),
        ("Two ministers signed the deal.", "The weather was mild across the region."))]
    sess = ort.InferenceSession(str(args.onnx), providers=["CPUExecutionProvider"])
    for p in pairs:
        enc = encode(tok, [p], 128)
        with torch.no_grad():
            mine = model(**enc).logits.numpy()[0]
        theirs = sess.run(["logits"], {k: enc[k].numpy().astype(np.int64) for k in
                                       ("input_ids", "attention_mask", "token_type_ids")})[0][0]
        print(f"{p.claim[:40]:40s} dequantised {np.round(mine, 2)}  int8 {np.round(theirs, 2)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
