"""The one place where the service's parts are built from settings (inside factories, never at import)."""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import timedelta

from bot.channels.admin import ChannelAdmin
from bot.clock import Clock, SystemClock
from bot.config import BotSettings
from bot.delivery import DeliveryRouter
from bot.demo import DemoFeedReader
from bot.feeds.alerts import FeedNotices
from bot.feeds.extraction import Extractor, make_extractor
from bot.feeds.fetching import EngineFeedReader, FeedReader
from bot.feeds.poller import FeedPoller
from bot.feeds.probe import EngineFeedProbe
from bot.feeds.rounds import PollRound
from bot.metrics import ServiceMetrics
from bot.scheduler.digests import DigestRunner
from bot.scheduler.leader import FileLeaderLock, LeaderLock, PostgresAdvisoryLock
from bot.scheduler.service import SchedulerService
from bot.store.db import Store, StoreUnavailable
from bot.store.migrate import current_revision, head_revision
from bot.stories.memory import memory_of
from briefings.ingest.fetch import FetchPolicy
from briefings.ingest.options import ReadOptions

_log = logging.getLogger(__name__)


class StoreNotReady(RuntimeError):
    """The database is reachable but its tables are missing or older than this code."""


def read_options(settings: BotSettings) -> ReadOptions:
    """The engine's reading limits from the settings."""
    return ReadOptions(
        max_article_chars=settings.max_article_chars,
        fetch=FetchPolicy(
            max_bytes=settings.fetch_max_bytes,
            timeout_s=settings.fetch_timeout_s,
            # A feed's read (its linked pages included) ends about when its poll gives up on it.
            total_timeout_s=min(FetchPolicy.total_timeout_s, settings.feeds.poll_timeout_s),
            allow_private=settings.allow_private_urls,
        ),
        max_linked_pages=settings.feeds.linked_pages,
    )


def feed_reader(settings: BotSettings) -> FeedReader:
    """How feeds are read: over the network, the demo feeds from the package."""
    options = read_options(settings)
    return DemoFeedReader(EngineFeedReader(options, settings.feeds.concurrency), options)


async def open_store(settings: BotSettings, require_current: bool = True) -> Store:
    """Connect to the store and check it is migrated; clear errors when it is not reachable or not ready."""
    store = Store.from_url(settings.store_url())
    try:
        await store.check()
        if require_current:
            current, head = await current_revision(store), head_revision()
            if current != head:
                raise StoreNotReady(
                    f"the database {store.describe()} is at revision {current or 'none (empty)'}, this briefbot "
                    f"needs {head}: run `briefbot db upgrade` first"
                )
    except (StoreUnavailable, StoreNotReady):
        await store.close()
        raise
    return store


def leader_lock(store: Store, settings: BotSettings) -> LeaderLock:
    """An advisory lock on PostgreSQL; a file lock beside the SQLite database."""
    if store.dialect == "postgresql":
        return PostgresAdvisoryLock(store.engine, settings.scheduler.leader_lock_key)
    return FileLeaderLock(settings.data_dir / "scheduler.lock")


@dataclass
class Service:
    """The running service: store, admin API, poller, digest runner and scheduler."""

    settings: BotSettings
    store: Store
    deliveries: DeliveryRouter
    admin: ChannelAdmin
    poller: FeedPoller
    runner: DigestRunner
    scheduler: SchedulerService
    poll_round: PollRound
    fetcher: FeedReader
    extractor: Extractor
    metrics: ServiceMetrics = field(default_factory=ServiceMetrics)
    _stop: asyncio.Event = field(default_factory=asyncio.Event)
    _task: asyncio.Task[None] | None = None

    async def start(self) -> None:
        """Start the scheduler loop (it becomes active when it holds the leader lock)."""
        self._task = asyncio.create_task(self.scheduler.run(self._stop), name="briefbot-scheduler")

    async def stop_scheduling(self) -> None:
        """Start no new job, let the running ones finish within the grace period, release the leader lock."""
        self._stop.set()
        if self._task is not None:
            await self._task

    async def stop(self) -> None:
        """Stop the scheduler, the workers and the store."""
        await self.stop_scheduling()
        await self.fetcher.close()
        await self.extractor.close()
        # The story index state being written whole in the background ends first (the store closes after).
        await memory_of(self.store).settled()
        await self.store.close()


async def build_service(
    settings: BotSettings,
    deliveries: DeliveryRouter | None = None,
    clock: Clock | None = None,
    extractor: Extractor | None = None,
    fetcher: FeedReader | None = None,
) -> Service:
    """Build every part from the settings; the adapters register their deliveries on `deliveries`."""
    clock = clock or SystemClock()
    deliveries = deliveries or DeliveryRouter()
    store = await open_store(settings)
    fetcher = fetcher or EngineFeedReader(read_options(settings), settings.feeds.concurrency)
    extractor = extractor or make_extractor(settings.spacy_pipeline, settings.feeds.extraction_workers)
    metrics = ServiceMetrics()
    poller = FeedPoller(store, fetcher, extractor, clock, settings.feeds, metrics)
    instance_id = uuid.uuid4().hex
    runner = DigestRunner(
        store,
        deliveries,
        clock,
        grace=timedelta(seconds=settings.scheduler.digest_grace_s),
        instance_id=instance_id,
        metrics=metrics,
    )
    poll: Callable[[], Awaitable[object]] = poller.poll_due
    if settings.queue.backend == "procrastinate":
        from bot.feeds.queue import FeedQueue

        queue = FeedQueue(settings)
        await queue.open()
        poll = queue.defer_due_polls_from(poller)
    notices = FeedNotices(store, deliveries, clock, settings.feeds, instance_id, metrics=metrics)
    poll_round = PollRound(poll, notices, clock)
    memory = memory_of(store)
    keep = timedelta(days=settings.stories.keep_days)
    scheduler = SchedulerService(
        store,
        runner,
        poll_round,
        settings.scheduler,
        leader_lock(store, settings),
        prune_stories=lambda: memory.prune(clock.now(), keep),
        prune_every_s=settings.stories.prune_every_s,
        shutdown_grace_s=settings.shutdown_grace_s,
    )
    admin = ChannelAdmin(
        store,
        EngineFeedProbe(fetcher),
        clock,
        settings.feeds.default_interval_s,
        previewer=runner,
        on_change=scheduler.channel_changed,
    )
    return Service(
        settings, store, deliveries, admin, poller, runner, scheduler, poll_round, fetcher, extractor, metrics
    )
