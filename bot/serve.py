"""`briefbot run`: the service with the chat adapters asked for (`bot.adapters.protocol`).

The embedded default (no token) is SQLite and the console: the tables are created or migrated on start
(PostgreSQL still needs `briefbot db upgrade`). Each adapter registers its digest delivery, gets ready
before the scheduler starts, and serves until the console is left, SIGTERM, Ctrl-C, or an adapter fails.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
from collections.abc import Callable, Sequence

from bot.adapters.protocol import AdapterFactory, AdapterKit, ChatAdapter
from bot.bootstrap import Service, build_service, feed_reader, read_options
from bot.clock import Clock, SystemClock
from bot.collector import freeze_what_lives
from bot.commands.catalog import COMMANDS
from bot.commands.stories import StoryLibrary
from bot.commands.table import CommandServices
from bot.config import BotSettings
from bot.delivery import DeliveryRouter
from bot.feeds.links import LinkReader
from bot.health import HealthServer, HealthSources
from bot.scheduler.process import SchedulerProcess
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


async def serve(
    settings: BotSettings, adapters: Sequence[AdapterFactory], scheduler_argv: Sequence[str] | None = None
) -> None:
    """Run the service and the adapters given, until one ends, SIGTERM, or Ctrl-C.

    With `scheduler_argv` (a `briefbot scheduler --report` command line) the scheduler's work runs in that
    child process, and this one only answers commands; without, it runs here.
    """
    # SIGTERM is taken from the very start: a stop asked for while starting is a clean stop, not a kill.
    stopped = asyncio.Event()
    with contextlib.suppress(NotImplementedError, RuntimeError):
        asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, stopped.set)
    await prepare_embedded_store(settings)
    clock = SystemClock()
    router = DeliveryRouter()
    service = await build_service(settings, router, clock, fetcher=feed_reader(settings))
    links = LinkReader(read_options(settings), service.extractor)
    services = CommandServices(
        stories=StoryLibrary(service.store, clock),
        admin=service.admin,
        metrics=service.metrics,
        links=links,
    )
    kit = AdapterKit(settings=settings, service=service, services=services, table=COMMANDS)
    running: list[ChatAdapter] = []
    tasks: list[asyncio.Task[None]] = []
    health: HealthServer | None = None
    child = (
        SchedulerProcess(scheduler_argv, settings.shutdown_grace_s, service.metrics)
        if scheduler_argv
        else None
    )
    if child is not None:
        service.admin.on_change = child.channel_changed
    try:
        if settings.health_port is not None:
            health = health_server(service, clock, child, stopped.is_set)
            await health.start()
        for factory in adapters:
            adapter = factory(kit)
            running.append(adapter)
            router.register(adapter.name, adapter.delivery)
        for adapter in running:
            await adapter.prepare()
        if stopped.is_set():
            return
        if child is not None:
            await child.start()
        else:
            await service.start()
        # Everything alive now (modules, settings, the service) lives as long as the process: keep it out
        # of the garbage collector's full passes, which then stay short while commands are answered.
        freeze_what_lives()
        tasks = [asyncio.create_task(adapter.start(), name=adapter.name) for adapter in running]
        tasks.append(asyncio.create_task(_wait(stopped), name="sigterm"))
        done, _ = await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
        for task in done:
            task.result()  # an adapter that could not start raises its message here
    finally:
        # The scheduler stops first, while the adapters still deliver: the digests in flight get the
        # grace period to post their remaining parts, and the leader lock is released for a standby.
        stopped.set()  # /healthz says "stopping" from now on
        if child is not None:
            await child.stop()
        await service.stop_scheduling()
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        for adapter in running:
            try:
                await adapter.stop()
            except Exception:
                _log.exception("%s did not stop cleanly", adapter.name)
        if health is not None:
            await health.stop()
        await links.close()
        await service.stop()


def health_server(
    service: Service,
    clock: Clock,
    child: SchedulerProcess | None = None,
    stopping: Callable[[], bool] = lambda: False,
) -> HealthServer:
    """The operator's /healthz and /metrics for the service, on the host and port its settings name.

    Whether this process leads, and its last poll round, are its scheduler child's when it has one.
    """
    settings = service.settings
    sources = HealthSources(
        store=service.store,
        is_leader=(lambda: child.active) if child is not None else (lambda: service.scheduler.active),
        last_poll_round=(lambda: child.last_poll_round)
        if child is not None
        else (lambda: service.poll_round.last_finished),
        clock=clock,
        max_poll_age_s=settings.health_max_poll_age_s,
        stopping=stopping,
    )
    return HealthServer(sources, service.metrics, settings.health_host, settings.health_port or 0)


async def _wait(event: asyncio.Event) -> None:
    await event.wait()
