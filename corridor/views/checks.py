"""Claim checks as answers: a verdict with its cited sentences, stored checks, their runs."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, Field

from ..store.base import CheckRun, ClaimLink
from .documents import cite_href
from .facts import langs_of
from .params import upper_opt

if TYPE_CHECKING:
    from ..check.verdict import Verdict
    from ..service import Corridor

__all__ = [
    "CheckList",
    "CheckOut",
    "CheckPage",
    "CheckSummary",
    "CitedOut",
    "RunOut",
    "check_list",
    "check_out",
    "check_page",
    "check_summary",
    "cited",
    "run_out",
]


class CitedOut(BaseModel):
    """A cited sentence: where it is (document, offsets) and what it does for the claim."""

    doc_id: str
    start: int
    end: int
    sentence: str
    stance: str
    probability: float
    title: str | None = None
    source: str | None = None
    published: str | None = None
    url: str | None = None
    attribution: str = ""
    lang: str | None = None
    #: this server's document page, highlighted at the sentence
    href: str


def cited(corridor: Corridor, evidence: Iterable[Mapping[str, Any]], base: str = ""
          ) -> list[CitedOut]:
    """Evidence (as stored: one mapping per cited sentence), with languages and links."""
    rows = list(evidence)
    langs = langs_of(corridor, (str(c["doc_id"]) for c in rows))
    return [CitedOut(**{k: v for k, v in c.items() if k in CitedOut.model_fields},
                     lang=langs.get(str(c["doc_id"])),
                     href=cite_href(base, str(c["doc_id"]), int(c["start"]), int(c["end"])))
            for c in rows]


class CheckOut(BaseModel):
    claim: str
    verdict: str
    confidence: float
    reason: str
    evidence: list[CitedOut]
    findings: list[dict[str, str | None]] = Field(default_factory=list)
    judge: str = ""
    check_id: int | None = None
    matches: list[dict[str, Any]] = Field(default_factory=list)
    #: the stored check's page and ClaimReview (when saved)
    check_url: str | None = None
    claimreview_url: str | None = None


def check_out(corridor: Corridor, verdict: Verdict, base: str = "") -> CheckOut:
    """A verdict just reached (``corridor`` gives the cited documents' languages)."""
    evidence = cited(corridor, (vars(c) for c in verdict.evidence), base)
    saved = verdict.check_id is not None
    return CheckOut(
        claim=verdict.claim, verdict=verdict.verdict, confidence=verdict.confidence,
        reason=verdict.reason, evidence=evidence, findings=verdict.findings,
        judge=verdict.judge, check_id=verdict.check_id, matches=verdict.matches,
        check_url=f"{base}/checks/{verdict.check_id}" if saved else None,
        claimreview_url=f"{base}/api/checks/{verdict.check_id}/claimreview" if saved else None)


class CheckSummary(BaseModel):
    id: int
    claim: str
    verdict: str
    confidence: float
    reason: str
    created_at: str
    updated_at: str
    runs: int


def check_summary(check: Any) -> CheckSummary:
    """A stored check (``StoredCheck``), without its evidence."""
    return CheckSummary(id=check.id, claim=check.claim, verdict=check.verdict,
                        confidence=check.confidence, reason=check.reason,
                        created_at=check.created_at, updated_at=check.updated_at,
                        runs=check.runs)


class CheckList(BaseModel):
    verdict: str | None = None
    limit: int
    checks: list[CheckSummary]


def check_list(corridor: Corridor, verdict: str | None = None, limit: int = 50) -> CheckList:
    """Stored checks, most recently run first; ``verdict``: only those with it."""
    chosen = upper_opt(verdict)
    return CheckList(verdict=chosen, limit=limit,
                     checks=[check_summary(c) for c in corridor.checks(limit, chosen)])


class RunOut(BaseModel):
    id: int
    verdict: str
    confidence: float
    reason: str
    judge: str
    documents: int
    checked_at: str


def run_out(run: CheckRun) -> RunOut:
    return RunOut(id=run.id, verdict=run.verdict, confidence=run.confidence, reason=run.reason,
                  judge=run.judge, documents=run.documents, checked_at=run.checked_at)


class CheckPage(BaseModel):
    check: CheckSummary
    evidence: list[CitedOut]
    findings: list[dict[str, str | None]] = Field(default_factory=list)
    #: every run, oldest first (the pool grows; verdicts may move)
    history: list[RunOut]
    #: earlier checks this claim matched (same claim reworded, or suggested)
    links: list[ClaimLink] = Field(default_factory=list)
    claimreview_url: str


def check_page(corridor: Corridor, check_id: int, base: str = "") -> CheckPage:
    """A stored check: its latest verdict with cited sentences, every run, its links."""
    stored = corridor.stored_check(check_id)
    result = stored.result or {}
    return CheckPage(
        check=check_summary(stored), evidence=cited(corridor, result.get("evidence", []), base),
        findings=result.get("findings", []),
        history=[run_out(r) for r in corridor.check_history(check_id)],
        links=stored.links, claimreview_url=f"{base}/api/checks/{check_id}/claimreview")
