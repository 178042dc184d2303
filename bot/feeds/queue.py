"""Fanning feed polls out to worker processes through procrastinate (a job queue on PostgreSQL).

Why procrastinate: PostgreSQL is already the system of record when briefbot scales out, so the queue needs
no second service (no Redis or broker to run, back up and watch); jobs are rows, deferred in the same
database the scheduler reads; it is asyncio-native like the rest of `bot/`; and a queueing lock per feed
keeps one poll of a feed waiting at a time however often the scheduler looks. The active scheduler defers a
`poll_feed` job for every due feed; `briefbot worker` processes run them with their own extraction pool.

No poll is lost or run twice over: a worker told to stop (SIGTERM) finishes its polls within
`BRIEFBOT_SHUTDOWN_GRACE_S`, and a poll it has to cut short is aborted and retried (the task's retry strategy
covers a shutdown abort). A worker killed outright (SIGKILL, the machine lost) stops beating; the active
scheduler then puts its running polls back in the queue. A poll run again stores nothing twice: articles are
kept once per link, and a feed's ETag is written only once its items are stored.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

import procrastinate
from procrastinate import exceptions as queue_errors
from procrastinate.app import WorkerOptions
from sqlalchemy.engine import make_url

from bot.config import BotSettings
from bot.feeds.poller import FeedPoller

_log = logging.getLogger(__name__)

POLL_TASK = "briefbot.poll_feed"
# A poll that failed in a way the poller does not record itself (cut short by a shutdown, an unexpected
# error) is tried again this many times in all, a few seconds apart.
POLL_RETRY = procrastinate.RetryStrategy(max_attempts=5, wait=5)


def libpq_conninfo(url: str) -> str:
    """A libpq connection string from a SQLAlchemy PostgreSQL URL."""
    parsed = make_url(url)
    if not parsed.drivername.startswith(("postgresql", "postgres")):
        raise ValueError(
            "the procrastinate queue needs PostgreSQL: set BRIEFBOT_DATABASE_URL to a postgresql:// URL"
        )
    return parsed.set(drivername="postgresql").render_as_string(hide_password=False)


async def _poll_feed(context: procrastinate.JobContext, feed_id: int) -> None:
    poller: FeedPoller = context.additional_context["poller"]
    outcome = await poller.poll_feed(feed_id)
    if outcome is not None:
        _log.info("worker polled %s: %s (%d new)", outcome.url, outcome.status, outcome.new_articles)


class FeedQueue:
    """The procrastinate app of feed polls: deferring (scheduler side) and working (worker side)."""

    def __init__(self, settings: BotSettings, schema: str | None = None) -> None:
        self.settings = settings
        pool_kwargs: dict[str, Any] = {}
        if schema:
            pool_kwargs["options"] = f"-c search_path={schema}"
        self.app = procrastinate.App(
            connector=procrastinate.PsycopgConnector(
                conninfo=libpq_conninfo(settings.store_url()), kwargs=pool_kwargs, min_size=1, max_size=4
            )
        )
        self.poll_task = self.app.task(
            name=POLL_TASK, queue=settings.queue.name, pass_context=True, retry=POLL_RETRY
        )(_poll_feed)

    async def open(self) -> None:
        """Open the connection pool."""
        await self.app.open_async()

    async def close(self) -> None:
        """Close the connection pool."""
        await self.app.close_async()

    async def apply_schema(self) -> bool:
        """Create procrastinate's tables if they are missing; True if they were created now."""
        async with self.app.connector.pool.connection() as connection:  # type: ignore[attr-defined]
            found = await (await connection.execute("SELECT to_regclass('procrastinate_jobs')")).fetchone()
        if found and found[0] is not None:
            return False
        await self.app.schema_manager.apply_schema_async()
        return True

    async def defer_poll(self, feed_id: int) -> bool:
        """Queue a poll of the feed, unless one is already waiting (True if queued now)."""
        try:
            await self.poll_task.configure(queueing_lock=f"feed-{feed_id}").defer_async(feed_id=feed_id)
        except queue_errors.AlreadyEnqueued:
            return False
        return True

    def defer_due_polls_from(self, poller: FeedPoller) -> Callable[[], Awaitable[int]]:
        """The scheduler's poll job in queue mode: defer one job per due feed."""

        async def defer_due() -> int:
            # Polls of dead workers first: each goes back in the queue under its feed's lock, and the same
            # feed is then not queued a second time below.
            await self.requeue_stalled()
            queued = 0
            for feed_id in await poller.due_feed_ids():
                queued += await self.defer_poll(feed_id)
            if queued:
                _log.info("queued %d feed polls", queued)
            return queued

        return defer_due

    async def requeue_stalled(self) -> int:
        """Queue again the polls that workers silent for `stalled_after_s` left running; how many."""
        stalled = await self.app.job_manager.get_stalled_jobs(
            queue=self.settings.queue.name, seconds_since_heartbeat=self.settings.queue.stalled_after_s
        )
        requeued = 0
        for job in stalled:
            try:
                await self.app.job_manager.retry_job(job)
            except queue_errors.UniqueViolation as exc:
                # Another poll of that feed is already waiting: this one is not needed any more.
                _log.info("the stalled job %s is not queued again (%s); marking it aborted", job.id, exc)
                await self.app.job_manager.finish_job(
                    job, procrastinate.jobs.Status.ABORTED, delete_job=False
                )
                continue
            requeued += 1
            _log.warning("queued again %s (job %s): its worker stopped answering", job.call_string, job.id)
        return requeued

    async def work(
        self,
        poller: FeedPoller,
        wait: bool = True,
        concurrency: int = 4,
        shutdown_grace_s: float | None = None,
    ) -> None:
        """Run feed polls from the queue (until SIGTERM or cancelled; with wait=False, until it is empty).

        On SIGTERM the worker takes no new job, gives the running polls `shutdown_grace_s` to finish, and
        aborts the rest, which are retried.
        """
        stalled_after = self.settings.queue.stalled_after_s
        options: WorkerOptions = {
            "queues": [self.settings.queue.name],
            "wait": wait,
            "concurrency": concurrency,
            "additional_context": {"poller": poller},
            "install_signal_handlers": wait,
            "update_heartbeat_interval": stalled_after / 3,
            "stalled_worker_timeout": stalled_after,
        }
        if shutdown_grace_s is not None:
            options["shutdown_graceful_timeout"] = shutdown_grace_s
        await self.app.run_worker_async(**options)
