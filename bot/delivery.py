"""The one interface through which scheduled digests and notices reach a chat platform.

The scheduler builds an `OutgoingMessage` (platform-neutral: stories from the engine, plus what is new
for this channel) and hands it to the `DigestDelivery` of the channel's platform. Discord, Slack and the
console adapters each implement `DigestDelivery`; a `DeliveryRouter` picks one by `ChannelRef.platform`.

Exactly-once, as seen by the channel, rests on two things:

1. The scheduler records a delivery as *claimed* before it calls `deliver`, and as *sent* after.
2. The adapter makes posting idempotent on `OutgoingMessage.idempotency_key`, and can tell afterwards
   whether a message with that key was posted (`find_delivered`). Discord: send the key as the message
   `nonce` with `enforce_nonce`, and look for it in the channel's recent messages. Slack: put the key in
   the message `metadata` and look for it in `conversations.history`. Console: keep a set of keys.

After a crash between "sent" and "recorded", the next scheduler finds the claim, asks `find_delivered`,
and marks it sent without posting again; if nothing was posted, it posts (with the same key).
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal, Protocol, runtime_checkable

from pydantic import BaseModel, ConfigDict, Field

from bot.identity import ChannelRef
from briefings.models import Story


class DigestItem(BaseModel):
    """One story in a channel's digest, with what is new in it since the channel's last digest."""

    model_config = ConfigDict(frozen=True)

    story: Story = Field(description="the engine's merged story; shared by every channel that gets it")
    key: str = Field(description="the story's identity across digests (what 'already covered' refers to)")
    first_time: bool = Field(True, description="the channel has not had this story in a digest before")
    whats_new: list[str] = Field(
        default_factory=list,
        description="for a story shown before: the engine's diff since then (new headline, figures, events, "
        "people, quotes, sources), one line each",
    )
    matched_topics: list[str] = Field(default_factory=list, description="the channel topics it matched")


class OutgoingMessage(BaseModel):
    """What the scheduler hands to an adapter: a digest (or a notice) for one channel.

    `kind` is "digest" (items, newest news first, at most the channel's digest length; `more` says how
    many further stories were left out) or "notice" (a plain `text`, e.g. that a missed digest was
    skipped or a feed stopped working). Render `items` with the engine's renderer; never cut text
    without saying so.
    """

    model_config = ConfigDict(frozen=True)

    kind: Literal["digest", "notice"]
    channel: ChannelRef
    idempotency_key: str
    scheduled_for: datetime
    title: str
    items: list[DigestItem] = Field(default_factory=list)
    more: int = Field(0, description="stories beyond the channel's digest length, not shown")
    text: str | None = Field(None, description="the notice, or a line shown above the digest items")
    late: bool = Field(False, description="posted after its time (briefbot was down at the time)")
    resume: bool = Field(
        False,
        description="a retry of a delivery that may have been posted in part (a crash, a failed request): "
        "an adapter that posts a digest as several messages posts only the parts not already there",
    )


class DeliveryReceipt(BaseModel):
    """What the platform said after posting: its id of the message, to record with the delivery."""

    model_config = ConfigDict(frozen=True)

    message_ref: str
    delivered_at: datetime | None = None


class DeliveryFailed(Exception):
    """A delivery that did not happen; `retryable` says whether trying again later may work."""

    def __init__(self, reason: str, retryable: bool = True) -> None:
        super().__init__(reason)
        self.reason = reason
        self.retryable = retryable


@runtime_checkable
class DigestDelivery(Protocol):
    """Posts scheduled messages to one chat platform. Adapters implement this; nothing else does."""

    async def deliver(self, message: OutgoingMessage) -> DeliveryReceipt:
        """Post the message to its channel, at most once per `message.idempotency_key`.

        Return the platform's message id. Raise `DeliveryFailed(retryable=True)` for a temporary failure
        (rate limit beyond the adapter's own waiting, network), `retryable=False` when the channel is gone
        or the bot may not post there.
        """
        ...

    async def find_delivered(self, channel: ChannelRef, idempotency_key: str) -> DeliveryReceipt | None:
        """The message posted earlier with this key, if there is one (recovery after a crash)."""
        ...


class DeliveryRouter:
    """The delivery of each platform, by the name in `ChannelRef.platform`."""

    def __init__(self, deliveries: dict[str, DigestDelivery] | None = None) -> None:
        self._by_platform: dict[str, DigestDelivery] = dict(deliveries or {})

    def register(self, platform: str, delivery: DigestDelivery) -> None:
        """Let an adapter take the messages of its platform."""
        self._by_platform[platform] = delivery

    def platforms(self) -> list[str]:
        """The platforms that can receive messages now."""
        return sorted(self._by_platform)

    def for_channel(self, channel: ChannelRef) -> DigestDelivery:
        """The delivery of the channel's platform, or DeliveryFailed when no adapter for it runs."""
        delivery = self._by_platform.get(channel.platform)
        if delivery is None:
            raise DeliveryFailed(f"no {channel.platform} adapter is running to post to {channel.key()}")
        return delivery

    async def deliver(self, message: OutgoingMessage) -> DeliveryReceipt:
        """Post through the channel's platform."""
        return await self.for_channel(message.channel).deliver(message)

    async def find_delivered(self, channel: ChannelRef, idempotency_key: str) -> DeliveryReceipt | None:
        """Ask the channel's platform whether the message was posted already."""
        return await self.for_channel(channel).find_delivered(channel, idempotency_key)
