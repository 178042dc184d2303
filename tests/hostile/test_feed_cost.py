"""A hostile feed's cost is bounded and its own: 8,000 items cost one poll its cap, never another tenant's poll.

A loopback HTTP server plays the sites: one feed of 8,000 short items (ETag and conditional GET honoured),
and a one-item feed of another workspace. The real poller, reader and engine (the session's spaCy pipeline
in a thread, behind the service's BatchingExtractor) poll them in one round.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import pytest
from conftest_store import *  # noqa: F403 - the store fixtures
from sqlalchemy import select
from test_ingest_support import Answer, LocalServer

from bot.channels.admin import ChannelAdmin
from bot.clock import FixedClock
from bot.config import FeedSettings
from bot.feeds.extraction import BatchingExtractor, ThreadExtractor
from bot.feeds.fetching import EngineFeedReader
from bot.feeds.poller import FeedPoller
from bot.feeds.probe import EngineFeedProbe
from bot.identity import Caller, ChannelRef
from bot.store.db import Store
from bot.store.models import ArticleRow, Feed, FeedArticle
from briefings.ingest.errors import SourceError
from briefings.ingest.feeds import fill_from_linked_pages
from briefings.ingest.options import ReadOptions
from briefings.ingest.raw import RawArticle
from briefings.models import ArticleAnalysis

ADMIN = Caller(user_id="admin-1", is_channel_admin=True)
NORTH = ChannelRef(platform="console", workspace="north", channel="news")
SOUTH = ChannelRef(platform="console", workspace="south", channel="news")
NOW = datetime(2026, 1, 14, 10, 0, tzinfo=UTC)
BIG_ETAG = '"crane-log-v1"'

SMALL = """<?xml version="1.0"?>
<rss version="2.0"><channel><title>Orrin Ledger</title>
<item><title>Orrin library opens its new reading room</title><link>{base}/orrin/library</link>
<pubDate>Wed, 14 Jan 2026 08:30:00 GMT</pubDate>
<description>The public library of Orrin opened a new reading room on Wednesday, the town council said.
Librarian Noor Haddad said the room seats sixty readers and stays open until nine.</description></item>
</channel></rss>"""


def crane_title(number: int) -> str:
    return f"Crane {number} stalls at Vessby quay"


def crane_feed(base: str, items: int) -> bytes:
    """A feed of `items` short original items, newest first, one minute apart."""
    start = datetime(2026, 1, 14, 9, 0, tzinfo=UTC)
    entries = "".join(
        f"<item><title>{crane_title(n)}</title><link>{base}/cranes/{n}</link>"
        f"<pubDate>{format_datetime(start - timedelta(minutes=n), usegmt=True)}</pubDate>"
        f"<description>Crane number {n} stalled at the Vessby quay on Tuesday, the harbour office said. "
        "Nobody was hurt and unloading went on by hand.</description></item>"
        for n in range(items)
    )
    return (
        f'<?xml version="1.0"?><rss version="2.0"><channel><title>Vessby Crane Log</title>{entries}'
        "</channel></rss>"
    ).encode()


class CountingEngine:
    """The real engine in its thread, recording each call it gets (the titles it analysed)."""

    def __init__(self, nlp) -> None:  # type: ignore[no-untyped-def]
        self.inner = ThreadExtractor(nlp)
        self.calls: list[list[str]] = []
        self.gate: asyncio.Event | None = None  # when set up, calls after the first wait for it
        self.waiting = asyncio.Event()

    async def analyze(self, articles: list[RawArticle]) -> list[ArticleAnalysis]:
        self.calls.append([a.title or a.source for a in articles])
        if self.gate is not None and len(self.calls) > 1:
            self.waiting.set()
            await self.gate.wait()
        return await self.inner.analyze(articles)

    async def close(self) -> None:
        await self.inner.close()

    @property
    def analysed(self) -> list[str]:
        return [title for call in self.calls for title in call]


@pytest.fixture
def site() -> Iterator[LocalServer]:
    with LocalServer() as server:
        yield server


def make_parts(store: Store, nlp, site: LocalServer, clock: FixedClock, **feed_settings: object):  # type: ignore[no-untyped-def]
    settings = FeedSettings(**feed_settings)  # type: ignore[arg-type]
    reader = EngineFeedReader(ReadOptions(fetch=site.policy_for(), max_linked_pages=0), settings.concurrency)
    engine = CountingEngine(nlp)
    poller = FeedPoller(store, reader, BatchingExtractor(engine), clock, settings)
    admin = ChannelAdmin(store, EngineFeedProbe(reader), clock, settings.default_interval_s)
    return reader, engine, poller, admin


async def titles_of(store: Store, url: str) -> list[str]:
    async with store.transaction() as session:
        feed = (await session.execute(select(Feed).where(Feed.url == url))).scalar_one()
        rows = await session.execute(
            select(ArticleRow.title)
            .join(FeedArticle, FeedArticle.article_id == ArticleRow.id)
            .where(FeedArticle.feed_id == feed.id)
        )
        return sorted(t or "" for t in rows.scalars())


async def feed_row(store: Store, url: str) -> Feed:
    async with store.transaction() as session:
        return (await session.execute(select(Feed).where(Feed.url == url))).scalar_one()


async def test_an_8000_item_feed_costs_its_cap_and_the_rest_come_on_later_polls(
    store: Store, nlp, site: LocalServer
) -> None:  # type: ignore[no-untyped-def]
    cap = 12
    site.routes["/cranes.xml"] = Answer(
        body=crane_feed(site.url(""), 8000),
        headers={"ETag": BIG_ETAG, "Content-Type": "application/rss+xml"},
        not_modified_etag=BIG_ETAG,
    )
    small_feed = Answer(
        body=SMALL.format(base=site.url("")).encode(), headers={"Content-Type": "application/rss+xml"}
    )
    site.routes["/orrin.xml"] = small_feed
    big, small = site.url("/cranes.xml"), site.url("/orrin.xml")
    clock = FixedClock(NOW)
    # Today's main joins all 8,000 articles into one engine call: both polls time out after 20 s.
    reader, engine, poller, admin = make_parts(
        store, nlp, site, clock, max_items_per_poll=cap, poll_timeout_s=20, backlog_interval_s=120
    )
    try:
        await admin.setup(NORTH, ADMIN)
        await admin.setup(SOUTH, ADMIN)
        await admin.add_feed(NORTH, ADMIN, big)
        await admin.add_feed(SOUTH, ADMIN, small)
        # The small feed's site answers late, so its one article reaches the engine while the big feed's
        # are with it (the order the issue saw: the small feed polled 3 s after the big one).
        small_feed.delay_s = 3

        outcomes = {o.url: o for o in await poller.poll_due()}
        assert (outcomes[small].status, outcomes[small].new_articles) == ("new", 1)
        assert await titles_of(store, small) == ["Orrin library opens its new reading room"]
        assert (outcomes[big].status, outcomes[big].new_articles) == ("new", cap)
        assert outcomes[big].more_waiting
        assert await titles_of(store, big) == sorted(crane_title(n) for n in range(cap))  # the newest
        assert len(engine.analysed) == cap + 1  # no more than the cap was read into the engine
        row = await feed_row(store, big)
        # Validators dropped (the next GET must not be answered 304), and the rest come sooner.
        assert row.etag is None and row.last_modified is None
        assert row.next_poll_at == NOW + timedelta(seconds=120)
        assert (await feed_row(store, small)).next_poll_at == NOW + timedelta(seconds=900)

        clock.set(NOW + timedelta(seconds=120))
        (again,) = await poller.poll_due()
        assert (again.url, again.status, again.new_articles) == (big, "new", cap)
        assert "if-none-match" not in site.seen[-1].headers
        assert await titles_of(store, big) == sorted(crane_title(n) for n in range(2 * cap))
        assert len(engine.analysed) == 2 * cap + 1  # the first ones were not analysed again
    finally:
        await reader.close()
        await engine.close()


async def test_a_poll_that_times_out_stops_its_extraction_and_keeps_what_was_analysed(
    store: Store, nlp, site: LocalServer
) -> None:  # type: ignore[no-untyped-def]
    site.routes["/cranes.xml"] = Answer(
        body=crane_feed(site.url(""), 40), headers={"Content-Type": "application/rss+xml"}
    )
    url = site.url("/cranes.xml")
    clock = FixedClock(NOW)
    reader, engine, poller, admin = make_parts(store, nlp, site, clock, poll_timeout_s=5)
    try:
        await admin.setup(NORTH, ADMIN)
        await admin.add_feed(NORTH, ADMIN, url)
        engine.gate = asyncio.Event()  # the engine takes its first lot, then is held up
        (outcome,) = await poller.poll_due()
        assert outcome.status == "failed" and "longer than 5 s" in (outcome.error or "")
        assert engine.waiting.is_set()
        first_lot = engine.calls[0]
        assert 0 < len(first_lot) < 40
        assert await titles_of(store, url) == sorted(first_lot)  # what was analysed is kept
        calls_at_timeout = len(engine.calls)
        engine.gate.set()  # the held call goes on; nothing else of that poll may follow it
        for _ in range(50):
            await asyncio.sleep(0.02)
        assert len(engine.calls) == calls_at_timeout

        clock.set(outcome.next_poll_at or NOW)
        engine.gate = None
        (retry,) = await poller.poll_due()
        assert (retry.status, retry.new_articles) == ("new", 40 - len(first_lot))
        assert len(await titles_of(store, url)) == 40
        retried = [title for call in engine.calls[calls_at_timeout:] for title in call]
        assert not set(retried) & set(first_lot)  # the retry did not redo what was stored
    finally:
        if engine.gate is not None:
            engine.gate.set()
        await reader.close()
        await engine.close()


async def test_the_engine_is_shared_round_robin_and_a_caller_that_gives_up_is_dropped(nlp) -> None:  # type: ignore[no-untyped-def]
    engine = CountingEngine(nlp)
    batching = BatchingExtractor(engine, max_batch=8, share=4)
    many = [
        RawArticle(
            source=f"big#{n}", text=f"Crane {n} stalled at the Vessby quay on Tuesday.", title=f"big {n}"
        )
        for n in range(60)
    ]
    one = [RawArticle(source="small#0", text="The Orrin library opened on Wednesday.", title="small")]
    try:
        big_call = asyncio.ensure_future(batching.analyze(many))
        await asyncio.sleep(0)
        small_result = await batching.analyze(one)
        assert [a.article.title for a in small_result] == ["small"]
        assert not big_call.done()  # the small caller did not wait for the big one's 60 articles
        assert len(engine.calls[0]) <= 8 and "small" in engine.analysed[:16]

        big_call.cancel()
        with pytest.raises(asyncio.CancelledError):
            await big_call
        sent = len(engine.analysed)
        for _ in range(50):
            await asyncio.sleep(0.02)
        assert len(engine.analysed) == sent < 61  # the articles not yet sent were dropped
        assert [a.article.title for a in await batching.analyze(one)] == ["small"]
    finally:
        await batching.close()


def test_linked_pages_are_not_read_once_the_read_has_used_its_time() -> None:
    read: list[str] = []

    def read_page(url: str) -> RawArticle:
        read.append(url)
        raise SourceError(url, "not reachable")

    teasers = [RawArticle(source=f"f#{n}", text="A teaser.", url=f"http://site.test/{n}") for n in range(3)]
    assert fill_from_linked_pages(teasers, read_page, max_pages=5, deadline=time.monotonic() - 1) == teasers
    assert read == []
    fill_from_linked_pages(teasers, read_page, max_pages=5, deadline=time.monotonic() + 60)
    assert len(read) == 3
