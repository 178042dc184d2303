"""The adapter protocol: what `briefbot run` starts for each chat platform whose settings are present.

An adapter is built from the `AdapterKit` (settings, the running service, the command services, the
table), registers its `DigestDelivery` under its platform's name, gets ready in `prepare` (before the
scheduler starts: check the settings, log in; a problem is an `AdapterStartFailed` with one line for the
operator), serves in `start` until it is cancelled or ends on its own, and lets go in `stop`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from bot.bootstrap import Service
from bot.commands.table import CommandServices, CommandTable
from bot.config import BotSettings
from bot.delivery import DigestDelivery


class AdapterStartFailed(RuntimeError):
    """An adapter could not start; the message says why and what to do (for the operator, no traceback)."""


@dataclass(frozen=True)
class AdapterKit:
    """What an adapter is built from."""

    settings: BotSettings
    service: Service
    services: CommandServices
    table: CommandTable


class ChatAdapter(Protocol):
    """One chat platform served by this process."""

    @property
    def name(self) -> str:
        """The platform's name, as in `ChannelRef.platform` ("discord", "slack", "console")."""
        ...

    @property
    def delivery(self) -> DigestDelivery:
        """Where the scheduler's digests for this platform's channels go."""
        ...

    async def prepare(self) -> None:
        """Get ready before the scheduler starts; AdapterStartFailed when the settings cannot work."""
        ...

    async def start(self) -> None:
        """Serve until cancelled (or until the adapter ends on its own, as the console does when left)."""
        ...

    async def stop(self) -> None:
        """Close connections; safe to call whether or not `start` ran."""
        ...


AdapterFactory = Callable[[AdapterKit], ChatAdapter]


class PlatformDelivery(Protocol):
    """A platform's digest delivery on its own, for a process that posts digests but answers no commands."""

    @property
    def name(self) -> str:
        """The platform's name, as in `ChannelRef.platform`."""
        ...

    @property
    def delivery(self) -> DigestDelivery:
        """Where digests and notices for this platform's channels go."""
        ...

    async def open(self) -> None:
        """Connect or log in; AdapterStartFailed when the settings cannot work."""
        ...

    async def close(self) -> None:
        """Let go of connections."""
        ...


DeliveryFactory = Callable[[BotSettings, Service], PlatformDelivery]
