"""The console channel: lines run as commands of the table, replies and digests printed for a terminal.

A terminal keeps nothing, so what the console printed is remembered in the store (`posted_messages`): after
a restart `find_delivered` finds a digest printed before, and the scheduler never prints it twice.
"""

from __future__ import annotations

import getpass
import logging
from datetime import UTC, datetime

from rich.console import Console
from rich.table import Table
from rich.text import Text

from bot.commands.digests import digest_reply
from bot.commands.dispatch import Outcome, run_command
from bot.commands.parse import LineProblem, help_text, parse_line
from bot.commands.table import CommandContext, CommandServices, CommandTable
from bot.console.render import reply_panel
from bot.delivery import DeliveryFailed, DeliveryReceipt, OutgoingMessage
from bot.identity import Caller, ChannelRef
from bot.store import posted as posted_store
from bot.store.db import Store, StoreUnavailable
from bot.store.models import PostedMessage

_log = logging.getLogger(__name__)

PLATFORM = "console"
CONSOLE_CHANNEL = ChannelRef(platform=PLATFORM, workspace="local", channel="console", channel_name="console")


def local_operator() -> Caller:
    """The person at the terminal: the operator, so a channel admin."""
    try:
        name = getpass.getuser()
    except (KeyError, OSError):  # no user name in a bare container
        name = "operator"
    return Caller(user_id=f"local:{name}"[:100], display_name=name[:200], is_channel_admin=True)


class ConsoleChannel:
    """One local channel: what the person types is answered here; scheduled digests are printed here."""

    def __init__(
        self,
        table: CommandTable,
        services: CommandServices,
        console: Console,
        ref: ChannelRef = CONSOLE_CHANNEL,
        caller: Caller | None = None,
        store: Store | None = None,
    ) -> None:
        self.table = table
        self.services = services
        self.console = console
        self.ref = ref
        self.caller = caller or local_operator()
        # Where printed digests are remembered: the store the service runs on.
        self.store = store or services.stories.store
        self.prompt = ""  # shown again after a digest interrupts the person typing

    async def answer(self, line: str) -> Outcome | None:
        """Run a typed line and print its answer; None for a line that was not a command."""
        try:
            parsed = parse_line(self.table, line)
        except LineProblem as exc:
            self.console.print(Text(exc.message, style="yellow"))
            return None
        outcome = await run_command(
            parsed.command, parsed.options, CommandContext(self.ref, self.caller, self.services)
        )
        self.console.print(reply_panel(outcome.reply, outcome.refused))
        return outcome

    def print_help(self) -> None:
        """The commands, as they are typed."""
        table = Table.grid(padding=(0, 2))
        table.add_column(style="bold")
        table.add_column()
        for usage, description in help_text(self.table):
            table.add_row(Text(usage), Text(description))
        self.console.print(table)
        self.console.print(
            Text(
                'Options go as name:value (quotes around spaces: story:"harbour fire"); other words fill the '
                "first option. /quit leaves.",
                style="dim",
            )
        )

    # -- DigestDelivery ---------------------------------------------------------------------------

    async def deliver(self, message: OutgoingMessage) -> DeliveryReceipt:
        """Print a scheduled digest or notice, once per idempotency key across restarts."""
        earlier = await self.find_delivered(message.channel, message.idempotency_key)
        if earlier is not None:
            return earlier
        self.console.print()
        self.console.print(reply_panel(digest_reply(message)))
        if self.prompt:
            self.console.print(self.prompt, end="")
        now = datetime.now(UTC)
        try:
            async with self.store.transaction() as session:
                row = await posted_store.record_posted(
                    session, PLATFORM, message.channel.key(), message.idempotency_key, now
                )
        except StoreUnavailable as exc:  # printed all the same: the scheduler's own record still follows
            _log.error("could not remember the printed %s: %s", message.idempotency_key, exc)
            return DeliveryReceipt(message_ref="console-unrecorded", delivered_at=now)
        return _receipt(row)

    async def find_delivered(self, channel: ChannelRef, idempotency_key: str) -> DeliveryReceipt | None:
        """The digest printed with this key, in this run or an earlier one (remembered in the store)."""
        try:
            async with self.store.transaction() as session:
                row = await posted_store.find_posted(session, idempotency_key)
        except StoreUnavailable as exc:
            raise DeliveryFailed(f"cannot tell whether {idempotency_key} was printed: {exc}") from exc
        return None if row is None else _receipt(row)


def _receipt(row: PostedMessage) -> DeliveryReceipt:
    return DeliveryReceipt(message_ref=f"console-{row.id}", delivered_at=row.posted_at)
