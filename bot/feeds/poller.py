"""Polling feeds: each on its own interval, a bounded number at once, backing off the ones that fail.

One feed's trouble never holds up the others: every poll runs under its own time limit, and a failure only
moves that feed's next poll further away (doubling up to a maximum, or what Retry-After asks). A feed that
answers 304 Not Modified costs one request and nothing else.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from typing import Literal

from sqlalchemy.exc import DataError, IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from bot.clock import Clock
from bot.config import FeedSettings
from bot.feeds.canonical import canonical_url, content_hash
from bot.feeds.extraction import Extractor
from bot.feeds.fetching import FeedReader
from bot.feeds.intake import fit_for_store, newest_first, take_new
from bot.metrics import ServiceMetrics
from bot.store import articles as article_store
from bot.store import feeds as feed_store
from bot.store.db import Store, StoreUnavailable
from bot.store.models import ArticleRow, Feed
from bot.stories.memory import memory_of
from briefings.ingest.controls import clean_field
from briefings.ingest.errors import FetchError, SourceError
from briefings.ingest.raw import RawArticle
from briefings.models import ArticleAnalysis

_log = logging.getLogger(__name__)

PollStatus = Literal["new", "unchanged", "not_modified", "failed"]

# Articles sent to the engine at a time by one poll, each lot stored as soon as it is analysed: a poll that
# runs out of time has kept what it analysed, and it never holds more of the engine than one lot.
EXTRACT_LOT = 8


@dataclass(frozen=True)
class FeedSnapshot:
    """What a poll needs of a feed, read before the network is touched."""

    id: int
    url: str
    etag: str | None
    last_modified: str | None
    interval_s: int
    consecutive_failures: int


@dataclass(frozen=True)
class PollOutcome:
    """How the poll of one feed went."""

    feed_id: int
    url: str
    status: PollStatus
    new_articles: int = 0
    error: str | None = None
    next_poll_at: datetime | None = None
    more_waiting: bool = False


def backoff_delay(interval_s: int, failures: int, max_backoff_s: int, retry_after_s: float | None) -> float:
    """Seconds until the next try after `failures` failures in a row: doubling, capped, at least Retry-After."""
    delay = min(float(max_backoff_s), float(interval_s * 2 ** max(failures - 1, 0)))
    if retry_after_s is not None:
        delay = max(delay, min(retry_after_s, float(max_backoff_s)))
    return delay


def _snapshot(feed: Feed) -> FeedSnapshot:
    return FeedSnapshot(
        feed.id, feed.url, feed.etag, feed.last_modified, feed.interval_s, feed.consecutive_failures
    )


@dataclass(frozen=True)
class _Candidate:
    raw: RawArticle
    canonical: str | None
    digest: str
    # The stored article with these words (another feed brought it): linked to this feed, not extracted.
    existing: int | None = None


class FeedPoller:
    """Polls due feeds and stores their new articles with the engine's analysis of each."""

    def __init__(
        self,
        store: Store,
        reader: FeedReader,
        extractor: Extractor,
        clock: Clock,
        settings: FeedSettings,
        metrics: ServiceMetrics | None = None,
    ) -> None:
        self.store = store
        self.reader = reader
        self.extractor = extractor
        self.clock = clock
        self.settings = settings
        self.metrics = metrics
        self._gate = asyncio.Semaphore(settings.concurrency)

    async def due_feed_ids(self, now: datetime | None = None) -> list[int]:
        """The feeds whose time to poll has come."""
        async with self.store.transaction() as session:
            return [feed.id for feed in await feed_store.due_feeds(session, now or self.clock.now())]

    async def poll_due(self, now: datetime | None = None) -> list[PollOutcome]:
        """Poll every feed that is due, `concurrency` at a time; return how each went."""
        now = now or self.clock.now()
        async with self.store.transaction() as session:
            feeds = [_snapshot(feed) for feed in await feed_store.due_feeds(session, now)]
        if not feeds:
            return []
        outcomes = await asyncio.gather(*(self._poll_gated(feed) for feed in feeds))
        failed = sum(1 for o in outcomes if o.status == "failed")
        _log.info("polled %d feeds: %d failed", len(outcomes), failed)
        return list(outcomes)

    async def poll_feed(self, feed_id: int) -> PollOutcome | None:
        """Poll one feed now, whatever its schedule (a queued job, an admin's "check now")."""
        async with self.store.transaction() as session:
            feed = await session.get(Feed, feed_id)
            snapshot = _snapshot(feed) if feed is not None and not feed.disabled else None
        if snapshot is None:
            return None
        return await self._poll_gated(snapshot)

    async def _poll_gated(self, feed: FeedSnapshot) -> PollOutcome:
        outcome = await self._poll_guarded(feed)
        if self.metrics is not None:
            self.metrics.count_polls([outcome.status])
        return outcome

    async def _poll_guarded(self, feed: FeedSnapshot) -> PollOutcome:
        async with self._gate:
            try:
                return await asyncio.wait_for(self._poll(feed), timeout=self.settings.poll_timeout_s)
            except TimeoutError:
                error: SourceError = FetchError(
                    feed.url, f"the poll took longer than {self.settings.poll_timeout_s:g} s", transient=True
                )
            except SourceError as exc:
                error = exc
            except StoreUnavailable:
                raise
            except Exception as exc:  # a bug in one feed's handling must not stop the round
                _log.exception("polling %s failed unexpectedly", feed.url)
                error = SourceError(feed.url, f"internal error ({exc.__class__.__name__})")
            return await self._record_failure(feed, error)

    async def _poll(self, feed: FeedSnapshot) -> PollOutcome:
        polled = await self.reader.poll(feed.url, feed.etag, feed.last_modified)
        if polled.not_modified:
            return await self._record_success(feed, 0, polled.etag, polled.last_modified, "not_modified")
        for refused in polled.refused:  # not English, too long, empty: the feed itself is fine
            _log.info("feed %s: item skipped: %s", feed.url, refused)
        # An item its feed gives no date is dated by when it was found: "on Monday" needs a day to count
        # from, and stories are told apart by their days.
        found_at = self.clock.now()
        raws = [fit_for_store(feed.url, raw) for raw in newest_first(polled.articles, found_at)]
        cap = self.settings.max_items_per_poll
        intake = await take_new(raws, cap, lambda chunk: self._new_candidates(feed.id, chunk))
        if intake.more_waiting:
            _log.info(
                "feed %s: %d items, more new ones than the %d a poll takes: the newest now, the rest on the "
                "next polls",
                feed.url,
                len(raws),
                cap,
            )
        stored = 0
        for start in range(0, len(intake.taken), EXTRACT_LOT):
            lot = intake.taken[start : start + EXTRACT_LOT]
            fresh = [c for c in lot if c.existing is None]
            analyses = await self.extractor.analyze(
                [c.raw if c.raw.published is not None else replace(c.raw, published=found_at) for c in fresh]
            )
            if self.metrics is not None:
                self.metrics.articles_extracted.inc(len(analyses))
            known = [c for c in lot if c.existing is not None]
            stored += await self._store_articles(feed, fresh, analyses, known)
            await self._place_in_stories()
        status: PollStatus = "new" if intake.taken else "unchanged"
        if intake.more_waiting:  # a conditional GET would answer 304 next time, and the rest would be lost
            return await self._record_success(feed, stored, None, None, status, more_waiting=True)
        return await self._record_success(feed, stored, polled.etag, polled.last_modified, status)

    async def _place_in_stories(self) -> None:
        """Place the articles just stored in their stories (the memory's queue keeps any it cannot place now)."""
        try:
            await memory_of(self.store).index_pending()
        except StoreUnavailable:
            raise
        except Exception:  # the articles stay queued: the next poll or read places them
            _log.exception("placing stored articles in stories failed")

    async def _new_candidates(self, feed_id: int, raws: Sequence[RawArticle]) -> list[_Candidate]:
        """The items new to this feed: not at a URL it brought before, nor with the words of an article it has.

        Words stored from another feed make the same article: it is linked to this feed (no extraction).
        Another feed's article at the same address does not count: its text may be anything.
        """
        seen_urls: set[str] = set()
        seen_hashes: set[str] = set()
        candidates: list[_Candidate] = []
        for raw in raws:
            url = canonical_url(raw.url) if raw.url else None
            digest = content_hash(raw.title, raw.text, raw.published)
            if (url is not None and url in seen_urls) or digest in seen_hashes:
                continue
            if url is not None:
                seen_urls.add(url)
            seen_hashes.add(digest)
            candidates.append(_Candidate(raw, url, digest))
        if not candidates:
            return []
        async with self.store.transaction() as session:
            seen_urls = await article_store.urls_of_feed(
                session, feed_id, [c.canonical for c in candidates if c.canonical]
            )
            stored = await article_store.articles_by_hash(session, [c.digest for c in candidates])
            carried = await article_store.linked_to_feed(session, feed_id, stored.values())
        new: list[_Candidate] = []
        for candidate in candidates:
            existing = stored.get(candidate.digest)
            if candidate.canonical in seen_urls or existing in carried:
                continue
            new.append(replace(candidate, existing=existing))
        return new

    async def _store_articles(
        self,
        feed: FeedSnapshot,
        candidates: Sequence[_Candidate],
        analyses: Sequence[ArticleAnalysis],
        known: Sequence[_Candidate] = (),
    ) -> int:
        """Store analysed articles, each in a savepoint of its own: one the store refuses loses no other;
        link the `known` ones (stored from another feed) to this feed."""
        now = self.clock.now()
        stored = 0
        async with self.store.transaction() as session:
            for candidate, analysis in zip(candidates, analyses, strict=True):
                row = ArticleRow(
                    canonical_url=candidate.canonical,
                    content_hash=candidate.digest,
                    title=candidate.raw.title,
                    url=candidate.raw.url,
                    published=_as_utc(analysis.article.published),
                    fetched_at=now,
                    analysis=analysis.model_dump_json(),
                )
                try:
                    async with session.begin_nested():
                        await article_store.add_article(
                            session, row, feed.id, candidate.raw.outlet, candidate.raw.source
                        )
                    stored += 1
                except IntegrityError:
                    # Another poller (a feed sharing items) stored these words a moment ago: link theirs.
                    stored += await _link_known(session, feed.id, candidate, now)
                except DataError as exc:  # a value the database cannot hold: that item only is skipped
                    _log.warning(
                        "feed %s: item %s skipped: the database refused it (%s)",
                        feed.url,
                        candidate.raw.source,
                        str(exc.orig).splitlines()[0] if exc.orig is not None else exc.__class__.__name__,
                    )
            for candidate in known:
                stored += await _link_known(session, feed.id, candidate, now)
            row_feed = await session.get(Feed, feed.id)
            if row_feed is not None:
                row_feed.articles_seen += stored
        return stored

    async def _record_success(
        self,
        feed: FeedSnapshot,
        stored: int,
        etag: str | None,
        last_modified: str | None,
        status: PollStatus,
        more_waiting: bool = False,
    ) -> PollOutcome:
        now = self.clock.now()
        interval = feed.interval_s
        if more_waiting:  # the rest of a backlog comes sooner than the feed's usual interval
            interval = min(interval, self.settings.backlog_interval_s)
        next_poll = now + timedelta(seconds=interval)
        async with self.store.transaction() as session:
            row_feed = await session.get(Feed, feed.id)
            if row_feed is not None:
                row_feed.etag = _fits(etag, Feed.etag)
                row_feed.last_modified = _fits(last_modified, Feed.last_modified)
                row_feed.last_polled_at = now
                row_feed.last_success_at = now
                row_feed.consecutive_failures = 0
                if row_feed.failing_since is not None:  # an episode of failures ends: its channels are told
                    row_feed.recovered_from = row_feed.failing_since
                    row_feed.failing_since = None
                row_feed.next_poll_at = next_poll
        return PollOutcome(
            feed.id, feed.url, status, stored, next_poll_at=next_poll, more_waiting=more_waiting
        )

    async def _record_failure(self, feed: FeedSnapshot, error: SourceError) -> PollOutcome:
        now = self.clock.now()
        failures = feed.consecutive_failures + 1
        retry_after = error.retry_after_s if isinstance(error, FetchError) else None
        delay = backoff_delay(feed.interval_s, failures, self.settings.max_backoff_s, retry_after)
        next_poll = now + timedelta(seconds=delay)
        _log.warning(
            "feed %s failed (%d in a row, next try in %.0f s): %s", feed.url, failures, delay, error.reason
        )
        async with self.store.transaction() as session:
            row = await session.get(Feed, feed.id)
            if row is not None:
                row.consecutive_failures = failures
                if row.failing_since is None:
                    row.failing_since = now
                row.last_polled_at = now
                # The reason may quote what the server sent; the database must be able to hold it.
                row.last_error = clean_field(error.reason)
                row.last_error_at = now
                row.next_poll_at = next_poll
                if failures >= self.settings.disable_after_failures:
                    row.disabled = True
                    _log.warning("feed %s disabled after %d failures in a row", feed.url, failures)
        return PollOutcome(feed.id, feed.url, "failed", error=error.reason, next_poll_at=next_poll)


async def _link_known(session: AsyncSession, feed_id: int, candidate: _Candidate, now: datetime) -> int:
    """Link the stored article with the candidate's words to the feed, as the feed presents it (1 if linked)."""
    article_id = candidate.existing
    if article_id is None:
        article_id = (await article_store.articles_by_hash(session, [candidate.digest])).get(candidate.digest)
    if article_id is None:
        return 0
    raw = candidate.raw
    try:
        async with session.begin_nested():
            session.add(article_store.link(feed_id, article_id, now, raw.url, raw.outlet, raw.source))
    except IntegrityError:  # this feed linked it a moment ago (a poll of it running twice)
        return 0
    return 1


def _fits(validator: str | None, column: object) -> str | None:
    """A validator (ETag, Last-Modified) the column can hold, else None: the next GET is then unconditional."""
    length = getattr(getattr(column, "type", None), "length", None)
    value = clean_field(validator)
    if value is None or (length is not None and len(value) > length):
        return None
    return value


def _as_utc(value: datetime | None) -> datetime | None:
    """A publication time as aware UTC (a feed's time without zone is taken as UTC)."""
    if value is None:
        return None
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
