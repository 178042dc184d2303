"""The scheduler service: APScheduler jobs rebuilt from the store, run only while this process leads.

Jobs live in APScheduler's memory store and are rebuilt from our own tables at start and on every resync:
the store is the one truth about schedules and deliveries (APScheduler 3.x cannot share a job store between
processes, and its pickled jobs break on upgrades). Channels with the same schedule (time, time zone, days)
share one cron job: 10,000 channels due at 08:00 Europe/Berlin are one job firing once, not 10,000 jobs
that APScheduler would wake in one step of the event loop while commands wait. Jobs that fire together
are run as one batch so stories shared between channels are built once. A sweep at
start and every `resync_s` catches up what the cron jobs cannot know about (a restart during the due
minute, a digest missed while down, a schedule changed by another process).

Stopping (SIGTERM) is graceful: no new job starts, the ones running (a digest batch, a sweep, a feed poll
round) get `shutdown_grace_s` to finish, whatever is left is cancelled and so handed back (a claimed digest
is recovered by the next scheduler, which posts only its missing parts), and the lock is released at once
so that a standby takes over without waiting for the connection to time out.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable, Iterator
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
        shutdown_grace_s: float = 25.0,
    ) -> None:
        self.store = store
        self.prune_stories = prune_stories
        self.prune_every_s = prune_every_s
        self.shutdown_grace_s = shutdown_grace_s
        self.runner = runner
        self.poll_feeds = poll_feeds
        self.settings = settings
        self.lock = lock
        self.scheduler: AsyncIOScheduler | None = None
        self._groups: dict[str, set[int]] = {}  # a schedule's signature -> the channels on it (one job each)
        self._batch: set[int] = set()
        self._flush: asyncio.Task[Any] | None = None
        # The work running now (activation, sweeps, digest batches, poll rounds), drained on stop.
        self._in_flight: set[asyncio.Task[Any]] = set()

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
                        await self._until_stopped(self._spawn(self.activate(), "activate"), stop)
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
            await self._drain()
            self._deactivate()
            await self.lock.release()

    def _spawn(self, work: Awaitable[Any], name: str) -> asyncio.Task[Any]:
        task: asyncio.Task[Any] = asyncio.ensure_future(work)
        task.set_name(f"scheduler-{name}")
        self._in_flight.add(task)
        task.add_done_callback(self._in_flight.discard)
        return task

    @contextlib.contextmanager
    def _running(self) -> Iterator[None]:
        """Count the current task (an APScheduler job) as work in flight while it runs."""
        task = asyncio.current_task()
        if task is not None:
            self._in_flight.add(task)
        try:
            yield
        finally:
            if task is not None:
                self._in_flight.discard(task)

    @staticmethod
    async def _until_stopped(task: asyncio.Task[Any], stop: asyncio.Event) -> None:
        """Wait for the task, or only until `stop` (the task then goes on and is drained)."""
        stopped = asyncio.create_task(stop.wait())
        try:
            await asyncio.wait({task, stopped}, return_when=asyncio.FIRST_COMPLETED)
        finally:
            stopped.cancel()
        if task.done():
            task.result()

    async def _drain(self) -> None:
        """Start no new job; give the running ones the grace period; cancel (hand back) the rest."""
        if self.scheduler is not None and self.scheduler.running:
            # pause, not shutdown: APScheduler's shutdown cancels the coroutine jobs that are running.
            self.scheduler.pause()
        running = {task for task in self._in_flight if not task.done() and task is not asyncio.current_task()}
        if not running:
            return
        _log.info("stopping: waiting up to %.0f s for %d jobs in flight", self.shutdown_grace_s, len(running))
        unfinished = running
        if self.shutdown_grace_s > 0:
            _, unfinished = await asyncio.wait(running, timeout=self.shutdown_grace_s)
        for task in unfinished:
            task.cancel()
        await asyncio.gather(*unfinished, return_exceptions=True)
        if unfinished:
            _log.warning(
                "stopping: handed back %d unfinished jobs (%s); the next active scheduler finishes them",
                len(unfinished),
                ", ".join(sorted(task.get_name() for task in unfinished)),
            )

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
        self._groups.clear()
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
        with self._running():
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
        """Make the digest jobs match the store: one cron job per schedule some channel not paused is on."""
        if self.scheduler is None:
            return
        async with self.store.transaction() as session:
            channels = await channel_store.all_channels(session)
            groups: dict[str, set[int]] = {}
            schedules = {}
            for c in channels:
                if c.paused:
                    continue
                signature = f"{c.digest_time} {c.timezone} {c.days}"
                groups.setdefault(signature, set()).add(c.id)
                if signature not in schedules:
                    schedules[signature] = schedule_of(c)
        for signature in list(self._groups):
            if signature not in groups and self.scheduler.get_job(f"digest:{signature}") is not None:
                self.scheduler.remove_job(f"digest:{signature}")
        for signature in groups:
            if signature in self._groups:
                continue
            self.scheduler.add_job(
                self._fire,
                digest_trigger(schedules[signature]),
                args=[signature],
                id=f"digest:{signature}",
                replace_existing=True,
            )
        self._groups = groups

    async def channel_changed(self, channel_id: int) -> None:
        """Pick up one channel's new configuration now (the admin API calls this in-process)."""
        if self.scheduler is not None:
            await self.rebuild()

    async def sweep(self) -> None:
        """Resync the jobs and post whatever is due (late within the grace period, else skipped with a note)."""
        with self._running():
            await self._sweep()

    async def _sweep(self) -> None:
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

    async def _fire(self, signature: str) -> None:
        """A schedule's cron job: its channels join the batch of channels due at this moment."""
        self._batch.update(self._groups.get(signature, ()))
        if self._flush is None or self._flush.done():
            self._flush = self._spawn(self._run_batch(), "digests")

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
        with self._running():
            try:
                await self.poll_feeds()
            except StoreUnavailable as exc:
                _log.error("feed polls wait: %s", exc)
