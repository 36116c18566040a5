"""What both SQL backends share: one way to run a statement, with driver errors mapped.

``SqlStore`` is the base of ``SQLiteStore`` and ``PostgresStore`` and of the
table mixins (``sql_documents``, ``sql_facts``, ``sql_sentences``,
``sql_checks``, ``sql_tokens``) that implement the store's methods once. A
statement is written in the store's one spelling (``dialect.py``) and run by
:meth:`SqlStore.execute` and friends; every driver error, on a read path as on
a write, leaves as a ``StoreError`` (:meth:`SqlStore._store_error`, which each
backend spells: SQLite's busy and damaged-file errors, PostgreSQL's lost
connections). Rows index by column name on both backends (``sqlite3.Row``,
psycopg's ``dict_row``).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

from ..errors import StoreError
from .dialect import Dialect
from .roles import Store

__all__ = ["Row", "SqlStore", "now"]

#: a result row: ``sqlite3.Row`` or psycopg's ``dict_row``; both index by column name
Row = Any

_CHUNK = 500  # values per ``any_of`` when a list may be long (SQLite binds at most 32766)


def now() -> str:
    """The time stored in ``*_at`` columns: UTC, ISO 8601, whole seconds."""
    return datetime.now(UTC).isoformat(timespec="seconds")


class SqlStore(Store):
    """Statement helpers; a backend sets ``conn``, ``dialect`` and the error mapping."""

    conn: Any
    dialect: Dialect
    #: the driver's base error class (``sqlite3.Error``, ``psycopg.Error``)
    _driver_error: type[Exception]

    #: how many ``transaction()`` blocks are open (the outermost one commits)
    _depth = 0

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """All writes inside commit together or not at all; nested blocks join the outer."""
        if self._depth:
            self._depth += 1
            try:
                yield
            finally:
                self._depth -= 1
            return
        self._begin()
        self._depth = 1
        try:
            yield
        except BaseException:
            self._depth = 0
            self._rollback()
            raise
        self._depth = 0
        try:
            self.conn.execute("COMMIT")
        except self._driver_error as exc:
            self._rollback()
            raise StoreError(f"commit failed: {exc}") from exc

    def _begin(self) -> None:
        """Start a write transaction (each backend takes its write lock here)."""
        raise NotImplementedError

    def _rollback(self) -> None:
        self.conn.execute("ROLLBACK")

    def _store_error(self, exc: Exception, what: str) -> StoreError:
        """The Corridor error for a driver error raised while doing ``what``."""
        label = f"{what} failed" if what else f"{self.dialect.product} statement failed"
        return StoreError(f"{label}: {exc}")

    # -- running statements ------------------------------------------------
    def _run(self, statement: str, params: Sequence[Any] | None = None, *,
             what: str = "") -> Any:
        """Run ``statement`` as the driver takes it; its cursor."""
        try:
            if params is None:  # psycopg: a statement without parameters is sent verbatim
                return self.conn.execute(statement)
            return self.conn.execute(statement, params)
        except self._driver_error as exc:
            raise self._store_error(exc, what) from exc

    def execute(self, sql: str, params: Sequence[Any] = (), *, what: str = "") -> Any:
        """Run one statement; its cursor (iterate it for the rows, or ``rowcount``)."""
        return self._run(self.dialect.sql(sql), params, what=what)

    def one(self, sql: str, params: Sequence[Any] = (), *, what: str = "") -> Row | None:
        """The first row of ``sql`` (None when there is none)."""
        cur = self.execute(sql, params, what=what)
        try:
            return cur.fetchone()
        except self._driver_error as exc:
            raise self._store_error(exc, what) from exc
        finally:
            cur.close()

    def all(self, sql: str, params: Sequence[Any] = (), *, what: str = "") -> list[Row]:
        """Every row of ``sql``, read before the next statement runs."""
        cur = self.execute(sql, params, what=what)
        try:
            return list(cur.fetchall())
        except self._driver_error as exc:
            raise self._store_error(exc, what) from exc

    def scalar(self, sql: str, params: Sequence[Any] = ()) -> Any:
        """The first column of the first row (None when there is no row)."""
        row = self.one(sql, params)
        return None if row is None else next(iter(dict(row).values()))

    def many(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        """Run ``sql`` once per row of parameters."""
        if not rows:
            return
        statement = self.dialect.sql(sql)
        try:
            self._run_many(statement, rows)
        except self._driver_error as exc:
            raise self._store_error(exc, "") from exc

    def _run_many(self, statement: str, rows: Sequence[Sequence[Any]]) -> None:
        with self.conn.cursor() as cur:
            cur.executemany(statement, rows)

    def chunked_rows(self, sql: str, column: str, values: Sequence[Any],
                     params: Sequence[Any] = ()) -> Iterator[Row]:
        """The rows of ``sql`` (with ``{cond}`` where ``column`` is one of ``values``,
        after ``params``) for the distinct ``values``, a chunk at a time."""
        unique = list(dict.fromkeys(values))
        for i in range(0, len(unique), _CHUNK):
            cond, extra = self.dialect.any_of(column, unique[i:i + _CHUNK])
            yield from self.all(sql.format(cond=cond), [*params, *extra])

    # -- shared pieces of the admin role -------------------------------------
    def _pairs(self, sql: str) -> dict[str, int]:
        """``{k: n}`` of a query selecting ``k`` and ``n``, in its order."""
        return {r["k"]: int(r["n"]) for r in self.all(sql)}

    def _consistency(self, checks: Sequence[tuple[str, str]]) -> list[str]:
        """``"N what"`` for every (what, counting SQL) that counts rows."""
        problems = []
        for what, query in checks:
            n = self.scalar(query)
            if n:
                problems.append(f"{n} {what}")
        return problems
