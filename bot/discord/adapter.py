"""Discord as a chat adapter of `briefbot run`: the client, its delivery, started and stopped."""

from __future__ import annotations

from bot.adapters.protocol import AdapterKit
from bot.discord.client import BriefbotDiscordClient, check_token, make_client, start_client
from bot.discord.delivery import DiscordDelivery

PLATFORM = "discord"


class DiscordAdapter:
    """The Discord client with the command table, and its digest delivery."""

    name = PLATFORM

    def __init__(self, kit: AdapterKit) -> None:
        self.settings = kit.settings
        self.client: BriefbotDiscordClient = make_client(kit.settings, kit.table, kit.services)
        self.delivery = DiscordDelivery(self.client)

    def _token(self) -> str | None:
        token = self.settings.discord_token
        return token.get_secret_value() if token is not None else None

    async def prepare(self) -> None:
        """The token is checked before anything starts (one clear line when it is missing or malformed)."""
        check_token(self._token())

    async def start(self) -> None:
        """Log in and serve until closed."""
        await start_client(self.client, self._token())

    async def stop(self) -> None:
        """Close the client's connections."""
        if not self.client.is_closed():
            await self.client.close()


def discord_adapter(kit: AdapterKit) -> DiscordAdapter:
    """The Discord adapter (an `AdapterFactory`)."""
    return DiscordAdapter(kit)
