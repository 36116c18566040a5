"""Choosing pledges: the filters of ``corridor pledges`` (and the API), checked and applied."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from ..errors import ConfigError, NotFound
from ..store.base import FactStore
from .model import STATUSES, Pledge

__all__ = ["PledgeFilters", "find_pledge", "pledge_filters", "select_pledges"]


@dataclass(frozen=True)
class PledgeFilters:
    """What a pledge must have to be kept (None: anything)."""

    party: str | None = None  # an entity id (or a lower-cased name no entity has)
    sector: str | None = None  # a sector id
    project: str | None = None  # an entity id (or a name no entity has)
    status: str | None = None  # one of STATUSES

    def keeps(self, p: Pledge) -> bool:
        if self.party and self.party not in p.parties:
            return False
        if self.sector and self.sector not in p.sectors:
            return False
        if self.project and self.project not in p.projects \
                and self.project not in p.key_entities:
            return False
        return not (self.status and p.status != self.status)


def pledge_filters(
    store: FactStore, party: str | None = None, sector: str | None = None,
    project: str | None = None, status: str | None = None,
) -> PledgeFilters:
    """The filters for ``party`` (a country or named body: id, name or alias),
    ``sector`` (a sector id), ``project`` (id, name or alias) and ``status``;
    ConfigError for an unknown status or sector."""
    if status is not None and status not in STATUSES:
        raise ConfigError(f"status must be one of {', '.join(STATUSES)}")
    if sector is not None:
        from ..domain import load_pack

        if sector not in load_pack().sectors:
            raise ConfigError(f"unknown sector {sector!r} (one of "
                              f"{', '.join(load_pack().sectors)})")
    party_id = project_id = None
    if party:
        found = store.find_entity(party)
        party_id = found.id if found else party.lower()
    if project:
        found = store.find_entity(project)
        project_id = found.id if found else project
    return PledgeFilters(party_id, sector, project_id, status)


def select_pledges(pledges: Iterable[Pledge], filters: PledgeFilters, limit: int) -> list[Pledge]:
    """The first ``limit`` pledges (in their order) that ``filters`` keeps."""
    out = []
    for p in pledges:
        if filters.keeps(p):
            out.append(p)
            if len(out) >= limit:
                break
    return out


def find_pledge(pledges: Iterable[Pledge], pledge_id: str) -> Pledge:
    """The pledge with this id (NotFound when none has it)."""
    for p in pledges:
        if p.id == pledge_id.strip():
            return p
    raise NotFound(f"no pledge {pledge_id!r} (try `corridor pledges`)")
