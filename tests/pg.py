"""A real, throw-away PostgreSQL server for the tests (and bench/pg_*.py).

``LocalPostgres`` runs ``initdb`` + ``pg_ctl`` from the Debian packages
(``/usr/lib/postgresql/<version>/bin``) in a temporary folder, listening on
127.0.0.1 on a free port (and a Unix socket in the same folder). initdb
refuses to run as root, so under root the server runs as the ``postgres``
OS user (``runuser``) with the folder chowned to it.

Fixtures (loaded for the whole suite by ``pytest_plugins`` in tests/conftest.py):

    pg_server   session: the started server (skips when no PostgreSQL binaries)
    pg_url      a fresh, migrated database for one test (a copy of a template)
    pg_empty_url  a fresh database with no tables (migration tests)
    db_url      parametrized: "sqlite" (a file in tmp_path) and "postgres" (pg_url)

``CORRIDOR_TEST_PG_URL`` (a superuser URL of an existing server) is used
instead of starting one.
"""

from __future__ import annotations

import contextlib
import itertools
import os
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

__all__ = ["LocalPostgres", "find_pg_bindir"]

SKIP_REASON = (
    "PostgreSQL tests skipped: no PostgreSQL server binaries (initdb, pg_ctl) found; "
    "install the Debian package 'postgresql' or set CORRIDOR_TEST_PG_URL"
)


def find_pg_bindir() -> Path | None:
    """The newest ``/usr/lib/postgresql/*/bin`` with initdb, or the one on PATH."""
    root = Path("/usr/lib/postgresql")
    if root.is_dir():
        found = sorted(
            (p for p in root.glob("*/bin") if (p / "initdb").exists() and (p / "pg_ctl").exists()),
            key=lambda p: int(p.parent.name) if p.parent.name.isdigit() else 0,
        )
        if found:
            return found[-1]
    initdb, pg_ctl = shutil.which("initdb"), shutil.which("pg_ctl")
    if initdb and pg_ctl:
        return Path(pg_ctl).resolve().parent
    return None


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class LocalPostgres:
    """initdb + pg_ctl in a temporary folder; ``url(dbname)`` for connections."""

    def __init__(self, bindir: Path, *, durable: bool = False) -> None:
        self.bindir = bindir
        self.durable = durable  # False: fsync off (tests); True: server defaults (bench)
        self.root = Path(tempfile.mkdtemp(prefix="corridor-pg-"))
        self.data = self.root / "data"
        self.port = _free_port()
        self._as_root = os.geteuid() == 0
        self._names = itertools.count(1)

    def _run(self, *args: str) -> subprocess.CompletedProcess[str]:
        cmd = [str(a) for a in args]
        if self._as_root:
            cmd = ["runuser", "-u", "postgres", "--", *cmd]
        return subprocess.run(cmd, capture_output=True, text=True, check=False, timeout=120)

    def start(self) -> LocalPostgres:
        if self._as_root:
            shutil.chown(self.root, "postgres", "postgres")
        res = self._run(str(self.bindir / "initdb"), "-D", str(self.data), "-U", "postgres",
                        "--auth=trust", "--encoding=UTF8", "--locale=C.UTF-8", "--no-sync")
        if res.returncode != 0:
            raise RuntimeError(f"initdb failed: {res.stderr or res.stdout}")
        opts = f"-c listen_addresses=127.0.0.1 -p {self.port} -k {self.root}"
        if not self.durable:
            opts += " -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        res = self._run(str(self.bindir / "pg_ctl"), "-D", str(self.data), "-o", opts,
                        "-l", str(self.root / "server.log"), "-w", "-t", "60", "start")
        if res.returncode != 0:
            log = (self.root / "server.log")
            detail = log.read_text(errors="replace")[-2000:] if log.exists() else ""
            raise RuntimeError(f"pg_ctl start failed: {res.stderr or res.stdout}\n{detail}")
        return self

    def stop(self) -> None:
        with contextlib.suppress(Exception):
            self._run(str(self.bindir / "pg_ctl"), "-D", str(self.data), "-m", "immediate",
                      "-w", "stop")
        shutil.rmtree(self.root, ignore_errors=True)

    def url(self, dbname: str = "postgres") -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/{dbname}"

    def create_database(self, template: str = "template0", name: str | None = None) -> str:
        return _create_database(self.url(), template, name or f"t{os.getpid()}_{next(self._names)}")


def _create_database(admin_url: str, template: str, name: str) -> str:
    import psycopg

    with psycopg.connect(admin_url, autocommit=True) as conn:
        if conn.info.server_version >= 150000:  # FILE_COPY: faster for small databases
            conn.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}" STRATEGY FILE_COPY')
        else:
            conn.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
    parts = urlsplit(admin_url)
    return urlunsplit(parts._replace(path="/" + name))


class _Server:
    """What the fixtures share: an admin URL and a migrated template database."""

    def __init__(self, admin_url: str) -> None:
        self.admin_url = admin_url
        self._names = itertools.count(1)
        self._prefix = f"corridor_test_{os.getpid()}_{int(time.time())}"
        self.template = f"{self._prefix}_template"
        from corridor.store.postgres import PostgresStore

        url = _create_database(admin_url, "template0", self.template)
        PostgresStore(url).close()  # applies the migrations once

        self._free: list[str] = []  # migrated databases emptied after a test, to reuse

    def fresh(self, migrated: bool = True) -> str:
        if migrated and self._free:
            return self._free.pop()
        name = f"{self._prefix}_{next(self._names)}"
        return _create_database(self.admin_url, self.template if migrated else "template0", name)

    def drop_all(self) -> None:
        """Drop the databases this session created (on a server the tests did not start)."""
        import psycopg

        with psycopg.connect(self.admin_url, autocommit=True) as conn:
            names = [r[0] for r in conn.execute(
                "SELECT datname FROM pg_database WHERE datname LIKE %s",
                (self._prefix + "%",))]
            for name in names:
                with contextlib.suppress(psycopg.Error):
                    conn.execute(f'DROP DATABASE "{name}" WITH (FORCE)')

    def recycle(self, url: str) -> None:
        """Empty a test's database for the next test (cheaper than CREATE DATABASE).

        A database whose tables changed (restore tests) or that a leftover
        transaction still locks is simply not reused.
        """
        import psycopg

        try:
            with psycopg.connect(url, autocommit=True) as conn:
                conn.execute("SET lock_timeout = '2s'")
                tables = [r[0] for r in conn.execute(
                    "SELECT tablename FROM pg_tables WHERE schemaname = 'public'"
                    " ORDER BY tablename")]
                if tables != self._template_tables():
                    return
                names = ", ".join(f'"{t}"' for t in tables if t != "schema_migrations")
                conn.execute(f"TRUNCATE {names} RESTART IDENTITY CASCADE")
        except psycopg.Error:
            return
        self._free.append(url)

    def _template_tables(self) -> list[str]:
        if not hasattr(self, "_tables"):
            import psycopg

            url = urlunsplit(urlsplit(self.admin_url)._replace(path="/" + self.template))
            with psycopg.connect(url) as conn:
                self._tables = [r[0] for r in conn.execute(
                    "SELECT tablename FROM pg_tables WHERE schemaname = 'public'"
                    " ORDER BY tablename")]
        return self._tables


@pytest.fixture(scope="session")
def pg_server() -> Iterator[_Server]:
    external = os.environ.get("CORRIDOR_TEST_PG_URL")
    if external:
        shared = _Server(external)
        yield shared
        shared.drop_all()
        return
    bindir = find_pg_bindir()
    if bindir is None:
        pytest.skip(SKIP_REASON)
    try:
        import psycopg  # noqa: F401
    except ImportError:
        pytest.skip("PostgreSQL tests skipped: psycopg is not installed "
                    "(pip install 'corridor[postgres]')")
    if os.geteuid() == 0:
        import pwd

        try:
            pwd.getpwnam("postgres")
        except KeyError:
            pytest.skip("PostgreSQL tests skipped: running as root and there is no 'postgres' "
                        "OS user to run the server as (initdb refuses root)")
    server = LocalPostgres(bindir).start()
    try:
        yield _Server(server.url())
    finally:
        server.stop()


@pytest.fixture
def pg_url(pg_server: _Server) -> Iterator[str]:
    url = pg_server.fresh()
    yield url
    pg_server.recycle(url)


@pytest.fixture
def pg_empty_url(pg_server: _Server) -> str:
    return pg_server.fresh(migrated=False)


@pytest.fixture(params=["sqlite", "postgres"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A fresh pool on each backend: a SQLite file path or a postgresql:// URL."""
    if request.param == "sqlite":
        return str(tmp_path / "pool.db")
    return str(request.getfixturevalue("pg_url"))
