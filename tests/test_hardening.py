"""Regressions of issue 15 (an outside attacker and a hurried operator): the pool
and the command line. Web and fetch regressions: tests/web/test_hardening_web.py,
tests/ingest/test_fetch_unicode.py; properties: tests/fuzz/test_url_props.py."""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

import pytest
from typer.testing import CliRunner

from corridor.cli import app
from corridor.errors import ConfigError, StoreError
from corridor.service import Corridor
from corridor.settings import Settings
from corridor.store.sqlite import SQLiteStore, damaged_reason, salvage_revoked_hashes

runner = CliRunner()

ARTICLE = {
    "url": "https://news.example.org/2024/ferry-talks",
    "title": "Ferry talks resume",
    "date": "2024-05-02",
    "text": ("Harbour officials from both sides met on Thursday to agree a summer ferry "
             "timetable with four daily crossings, the port office said after the talks. "
             "A second round is planned for the autumn, officials said."),
}


def _pool(path: Path) -> Corridor:
    return Corridor(settings=Settings(db=str(path)))


def _seeded(tmp_path: Path) -> Path:
    db = tmp_path / "pool.db"
    with _pool(db) as pool:
        assert pool.ingest_articles([ARTICLE], extract=False).stored == 1
    return db


# -- 2. a restore must not bring revoked tokens back -------------------------------------


def test_restore_keeps_tokens_revoked_after_the_backup(db_url: str, tmp_path: Path) -> None:
    backup = tmp_path / "pool.bak"
    with Corridor(settings=Settings(db=db_url)) as pool:
        _, leaked = pool.create_token("leaked")
        _, kept = pool.create_token("kept")
        pool.backup(str(backup))  # both tokens active in the backup
        pool.revoke_token("leaked")
        _, later = pool.create_token("later")  # newer than the backup
        assert pool.verify_token(leaked) is None
        again = pool.restore(str(backup))
        assert [t.name for t in again] == ["leaked"]
        assert pool.verify_token(leaked) is None  # still closed
        assert pool.verify_token(kept) is not None  # what the backup had stays open
        assert pool.verify_token(later) is None  # not in the backup: gone
        assert {t.name: t.revoked_at is not None for t in pool.list_tokens()} == {
            "leaked": True, "kept": False}


def test_cli_restore_reports_tokens_revoked_again(tmp_path: Path) -> None:
    db, bak = _seeded(tmp_path), str(tmp_path / "pool.bak")
    with _pool(db) as pool:
        _, secret = pool.create_token("desk")
    assert runner.invoke(app, ["backup", bak, "--db", str(db)]).exit_code == 0
    assert runner.invoke(app, ["token", "revoke", "desk", "--db", str(db)]).exit_code == 0
    result = runner.invoke(app, ["restore", bak, "--db", str(db), "--yes"])
    assert result.exit_code == 0, result.output
    assert "Revoked again 1 API token" in " ".join(result.output.split())
    with _pool(db) as pool:
        assert pool.verify_token(secret) is None


# -- 3. a corrupted pool file: a clear store error, no traceback -------------------------


def _damage(db: Path, how: str) -> None:
    data = bytearray(db.read_bytes())
    if how == "garbage":
        db.write_bytes(b"these bytes are no database at all\n" * 200)
    elif how == "pages":  # the header survives, the pages after the first do not
        data[4096:4096 * 6] = b"\xab" * (4096 * 5)
        db.write_bytes(bytes(data))
    else:  # truncated
        db.write_bytes(bytes(data[: len(data) // 3]))


@pytest.mark.parametrize("how", ["garbage", "pages", "truncated"])
def test_corrupted_pool_is_a_store_error_saying_what_to_do(tmp_path: Path, how: str) -> None:
    db = _seeded(tmp_path)
    for extra in ("-wal", "-shm"):
        Path(str(db) + extra).unlink(missing_ok=True)
    _damage(db, how)
    with pytest.raises(StoreError) as info:
        SQLiteStore(db)
    message = str(info.value)
    assert message.startswith("[store]")
    assert "not a valid Corridor pool" in message and "corridor restore" in message
    assert damaged_reason(db)


@pytest.mark.parametrize("command", [["stats"], ["search", "ferry"], ["quarantine"]])
def test_cli_on_a_corrupted_pool_prints_error_store(tmp_path: Path, command: list[str]) -> None:
    db = _seeded(tmp_path)
    _damage(db, "pages")
    result = runner.invoke(app, [*command, "--db", str(db)])
    assert result.exit_code == 2
    assert result.exception is None or isinstance(result.exception, SystemExit)
    text = " ".join(result.stderr.split())
    assert text.startswith("error [store]") and "corridor restore" in text
    assert "Traceback" not in result.output


def test_cli_migrate_from_a_corrupted_pool(tmp_path: Path) -> None:
    db = _seeded(tmp_path)
    _damage(db, "pages")
    result = runner.invoke(app, ["migrate", "--from", str(db), "--to", str(tmp_path / "n.db")])
    assert result.exit_code == 2 and "error [store]" in result.stderr
    assert "Traceback" not in result.output


def test_restore_over_a_damaged_pool_keeps_its_readable_revocations(tmp_path: Path) -> None:
    db, bak = _seeded(tmp_path), str(tmp_path / "pool.bak")
    with _pool(db) as pool:
        _, secret = pool.create_token("leaked")
        pool.backup(bak)
        pool.revoke_token("leaked")
    with sqlite3.connect(db) as conn:  # damage the documents table only
        root = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = 'documents'"
                            ).fetchone()[0]
        size = conn.execute("PRAGMA page_size").fetchone()[0]
    conn.close()
    data = bytearray(db.read_bytes())
    data[(root - 1) * size: root * size] = b"\xab" * size
    db.write_bytes(bytes(data))
    assert damaged_reason(db) and salvage_revoked_hashes(db)
    result = runner.invoke(app, ["restore", bak, "--db", str(db), "--yes"])
    assert result.exit_code == 0, result.output
    with _pool(db) as pool:
        assert pool.verify_token(secret) is None  # revoked in the damaged pool: still
        assert pool.stats()["documents"] == 1


def test_salvage_revoked_hashes(tmp_path: Path) -> None:
    db = _seeded(tmp_path)
    with _pool(db) as pool:
        pool.create_token("a")
        pool.revoke_token("a")
        pool.create_token("b")
        expected = pool.store.revoked_token_hashes()
    assert salvage_revoked_hashes(db) == expected and len(expected) == 1
    garbage = tmp_path / "garbage.db"
    garbage.write_bytes(b"no database" * 100)
    assert salvage_revoked_hashes(garbage) == []
    assert salvage_revoked_hashes(tmp_path / "absent.db") == []


def test_restore_over_a_corrupted_pool_sets_it_aside(tmp_path: Path) -> None:
    db, bak = _seeded(tmp_path), str(tmp_path / "pool.bak")
    assert runner.invoke(app, ["backup", bak, "--db", str(db)]).exit_code == 0
    _damage(db, "pages")
    result = runner.invoke(app, ["restore", bak, "--db", str(db), "--yes"])
    assert result.exit_code == 0, result.output
    aside = Path(str(db) + ".before-restore")
    assert aside.exists() and damaged_reason(aside)  # the damaged file, kept as it was
    with _pool(db) as pool:
        assert pool.stats()["documents"] == 1 and pool.check_integrity() == []


# -- 4. a mistyped --db: read commands do not create a pool ------------------------------


@pytest.mark.parametrize("command", [
    ["search", "ferry"], ["stats"], ["check", "Ferry talks resumed"], ["serve", "--port", "0"],
    ["show", "d123"], ["quarantine"], ["entities"], ["events"], ["pledges"], ["timeline"],
    ["checks", "list"], ["token", "list"], ["backup", "x.bak"], ["extract"], ["embed"],
    ["report", "--out", "r.html"], ["export", "events"],
])
def test_read_commands_refuse_a_missing_pool(tmp_path: Path, command: list[str],
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    missing = tmp_path / "typo.db"
    result = runner.invoke(app, [*command, "--db", str(missing)])
    assert result.exit_code == 2, result.output
    text = " ".join(result.stderr.split())
    assert "error [store] no Corridor pool at" in text and "corridor ingest" in text
    assert not missing.exists()


def test_migrate_from_a_missing_pool_is_refused(tmp_path: Path) -> None:
    result = runner.invoke(app, ["migrate", "--from", str(tmp_path / "typo.db"),
                                 "--to", str(tmp_path / "new.db")])
    assert result.exit_code == 2 and "no Corridor pool" in result.stderr
    assert not (tmp_path / "typo.db").exists() and not (tmp_path / "new.db").exists()


def test_commands_that_make_a_pool_still_do(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.jsonl").write_text(json.dumps(ARTICLE) + "\n", encoding="utf-8")
    db = tmp_path / "new.db"
    assert runner.invoke(app, ["ingest", str(folder), "--db", str(db), "-q"]).exit_code == 0
    tokens = tmp_path / "tokens.db"
    assert runner.invoke(app, ["token", "create", "ci", "--db", str(tokens)]).exit_code == 0
    bak = str(tmp_path / "pool.bak")
    assert runner.invoke(app, ["backup", bak, "--db", str(db)]).exit_code == 0
    fresh = tmp_path / "restored.db"
    result = runner.invoke(app, ["restore", bak, "--db", str(fresh), "--yes"])
    assert result.exit_code == 0, result.output
    target = tmp_path / "copy.db"
    result = runner.invoke(app, ["migrate", "--from", str(db), "--to", str(target)])
    assert result.exit_code == 0, result.output
    for made in (db, tokens, fresh, target):
        assert made.exists()


def test_corridor_api_still_creates_by_default(tmp_path: Path) -> None:
    with Corridor(str(tmp_path / "api.db")) as pool:
        assert pool.stats()["documents"] == 0
    with pytest.raises(StoreError, match="no Corridor pool"):
        Corridor(str(tmp_path / "other.db"), create=False)


# -- 1. inputs that are not Unicode text: quarantined, the run goes on -------------------


def test_lone_surrogates_in_jsonl_are_quarantined_and_the_run_goes_on(tmp_path: Path) -> None:
    lines = [
        # json.dumps writes a lone surrogate as the escape "\ud800": valid JSON, bad text
        json.dumps({**ARTICLE, "url": "https://news.example.org/\ud800", "text": "x\udc00"}),
        json.dumps({**ARTICLE, "title": "Ferry talks \ud83d resume"}),
        json.dumps({**ARTICLE, "url": "https://news.example.org/ferry-2"}),
    ]
    source = tmp_path / "in.jsonl"
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with _pool(tmp_path / "pool.db") as pool:
        report = pool.ingest([str(source)], extract=False)
        assert report.stored == 1 and report.quarantined == {"encoding": 2}
        records = pool.quarantine()
    assert {r.code for r in records} == {"encoding"}
    assert any("\\ud800" in (r.url or "") for r in records)  # shown, escaped
    assert all("lone surrogate" in r.message for r in records)


def test_lone_surrogates_in_posted_articles_are_quarantined(tmp_path: Path) -> None:
    with _pool(tmp_path / "pool.db") as pool:
        report = pool.ingest_articles([{**ARTICLE, "text": ARTICLE["text"] + "\ud800"},
                                       ARTICLE], extract=False)
    assert report.stored == 1 and report.quarantined == {"encoding": 1}


def test_json_feed_with_a_broken_item_link_is_read(tmp_path: Path) -> None:
    feed = {"version": "https://jsonfeed.org/version/1.1", "title": "Harbour news",
            "home_page_url": "https://news.example.org/",
            "items": [{"id": "1", "url": "http://[not-an-address/ferry",
                       "content_text": ARTICLE["text"]},
                      {"id": "2", "url": "/ur/پاکستان-چین",
                       "content_text": "Engineers finished surveying the riverbed for a road "
                                       "bridge on Monday, the works department said, and "
                                       "tenders will open in the spring."}]}
    path = tmp_path / "feed.json"
    path.write_text(json.dumps(feed, ensure_ascii=False), encoding="utf-8")
    with _pool(tmp_path / "pool.db") as pool:
        report = pool.ingest([str(path)], extract=False)
        assert report.inputs == 2 and report.quarantined == {}
        urls = {d.url for d in pool.store.iter_documents()}
    assert "https://news.example.org/ur/پاکستان-چین" in urls


def test_an_unexpected_error_in_one_target_does_not_stop_the_run(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from corridor.ingest import sources

    def broken(url: str, settings: Settings) -> object:
        raise RuntimeError("boom")

    monkeypatch.setattr(sources, "_iter_url", broken)
    good = tmp_path / "good.jsonl"
    good.write_text(json.dumps(ARTICLE) + "\n", encoding="utf-8")
    with _pool(tmp_path / "pool.db") as pool:
        report = pool.ingest(["https://news.example.org/feed", str(good)], extract=False)
        assert report.stored == 1 and report.quarantined == {"input": 1}
        [record] = pool.quarantine()
    assert "unexpected error" in record.message and "RuntimeError: boom" in record.message


# -- 6. dates that only look like ISO dates ----------------------------------------------


@pytest.mark.parametrize("since", ["2024-01-01T25:99", "2024-02-30", "2024-13-01T10:00"])
def test_impossible_iso_bounds_are_refused(tmp_path: Path, since: str) -> None:
    with _pool(tmp_path / "pool.db") as pool:
        with pytest.raises(ConfigError, match="not a valid ISO date"):
            pool.search("ferry", since=since)
        with pytest.raises(ConfigError):
            pool.events(since=since)


def test_valid_bounds_still_read(tmp_path: Path) -> None:
    with _pool(tmp_path / "pool.db") as pool:
        pool.ingest_articles([ARTICLE], extract=False)
        for since in ("2024-05-01", "2024-05-01T23:59", "2024-05-01 10:00:00+05:00",
                      "1 May 2024", "2024-5-1"):
            assert [h.title for h in pool.search("ferry", since=since)] == ["Ferry talks resume"]


def test_copy_of_a_pool_file_is_not_mistaken_for_damage(tmp_path: Path) -> None:
    db = _seeded(tmp_path)
    copy = tmp_path / "copy.db"
    with _pool(db) as pool:
        pool.backup(str(copy))
    assert damaged_reason(copy) is None and damaged_reason(tmp_path / "absent.db") is None
    shutil.copyfile(copy, tmp_path / "again.db")
    with _pool(tmp_path / "again.db") as pool:
        assert pool.stats()["documents"] == 1
