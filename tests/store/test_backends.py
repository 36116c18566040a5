"""The same pool on SQLite and PostgreSQL gives the same results, and copies losslessly.

Short articles written for this test are ingested through ``Corridor`` (cleaning,
dedup with LSH bands, extraction, embeddings) into a SQLite file and a
PostgreSQL database; what each backend then answers is compared. The pools
are then copied across (``Corridor.copy_to``, ``corridor migrate``) in both
directions and compared record by record.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from corridor.service import Corridor

BASE = (
    "ISLAMABAD: Pakistan and China held the fourth meeting of the Joint Working Group on "
    "Ports on Monday in Islamabad. Planning Minister Ahsan Iqbal and Chinese Vice Minister "
    "Liu Wei co-chaired the meeting. The two sides signed 12 agreements on port logistics "
    "and customs, and China will train Pakistani port engineers at its maritime academies."
)
ARTICLES: list[dict[str, Any]] = [
    {"url": "https://harbour.example/jwg", "title": "Ports working group meets",
     "date": "2025-03-04", "source": "Harbour Daily", "text": BASE},
    # the same story syndicated with a different headline: an exact duplicate
    {"url": "https://mirror.example/jwg", "title": "JWG on ports", "date": "2025-03-04",
     "source": "Mirror", "text": BASE},
    # lightly edited: a near duplicate
    {"url": "https://coast.example/jwg", "title": "Ports group meets", "date": "2025-03-05",
     "source": "Coast Herald",
     "text": BASE.replace("maritime academies.", "maritime academies, officials said.")},
    {"url": "https://valley.example/visit", "title": "Prime Minister visits Beijing",
     "date": "2025-03-10", "source": "Valley Times", "text": (
         "BEIJING: Prime Minister Shehbaz Sharif began a five-day state visit to China on "
         "Sunday. He met President Xi Jinping in Beijing and discussed the expansion of "
         "Gwadar port. The two leaders also reviewed cooperation in agriculture.")},
    {"url": "https://urdu.example/cpec", "title": "سی پیک پر بات چیت", "date": "2025-02-01",
     "source": "Urdu Wire", "text": (
         "اسلام آباد: پاکستان اور چین نے سی پیک منصوبوں پر تعاون بڑھانے پر اتفاق کیا۔ "
         "دونوں ممالک کے وزراء نے گوادر بندرگاہ کی توسیع پر بھی بات چیت کی۔")},
    {"url": "https://zh.example/cpec", "title": "中巴经济走廊合作会议", "date": "2025-01-20",
     "source": "Xinhua Test", "text": (
         "新华社北京1月20日电 两国代表讨论了中巴经济走廊建设的新进展和合作项目。"
         "双方同意加快瓜达尔港的建设，并在农业和信息技术领域加强合作。")},
    {"url": "https://broken.example/x", "title": "No body"},  # quarantined: no text
]
QUERIES = ["port", "ports working group", '"maritime academies"', "gwad*", "beijing OR lahore",
           "منصوبوں", "بندرگاہ", "经济走廊", "瓜达尔港", "nothing-like-this"]
#: operators of SQL, tsquery and FTS5 typed as text: the same (plain-text) answers
HOSTILE = ['port" OR 1=1', "port & !customs", "port:* <-> x", "NEAR(port customs)",
           "经济走廊%", "port'; DROP TABLE documents; --", "title:ports"]


def _ingest(db: str) -> Corridor:
    corridor = Corridor(db)
    report = corridor.ingest_articles(ARTICLES, label="backends")
    assert report.stored == 4 and report.quarantined, report.to_dict()
    return corridor


def _facts(c: Corridor) -> dict[str, Any]:
    """What a pool answers, in a form comparable across backends."""
    stats = {k: v for k, v in c.stats().items() if k not in ("database", "database_bytes")}
    docs = sorted(c.store.iter_documents(), key=lambda d: d.id)
    return {
        "stats": stats,
        "documents": [(d.id, d.title, d.text, d.published, d.lang, d.source,
                       [(s.source_key, s.kind, s.similarity, s.title)
                        for s in c.document(d.id).sources]) for d in docs],
        "search": {q: sorted((h.doc_id, h.title) for h in c.search(q))
                   for q in QUERIES + HOSTILE},
        "filtered": [h.doc_id for h in c.search("port", since="2025-03-05", source="valley")],
        "entities": [(e.id, e.name, e.mentions, e.documents, e.aliases)
                     for e in c.entities(limit=500)],
        "events": [(e.type, e.date, e.date_inferred, e.date_basis, e.participants, e.parties,
                    e.support, e.citation.doc_id, e.citation.start) for e in c.events()],
        "party_events": [e.id for e in c.events(entity="china")],
        "sentence_events": [
            [(ev.type, ev.date, ev.participants) for ev in rec.events]
            for rec in c.store.sentence_records(
                [(d.id, i) for d in sorted(c.store.iter_documents(), key=lambda d: d.id)
                 for i in range(3)]).values()],
        "commitments": [(k.parties, k.action, k.citation.doc_id) for k in c.commitments()],
        "sentences": sorted((h.doc_id, h.idx) for h in
                            c.search_sentences("port engineers", mode="keyword")),
        "semantic": [(h.doc_id, h.idx) for h in
                     c.search_sentences("training of harbour staff", mode="semantic", limit=3)],
        "quarantine": [(q.source_key, q.code, q.raw_size) for q in c.quarantine()],
    }


def _records(c: Corridor) -> dict[str, Any]:
    """Everything stored, ids and timestamps included (for lossless copies)."""
    facts = _facts(c)
    facts["documents_full"] = [c.document(d.id).to_dict() for d in c.store.iter_documents()]
    facts["quarantine_full"] = c.quarantine()
    facts["checks"] = [(k.id, k.claim, k.verdict, k.created_at, k.runs) for k in c.checks()]
    facts["tokens"] = c.list_tokens()
    facts["vectors"] = [(h.doc_id, h.idx, round(h.score, 5)) for h in
                        c.search_sentences("port engineers", mode="semantic", limit=5)]
    facts["mentions"] = [c.store.document_mentions(d.id) for d in c.store.iter_documents()]
    return facts


@pytest.fixture
def pools(tmp_path: Path, pg_url: str) -> Any:
    sqlite = _ingest(str(tmp_path / "pool.db"))
    postgres = _ingest(pg_url)
    yield sqlite, postgres
    sqlite.close()
    postgres.close()


def test_same_results_on_both_backends(pools: tuple[Corridor, Corridor]) -> None:
    sqlite, postgres = pools
    a, b = _facts(sqlite), _facts(postgres)
    for key in a:
        assert a[key] == b[key], key
    # the sample is not trivial: duplicates were found, languages searched
    assert a["stats"]["duplicates_exact"] == 1 and a["stats"]["duplicates_near"] == 1
    assert all(a["search"][q] for q in QUERIES[:-1]) and not a["search"][QUERIES[-1]]
    assert a["events"] and a["entities"] and a["sentences"]


def test_copy_both_ways(pools: tuple[Corridor, Corridor], tmp_path: Path,
                        pg_server: Any) -> None:
    sqlite, postgres = pools
    for c in (sqlite, postgres):
        c.create_token("newsroom")
        c.check("Pakistan and China held the fourth meeting of the working group on ports")
    # SQLite -> PostgreSQL
    target_url = pg_server.fresh()
    counts = sqlite.copy_to(target_url)
    assert counts["documents"] == 4 and counts["lsh_bands"] > 0 and counts["sentences"] > 0
    assert counts["sentence_vectors"] > 0 and counts["check_runs"] == 1
    with Corridor(target_url) as copied:
        assert _records(copied) == _records(sqlite)
        assert copied.check_integrity() == []
        # ids continue after the copied ones
        copied.create_token("second")
        assert [t.id for t in copied.list_tokens()] == [1, 2]
    # PostgreSQL -> SQLite, through the command line
    from typer.testing import CliRunner

    from corridor.cli import app

    back = tmp_path / "back.db"
    postgres.close()
    result = CliRunner().invoke(app, ["migrate", "--from", postgres.settings.db,
                                      "--to", str(back), "--json"])
    assert result.exit_code == 0, result.output
    with Corridor(postgres.settings.db) as source, Corridor(str(back)) as copied:
        assert _records(copied) == _records(source)
        assert copied.check_integrity() == []
        # near-duplicate detection goes on identically in the copy
        again = copied.ingest_articles([dict(ARTICLES[2], url="https://third.example/jwg")],
                                       extract=False)
        assert again.duplicates == {"near": 1}
    # a non-empty target is refused and left alone
    result = CliRunner().invoke(app, ["migrate", "--from", str(back), "--to", str(back)])
    assert result.exit_code == 2 and "not empty" in result.output
