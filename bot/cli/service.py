"""`briefbot db upgrade`, `briefbot doctor` and `briefbot worker`: the operator's commands for the service."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable

import typer

from bot.cli.options import ConfigOpt
from bot.cli.options import err as _err
from bot.cli.options import out as _out
from bot.cli.options import settings_or_exit as _settings
from bot.config import BotSettings

_log = logging.getLogger(__name__)

db_app = typer.Typer(no_args_is_help=True, help="The database: create or migrate its tables.")


@db_app.command("upgrade")
def db_upgrade(config: ConfigOpt = None) -> None:
    """Create the tables, or migrate them to this version of briefbot (safe to run again)."""
    settings = _settings(config)
    from bot.store.db import Store, StoreUnavailable
    from bot.store.migrate import current_revision, head_revision, migration_lock, upgrade_store

    async def run() -> tuple[str | None, str | None]:
        store = Store.from_url(settings.store_url())
        try:
            await store.check()
            # Containers starting together each run this: one migrates, the others then find it done.
            async with migration_lock(store):
                before = await current_revision(store)
                await upgrade_store(store)
                if settings.queue.backend == "procrastinate":
                    from bot.feeds.queue import FeedQueue

                    queue = FeedQueue(settings)
                    await queue.open()
                    try:
                        await queue.apply_schema()
                    finally:
                        await queue.close()
                return before, await current_revision(store)
        finally:
            await store.close()

    try:
        before, after = asyncio.run(run())
    except StoreUnavailable as exc:
        _err.print(f"briefbot: {exc}", markup=False)
        raise typer.Exit(1) from None
    if before == after:
        _out.print(f"the database is up to date (revision {after}, the newest is {head_revision()})")
    else:
        _out.print(f"the database is migrated: {before or 'empty'} → {after}")


def doctor(config: ConfigOpt = None) -> None:
    """Check the settings, the database, its migrations and the spaCy pipeline; say what to fix."""
    settings = _settings(config)
    from bot.store.db import Store, StoreUnavailable, describe_url, parse_store_url
    from bot.store.migrate import current_revision, head_revision
    from briefings.nlp import PipelineNotInstalled, load_pipeline

    problems = 0

    def report(ok: bool, line: str) -> None:
        nonlocal problems
        problems += not ok
        (_out if ok else _err).print(("ok    " if ok else "FIX   ") + line, markup=False)

    url = settings.store_url()
    try:
        parse_store_url(url)
    except StoreUnavailable as exc:  # nothing else about the database can be checked
        report(False, f"BRIEFBOT_DATABASE_URL: {exc}")
        url = ""
    else:
        report(True, f"database URL: {describe_url(url)}")

    async def check_store() -> tuple[str | None, str | None]:
        store = Store.from_url(url)
        try:
            await store.check()
            return await current_revision(store), head_revision()
        finally:
            await store.close()

    try:
        if url:
            current, head = asyncio.run(check_store())
            report(True, "the database answers")
            report(
                current == head,
                f"tables at revision {current or 'none'} (this briefbot needs {head})"
                + ("" if current == head else ": run `briefbot db upgrade`"),
            )
    except StoreUnavailable as exc:
        report(False, str(exc))
    try:
        load_pipeline(settings.spacy_pipeline)
        report(True, f"spaCy pipeline {settings.spacy_pipeline} loads")
    except PipelineNotInstalled as exc:
        report(False, str(exc))
    tokens = [
        name
        for name, value in (
            ("Discord", settings.discord_token),
            ("Slack", settings.slack_bot_token),
        )
        if value is not None and value.get_secret_value()
    ]
    report(True, "platform tokens set: " + (", ".join(tokens) if tokens else "none (local console only)"))
    if "Slack" in tokens or settings.slack_client_id:
        _check_slack(settings, report)
    report(
        True,
        f"feed polls run: {settings.queue.backend}; extraction workers: {settings.feeds.extraction_workers}",
    )
    if problems:
        raise typer.Exit(1)


def _check_slack(settings: BotSettings, report: Callable[[bool, str], None]) -> None:
    """The Slack settings fit together, and Slack accepts the bot token (auth.test)."""
    from bot.adapters.protocol import AdapterStartFailed
    from bot.slack.adapter import check_settings, check_token, socket_mode

    try:
        check_settings(settings)
        mode = (
            "Socket Mode"
            if socket_mode(settings)
            else f"HTTP mode on {settings.slack_host}:{settings.slack_port}"
        )
        report(True, f"Slack settings: {mode}")
        if settings.slack_client_id:
            report(True, "Slack: installs in many workspaces through OAuth (/slack/install)")
        else:
            report(True, f"Slack accepts the bot token (auth.test: {asyncio.run(check_token(settings))})")
    except AdapterStartFailed as exc:
        report(False, str(exc))


def worker(config: ConfigOpt = None) -> None:
    """Run feed polls from the procrastinate queue (when BRIEFBOT_QUEUE__BACKEND=procrastinate)."""
    settings = _settings(config)
    if settings.queue.backend != "procrastinate":
        _err.print("briefbot: the worker needs BRIEFBOT_QUEUE__BACKEND=procrastinate and PostgreSQL")
        raise typer.Exit(2)
    from bot.bootstrap import open_store, read_options
    from bot.clock import SystemClock
    from bot.feeds.extraction import make_extractor
    from bot.feeds.fetching import EngineFeedReader
    from bot.feeds.poller import FeedPoller
    from bot.feeds.queue import FeedQueue
    from bot.store.db import StoreUnavailable

    async def run() -> None:
        store = await open_store(settings)
        fetcher = EngineFeedReader(read_options(settings), settings.feeds.concurrency)
        extractor = make_extractor(settings.spacy_pipeline, settings.feeds.extraction_workers)
        queue = FeedQueue(settings)
        await queue.open()
        try:
            poller = FeedPoller(store, fetcher, extractor, SystemClock(), settings.feeds)
            await queue.work(
                poller,
                wait=True,
                concurrency=settings.feeds.concurrency,
                shutdown_grace_s=settings.shutdown_grace_s,
            )
        finally:
            await queue.close()
            await fetcher.close()
            await extractor.close()
            await store.close()

    try:
        asyncio.run(run())
    except StoreUnavailable as exc:
        _err.print(f"briefbot: {exc}", markup=False)
        raise typer.Exit(1) from None


def register(app: typer.Typer) -> None:
    """Add the service commands to the `briefbot` command line."""
    app.add_typer(db_app, name="db")
    app.command("doctor")(doctor)
    app.command("worker")(worker)
