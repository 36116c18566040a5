"""Choosing pledges by party, sector, project and status (``corridor.pledges.select``)."""

from __future__ import annotations

from pathlib import Path

import pytest

from corridor.errors import ConfigError, NotFound
from corridor.pledges import Pledge
from corridor.pledges.select import PledgeFilters, find_pledge, pledge_filters, select_pledges
from corridor.store.sqlite import SQLiteStore


def _pledge(id: str, parties: list[str], sectors: list[str], projects: list[str],
            status: str, key_entities: list[str] | None = None) -> Pledge:
    return Pledge(id=id, canonical=f"pledge {id}", parties=parties, party_names=parties,
                  projects=projects, sectors=sectors, first_seen=None, last_seen=None,
                  status=status, key_entities=key_entities or [])


PLEDGES = [
    _pledge("p1", ["PK", "CN"], ["energy"], ["ml1"], "pledged"),
    _pledge("p2", ["CN"], ["trade"], [], "done", key_entities=["ml1"]),
    _pledge("p3", ["PK"], ["energy", "trade"], [], "progress"),
]


def _ids(pledges: list[Pledge]) -> list[str]:
    return [p.id for p in pledges]


def test_each_filter_and_their_conjunction() -> None:
    assert _ids(select_pledges(PLEDGES, PledgeFilters(), 10)) == ["p1", "p2", "p3"]
    assert _ids(select_pledges(PLEDGES, PledgeFilters(party="PK"), 10)) == ["p1", "p3"]
    assert _ids(select_pledges(PLEDGES, PledgeFilters(sector="trade"), 10)) == ["p2", "p3"]
    # a project matches the pledge's projects or the entities anchoring its signals
    assert _ids(select_pledges(PLEDGES, PledgeFilters(project="ml1"), 10)) == ["p1", "p2"]
    assert _ids(select_pledges(PLEDGES, PledgeFilters(status="done"), 10)) == ["p2"]
    assert _ids(select_pledges(PLEDGES, PledgeFilters("PK", "energy", None, "progress"),
                               10)) == ["p3"]


def test_the_limit_counts_kept_pledges() -> None:
    assert _ids(select_pledges(PLEDGES, PledgeFilters(sector="trade"), 1)) == ["p2"]


def test_find_pledge() -> None:
    assert find_pledge(PLEDGES, " p2 ").id == "p2"
    with pytest.raises(NotFound, match="no pledge 'p9'"):
        find_pledge(PLEDGES, "p9")


def test_filters_resolve_names_and_refuse_unknown_values(tmp_path: Path) -> None:
    store = SQLiteStore(str(tmp_path / "pool.db"))
    try:
        assert pledge_filters(store, "Nowhere Land", "energy", "Unknown Dam", "done") == \
            PledgeFilters("nowhere land", "energy", "Unknown Dam", "done")
        with pytest.raises(ConfigError, match="status must be one of"):
            pledge_filters(store, status="maybe")
        with pytest.raises(ConfigError, match="unknown sector 'weather'"):
            pledge_filters(store, sector="weather")
    finally:
        store.close()
