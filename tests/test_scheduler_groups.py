"""Channels on the same schedule share one cron job: thousands due at 08:00 are one job, firing them all."""

from __future__ import annotations

from datetime import UTC, datetime

from conftest_store import *  # noqa: F403 - the store fixtures
from conftest_store import RecordingDelivery
from test_scheduler import setup_channel

from bot.clock import FixedClock
from bot.config import SchedulerSettings
from bot.identity import ChannelRef
from bot.scheduler.digests import DigestRunner
from bot.scheduler.service import SchedulerService
from bot.store.db import Store


class AlwaysLeader:
    async def try_acquire(self) -> bool:
        return True

    async def still_held(self) -> bool:
        return True

    async def release(self) -> None:
        return None


async def no_polls() -> None:
    return None


def ref(name: str) -> ChannelRef:
    return ChannelRef(platform="console", workspace="local", channel=name)


async def test_channels_on_one_schedule_share_a_job_that_fires_them_all(store: Store) -> None:
    clock = FixedClock(datetime(2026, 1, 14, 12, 0, tzinfo=UTC))
    for name in ("a", "b", "c"):
        await setup_channel(store, clock, ref(name), "08:00 Europe/Berlin")
    await setup_channel(store, clock, ref("d"), "18:30 America/New_York weekdays")
    delivery = RecordingDelivery()
    service = SchedulerService(
        store, DigestRunner(store, delivery, clock), no_polls, SchedulerSettings(), AlwaysLeader()
    )
    await service.activate()
    try:
        assert service.scheduler is not None
        jobs = [job for job in service.scheduler.get_jobs() if job.id.startswith("digest:")]
        assert len(jobs) == 2  # one per schedule, not one per channel
        berlin = next(job for job in jobs if "Europe/Berlin" in job.id)
        clock.set(datetime(2026, 1, 15, 7, 0, tzinfo=UTC))  # 08:00 in Berlin
        await berlin.func(*berlin.args)
        assert service._flush is not None
        await service._flush
        assert sorted(m.channel.channel for m in delivery.posted if m.kind == "digest") == ["a", "b", "c"]
    finally:
        service._deactivate()
