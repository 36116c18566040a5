"""``Corridor``: the one API that the CLI and the HTTP layer call."""

from __future__ import annotations

import hashlib
import re
import secrets
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date as _date
from typing import TYPE_CHECKING, Any

from .errors import ConfigError, NotFound
from .ingest.run import IngestReport, ProgressCallback
from .settings import Settings
from .store.base import (
    ApiToken,
    CheckRun,
    CommitmentFilters,
    CommitmentRecord,
    EntityRecord,
    EventFilters,
    EventRecord,
    MentionRecord,
    QuarantineRecord,
    RoleStamp,
    SearchFilters,
    SearchHit,
    SentenceHit,
    SentenceMention,
    Store,
    StoredCheck,
    StoredDocument,
)

if TYPE_CHECKING:
    import logging

    from .check.verdict import Verdict
    from .document import Document, Failure
    from .pledges import Pledge, PledgeTracker
    from .report.timeline import Timeline


def _log() -> logging.Logger:
    """The ``corridor`` logger; ``logging`` is imported when something is logged (a
    command that only reads, such as `corridor search`, never needs it)."""
    import logging

    return logging.getLogger("corridor")


__all__ = [
    "Corridor",
    "EntityProfile",
    "IngestReport",
    "ProgressCallback",
    "open_store",
]


def open_store(db: str, *, create: bool = True) -> Store:
    """Open the store a ``--db`` value names: a SQLite file path (or ``sqlite:///path``)
    by default, a PostgreSQL database for ``postgresql://user@host:port/dbname``.

    ``create`` off: a SQLite file that does not exist raises StoreError instead
    of becoming a new, empty pool (the CLI's read commands; only ``ingest``,
    ``restore``, ``token create`` and ``migrate``'s target create a pool).
    """
    if db.startswith(("postgresql://", "postgres://")):
        try:
            from .store.postgres import PostgresStore
        except ImportError as exc:
            raise ConfigError(
                f"the PostgreSQL backend needs psycopg ({exc}); "
                "install it with: pip install 'corridor[postgres]'") from exc
        return PostgresStore(db)
    path = db.removeprefix("sqlite:///")
    from .store.sqlite import SQLiteStore

    return SQLiteStore(path, create=create)


class Corridor:
    """A knowledge pool: ingest, search, read. One instance per database."""

    def __init__(self, db: str | None = None, settings: Settings | None = None,
                 store: Store | None = None, *, create: bool = True) -> None:
        self.settings = settings or Settings.from_env()
        if db is not None:
            self.settings.db = db
        self.store = store or open_store(self.settings.db, create=create)

    def __enter__(self) -> Corridor:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.store.close()

    # -- ingest -----------------------------------------------------------
    def ingest(
        self, targets: Sequence[str], progress: ProgressCallback | None = None,
        extract: bool = True, *, items: Iterable[Document | Failure] | None = None,
        catch_up: bool = True,
    ) -> IngestReport:
        """Ingest files, folders, URLs and feeds. Idempotent and crash-safe.

        ``items`` (raw Documents already built, see :meth:`ingest_articles`)
        replaces reading ``targets``, which then only label the run.

        With ``extract``, the new documents are extracted and embedded; with
        ``catch_up`` too, so is whatever an interrupted earlier run (or an
        older extractor) left undone, which can be the whole pool. Callers
        that must answer quickly (the HTTP API) pass ``catch_up=False``.

        Writes are committed in small batches; a crash loses at most the
        current batch, which the next run redoes (inputs already stored are
        recognised by source key and payload hash and skipped).
        """
        from .engine.local import LocalEngine

        return LocalEngine().ingest(self, targets, progress, extract=extract, items=items,
                                    catch_up=catch_up)

    def ingest_distributed(
        self, targets: Sequence[str], progress: ProgressCallback | None = None,
        extract: bool = True, *, scheduler: str | None = None, workers: int | None = None,
        items: Iterable[Document | Failure] | None = None,
    ) -> IngestReport:
        """:meth:`ingest` with the CPU-heavy stages (clean, extract, embed) on Dask.

        ``scheduler``: a Dask scheduler address (``tcp://host:8786``); without
        it a local cluster of ``workers`` processes (default: one per CPU) is
        started for this run. This process stays the only writer and
        deduplicates in input order, so the outcome and the stored records are
        those of :meth:`ingest` (see ``corridor.engine.dask_engine``).
        """
        from .engine.dask_engine import DaskEngine

        return DaskEngine(scheduler, workers).ingest(self, targets, progress, extract=extract,
                                                     items=items)

    # -- extraction -------------------------------------------------------
    def extraction_todo(self, everything: bool = False) -> list[str]:
        """Documents whose facts are missing or from an older extractor."""
        from .extract.run import extraction_todo

        return extraction_todo(self.store, everything)

    def extract(
        self, doc_ids: Sequence[str] | None = None, *, everything: bool = False,
        progress: Callable[[str], None] | None = None,
    ) -> int:
        """(Re-)extract facts for ``doc_ids`` (default: what needs it). Idempotent.

        Each document's facts are replaced in one transaction, so an
        interrupted run leaves every document either fully old or fully new.
        """
        from .extract.run import extract_documents

        ids = list(doc_ids) if doc_ids is not None else self.extraction_todo(everything)
        return extract_documents(self.store, ids, progress)

    def entities(
        self, type: str | None = None, query: str | None = None, limit: int = 100
    ) -> list[EntityRecord]:
        return self.store.list_entities(type, query, limit)

    def entity(self, name: str, mentions: int = 50) -> EntityProfile:
        """An entity by id, name or alias: aliases, roles over time, cited mentions."""
        found = self.store.find_entity(name)
        if found is None:
            raise NotFound(f"no entity named {name!r} (try `corridor entities`)")
        return EntityProfile(found, self.store.entity_roles(found.id),
                             self.store.entity_mentions(found.id, mentions))

    def events(
        self, *, since: str | None = None, until: str | None = None, type: str | None = None,
        entity: str | None = None, place: str | None = None, doc_id: str | None = None,
        limit: int = 100,
    ) -> list[EventRecord]:
        """Events, newest first. ``place``: an entity name or alias (a place not
        in the pool matches events whose place is stored as that text)."""
        entity_id = None
        if entity:
            found = self.store.find_entity(entity)
            if found is None:
                raise NotFound(f"no entity named {entity!r}")
            entity_id = found.id
        place_id = None
        if place and place.strip():
            at = self.store.find_entity(place.strip())
            place_id = at.id if at is not None else place.strip()
        filters = EventFilters(_as_date(since, "since"), _as_date(until, "until"), type,
                               entity_id, place_id, doc_id)
        return self.store.list_events(filters, limit)

    def document_mentions(self, doc_id: str) -> list[SentenceMention]:
        """Every entity mention in a stored document, by offset (NotFound if absent)."""
        self.store.get_document(doc_id)
        return self.store.document_mentions(doc_id)

    def commitments(
        self, *, party: str | None = None, sector: str | None = None,
        project: str | None = None, doc_id: str | None = None, limit: int = 100,
    ) -> list[CommitmentRecord]:
        project_id = None
        if project:
            found = self.store.find_entity(project)
            project_id = found.id if found else project
        party_id = party
        if party and party.lower() not in ("both",):
            found = self.store.find_entity(party)
            party_id = found.id if found else party.lower()
        return self.store.list_commitments(
            CommitmentFilters(party_id, sector, project_id, doc_id), limit)

    def export_events_plover(self, **filters: Any) -> list[dict[str, Any]]:
        """Events as PLOVER-like records (one JSON object per event)."""
        return [plover_record(ev) for ev in self.events(**filters)]

    # -- semantic search and checks ---------------------------------------
    def embed_sentences(self, doc_ids: Sequence[str] | None = None, batch: int = 512) -> int:
        """Embed stored sentences that have no vector yet (all, or those of ``doc_ids``).

        Vectors are keyed by the hash of the sentence text, so re-extraction
        and sentences repeated across articles cost nothing. Returns how many
        new texts were embedded.
        """
        from .extract.run import embed_sentences

        return embed_sentences(self.store, doc_ids, batch)

    def embed_commitment_actions(self, doc_ids: Sequence[str] | None = None) -> int:
        """Store vectors of commitment actions that have none (all, or those of
        ``doc_ids``); pledges cluster on them. Returns how many were embedded."""
        from .pledges import embed_actions

        return embed_actions(self.store, doc_ids)

    # -- pledges, timelines and reports (issue 4) --------------------------
    def pledges(
        self, party: str | None = None, sector: str | None = None, project: str | None = None,
        status: str | None = None, limit: int = 200,
    ) -> list[Pledge]:
        """Commitments clustered across articles into pledges, most stated first.

        ``party``: a country or named body (id, name or alias); ``project``: a
        project (id, name or alias); ``sector``: a sector id; ``status``:
        pledged / reiterated / progress / done / contradicted.
        """
        from .pledges.select import pledge_filters, select_pledges

        if limit < 1:
            raise ConfigError("limit must be >= 1")
        filters = pledge_filters(self.store, party, sector, project, status)
        return select_pledges(self._pledge_tracker().all(), filters, limit)

    def pledge(self, pledge_id: str) -> Pledge:
        """One pledge with its whole history (mentions and signals, oldest first)."""
        from .pledges.select import find_pledge

        return find_pledge(self._pledge_tracker().all(), pledge_id)

    def _pledge_tracker(self) -> PledgeTracker:
        from .pledges import PledgeTracker

        tracker = getattr(self, "_pledges_cache", None)
        if tracker is None or tracker.store is not self.store:
            tracker = PledgeTracker(self.store)
            self._pledges_cache = tracker
        return tracker

    def timeline(
        self, entity: str | None = None, sector: str | None = None,
        event_type: str | None = None, since: str | None = None, until: str | None = None,
        by: str = "type",
    ) -> Timeline:
        """Events per month, as series by event ``type`` or by ``sector``."""
        from .report.timeline import build_timeline

        return build_timeline(self.store, entity=entity, sector=sector, event_type=event_type,
                              since=_as_date(since, "since"), until=_as_date(until, "until"),
                              by=by)

    def report(
        self, entity: str | None = None, sector: str | None = None, project: str | None = None,
    ) -> str:
        """A self-contained HTML report: timeline plot, top entities, pledges,
        recent events with citations and checked claims."""
        from .report.html import render_report

        return render_report(self.store, self._pledge_tracker(), entity=entity, sector=sector,
                             project=project)

    def search_sentences(
        self, query: str, *, mode: str = "hybrid", since: str | None = None,
        until: str | None = None, source: str | None = None, lang: str | None = None,
        limit: int = 20,
    ) -> list[SentenceHit]:
        """Sentences (with their document) for ``query``: keyword, semantic or hybrid."""
        from .search import search_sentences

        if limit < 1:
            raise ConfigError("limit must be >= 1")
        filters = SearchFilters(_as_date(since, "since"), _as_date(until, "until"), source, lang)
        return search_sentences(self.store, query, mode, filters, limit)

    def check(self, claim: str, *, save: bool = True, since: str | None = None,
              until: str | None = None, source: str | None = None) -> Verdict:
        """Check ``claim`` against the record: a verdict with cited evidence.

        A claim already checked (same wording, or an automatic match: the
        same claim reworded, agreeing on every detail) is recorded as a new
        run of that check, so its history shows how the verdict moved as the
        pool grew; a close but different claim is linked as a suggestion.
        """
        from .check.checker import Checker
        from .check.record import record_check

        claim = " ".join(claim.split())
        if not claim or len(claim) > 2000:
            raise ConfigError("a claim must be 1-2000 characters")
        checker = Checker(self.store)
        filters = SearchFilters(_as_date(since, "since"), _as_date(until, "until"), source)
        verdict = checker.check(claim, filters)
        if not save:
            return verdict
        record_check(self.store, claim, verdict, checker.embedder)
        return verdict

    def checks(self, limit: int = 50, verdict: str | None = None) -> list[StoredCheck]:
        """Stored checks, most recently run first."""
        return self.store.list_checks(limit, verdict)

    def stored_check(self, check_id: int) -> StoredCheck:
        return self.store.get_check(check_id)

    def check_history(self, check_id: int) -> list[CheckRun]:
        """Every run of a check, oldest first."""
        self.store.get_check(check_id)
        return self.store.check_runs(check_id)

    def claimreview(self, check_id: int) -> dict[str, Any]:
        """The schema.org ClaimReview JSON-LD of a stored check (its latest run)."""
        from .check.claimreview import claimreview
        from .check.verdict import Verdict as _Verdict

        stored = self.store.get_check(check_id)
        verdict = _Verdict.from_dict(stored.result)
        verdict.check_id = stored.id
        verdict.claim = stored.claim
        return claimreview(verdict, date_published=stored.updated_at[:10])

    # -- read -------------------------------------------------------------
    def search(
        self, query: str, *, since: str | None = None, until: str | None = None,
        source: str | None = None, lang: str | None = None, limit: int = 20, offset: int = 0,
        any_language: bool = False,
    ) -> list[SearchHit]:
        """Keyword search over documents.

        ``any_language``: entity names in the query are also searched under
        their lexicon aliases in English, Urdu and Chinese ("CPEC" finds
        سی پیک and 中巴经济走廊); results of every language are interleaved by
        rank, one per document, each labelled with its language.
        """
        if limit < 1 or offset < 0:
            raise ConfigError("limit must be >= 1 and offset >= 0")
        filters = SearchFilters(_as_date(since, "since"), _as_date(until, "until"), source, lang)
        if not any_language:
            return self.store.search(query, filters, limit=limit, offset=offset)
        from .xlang import any_language_query

        runs = [self.store.search(q, filters, limit=limit + offset)
                for q in any_language_query(query)]
        merged: list[SearchHit] = []
        seen: set[str] = set()
        for rank in range(limit + offset):
            for hits in runs:
                if rank < len(hits) and hits[rank].doc_id not in seen:
                    seen.add(hits[rank].doc_id)
                    merged.append(hits[rank])
        return merged[offset:offset + limit]

    def document(self, doc_id: str) -> StoredDocument:
        return self.store.get_document(doc_id)

    def stats(self) -> dict[str, Any]:
        return self.store.stats()

    def quarantine(self, limit: int = 100) -> list[QuarantineRecord]:
        return self.store.quarantined(limit)

    @staticmethod
    def warm_up(*, ingest: bool = True, check: bool = True) -> None:
        """Load the parsers and models that the first ingest or check would wait for.

        `corridor serve` runs this in the background once it listens, so that
        the first client does not wait seconds for spaCy and the embedding
        model (both needed by ingests and checks), the claim judge (``check``)
        or trafilatura and dateparser (``ingest``) to load. Its ingest worker
        process warms what an ingest needs.
        """
        from .extract._nlp import get_nlp

        if ingest:
            from .ingest import clean  # noqa: F401 - imports trafilatura
            from .ingest.meta import parse_date

            parse_date("4 March 2025")
        get_nlp().nlp("Warm-up sentence in Islamabad.")
        from .embed import get_embedder

        try:
            get_embedder().embed(["warm-up"])
        except ConfigError as exc:  # no embedding model: semantic search is off anyway
            _log().warning("embedding model not loaded: %s", exc)
        if check:
            from .check.judge import load_judge

            try:
                load_judge().model.probabilities([("Warm-up claim.", "Warm-up sentence.")])
            except ConfigError as exc:  # checks will say so themselves
                _log().warning("claim judge not loaded: %s", exc)

    def backup(self, dest: str) -> None:
        """Write a consistent copy of the pool to ``dest`` (the pool stays in use)."""
        self.store.backup(dest)

    def restore(self, src: str, *, keep_current: str | None = None,
                also_revoked: Sequence[str] = ()) -> list[ApiToken]:
        """Replace the pool with the backup at ``src`` after checking it.

        ``keep_current`` first backs up what is stored now, so a restore of the
        wrong file can itself be undone.

        A restore never re-opens access that was closed after the backup: every
        API token that the pool revoked before the restore (matched by the hash
        of its secret), and any in ``also_revoked`` (hashes salvaged from a
        damaged pool set aside), is revoked again in the restored pool, in one
        transaction right after the restore. Returns the tokens so revoked
        again (see docs/choices.md, "Restore keeps revocations").
        """
        revoked = [*self.store.revoked_token_hashes(), *also_revoked]
        if keep_current:
            self.store.backup(keep_current)
        self.store.restore(src)
        return self._reapply_revocations(revoked)

    def _reapply_revocations(self, revoked: Sequence[str]) -> list[ApiToken]:
        again: list[ApiToken] = []
        with self.store.transaction():
            for digest in revoked:
                token = self.store.token_by_hash(digest)
                if token is not None and token.revoked_at is None:
                    again.append(self.store.revoke_token(token.id))
        if again:
            _log().warning("restore: revoked again %d API token(s) the backup still had "
                         "active: %s", len(again), ", ".join(t.name for t in again))
        return again

    def check_integrity(self) -> list[str]:
        return self.store.check_integrity()

    def copy_to(self, db: str) -> dict[str, int]:
        """Copy the whole pool into the empty pool ``db`` (another backend or file):
        documents, sources, quarantine, LSH bands, extracted facts, vectors,
        checks, runs and tokens, ids included. One transaction on the target;
        rows copied per table."""
        from .store.copy import copy_pool

        target = open_store(db)
        try:
            return copy_pool(self.store, target)
        finally:
            target.close()

    # -- API tokens (and what the HTTP service needs) ----------------------
    def create_token(self, name: str) -> tuple[ApiToken, str]:
        """A new API token and its secret. The secret is shown once: only its hash is kept."""
        name = name.strip()
        if not name or len(name) > 64 or not name.isprintable():
            raise ConfigError("a token name must be 1-64 printable characters")
        secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
        with self.store.transaction():
            token = self.store.add_token(name, _token_hash(secret))
        return token, secret

    def revoke_token(self, token: str | int) -> ApiToken:
        """Revoke a token by id or by the name of an active token (idempotent by id)."""
        if isinstance(token, int) or token.isdigit():
            token_id = int(token)
        else:
            active = [t for t in self.store.list_tokens()
                      if t.name == token and t.revoked_at is None]
            if not active:
                raise NotFound(f"no active API token named {token!r}")
            token_id = active[0].id
        with self.store.transaction():
            return self.store.revoke_token(token_id)

    def list_tokens(self) -> list[ApiToken]:
        return self.store.list_tokens()

    def verify_token(self, secret: str, *, touch: bool = True) -> ApiToken | None:
        """The active token with this secret, or None; ``touch`` records the use."""
        if not secret or len(secret) > 256:
            return None
        digest = _token_hash(secret)
        token = self.store.token_by_hash(digest)
        if token is None or token.revoked_at is not None:
            return None
        if touch:
            self.store.touch_token(token.id)
        return token

    def recent_documents(self, limit: int = 50, since: str | None = None) -> list[StoredDocument]:
        """Newest ingested first (for the Atom feed); ``since``: ISO date or timestamp."""
        if not 1 <= limit <= 1000:
            raise ConfigError("limit must be between 1 and 1000")
        return self.store.recent_documents(limit, _as_timestamp(since))

    def highlights(self, doc_id: str, query: str) -> list[tuple[int, int]]:
        """``[start, end)`` ranges in ``document(doc_id).text`` that ``query`` matches."""
        return self.store.highlight_document(doc_id, query) if query.strip() else []

    def ingest_articles(
        self, articles: Sequence[Mapping[str, Any]], progress: ProgressCallback | None = None,
        label: str = "api", extract: bool = True,
    ) -> IngestReport:
        """Ingest articles given as objects (the JSONL fields: ``url``, ``title``,
        ``date``, ``text`` or ``html``, ``source``, ``lang``). Same outcomes and
        idempotence as :meth:`ingest`: an article without ``url`` is keyed by a
        hash of its fields, so posting it twice stores it once.
        """
        from .ingest.run import article_item

        items = [article_item(a) for a in articles]
        return self.ingest([f"{label}: {len(items)} article(s)"], progress, extract, items=items,
                           catch_up=False)


#: prefix of API token secrets (recognisable in logs and secret scanners)
TOKEN_PREFIX = "crt_"


def _token_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def _as_timestamp(value: str | None) -> str | None:
    """An ISO date or timestamp as a UTC ``YYYY-MM-DDTHH:MM:SS+00:00`` string."""
    if value is None or not value.strip():
        return None
    from datetime import UTC, datetime

    try:
        parsed = datetime.fromisoformat(value.strip())
    except ValueError as exc:
        raise ConfigError(f"since: cannot read {value!r} as an ISO date or timestamp") from exc
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC).isoformat(timespec="seconds")


@dataclass
class EntityProfile:
    entity: EntityRecord
    roles: list[RoleStamp]
    mentions: list[MentionRecord]


def plover_record(ev: EventRecord) -> dict[str, Any]:
    """A PLOVER-style event record with Corridor's type and a full citation."""
    cite = ev.citation
    return {
        "id": f"{cite.doc_id}-{ev.id}",
        "event_type": ev.plover,
        "corridor_type": ev.type,
        "event_date": ev.date,
        "event_date_inferred": ev.date_inferred,
        "date_basis": ev.date_basis,
        "date_phrase": ev.date_phrase,
        "actors": [{"entity_id": i, "name": n} for i, n in zip(ev.participants,
                                                                 ev.participant_names,
                                                                 strict=True)],
        "source_actor": ev.participant_names[0] if ev.participant_names else None,
        "target_actor": ev.participant_names[1] if len(ev.participant_names) > 1 else None,
        "parties": list(ev.parties),
        "location": ev.place,
        "ordinal": ev.ordinal,
        "text": cite.sentence,
        "support": [{"start": a, "end": b} for a, b in ev.support],
        "citation": {"doc_id": cite.doc_id, "start": cite.start, "end": cite.end,
                     "source": cite.source, "published": cite.published, "url": cite.url,
                     "title": cite.title},
    }


#: a value that starts like an ISO date must be one (with an optional valid time)
_ISO_LIKE = re.compile(r"\s*\d{4}-\d{2}-\d{2}")


def _as_date(value: str | None, name: str) -> str | None:
    if value is None:
        return None
    try:  # a filter bound may lie in the future; parse_date refuses those
        return _date.fromisoformat(value.strip()).isoformat()
    except ValueError:
        pass
    if _ISO_LIKE.match(value):
        # "2024-01-01T25:99": the free-form reader below would keep the day and
        # drop an impossible time; an ISO-looking bound must be valid ISO
        from datetime import datetime

        try:
            return datetime.fromisoformat(value.strip()).date().isoformat()
        except ValueError as exc:
            raise ConfigError(f"--{name}: {value!r} is not a valid ISO date or timestamp "
                              "(YYYY-MM-DD or YYYY-MM-DDTHH:MM)") from exc
    from .ingest.meta import parse_date  # dateparser: only for a free-form date

    parsed = parse_date(value)
    if parsed is None:
        raise ConfigError(f"--{name}: cannot read {value!r} as a date (try YYYY-MM-DD)")
    return parsed
