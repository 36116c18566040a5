"""The ``corridor`` command line: thin; every command calls ``corridor.service.Corridor``."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TextColumn,
    TimeElapsedColumn,
)
from rich.table import Table
from rich.text import Text

from .errors import CorridorError
from .service import Corridor, IngestReport
from .settings import Settings

app = typer.Typer(
    name="corridor",
    help=(
        "Corridor: a sourced knowledge pool of bilateral-relations news.\n\n"
        "Ingest articles (files, folders, JSONL, URLs, RSS/Atom/JSON feeds) into one "
        "SQLite file, then search them with highlighted, cited snippets. Every command "
        "takes --db (default: $CORRIDOR_DB or ./corridor.db)."
    ),
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
)
out = Console()
err = Console(stderr=True)

DbOption = Annotated[
    str,
    typer.Option("--db", envvar="CORRIDOR_DB", help="Database: SQLite file path."),
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")]


@contextmanager
def _open(db: str, **settings: Any) -> Iterator[Corridor]:
    try:
        with Corridor(settings=Settings.from_env(db=db, **settings)) as corridor:
            yield corridor
    except CorridorError as exc:
        err.print(f"[red]error[/red] {escape(str(exc))}")
        raise typer.Exit(2) from exc


def _print_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n")


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
) -> None:
    """Ingest articles: clean, date, deduplicate and store them.

    Prints a summary: stored / duplicates / unchanged (already ingested) /
    dropped with reasons / quarantined (see `corridor quarantine`).
    Re-running on the same input changes nothing; an interrupted run can simply
    be run again.
    """
    from .ingest.sources import count_hint

    with _open(db, max_bytes=max_bytes, fetch_article_links=fetch_links or None) as corridor:
        total = count_hint(targets)
        show = not quiet and not json_out and err.is_terminal
        with Progress(
            SpinnerColumn(), TextColumn("[bold]ingest[/bold]"), BarColumn(),
            MofNCompleteColumn(), TimeElapsedColumn(), TextColumn("{task.description}"),
            console=err, disable=not show, transient=False,
        ) as bar:
            task = bar.add_task("", total=total)
            tally: dict[str, int] = {}

            def progress(outcome: str, key: str, detail: str) -> None:
                tally[outcome] = tally.get(outcome, 0) + 1
                desc = " ".join(f"{k}={v}" for k, v in sorted(tally.items()))
                bar.update(task, advance=1, description=desc)
                if outcome == "quarantined" and not json_out:
                    err.print(f"[yellow]quarantined[/yellow] {escape(key)}: {escape(detail)}")

            report = corridor.ingest(targets, progress=progress)
    if json_out:
        _print_json(report.to_dict())
    else:
        _print_report(report)


def _print_report(report: IngestReport) -> None:
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
) -> None:
    """Keyword search (BM25) with highlighted snippets, best first."""
    with _open(db) as corridor:
        try:
            hits = corridor.search(query, since=since, until=until, source=source, lang=lang,
                                   limit=limit)
        except CorridorError as exc:
            err.print(f"[red]error[/red] {escape(str(exc))}")
            raise typer.Exit(2) from exc
    if json_out:
        _print_json([h.__dict__ for h in hits])
        return
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


def _highlight(snippet: str, spans: list[tuple[int, int]]) -> Text:
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
    with _open(db) as corridor:
        try:
            doc = corridor.document(doc_id)
        except CorridorError as exc:
            err.print(f"[red]error[/red] {escape(str(exc))}")
            raise typer.Exit(1) from exc
    if json_out:
        _print_json(doc.to_dict())
        return
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
    with _open(db) as corridor:
        data = corridor.stats()
    if json_out:
        _print_json(data)
        return
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
    with _open(db) as corridor:
        records = corridor.quarantine(limit)
    if json_out:
        _print_json([r.__dict__ for r in records])
        return
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
        with Progress(SpinnerColumn(), TextColumn("[bold]extract[/bold]"), BarColumn(),
                      MofNCompleteColumn(), TimeElapsedColumn(), console=err,
                      disable=not show) as bar:
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
    with _open(db) as corridor:
        rows = corridor.entities(type_, query, limit)
    if json_out:
        _print_json([asdict(r) for r in rows])
        return
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
    with _open(db) as corridor:
        try:
            profile = corridor.entity(name, limit)
        except CorridorError as exc:
            err.print(f"[red]error[/red] {escape(str(exc))}")
            raise typer.Exit(1) from exc
    if json_out:
        _print_json(asdict(profile))
        return
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


def _event_date(date: str | None, phrase: str | None) -> str:
    if date:
        return date
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
    with _open(db) as corridor:
        try:
            rows = corridor.events(since=since, until=until, type=type_, entity=entity_,
                                   limit=limit)
        except CorridorError as exc:
            err.print(f"[red]error[/red] {escape(str(exc))}")
            raise typer.Exit(2) from exc
    if json_out:
        _print_json([asdict(r) for r in rows])
        return
    if not rows:
        out.print("No events.")
    for ev in rows:
        head = f"{_event_date(ev.date, ev.date_phrase)}  {ev.type}"
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
    with _open(db) as corridor:
        rows = corridor.commitments(party=party, sector=sector, project=project, limit=limit)
    if json_out:
        _print_json([asdict(r) for r in rows])
        return
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


def main() -> None:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    app()


if __name__ == "__main__":
    main()
