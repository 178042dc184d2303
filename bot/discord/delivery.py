"""Scheduled digests posted to their Discord channel, at most once per idempotency key.

Posting in parts, resuming and `find_delivered` are the shared kit's (`bot.adapters.parts`); here is only
Discord's part: the embeds, "post one part" and "read the recent parts back". Each message carries a nonce
made from the key (discord.py sends it with `enforce_nonce`: Discord itself drops a repeat sent within a
few minutes), and its first embed's footer carries the part mark ("briefbot ref 1a2b3c4d5e · 2/3").

Discord allows a bot 50 requests a second in all (its global limit); discord.py waits out the 429s past it
but does not pace itself, so thousands of digests due at once would draw thousands of 429s (and, past
10,000 invalid requests in 10 minutes, a temporary ban) and give up on some after five. The delivery's
requests are therefore paced below the limit, leaving room for the bot's other requests. A channel not in
this process's cache (a server on another process's shard) is posted to without fetching it first.
"""

from __future__ import annotations

import hashlib
import logging

import aiohttp
import discord
from aiolimiter import AsyncLimiter

from bot.adapters.parts import HISTORY_LOOKBACK, PartedDelivery, PartMark, PostedPart, read_mark
from bot.commands.digests import digest_reply
from bot.delivery import DeliveryFailed, OutgoingMessage
from bot.discord.embeds import reply_messages
from bot.identity import ChannelRef

_log = logging.getLogger(__name__)

NO_MENTIONS = discord.AllowedMentions.none()
# Requests a second the delivery makes at most: under the global 50, the rest left to commands and the gateway.
DELIVERY_REQUESTS_PER_S = 45


def message_nonce(idempotency_key: str, part: int) -> str:
    """The nonce of one message of a delivery (Discord allows 25 characters)."""
    return hashlib.blake2s(f"{idempotency_key}#{part}".encode(), digest_size=12).hexdigest()


def _mark_of(message: discord.Message, idempotency_key: str) -> PartMark | None:
    """The part of the delivery with this key a message is (a lone message is 0 of 1), if any."""
    if message.nonce is not None and str(message.nonce) == message_nonce(idempotency_key, 0):
        return PartMark(idempotency_key, 0, 1)
    if not message.embeds:
        return None
    return read_mark(message.embeds[0].footer.text or "", idempotency_key)


class DiscordParts:
    """Discord's half of posting digests in parts, through a running discord.py client."""

    def __init__(self, client: discord.Client, requests_per_s: float = DELIVERY_REQUESTS_PER_S) -> None:
        self.client = client
        # One request at a time at an even pace: a bucket of one, so no second's window ever holds a burst.
        self.pace = AsyncLimiter(1, 1 / requests_per_s)

    async def _channel(self, ref: ChannelRef) -> discord.abc.Messageable:
        try:
            channel_id = int(ref.channel)
        except ValueError:
            raise DeliveryFailed(f"{ref.channel!r} is not a Discord channel id", retryable=False) from None
        channel = self.client.get_channel(channel_id)
        if channel is None:
            # Not in this process's cache (its server is on another shard, or not loaded yet): post to it by id
            # rather than spend a request of the global limit on fetching it; a channel that is gone answers 404.
            return self.client.get_partial_messageable(channel_id)
        if not isinstance(channel, discord.abc.Messageable):
            raise DeliveryFailed(f"the Discord channel {channel_id} does not take messages", retryable=False)
        return channel

    def render(self, message: OutgoingMessage) -> list[list[discord.Embed]]:
        """The digest as Discord messages of embeds, the first stamped with its scheduled time."""
        messages = reply_messages(digest_reply(message))
        messages[0][0].timestamp = message.scheduled_for
        return messages

    async def post_part(
        self, channel: ChannelRef, payload: list[discord.Embed], mark: PartMark
    ) -> PostedPart:
        """Post one message of embeds, its mark in the first embed's footer and its nonce from the key."""
        target = await self._channel(channel)
        footer = payload[0].footer.text
        payload[0].set_footer(text=f"{footer} · {mark.text}" if footer else mark.text)
        try:
            await self.pace.acquire()
            sent = await target.send(
                embeds=payload,
                nonce=message_nonce(mark.idempotency_key, mark.part),
                allowed_mentions=NO_MENTIONS,
            )
        except discord.Forbidden as exc:
            raise DeliveryFailed(
                f"briefbot may not post in {channel.key()} ({exc.text or exc.status}): give it Send "
                "Messages and Embed Links there",
                retryable=False,
            ) from exc
        except discord.NotFound as exc:
            raise DeliveryFailed(f"the channel {channel.key()} no longer exists", retryable=False) from exc
        except discord.HTTPException as exc:
            raise DeliveryFailed(f"Discord answered {exc.status}: {exc.text or 'no reason given'}") from exc
        except (aiohttp.ClientError, TimeoutError, OSError) as exc:
            raise DeliveryFailed(f"Discord could not be reached ({exc.__class__.__name__})") from exc
        return PostedPart(mark, str(sent.id), sent.created_at)

    async def recent_parts(self, channel: ChannelRef, idempotency_key: str) -> list[PostedPart]:
        """The parts of this delivery among the bot's recent messages in the channel."""
        target = await self._channel(channel)
        me = self.client.user
        found: list[PostedPart] = []
        try:
            await self.pace.acquire()
            async for message in target.history(limit=HISTORY_LOOKBACK):
                if me is not None and message.author.id != me.id:
                    continue
                mark = _mark_of(message, idempotency_key)
                if mark is not None:
                    found.append(PostedPart(mark, str(message.id), message.created_at))
        except discord.Forbidden as exc:
            raise DeliveryFailed(
                f"briefbot cannot read the history of {channel.key()}: give it Read Message History there",
                retryable=False,
            ) from exc
        except (TimeoutError, discord.HTTPException, aiohttp.ClientError, OSError) as exc:
            raise DeliveryFailed(f"could not read {channel.key()}'s recent messages ({exc})") from exc
        return found


class DiscordDelivery(PartedDelivery[list[discord.Embed]]):
    """Posts scheduled digests and notices through a running discord.py client."""

    def __init__(self, client: discord.Client) -> None:
        super().__init__(DiscordParts(client))
        self.client = client
