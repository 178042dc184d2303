"""Digests at the local time, once: DST, restarts, misfires, shared stories, the database going away, one leader."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import textwrap
from datetime import UTC, datetime, timedelta

import psycopg
import pytest
from conftest_store import *  # noqa: F403 - the store fixtures
from conftest_store import POSTGRES_URL, RecordingDelivery, SimulatedCrash, StoreSpec, postgres_or_skip
from sqlalchemy import select

from bot.channels.admin import ChannelAdmin, FeedInfo
from bot.channels.schedule import parse_schedule
from bot.clock import FixedClock
from bot.config import SchedulerSettings
from bot.feeds.canonical import content_hash
from bot.identity import Caller, ChannelRef
from bot.scheduler.digests import DigestRunner
from bot.scheduler.leader import PostgresAdvisoryLock
from bot.scheduler.service import SchedulerService
from bot.scheduler.timing import next_run
from bot.store import articles as article_store
from bot.store.db import Store, StoreUnavailable
from bot.store.migrate import upgrade_store
from bot.store.models import ArticleRow, Delivery, Feed

ADMIN = Caller(user_id="admin-1", is_channel_admin=True)
NEWS = ChannelRef(platform="console", workspace="local", channel="news")
OTHER = ChannelRef(platform="console", workspace="local", channel="other")
FEED = "https://feeds.example.org/world.xml"

FLOOD = (
    "Flood barriers fail in Port Elwin\n"
    "Flood barriers along the harbour of Port Elwin failed on Tuesday night, the city council said on "
    'Wednesday. Mayor Lina Osei said 300 homes were evacuated and that nobody was hurt. "The water came '
    'faster than anyone expected," Osei told reporters at the town hall.'
)
FLOOD_UPDATE = (
    "Army engineers reach flooded Port Elwin\n"
    "Army engineers arrived in Port Elwin on Thursday to repair the harbour flood barriers that failed on "
    "Tuesday night, Mayor Lina Osei said. Osei said 300 evacuated families would stay in shelters until "
    "the barriers of Port Elwin are rebuilt."
)
STRIKE = (
    "Rail strike halts trains in Dunmore\n"
    "Train drivers in Dunmore walked out on Wednesday over pay, the Dunmore Rail Union said. Union leader "
    "Tomas Varga said the strike would last 48 hours. The rail operator called the walkout regrettable."
)


class AcceptingProbe:
    async def probe(self, url: str) -> FeedInfo:
        return FeedInfo(url=url, title="World", items=1)


async def setup_channel(
    store: Store, clock: FixedClock, ref: ChannelRef = NEWS, schedule: str = "08:00 Europe/Berlin"
) -> int:
    admin = ChannelAdmin(store, AcceptingProbe(), clock)
    await admin.setup(ref, ADMIN, schedule=schedule)
    await admin.add_feed(ref, ADMIN, FEED)
    async with store.transaction() as session:
        return (await session.execute(select(Feed.id).where(Feed.url == FEED))).scalar_one()


async def add_article(
    store: Store, feed_id: int, analyze, text: str, published: str, fetched_at: datetime
) -> None:  # type: ignore[no-untyped-def]
    analysis = analyze(text, published=published, title=text.split("\n")[0])
    async with store.transaction() as session:
        await article_store.add_article(
            session,
            ArticleRow(
                canonical_url=f"https://feeds.example.org/{content_hash(None, text)[:12]}",
                content_hash=content_hash(None, text),
                title=analysis.article.title,
                url=None,
                published=None,
                fetched_at=fetched_at,
                analysis=analysis.model_dump_json(),
            ),
            feed_id,
            analysis.article.outlet,
            analysis.article.source,
        )


async def delivery_rows(store: Store) -> list[Delivery]:
    async with store.transaction() as session:
        return list((await session.execute(select(Delivery).order_by(Delivery.id))).scalars())


def test_0800_berlin_is_0700_utc_in_winter_and_0600_utc_in_summer() -> None:
    schedule = parse_schedule("08:00 Europe/Berlin")
    winter = next_run(schedule, datetime(2026, 1, 15, 5, 0, tzinfo=UTC))
    summer = next_run(schedule, datetime(2026, 7, 15, 5, 0, tzinfo=UTC))
    assert winter.astimezone(UTC) == datetime(2026, 1, 15, 7, 0, tzinfo=UTC)
    assert summer.astimezone(UTC) == datetime(2026, 7, 15, 6, 0, tzinfo=UTC)
    # The nights the clocks change: the day after spring-forward and fall-back keep 08:00 local.
    assert next_run(schedule, datetime(2026, 3, 28, 12, tzinfo=UTC)).astimezone(UTC).hour == 6
    assert next_run(schedule, datetime(2026, 10, 24, 12, tzinfo=UTC)).astimezone(UTC).hour == 7


@pytest.mark.parametrize(
    ("before", "due"),
    [
        (datetime(2026, 1, 15, 6, 59, tzinfo=UTC), datetime(2026, 1, 15, 7, 0, tzinfo=UTC)),
        (datetime(2026, 7, 15, 5, 59, tzinfo=UTC), datetime(2026, 7, 15, 6, 0, tzinfo=UTC)),
    ],
    ids=["winter", "summer"],
)
async def test_digest_fires_at_the_local_time_across_dst(
    store: Store, analyze, before: datetime, due: datetime
) -> None:  # type: ignore[no-untyped-def]
    clock = FixedClock(before - timedelta(hours=12))
    feed_id = await setup_channel(store, clock)
    await add_article(store, feed_id, analyze, FLOOD, before.date().isoformat(), before - timedelta(hours=2))
    delivery = RecordingDelivery()
    runner = DigestRunner(store, delivery, clock)

    clock.set(before)
    await runner.run_due()
    assert delivery.posted == []
    clock.set(due)
    report = await runner.run_due()
    assert report.sent and len(delivery.digests()) == 1
    message = delivery.digests()[0]
    assert message.scheduled_for.astimezone(UTC) == due
    assert message.items and "Port Elwin" in message.items[0].story.headline
    await runner.run_due()  # the same minute again: nothing more
    assert len(delivery.posted) == 1


async def test_restart_between_sent_and_recorded_does_not_post_twice(
    store: Store, store_spec: StoreSpec, analyze
) -> None:  # type: ignore[no-untyped-def]
    clock = FixedClock(datetime(2026, 1, 14, 12, 0, tzinfo=UTC))
    feed_id = await setup_channel(store, clock)
    await add_article(store, feed_id, analyze, FLOOD, "2026-01-14", clock.now())
    platform = RecordingDelivery()
    platform.crash_after_send = True
    clock.set(datetime(2026, 1, 15, 7, 0, tzinfo=UTC))
    with pytest.raises(SimulatedCrash):
        await DigestRunner(store, platform, clock).run_due()
    assert [d.status for d in await delivery_rows(store)] == ["claimed"]
    assert not platform.posted[0].resume  # a first attempt

    platform.crash_after_send = False
    restarted = store_spec.open()
    try:
        clock.set(datetime(2026, 1, 15, 7, 1, tzinfo=UTC))
        report = await DigestRunner(restarted, platform, clock).run_due()
        assert report.recovered and not report.sent
        assert platform.deliver_calls == 1 and len(platform.posted) == 1
        rows = await delivery_rows(restarted)
        assert [(d.status, d.message_ref) for d in rows] == [("sent", "m1")]
    finally:
        await restarted.close()


async def test_restart_during_the_due_minute_does_not_skip(
    store: Store, store_spec: StoreSpec, analyze
) -> None:  # type: ignore[no-untyped-def]
    clock = FixedClock(datetime(2026, 1, 14, 12, 0, tzinfo=UTC))
    feed_id = await setup_channel(store, clock)
    await add_article(store, feed_id, analyze, FLOOD, "2026-01-14", clock.now())
    platform = RecordingDelivery()
    # The first process claimed the digest at 07:00:00 and died before posting.
    platform.fail_with = SimulatedCrash("killed before the post")  # type: ignore[assignment]
    clock.set(datetime(2026, 1, 15, 7, 0, 0, tzinfo=UTC))
    with pytest.raises(SimulatedCrash):
        await DigestRunner(store, platform, clock).run_due()
    platform.fail_with = None
    # It comes back 40 seconds later, still inside the due minute: the start-up sweep posts it, once.
    restarted = store_spec.open()
    try:
        clock.set(datetime(2026, 1, 15, 7, 0, 40, tzinfo=UTC))
        report = await DigestRunner(restarted, platform, clock).run_due()
        assert report.sent and len(platform.digests()) == 1
        assert not platform.digests()[0].late
        # An attempt was made before: the adapter is told, so parts already posted are not posted again.
        assert platform.digests()[0].resume
        assert [d.status for d in await delivery_rows(restarted)] == ["sent"]
    finally:
        await restarted.close()


async def test_a_missed_digest_is_posted_late_within_grace_else_skipped_with_a_note(
    store: Store, analyze
) -> None:  # type: ignore[no-untyped-def]
    clock = FixedClock(datetime(2026, 1, 14, 12, 0, tzinfo=UTC))
    feed_id = await setup_channel(store, clock)
    await add_article(store, feed_id, analyze, FLOOD, "2026-01-14", clock.now())
    platform = RecordingDelivery()
    runner = DigestRunner(store, platform, clock, grace=timedelta(hours=2))
    clock.set(datetime(2026, 1, 15, 8, 30, tzinfo=UTC))  # down from before 07:00 until 08:30 UTC
    await runner.run_due()
    assert len(platform.digests()) == 1 and platform.digests()[0].late
    assert "posted late" in (platform.digests()[0].text or "")

    clock.set(datetime(2026, 1, 16, 11, 0, tzinfo=UTC))  # down over the next day's 07:00, 4 h late
    report = await runner.run_due()
    assert report.skipped and len(platform.digests()) == 1
    notice = platform.posted[-1]
    assert (
        notice.kind == "notice" and "skipped" in (notice.text or "") and "next digest" in (notice.text or "")
    )
    statuses = [(d.period, d.status) for d in await delivery_rows(store)]
    assert statuses == [("2026-01-15", "sent"), ("2026-01-16", "skipped")]


async def test_stories_shared_by_channels_are_built_once_and_whats_new_follows(store: Store, analyze) -> None:  # type: ignore[no-untyped-def]
    clock = FixedClock(datetime(2026, 1, 14, 12, 0, tzinfo=UTC))
    feed_id = await setup_channel(store, clock, NEWS)
    await setup_channel(store, clock, OTHER)
    await add_article(store, feed_id, analyze, FLOOD, "2026-01-14", clock.now())
    await add_article(store, feed_id, analyze, STRIKE, "2026-01-14", clock.now())
    platform = RecordingDelivery()
    runner = DigestRunner(store, platform, clock)
    clock.set(datetime(2026, 1, 15, 7, 0, tzinfo=UTC))
    report = await runner.run_due()
    assert len(report.sent) == 2 and report.stories_built == 2
    first, second = platform.digests()
    for a, b in zip(first.items, second.items, strict=True):
        assert a.story is b.story  # one Story object, summarised once, handed to both channels

    await add_article(
        store, feed_id, analyze, FLOOD_UPDATE, "2026-01-15", datetime(2026, 1, 15, 12, 0, tzinfo=UTC)
    )
    clock.set(datetime(2026, 1, 16, 7, 0, tzinfo=UTC))
    await runner.run_due()
    next_day = platform.digests()[-1]
    flood = [
        item for item in next_day.items if "Port Elwin" in item.story.headline + " ".join(item.story.digest)
    ]
    assert flood, [item.story.headline for item in next_day.items]
    assert len(flood[0].story.articles) == 2  # the update joined the story covered yesterday
    assert not flood[0].first_time
    assert "1 new source" in flood[0].whats_new


async def test_paused_channel_gets_nothing_and_topics_filter(store: Store, analyze) -> None:  # type: ignore[no-untyped-def]
    clock = FixedClock(datetime(2026, 1, 14, 12, 0, tzinfo=UTC))
    feed_id = await setup_channel(store, clock, NEWS)
    await setup_channel(store, clock, OTHER)
    admin = ChannelAdmin(store, AcceptingProbe(), clock)
    await admin.pause(OTHER, ADMIN)
    await admin.set_topics(NEWS, ADMIN, keywords=["strike"])
    await add_article(store, feed_id, analyze, FLOOD, "2026-01-14", clock.now())
    await add_article(store, feed_id, analyze, STRIKE, "2026-01-14", clock.now())
    platform = RecordingDelivery()
    clock.set(datetime(2026, 1, 15, 7, 0, tzinfo=UTC))
    await DigestRunner(store, platform, clock).run_due()
    assert [m.channel for m in platform.posted] == [NEWS]
    assert [item.story.headline for item in platform.posted[0].items] == [
        "Rail strike halts trains in Dunmore"
    ]
    assert platform.posted[0].items[0].matched_topics == ["strike"]


class TcpProxy:
    """A loopback TCP proxy to PostgreSQL that the test can cut, as a database going away would."""

    def __init__(self, port: int) -> None:
        self.target_port = port
        self.server: asyncio.Server | None = None
        self.writers: list[asyncio.StreamWriter] = []

    async def start(self) -> int:
        self.server = await asyncio.start_server(self._handle, "127.0.0.1", 0)
        return int(self.server.sockets[0].getsockname()[1])

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        up_reader, up_writer = await asyncio.open_connection("127.0.0.1", self.target_port)
        self.writers += [writer, up_writer]

        async def pipe(src: asyncio.StreamReader, dst: asyncio.StreamWriter) -> None:
            try:
                while data := await src.read(65536):
                    dst.write(data)
                    await dst.drain()
            except (ConnectionError, OSError):
                pass
            finally:
                dst.close()

        await asyncio.gather(pipe(reader, up_writer), pipe(up_reader, writer))

    async def cut(self) -> None:
        """Refuse new connections and drop the open ones."""
        assert self.server is not None
        self.server.close()
        for writer in self.writers:
            writer.transport.abort()
        self.writers.clear()


async def test_database_going_away_mid_run_loses_nothing_and_posts_once(pg_schema: str, analyze) -> None:  # type: ignore[no-untyped-def]
    direct = Store.from_url(POSTGRES_URL, schema=pg_schema)
    await upgrade_store(direct)
    proxy = TcpProxy(5432)
    port = await proxy.start()
    proxied = Store.from_url(f"postgresql://postgres@127.0.0.1:{port}/test", schema=pg_schema)
    clock = FixedClock(datetime(2026, 1, 14, 12, 0, tzinfo=UTC))
    try:
        feed_id = await setup_channel(direct, clock)
        await add_article(direct, feed_id, analyze, FLOOD, "2026-01-14", clock.now())

        class CutAfterSend(RecordingDelivery):
            async def deliver(self, message):  # type: ignore[no-untyped-def]
                receipt = await super().deliver(message)
                await proxy.cut()  # the database goes away between the post and its record
                return receipt

        platform = CutAfterSend()
        clock.set(datetime(2026, 1, 15, 7, 0, tzinfo=UTC))
        with pytest.raises(StoreUnavailable) as caught:
            await DigestRunner(proxied, platform, clock).run_due()
        assert "cannot be reached" in str(caught.value)
        assert [d.status for d in await delivery_rows(direct)] == ["claimed"]  # the claim survived

        clock.set(datetime(2026, 1, 15, 7, 2, tzinfo=UTC))  # the database is back (direct connection)
        report = await DigestRunner(direct, platform, clock).run_due()
        assert report.recovered and len(platform.posted) == 1
        assert [d.status for d in await delivery_rows(direct)] == ["sent"]
    finally:
        await proxied.close()
        await direct.close()


async def test_only_one_scheduler_holds_the_advisory_lock_and_a_standby_takes_over(pg_schema: str) -> None:
    key = abs(hash(pg_schema)) % (2**31)
    first_store = Store.from_url(POSTGRES_URL)
    second_store = Store.from_url(POSTGRES_URL)
    first, second = (
        PostgresAdvisoryLock(first_store.engine, key),
        PostgresAdvisoryLock(second_store.engine, key),
    )
    try:
        assert await first.try_acquire()
        assert not await second.try_acquire()
        assert await first.still_held()
        # The holder's connection dies (its process crashed, the network cut it).
        with psycopg.connect(POSTGRES_URL, autocommit=True) as admin:
            admin.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_locks WHERE locktype = 'advisory' AND objid = %s",
                (key,),
            )
        assert not await first.still_held()
        assert await second.try_acquire()
        assert not await first.try_acquire()
    finally:
        await first.release()
        await second.release()
        await first_store.close()
        await second_store.close()


async def test_a_killed_scheduler_process_is_taken_over(pg_schema: str) -> None:
    postgres_or_skip()
    key = abs(hash(pg_schema + "-process")) % (2**31)
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            textwrap.dedent(
                f"""
                import asyncio, sys
                from bot.store.db import Store
                from bot.scheduler.leader import PostgresAdvisoryLock
                async def main():
                    store = Store.from_url({POSTGRES_URL!r})
                    lock = PostgresAdvisoryLock(store.engine, {key})
                    assert await lock.try_acquire()
                    print("holding", flush=True)
                    await asyncio.sleep(120)
                asyncio.run(main())
                """
            ),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    standby_store = Store.from_url(POSTGRES_URL)
    standby = PostgresAdvisoryLock(standby_store.engine, key)
    try:
        assert holder.stdout is not None
        assert holder.stdout.readline().strip() == "holding"
        assert not await standby.try_acquire()
        os.kill(holder.pid, signal.SIGKILL)
        holder.wait(timeout=30)
        took_over = False
        for _ in range(100):  # bounded: PostgreSQL notices the closed connection at once on loopback
            if await standby.try_acquire():
                took_over = True
                break
            await asyncio.sleep(0.1)
        assert took_over
    finally:
        if holder.poll() is None:
            holder.kill()
        await standby.release()
        await standby_store.close()


async def test_scheduler_jobs_are_rebuilt_from_the_store(store: Store) -> None:
    clock = FixedClock(datetime(2026, 1, 14, 12, 0, tzinfo=UTC))
    await setup_channel(store, clock, NEWS, "08:00 Europe/Berlin")
    await setup_channel(store, clock, OTHER, "18:30 America/New_York weekdays")

    class AlwaysLeader:
        async def try_acquire(self) -> bool:
            return True

        async def still_held(self) -> bool:
            return True

        async def release(self) -> None:
            return None

    async def no_polls() -> None:
        return None

    service = SchedulerService(
        store, DigestRunner(store, RecordingDelivery(), clock), no_polls, SchedulerSettings(), AlwaysLeader()
    )
    await service.activate()
    try:
        assert service.scheduler is not None
        jobs = {job.id: job for job in service.scheduler.get_jobs()}
        assert {"sweep", "poll-feeds"} <= set(jobs)
        digest_jobs = sorted(job_id for job_id in jobs if job_id.startswith("digest:"))
        assert len(digest_jobs) == 2
        ny = next(
            job for job in jobs.values() if str(getattr(job.trigger, "timezone", "")) == "America/New_York"
        )
        assert "day_of_week='mon,tue,wed,thu,fri'" in str(ny.trigger) and "hour='18'" in str(ny.trigger)
        admin = ChannelAdmin(store, AcceptingProbe(), clock, on_change=service.channel_changed)
        await admin.pause(OTHER, ADMIN)
        assert len([j for j in service.scheduler.get_jobs() if j.id.startswith("digest:")]) == 1
    finally:
        service._deactivate()
