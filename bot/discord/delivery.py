"""Scheduled digests posted to their Discord channel, at most once per idempotency key.

Each message carries a nonce made from the key (discord.py sends it with `enforce_nonce`: Discord itself
drops a repeat sent within a few minutes), and each message's first embed carries a short reference to the
key in its footer ("briefbot ref 1a2b3c4d5e", with "· 2/3" when the digest takes several messages), so that
after a crash `find_delivered` can tell from the channel's recent messages whether it was posted, all of
it or only its first parts; a resumed delivery then posts only the parts that are missing.
"""

from __future__ import annotations

import hashlib
import logging
import re

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


_PART = re.compile(r" · (\d+)/(\d+)")


def _mark(embed: discord.Embed, idempotency_key: str, part: int, parts: int) -> None:
    mark = REF_PREFIX + reference(idempotency_key) + (f" · {part + 1}/{parts}" if parts > 1 else "")
    footer = embed.footer.text
    embed.set_footer(text=f"{footer} · {mark}" if footer else mark)


def _part_of(message: discord.Message, idempotency_key: str) -> tuple[int, int] | None:
    """(part, parts) when the message is part of the delivery with this key (a lone message is 0 of 1)."""
    if message.nonce is not None and str(message.nonce) == message_nonce(idempotency_key, 0):
        return 0, 1
    if not message.embeds:
        return None
    footer = message.embeds[0].footer.text or ""
    mark = REF_PREFIX + reference(idempotency_key)
    at = footer.find(mark)
    if at < 0:
        return None
    numbered = _PART.match(footer, at + len(mark))
    return (int(numbered[1]) - 1, int(numbered[2])) if numbered else (0, 1)


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
        for part, embeds in enumerate(messages):
            _mark(embeds[0], message.idempotency_key, part, len(messages))
        posted = await self._posted_parts(message.channel, message.idempotency_key) if message.resume else {}
        skip = set(posted)
        if posted and posted[min(posted)][1] != len(messages):
            # Built again, the digest came out in another number of parts: the first ones went out, in order.
            skip = set(range(len(posted)))
        first: discord.Message | None = posted[0][0] if 0 in posted else None
        try:
            for part, embeds in enumerate(messages):
                if part in skip:
                    continue
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
        """The bot's recent message that began this delivery, if all of the delivery was posted.

        A delivery posted only in part counts as not delivered: the scheduler then delivers it again with
        `resume`, and only the missing parts are posted.
        """
        posted = await self._posted_parts(channel, idempotency_key)
        if 0 not in posted:
            return None
        first, parts = posted[0]
        if len(posted) < parts:
            _log.info(
                "%s: %d of the %d messages of %s were posted; the rest follow",
                channel.key(),
                len(posted),
                parts,
                idempotency_key,
            )
            return None
        return DeliveryReceipt(message_ref=str(first.id), delivered_at=first.created_at)

    async def _posted_parts(
        self, channel: ChannelRef, idempotency_key: str
    ) -> dict[int, tuple[discord.Message, int]]:
        """The parts of this delivery among the bot's recent messages: part → (message, parts in all)."""
        target = await self._channel(channel)
        me = self.client.user
        found: dict[int, tuple[discord.Message, int]] = {}
        try:
            async for message in target.history(limit=HISTORY_LOOKBACK):
                if me is not None and message.author.id != me.id:
                    continue
                part = _part_of(message, idempotency_key)
                if part is not None:
                    found.setdefault(part[0], (message, part[1]))
        except discord.Forbidden as exc:
            raise DeliveryFailed(
                f"briefbot cannot read the history of {channel.key()}: give it Read Message History there",
                retryable=False,
            ) from exc
        except (TimeoutError, discord.HTTPException, aiohttp.ClientError, OSError) as exc:
            raise DeliveryFailed(f"could not read {channel.key()}'s recent messages ({exc})") from exc
        return found
