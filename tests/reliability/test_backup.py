"""``corridor backup`` / ``restore``: online backup, checked restore, round trip."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from typer.testing import CliRunner

from corridor.cli import app
from corridor.errors import MigrationError, StoreError
from corridor.service import Corridor
from corridor.settings import Settings

from .corpus import write_jsonl


def _pool(db: Path) -> Corridor:
    return Corridor(settings=Settings(db=str(db)))


@pytest.fixture(scope="module")
def articles(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("backup-corpus")
    return write_jsonl(folder / "a.jsonl", 6), write_jsonl(folder / "b.jsonl", 4, start=100)


def _snapshot(pool: Corridor) -> tuple[int, list[str], int, int]:
    ids = sorted(d.id for d in pool.store.iter_documents())
    stats = pool.stats()
    return len(ids), ids, len(pool.events(limit=1000)), stats.get("documents", 0)


def test_round_trip_restores_exactly_what_was_backed_up(
    tmp_path: Path, articles: tuple[Path, Path]
) -> None:
    db, backup = tmp_path / "pool.db", tmp_path / "saved" / "pool.bak"
    with _pool(db) as pool:
        pool.ingest([str(articles[0])])
        pool.create_token("desk")
        before = _snapshot(pool)
        hits = [h.doc_id for h in pool.search("officials")]
        pool.backup(str(backup))
        pool.ingest([str(articles[1])])  # written after the backup
        assert _snapshot(pool)[0] == before[0] + 4
        pool.restore(str(backup), keep_current=str(tmp_path / "newer.bak"))
        assert _snapshot(pool) == before
        assert [h.doc_id for h in pool.search("officials")] == hits  # FTS came back too
        assert [t.name for t in pool.list_tokens()] == ["desk"]
        assert pool.check_integrity() == []
        assert pool.ingest([str(articles[0])]).unchanged == 6  # dedup state restored
    with _pool(tmp_path / "other.db") as other:  # the kept copy holds the newer pool
        other.restore(str(tmp_path / "newer.bak"))
        assert other.stats()["documents"] == before[0] + 4


@pytest.mark.parametrize("damage", ["garbage", "truncated", "not-corridor", "missing"])
def test_bad_backup_is_refused_and_the_pool_untouched(
    tmp_path: Path, articles: tuple[Path, Path], damage: str
) -> None:
    db, bad = tmp_path / "pool.db", tmp_path / "bad.bak"
    with _pool(db) as pool:
        pool.ingest([str(articles[0])])
        pool.backup(str(bad))
        if damage == "garbage":
            bad.write_bytes(b"\x00\x01 this is no database" * 100)
        elif damage == "truncated":
            bad.write_bytes(bad.read_bytes()[: 4096 * 3])
        elif damage == "not-corridor":
            bad.unlink()
            other = sqlite3.connect(bad)
            other.execute("CREATE TABLE notes(x)")
            other.commit()
            other.close()
        else:
            bad.unlink()
        before = _snapshot(pool)
        with pytest.raises(StoreError):
            pool.restore(str(bad))
        assert _snapshot(pool) == before
        assert pool.check_integrity() == []


def test_backup_from_a_newer_version_is_refused(
    tmp_path: Path, articles: tuple[Path, Path]
) -> None:
    with _pool(tmp_path / "pool.db") as pool:
        pool.ingest([str(articles[0])])
        pool.backup(str(tmp_path / "new.bak"))
        conn = sqlite3.connect(tmp_path / "new.bak")
        conn.execute("INSERT INTO schema_migrations VALUES ('9999_future', '2030-01-01')")
        conn.commit()
        conn.close()
        with pytest.raises(MigrationError, match="newer Corridor"):
            pool.restore(str(tmp_path / "new.bak"))
        assert pool.stats()["documents"] == 6


def test_backup_refuses_to_overwrite_the_pool_itself(tmp_path: Path) -> None:
    with _pool(tmp_path / "pool.db") as pool, pytest.raises(StoreError, match="pool itself"):
        pool.backup(str(tmp_path / "pool.db"))


def test_backup_while_another_process_writes(tmp_path: Path, articles: tuple[Path, Path]) -> None:
    db = tmp_path / "pool.db"
    with _pool(db) as writer, _pool(db) as reader:
        writer.ingest([str(articles[0])])
        writer.store.conn.execute("BEGIN IMMEDIATE")  # a writer holds the write lock
        try:
            reader.backup(str(tmp_path / "online.bak"))
        finally:
            writer.store.conn.execute("ROLLBACK")
    with _pool(tmp_path / "copy.db") as copy:
        copy.restore(str(tmp_path / "online.bak"))
        assert copy.stats()["documents"] == 6


def test_cli_backup_and_restore(tmp_path: Path, articles: tuple[Path, Path]) -> None:
    runner = CliRunner()
    db, bak = str(tmp_path / "pool.db"), str(tmp_path / "pool.bak")
    assert runner.invoke(app, ["ingest", str(articles[0]), "--db", db, "-q"]).exit_code == 0
    result = runner.invoke(app, ["backup", bak, "--db", db])
    assert result.exit_code == 0, result.output
    assert "6 documents" in result.output
    again = runner.invoke(app, ["backup", bak, "--db", db])
    assert again.exit_code == 2 and "exists" in again.output
    assert runner.invoke(app, ["ingest", str(articles[1]), "--db", db, "-q"]).exit_code == 0
    result = runner.invoke(app, ["restore", bak, "--db", db, "--yes"])
    assert result.exit_code == 0, result.output
    assert "before-restore" in "".join(result.output.split())
    assert Path(db + ".before-restore").exists()
    with _pool(Path(db)) as pool:
        assert pool.stats()["documents"] == 6
    bad = tmp_path / "bad.bak"
    bad.write_text("nope")
    result = runner.invoke(app, ["restore", str(bad), "--db", db, "--yes", "--keep", "none"])
    assert result.exit_code == 2 and "not a SQLite database" in " ".join(result.output.split())
