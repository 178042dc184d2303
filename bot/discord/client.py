"""The Discord client: app commands from the table, synced at start; sharding-ready; mentions off everywhere.

It subscribes to the `guilds` intent only (channels and permissions; no message content, no members):
interactions reach every bot without intents. Shards: `discord_shard_count` in all and the
`discord_shard_ids` this process runs (default: Discord's recommended count, all in this process), so
large deployments split the shards across processes with the same settings file.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

import aiohttp
import discord
from discord import app_commands

from bot.adapters.protocol import AdapterStartFailed
from bot.commands.table import CommandServices, CommandTable
from bot.config import BotSettings
from bot.discord.buckets import sweep_buckets_at_most_every
from bot.discord.endpoints import apply_endpoints
from bot.discord.interactions import InteractionAnswerer
from bot.discord.schema import build_app_commands, build_context_menus

_log = logging.getLogger(__name__)


class DiscordStartFailed(AdapterStartFailed):
    """Discord could not be started; the message says why and what to do (for the operator, no traceback)."""


def check_token(token: str | None) -> str:
    """The token as Discord wants it, or a clear DiscordStartFailed when it is missing or malformed."""
    if token is None or not token.strip():
        raise DiscordStartFailed(
            "no Discord token: set BRIEFBOT_DISCORD_TOKEN to the bot token of your Discord application "
            "(Developer Portal → your application → Bot → Reset Token)"
        )
    value = token.strip()
    if value.lower().startswith("bot "):
        value = value[4:].strip()
    if any(ch.isspace() for ch in value) or value.count(".") != 2:
        raise DiscordStartFailed(
            "BRIEFBOT_DISCORD_TOKEN does not look like a Discord bot token (three parts separated by dots): "
            "copy it again from the Developer Portal → your application → Bot"
        )
    return value


class BriefbotDiscordClient(discord.AutoShardedClient):
    """discord.py's sharded client with briefbot's command tree."""

    def __init__(
        self, settings: BotSettings, table: CommandTable, services: CommandServices, **options: Any
    ) -> None:
        shard_ids = settings.discord_shard_ids
        if shard_ids is not None and settings.discord_shard_count is None:
            raise DiscordStartFailed("BRIEFBOT_DISCORD_SHARD_IDS needs BRIEFBOT_DISCORD_SHARD_COUNT as well")
        if shard_ids is not None:
            options["shard_ids"] = shard_ids
        super().__init__(
            intents=discord.Intents(guilds=True),
            shard_count=settings.discord_shard_count,
            allowed_mentions=discord.AllowedMentions.none(),
            **options,
        )
        self.settings = settings
        # Digests to thousands of channels make a bucket each: discord.py's sweep at every new one is quadratic.
        sweep_buckets_at_most_every(self.http)
        self.answerer = InteractionAnswerer(services)
        self.tree = app_commands.CommandTree(self)
        self.tree.on_error = self.answerer.on_tree_error  # type: ignore[method-assign]
        for command in build_app_commands(table, self.answerer.answer, self.answerer.complete):
            self.tree.add_command(command)
        for menu in build_context_menus(table, self.answerer.answer):
            self.tree.add_command(menu)
        self.ready_event = asyncio.Event()

    async def setup_hook(self) -> None:
        """Before the gateway: the shard count (Discord's advice unless set), then the commands synced."""
        if self.shard_count is None:
            # The gateway URL stays the configured one; only the recommended shard count is taken.
            self.shard_count, _, _ = await self.http.get_bot_gateway()
        if self.settings.discord_sync_commands:
            synced = await self.tree.sync()
            _log.info("synced %d slash commands with Discord", len(synced))

    async def on_ready(self) -> None:
        """Log once the shards are connected and the servers are known."""
        _log.info("connected to Discord as %s in %d servers", self.user, len(self.guilds))
        self.ready_event.set()


def make_client(
    settings: BotSettings, table: CommandTable, services: CommandServices, **options: Any
) -> BriefbotDiscordClient:
    """A client pointed at the configured endpoints (Discord's own by default)."""
    apply_endpoints(settings.discord_api_url, settings.discord_gateway_url)
    return BriefbotDiscordClient(settings, table, services, **options)


async def start_client(client: BriefbotDiscordClient, token: str | None) -> None:
    """Log in and run until closed; a missing or refused token, or Discord out of reach, is a DiscordStartFailed.

    The token is checked before anything starts; once started, the client is closed when it stops.
    """
    value = check_token(token)
    try:
        await client.start(value)
    except discord.LoginFailure as exc:
        raise DiscordStartFailed(
            "Discord refused the token (401 Unauthorized): BRIEFBOT_DISCORD_TOKEN is wrong or was reset. "
            "Copy the current token from the Developer Portal → your application → Bot"
        ) from exc
    except discord.PrivilegedIntentsRequired as exc:
        raise DiscordStartFailed(f"Discord refused the gateway intents: {exc}") from exc
    except (aiohttp.ClientConnectorError, discord.GatewayNotFound) as exc:
        raise DiscordStartFailed(
            f"Discord cannot be reached at {client.settings.discord_api_url} ({exc.__class__.__name__}); "
            "check the network and BRIEFBOT_DISCORD_API_URL"
        ) from exc
    except discord.HTTPException as exc:
        if not client.is_ready():
            raise DiscordStartFailed(f"Discord refused to start the bot ({exc.status}: {exc.text})") from exc
        raise
    finally:
        if not client.is_closed():
            await client.close()
