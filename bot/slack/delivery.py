"""Scheduled digests posted to Slack channels with chat.postMessage, exactly once across retries.

Posting in parts, resuming and `find_delivered` are the shared kit's (`bot.adapters.parts`). Here: each
message carries its part mark in its message `metadata` (event type `briefbot_digest`: the key, the part,
the parts) and in a context line at its foot, and `conversations.history` reads them back. A 429 is waited
out by slack_sdk's retry handler; `not_in_channel` and `channel_not_found` are not retried, logged, and told
to the channel's admins (those who set its briefing up, and the operator's BRIEFBOT_SLACK_ADMINS) in a
direct message that says what to do: once per episode, not at every digest that fails. An episode is the
failures (of one kind) since the channel's last digest that was posted; it is recorded as a delivery of
kind "notice", as feed notices are, so a restart or another process does not tell them again.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime

import aiohttp
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from bot.adapters.parts import HISTORY_LOOKBACK, PartedDelivery, PartMark, PostedPart, read_mark
from bot.channels.admin import ChannelAdmin
from bot.clock import Clock, SystemClock
from bot.commands.digests import digest_reply
from bot.config import BotSettings
from bot.delivery import DeliveryFailed, OutgoingMessage
from bot.identity import ChannelRef
from bot.slack.app import web_client
from bot.slack.blocks import SlackMessage, reply_messages
from bot.slack.install import SlackInstalls
from bot.slack.payloads import api_error
from bot.store import channels as channel_store
from bot.store import deliveries as delivery_store
from bot.store.db import Store
from bot.store.deliveries import DeliveryStatus
from bot.store.models import AuditEntry

_log = logging.getLogger(__name__)

METADATA_EVENT = "briefbot_digest"
GONE = {
    "not_in_channel",
    "channel_not_found",
    "is_archived",
    "account_inactive",
    "invalid_auth",
    "token_revoked",
}


def admins_told_period(error: str, last_posted: datetime | None) -> str:
    """The delivery period recording that a channel's admins were told of `error` since its last posted digest."""
    since = int(last_posted.timestamp()) if last_posted is not None else 0
    return f"slack-{error[:16]}-{delivery_store.period_stamp(since)}"  # within the 32 characters of a period


def _posted_at(ts: str | None) -> datetime | None:
    try:
        return datetime.fromtimestamp(float(ts or ""), UTC)
    except ValueError:
        return None


def what_to_do(error: str, ref: ChannelRef) -> str:
    """For the channel's admins: why the digest did not come, and what to do about it."""
    where = ref.channel_name or f"<#{ref.channel}>"
    if error == "not_in_channel":
        return (
            f"briefbot could not post today's digest in {where}: it is not a member of that channel. "
            "Type `/invite @briefbot` in the channel, and the next digest will come."
        )
    if error in ("channel_not_found", "is_archived"):
        return (
            f"briefbot could not post the digest in {where}: the channel was deleted or archived, or is private "
            "and briefbot was never added. Add it with `/invite @briefbot`, or pause the briefing with "
            "`/briefing pause`."
        )
    return f"briefbot could not post the digest in {where} (Slack said {error})."


class SlackParts:
    """Slack's half of posting digests in parts."""

    def __init__(
        self,
        settings: BotSettings,
        installs: SlackInstalls,
        store: Store,
        session: aiohttp.ClientSession | None,
        clock: Clock | None = None,
    ) -> None:
        self.settings = settings
        self.installs = installs
        self.store = store
        self.session = session
        self.clock = clock or SystemClock()
        self._bot_ids: dict[str, str | None] = {}

    async def _client(self, ref: ChannelRef) -> AsyncWebClient:
        client = web_client(self.settings, self.session)
        client.token = await self.installs.token_for(ref.workspace)
        return client

    def render(self, message: OutgoingMessage) -> list[SlackMessage]:
        """The digest as Block Kit messages, each leaving room for its part mark."""
        return reply_messages(digest_reply(message), digest=True)

    async def post_part(self, channel: ChannelRef, payload: SlackMessage, mark: PartMark) -> PostedPart:
        """chat.postMessage with the mark in the metadata and at the message's foot."""
        client = await self._client(channel)
        blocks = [*payload.blocks, {"type": "context", "elements": [{"type": "mrkdwn", "text": mark.text}]}]
        try:
            answer = await client.chat_postMessage(
                channel=channel.channel,
                text=payload.text,
                blocks=blocks,
                unfurl_links=False,
                unfurl_media=False,
                metadata={
                    "event_type": METADATA_EVENT,
                    "event_payload": {"key": mark.idempotency_key, "part": mark.part, "parts": mark.parts},
                },
            )
        except SlackApiError as exc:
            raise await self._failed(channel, exc, "post in") from exc
        except (aiohttp.ClientError, TimeoutError, OSError) as exc:
            raise DeliveryFailed(f"Slack could not be reached ({exc.__class__.__name__})") from exc
        return PostedPart(mark, f"{answer.get('channel')}:{answer.get('ts')}", _posted_at(answer.get("ts")))

    async def recent_parts(self, channel: ChannelRef, idempotency_key: str) -> list[PostedPart]:
        """The parts of this delivery among the channel's recent messages (metadata, else the mark's text)."""
        client = await self._client(channel)
        try:
            history = await client.conversations_history(
                channel=channel.channel, limit=HISTORY_LOOKBACK, include_all_metadata=True
            )
        except SlackApiError as exc:
            raise await self._failed(channel, exc, "read the history of") from exc
        except (aiohttp.ClientError, TimeoutError, OSError) as exc:
            raise DeliveryFailed(f"Slack could not be reached ({exc.__class__.__name__})") from exc
        found: list[PostedPart] = []
        for message in history.get("messages") or []:
            mark = _mark_of(message, idempotency_key)
            if mark is not None:
                ref = f"{channel.channel}:{message.get('ts')}"
                found.append(PostedPart(mark, ref, _posted_at(message.get("ts"))))
        return found

    async def _failed(self, channel: ChannelRef, exc: SlackApiError, doing: str) -> DeliveryFailed:
        error = api_error(exc)
        if exc.response.status_code == 429:
            return DeliveryFailed(f"Slack kept rate-limiting briefbot in {channel.key()}; retrying later")
        if error not in GONE:
            return DeliveryFailed(f"Slack refused to let briefbot {doing} {channel.key()}: {error}")
        _log.warning("Slack %s: cannot %s the channel (%s)", channel.key(), doing, error)
        if await self._begins_episode(channel, error):
            await self.tell_admins(channel, what_to_do(error, channel))
        return DeliveryFailed(f"briefbot cannot {doing} {channel.key()} on Slack ({error})", retryable=False)

    async def _begins_episode(self, channel: ChannelRef, error: str) -> bool:
        """Whether this failure is the first of its kind since the channel's last posted digest (recorded now).

        The record is claimed before the admins are told: two processes failing at once tell them once.
        """
        now = self.clock.now()
        try:
            async with self.store.transaction() as session:
                stored = await channel_store.find_channel(session, channel)
                if stored is None:  # no briefing to record it against: nobody to tell but the operator
                    return True
                last = (await delivery_store.last_sent_by_channel(session, [stored.id])).get(stored.id)
                period = admins_told_period(error, last.scheduled_for if last is not None else None)
                told = delivery_store.new_delivery(
                    stored.id, period, now, now, DeliveryStatus.SENT, kind=delivery_store.NOTICE
                )
                told.finished_at = now
                told.note = f"the admins were told: {error}"
                session.add(told)
        except IntegrityError:
            _log.info("Slack %s: the admins were told of %s already in this episode", channel.key(), error)
            return False
        except Exception as exc:  # telling twice is better than never
            _log.error("could not record telling the admins of %s: %s", channel.key(), exc)
        return True

    async def tell_admins(self, channel: ChannelRef, text: str) -> None:
        """A direct message to whoever set up the channel's briefing and to the operator's Slack admins."""
        people = list(self.settings.slack_admins)
        try:
            async with self.store.transaction() as session:
                stored = await channel_store.find_channel(session, channel)
                if stored is not None:
                    rows = await session.execute(
                        select(AuditEntry.actor_id).where(AuditEntry.channel_id == stored.id).distinct()
                    )
                    people += [r for r in rows.scalars() if r and r.startswith(("U", "W"))]
        except Exception as exc:  # the log line above still says it
            _log.error("could not find the admins of %s: %s", channel.key(), exc)
        try:
            client = await self._client(channel)
        except DeliveryFailed:
            return
        for user in dict.fromkeys(people):
            try:
                await client.chat_postMessage(channel=user, text=text)
            except SlackApiError as exc:
                _log.warning("could not tell %s about %s: %s", user, channel.key(), api_error(exc))


def _mark_of(message: dict[str, object], idempotency_key: str) -> PartMark | None:
    metadata = message.get("metadata")
    if isinstance(metadata, dict) and metadata.get("event_type") == METADATA_EVENT:
        payload = metadata.get("event_payload") or {}
        if isinstance(payload, dict) and payload.get("key") == idempotency_key:
            try:
                return PartMark(idempotency_key, int(payload["part"]), int(payload["parts"]))
            except (KeyError, TypeError, ValueError):
                pass
    if not message.get("bot_id"):
        return None
    texts = [
        str(element.get("text", ""))
        for block in message.get("blocks") or []  # type: ignore[attr-defined]
        if isinstance(block, dict) and block.get("type") == "context"
        for element in block.get("elements") or []
        if isinstance(element, dict)
    ]
    for text in reversed(texts):
        mark = read_mark(text, idempotency_key)
        if mark is not None:
            return mark
    return None


class SlackDelivery(PartedDelivery[SlackMessage]):
    """Posts scheduled digests and notices to Slack channels."""

    def __init__(
        self,
        settings: BotSettings,
        installs: SlackInstalls,
        store: Store,
        session: aiohttp.ClientSession | None = None,
        clock: Clock | None = None,
    ) -> None:
        super().__init__(SlackParts(settings, installs, store, session, clock))


class SlackRestDelivery:
    """The Slack delivery alone (no bolt app, no HTTP server), for the scheduler's process."""

    name = "slack"

    def __init__(self, settings: BotSettings, store: Store, admin: ChannelAdmin) -> None:
        self.delivery = SlackDelivery(settings, SlackInstalls(settings, store, admin), store)

    async def open(self) -> None:
        """Nothing to open: each post makes its own Web API call."""

    async def close(self) -> None:
        """Nothing to close."""
