"""`briefbot scheduler`: the scheduler's work alone, in a process that answers no commands.

`briefbot run` on PostgreSQL starts this as its child (`bot.scheduler.process`), so digests being built and
posted, the minute sweeps and the feed poll rounds never hold up the event loop (nor the interpreter lock)
of the process answering commands. It competes for the same leader lock as any other scheduler: one is
active among all processes, the others stand by and take over when it stops or dies. It posts through
each platform's delivery alone (Discord over REST without a gateway, Slack's Web API).

With `report`, it talks to its parent over its standard streams: it writes `leader`, `standby` and
`polled <ISO time>` lines and `counts <JSON>` (its metrics' counters, which
the parent's /metrics adds to its own) on stdout when they change, reads `changed <channel id>` lines on stdin (an admin
changed a schedule in the parent), and stops when stdin closes (its parent is gone). SIGTERM and SIGINT are
graceful stops: the jobs in flight get the grace period, the lock is released at once.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import signal
import sys
from collections.abc import Sequence
from typing import TextIO

from bot.adapters.protocol import DeliveryFactory, PlatformDelivery
from bot.bootstrap import Service, build_service, feed_reader
from bot.clock import SystemClock
from bot.collector import freeze_what_lives
from bot.config import BotSettings
from bot.delivery import DeliveryRouter

_log = logging.getLogger(__name__)

REPORT_EVERY_S = 0.2


_Status = tuple[bool, str, str]


def status_lines(service: Service, last: _Status | None) -> tuple[_Status, list[str]]:
    """What changed since `last` (leader or not, the last poll round, the counters), as the lines to write."""
    finished = service.poll_round.last_finished
    now = (
        service.scheduler.active,
        finished.isoformat() if finished is not None else "",
        json.dumps(service.metrics.totals(), sort_keys=True),
    )
    lines: list[str] = []
    if last is None or now[0] != last[0]:
        lines.append("leader" if now[0] else "standby")
    if now[1] and (last is None or now[1] != last[1]):
        lines.append(f"polled {now[1]}")
    if last is None or now[2] != last[2]:
        lines.append(f"counts {now[2]}")
    return now, lines


async def _report(service: Service, out: TextIO) -> None:
    last: _Status | None = None
    while True:
        last, lines = status_lines(service, last)
        for line in lines:
            out.write(line + "\n")
        if lines:
            out.flush()
        await asyncio.sleep(REPORT_EVERY_S)


async def _listen(service: Service, stop: asyncio.Event) -> None:
    """Channel changes from the parent on stdin; its end (the parent is gone) stops this process."""
    loop = asyncio.get_running_loop()
    reader = asyncio.StreamReader()
    await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(reader), sys.stdin)
    while True:
        line = (await reader.readline()).decode(errors="replace").strip()
        if not line:
            if reader.at_eof():
                _log.info("the parent process is gone: stopping")
                stop.set()
                return
            continue
        command, _, argument = line.partition(" ")
        if command == "changed" and argument.isdigit():
            try:
                await service.scheduler.channel_changed(int(argument))
            except Exception:  # the next sweep picks the change up anyway
                _log.exception("could not pick up the change of channel %s", argument)


async def run_scheduler(
    settings: BotSettings, platforms: Sequence[DeliveryFactory], report: bool = False
) -> None:
    """Be a scheduler (active or standing by) with these platforms' deliveries, until SIGTERM or SIGINT."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        with contextlib.suppress(NotImplementedError, RuntimeError):
            loop.add_signal_handler(sig, stop.set)
    router = DeliveryRouter()
    clock = SystemClock()
    service = await build_service(settings, router, clock, fetcher=feed_reader(settings))
    deliveries: list[PlatformDelivery] = []
    helpers: list[asyncio.Task[None]] = []
    try:
        for factory in platforms:
            platform = factory(settings, service)
            await platform.open()
            deliveries.append(platform)
            router.register(platform.name, platform.delivery)
        if report:
            helpers = [
                asyncio.create_task(_report(service, sys.stdout), name="report"),
                asyncio.create_task(_listen(service, stop), name="listen"),
            ]
        if not stop.is_set():
            await service.start()
            # What lives as long as the process (modules, settings, the service) is kept out of the garbage
            # collector's full passes, as `briefbot run` does: thousands of digests make many of them.
            freeze_what_lives()
            await stop.wait()
    finally:
        await service.stop_scheduling()
        for task in helpers:
            task.cancel()
        await asyncio.gather(*helpers, return_exceptions=True)
        if report:  # the last word: no longer the active scheduler
            with contextlib.suppress(OSError, ValueError):
                sys.stdout.write("standby\n")
                sys.stdout.flush()
        for platform in deliveries:
            try:
                await platform.close()
            except Exception:
                _log.exception("the %s delivery did not close cleanly", platform.name)
        await service.stop()
