"""An ingest's answer: the counts of its report and, from the API, each input's outcome."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ConfigDict, Field

if TYPE_CHECKING:
    from ..service import IngestReport

__all__ = ["IngestItem", "IngestOut", "IngestReportOut", "ingest_report"]


class IngestReportOut(BaseModel):
    """What an ingest did, in counts (``corridor ingest --json`` prints this)."""

    model_config = ConfigDict(extra="allow")

    inputs: int = 0
    #: documents whose facts were extracted
    extracted: int = 0
    stored: int = 0
    #: linked to a stored document, by kind (exact, near)
    duplicates: dict[str, int] = Field(default_factory=dict)
    #: already ingested, as they are
    unchanged: int = 0
    #: left out on purpose, by reason
    dropped: dict[str, int] = Field(default_factory=dict)
    #: could not be processed, by error code (see the quarantine)
    quarantined: dict[str, int] = Field(default_factory=dict)
    seconds: float = 0.0


def ingest_report(report: IngestReport | dict[str, Any]) -> IngestReportOut:
    """The service's report (or its ``to_dict()``, as an ingest worker sends it)."""
    return IngestReportOut(**(report if isinstance(report, dict) else report.to_dict()))


class IngestItem(BaseModel):
    outcome: str  # stored | duplicate | unchanged | dropped | quarantined
    source_key: str
    detail: str


class IngestOut(BaseModel):
    report: IngestReportOut
    #: one line per input, in order (at most 1000)
    items: list[IngestItem]
