"""Cross-language keyword search through the service and the CLI."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from corridor.cli import app
from corridor.service import Corridor
from corridor.settings import Settings

ARTICLES = [
    {"url": "https://example.test/en", "date": "2025-01-05", "text":
     "Officials from both countries reviewed CPEC projects in the energy sector on Sunday "
     "and agreed to speed up work on two power plants before the summer season begins."},
    {"url": "https://example.test/ur", "date": "2025-01-06", "text":
     "اسلام آباد: پاکستان اور چین کے حکام نے سی پیک کے تحت توانائی کے منصوبوں کا جائزہ لیا اور "
     "گرمیوں سے پہلے دو بجلی گھروں پر کام تیز کرنے پر اتفاق کیا۔ دونوں فریقوں نے تعاون جاری "
     "رکھنے کا عزم ظاہر کیا۔"},
    {"url": "https://example.test/zh", "date": "2025-01-07", "text":
     "中巴两国官员周日审查了中巴经济走廊能源领域的项目，同意在夏季到来之前加快两座电站的建设工作。"
     "双方表示将继续加强合作，推动项目按期完成并造福两国人民。"},
]


def test_cpec_finds_urdu_and_chinese(tmp_path: Path) -> None:
    src = tmp_path / "a.jsonl"
    src.write_text("\n".join(json.dumps(a, ensure_ascii=False) for a in ARTICLES) + "\n",
                   encoding="utf-8")
    db = str(tmp_path / "pool.db")
    with Corridor(settings=Settings(db=db, min_words=5)) as pool:
        assert pool.ingest([str(src)], extract=False).stored == 3
        assert {h.lang for h in pool.search("CPEC")} == {"en"}
        assert {h.lang for h in pool.search("CPEC", any_language=True)} == {"en", "ur", "zh"}
    res = CliRunner().invoke(app, ["search", "CPEC", "--any-language", "--db", db, "--json"])
    assert res.exit_code == 0, res.output
    assert sorted(h["lang"] for h in json.loads(res.stdout)["hits"]) == ["en", "ur", "zh"]
