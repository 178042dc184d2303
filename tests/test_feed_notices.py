"""Feed notices: a channel is told once when a feed keeps failing or is disabled, once when it works again.

A loopback HTTP server plays the feed's site (working, then down, then back); the real poller reads it, and
the notices go through the DigestDelivery protocol, recorded and keyed like digests.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from conftest_store import *  # noqa: F403 - the store fixtures
from conftest_store import RecordingDelivery, SimulatedCrash, StoreSpec
from sqlalchemy import select

from bot.channels.admin import ChannelAdmin
from bot.clock import FixedClock
from bot.config import FeedSettings
from bot.feeds.alerts import FeedNotices
from bot.feeds.extraction import ThreadExtractor
from bot.feeds.fetching import EngineFeedReader
from bot.feeds.poller import FeedPoller
from bot.feeds.probe import EngineFeedProbe
from bot.feeds.rounds import PollRound
from bot.identity import Caller, ChannelRef
from bot.store.db import Store
from bot.store.models import Delivery, Feed
from briefings.ingest.fetch import FetchPolicy
from briefings.ingest.options import ReadOptions

ADMIN = Caller(user_id="admin-1", is_channel_admin=True)
NEWS = ChannelRef(platform="console", workspace="local", channel="news")
OTHER = ChannelRef(platform="console", workspace="local", channel="other")
QUIET = ChannelRef(platform="console", workspace="local", channel="quiet")

RSS = """<?xml version="1.0"?>
<rss version="2.0"><channel><title>Tarn Valley Courier</title><link>http://courier.test/</link>
<item><title>Tarn Valley bridge reopens after repairs</title><link>http://courier.test/bridge</link>
<pubDate>Wed, 14 Jan 2026 08:00:00 GMT</pubDate>
<description>The old stone bridge over the Tarn reopened on Wednesday after four months of repairs, the
valley council said. Engineer Oda Brekke said lorries would still have to take the bypass.</description></item>
</channel></rss>"""


class FlakySite:
    """A feed on loopback that works, or answers 503 while `down` is set."""

    def __init__(self) -> None:
        self.down = threading.Event()
        site = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                return None

            def do_GET(self) -> None:
                if site.down.is_set():
                    body, status, kind = b"down for maintenance", 503, "text/plain"
                elif self.headers.get("If-None-Match") == '"v1"':
                    body, status, kind = b"", 304, ""
                else:
                    body, status, kind = RSS.encode(), 200, "application/rss+xml"
                self.send_response(status)
                self.send_header("ETag", '"v1"')
                if kind:
                    self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                if body:
                    self.wfile.write(body)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/courier.xml"


@pytest.fixture
def site() -> Iterator[FlakySite]:
    flaky = FlakySite()
    thread = threading.Thread(target=flaky.httpd.serve_forever, daemon=True)
    thread.start()
    yield flaky
    flaky.httpd.shutdown()
    flaky.httpd.server_close()


class Parts:
    def __init__(self, store: Store, nlp, settings: FeedSettings, clock: FixedClock) -> None:  # type: ignore[no-untyped-def]
        self.clock = clock
        self.reader = EngineFeedReader(
            ReadOptions(fetch=FetchPolicy(allow_private=True, timeout_s=5), max_linked_pages=0), 4
        )
        self.extractor = ThreadExtractor(nlp)
        self.poller = FeedPoller(store, self.reader, self.extractor, clock, settings)
        self.admin = ChannelAdmin(store, EngineFeedProbe(self.reader), clock)
        self.platform = RecordingDelivery()
        self.notices = FeedNotices(store, self.platform, clock, settings)
        self.round = PollRound(self.poller.poll_due, self.notices, clock)

    async def poll_when_due(self, store: Store, notices: bool = True) -> None:
        """Move the clock to the feed's next poll, and run one scheduled round (poll, then notices)."""
        async with store.transaction() as session:
            feed = (await session.execute(select(Feed))).scalar_one()
        self.clock.set(max(self.clock.now(), feed.next_poll_at))
        await (self.round() if notices else self.poller.poll_due())

    async def close(self) -> None:
        await self.reader.close()
        await self.extractor.close()


async def notice_rows(store: Store) -> list[tuple[str, str]]:
    async with store.transaction() as session:
        rows = (await session.execute(select(Delivery).where(Delivery.kind == "notice"))).scalars()
        return sorted((row.period.rsplit("-", 1)[1], row.status) for row in rows)


def told(platform: RecordingDelivery) -> list[tuple[str, str]]:
    return [(m.channel.channel, m.title) for m in platform.posted if m.kind == "notice"]


async def test_each_channel_is_told_once_when_a_feed_keeps_failing_and_once_when_it_is_back(
    store: Store, store_spec: StoreSpec, nlp, site: FlakySite
) -> None:  # type: ignore[no-untyped-def]
    clock = FixedClock(datetime(2026, 1, 14, 10, 0, tzinfo=UTC))
    parts = Parts(store, nlp, FeedSettings(alert_after_failures=3, default_interval_s=600), clock)
    try:
        for ref in (NEWS, OTHER, QUIET):
            await parts.admin.setup(ref, ADMIN, schedule="08:00 Europe/Oslo")
            await parts.admin.add_feed(ref, ADMIN, site.url)
        await parts.admin.pause(QUIET, ADMIN)  # a paused channel is not told
        await parts.poll_when_due(store)  # works
        site.down.set()
        for _ in range(2):
            await parts.poll_when_due(store)
        assert told(parts.platform) == []  # two failures are not "repeatedly" yet
        for _ in range(3):  # the third failure tells each channel, the fourth and fifth nobody
            await parts.poll_when_due(store)
        assert sorted(told(parts.platform)) == [("news", "Feed not working"), ("other", "Feed not working")]
        text = parts.platform.posted[0].text or ""
        assert "Tarn Valley Courier" in text and "failed 3 times in a row" in text and "503" in text
        assert "(Europe/Oslo)" in text  # times on the channel's own clock
        assert (await parts.admin.status(NEWS, ADMIN)).last_run is None  # a notice is not a digest

        # A restart: the notices are recorded, so a new process tells nobody again.
        restarted = store_spec.open()
        try:
            again = FeedNotices(restarted, parts.platform, clock, FeedSettings(alert_after_failures=3))
            report = await again.run()
            assert not report.sent and len(told(parts.platform)) == 2
        finally:
            await restarted.close()

        site.down.clear()
        await parts.poll_when_due(store)
        await parts.poll_when_due(store)  # and another good poll: still one "works again" each
        assert sorted(told(parts.platform)[2:]) == [
            ("news", "Feed working again"),
            ("other", "Feed working again"),
        ]
        assert "works again" in (parts.platform.posted[-1].text or "")
        assert await notice_rows(store) == [("fail", "sent")] * 2 + [("ok", "sent")] * 2
        async with store.transaction() as session:
            feed = (await session.execute(select(Feed))).scalar_one()
        assert feed.failing_since is None and feed.recovered_from is None  # the episode is closed
        assert parts.round.last_finished == clock.now()
    finally:
        await parts.close()


async def test_a_disabled_feed_is_told_once_and_a_crash_after_posting_does_not_tell_twice(
    store: Store, store_spec: StoreSpec, nlp, site: FlakySite
) -> None:  # type: ignore[no-untyped-def]
    clock = FixedClock(datetime(2026, 1, 14, 10, 0, tzinfo=UTC))
    settings = FeedSettings(alert_after_failures=5, disable_after_failures=2, default_interval_s=600)
    parts = Parts(store, nlp, settings, clock)
    try:
        await parts.admin.setup(NEWS, ADMIN)
        await parts.admin.add_feed(NEWS, ADMIN, site.url)
        site.down.set()
        await parts.poll_when_due(store)
        parts.platform.crash_after_send = True  # the process dies right after the platform took the notice
        await parts.poll_when_due(store, notices=False)  # the second failure disables the feed
        with pytest.raises(SimulatedCrash):
            await parts.notices.run()
        parts.platform.crash_after_send = False
        assert await notice_rows(store) == [("off", "claimed")]

        restarted = store_spec.open()
        try:
            report = await FeedNotices(restarted, parts.platform, clock, settings).run()
            assert report.recovered and not report.sent
            assert await notice_rows(restarted) == [("off", "sent")]
        finally:
            await restarted.close()
        assert told(parts.platform) == [("news", "Feed disabled")]  # posted once, across the crash
        assert "stopped reading" in (parts.platform.posted[0].text or "")
        assert not (await parts.notices.run()).sent
    finally:
        await parts.close()
