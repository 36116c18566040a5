"""Sector hits with their supporting sentence."""

from __future__ import annotations

from collections.abc import Callable

from corridor.document import Document
from corridor.domain import load_pack
from corridor.extract import SECTORS

Extract = Callable[..., Document]


def test_taxonomy_has_the_24_design_sectors() -> None:
    assert len(SECTORS) == 24
    assert set(load_pack().sectors) == set(SECTORS)
    assert "counter_disinformation" in SECTORS and "ai_big_data" in SECTORS


def test_sectors_point_at_their_sentence(mode: str, run: Extract) -> None:
    text = (
        "The two sides agreed to counter fake news and disinformation. "
        "They discussed food security and the Global Security Initiative. "
        "Cooperation in artificial intelligence and big data was welcomed."
    )
    doc = run(text)
    hits = {(h.sector, doc.text[h.start : h.end][:12]) for h in doc.sectors}
    assert ("counter_disinformation", "The two side") in hits
    assert ("agriculture", "They discuss") in hits
    # "food security" and "Global Security Initiative" are not security cooperation
    assert ("security_counter_terrorism", "They discuss") not in hits
    assert ("ai_big_data", "Cooperation ") in hits


def test_urdu_and_chinese_sector_cues(run: Extract) -> None:
    ur = run("دونوں ممالک نے زراعت اور تعلیم میں تعاون پر اتفاق کیا۔", lang="ur")
    assert {"agriculture", "education"} <= {h.sector for h in ur.sectors}
    zh = run("双方同意加强农业和安全领域合作。", lang="zh")
    assert {"agriculture", "security_counter_terrorism"} <= {h.sector for h in zh.sectors}
