"""The ``corridor`` command line: thin; every command calls ``corridor.service.Corridor``."""

import json
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from .errors import ConfigError, CorridorError
from .settings import Settings

if TYPE_CHECKING:
    from pydantic import BaseModel
    from rich.console import Console
    from rich.progress import Progress
    from rich.text import Text

    from .service import Corridor, IngestReport

# Start-up (issue 14): importing this module loads typer and nothing heavy, so that
# `corridor --help` is quick. rich, the service (and through it the store), numpy,
# spaCy and the models are imported by the commands that use them; pydantic and
# corridor.views (what --json prints: the HTTP API's own models) only for --json.

app = typer.Typer(
    name="corridor",
    help=(
        "Corridor: a sourced knowledge pool of bilateral-relations news.\n\n"
        "Ingest articles (files, folders, JSONL, URLs, RSS/Atom/JSON feeds) into one "
        "SQLite file (or a PostgreSQL database), then search them with highlighted, cited "
        "snippets. Every command "
        "takes --db (default: $CORRIDOR_DB or ./corridor.db)."
    ),
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
)


class _LazyConsole:
    """A rich ``Console`` made on first use (rich loads only when a command prints)."""

    def __init__(self, *, stderr: bool = False) -> None:
        self._stderr = stderr
        self._console: Console | None = None

    @property
    def console(self) -> "Console":
        if self._console is None:
            from rich.console import Console

            self._console = Console(stderr=self._stderr)
        return self._console

    @property
    def is_terminal(self) -> bool:
        return self.console.is_terminal

    def print(self, *objects: Any, **kwargs: Any) -> None:
        self.console.print(*objects, **kwargs)


out = _LazyConsole()
err = _LazyConsole(stderr=True)


def escape(markup: str) -> str:
    """:func:`rich.markup.escape`, imported when first needed."""
    from rich.markup import escape as rich_escape

    return rich_escape(markup)

DbOption = Annotated[
    str,
    typer.Option("--db", envvar="CORRIDOR_DB",
                 help="Database: SQLite file path, or postgresql://user@host:port/dbname."),
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")]


@contextmanager
def _open(db: str, *, create: bool = False, **settings: Any) -> Iterator["Corridor"]:
    """The pool ``db`` names, for one command; errors end the command with a message.

    Only commands that make a pool pass ``create`` (ingest, restore, token
    create): for the others a SQLite file that does not exist is an error (a
    mistyped ``--db`` must not answer from a new, empty pool).
    """
    import sqlite3

    from .service import Corridor
    from .store.sqlite import corrupted_pool, is_corruption

    try:
        with Corridor(settings=Settings.from_env(db=db, **settings), create=create) as corridor:
            yield corridor
    except CorridorError as exc:
        # each error says its exit status: a missing record 1, anything else wrong 2
        err.print(f"[red]error[/red] {escape(str(exc))}")
        raise typer.Exit(exc.exit_code) from exc
    except sqlite3.DatabaseError as exc:
        # damage found past opening (a page read by this command): the same message
        if not is_corruption(exc):
            raise
        err.print(f"[red]error[/red] {escape(str(corrupted_pool(db, exc)))}")
        raise typer.Exit(2) from exc


def _print_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n")


def _print_model(model: "BaseModel") -> None:
    """``--json``: the model of :mod:`corridor.views` that the HTTP API answers with."""
    _print_json(model.model_dump(mode="json"))


def _progress(what: str, show: bool, detail: bool = False) -> "Progress":
    """A progress bar on stderr for a long command (rich loads only here)."""
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        SpinnerColumn,
        TextColumn,
        TimeElapsedColumn,
    )

    columns = [SpinnerColumn(), TextColumn(f"[bold]{what}[/bold]"), BarColumn(),
               MofNCompleteColumn(), TimeElapsedColumn()]
    if detail:
        columns.append(TextColumn("{task.description}"))
    return Progress(*columns, console=err.console, disable=not show, transient=False)


@app.command()
def ingest(
    targets: Annotated[list[str], typer.Argument(
        help="Files, folders (recursive), .jsonl files, http(s) URLs of pages or feeds.",
        show_default=False)],
    db: DbOption = "corridor.db",
    max_bytes: Annotated[int | None, typer.Option(
        help="Largest input accepted in bytes (larger ones are quarantined).")] = None,
    fetch_links: Annotated[bool, typer.Option(
        "--fetch-links", help="For feeds that carry only summaries, fetch each article page."
    )] = False,
    json_out: JsonOption = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar.")] = False,
    engine: Annotated[str, typer.Option(
        help="local: this process does everything; dask: clean, extract and embed on Dask "
             "workers (needs corridor[dask]), this process deduplicates and writes.")
    ] = "local",
    scheduler: Annotated[str | None, typer.Option(
        help="With --engine dask: a running Dask scheduler (tcp://HOST:8786); "
             "default: a local cluster for this run.", show_default=False)] = None,
    workers: Annotated[int | None, typer.Option(
        min=1, help="With --engine dask: local worker processes (default: one per CPU), "
                    "or workers to wait for on --scheduler.", show_default=False)] = None,
) -> None:
    """Ingest articles: clean, date, deduplicate and store them.

    Prints a summary: stored / duplicates / unchanged (already ingested) /
    dropped with reasons / quarantined (see `corridor quarantine`).
    Re-running on the same input changes nothing; an interrupted run can simply
    be run again.
    """
    from .ingest.sources import count_hint

    with _open(db, create=True, max_bytes=max_bytes,
               fetch_article_links=fetch_links or None) as corridor:
        if engine not in ("local", "dask"):
            raise ConfigError(f"--engine must be local or dask, not {engine!r}")
        if engine == "local" and (scheduler or workers):
            raise ConfigError("--scheduler and --workers need --engine dask")
        total = count_hint(targets)
        show = not quiet and not json_out and err.is_terminal
        with _progress("ingest", show, detail=True) as bar:
            task = bar.add_task("", total=total)
            tally: dict[str, int] = {}

            def progress(outcome: str, key: str, detail: str) -> None:
                tally[outcome] = tally.get(outcome, 0) + 1
                desc = " ".join(f"{k}={v}" for k, v in sorted(tally.items()))
                bar.update(task, advance=1, description=desc)
                if outcome == "quarantined" and not json_out:
                    err.print(f"[yellow]quarantined[/yellow] {escape(key)}: {escape(detail)}")

            if engine == "dask":
                report = corridor.ingest_distributed(targets, progress=progress,
                                                     scheduler=scheduler, workers=workers)
            else:
                report = corridor.ingest(targets, progress=progress)
    if json_out:
        from .views.ingest import ingest_report

        _print_model(ingest_report(report))
    else:
        _print_report(report)


def _print_report(report: "IngestReport") -> None:
    from rich.table import Table

    table = Table(title="Ingest summary", show_header=False)
    table.add_row("inputs", str(report.inputs))
    table.add_row("stored", str(report.stored))
    dups = sum(report.duplicates.values())
    detail = ", ".join(f"{k} {v}" for k, v in report.duplicates.items())
    table.add_row("duplicates (linked)", f"{dups}" + (f" ({detail})" if detail else ""))
    table.add_row("unchanged (already ingested)", str(report.unchanged))
    for reason, n in sorted(report.dropped.items()):
        table.add_row(f"dropped: {reason}", str(n))
    for code, n in sorted(report.quarantined.items()):
        table.add_row(f"quarantined: {code}", str(n))
    rate = report.inputs / report.seconds if report.seconds else 0.0
    table.add_row("time", f"{report.seconds:.1f} s ({rate:.0f} inputs/s)")
    out.print(table)
    if report.quarantined:
        out.print("See why with: corridor quarantine")


@app.command()
def search(
    query: Annotated[str, typer.Argument(help='Words, "quoted phrases", prefix*, OR.')],
    db: DbOption = "corridor.db",
    since: Annotated[str | None, typer.Option(help="Published on or after (YYYY-MM-DD).")] = None,
    until: Annotated[str | None, typer.Option(help="Published on or before (YYYY-MM-DD).")] = None,
    source: Annotated[str | None, typer.Option(help="Only this source (name or domain).")] = None,
    lang: Annotated[str | None, typer.Option(help="Only this language (en, ur, zh...).")] = None,
    limit: Annotated[int, typer.Option(min=1, max=1000, help="How many results.")] = 10,
    json_out: JsonOption = False,
    mode: Annotated[str, typer.Option(
        help="keyword: documents by BM25 (default); semantic: sentences by meaning "
             "(embeddings); hybrid: sentences by BM25 and meaning, fused by rank.")
    ] = "keyword",
    any_language: Annotated[bool, typer.Option(
        "--any-language", help="Keyword mode: also search entity names under their "
        "English, Urdu and Chinese aliases (CPEC finds سی پیک and 中巴经济走廊).")] = False,
) -> None:
    """Search: keyword (BM25, documents) or semantic / hybrid (sentences), best first."""
    from rich.text import Text

    if mode != "keyword":
        _search_sentences(query, db, mode, since, until, source, lang, limit, json_out)
        return
    if json_out:
        from .views.documents import search_result

        with _open(db) as corridor:
            _print_model(search_result(corridor, query, since=since, until=until, source=source,
                                       lang=lang, limit=limit, any_language=any_language))
        return
    with _open(db) as corridor:
        hits = corridor.search(query, since=since, until=until, source=source, lang=lang,
                               limit=limit, any_language=any_language)
    if not hits:
        out.print("No matching documents.")
        return
    for rank, hit in enumerate(hits, 1):
        head = Text(f"{rank}. ", style="bold")
        head.append(hit.title or "(untitled)", style="bold")
        head.append(f"  [{hit.doc_id}]", style="cyan")
        out.print(head)
        fields = (hit.published or "undated", hit.source, hit.lang, hit.url)
        meta = " · ".join(x for x in fields if x)
        out.print(Text(meta, style="dim"))
        out.print(_highlight(hit.snippet, hit.highlights))
        out.print()


def _search_sentences(query: str, db: str, mode: str, since: str | None, until: str | None,
                      source: str | None, lang: str | None, limit: int, json_out: bool) -> None:
    from rich.text import Text

    if json_out:
        from .views.documents import sentence_search_result

        with _open(db) as corridor:
            _print_model(sentence_search_result(corridor, query, mode=mode, since=since,
                                                until=until, source=source, lang=lang,
                                                limit=limit))
        return
    with _open(db) as corridor:
        hits = corridor.search_sentences(query, mode=mode, since=since, until=until,
                                         source=source, lang=lang, limit=limit)
    if not hits:
        out.print("No matching sentences.")
        return
    for rank, hit in enumerate(hits, 1):
        head = Text(f"{rank}. ", style="bold")
        head.append(hit.title or "(untitled)", style="bold")
        head.append(f"  [{hit.doc_id} {hit.start}-{hit.end}]", style="cyan")
        out.print(head)
        ranks = ", ".join(f"{k} #{v}" for k, v in hit.ranks.items())
        fields = (hit.published or "undated", hit.source, hit.lang, ranks)
        out.print(Text(" · ".join(x for x in fields if x), style="dim"))
        out.print(_highlight(hit.text, hit.highlights))
        out.print()


def _highlight(snippet: str, spans: list[tuple[int, int]]) -> "Text":
    from rich.text import Text

    text = Text(snippet)
    for start, end in spans:
        text.stylize("bold yellow", start, end)
    return text


@app.command()
def show(
    doc_id: Annotated[str, typer.Argument(help="Document id (from search results).")],
    db: DbOption = "corridor.db",
    json_out: JsonOption = False,
) -> None:
    """Show one stored document: clean text, metadata and every source it came from."""
    from rich.text import Text

    if json_out:
        from .views.documents import document_page

        with _open(db) as corridor:
            _print_model(document_page(corridor, doc_id))
        return
    with _open(db) as corridor:
        doc = corridor.document(doc_id)
    out.print(Text(doc.title or "(untitled)", style="bold"))
    for name in ("id", "published", "date_source", "source", "url", "dateline_place", "lang",
                 "encoding", "source_key", "ingested_at"):
        value = getattr(doc, name)
        if value:
            out.print(Text(f"{name}: {value}", style="dim"))
    if len(doc.sources) > 1:
        out.print(Text(f"also seen as ({len(doc.sources) - 1}):", style="dim"))
        for link in doc.sources:
            if link.kind != "original":
                sim = f" {link.similarity:.2f}" if link.similarity else ""
                out.print(Text(f"  {link.kind}{sim}: {link.url or link.source_key}", style="dim"))
    out.print()
    out.print(Text(doc.text))


@app.command()
def stats(db: DbOption = "corridor.db", json_out: JsonOption = False) -> None:
    """Counts: documents, duplicates, quarantine, languages, sources, dates."""
    from rich.table import Table

    if json_out:
        from .views.documents import stats_out

        with _open(db) as corridor:  # the API's, and where the pool is
            _print_model(stats_out(corridor, database=True))
        return
    with _open(db) as corridor:
        data = corridor.stats()
    table = Table(title=f"Corridor pool: {data['database']}", show_header=False)
    for key, value in data.items():
        if isinstance(value, dict):
            value = ", ".join(f"{k} {v}" for k, v in value.items()) or "-"
        elif isinstance(value, list):
            value = ", ".join(value)
        table.add_row(key, str(value))
    out.print(table)


@app.command()
def quarantine(
    db: DbOption = "corridor.db",
    limit: Annotated[int, typer.Option(min=1, help="How many records, newest first.")] = 50,
    json_out: JsonOption = False,
) -> None:
    """List inputs that could not be processed, with the reason (nothing is lost)."""
    from rich.table import Table

    if json_out:
        from .views.documents import quarantine_list

        with _open(db) as corridor:
            _print_model(quarantine_list(corridor, limit))
        return
    with _open(db) as corridor:
        records = corridor.quarantine(limit)
    if not records:
        out.print("Quarantine is empty.")
        return
    table = Table(title="Quarantine (newest first)")
    for col in ("id", "input", "code", "stage", "reason", "bytes", "when"):
        table.add_column(col)
    for r in records:
        table.add_row(str(r.id), r.url or r.source_key, r.code, r.stage or "source", r.message,
                      str(r.raw_size or 0), r.created_at)
    out.print(table)


@app.command()
def backup(
    file: Annotated[str, typer.Argument(help="Where to write the backup (a new file).")],
    db: DbOption = "corridor.db",
    force: Annotated[bool, typer.Option("--force", help="Overwrite FILE if it exists.")] = False,
) -> None:
    """Write a consistent backup of the pool while it stays in use.

    SQLite: the online backup API, checked with PRAGMA integrity_check and
    renamed into place only when complete. Restore it with `corridor restore`.
    """
    if Path(file).exists() and not force:
        err.print(f"[red]error[/red] {escape(file)} exists; use --force to overwrite it")
        raise typer.Exit(2)
    with _open(db) as corridor:
        corridor.backup(file)
        counts = corridor.stats()
    out.print(f"Backed up {counts.get('documents', 0)} documents to {escape(file)}")


@app.command()
def restore(
    file: Annotated[str, typer.Argument(help="A backup written by `corridor backup`.")],
    db: DbOption = "corridor.db",
    keep: Annotated[str | None, typer.Option(
        help="Back up the current pool here first (default: DB.before-restore for a file pool;"
             " 'none' to skip).")] = None,
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask for confirmation.")] = False,
) -> None:
    """Replace the pool with a backup, after checking the backup is sound.

    A damaged file, a file that is not a Corridor pool, or a backup from a newer
    Corridor is refused before anything stored is touched. What is stored now is
    first saved to --keep, so the restore itself can be undone.
    """
    from .store.sqlite import damaged_reason, salvage_revoked_hashes

    if keep is None and "://" not in db:
        keep = f"{db}.before-restore"
    if keep == "none":
        keep = None
    if not yes and not typer.confirm(f"Replace the pool {db} with {file}?"):
        raise typer.Exit(1)
    if "://" not in db and (damage := damaged_reason(db)):
        # a damaged pool cannot be opened, so it cannot be copied to --keep
        # either: it is moved there as it is, and the backup restored into a new file
        aside = keep or f"{db}.damaged"
        if Path(aside).exists():
            err.print(f"[red]error[/red] the pool {escape(db)} is damaged ({escape(damage)}) "
                      f"and {escape(aside)} exists; move it away or give --keep")
            raise typer.Exit(2)
        salvaged = salvage_revoked_hashes(db)  # its revocations, if still readable
        _set_aside(db, aside)
        err.print(f"[yellow]the pool {escape(db)} is damaged[/yellow] ({escape(damage)}); "
                  f"moved to {escape(aside)}")
        keep = None
        kept_damaged: str | None = aside
    else:
        kept_damaged, salvaged = None, []
    with _open(db, create=True) as corridor:
        revoked = corridor.restore(file, keep_current=keep, also_revoked=salvaged)
        counts = corridor.stats()
        problems = corridor.check_integrity()
    if problems:
        err.print("[red]restored pool has problems:[/red] " + escape("; ".join(problems)))
        raise typer.Exit(2)
    if revoked:
        err.print(f"Revoked again {len(revoked)} API token(s) that were revoked before the "
                  "restore: " + escape(", ".join(t.name for t in revoked)))
    kept = keep or kept_damaged
    out.print(f"Restored {counts.get('documents', 0)} documents from {escape(file)}"
              + (f"; the previous pool is kept in {escape(kept)}" if kept else ""))


def _set_aside(db: str, aside: str) -> None:
    """Move a pool file (and its -wal/-shm files, which belong to it) to ``aside``."""
    os.replace(db, aside)
    for suffix in ("-wal", "-shm"):
        extra = Path(db + suffix)
        if extra.exists():
            os.replace(extra, aside + suffix)


@app.command()
def extract(
    db: DbOption = "corridor.db",
    all_docs: Annotated[bool, typer.Option(
        "--all", help="Re-extract every stored document (default: only those not yet "
        "extracted with the current extractor).")] = False,
    json_out: JsonOption = False,
) -> None:
    """Extract sourced facts: sentences, entities, roles, events, sectors, commitments.

    `corridor ingest` already extracts new documents; run this after upgrading
    Corridor or its domain pack. Idempotent: each document's facts are replaced.
    """
    with _open(db) as corridor:
        todo = corridor.extraction_todo(everything=all_docs)
        show = not json_out and err.is_terminal
        with _progress("extract", show) as bar:
            task = bar.add_task("", total=len(todo))
            n = corridor.extract(todo, progress=lambda _id: bar.advance(task))
    if json_out:
        _print_json({"extracted": n})
    else:
        out.print(f"Extracted facts from {n} document(s).")


@app.command()
def entities(
    db: DbOption = "corridor.db",
    type_: Annotated[str | None, typer.Option(
        "--type", help="PERSON, ORG, PLACE or PROJECT.")] = None,
    query: Annotated[str | None, typer.Option("--query", "-q", help="Name contains.")] = None,
    limit: Annotated[int, typer.Option(min=1, help="How many, most mentioned first.")] = 50,
    json_out: JsonOption = False,
) -> None:
    """Canonical entities (people, organisations, places, projects) by mentions."""
    from rich.table import Table

    if json_out:
        from .views.facts import entity_list

        with _open(db) as corridor:
            _print_model(entity_list(corridor, type_, query, limit))
        return
    with _open(db) as corridor:
        rows = corridor.entities(type_, query, limit)
    table = Table(title="Entities")
    for col in ("id", "type", "name", "mentions", "docs", "aliases"):
        table.add_column(col)
    for e in rows:
        table.add_row(e.id, e.type, e.name, str(e.mentions), str(e.documents),
                      ", ".join(a for a in e.aliases if a != e.name)[:80])
    out.print(table)


@app.command()
def entity(
    name: Annotated[str, typer.Argument(help="Entity id, name or alias (e.g. NRTA, CPEC).")],
    db: DbOption = "corridor.db",
    limit: Annotated[int, typer.Option(min=1, help="How many mentions to cite.")] = 20,
    json_out: JsonOption = False,
) -> None:
    """One entity: aliases, roles over time (dated by article), mentions with citations."""
    from rich.text import Text

    if json_out:
        from .views.facts import entity_page

        with _open(db) as corridor:
            _print_model(entity_page(corridor, name, limit))
        return
    with _open(db) as corridor:
        profile = corridor.entity(name, limit)
    e = profile.entity
    out.print(Text(f"{e.name}  [{e.id}] {e.type}" + (f" · {e.country}" if e.country else ""),
                   style="bold"))
    out.print(Text(f"aliases: {', '.join(e.aliases)}", style="dim"))
    if profile.roles:
        out.print(Text("roles:", style="bold"))
        for r in profile.roles:
            out.print(f"  {r.date or 'undated'}  {r.role}  [{r.doc_id}]")
    out.print(Text(f"mentions ({e.mentions} in {e.documents} documents):", style="bold"))
    for m in profile.mentions:
        c = m.citation
        out.print(Text(f"  {c.published or 'undated'} {c.source or ''} [{c.doc_id} "
                       f"{c.start}-{c.end}]", style="dim"))
        out.print(Text(f"    {c.sentence}"))


def _event_date(date: str | None, phrase: str | None, inferred: str | None = None) -> str:
    """The stated date; else an inferred one marked as such ("~2025-03-10 (inferred from
    'on Monday')"); else the phrase the text gives."""
    if date:
        return date
    if inferred:
        return f"~{inferred} (inferred from '{phrase}')" if phrase else f"~{inferred} (inferred)"
    return f"? ({phrase})" if phrase else "?"


@app.command()
def events(
    db: DbOption = "corridor.db",
    since: Annotated[str | None, typer.Option(help="On or after (YYYY-MM-DD).")] = None,
    until: Annotated[str | None, typer.Option(help="On or before (YYYY-MM-DD).")] = None,
    type_: Annotated[str | None, typer.Option(
        "--type", help="MEET, VISIT, CALL, JOINT_STATEMENT, AGREE, SIGN or STATEMENT.")] = None,
    entity_: Annotated[str | None, typer.Option(
        "--entity", help="Only events this entity takes part in.")] = None,
    limit: Annotated[int, typer.Option(min=1)] = 50,
    json_out: JsonOption = False,
) -> None:
    """Events (who met whom, when, where), newest first, each with its cited sentence."""
    from rich.text import Text

    if json_out:  # an --entity that names nothing known: no events, and a note why
        from .views.facts import event_list

        with _open(db) as corridor:
            _print_model(event_list(corridor, type=type_, actor=entity_, since=since,
                                    until=until, limit=limit))
        return
    with _open(db) as corridor:
        rows = corridor.events(since=since, until=until, type=type_, entity=entity_,
                               limit=limit)
    if not rows:
        out.print("No events.")
    for ev in rows:
        head = f"{_event_date(ev.date, ev.date_phrase, ev.date_inferred)}  {ev.type}"
        if ev.ordinal:
            head += f" ({ev.ordinal})"
        head += "  " + ", ".join(ev.participant_names)
        if ev.place:
            head += f"  @ {ev.place}"
        out.print(Text(head, style="bold"))
        c = ev.citation
        out.print(Text(f"  {c.sentence}"))
        out.print(Text(f"  — {c.source or 'unknown source'}, {c.published or 'undated'} "
                       f"[{c.doc_id} {c.start}-{c.end}]", style="dim"))


@app.command()
def commitments(
    db: DbOption = "corridor.db",
    party: Annotated[str | None, typer.Option(
        help="pakistan, china, both, or a named body.")] = None,
    sector: Annotated[str | None, typer.Option(help="A sector of the taxonomy.")] = None,
    project: Annotated[str | None, typer.Option(help="A project (e.g. CPEC, ML-1).")] = None,
    limit: Annotated[int, typer.Option(min=1)] = 50,
    json_out: JsonOption = False,
) -> None:
    """Commitments: who agreed / will / reaffirmed / proposed what, with citations."""
    from rich.text import Text

    if json_out:
        from .views.facts import commitment_list

        with _open(db) as corridor:
            _print_model(commitment_list(corridor, party=party, sector=sector, project=project,
                                         limit=limit))
        return
    with _open(db) as corridor:
        rows = corridor.commitments(party=party, sector=sector, project=project, limit=limit)
    if not rows:
        out.print("No commitments.")
    for k in rows:
        c = k.citation
        out.print(Text(f"{' + '.join(k.parties) or '?'} {k.modality}: {k.action}", style="bold"))
        extra = ", ".join(k.sectors + k.projects)
        if extra:
            out.print(Text(f"  [{extra}]", style="cyan"))
        out.print(Text(f"  {c.sentence}"))
        out.print(Text(f"  — {c.source or 'unknown source'}, {c.published or 'undated'} "
                       f"[{c.doc_id} {c.start}-{c.end}]", style="dim"))


# -- pledges, timelines and reports ------------------------------------------------

_STATUS_STYLE = {"pledged": "white", "reiterated": "cyan", "progress": "yellow",
                 "done": "green", "contradicted": "red"}


@app.command()
def pledges(
    db: DbOption = "corridor.db",
    party: Annotated[str | None, typer.Option(
        help="A party: pakistan, china, or a named body (id, name or alias).")] = None,
    sector: Annotated[str | None, typer.Option(help="A sector of the taxonomy.")] = None,
    project: Annotated[str | None, typer.Option(help="A project (e.g. ML-1, Gwadar Port).")
                       ] = None,
    status: Annotated[str | None, typer.Option(
        help="pledged, reiterated, progress, done or contradicted.")] = None,
    limit: Annotated[int, typer.Option(min=1)] = 50,
    json_out: JsonOption = False,
) -> None:
    """Pledges: commitments clustered across articles, with how often they were
    restated and their latest cited status (see `corridor pledge ID`)."""
    from rich.table import Table
    from rich.text import Text

    if json_out:
        from .views.facts import pledge_list

        with _open(db) as corridor:
            _print_model(pledge_list(corridor, party=party, sector=sector, project=project,
                                     status=status, limit=limit))
        return
    with _open(db) as corridor:
        rows = corridor.pledges(party=party, sector=sector, project=project, status=status,
                                limit=limit)
    if not rows:
        out.print("No pledges.")
        return
    table = Table(title=f"Pledges ({len(rows)})")
    table.add_column("id", style="dim", no_wrap=True)
    table.add_column("parties", max_width=18)
    table.add_column("pledge", ratio=1, min_width=24)
    table.add_column("first / last seen", no_wrap=True)
    table.add_column("stated", justify="right", no_wrap=True)
    table.add_column("status", no_wrap=True)
    for p in rows:
        table.add_row(p.id, Text(" + ".join(p.parties)), Text(p.canonical),
                      f"{p.first_seen or 'undated'}\n{p.last_seen or 'undated'}",
                      f"{p.count} ({p.documents})",
                      Text(p.status, style=_STATUS_STYLE.get(p.status, "")))
    out.print(table)


@app.command()
def pledge(
    pledge_id: Annotated[str, typer.Argument(help="A pledge id from `corridor pledges`.")],
    db: DbOption = "corridor.db",
    json_out: JsonOption = False,
) -> None:
    """One pledge's whole history, oldest first: first statement, reiterations,
    reported progress / completion / contradiction, each with its cited sentence."""
    from rich.text import Text

    if json_out:
        from .views.facts import pledge_page

        with _open(db) as corridor:
            _print_model(pledge_page(corridor, pledge_id))
        return
    with _open(db) as corridor:
        p = corridor.pledge(pledge_id)
    out.print(Text(p.canonical, style="bold"))
    out.print(Text(f"{p.id}  {' + '.join(p.party_names)}  status: ", style="dim")
              + Text(p.status, style=_STATUS_STYLE.get(p.status, "")))
    facts = [f"stated {p.count} times in {p.documents} documents",
             f"first seen {p.first_seen or 'undated'}", f"last seen {p.last_seen or 'undated'}"]
    if p.projects:
        facts.append("projects: " + ", ".join(p.projects))
    if p.sectors:
        facts.append("sectors: " + ", ".join(p.sectors))
    out.print(Text("; ".join(facts), style="dim"))
    for h in p.history():
        c = h["citation"]
        label = h["kind"] if h["kind"] in ("first", "reiterated", "mentioned") else (
            f"{h['kind']} (\u201c{h['cue']}\u201d)")
        style = _STATUS_STYLE.get(h["kind"], "bold")
        head = Text(f"{h['date'] or 'undated'}  ", style="bold") + Text(label, style=style)
        if "modality" in h:
            head += Text(f"  {' + '.join(h['parties'])} {h['modality']}: {h['action']}")
        out.print(head)
        out.print(Text(f"  {c['sentence']}"))
        out.print(Text(f"  — {c['source'] or 'unknown source'}, {c['published'] or 'undated'} "
                       f"[{c['doc_id']} {c['start']}-{c['end']}]", style="dim"))


@app.command()
def timeline(
    db: DbOption = "corridor.db",
    entity_: Annotated[str | None, typer.Option(
        "--entity", help="Events this entity takes part in or whose sentence names it.")
    ] = None,
    sector: Annotated[str | None, typer.Option(help="Events in this sector.")] = None,
    event_type: Annotated[str | None, typer.Option(
        "--event-type", help="MEET, VISIT, CALL, JOINT_STATEMENT, AGREE, SIGN or STATEMENT.")
    ] = None,
    since: Annotated[str | None, typer.Option(help="On or after (YYYY-MM-DD).")] = None,
    until: Annotated[str | None, typer.Option(help="On or before (YYYY-MM-DD).")] = None,
    by: Annotated[str, typer.Option(help="Series: type (event type) or sector.")] = "type",
    plot: Annotated[str | None, typer.Option(
        "--plot", help="Also draw it, stacked by series, to FILE.png or FILE.svg.")] = None,
    json_out: JsonOption = False,
) -> None:
    """Events per month (by event type or by sector) in the terminal, and as a plot."""
    from rich.table import Table
    from rich.text import Text

    with _open(db) as corridor:
        tl = corridor.timeline(entity=entity_, sector=sector, event_type=event_type,
                               since=since, until=until, by=by)
        if plot:
            from .report.plot import save_plot

            written = save_plot(tl, plot)
            err.print(f"plot written to {escape(str(written))}")
    if json_out:
        from urllib.parse import urlencode

        from .views.facts import timeline_out

        # the filters as the API's query string (for the plot's links)
        given = {"entity": entity_, "sector": sector, "event_type": event_type, "since": since,
                 "until": until, "by": by if by != "type" else None}
        _print_model(timeline_out(tl, query=urlencode({k: v for k, v in given.items() if v})))
        return
    if not tl.months:
        out.print("No dated events." + (f" ({tl.undated} undated)" if tl.undated else ""))
        return
    shown = list(tl.series)[:5]
    table = Table(title=f"Events per month by {tl.by} ({tl.total} events"
                        + (f", {tl.undated} undated" if tl.undated else "") + ")")
    table.add_column("month", no_wrap=True)
    for name in shown:
        table.add_column(name.lower().replace("_", " ")[:12], justify="right")
    if len(tl.series) > len(shown):
        table.add_column("other", justify="right")
    table.add_column("total", justify="right")
    table.add_column("", no_wrap=True)
    peak = max(tl.totals) or 1
    for i, month in enumerate(tl.months):
        cells = [str(tl.series[n][i] or "") for n in shown]
        if len(tl.series) > len(shown):
            rest = sum(tl.series[n][i] for n in list(tl.series)[len(shown):])
            cells.append(str(rest or ""))
        total = tl.totals[i]
        bar = "\u2588" * max(1 if total else 0, round(16 * total / peak))
        table.add_row(month, *cells, str(total), Text(bar, style="cyan"))
    out.print(table)


@app.command()
def report(
    out_path: Annotated[str, typer.Option("--out", help="The HTML file to write.")
                        ] = "report.html",
    db: DbOption = "corridor.db",
    entity_: Annotated[str | None, typer.Option(
        "--entity", help="Report on an entity (id, name or alias).")] = None,
    sector: Annotated[str | None, typer.Option(help="Report on a sector.")] = None,
    project: Annotated[str | None, typer.Option(help="Report on a project.")] = None,
) -> None:
    """Write one self-contained HTML page (no network needed to view it): timeline
    plot, top entities, pledges with reiteration counts, recent events with
    citations, and checked claims."""
    from pathlib import Path

    with _open(db) as corridor:
        page = corridor.report(entity=entity_, sector=sector, project=project)
    try:
        Path(out_path).write_text(page, encoding="utf-8")
    except OSError as exc:
        err.print(f"[red]error[/red] cannot write {escape(out_path)}: "
                  f"{escape(exc.strerror or str(exc))}")
        raise typer.Exit(2) from exc
    err.print(f"report written to {escape(out_path)} ({len(page.encode('utf-8')) // 1024} KB)")


export_app = typer.Typer(help="Export data in interchange formats.", no_args_is_help=True)
app.add_typer(export_app, name="export")


@export_app.command("events")
def export_events(
    db: DbOption = "corridor.db",
    format_: Annotated[str, typer.Option(
        "--format", help="plover: JSON lines in a PLOVER-like event format.")] = "plover",
    since: Annotated[str | None, typer.Option(help="On or after (YYYY-MM-DD).")] = None,
    until: Annotated[str | None, typer.Option(help="On or before (YYYY-MM-DD).")] = None,
    limit: Annotated[int, typer.Option(min=1)] = 1_000_000,
) -> None:
    """Write events as JSON lines (one event per line) to standard output."""
    if format_ != "plover":
        err.print(f"[red]error[/red] unknown format {escape(format_)!r}; use plover")
        raise typer.Exit(2)
    with _open(db) as corridor:
        for record in corridor.export_events_plover(since=since, until=until, limit=limit):
            sys.stdout.write(json.dumps(record, ensure_ascii=False) + "\n")



# -- HTTP service and its API tokens ---------------------------------------------


@app.command()
def serve(
    db: DbOption = "corridor.db",
    host: Annotated[str, typer.Option(help="Address to listen on (loopback by default).")] = (
        "127.0.0.1"),
    port: Annotated[int, typer.Option(min=0, max=65535, help="Port (0: any free port).")] = 8080,
    allow_private_urls: Annotated[bool, typer.Option(
        "--allow-private-urls",
        help="Let URL ingest over HTTP fetch private and loopback addresses (SSRF risk).")] = False,
    public: Annotated[bool, typer.Option(
        "--public", help="Open reads without a token on a non-loopback address too.")] = False,
    allowed_host: Annotated[list[str] | None, typer.Option(
        "--allowed-host", help="Accepted Host header (repeatable; '*' for any). Default: "
        "localhost names on a loopback address, any otherwise.")] = None,
    max_body: Annotated[int, typer.Option(min=1, help="Largest request body in bytes.")] = (
        5_000_000),
    ingest_per_minute: Annotated[float, typer.Option(
        min=0.01, help="Ingest requests per minute per client (429 beyond).")] = 30.0,
    check_per_minute: Annotated[float, typer.Option(
        min=0.01, help="Claim checks per minute per client (429 beyond).")] = 20.0,
    check_concurrency: Annotated[int, typer.Option(
        min=1, max=64, help="Claim checks computed at once (CPU-bound).")] = 2,
    readers: Annotated[int, typer.Option(min=1, max=64, help="Database read handles.")] = 8,
    behind_proxy: Annotated[bool, typer.Option(
        "--behind-proxy", help="Trust X-Forwarded-For from a reverse proxy on 127.0.0.1.")] = False,
    ingest_worker: Annotated[bool, typer.Option(
        "--ingest-worker/--no-ingest-worker",
        help="Run API ingests in a separate, lower-priority process, so reads never wait "
             "for ingest work (default); --no-ingest-worker: on a server thread (less "
             "memory).")] = True,
    log_level: Annotated[str, typer.Option(help="debug, info, warning, error.")] = "info",
) -> None:
    """Run the HTTP API and web UI (OpenAPI reference at /docs).

    Reads (search, documents, stats, quarantine, Atom feed) are open on a
    loopback address; on any other address they need a token unless --public.
    Every write needs an API token: `corridor token create NAME`.
    """
    import socket

    import uvicorn

    from .web import WebConfig, create_app
    from .web.config import default_allowed_hosts, is_loopback

    # first: the pool must exist (serving a new, empty pool is a mistyped --db)
    with _open(db) as corridor:
        active = [t for t in corridor.list_tokens() if t.revoked_at is None]
    local = is_loopback(host)
    hosts = tuple(allowed_host) if allowed_host else default_allowed_hosts(host)
    try:
        config = WebConfig(allow_private_urls=allow_private_urls, open_reads=local or public,
                           allowed_hosts=hosts, max_body_bytes=max_body,
                           ingest_per_minute=ingest_per_minute, readers=readers,
                           check_per_minute=check_per_minute,
                           check_concurrency=check_concurrency, warm_up=True,
                           ingest_process=ingest_worker)
        web_app = create_app(Settings.from_env(db=db), config)
    except (CorridorError, ValueError) as exc:
        err.print(f"[red]error[/red] {escape(str(exc))}")
        raise typer.Exit(exc.exit_code if isinstance(exc, CorridorError) else 2) from exc
    try:
        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        # proto=IPPROTO_TCP matters: asyncio turns Nagle off (TCP_NODELAY) only on
        # sockets that say so, and keep-alive answers would otherwise wait 40 ms
        sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host.strip("[]"), port))
        sock.listen(2048)
    except OSError as exc:
        err.print(f"[red]error[/red] cannot listen on {escape(host)}:{port}: {exc.strerror}")
        raise typer.Exit(2) from exc
    bound = sock.getsockname()[1]
    shown = f"[{host.strip('[]')}]" if ":" in host else host
    # one plain line, never wrapped: scripts and tests read the URL from it
    sys.stderr.write(f"Corridor serving {db} on http://{shown}:{bound}/ (API reference: /docs)\n")
    sys.stderr.flush()
    if not active:
        err.print("No active API token: writes are refused until `corridor token create NAME`.")
    if not config.open_reads:
        err.print("Reads need a token too (non-loopback address; --public opens them).")
    if allow_private_urls:
        err.print("[yellow]warning[/yellow] --allow-private-urls: URL ingest may reach "
                  "private and loopback addresses.")
    server = uvicorn.Server(uvicorn.Config(
        web_app, log_level=log_level.lower(), proxy_headers=behind_proxy,
        server_header=False, timeout_graceful_shutdown=5))
    server.run(sockets=[sock])


token_app = typer.Typer(
    help="API tokens for the HTTP service's writes (only a SHA-256 hash is stored).",
    no_args_is_help=True)
app.add_typer(token_app, name="token")


@token_app.command("create")
def token_create(
    name: Annotated[str, typer.Argument(help="A label: who or what uses the token.")],
    db: DbOption = "corridor.db",
    json_out: JsonOption = False,
) -> None:
    """Create a token and print its secret once (only its hash is kept)."""
    with _open(db, create=True) as corridor:
        token, secret = corridor.create_token(name)
    if json_out:
        from .views.tokens import created_token

        _print_model(created_token(token, secret))
        return
    err.print(f"Created token {escape(token.name)!r} (id {token.id}). Copy it now: it is not "
              "shown again. Send it as `Authorization: Bearer <token>`.")
    sys.stdout.write(secret + "\n")


@token_app.command("list")
def token_list(db: DbOption = "corridor.db", json_out: JsonOption = False) -> None:
    """Every token (secrets are never shown): id, name, created, last used, revoked."""
    from rich.table import Table

    with _open(db) as corridor:
        tokens = corridor.list_tokens()
    if json_out:
        from .views.tokens import token_list

        _print_model(token_list(tokens))
        return
    if not tokens:
        out.print("No API tokens. Create one with: corridor token create NAME")
        return
    table = Table(title="API tokens")
    for col in ("id", "name", "created", "last used", "revoked"):
        table.add_column(col)
    for t in tokens:
        table.add_row(str(t.id), t.name, t.created_at, t.last_used_at or "never",
                      t.revoked_at or "")
    out.print(table)


@token_app.command("revoke")
def token_revoke(
    token: Annotated[str, typer.Argument(help="Token id, or the name of an active token.")],
    db: DbOption = "corridor.db",
    json_out: JsonOption = False,
) -> None:
    """Revoke a token: requests that send it get 401 from now on."""
    with _open(db) as corridor:
        revoked = corridor.revoke_token(token)
    if json_out:
        from .views.tokens import token_out

        _print_model(token_out(revoked))
    else:
        out.print(f"Revoked token {revoked.name!r} (id {revoked.id}) at {revoked.revoked_at}.")


_VERDICT_STYLE = {"SUPPORTED": "bold green", "REFUTED": "bold red",
                  "CONFLICTING": "bold yellow", "NOT_ENOUGH_INFO": "bold blue"}


def _print_verdict(v: Any) -> None:
    from rich.text import Text

    head = Text(v.verdict, style=_VERDICT_STYLE.get(v.verdict, "bold"))
    head.append(f"  confidence {v.confidence:.2f}", style="dim")
    if v.check_id is not None:
        head.append(f"  check #{v.check_id}", style="cyan")
    out.print(head)
    out.print(Text(v.claim, style="italic"))
    out.print(v.reason, markup=False, highlight=False)
    for c in v.evidence:
        out.print(Text(f"  [{c.stance}] ", style="bold") + Text(c.sentence))
        where = f"{c.doc_id} {c.start}-{c.end}"
        out.print(Text(f"      {c.attribution} · {c.title or ''} [{where}]"
                       + (f" {c.url}" if c.url else ""), style="dim"))
    for m in v.matches:
        out.print(Text(f"  matches check #{m['check_id']} ({m['kind']}, "
                       f"similarity {m['similarity']:.2f}): {m['claim']}", style="dim"))


@app.command()
def check(
    claim: Annotated[str, typer.Argument(help="The claim to check, in quotes.")],
    db: DbOption = "corridor.db",
    json_out: JsonOption = False,
    claimreview: Annotated[bool, typer.Option(
        "--claimreview", help="Print schema.org ClaimReview JSON-LD of the stored check.")] = False,
    save: Annotated[bool, typer.Option(
        "--save/--no-save", help="Store the check and its history (default: store).")] = True,
    since: Annotated[str | None, typer.Option(help="Only evidence published on or after.")] = None,
    until: Annotated[str | None, typer.Option(help="Only evidence published on or before.")] = None,
    source: Annotated[str | None, typer.Option(help="Only evidence from this source.")] = None,
) -> None:
    """Check a claim against the record: SUPPORTED / REFUTED / CONFLICTING /
    NOT_ENOUGH_INFO, with a confidence, the cited sentences and the reason.

    Verdicts are about the stored articles ("per APP, 6 Feb 2025"), not about the
    world. A claim checked before (or the same claim reworded) adds to that check's
    history; see `corridor checks`.
    """
    if claimreview and not save:
        err.print("[red]error[/red] --claimreview needs a stored check (drop --no-save)")
        raise typer.Exit(2)
    with _open(db) as corridor:
        verdict = corridor.check(claim, save=save, since=since, until=until, source=source)
        review = corridor.claimreview(verdict.check_id) if claimreview and \
            verdict.check_id is not None else None
        if review is None and json_out:
            from .views.checks import check_out

            _print_model(check_out(corridor, verdict))
            return
    if review is not None:
        _print_json(review)
    else:
        _print_verdict(verdict)


checks_app = typer.Typer(help="Stored claim checks and their history.", no_args_is_help=True)
app.add_typer(checks_app, name="checks")


@checks_app.command("list")
def checks_list(
    db: DbOption = "corridor.db",
    verdict: Annotated[str | None, typer.Option(help="Only this verdict.")] = None,
    limit: Annotated[int, typer.Option(min=1, max=1000)] = 50,
    json_out: JsonOption = False,
) -> None:
    """Checked claims, most recently run first."""
    from rich.table import Table
    from rich.text import Text

    if json_out:
        from .views.checks import check_list

        with _open(db) as corridor:
            _print_model(check_list(corridor, verdict, limit))
        return
    with _open(db) as corridor:
        items = corridor.checks(limit, verdict)
    if not items:
        out.print("No checks stored yet (run `corridor check \"CLAIM\"`).")
        return
    table = Table("id", "verdict", "conf.", "runs", "updated", "claim")
    for c in items:
        table.add_row(str(c.id), Text(c.verdict, style=_VERDICT_STYLE.get(c.verdict, "")),
                      f"{c.confidence:.2f}", str(c.runs), c.updated_at[:10], c.claim)
    out.print(table)


@checks_app.command("show")
def checks_show(
    check_id: Annotated[int, typer.Argument(help="The check's id (see `corridor checks list`).")],
    db: DbOption = "corridor.db",
    json_out: JsonOption = False,
    claimreview: Annotated[bool, typer.Option(
        "--claimreview", help="Print schema.org ClaimReview JSON-LD.")] = False,
) -> None:
    """A stored check: its latest verdict with evidence, its history and linked claims."""
    from rich.text import Text

    from .check.verdict import Verdict

    if json_out and not claimreview:
        from .views.checks import check_page

        with _open(db) as corridor:
            _print_model(check_page(corridor, check_id))
        return
    with _open(db) as corridor:
        stored = corridor.stored_check(check_id)
        history = corridor.check_history(check_id)
        review = corridor.claimreview(check_id) if claimreview else None
    if review is not None:
        _print_json(review)
        return
    verdict = Verdict.from_dict(stored.result)
    verdict.check_id, verdict.claim, verdict.matches = stored.id, stored.claim, []
    _print_verdict(verdict)
    out.print(Text("history", style="bold"))
    for r in history:
        out.print(f"  {r.checked_at}  {r.verdict:<16} {r.confidence:.2f}  "
                  f"({r.documents} documents, judge {r.judge})", markup=False)
    for link in stored.links:
        out.print(Text(f"  {link.kind} match: check #{link.matched_id} "
                       f"({link.similarity:.2f}) {link.claim}", style="dim"))


@app.command()
def embed(db: DbOption = "corridor.db", json_out: JsonOption = False) -> None:
    """Embed stored sentences and commitment actions that have no vector yet (ingest
    does this by itself; run it once for a database extracted before they existed)."""
    with _open(db) as corridor:
        n = corridor.embed_sentences()
        actions = corridor.embed_commitment_actions()
    if json_out:
        _print_json({"embedded": n, "actions": actions})
    else:
        out.print(f"embedded {n} new sentence texts and {actions} commitment actions")


@app.command()
def migrate(
    from_db: Annotated[str, typer.Option(
        "--from", help="The pool to copy: a SQLite path (or sqlite:///path) or postgresql://...")],
    to_db: Annotated[str, typer.Option(
        "--to", help="An empty pool to copy it into (created and migrated if new).")],
    json_out: JsonOption = False,
) -> None:
    """Copy a whole pool between backends, e.g. from SQLite to PostgreSQL.

    Everything is copied with its ids (documents, sources, quarantine, LSH
    bands, extracted facts, vectors, checks, runs, tokens) in one transaction;
    the target must be empty. The source is left as it was.
    """
    with _open(from_db) as corridor:
        try:
            counts = corridor.copy_to(to_db)
        except CorridorError as exc:
            err.print(f"[red]error[/red] {escape(str(exc))}")
            raise typer.Exit(exc.exit_code) from exc
    if json_out:
        _print_json(counts)
        return
    out.print(f"Copied {counts.get('documents', 0)} documents and "
              f"{sum(counts.values()) - counts.get('documents', 0)} other records "
              f"to {escape(to_db.split('@')[-1])}")


def main() -> None:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    app()


if __name__ == "__main__":
    main()
