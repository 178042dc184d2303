"""When a schedule fires, in UTC, across daylight-saving changes; the period a digest belongs to."""

from __future__ import annotations

import functools
from datetime import datetime, timedelta

from apscheduler.triggers.cron import CronTrigger

from bot.channels.schedule import Schedule


def digest_trigger(schedule: Schedule) -> CronTrigger:
    """The APScheduler trigger of a schedule: its local time, on its days, in its timezone."""
    return CronTrigger(
        hour=schedule.hour,
        minute=schedule.minute,
        second=0,
        day_of_week=",".join(schedule.days),
        timezone=schedule.zone(),
    )


def next_run(schedule: Schedule, now: datetime) -> datetime:
    """The first time at or after `now` the digest is due (aware, in the schedule's timezone)."""
    fire: datetime | None = digest_trigger(schedule).get_next_fire_time(None, now)
    if fire is None:  # a cron trigger without an end date always has a next time
        raise ValueError(f"the schedule {schedule.describe()} never fires")
    return fire


@functools.lru_cache(maxsize=4096)
def previous_run(schedule: Schedule, now: datetime) -> datetime | None:
    """The last time at or before `now` the digest was due (within the past eight days).

    Cached: thousands of channels share a few schedules, and a sweep asks with one `now` for all of them.
    """
    trigger = digest_trigger(schedule)
    for lookback in (timedelta(days=1, hours=2), timedelta(days=8)):
        candidate: datetime | None = trigger.get_next_fire_time(None, now - lookback)
        last: datetime | None = None
        while candidate is not None and candidate <= now:
            last = candidate
            candidate = trigger.get_next_fire_time(candidate, candidate + timedelta(seconds=1))
        if last is not None:
            return last
    return None


def period_of(schedule: Schedule, scheduled_for: datetime) -> str:
    """The period a digest belongs to: the local date it was scheduled for (one digest per day at most)."""
    return schedule.local(scheduled_for).date().isoformat()
