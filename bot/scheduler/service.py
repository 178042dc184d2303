"""The scheduler service: APScheduler jobs rebuilt from the store, run only while this process leads.

Jobs live in APScheduler's memory store and are rebuilt from our own tables at start and on every resync:
the store is the one truth about schedules and deliveries (APScheduler 3.x cannot share a job store between
processes, and its pickled jobs break on upgrades). Each channel has a cron job at its local time; jobs
that fire together are run as one batch so stories shared between channels are built once. A sweep at
start and every `resync_s` catches up what the cron jobs cannot know about (a restart during the due
minute, a digest missed while down, a schedule changed by another process).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from datetime import UTC
from typing import Any

from apscheduler.schedulers.asyncio import AsyncIOScheduler

from bot.channels.config import schedule_of
from bot.config import SchedulerSettings
from bot.scheduler.digests import DigestRunner
from bot.scheduler.leader import LeaderLock
from bot.scheduler.timing import digest_trigger
from bot.store import channels as channel_store
from bot.store.db import Store, StoreUnavailable

_log = logging.getLogger(__name__)

BATCH_WINDOW_S = 0.5


class SchedulerService:
    """Runs digests and feed polls on time, in the one process that holds the leader lock."""

    def __init__(
        self,
        store: Store,
        runner: DigestRunner,
        poll_feeds: Callable[[], Awaitable[Any]],
        settings: SchedulerSettings,
        lock: LeaderLock,
        prune_stories: Callable[[], Awaitable[Any]] | None = None,
        prune_every_s: int = 6 * 3600,
    ) -> None:
        self.store = store
        self.prune_stories = prune_stories
        self.prune_every_s = prune_every_s
        self.runner = runner
        self.poll_feeds = poll_feeds
        self.settings = settings
        self.lock = lock
        self.scheduler: AsyncIOScheduler | None = None
        self._versions: dict[int, tuple[int, str]] = {}
        self._batch: set[int] = set()
        self._flush: asyncio.Task[None] | None = None

    @property
    def active(self) -> bool:
        """Whether this process is the active scheduler now."""
        return self.scheduler is not None

    async def run(self, stop: asyncio.Event) -> None:
        """Lead when the lock is free, stand by when it is not, until `stop` is set."""
        try:
            while not stop.is_set():
                try:
                    if self.active:
                        if not await self.lock.still_held():
                            _log.warning("no longer the active scheduler: stopping jobs")
                            self._deactivate()
                    elif await self.lock.try_acquire():
                        _log.info("this process is now the active scheduler")
                        await self.activate()
                except StoreUnavailable as exc:
                    _log.error("scheduler: %s", exc)
                except OSError as exc:
                    _log.error("scheduler: the database cannot be reached (%s); retrying", exc)
                except Exception as exc:
                    if self.active:
                        _log.exception("scheduler check failed")
                    else:
                        _log.error("scheduler: cannot take the lock (%s); retrying", exc)
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(stop.wait(), timeout=self.settings.leader_retry_s)
        finally:
            self._deactivate()
            await self.lock.release()

    async def activate(self) -> None:
        """Start APScheduler with jobs rebuilt from the store, then catch up on anything missed."""
        scheduler = AsyncIOScheduler(
            timezone=UTC,
            job_defaults={
                "coalesce": True,
                "max_instances": 1,
                "misfire_grace_time": self.settings.digest_grace_s or None,
            },
        )
        self.scheduler = scheduler
        self._versions.clear()
        scheduler.start()
        scheduler.add_job(self.sweep, "interval", seconds=self.settings.resync_s, id="sweep")
        scheduler.add_job(self._poll, "interval", seconds=self.settings.feed_poll_tick_s, id="poll-feeds")
        if self.prune_stories is not None:
            scheduler.add_job(self._prune, "interval", seconds=self.prune_every_s, id="prune-stories")
        await self.sweep()

    async def _prune(self) -> None:
        """Drop the stories (and their articles) past the keep window; a failure waits for the next turn."""
        if self.prune_stories is None:
            return
        try:
            await self.prune_stories()
        except StoreUnavailable as exc:
            _log.error("pruning stories: %s", exc)

    def _deactivate(self) -> None:
        if self.scheduler is not None:
            self.scheduler.shutdown(wait=False)
            self.scheduler = None
        if self._flush is not None:
            self._flush.cancel()
            self._flush = None

    async def rebuild(self) -> None:
        """Make the digest jobs match the store: one cron job per channel that is not paused."""
        if self.scheduler is None:
            return
        async with self.store.transaction() as session:
            channels = await channel_store.all_channels(session)
            wanted = {
                c.id: (c.config_version, c.digest_time + c.timezone + c.days, schedule_of(c))
                for c in channels
                if not c.paused
            }
        for channel_id in list(self._versions):
            if channel_id not in wanted:
                self._remove(channel_id)
        for channel_id, (version, signature, schedule) in wanted.items():
            if self._versions.get(channel_id) == (version, signature):
                continue
            self.scheduler.add_job(
                self._fire,
                digest_trigger(schedule),
                args=[channel_id],
                id=f"digest:{channel_id}",
                replace_existing=True,
            )
            self._versions[channel_id] = (version, signature)

    async def channel_changed(self, channel_id: int) -> None:
        """Pick up one channel's new configuration now (the admin API calls this in-process)."""
        if self.scheduler is not None:
            await self.rebuild()

    def _remove(self, channel_id: int) -> None:
        if self.scheduler is not None and self.scheduler.get_job(f"digest:{channel_id}") is not None:
            self.scheduler.remove_job(f"digest:{channel_id}")
        self._versions.pop(channel_id, None)

    async def sweep(self) -> None:
        """Resync the jobs and post whatever is due (late within the grace period, else skipped with a note)."""
        try:
            await self.rebuild()
            report = await self.runner.run_due()
            if report.sent or report.skipped or report.recovered:
                _log.info(
                    "sweep: %d sent, %d recovered, %d skipped",
                    len(report.sent),
                    len(report.recovered),
                    len(report.skipped),
                )
        except StoreUnavailable as exc:
            _log.error("digests wait: %s", exc)

    async def _fire(self, channel_id: int) -> None:
        """A channel's cron job: join the batch of channels due at this moment."""
        self._batch.add(channel_id)
        if self._flush is None or self._flush.done():
            self._flush = asyncio.create_task(self._run_batch())

    async def _run_batch(self) -> None:
        await asyncio.sleep(BATCH_WINDOW_S)  # let the jobs due at the same second join one batch
        batch, self._batch = sorted(self._batch), set()
        try:
            await self.runner.run_due(batch)
        except StoreUnavailable as exc:
            _log.error("digests wait for the database (the next sweep retries): %s", exc)
        except Exception:
            _log.exception("the digest batch failed; the next sweep retries")

    async def _poll(self) -> None:
        try:
            await self.poll_feeds()
        except StoreUnavailable as exc:
            _log.error("feed polls wait: %s", exc)
