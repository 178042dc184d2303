"""The console's loop: a prompt, a line read without blocking the event loop, its answer printed."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import stat
import sys
from collections.abc import AsyncIterator
from typing import TextIO

from rich.text import Text

from bot.console.channel import ConsoleChannel

_log = logging.getLogger(__name__)

PROMPT = "briefbot> "
QUIT = {"/quit", "/exit", "quit", "exit"}
HELP = {"/help", "help", "/?"}


async def _lines_from_pipe(stream: TextIO) -> AsyncIterator[str]:
    """Lines of a terminal or pipe, read by the event loop (nothing blocks; Ctrl-C stops cleanly)."""
    loop = asyncio.get_running_loop()
    reader = asyncio.StreamReader()
    fd = stream.fileno()
    was_blocking = os.get_blocking(fd)
    transport, _ = await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(reader), stream)
    try:
        while True:
            raw = await reader.readline()
            if not raw:
                return
            yield raw.decode("utf-8", "replace")
    finally:
        transport.close()
        with contextlib.suppress(OSError):
            os.set_blocking(fd, was_blocking)  # leave the terminal as the shell expects it


async def _lines_from_file(stream: TextIO) -> AsyncIterator[str]:
    """Lines of a regular file given as standard input."""
    while line := await asyncio.to_thread(stream.readline):
        yield line


def input_lines(stream: TextIO) -> AsyncIterator[str]:
    """The lines typed (or piped) into briefbot."""
    try:
        mode = os.fstat(stream.fileno()).st_mode
    except (OSError, ValueError, AttributeError):
        return _lines_from_file(stream)
    return _lines_from_file(stream) if stat.S_ISREG(mode) else _lines_from_pipe(stream)


async def run_console(channel: ConsoleChannel, stream: TextIO | None = None) -> None:
    """Answer lines until /quit or the end of input."""
    console = channel.console
    channel.prompt = PROMPT
    console.print(
        Text(
            "briefbot console — this terminal is a channel. Try /brief, /stories, /who, /timeline; /help lists all.",
            style="bold",
        )
    )
    console.print(PROMPT, end="")
    async for line in input_lines(stream or sys.stdin):
        text = line.strip()
        if text in QUIT:
            console.print()
            return
        if text in HELP:
            channel.print_help()
        elif text:
            await channel.answer(text)
        console.print(PROMPT, end="")
    console.print()
    # Input ended without /quit: a pipe ran dry, or no terminal at all (a container without a token).
    console.print(
        Text("End of input: leaving the console. To serve Discord, set BRIEFBOT_DISCORD_TOKEN.", style="dim")
    )
