"""A hostile feed beside a small one: what each poll costs, and how long the event loop is held.

    python -m bench.feed_cost [--items 8000] [--cap 50] [--workers 0]

A loopback server serves a feed of `--items` short items and a one-item feed whose answer comes 3 s late
(so its article reaches the engine while the big feed's are with it). Both are polled at once by the real
poller, reader and engine (`--workers 0`: the engine in a thread of this process, as the stall figure
wants; 1 or more: worker processes) on a SQLite store. Meanwhile a ticker on the event loop records its
longest stall: how long a command arriving then would have waited. The last line is one JSON object.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import tempfile
import time
from collections.abc import Awaitable
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from sqlalchemy import select
from test_ingest_support import Answer, LocalServer

from bot.channels.admin import ChannelAdmin
from bot.clock import SystemClock
from bot.config import FeedSettings
from bot.feeds.extraction import make_extractor
from bot.feeds.fetching import EngineFeedReader
from bot.feeds.poller import FeedPoller, PollOutcome
from bot.feeds.probe import EngineFeedProbe
from bot.identity import Caller, ChannelRef
from bot.store.db import Store
from bot.store.migrate import upgrade_store
from bot.store.models import Feed
from briefings.ingest.options import ReadOptions
from briefings.nlp import DEFAULT_PIPELINE

ADMIN = Caller(user_id="bench", is_channel_admin=True)


def big_feed(base: str, items: int) -> bytes:
    start = datetime(2026, 1, 14, 9, 0, tzinfo=UTC)
    entries = "".join(
        f"<item><title>Crane {n} stalls at Vessby quay</title><link>{base}/cranes/{n}</link>"
        f"<pubDate>{format_datetime(start - timedelta(minutes=n), usegmt=True)}</pubDate>"
        f"<description>Crane number {n} stalled at the Vessby quay on Tuesday, the harbour office said. "
        "Nobody was hurt and unloading went on by hand.</description></item>"
        for n in range(items)
    )
    return f'<?xml version="1.0"?><rss version="2.0"><channel><title>Cranes</title>{entries}</channel></rss>'.encode()


SMALL = """<?xml version="1.0"?><rss version="2.0"><channel><title>Orrin Ledger</title>
<item><title>Orrin library opens its new reading room</title><link>{base}/orrin/library</link>
<description>The public library of Orrin opened a new reading room on Wednesday, the town council said.
Librarian Noor Haddad said the room seats sixty readers and stays open until nine.</description></item>
</channel></rss>"""


async def ticker(stop: asyncio.Event, stalls: list[float]) -> None:
    while not stop.is_set():
        before = time.perf_counter()
        await asyncio.sleep(0.01)
        stalls.append(time.perf_counter() - before - 0.01)


async def timed(poll: Awaitable[PollOutcome | None], started: float) -> tuple[PollOutcome, float]:
    outcome = await poll
    assert outcome is not None
    return outcome, time.perf_counter() - started


async def run(items: int, cap: int, workers: int) -> dict[str, object]:
    with tempfile.TemporaryDirectory() as folder, LocalServer() as site:
        site.routes["/big.xml"] = Answer(body=big_feed(site.url(""), items))
        site.routes["/small.xml"] = Answer(body=SMALL.format(base=site.url("")).encode())
        store = Store.from_url(f"sqlite:///{Path(folder) / 'bench.db'}")
        await upgrade_store(store)
        settings = FeedSettings(max_items_per_poll=cap)
        reader = EngineFeedReader(
            ReadOptions(fetch=site.policy_for(), max_linked_pages=0), settings.concurrency
        )
        extractor = make_extractor(DEFAULT_PIPELINE, workers)
        poller = FeedPoller(store, reader, extractor, SystemClock(), settings)
        admin = ChannelAdmin(store, EngineFeedProbe(reader), SystemClock(), settings.default_interval_s)
        ids: dict[str, int] = {}
        for name in ("big", "small"):
            ref = ChannelRef(platform="console", workspace=name, channel="news")
            await admin.setup(ref, ADMIN)
            await admin.add_feed(ref, ADMIN, site.url(f"/{name}.xml"))
        async with store.transaction() as session:
            for feed in (await session.execute(select(Feed))).scalars():
                ids[feed.url.rsplit("/", 1)[1]] = feed.id
        await extractor.analyze([])  # nothing: the pipeline is loaded already (thread) or on first use
        site.routes["/small.xml"].delay_s = 3
        stop, stalls = asyncio.Event(), list[float]()
        tick = asyncio.create_task(ticker(stop, stalls))
        started = time.perf_counter()
        (big, big_s), (small, small_s) = await asyncio.gather(
            timed(poller.poll_feed(ids["big.xml"]), started),
            timed(poller.poll_feed(ids["small.xml"]), started),
        )
        stop.set()
        await tick
        await reader.close()
        await extractor.close()
        await store.close()
    return {
        "items": items,
        "cap": cap,
        "big": {"status": big.status, "new": big.new_articles, "seconds": round(big_s, 2)},
        "small": {"status": small.status, "new": small.new_articles, "seconds": round(small_s, 2)},
        "longest_loop_stall_ms": round(max(stalls, default=0.0) * 1000, 1),
    }


def main() -> None:
    """Run once and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=8000)
    parser.add_argument("--cap", type=int, default=50)
    parser.add_argument("--workers", type=int, default=0)
    args = parser.parse_args()
    print(json.dumps(asyncio.run(run(args.items, args.cap, args.workers))))


if __name__ == "__main__":
    main()
