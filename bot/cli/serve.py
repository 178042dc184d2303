"""`briefbot run`, `briefbot console` and `briefbot discord run|invite`: starting briefbot's chat adapters."""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console

from bot.cli.options import ConfigOpt
from bot.cli.options import err as _err
from bot.cli.options import out as _out
from bot.cli.options import settings_or_exit as _settings
from bot.config import BotSettings

if TYPE_CHECKING:
    from bot.adapters.protocol import AdapterFactory, DeliveryFactory


discord_app = typer.Typer(no_args_is_help=True, help="Discord: run the bot there, or print its invite URL.")
slack_app = typer.Typer(no_args_is_help=True, help="Slack: run the bot there, or print its app manifest.")

DemoOpt = Annotated[
    bool, typer.Option("--demo/--no-demo", help="on the console's first start, follow the demo feeds")
]


def _has_discord(settings: BotSettings) -> bool:
    return settings.discord_token is not None and bool(settings.discord_token.get_secret_value().strip())


def _has_slack(settings: BotSettings) -> bool:
    return (
        settings.slack_bot_token is not None and bool(settings.slack_bot_token.get_secret_value().strip())
    ) or bool(settings.slack_client_id)


def _adapters(console: bool, discord: bool, demo: bool, slack: bool = False) -> list[AdapterFactory]:
    """The adapters to serve, each imported only when it is used (a console-only start loads no discord.py)."""
    factories: list[AdapterFactory] = []
    if slack:
        from bot.slack.adapter import slack_adapter

        factories.append(slack_adapter)
    if discord:
        from bot.discord.adapter import discord_adapter

        factories.append(discord_adapter)
    if console:
        from bot.console.adapter import console_adapter

        # The console's own output wraps at the terminal's width (the other messages keep their lines whole).
        factories.append(console_adapter(Console(highlight=False), demo=demo))
    return factories


def _deliveries(settings: BotSettings) -> list[DeliveryFactory]:
    """The platforms' deliveries alone, for the scheduler's process (each imported only when it is used)."""
    factories: list[DeliveryFactory] = []
    if _has_slack(settings):
        from bot.slack.delivery import SlackRestDelivery

        factories.append(lambda settings, service: SlackRestDelivery(settings, service.store, service.admin))
    if _has_discord(settings):
        from bot.discord.rest import DiscordRestDelivery

        factories.append(lambda settings, service: DiscordRestDelivery(settings))
    return factories


def _scheduler_argv(settings: BotSettings, config: Path | None, console: bool) -> list[str] | None:
    """The command line of the scheduler's child process, or None when it runs in-process.

    A child on PostgreSQL (its leader lock is shared between processes) unless the settings say otherwise;
    never with the local console, whose messages only this process can show.
    """
    if console or not settings.scheduler.separate_process:
        return None
    if not settings.store_url().startswith(("postgresql", "postgres:")):
        return None
    argv = [sys.executable, "-m", "bot.cli", "scheduler", "--report"]
    if config is not None:
        argv += ["--config", str(config.resolve())]
    return argv


def _serve(
    settings: BotSettings,
    console: bool,
    discord: bool,
    demo: bool,
    slack: bool = False,
    scheduler_argv: list[str] | None = None,
) -> None:
    from bot.adapters.protocol import AdapterStartFailed
    from bot.bootstrap import StoreNotReady
    from bot.health import HealthPortUnavailable
    from bot.serve import serve
    from bot.store.db import StoreUnavailable

    try:
        if discord:
            from bot.discord.client import check_token

            # Before the store is opened: a missing token is one line at once.
            check_token(settings.discord_token.get_secret_value() if settings.discord_token else None)
        if slack:
            from bot.slack.adapter import check_settings

            check_settings(settings)
        asyncio.run(serve(settings, _adapters(console, discord, demo, slack), scheduler_argv))
    except AdapterStartFailed as exc:
        _err.print(f"briefbot: {exc}", markup=False)
        raise typer.Exit(2) from None
    except (StoreUnavailable, StoreNotReady, HealthPortUnavailable) as exc:
        _err.print(f"briefbot: {exc}", markup=False)
        raise typer.Exit(1) from None
    except KeyboardInterrupt:
        raise typer.Exit(130) from None


def run(
    config: ConfigOpt = None,
    console: Annotated[
        bool | None,
        typer.Option("--console/--no-console", help="open the local console (default: when no token is set)"),
    ] = None,
    demo: DemoOpt = True,
) -> None:
    """Start briefbot on every platform whose settings are present (Discord, Slack), else in the console."""
    settings = _settings(config)
    discord = _has_discord(settings)
    slack = _has_slack(settings)
    open_console = console if console is not None else not (discord or slack)
    if not discord and not slack and not open_console:
        _err.print(
            "briefbot: nothing to serve: set BRIEFBOT_DISCORD_TOKEN or BRIEFBOT_SLACK_BOT_TOKEN, or leave out "
            "--no-console"
        )
        raise typer.Exit(2)
    _serve(
        settings,
        console=open_console,
        discord=discord,
        demo=demo,
        slack=slack,
        scheduler_argv=_scheduler_argv(settings, config, open_console),
    )


def scheduler_command(
    config: ConfigOpt = None,
    report: Annotated[
        bool, typer.Option("--report", hidden=True, help="talk to a parent `briefbot run` on stdin/stdout")
    ] = False,
) -> None:
    """Run only the scheduler (digests, feed poll rounds), posting to every platform whose settings are present.

    `briefbot run` on PostgreSQL starts one itself; run this alone to keep the scheduler's work on machines of
    its own (set BRIEFBOT_SCHEDULER__SEPARATE_PROCESS=false for the `briefbot run` processes then).
    """
    from bot.adapters.protocol import AdapterStartFailed
    from bot.bootstrap import StoreNotReady
    from bot.scheduler.child import run_scheduler
    from bot.store.db import StoreUnavailable

    settings = _settings(config)
    platforms = _deliveries(settings)
    if not platforms:
        _err.print("briefbot: nothing to post to: set BRIEFBOT_DISCORD_TOKEN or BRIEFBOT_SLACK_BOT_TOKEN")
        raise typer.Exit(2)
    try:
        asyncio.run(run_scheduler(settings, platforms, report))
    except AdapterStartFailed as exc:
        _err.print(f"briefbot: {exc}", markup=False)
        raise typer.Exit(2) from None
    except (StoreUnavailable, StoreNotReady) as exc:
        _err.print(f"briefbot: {exc}", markup=False)
        raise typer.Exit(1) from None
    except KeyboardInterrupt:
        raise typer.Exit(130) from None


def console_command(config: ConfigOpt = None, demo: DemoOpt = True) -> None:
    """Open the local console only (a channel in this terminal), whatever tokens are set."""
    _serve(_settings(config), console=True, discord=False, demo=demo)


@discord_app.command("run")
def discord_run(config: ConfigOpt = None) -> None:
    """Run briefbot on Discord only (needs BRIEFBOT_DISCORD_TOKEN)."""
    _serve(_settings(config), console=False, discord=True, demo=False)


@discord_app.command("invite")
def discord_invite(
    config: ConfigOpt = None,
    application_id: Annotated[
        int | None, typer.Option("--application-id", help="the application's id (default: from the settings)")
    ] = None,
) -> None:
    """Print the URL that adds briefbot to a server, with exactly the scopes and permissions it needs."""
    from bot.discord.invite import PERMISSIONS, application_id_from_token, invite_url

    settings = _settings(config)
    app_id = application_id or settings.discord_application_id
    if app_id is None and settings.discord_token is not None:
        app_id = application_id_from_token(settings.discord_token.get_secret_value())
    if app_id is None:
        _err.print(
            "briefbot: the invite needs the application's id: give --application-id (Developer Portal → your "
            "application → General Information → Application ID), set BRIEFBOT_DISCORD_APPLICATION_ID, or "
            "set BRIEFBOT_DISCORD_TOKEN"
        )
        raise typer.Exit(2)
    _out.print(invite_url(app_id), markup=False)
    _err.print(
        "scopes: bot, applications.commands; permissions: " + "; ".join(PERMISSIONS.values()), markup=False
    )


@slack_app.command("run")
def slack_run(config: ConfigOpt = None) -> None:
    """Run briefbot on Slack only (HTTP mode, or Socket Mode with BRIEFBOT_SLACK_APP_TOKEN)."""
    _serve(_settings(config), console=False, discord=False, demo=False, slack=True)


@slack_app.command("manifest")
def slack_manifest(
    config: ConfigOpt = None,
    request_url: Annotated[
        str | None,
        typer.Option(
            "--request-url",
            help="the public https address of this bot (HTTP mode), e.g. https://bot.example.org",
        ),
    ] = None,
    socket_mode: Annotated[
        bool, typer.Option("--socket-mode", help="an app that connects out (Socket Mode)")
    ] = False,
) -> None:
    """Print the Slack app manifest (commands, scopes, events, URLs): paste it at api.slack.com/apps."""
    import json

    from bot.commands.catalog import COMMANDS
    from bot.slack.manifest import app_manifest

    if bool(request_url) == socket_mode:
        _err.print("briefbot: give either --request-url https://your.host or --socket-mode", markup=False)
        raise typer.Exit(2)
    if request_url and not request_url.startswith("https://"):
        _err.print(f"briefbot: Slack sends requests only to https addresses, not {request_url}", markup=False)
        raise typer.Exit(2)
    settings = _settings(config)
    manifest = app_manifest(COMMANDS, request_url, socket_mode, settings.slack_command_prefix)
    _out.print(json.dumps(manifest, indent=2), markup=False)


def register(app: typer.Typer) -> None:
    """Add `run`, `console`, `discord …` and `slack …` to the `briefbot` command line."""
    app.command("run")(run)
    app.command("scheduler")(scheduler_command)
    app.command("console")(console_command)
    app.add_typer(discord_app, name="discord")
    app.add_typer(slack_app, name="slack")
