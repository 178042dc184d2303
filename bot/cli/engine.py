"""`briefbot analyze` and `briefbot brief`: the engine on files, folders, URLs and feeds."""

from __future__ import annotations

import dataclasses
import json
import sys
from datetime import datetime
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console

from bot.cli.options import err as _err
from bot.config import EngineSettings, load_engine_settings
from briefings.ingest.dates import parse_date_option
from briefings.ingest.errors import SourceError
from briefings.ingest.fetch import FetchPolicy
from briefings.ingest.sources import ReadOptions, list_source_files
from briefings.nlp import PipelineNotInstalled, load_pipeline

if TYPE_CHECKING:
    from briefings.analysis import AnalysisResult


SourcesArg = Annotated[
    list[str], typer.Argument(help="files, folders, http(s) URLs of pages or feeds, or - for stdin")
]
PublishedOpt = Annotated[
    str | None, typer.Option("--published", help="publication time when the source has none (ISO 8601)")
]


def _published(value: str | None) -> datetime | None:
    if value is None:
        return None
    try:
        return parse_date_option(value)
    except ValueError:
        _err.print(
            f"briefbot: --published {value!r} is not a date (write it as ISO 8601, e.g. 2020-01-08)",
            markup=False,
        )
        raise typer.Exit(2) from None


def _read_options(settings: EngineSettings) -> ReadOptions:
    return ReadOptions(
        max_article_chars=settings.max_article_chars,
        fetch=FetchPolicy(
            max_bytes=settings.fetch_max_bytes,
            timeout_s=settings.fetch_timeout_s,
            allow_private=settings.allow_private_urls,
        ),
    )


def _report(error: SourceError) -> None:
    _err.print(f"briefbot: {error.source}: {error.reason}", markup=False)


def _run(sources: list[str], published: str | None, separate: bool, progress: bool) -> AnalysisResult:
    # The engine (and spaCy) load only for the commands that analyse, so `briefbot --help` stays quick.
    from briefings.analysis import analyze_sources

    when = _published(published)
    settings = load_engine_settings()
    try:
        nlp = load_pipeline(settings.spacy_pipeline)
    except PipelineNotInstalled as exc:
        _err.print(f"briefbot: {exc}", markup=False)
        raise typer.Exit(3) from None
    options = _read_options(settings)
    files = _count_files(sources) if progress and _err.is_terminal else 0
    if files < PROGRESS_MIN_FILES:
        return analyze_sources(nlp, sources, when, separate, options, on_error=_report)
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    # The bar counts files and URLs read; the articles are analysed in batches just behind the reading.
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=_err, transient=True) as bar:
        task = bar.add_task("reading articles", total=files)
        options = dataclasses.replace(options, on_source_read=lambda _: bar.advance(task))
        return analyze_sources(nlp, sources, when, separate, options, on_error=_report)


# `briefbot brief` shows a progress bar on a terminal when it reads at least this many files.
PROGRESS_MIN_FILES = 4


def _count_files(sources: list[str]) -> int:
    total = 0
    for spec in sources:
        try:
            total += len(list_source_files(spec))
        except SourceError:
            total += 1
    return total


def analyze(
    sources: SourcesArg,
    published: PublishedOpt = None,
    separate: Annotated[
        bool, typer.Option("--separate", help="one story per article, no clustering")
    ] = False,
    as_json: Annotated[
        bool, typer.Option("--json", help="print the briefbot.analysis/1 JSON (CONTRACT.md)")
    ] = False,
) -> None:
    """Analyse articles and print their event structure."""
    result = _run(sources, published, separate, progress=False)
    if not result.analyses:
        _err.print("briefbot: no article could be read from the sources given")
        raise typer.Exit(1)
    if as_json:
        from briefings.contract import analysis_json

        sys.stdout.write(
            json.dumps(analysis_json(result.analyses, result.stories, result.set_aside), ensure_ascii=False)
        )
        sys.stdout.write("\n")
        return
    from bot.terminal import print_stories

    print_stories(Console(), result)


def brief(sources: SourcesArg, published: PublishedOpt = None) -> None:
    """Print the digest, people, timeline and quotes of the stories in the sources."""
    result = _run(sources, published, separate=False, progress=True)
    if not result.analyses:
        _err.print("briefbot: no article could be read from the sources given")
        raise typer.Exit(1)
    from bot.terminal import print_stories

    print_stories(Console(), result)


def register(app: typer.Typer) -> None:
    """Add `analyze` and `brief` to the `briefbot` command line."""
    app.command("analyze")(analyze)
    app.command("brief")(brief)
