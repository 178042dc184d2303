"""The local console as a chat adapter of `briefbot run`: a channel in this terminal.

On its first start the console's channel follows the demo feeds shipped with briefbot, read at once, so
the first `/brief` has answers; the log goes to a file, where it cannot break into the answers.
"""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path
from typing import TextIO

from rich.console import Console
from rich.text import Text

from bot.adapters.protocol import AdapterFactory, AdapterKit
from bot.bootstrap import Service
from bot.console.app import run_console
from bot.console.channel import PLATFORM, ConsoleChannel
from bot.demo import DEMO_FEEDS
from bot.feeds.canonical import canonical_url
from bot.identity import Caller, ChannelRef
from bot.store import channels as channel_store
from bot.store import feeds as feed_store


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


class ConsoleAdapter:
    """The console channel, its prompt loop, and its printed digests."""

    name = PLATFORM

    def __init__(self, kit: AdapterKit, out: Console, stdin: TextIO | None, demo: bool) -> None:
        self.kit = kit
        self.out = out
        self.stdin = stdin
        self.demo = demo
        self.channel = ConsoleChannel(kit.table, kit.services, out, store=kit.service.store)
        self.delivery = self.channel

    async def prepare(self) -> None:
        """The log to a file; on the first start, the demo feeds followed and read."""
        log_file = log_to_file(self.kit.settings.data_dir / "briefbot.log")
        self.out.print(Text(f"The log (for the operator) is in {log_file}.", style="dim"))
        if self.demo:
            self.out.print(
                Text("First start? Reading the demo feeds (loading the language model)…", style="dim")
            )
            if await follow_demo_feeds(self.kit.service, self.channel.ref, self.channel.caller):
                self.out.print(Text("This channel now follows two demo feeds of invented news.", style="dim"))

    async def start(self) -> None:
        """Answer typed lines until /quit or the end of input."""
        await run_console(self.channel, self.stdin)

    async def stop(self) -> None:
        """Nothing to close: the terminal stays the operator's."""


def console_adapter(out: Console, stdin: TextIO | None = None, demo: bool = True) -> AdapterFactory:
    """The console adapter (an `AdapterFactory`) printing to `out` and reading `stdin`."""
    return lambda kit: ConsoleAdapter(kit, out, stdin, demo)
