"""End-to-end ingest through ``Corridor`` on a real SQLite file."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from corridor.errors import ConfigError, NotFound
from corridor.service import Corridor
from corridor.settings import Settings

if TYPE_CHECKING:
    from tests.conftest import LocalServer

RAIL = """Pakistan and Avalon review railway upgrade

ISLAMABAD: Officials from Pakistan and Avalon on Tuesday reviewed progress on the northern
railway upgrade during a meeting of the joint working group on transport, officials said.

The meeting was co-chaired by the railways secretary and a deputy minister from Avalon. Both
sides agreed to complete the design review of the first package before the end of the year.

The visiting side said it would send a team of engineers to inspect the southern section next
month, and both sides reaffirmed their commitment to the safety of workers on the project.
"""

PORT = """Harbour authority opens new container terminal

KARACHI: The harbour authority opened a new container terminal on Friday, doubling the
capacity of the western wharf, the port chairman told reporters at the ceremony.

The terminal was built in two years by a consortium of local and foreign firms and will handle
transshipment cargo for the region. Officials said dredging of the access channel would finish
in the spring and that rail links to the terminal were being planned with the railways.
"""

SCHOOL = """Scholarship scheme expanded for engineering students

LAHORE: The higher education commission said on Monday that its scholarship scheme for
engineering students would be expanded to two hundred places next year, with new partner
universities abroad offering laboratory training and exchange semesters for the winners.
The commission chairman said the scheme had trained more than a thousand students since it began.
"""


def write(folder: Path, name: str, data: str | bytes) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, bytes):
        path.write_bytes(data)
    else:
        path.write_text(data, encoding="utf-8")
    return path


@pytest.fixture
def pool(tmp_path: Path) -> Corridor:
    return Corridor(settings=Settings(db=str(tmp_path / "pool.db")))


def test_ingest_folder_then_search(tmp_path: Path, pool: Corridor) -> None:
    src = tmp_path / "in"
    write(src, "rail.txt", "date 2025-03-04\n" + RAIL + "\nShare this article\n")
    write(src, "sub/port.txt", PORT)
    write(src, "sub/school.txt", SCHOOL)
    report = pool.ingest([str(src)])
    assert report.stored == 3 and report.inputs == 3
    hits = pool.search("railway upgrade")
    assert len(hits) == 1
    doc = pool.document(hits[0].doc_id)
    assert doc.published == "2025-03-04"
    assert doc.dateline_place == "Islamabad"
    assert doc.title == "Pakistan and Avalon review railway upgrade"
    assert "Share this article" not in doc.text
    assert "reaffirmed their commitment" in doc.text
    assert pool.search("railway", since="2025-04-01") == []
    assert pool.check_integrity() == []


def test_reingest_changes_nothing(tmp_path: Path, pool: Corridor) -> None:
    src = tmp_path / "in"
    write(src, "rail.txt", RAIL)
    write(src, "port.txt", PORT)
    pool.ingest([str(src)])
    before = pool.stats()
    again = pool.ingest([str(src)])
    assert again.stored == 0 and again.unchanged == 2
    after = pool.stats()
    assert {k: v for k, v in after.items() if k not in ("ingest_runs", "database_bytes")} == {
        k: v for k, v in before.items() if k not in ("ingest_runs", "database_bytes")
    }


def test_exact_and_near_duplicates_are_linked(tmp_path: Path, pool: Corridor) -> None:
    src = tmp_path / "in"
    write(src, "a.txt", RAIL)
    write(src, "b.txt", RAIL.replace("officials said.", "officials said.\n\nSubscribe now"))
    write(src, "c.txt", RAIL.replace("next\nmonth", "in two\nweeks") + "\nRead more on our site.")
    report = pool.ingest([str(src)])
    assert report.stored == 1
    assert sum(report.duplicates.values()) == 2
    [hit] = pool.search("railway")
    kinds = sorted(link.kind for link in pool.document(hit.doc_id).sources)
    assert kinds[0] in ("exact", "near") and kinds[-1] == "original" and len(kinds) == 3


def test_bad_inputs_are_quarantined_and_nothing_is_lost(tmp_path: Path) -> None:
    pool = Corridor(settings=Settings(db=str(tmp_path / "pool.db"), max_bytes=50_000))
    good = tmp_path / "good"
    write(good, "rail.txt", RAIL)
    pool.ingest([str(good)])
    bad = tmp_path / "bad"
    write(bad, "empty.txt", "")
    write(bad, "binary.txt", b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)
    write(bad, "huge.txt", "word " * 20_000)
    write(bad, "laughs.html", '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
          + "".join(f'<!ENTITY lol{i} "{"&lol;" * 10}">' for i in range(1, 9))
          + ']><html><body><p>&lol8;</p></body></html>')
    write(bad, "broken.jsonl", '{"url": "https://x.test/1", "text": "unterminated\n')
    write(bad, "image.png", b"\x89PNG\r\n")
    write(bad, "latin1.txt", ("Caf\xe9 d\xe9l\xe9gation " * 30).encode("latin-1"))
    report = pool.ingest([str(bad), str(tmp_path / "does-not-exist")])
    assert sum(report.quarantined.values()) + sum(report.dropped.values()) + report.stored == 8
    codes = {r.source_key.rsplit("/", 1)[-1]: r.code for r in pool.quarantine()}
    assert codes["binary.txt"] == "binary"
    assert codes["huge.txt"] == "too_large"
    assert codes["image.png"] == "unsupported"
    assert "does-not-exist" in codes
    assert any(k.startswith("broken.jsonl") for k in codes)
    assert "empty.txt" in codes or report.dropped["empty"] == 1
    assert pool.stats()["documents"] >= 1
    assert len(pool.search("railway")) == 1
    assert pool.check_integrity() == []
    # quarantine is idempotent too
    n = len(pool.quarantine())
    pool.ingest([str(bad)])
    assert len(pool.quarantine()) == n


def test_url_and_feed_ingest(http_server: LocalServer, pool: Corridor) -> None:
    report = pool.ingest([http_server.url("/article.html"), http_server.url("/feed.xml")])
    assert report.stored >= 1
    assert pool.search("river port")
    again = pool.ingest([http_server.url("/article.html")])
    assert again.unchanged == 1


def test_unreachable_url_is_quarantined(closed_port_url: str, pool: Corridor) -> None:
    report = pool.ingest([closed_port_url])
    assert report.quarantined["fetch"] == 1
    [rec] = pool.quarantine()
    assert rec.code == "fetch" and rec.message


def test_bad_search_arguments(pool: Corridor) -> None:
    with pytest.raises(ConfigError):
        pool.search("x", since="not a date")
    with pytest.raises(NotFound):
        pool.document("0000")
    assert pool.search('"unbalanced NEAR(') == []


def test_warm_up_loads_parsers_and_models() -> None:
    from corridor.embed import get_embedder
    from corridor.extract._nlp import get_nlp

    Corridor.warm_up()
    assert get_nlp().nlp("Ishaq Dar met Wang Yi.")  # loaded and usable
    assert get_embedder().embed(["x"]).shape[1] == 384
