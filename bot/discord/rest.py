"""Discord digests from a process without a gateway connection: a client logged in over REST only.

The scheduler's process (`briefbot scheduler`, the child of `briefbot run`) posts digests and notices but
answers no commands, so it needs neither shards nor the gateway: `login` checks the token and learns the
bot's own user (to recognise its earlier posts), and every channel is posted to by id.
"""

from __future__ import annotations

import discord

from bot.config import BotSettings
from bot.discord.buckets import sweep_buckets_at_most_every
from bot.discord.client import check_token
from bot.discord.delivery import DiscordDelivery
from bot.discord.endpoints import apply_endpoints


class DiscordRestDelivery:
    """A `DiscordDelivery` through a client that only logs in (no gateway, no cache)."""

    name = "discord"

    def __init__(self, settings: BotSettings) -> None:
        apply_endpoints(settings.discord_api_url, settings.discord_gateway_url)
        self.token = check_token(
            settings.discord_token.get_secret_value() if settings.discord_token else None
        )
        # The same intents as the gateway client (discord.py warns without `guilds`); no gateway is opened.
        self.client = discord.Client(
            intents=discord.Intents(guilds=True), allowed_mentions=discord.AllowedMentions.none()
        )
        sweep_buckets_at_most_every(self.client.http)
        self.delivery = DiscordDelivery(self.client)

    async def open(self) -> None:
        """Log in over REST (the token checked, the bot's user known)."""
        await self.client.login(self.token)

    async def close(self) -> None:
        """Close the client's HTTP session."""
        if not self.client.is_closed():
            await self.client.close()
