"""Every error says how each front end reports it, and the CLI and the API agree."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from corridor import errors
from corridor.cli import app
from corridor.errors import CorridorError
from corridor.service import Corridor
from corridor.settings import Settings
from corridor.web import WebConfig, create_app

CLASSES = [getattr(errors, name) for name in errors.__all__]


def test_every_error_has_a_status_and_an_exit_code() -> None:
    assert len(CLASSES) == 15
    for cls in CLASSES:
        assert issubclass(cls, CorridorError)
        assert isinstance(cls.http_status, int) and 400 <= cls.http_status <= 599, cls
        assert isinstance(cls.exit_code, int) and 1 <= cls.exit_code <= 125, cls
        assert isinstance(cls.code, str) and cls.code


def test_statuses_and_exit_codes() -> None:
    assert (errors.NotFound.http_status, errors.NotFound.exit_code) == (404, 1)
    assert (errors.ConfigError.http_status, errors.ConfigError.exit_code) == (400, 2)
    assert (errors.StoreBusy.http_status, errors.StoreBusy.exit_code) == (503, 2)
    assert (errors.StoreError.http_status, errors.StoreError.exit_code) == (500, 2)
    # input that cannot be processed is the client's to fix: a 4xx, never a 500
    for cls in CLASSES:
        if issubclass(cls, errors.InputError):
            assert cls.http_status == 422 and cls.exit_code == 2, cls


@pytest.fixture
def pool(tmp_path: Path) -> str:
    path = tmp_path / "pool.db"
    Corridor(str(path)).close()
    return str(path)


@pytest.fixture
def client(pool: str) -> Iterator[TestClient]:
    with TestClient(create_app(Settings(db=pool), WebConfig(readers=1)),
                    base_url="http://127.0.0.1") as c:
        yield c


@pytest.mark.parametrize("cls", CLASSES, ids=lambda cls: cls.__name__)
def test_cli_and_api_report_each_error_alike(cls: type[CorridorError], pool: str,
                                             client: TestClient,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    def fail(self: Corridor) -> None:
        raise cls("something went wrong")

    monkeypatch.setattr(Corridor, "stats", fail)
    result = CliRunner().invoke(app, ["stats", "--db", pool, "--json"])
    assert result.exit_code == cls.exit_code, result.output
    assert f"[{cls.code}] something went wrong" in result.stderr
    response = client.get("/api/stats")
    assert response.status_code == cls.http_status
    body = response.json()
    assert body["code"] == cls.code
    if cls.http_status == 503:
        assert response.headers["retry-after"] == "5"
    if cls.http_status >= 500 and cls.http_status != 503:  # the server's: not shown
        assert body["detail"] in ("database error", "internal error")
    else:
        assert body["detail"] == "something went wrong"
