"""``store``: a fresh pool on each backend (SQLite file, PostgreSQL database).

The PostgreSQL server comes from tests/pg.py (started once per session from
the Debian packages; the postgres runs skip with a message when there are no
PostgreSQL binaries).
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from corridor.service import open_store
from corridor.store.base import Store


@pytest.fixture
def store(db_url: str) -> Iterator[Store]:
    opened = open_store(db_url)
    try:
        yield opened
    finally:
        opened.close()
