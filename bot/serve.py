"""`briefbot run`: the service with its chat adapters — Discord when a token is set, the local console.

The embedded default (no token) is SQLite and the console: the tables are created or migrated on start
(PostgreSQL still needs `briefbot db upgrade`), and on the console's first start its channel follows the
demo feeds shipped with briefbot, read at once, so the first `/brief` has answers.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import logging
import signal
from pathlib import Path
from typing import TextIO

from rich.console import Console
from rich.text import Text

from bot.bootstrap import Service, build_service, read_options
from bot.clock import Clock, SystemClock
from bot.commands.catalog import COMMANDS
from bot.commands.stories import StoryLibrary
from bot.commands.table import CommandServices
from bot.config import BotSettings
from bot.delivery import DeliveryRouter
from bot.demo import DEMO_FEEDS, DemoFeedReader
from bot.feeds.canonical import canonical_url
from bot.feeds.fetching import EngineFeedReader
from bot.health import HealthServer, HealthSources
from bot.identity import Caller, ChannelRef
from bot.store import channels as channel_store
from bot.store import feeds as feed_store
from bot.store.db import Store
from bot.store.migrate import upgrade_store

_log = logging.getLogger(__name__)


async def prepare_embedded_store(settings: BotSettings) -> None:
    """On SQLite (the embedded default) create or migrate the tables; PostgreSQL is left to `db upgrade`."""
    store = Store.from_url(settings.store_url())
    try:
        if store.dialect == "sqlite":
            await store.check()
            await upgrade_store(store)
    finally:
        await store.close()


async def follow_demo_feeds(service: Service, ref: ChannelRef, caller: Caller) -> bool:
    """A channel never set up gets the demo feeds, read now; False when it was set up before."""
    async with service.store.transaction() as session:
        if await channel_store.find_channel(session, ref) is not None:
            return False
    await service.admin.setup(ref, caller)
    for url in DEMO_FEEDS:
        await service.admin.add_feed(ref, caller, url)
    async with service.store.transaction() as session:
        feeds = [await feed_store.find_feed(session, canonical_url(url)) for url in DEMO_FEEDS]
    await asyncio.gather(*(service.poller.poll_feed(feed.id) for feed in feeds if feed is not None))
    return True


async def serve(
    settings: BotSettings,
    *,
    console: bool,
    discord: bool,
    demo: bool = True,
    out: Console | None = None,
    stdin: TextIO | None = None,
) -> None:
    """Run the service and the adapters asked for, until the console is left, SIGTERM, or Ctrl-C."""
    out = out or Console(highlight=False)
    await prepare_embedded_store(settings)
    clock = SystemClock()
    router = DeliveryRouter()
    options = read_options(settings)
    reader = DemoFeedReader(EngineFeedReader(options, settings.feeds.concurrency), options)
    service = await build_service(settings, router, clock, fetcher=reader)
    services = CommandServices(
        stories=StoryLibrary(service.store, clock), admin=service.admin, metrics=service.metrics
    )
    tasks: list[asyncio.Task[None]] = []
    client = None
    health: HealthServer | None = None
    try:
        if settings.health_port is not None:
            health = health_server(service, clock)
            await health.start()
        if discord:
            from bot.discord.client import make_client, start_client
            from bot.discord.delivery import DiscordDelivery

            client = make_client(settings, COMMANDS, services)
            router.register("discord", DiscordDelivery(client))
            token = settings.discord_token.get_secret_value() if settings.discord_token else None
            tasks.append(asyncio.create_task(start_client(client, token), name="discord"))
        if console:
            from bot.console.app import run_console
            from bot.console.channel import ConsoleChannel

            channel = ConsoleChannel(COMMANDS, services, out, store=service.store)
            router.register("console", channel)
            log_file = log_to_file(settings.data_dir / "briefbot.log")
            out.print(Text(f"The log (for the operator) is in {log_file}.", style="dim"))
            if demo:
                out.print(
                    Text("First start? Reading the demo feeds (loading the language model)…", style="dim")
                )
                if await follow_demo_feeds(service, channel.ref, channel.caller):
                    out.print(Text("This channel now follows two demo feeds of invented news.", style="dim"))
            tasks.append(asyncio.create_task(run_console(channel, stdin), name="console"))
        await service.start()
        # Everything alive now (modules, settings, the service) lives as long as the process: keep it out
        # of the garbage collector's full passes, which then stay short while commands are answered.
        gc.freeze()
        stopped = asyncio.Event()
        with contextlib.suppress(NotImplementedError, RuntimeError):
            asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, stopped.set)
        tasks.append(asyncio.create_task(_wait(stopped), name="sigterm"))
        done, _ = await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
        for task in done:
            task.result()  # a Discord that could not start raises its message here
    finally:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        if client is not None and not client.is_closed():
            await client.close()
        if health is not None:
            await health.stop()
        await service.stop()


def health_server(service: Service, clock: Clock) -> HealthServer:
    """The operator's /healthz and /metrics for the service, on the host and port its settings name."""
    settings = service.settings
    sources = HealthSources(
        store=service.store,
        is_leader=lambda: service.scheduler.active,
        last_poll_round=lambda: service.poll_round.last_finished,
        clock=clock,
        max_poll_age_s=settings.health_max_poll_age_s,
    )
    return HealthServer(sources, service.metrics, settings.health_host, settings.health_port or 0)


def log_to_file(path: Path) -> Path:
    """Send the log to a file instead of the terminal, where it would break into the console's answers."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handler = logging.FileHandler(path, encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    for old in [h for h in root.handlers if isinstance(h, logging.StreamHandler)]:
        if not isinstance(old, logging.FileHandler):
            root.removeHandler(old)
    root.addHandler(handler)
    return path


async def _wait(event: asyncio.Event) -> None:
    await event.wait()
