"""Feed polling against a local HTTP server: RSS and Atom, conditional GET, back-off, de-duplication, queue."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from conftest_store import *  # noqa: F403 - the store fixtures
from conftest_store import POSTGRES_URL
from sqlalchemy import func, select

from bot.channels.admin import ChannelAdmin
from bot.channels.errors import FeedRefused
from bot.clock import FixedClock
from bot.config import BotSettings, FeedSettings
from bot.feeds.extraction import ThreadExtractor
from bot.feeds.fetching import EngineFeedReader
from bot.feeds.poller import FeedPoller, backoff_delay
from bot.feeds.probe import EngineFeedProbe
from bot.identity import Caller, ChannelRef
from bot.store.db import Store
from bot.store.migrate import upgrade_store
from bot.store.models import ArticleRow, Feed, FeedArticle
from briefings.ingest.fetch import FetchPolicy
from briefings.ingest.options import ReadOptions
from briefings.ingest.raw import RawArticle
from briefings.models import ArticleAnalysis

ADMIN = Caller(user_id="admin-1", is_channel_admin=True)
REF = ChannelRef(platform="console", workspace="local", channel="news")
CHANGED = format_datetime(datetime(2026, 1, 14, 9, 0, tzinfo=UTC), usegmt=True)

RSS = """<?xml version="1.0"?>
<rss version="2.0"><channel><title>Elwin Gazette</title><link>http://gazette.test/</link>
<item><title>Harbour barriers fail in Port Elwin</title><link>{base}/news/barriers?utm_source=rss</link>
<pubDate>Wed, 14 Jan 2026 08:00:00 GMT</pubDate>
<description>Flood barriers along the harbour of Port Elwin failed on Tuesday night, Mayor Lina Osei said on
Wednesday. About 300 homes were evacuated and nobody was hurt, the council said.</description></item>
<item><title>Ferry service resumes on the Elwin estuary</title><link>{base}/news/ferry</link>
<pubDate>Wed, 14 Jan 2026 07:00:00 GMT</pubDate>
<description>The ferry across the Elwin estuary ran again on Wednesday after a week of repairs, the operator
Estuary Lines said. Captain Mira Holt said the first crossing carried forty passengers.</description></item>
</channel></rss>"""

ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Dunmore Post</title><id>urn:dunmore</id>
<updated>2026-01-14T09:00:00Z</updated>
<entry><title>Rail strike halts trains in Dunmore</title><id>urn:dunmore:1</id>
<link href="{base}/dunmore/strike"/><updated>2026-01-14T09:00:00Z</updated>
<summary>Train drivers in Dunmore walked out on Wednesday over pay, the Dunmore Rail Union said. Union
leader Tomas Varga said the strike would last 48 hours.</summary></entry>
</feed>"""

# The same barriers article again (tracking parameter differs) and the ferry text under another URL, each
# exactly as the Gazette gives it (words, punctuation and date).
REPOSTS = """<?xml version="1.0"?>
<rss version="2.0"><channel><title>Coast Wire</title>
<item><title>Harbour barriers fail in Port Elwin</title><link>{base}/news/barriers?utm_medium=social</link>
<pubDate>Wed, 14 Jan 2026 08:00:00 GMT</pubDate>
<description>Flood barriers along the harbour of Port Elwin failed on Tuesday night, Mayor Lina Osei said on
Wednesday. About 300 homes were evacuated and nobody was hurt, the council said.</description></item>
<item><title>Ferry service resumes on the Elwin estuary</title><link>{base}/wire/ferry-copy</link>
<pubDate>Wed, 14 Jan 2026 07:00:00 GMT</pubDate>
<description>The ferry across the Elwin estuary ran again on Wednesday after a week of repairs, the operator
Estuary Lines said. Captain Mira Holt said the first crossing carried forty passengers.</description></item>
</channel></rss>"""

# A feed that dates nothing: its item is dated by when briefbot found it.
UNDATED = """<?xml version="1.0"?>
<rss version="2.0"><channel><title>Kessa Notes</title>
<item><title>Mill workers walk out in Kessa</title><link>{base}/kessa/mill</link>
<description>Workers at the Kessa paper mill walked out on Monday over a pay offer, the Kessa Mill Union
said. The union's secretary, Hana Sato, said the stoppage would go on until talks resume.</description></item>
</channel></rss>"""

PAGE = "<!doctype html><html><body><h1>Welcome</h1><p>This is a home page, not a feed.</p></body></html>"


class FeedServer:
    """A loopback HTTP server with RSS and Atom feeds that honour conditional GET, and some bad ones."""

    def __init__(self) -> None:
        self.requests: list[tuple[str, dict[str, str]]] = []
        self.hang = threading.Event()
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                return None

            def do_GET(self) -> None:
                server.requests.append((self.path, dict(self.headers)))
                base = f"http://127.0.0.1:{self.server.server_address[1]}"
                if self.path == "/rss.xml":
                    if self.headers.get("If-None-Match") == '"rss-v1"':
                        return self._send(304, b"", {"ETag": '"rss-v1"'})
                    return self._send(
                        200, RSS.format(base=base).encode(), {"ETag": '"rss-v1"'}, "application/rss+xml"
                    )
                if self.path == "/atom.xml":
                    if self.headers.get("If-Modified-Since") == CHANGED:
                        return self._send(304, b"", {"Last-Modified": CHANGED})
                    return self._send(
                        200,
                        ATOM.format(base=base).encode(),
                        {"Last-Modified": CHANGED},
                        "application/atom+xml",
                    )
                if self.path == "/reposts.xml":
                    return self._send(200, REPOSTS.format(base=base).encode(), {}, "application/rss+xml")
                if self.path == "/undated.xml":
                    return self._send(200, UNDATED.format(base=base).encode(), {}, "application/rss+xml")
                if self.path == "/broken.xml":
                    return self._send(503, b"down for maintenance", {}, "text/plain")
                if self.path == "/slow.xml":
                    server.hang.wait(10)  # bounded: the test releases it when it is done
                    return self._send(200, RSS.format(base=base).encode(), {}, "application/rss+xml")
                if self.path == "/page.html":
                    return self._send(200, PAGE.encode(), {}, "text/html")
                return self._send(404, b"not found", {}, "text/plain")

            def _send(self, status: int, body: bytes, headers: dict[str, str], kind: str = "") -> None:
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                if kind:
                    self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                if body:
                    self.wfile.write(body)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.base = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def hits(self, path: str) -> list[dict[str, str]]:
        return [headers for p, headers in self.requests if p == path]


@pytest.fixture
def feed_server() -> Iterator[FeedServer]:
    server = FeedServer()
    server.thread.start()
    yield server
    server.hang.set()
    server.httpd.shutdown()
    server.httpd.server_close()


class CountingExtractor:
    """The real engine in a thread, counting the articles it is asked to analyse."""

    def __init__(self, nlp) -> None:  # type: ignore[no-untyped-def]
        self.inner = ThreadExtractor(nlp)
        self.analysed: list[str] = []

    async def analyze(self, articles: list[RawArticle]) -> list[ArticleAnalysis]:
        self.analysed.extend(a.title or a.source for a in articles)
        return await self.inner.analyze(articles)

    async def close(self) -> None:
        await self.inner.close()


def make_parts(store: Store, nlp, clock: FixedClock, **feed_settings: object):  # type: ignore[no-untyped-def]
    settings = FeedSettings(**feed_settings)  # type: ignore[arg-type]
    fetcher = EngineFeedReader(
        ReadOptions(fetch=FetchPolicy(allow_private=True, timeout_s=5), max_linked_pages=0),
        settings.concurrency,
    )
    extractor = CountingExtractor(nlp)
    poller = FeedPoller(store, fetcher, extractor, clock, settings)
    admin = ChannelAdmin(store, EngineFeedProbe(fetcher), clock, settings.default_interval_s)
    return fetcher, extractor, poller, admin


async def stored_titles(store: Store) -> list[str]:
    async with store.transaction() as session:
        return sorted(t or "" for t in (await session.execute(select(ArticleRow.title))).scalars())


async def feed_row(store: Store, url: str) -> Feed:
    async with store.transaction() as session:
        return (await session.execute(select(Feed).where(Feed.url == url))).scalar_one()


async def test_rss_and_atom_polled_with_conditional_get_and_a_304_costs_no_extraction(
    store: Store, nlp, feed_server: FeedServer
) -> None:  # type: ignore[no-untyped-def]
    clock = FixedClock(datetime(2026, 1, 14, 10, 0, tzinfo=UTC))
    fetcher, extractor, poller, admin = make_parts(store, nlp, clock)
    try:
        await admin.setup(REF, ADMIN)
        await admin.add_feed(REF, ADMIN, f"{feed_server.base}/rss.xml")
        await admin.add_feed(REF, ADMIN, f"{feed_server.base}/atom.xml")
        outcomes = await poller.poll_due()
        assert sorted((o.status, o.new_articles) for o in outcomes) == [("new", 1), ("new", 2)]
        assert len(extractor.analysed) == 3
        assert await stored_titles(store) == [
            "Ferry service resumes on the Elwin estuary",
            "Harbour barriers fail in Port Elwin",
            "Rail strike halts trains in Dunmore",
        ]
        rss = await feed_row(store, f"{feed_server.base}/rss.xml")
        assert rss.etag == '"rss-v1"' and rss.articles_seen == 2 and rss.title == "Elwin Gazette"

        clock.set(clock.now() + timedelta(hours=1))
        again = await poller.poll_due()
        assert [o.status for o in again] == ["not_modified", "not_modified"]
        assert len(extractor.analysed) == 3  # no re-extraction
        assert feed_server.hits("/rss.xml")[-1].get("If-None-Match") == '"rss-v1"'
        assert feed_server.hits("/atom.xml")[-1].get("If-Modified-Since") == CHANGED
        health = {f.url: f for f in await admin.list_feeds(REF, ADMIN)}
        assert health[f"{feed_server.base}/rss.xml"].state == "ok"
        assert health[f"{feed_server.base}/rss.xml"].last_success_at == clock.now()
    finally:
        await fetcher.close()
        await extractor.close()


async def test_articles_are_stored_once_by_content_and_belong_to_every_feed_carrying_them(
    store: Store, nlp, feed_server: FeedServer
) -> None:  # type: ignore[no-untyped-def]
    clock = FixedClock(datetime(2026, 1, 14, 10, 0, tzinfo=UTC))
    fetcher, extractor, poller, admin = make_parts(store, nlp, clock)
    try:
        await admin.setup(REF, ADMIN)
        await admin.add_feed(REF, ADMIN, f"{feed_server.base}/rss.xml")
        await poller.poll_due()
        await admin.add_feed(REF, ADMIN, f"{feed_server.base}/reposts.xml")
        clock.set(clock.now() + timedelta(minutes=5))
        outcomes = await poller.poll_due()
        # The reposts carry the same words: the stored articles become the second feed's too, unextracted.
        assert [(o.status, o.new_articles) for o in outcomes] == [("new", 2)]
        async with store.transaction() as session:
            assert (await session.execute(select(func.count()).select_from(ArticleRow))).scalar() == 2
            links = (
                await session.execute(
                    select(Feed.url, FeedArticle.outlet, FeedArticle.found_at)
                    .join(FeedArticle, FeedArticle.feed_id == Feed.id)
                    .order_by(FeedArticle.found_at, Feed.url)
                )
            ).all()
        assert len(extractor.analysed) == 2
        reposts = [(outlet, at) for url, outlet, at in links if url.endswith("/reposts.xml")]
        assert reposts == [("Coast Wire", clock.now())] * 2  # found now, presented as that feed presents it
        outcomes = await poller.poll_due(clock.now() + timedelta(hours=1))
        assert sorted((o.status, o.new_articles) for o in outcomes) == [("not_modified", 0), ("unchanged", 0)]
    finally:
        await fetcher.close()
        await extractor.close()


async def test_an_undated_item_is_dated_by_when_it_was_found(
    store: Store, nlp, feed_server: FeedServer
) -> None:  # type: ignore[no-untyped-def]
    found = datetime(2026, 1, 14, 10, 0, tzinfo=UTC)  # a Wednesday
    clock = FixedClock(found)
    fetcher, extractor, poller, admin = make_parts(store, nlp, clock)
    try:
        await admin.setup(REF, ADMIN)
        await admin.add_feed(REF, ADMIN, f"{feed_server.base}/undated.xml")
        await poller.poll_due()
        async with store.transaction() as session:
            row = (await session.execute(select(ArticleRow))).scalar_one()
        analysis = ArticleAnalysis.model_validate_json(row.analysis)
        assert analysis.article.published is not None
        assert analysis.article.published.replace(tzinfo=UTC) == found
        # "on Monday" counts from that day: the Monday before.
        assert [t.value for t in analysis.times if t.text == "Monday"] == ["2026-01-12"]
    finally:
        await fetcher.close()
        await extractor.close()


async def test_a_failing_feed_backs_off_and_does_not_hold_up_the_others(
    store: Store, nlp, feed_server: FeedServer
) -> None:  # type: ignore[no-untyped-def]
    clock = FixedClock(datetime(2026, 1, 14, 10, 0, tzinfo=UTC))
    fetcher, extractor, poller, admin = make_parts(
        store, nlp, clock, default_interval_s=600, concurrency=2, poll_timeout_s=1.0, max_backoff_s=3600
    )
    try:
        await admin.setup(REF, ADMIN)
        await admin.add_feed(REF, ADMIN, f"{feed_server.base}/rss.xml")
        await admin.add_feed(REF, ADMIN, f"{feed_server.base}/atom.xml")
        # Feeds that were fine when added and break later: added straight to the store.
        async with store.transaction() as session:
            for path in ("/broken.xml", "/slow.xml"):
                session.add(
                    Feed(
                        url=f"{feed_server.base}{path}",
                        interval_s=600,
                        next_poll_at=clock.now(),
                        created_at=clock.now(),
                    )
                )
        from bot.store.channels import find_channel
        from bot.store.models import ChannelFeed

        async with store.transaction() as session:
            channel = await find_channel(session, REF)
            assert channel is not None
            for feed in (await session.execute(select(Feed))).scalars():
                if feed.url.endswith(("/broken.xml", "/slow.xml")):
                    session.add(ChannelFeed(channel_id=channel.id, feed_id=feed.id, added_at=clock.now()))

        outcomes = {o.url.rsplit("/", 1)[1]: o for o in await poller.poll_due()}
        assert outcomes["rss.xml"].status == "new" and outcomes["atom.xml"].status == "new"
        assert outcomes["broken.xml"].status == "failed" and "503" in (outcomes["broken.xml"].error or "")
        assert outcomes["slow.xml"].status == "failed" and "longer than" in (outcomes["slow.xml"].error or "")
        broken = await feed_row(store, f"{feed_server.base}/broken.xml")
        assert broken.consecutive_failures == 1
        assert broken.next_poll_at == clock.now() + timedelta(seconds=600)
        assert await stored_titles(store)  # the good feeds' articles are in

        clock.set(broken.next_poll_at)
        await poller.poll_due()
        broken = await feed_row(store, f"{feed_server.base}/broken.xml")
        assert broken.consecutive_failures == 2
        assert broken.next_poll_at == clock.now() + timedelta(seconds=1200)  # doubled
        health = {f.url.rsplit("/", 1)[1]: f for f in await admin.list_feeds(REF, ADMIN)}
        assert health["broken.xml"].state == "failing" and "503" in (health["broken.xml"].last_error or "")
        assert health["rss.xml"].state == "ok"
    finally:
        feed_server.hang.set()
        await fetcher.close()
        await extractor.close()


def test_backoff_doubles_up_to_the_maximum_and_honours_retry_after() -> None:
    assert [backoff_delay(600, n, 3600, None) for n in (1, 2, 3, 4, 5)] == [600, 1200, 2400, 3600, 3600]
    assert backoff_delay(600, 1, 3600, 1800) == 1800


async def test_a_url_that_is_not_a_feed_and_a_duplicate_are_refused_and_nothing_changes(
    store: Store, nlp, feed_server: FeedServer
) -> None:  # type: ignore[no-untyped-def]
    clock = FixedClock(datetime(2026, 1, 14, 10, 0, tzinfo=UTC))
    fetcher, extractor, _, admin = make_parts(store, nlp, clock)
    try:
        await admin.setup(REF, ADMIN)
        await admin.add_feed(REF, ADMIN, f"{feed_server.base}/rss.xml")
        before = await admin.history(REF, ADMIN)
        with pytest.raises(FeedRefused) as not_feed:
            await admin.add_feed(REF, ADMIN, f"{feed_server.base}/page.html")
        assert "is not an RSS or Atom feed" in not_feed.value.message
        with pytest.raises(FeedRefused) as missing:
            await admin.add_feed(REF, ADMIN, f"{feed_server.base}/nowhere.xml")
        assert "404" in missing.value.message
        with pytest.raises(FeedRefused) as duplicate:
            await admin.add_feed(REF, ADMIN, f"{feed_server.base}/rss.xml#top")
        assert "already follows" in duplicate.value.message
        status = await admin.status(REF, ADMIN)
        assert status.config.feeds == [f"{feed_server.base}/rss.xml"]
        assert len(await admin.history(REF, ADMIN)) == len(before)
    finally:
        await fetcher.close()
        await extractor.close()


async def test_feed_polls_fan_out_through_the_procrastinate_queue(
    pg_schema: str, nlp, feed_server: FeedServer
) -> None:  # type: ignore[no-untyped-def]
    from bot.feeds.queue import FeedQueue

    store = Store.from_url(POSTGRES_URL, schema=pg_schema)
    await upgrade_store(store)
    clock = FixedClock(datetime(2026, 1, 14, 10, 0, tzinfo=UTC))
    fetcher, extractor, poller, admin = make_parts(store, nlp, clock)
    settings = BotSettings(database_url=POSTGRES_URL)
    queue = FeedQueue(settings, schema=pg_schema)
    await queue.open()
    try:
        assert await queue.apply_schema() is True
        assert await queue.apply_schema() is False
        await admin.setup(REF, ADMIN)
        await admin.add_feed(REF, ADMIN, f"{feed_server.base}/atom.xml")
        defer_due = queue.defer_due_polls_from(poller)
        assert await defer_due() == 1
        assert await defer_due() == 0  # one waiting poll per feed, however often the scheduler looks
        await queue.work(poller, wait=False, concurrency=2)  # a worker drains the queue
        assert await stored_titles(store) == ["Rail strike halts trains in Dunmore"]
    finally:
        await queue.close()
        await fetcher.close()
        await extractor.close()
        await store.close()


async def test_polls_finishing_together_share_one_extraction_call() -> None:
    import asyncio

    from bot.feeds.extraction import BatchingExtractor

    calls: list[int] = []

    class Recording:
        async def analyze(self, articles: list[RawArticle]) -> list[ArticleAnalysis]:
            calls.append(len(articles))
            return [ArticleAnalysis.model_construct(article=None, language=a.source) for a in articles]  # type: ignore[arg-type]

        async def close(self) -> None:
            return None

    batching = BatchingExtractor(Recording(), max_batch=100, wait_s=0.01)
    groups = [[RawArticle(source=f"{g}-{i}", text="x") for i in range(g % 3 + 1)] for g in range(10)]
    results = await asyncio.gather(*(batching.analyze(group) for group in groups))
    assert calls == [sum(len(g) for g in groups)]
    for group, result in zip(groups, results, strict=True):
        assert [r.language for r in result] == [a.source for a in group]
