"""Feed notices: a channel is told once when a feed it follows keeps failing or is disabled, and once when
it works again — not once per poll.

The poller records each feed's episode of failures (`Feed.failing_since`, and `recovered_from` when a poll
succeeds again). After every poll round `FeedNotices.run` compares those episodes with the notices recorded
among the deliveries and posts the missing ones through the `DigestDelivery` protocol, exactly like digests:
claimed before posting, marked sent after, under an idempotency key made of the channel, the feed, the
episode and the event, so a restart or a retry never tells a channel twice. "Works again" goes only to the
channels that were told the feed failed. Paused channels are not told (their feed health is in status).
"""

from __future__ import annotations

import logging
import uuid
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

from sqlalchemy import or_, select, update
from sqlalchemy.exc import IntegrityError

from bot.channels.config import schedule_of
from bot.channels.schedule import Schedule
from bot.clock import Clock
from bot.config import FeedSettings
from bot.delivery import DeliveryFailed, DeliveryReceipt, DigestDelivery, OutgoingMessage
from bot.identity import ChannelRef
from bot.metrics import ServiceMetrics
from bot.store import channels as channel_store
from bot.store import deliveries as delivery_store
from bot.store.db import Store
from bot.store.deliveries import NOTICE, DeliveryStatus
from bot.store.models import Channel, ChannelFeed, Delivery, Feed

_log = logging.getLogger(__name__)

Event = Literal["fail", "off", "ok"]
TITLES: dict[Event, str] = {"fail": "Feed not working", "off": "Feed disabled", "ok": "Feed working again"}
TOLD: tuple[Event, ...] = ("fail", "off")


def notice_period(feed_id: int, episode: datetime, event: Event) -> str:
    """The delivery period of a feed notice: the feed, its episode of failures (when it began), the event."""
    return f"feed-{feed_id}-{delivery_store.period_stamp(episode)}-{event}"


@dataclass(frozen=True)
class _Notice:
    channel_id: int
    ref: ChannelRef
    feed_id: int
    period: str
    at: datetime
    event: Event
    text: str
    recover: bool

    @property
    def key(self) -> str:
        return delivery_store.idempotency_key(self.channel_id, self.period, NOTICE)


@dataclass
class NoticeReport:
    """What one run did: notices sent, found posted after a crash, failed for good, left for the next run."""

    sent: list[tuple[int, str]] = field(default_factory=list)
    recovered: list[tuple[int, str]] = field(default_factory=list)
    failed: list[tuple[int, str]] = field(default_factory=list)
    retry_later: list[tuple[int, str]] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        """How many notices ended each way."""
        return {
            "sent": len(self.sent),
            "recovered": len(self.recovered),
            "failed": len(self.failed),
            "retry_later": len(self.retry_later),
        }


def _feed_name(feed: Feed) -> str:
    return f"{feed.title} ({feed.url})" if feed.title else feed.url


def _when(schedule: Schedule, moment: datetime | None) -> str:
    if moment is None:
        return "an unknown time"
    local = schedule.local(moment)
    return f"{local:%H:%M on %a %d %b} ({schedule.timezone})"


def notice_text(feed: Feed, event: Event, schedule: Schedule, episode: datetime) -> str:
    """What the channel is told, with times in its own timezone."""
    name = _feed_name(feed)
    reason = f" ({feed.last_error})" if feed.last_error else ""
    if event == "fail":
        return (
            f"The feed {name} has failed {feed.consecutive_failures} times in a row since "
            f"{_when(schedule, episode)}{reason}. briefbot keeps trying, less often while it fails; its news is "
            "missing from this channel's digests meanwhile. /briefing status shows how it is doing."
        )
    if event == "off":
        return (
            f"briefbot stopped reading the feed {name} after {feed.consecutive_failures} failures in a row"
            f"{reason}. To try it again, remove it with /briefing feeds remove and add it with /briefing feeds "
            "add; or leave it removed."
        )
    return (
        f"The feed {name} works again: read at {_when(schedule, feed.last_success_at)} after failing since "
        f"{_when(schedule, episode)}."
    )


class FeedNotices:
    """Tells the channels following a feed when it keeps failing, is disabled, and works again; once each."""

    def __init__(
        self,
        store: Store,
        delivery: DigestDelivery,
        clock: Clock,
        settings: FeedSettings,
        instance_id: str | None = None,
        max_attempts: int = 5,
        metrics: ServiceMetrics | None = None,
    ) -> None:
        self.metrics = metrics
        self.store = store
        self.delivery = delivery
        self.clock = clock
        self.settings = settings
        self.instance_id = instance_id or uuid.uuid4().hex
        self.max_attempts = max_attempts

    async def run(self) -> NoticeReport:
        """Post every notice the feeds' episodes call for that no channel has had yet."""
        report = NoticeReport()
        try:
            await self._run(report)
        finally:
            if self.metrics is not None:
                self.metrics.count_results(self.metrics.notices, report.counts())
        return report

    async def _run(self, report: NoticeReport) -> None:
        async with self.store.transaction() as session:
            feeds = list(
                (
                    await session.execute(
                        select(Feed).where(
                            or_(
                                Feed.recovered_from.is_not(None),
                                Feed.failing_since.is_not(None)
                                & (
                                    Feed.disabled.is_(True)
                                    | (Feed.consecutive_failures >= self.settings.alert_after_failures)
                                ),
                            )
                        )
                    )
                ).scalars()
            )
            if not feeds:
                return
            followers: dict[int, list[Channel]] = defaultdict(list)
            rows = await session.execute(
                select(ChannelFeed.feed_id, Channel)
                .join(Channel, Channel.id == ChannelFeed.channel_id)
                .where(ChannelFeed.feed_id.in_([f.id for f in feeds]), Channel.paused.is_(False))
            )
            for feed_id, channel in rows:
                followers[feed_id].append(channel)
            periods = [
                notice_period(f.id, episode, event)
                for f in feeds
                for episode in (f.failing_since, f.recovered_from)
                if episode is not None
                for event in ("fail", "off", "ok")
            ]
            channel_ids = sorted({c.id for channels in followers.values() for c in channels})
            existing = await delivery_store.notices_for(session, channel_ids, periods)
            notices, recovered_feeds = self._wanted(feeds, followers, existing)
        for notice in notices:
            await self._send(notice, report)
        await self._close_recoveries(recovered_feeds, notices, report)

    def _wanted(
        self,
        feeds: Sequence[Feed],
        followers: dict[int, list[Channel]],
        existing: dict[tuple[int, str], Delivery],
    ) -> tuple[list[_Notice], dict[int, datetime]]:
        """The notices still to post, and the recovered feeds (by id, with the episode that ended)."""
        wanted: list[_Notice] = []
        recovered: dict[int, datetime] = {}

        def add(feed: Feed, channel: Channel, episode: datetime, event: Event, at: datetime | None) -> None:
            period = notice_period(feed.id, episode, event)
            record = existing.get((channel.id, period))
            if record is not None and record.status != DeliveryStatus.CLAIMED.value:
                return  # told already (or given up on)
            schedule = schedule_of(channel)
            wanted.append(
                _Notice(
                    channel_id=channel.id,
                    ref=channel_store.channel_ref(channel),
                    feed_id=feed.id,
                    period=period,
                    at=at or episode,
                    event=event,
                    text=notice_text(feed, event, schedule, episode),
                    recover=record is not None,
                )
            )

        for feed in feeds:
            for channel in followers.get(feed.id, []):
                if feed.recovered_from is not None:
                    told = [
                        existing.get((channel.id, notice_period(feed.id, feed.recovered_from, e)))
                        for e in TOLD
                    ]
                    if any(t is not None and t.status == DeliveryStatus.SENT.value for t in told):
                        add(feed, channel, feed.recovered_from, "ok", feed.last_success_at)
                if feed.failing_since is not None and (
                    feed.disabled or feed.consecutive_failures >= self.settings.alert_after_failures
                ):
                    event: Event = "off" if feed.disabled else "fail"
                    add(feed, channel, feed.failing_since, event, feed.last_error_at)
            if feed.recovered_from is not None:
                recovered[feed.id] = feed.recovered_from
        return wanted, recovered

    async def _send(self, notice: _Notice, report: NoticeReport) -> None:
        done = (notice.channel_id, notice.period)
        try:
            if notice.recover:
                receipt = await self.delivery.find_delivered(notice.ref, notice.key)
                if receipt is not None:
                    await self._record_sent(notice, receipt)
                    report.recovered.append(done)
                    return
            elif not await self._claim(notice):
                return  # another process claimed it a moment ago
            message = OutgoingMessage(
                kind="notice",
                channel=notice.ref,
                idempotency_key=notice.key,
                scheduled_for=notice.at,
                title=TITLES[notice.event],
                text=notice.text,
            )
            receipt = await self.delivery.deliver(message)
        except DeliveryFailed as exc:
            gave_up = await self._record_failure(notice, exc)
            (report.failed if gave_up else report.retry_later).append(done)
            return
        await self._record_sent(notice, receipt)
        report.sent.append(done)
        _log.info("told %s: %s", notice.ref.key(), notice.text)

    async def _claim(self, notice: _Notice) -> bool:
        try:
            async with self.store.transaction() as session:
                session.add(
                    delivery_store.new_delivery(
                        notice.channel_id,
                        notice.period,
                        notice.at,
                        self.clock.now(),
                        DeliveryStatus.CLAIMED,
                        self.instance_id,
                        kind=NOTICE,
                    )
                )
        except IntegrityError:
            return False
        return True

    async def _record_sent(self, notice: _Notice, receipt: DeliveryReceipt) -> None:
        async with self.store.transaction() as session:
            delivery = await delivery_store.find_delivery(session, notice.channel_id, notice.period)
            if delivery is not None:
                delivery.attempts += 1
                delivery_store.finish(delivery, DeliveryStatus.SENT, self.clock.now(), receipt.message_ref)

    async def _record_failure(self, notice: _Notice, exc: DeliveryFailed) -> bool:
        """Count the failed attempt; True when the notice is given up on (not retryable, or tried enough)."""
        _log.warning("could not tell %s about feed %d: %s", notice.ref.key(), notice.feed_id, exc.reason)
        async with self.store.transaction() as session:
            delivery = await delivery_store.find_delivery(session, notice.channel_id, notice.period)
            if delivery is None:
                return True
            delivery.attempts += 1
            delivery.error = exc.reason
            if exc.retryable and delivery.attempts < self.max_attempts:
                return False
            delivery_store.finish(delivery, DeliveryStatus.FAILED, self.clock.now(), error=exc.reason)
            return True

    async def _close_recoveries(
        self, recovered: dict[int, datetime], notices: Sequence[_Notice], report: NoticeReport
    ) -> None:
        """Forget an ended episode once every "works again" notice of it is settled."""
        unsettled = {
            n.feed_id for n in notices if n.event == "ok" and (n.channel_id, n.period) in report.retry_later
        }
        done = {feed_id: episode for feed_id, episode in recovered.items() if feed_id not in unsettled}
        if not done:
            return
        async with self.store.transaction() as session:
            for feed_id, episode in done.items():
                # Only if no newer episode ended meanwhile (a poll may have written a new one).
                await session.execute(
                    update(Feed)
                    .where(Feed.id == feed_id, Feed.recovered_from == episode)
                    .values(recovered_from=None)
                )
