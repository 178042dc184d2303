"""Posting channels' digests once per period: claimed before sending, recorded after, recovered after a crash.

Misfire policy: a digest whose time passed while briefbot was down is posted late if it is at most
`grace` late (a line says it is late); later than that it is skipped, recorded as skipped, and the channel
gets a short notice saying so and when the next digest comes. Only the most recent missed period counts:
a bot down for a week does not post a week of digests.
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy.exc import IntegrityError

from bot.channels.config import TopicFilter, schedule_of, topics_of
from bot.channels.digest import DigestRequest, DigestSelection, StoryPool
from bot.channels.schedule import Schedule
from bot.clock import Clock
from bot.collector import collector_held_off
from bot.delivery import DeliveryFailed, DeliveryReceipt, DigestDelivery, OutgoingMessage
from bot.identity import ChannelRef
from bot.metrics import ServiceMetrics
from bot.scheduler.timing import next_run, period_of, previous_run
from bot.store import channels as channel_store
from bot.store import deliveries as delivery_store
from bot.store import snapshots as snapshot_store
from bot.store import stories as story_store
from bot.store.db import Store
from bot.store.deliveries import DeliveryStatus
from bot.store.models import Channel, Delivery
from bot.stories.read_model import SNAPSHOT_KEEP, StoredArticle, StoryReadModel

_log = logging.getLogger(__name__)

FIRST_DIGEST_WINDOW = timedelta(hours=24)
ON_TIME = timedelta(minutes=2)
# Sent digests are recorded this many per transaction.
RECORD_BATCH = 200
# Digests selected per turn off the event loop.
SELECT_BATCH = 100


@dataclass(frozen=True)
class ChannelPlan:
    """What the runner needs of a channel, read once from the store."""

    channel_id: int
    ref: ChannelRef
    schedule: Schedule
    request_topics: TopicFilter
    length: int
    paused: bool
    created_at: datetime


@dataclass
class RunReport:
    """What one run did: digests sent, recovered without posting, skipped with a notice, failed."""

    sent: list[int] = field(default_factory=list)
    recovered: list[int] = field(default_factory=list)
    skipped: list[int] = field(default_factory=list)
    failed: list[int] = field(default_factory=list)
    retry_later: list[int] = field(default_factory=list)
    stories_built: int = 0

    def counts(self) -> dict[str, int]:
        """How many digests ended each way."""
        return {
            "sent": len(self.sent),
            "recovered": len(self.recovered),
            "skipped": len(self.skipped),
            "failed": len(self.failed),
            "retry_later": len(self.retry_later),
        }


@dataclass(frozen=True)
class _Due:
    plan: ChannelPlan
    scheduled_for: datetime
    period: str
    key: str
    recover: bool


@dataclass
class _Build:
    """What one run's digests are built from: each channel's request, and one pool of the stories with news
    from their feeds (each channel sees a story merged from its own feeds' articles only)."""

    requests: dict[int, DigestRequest]
    pool: StoryPool

    def select(self, items: Sequence[_Due]) -> dict[int, DigestSelection]:
        """The digests of these channels."""
        return {item.plan.channel_id: self.pool.select(self.requests[item.plan.channel_id]) for item in items}


# A digest sent: its claim, the platform's receipt, and the snapshots of the stories it showed (None when it
# was found posted after a crash: what it showed is not known, so the channel's snapshots stay as they were).
_Sent = tuple[_Due, DeliveryReceipt, list[tuple[str, str]] | None]


def plan_of(channel: Channel) -> ChannelPlan:
    """The runner's view of a stored channel."""
    return ChannelPlan(
        channel_id=channel.id,
        ref=channel_store.channel_ref(channel),
        schedule=schedule_of(channel),
        request_topics=topics_of(channel),
        length=channel.digest_length,
        paused=channel.paused,
        created_at=channel.created_at,
    )


class DigestRunner:
    """Finds the digests that are due, builds them (stories shared), posts each once, and records it."""

    def __init__(
        self,
        store: Store,
        delivery: DigestDelivery,
        clock: Clock,
        grace: timedelta = timedelta(hours=3),
        concurrency: int = 64,
        instance_id: str | None = None,
        metrics: ServiceMetrics | None = None,
        read_model: StoryReadModel | None = None,
    ) -> None:
        self.store = store
        self.read_model = read_model or StoryReadModel(store)
        self.metrics = metrics
        self.delivery = delivery
        self.clock = clock
        self.grace = grace
        self.concurrency = concurrency
        self.instance_id = instance_id or uuid.uuid4().hex
        self._in_flight: set[int] = set()

    async def run_due(
        self, channel_ids: Sequence[int] | None = None, now: datetime | None = None
    ) -> RunReport:
        """Post every digest due now (of the given channels, or all), once; skip the ones missed too long ago."""
        now = now or self.clock.now()
        report = RunReport()
        async with self.store.transaction() as session:
            channels = (
                await channel_store.channels_by_id(session, channel_ids)
                if channel_ids is not None
                else list(await channel_store.all_channels(session))
            )
            plans = [plan_of(channel) for channel in channels if not channel.paused]
            scheduled: dict[int, tuple[datetime, str]] = {}
            for plan in plans:
                when = previous_run(plan.schedule, now)
                if when is not None and when >= plan.created_at - ON_TIME:
                    scheduled[plan.channel_id] = (when, period_of(plan.schedule, when))
            existing = await delivery_store.deliveries_for(
                session, list(scheduled), {cid: period for cid, (_, period) in scheduled.items()}
            )
        due: list[_Due] = []
        missed: list[_Due] = []
        for plan in plans:
            if plan.channel_id not in scheduled or plan.channel_id in self._in_flight:
                continue
            when, period = scheduled[plan.channel_id]
            key = delivery_store.idempotency_key(plan.channel_id, period)
            delivery = existing.get(plan.channel_id)
            if delivery is not None and delivery.status != DeliveryStatus.CLAIMED.value:
                continue
            item = _Due(plan, when, period, key, recover=delivery is not None)
            (due if now - when <= self.grace else missed).append(item)
        try:
            for item in missed:
                await self._skip(item, now, report)
            if due:
                await self._deliver_all(due, now, report)
        finally:
            if self.metrics is not None:
                self.metrics.count_results(self.metrics.digests, report.counts())
        return report

    async def preview(self, channel_id: int) -> OutgoingMessage:
        """The digest the channel would get now: built the same way, neither posted nor recorded."""
        now = self.clock.now()
        async with self.store.transaction() as session:
            channels = await channel_store.channels_by_id(session, [channel_id])
        if not channels:
            raise LookupError(f"no channel {channel_id}")
        plan = plan_of(channels[0])
        item = _Due(plan, now, "preview", f"preview-{channel_id}", recover=False)
        await self.read_model.catch_up()
        build = await self._read([item], now)
        selections = await asyncio.to_thread(build.select, [item])
        return digest_message(item, selections[channel_id], late=False)

    async def _skip(self, item: _Due, now: datetime, report: RunReport) -> None:
        if item.recover:
            receipt = await self._find(item)
            if receipt is not None:
                await self._record_sent(item, receipt, {}, now)
                report.recovered.append(item.plan.channel_id)
                return
        next_time = next_run(item.plan.schedule, now)
        local = item.plan.schedule.local(item.scheduled_for)
        note = (
            f"The digest due at {local:%H:%M} ({item.plan.schedule.timezone}) on {local:%a %d %b} was skipped: "
            f"briefbot was not running then. The next digest comes at "
            f"{item.plan.schedule.local(next_time):%H:%M on %a %d %b}."
        )
        async with self.store.transaction() as session:
            delivery = await delivery_store.find_delivery(session, item.plan.channel_id, item.period)
            if delivery is None:
                delivery = delivery_store.new_delivery(
                    item.plan.channel_id, item.period, item.scheduled_for, now, DeliveryStatus.SKIPPED
                )
                session.add(delivery)
            delivery_store.finish(delivery, DeliveryStatus.SKIPPED, now, note=note)
        report.skipped.append(item.plan.channel_id)
        _log.info("skipped the digest of %s for %s: %s", item.plan.ref.key(), item.period, note)
        notice = OutgoingMessage(
            kind="notice",
            channel=item.plan.ref,
            idempotency_key=f"{item.key}-skipped",
            scheduled_for=item.scheduled_for,
            title="Digest skipped",
            text=note,
        )
        try:
            await self.delivery.deliver(notice)
        except DeliveryFailed as exc:  # the notice is a courtesy: the skip is recorded either way
            _log.warning("could not tell %s its digest was skipped: %s", item.plan.ref.key(), exc.reason)

    async def _find(self, item: _Due) -> DeliveryReceipt | None:
        try:
            return await self.delivery.find_delivered(item.plan.ref, item.key)
        except DeliveryFailed as exc:
            _log.warning("could not ask whether %s was delivered: %s", item.key, exc.reason)
            raise

    async def _claim(self, due: Sequence[_Due], now: datetime) -> list[_Due]:
        """Record "claimed" for the new ones in one transaction; a claim another process made wins."""
        fresh = [item for item in due if not item.recover]
        if not fresh:
            return list(due)
        try:
            async with self.store.transaction() as session:
                await delivery_store.claim_many(
                    session,
                    [(item.plan.channel_id, item.period, item.scheduled_for) for item in fresh],
                    now,
                    self.instance_id,
                )
            return list(due)
        except IntegrityError:
            # Someone claimed some of them between our read and write: claim one by one, keep what we get.
            claimed = [item for item in due if item.recover]
            for item in fresh:
                try:
                    async with self.store.transaction() as session:
                        session.add(
                            delivery_store.new_delivery(
                                item.plan.channel_id,
                                item.period,
                                item.scheduled_for,
                                now,
                                DeliveryStatus.CLAIMED,
                                self.instance_id,
                            )
                        )
                    claimed.append(item)
                except IntegrityError:
                    continue
            return claimed

    async def _deliver_all(self, due: list[_Due], now: datetime, report: RunReport) -> None:
        self._in_flight.update(item.plan.channel_id for item in due)
        try:
            await self._build_and_deliver(due, now, report)
        finally:
            self._in_flight.difference_update(item.plan.channel_id for item in due)

    async def _build_and_deliver(self, due: list[_Due], now: datetime, report: RunReport) -> None:
        claimed = await self._claim(due, now)
        await self.read_model.catch_up()
        # The stories read and the views merged live until the run ends and hold no cycles: the garbage
        # collector's full passes over them would find nothing (see `collector`).
        with collector_held_off():
            await self._build_from(claimed, now, report)

    async def _build_from(self, claimed: list[_Due], now: datetime, report: RunReport) -> None:
        merged_before = self.read_model.views.merged
        build = await self._read(claimed, now)
        # Channels that share feeds are selected one after another, so the views merged for one are
        # still cached (a bounded number) when the next is shown the same articles.
        claimed.sort(key=lambda item: tuple(build.requests[item.plan.channel_id].feed_ids))
        gate = asyncio.Semaphore(self.concurrency)
        recording = asyncio.Lock()
        sent: list[_Sent] = []
        tasks: list[asyncio.Task[None]] = []

        async def one(item: _Due, selection: DigestSelection) -> None:
            try:
                await self._deliver_one(item, selection, now, report, sent)
            finally:
                gate.release()
            if len(sent) >= RECORD_BATCH and not recording.locked():
                async with recording:
                    batch = sent[:]
                    sent.clear()
                    await self._record_sent_many(batch, now)

        try:
            # Selected a batch at a time off the event loop, while the digests before it go out.
            for start in range(0, len(claimed), SELECT_BATCH):
                items = claimed[start : start + SELECT_BATCH]
                selections = await asyncio.to_thread(build.select, items)
                for item in items:
                    await gate.acquire()
                    tasks.append(asyncio.create_task(one(item, selections[item.plan.channel_id])))
        finally:
            try:
                await asyncio.gather(*tasks)
            finally:
                report.stories_built = self.read_model.views.merged - merged_before
                if sent:
                    await self._record_sent_many(sent, now)

    async def _read(self, due: Sequence[_Due], now: datetime) -> _Build:
        """What the due channels' digests are built from: their requests, and the stories their feeds brought
        news of since each one's last digest, with every article those feeds brought of them (the story
        memory caught up first)."""
        channel_ids = [item.plan.channel_id for item in due]
        async with self.store.transaction() as session:
            feeds = await channel_store.feed_ids_by_channel(session, channel_ids)
            last = await delivery_store.last_sent_by_channel(session, channel_ids)
            since = {
                cid: (d.claimed_at if d else None) or now - FIRST_DIGEST_WINDOW
                for cid, d in ((c, last.get(c)) for c in channel_ids)
            }
            snapshots = await snapshot_store.snapshots_by_channel(session, channel_ids)
            all_feeds = sorted({feed for ids in feeds.values() for feed in ids})
            earliest = min(since.values(), default=now)
            news = await story_store.active_stories(session, all_feeds, earliest, now)
            found = await story_store.story_findings(session, news, all_feeds, now) if news else []
        requests = {
            item.plan.channel_id: DigestRequest(
                channel_id=item.plan.channel_id,
                feed_ids=sorted(set(feeds.get(item.plan.channel_id, []))),
                topics=item.plan.request_topics,
                length=item.plan.length,
                since=since[item.plan.channel_id],
                snapshots=snapshots.get(item.plan.channel_id, {}),
                taken=now,
            )
            for item in due
        }
        stored: list[StoredArticle] = [
            article for articles in self.read_model.take(found).values() for article in articles
        ]
        pool = StoryPool(stored, self.read_model.views)
        pool.expect(requests.values())
        return _Build(requests, pool)

    async def _deliver_one(
        self,
        item: _Due,
        selection: DigestSelection,
        now: datetime,
        report: RunReport,
        sent: list[_Sent],
    ) -> None:
        channel_id = item.plan.channel_id
        if item.recover:
            try:
                receipt = await self._find(item)
            except DeliveryFailed as exc:
                # The platform cannot say now (it is down): this digest waits for the next run, the rest go on.
                await self._record_failure(item, exc, now)
                (report.retry_later if exc.retryable else report.failed).append(channel_id)
                return
            if receipt is not None:
                sent.append((item, receipt, None))
                report.recovered.append(channel_id)
                return
        message = digest_message(
            item, selection, late=now - item.scheduled_for > ON_TIME, resume=item.recover
        )
        try:
            receipt = await self.delivery.deliver(message)
        except DeliveryFailed as exc:
            await self._record_failure(item, exc, now)
            (report.retry_later if exc.retryable else report.failed).append(channel_id)
            return
        sent.append((item, receipt, selection.shown))
        report.sent.append(channel_id)

    async def _record_sent_many(self, sent: Sequence[_Sent], now: datetime) -> None:
        """Mark delivered digests sent with the snapshots of what they showed, many per transaction.

        One transaction: a digest is recorded together with what it showed, or not at all (then recovered by
        its key, and its stories are new again in the next digest's comparison).
        """
        async with self.store.transaction() as session:
            await delivery_store.mark_sent_many(
                session,
                [
                    (item.key, receipt.message_ref, None if shown is None else covered_record(shown))
                    for item, receipt, shown in sent
                ],
                now,
            )
            await snapshot_store.save_snapshots(
                session,
                [
                    (item.plan.channel_id, key, snapshot)
                    for item, _, shown in sent
                    for key, snapshot in shown or []
                ],
                now,
            )
            await snapshot_store.prune_snapshots(session, now - SNAPSHOT_KEEP)

    async def _record_sent(
        self, item: _Due, receipt: DeliveryReceipt, covered: dict[str, object] | None, now: datetime
    ) -> None:
        async with self.store.transaction() as session:
            delivery = await delivery_store.find_delivery(session, item.plan.channel_id, item.period)
            if delivery is None:  # the claim is always written first; this is a store that lost it
                delivery = delivery_store.new_delivery(
                    item.plan.channel_id, item.period, item.scheduled_for, now, DeliveryStatus.CLAIMED
                )
                session.add(delivery)
            delivery.attempts += 1
            delivery_store.finish(delivery, DeliveryStatus.SENT, now, receipt.message_ref, covered)

    async def _record_failure(self, item: _Due, exc: DeliveryFailed, now: datetime) -> None:
        _log.warning("the digest of %s for %s failed: %s", item.plan.ref.key(), item.period, exc.reason)
        async with self.store.transaction() as session:
            delivery = await delivery_store.find_delivery(session, item.plan.channel_id, item.period)
            if delivery is None:
                return
            delivery.attempts += 1
            delivery.error = exc.reason
            if not exc.retryable:
                delivery_store.finish(delivery, DeliveryStatus.FAILED, now, error=exc.reason)


def digest_message(
    item: _Due, selection: DigestSelection, late: bool, resume: bool = False
) -> OutgoingMessage:
    """The message of a channel's digest (`resume`: an earlier attempt may have posted part of it)."""
    local = item.plan.schedule.local(item.scheduled_for)
    text = None
    if late:
        text = f"This is the {local:%H:%M} digest, posted late: briefbot was not running at {local:%H:%M}."
    if not selection.items:
        text = (
            text + " " if text else ""
        ) + "No new stories from this channel's feeds since the last digest."
    return OutgoingMessage(
        kind="digest",
        channel=item.plan.ref,
        idempotency_key=item.key,
        scheduled_for=item.scheduled_for,
        title=f"Your briefing for {local:%a %d %b}",
        items=selection.items,
        more=selection.more,
        text=text,
        late=late,
        resume=resume,
    )


def covered_record(shown: Sequence[tuple[str, str]]) -> dict[str, object]:
    """What a delivery row keeps of the digest it posted: the keys of the stories shown."""
    return {"stories": [key for key, _ in shown]}


def delivery_summary(delivery: Delivery | None) -> str:
    """A delivery in words, for status."""
    if delivery is None:
        return "no digest yet"
    return f"{delivery.period}: {delivery.status}" + (f" ({delivery.error})" if delivery.error else "")
