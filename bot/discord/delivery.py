"""Scheduled digests posted to their Discord channel, at most once per idempotency key.

Each message carries a nonce made from the key (discord.py sends it with `enforce_nonce`: Discord itself
drops a repeat sent within a few minutes), and the digest's first embed carries a short reference to the key in its footer,
so that after a crash `find_delivered` can tell from the channel's recent messages whether it was posted.
"""

from __future__ import annotations

import hashlib
import logging

import aiohttp
import discord

from bot.commands.digests import digest_reply
from bot.delivery import DeliveryFailed, DeliveryReceipt, OutgoingMessage
from bot.discord.embeds import reply_messages
from bot.identity import ChannelRef

_log = logging.getLogger(__name__)

NO_MENTIONS = discord.AllowedMentions.none()
HISTORY_LOOKBACK = 50
REF_PREFIX = "briefbot ref "


def message_nonce(idempotency_key: str, part: int) -> str:
    """The nonce of one message of a delivery (Discord allows 25 characters)."""
    return hashlib.blake2s(f"{idempotency_key}#{part}".encode(), digest_size=12).hexdigest()


def reference(idempotency_key: str) -> str:
    """The short reference a delivery's first embed carries."""
    return hashlib.blake2s(idempotency_key.encode(), digest_size=5).hexdigest()


def _mark(embed: discord.Embed, idempotency_key: str) -> None:
    mark = REF_PREFIX + reference(idempotency_key)
    footer = embed.footer.text
    embed.set_footer(text=f"{footer} · {mark}" if footer else mark)


def _carries(message: discord.Message, idempotency_key: str) -> bool:
    if message.nonce is not None and str(message.nonce) == message_nonce(idempotency_key, 0):
        return True
    mark = REF_PREFIX + reference(idempotency_key)
    return bool(message.embeds) and mark in (message.embeds[0].footer.text or "")


class DiscordDelivery:
    """Posts scheduled digests and notices through a running discord.py client."""

    def __init__(self, client: discord.Client) -> None:
        self.client = client

    async def _channel(self, ref: ChannelRef) -> discord.abc.Messageable:
        try:
            channel_id = int(ref.channel)
        except ValueError:
            raise DeliveryFailed(f"{ref.channel!r} is not a Discord channel id", retryable=False) from None
        channel = self.client.get_channel(channel_id)
        if channel is None:
            try:
                channel = await self.client.fetch_channel(channel_id)
            except discord.NotFound:
                raise DeliveryFailed(
                    f"the Discord channel {channel_id} no longer exists", retryable=False
                ) from None
            except discord.Forbidden:
                raise DeliveryFailed(
                    f"briefbot cannot see the Discord channel {channel_id}: give it View Channel there",
                    retryable=False,
                ) from None
        if not isinstance(channel, discord.abc.Messageable):
            raise DeliveryFailed(f"the Discord channel {channel_id} does not take messages", retryable=False)
        return channel

    async def deliver(self, message: OutgoingMessage) -> DeliveryReceipt:
        """Post the digest (one or more messages) to its channel; the same key twice posts once."""
        channel = await self._channel(message.channel)
        messages = reply_messages(digest_reply(message))
        messages[0][0].timestamp = message.scheduled_for
        _mark(messages[0][0], message.idempotency_key)
        first: discord.Message | None = None
        try:
            for part, embeds in enumerate(messages):
                sent = await channel.send(
                    embeds=embeds,
                    nonce=message_nonce(message.idempotency_key, part),
                    allowed_mentions=NO_MENTIONS,
                )
                first = first or sent
        except discord.Forbidden as exc:
            raise DeliveryFailed(
                f"briefbot may not post in {message.channel.key()} ({exc.text or exc.status}): give it Send "
                "Messages and Embed Links there",
                retryable=False,
            ) from exc
        except discord.NotFound as exc:
            raise DeliveryFailed(
                f"the channel {message.channel.key()} no longer exists", retryable=False
            ) from exc
        except discord.HTTPException as exc:
            raise DeliveryFailed(f"Discord answered {exc.status}: {exc.text or 'no reason given'}") from exc
        except (aiohttp.ClientError, TimeoutError, OSError) as exc:
            raise DeliveryFailed(f"Discord could not be reached ({exc.__class__.__name__})") from exc
        assert first is not None
        return DeliveryReceipt(message_ref=str(first.id), delivered_at=first.created_at)

    async def find_delivered(self, channel: ChannelRef, idempotency_key: str) -> DeliveryReceipt | None:
        """The bot's recent message that began this delivery, if it was posted."""
        target = await self._channel(channel)
        me = self.client.user
        try:
            async for message in target.history(limit=HISTORY_LOOKBACK):
                if me is not None and message.author.id != me.id:
                    continue
                if _carries(message, idempotency_key):
                    return DeliveryReceipt(message_ref=str(message.id), delivered_at=message.created_at)
        except discord.Forbidden as exc:
            raise DeliveryFailed(
                f"briefbot cannot read the history of {channel.key()}: give it Read Message History there",
                retryable=False,
            ) from exc
        except (TimeoutError, discord.HTTPException, aiohttp.ClientError, OSError) as exc:
            raise DeliveryFailed(f"could not read {channel.key()}'s recent messages ({exc})") from exc
        return None
