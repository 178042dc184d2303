"""Posting a scheduled digest in parts, exactly once: refs, part marks `i/n`, resume, `find_delivered`.

A digest may take several messages. Each message carries a mark made from the delivery's idempotency key:
"briefbot ref 1a2b3c4d5e", followed by " · 2/3" when the digest takes several messages (on Discord in the
first embed's footer, on Slack in a context line and in the message metadata). After a crash,
`find_delivered` reads the channel's recent messages back and tells whether the delivery was posted, all
of it or only its first parts; a resumed delivery then posts only the parts that are missing.

A platform supplies only what is its own (`PartPlatform`): the parts of a digest as its payloads, "post
one part", and "read the recent parts back".
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Generic, Protocol, TypeVar

from bot.delivery import DeliveryReceipt, OutgoingMessage
from bot.identity import ChannelRef

_log = logging.getLogger(__name__)

REF_PREFIX = "briefbot ref "
HISTORY_LOOKBACK = 50  # the recent messages read back; a digest's parts are among the bot's latest posts

PayloadT = TypeVar("PayloadT")


def reference(idempotency_key: str) -> str:
    """The short reference every part of a delivery carries."""
    return hashlib.blake2s(idempotency_key.encode(), digest_size=5).hexdigest()


@dataclass(frozen=True)
class PartMark:
    """Which part of which delivery a message is: part 0 of 1 for a digest in one message."""

    idempotency_key: str
    part: int
    parts: int

    @property
    def text(self) -> str:
        """The mark as shown in the message: "briefbot ref 1a2b3c4d5e · 2/3"."""
        numbered = f" · {self.part + 1}/{self.parts}" if self.parts > 1 else ""
        return REF_PREFIX + reference(self.idempotency_key) + numbered


_NUMBERED = re.compile(r" · (\d+)/(\d+)")


def read_mark(text: str, idempotency_key: str) -> PartMark | None:
    """The mark of this delivery found in a message's text (a footer, a context line), if there is one."""
    mark = REF_PREFIX + reference(idempotency_key)
    at = text.find(mark)
    if at < 0:
        return None
    numbered = _NUMBERED.match(text, at + len(mark))
    if numbered is None:
        return PartMark(idempotency_key, 0, 1)
    return PartMark(idempotency_key, int(numbered[1]) - 1, int(numbered[2]))


@dataclass(frozen=True)
class PostedPart:
    """One part of a delivery found in the channel, or just posted."""

    mark: PartMark
    message_ref: str
    delivered_at: datetime | None = None

    def receipt(self) -> DeliveryReceipt:
        """The receipt the scheduler records for the delivery this part begins."""
        return DeliveryReceipt(message_ref=self.message_ref, delivered_at=self.delivered_at)


class PartPlatform(Protocol[PayloadT]):
    """A platform's half of posting digests in parts."""

    def render(self, message: OutgoingMessage) -> Sequence[PayloadT]:
        """The digest (or notice) as the messages it is posted as, at least one."""
        ...

    async def post_part(self, channel: ChannelRef, payload: PayloadT, mark: PartMark) -> PostedPart:
        """Post one part, carrying its mark; DeliveryFailed when the platform refuses."""
        ...

    async def recent_parts(self, channel: ChannelRef, idempotency_key: str) -> list[PostedPart]:
        """The parts of this delivery among the bot's recent messages in the channel (any order)."""
        ...


class PartedDelivery(Generic[PayloadT]):
    """A `DigestDelivery` for any platform that posts a digest as one or more messages."""

    def __init__(self, platform: PartPlatform[PayloadT]) -> None:
        self.platform = platform

    async def _posted(self, channel: ChannelRef, idempotency_key: str) -> dict[int, PostedPart]:
        found: dict[int, PostedPart] = {}
        for posted in await self.platform.recent_parts(channel, idempotency_key):
            found.setdefault(posted.mark.part, posted)
        return found

    async def deliver(self, message: OutgoingMessage) -> DeliveryReceipt:
        """Post the digest's parts; on `resume` only those not in the channel already."""
        # Rendering is pure CPU (a large digest takes milliseconds): in a thread, so that thousands of digests
        # due at once do not hold the event loop that answers commands.
        payloads = list(await asyncio.to_thread(self.platform.render, message))
        key = message.idempotency_key
        posted = await self._posted(message.channel, key) if message.resume else {}
        skip = set(posted)
        if posted and posted[min(posted)].mark.parts != len(payloads):
            # Built again, the digest came out in another number of parts: the first ones went out, in order.
            skip = set(range(len(posted)))
        first = posted.get(0)
        for part, payload in enumerate(payloads):
            if part in skip:
                continue
            sent = await self.platform.post_part(message.channel, payload, PartMark(key, part, len(payloads)))
            first = first or sent
        assert first is not None
        return first.receipt()

    async def find_delivered(self, channel: ChannelRef, idempotency_key: str) -> DeliveryReceipt | None:
        """The message that began this delivery, if all of the delivery was posted.

        A delivery posted only in part counts as not delivered: the scheduler then delivers it again with
        `resume`, and only the missing parts are posted.
        """
        posted = await self._posted(channel, idempotency_key)
        first = posted.get(0)
        if first is None:
            return None
        if len(posted) < first.mark.parts:
            _log.info(
                "%s: %d of the %d messages of %s were posted; the rest follow",
                channel.key(),
                len(posted),
                first.mark.parts,
                idempotency_key,
            )
            return None
        return first.receipt()
