"""The persisted story memory at scale: simulated days of articles stored and placed through the service.

    python -m bench.stories --service [--days 90] [--per-day 2000] [--feeds 20] [--seed 7]

Each simulated day stores `--per-day` synthetic analysed articles (as `bench.stories` makes them: no spaCy)
the way the poller does (row, feed link and queue entry in one transaction), then places them with the story
memory (`StoryMemory.index_pending`) and prunes as the scheduler's job does. One saga (the same people, places
and words) gets an article every day, so a story lives for the whole run (as a war or a trial reported daily
does; the engine keeps it one story: `StoryIndex._latest_news_day`). Printed: the time per article placed on
day 10 and on the last day (a base written in the background after a day's placing counts in it), the same
as if the machine had kept the speed it started at (`_SpeedGauge`: this host's speed swings by up to 2× for
seconds at a time, enough to move one day's figure by a third), how many
stories the saga's articles are in, a fresh process's start (an OS process of its own) with everything stored
and one article queued: its first answer (`/timeline` of the saga, which does not wait for a large state to
load) and its start-up (load the index state, replay, place the article; then, timed apart, the state written
whole in the background when due), the load alone in a fresh process after each of the last `startups` days
(median and max), `/timeline` of the saga through the command path (the process's first answer apart, then
cold: a fresh library each time; warm: the kept one) and `/who` of it (cold), peak memory and the store's
size. Runs on PostgreSQL (BRIEFBOT_TEST_POSTGRES_URL, default the local test server) in a schema of its own,
dropped afterwards.
"""

from __future__ import annotations

import asyncio
import contextlib
import cProfile
import gc
import json
import os
import pstats
import statistics
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import func, select, text

from bench.stories import _article, _Event, _World, article_stream
from bot.clock import FixedClock
from bot.identity import Caller, ChannelRef
from bot.store.db import Store
from bot.store.migrate import upgrade_store
from bot.store.models import (
    ArticleRow,
    Channel,
    ChannelFeed,
    Feed,
    FeedArticle,
    StoryArticle,
    StoryQueueEntry,
    Workspace,
)
from bot.stories.memory import StoryMemory, memory_settings
from briefings.models import ArticleAnalysis, Sentence
from briefings.stories.index import StoryIndex

# The machine's speed is read (`_SpeedGauge`) by placing this many articles, before every this many placed,
# and against the median of this many readings at the start.
GAUGE_ARTICLES = 80
GAUGE_EVERY = 400
GAUGE_START_READINGS = 9

CHANNEL = ChannelRef(platform="bench", workspace="w", channel="all")
MEMBER = Caller(user_id="m", is_channel_admin=False)


def _vm(field: str) -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    return 0.0


async def _setup(store: Store, feeds: int, start: datetime) -> list[int]:
    async with store.transaction() as session:
        workspace = Workspace(platform="bench", external_id="w", name="bench", created_at=start)
        session.add(workspace)
        await session.flush()
        channel = Channel(
            workspace_id=workspace.id,
            external_id="all",
            digest_time="08:00",
            days="mon",
            created_at=start,
            updated_at=start,
        )
        rows = [
            Feed(
                url=f"https://feeds.example.org/{i}.xml", interval_s=900, next_poll_at=start, created_at=start
            )
            for i in range(feeds)
        ]
        session.add(channel)
        session.add_all(rows)
        await session.flush()
        session.add_all(ChannelFeed(channel_id=channel.id, feed_id=f.id, added_at=start) for f in rows)
        return [f.id for f in rows]


async def _store_day(store: Store, feed_ids: list[int], articles: list[ArticleAnalysis], serial: int) -> None:
    """Store the day's articles as the poller does: row, the feed's link and the queue entry together."""
    async with store.transaction() as session:
        rows = []
        for n, analysis in enumerate(articles):
            found = analysis.article.published
            assert found is not None
            rows.append(
                ArticleRow(
                    canonical_url=f"https://news.example.org/{serial + n}",
                    content_hash=f"h{serial + n:012d}",
                    title=analysis.article.title,
                    url=None,
                    published=found,
                    fetched_at=found,
                    analysis=analysis.model_dump_json(),
                )
            )
        session.add_all(rows)
        await session.flush()
        for n, row in enumerate(rows):
            feed = feed_ids[(serial + n) % len(feed_ids)]
            session.add(
                FeedArticle(
                    feed_id=feed,
                    article_id=row.id,
                    found_at=row.fetched_at,
                    url=None,
                    source=f"s{serial + n}",
                )
            )
            session.add(StoryQueueEntry(article_id=row.id))


def _with_sentences(analysis: ArticleAnalysis) -> ArticleAnalysis:
    """The synthetic article with its sentences and its event's evidence, as extraction gives them (a
    timeline entry and a digest are built from those)."""
    text = analysis.article.text
    sentences, start = [], 0
    for n, part in enumerate(text.split(". ")):
        end = start + len(part) + (1 if not part.endswith(".") else 0)
        sentences.append(
            Sentence(index=n, start=start, end=min(end, len(text)), text=text[start : min(end, len(text))])
        )
        start = end + 1
    analysis.sentences = sentences
    for event in analysis.events:
        event.evidence = sentences[0].text
        event.sentence = 0
    return analysis


def _saga(world: _World, day: datetime) -> _Event:
    event = _Event(
        number=-1,
        day=day,
        kind="protest",
        people=[world.people[0], world.people[1], world.famous[0]],
        places=[world.towns[0], world.capitals[0]],
        keywords=world.vocabulary[:6],
        articles=1,
    )
    return event


async def _feed_ids(store: Store) -> list[int]:
    async with store.transaction() as session:
        return list((await session.execute(select(Feed.id))).scalars())


async def _timeline(store: Store, clock: FixedClock, story: str, runs: int) -> dict[str, float]:
    """`/timeline story:<id>` through the command path: cold (a fresh library and read model each time,
    reading and merging from the store) and warm (the library kept, as the service keeps it); the
    process's first answer of each kind apart."""
    from bot.commands.catalog import COMMANDS
    from bot.commands.dispatch import run_command
    from bot.commands.stories import StoryLibrary
    from bot.commands.table import CommandContext, CommandServices
    from bot.stories.read_model import StoryReadModel

    command = COMMANDS.find(("timeline",))
    who_command = COMMANDS.find(("who",))
    assert command is not None and who_command is not None
    memory = StoryMemory(store)

    def services() -> CommandServices:
        library = StoryLibrary(
            store, clock, max_age_s=10, stale_s=60, read_model=StoryReadModel(store, memory)
        )
        return CommandServices(stories=library, admin=None)  # type: ignore[arg-type]

    async def once(kept: CommandServices, asked: Any = command) -> tuple[float, str]:
        started = time.perf_counter()
        outcome = await run_command(asked, {"story": story}, CommandContext(CHANNEL, MEMBER, kept))
        return time.perf_counter() - started, outcome.reply.model_dump_json()

    # The process's first answer of each kind is set apart (timed for /timeline and /who): it pays for what a
    # process does once (its first queries of that shape prepared and planned, its first reads of those rows
    # from disk), not per read.
    first_timeline = (await once(services()))[0]
    cold: list[float] = []
    entries = 0
    for _ in range(runs):
        spent, text = await once(services())
        cold.append(spent)
        entries = text.count('"kind":"timeline_entry"') or text.count("Day ") or entries
    # The story itself, read and merged from the store by its id (what a story outside the channel's kept
    # active stories costs: `StoryReadModel.kept_view`), a fresh read model each time.
    feed_ids = await _feed_ids(store)
    await StoryReadModel(store, memory).kept_view(feed_ids, story, clock.now())
    direct: list[float] = []
    for _ in range(runs):
        started = time.perf_counter()
        view = await StoryReadModel(store, memory).kept_view(feed_ids, story, clock.now())
        direct.append(time.perf_counter() - started)
        assert view is not None
    # `/who story:<id>` through the command path, cold as `/timeline` above.
    first_who = (await once(services(), who_command))[0]
    who = [(await once(services(), who_command))[0] for _ in range(runs)]
    kept = services()
    await once(kept)
    warm = [(await once(kept))[0] for _ in range(runs * 5)]

    def p(values: list[float], q: float) -> float:
        ordered = sorted(values)
        return 1000 * ordered[min(len(ordered) - 1, int(q * len(ordered)))]

    return {
        "timeline_first_ms": round(1000 * first_timeline, 1),
        "who_first_ms": round(1000 * first_who, 1),
        "timeline_cold_p50_ms": round(p(cold, 0.5), 1),
        "timeline_cold_p99_ms": round(p(cold, 0.99), 1),
        "timeline_warm_p99_ms": round(p(warm, 0.99), 2),
        "who_cold_p50_ms": round(p(who, 0.5), 1),
        "who_cold_p99_ms": round(p(who, 0.99), 1),
        "story_read_p50_ms": round(p(direct, 0.5), 1),
        "story_read_p99_ms": round(p(direct, 0.99), 1),
        "timeline_reply_chars": len(text),
    }


class _SpeedGauge:
    """How fast this machine runs now, against when the run began: the same piece of the engine's own work
    (`GAUGE_ARTICLES` synthetic articles placed in a fresh in-memory index) timed before each part of a day's
    placing. The host's speed swings here: a fixed loop took from 60 to 120 ms within a minute on an idle
    machine, in stretches of seconds, CPU time as much as wall time. A day's time divided by the gauge's
    reading compares days as if they ran at one speed; the raw times are printed beside it."""

    def __init__(self, sample: list[ArticleAnalysis]) -> None:
        self.sample = sample
        self.base = statistics.median(self.read() for _ in range(GAUGE_START_READINGS))
        self.readings: list[float] = []

    def read(self) -> float:
        """Seconds the sample takes, with the collector held off: a full pass over the bench's own heap (the
        memory's state, hundreds of MB) is not the machine's speed."""
        index = StoryIndex(memory_settings())
        collecting = gc.isenabled()
        gc.disable()
        try:
            started = time.perf_counter()
            for analysis in self.sample:
                index.add(analysis)
            return time.perf_counter() - started
        finally:
            if collecting:
                gc.enable()

    def slowness(self) -> float:
        """How much slower than at the start the machine runs now (1.0: as fast); kept for the summary."""
        factor = self.read() / self.base
        self.readings.append(factor)
        return factor


async def _place_day(memory: StoryMemory, gauge: _SpeedGauge) -> tuple[int, float, float]:
    """Place every queued article, in parts of `GAUGE_EVERY` with the gauge read before each (a base written
    in the background after a part counts in it): (articles placed, seconds, seconds at the start's speed)."""
    placed = 0
    spent = steady = 0.0
    while True:
        slowness = gauge.slowness()
        started = time.perf_counter()
        if not memory.loaded:
            # A bounded call would not load a large stored state (it leaves that to the background).
            await memory.load()
        report = await memory.index_pending(limit=GAUGE_EVERY)
        await memory.settled()
        took = time.perf_counter() - started
        placed += report.placed
        spent += took
        steady += took / slowness
        if not report.more:
            return placed, spent, steady


@contextlib.contextmanager
def _in_one_thread() -> Iterator[None]:
    """Run what the memory hands to a thread (`asyncio.to_thread`) in the event loop's thread instead: the
    profiler sees only that thread."""
    handed = asyncio.to_thread

    async def inline(function: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Any:
        return function(*args, **kwargs)

    asyncio.to_thread = inline
    try:
        yield
    finally:
        asyncio.to_thread = handed


def _print_profile(profiler: cProfile.Profile, day: int) -> None:
    path = f"/tmp/bench-stories-day-{day}.prof"
    profiler.dump_stats(path)
    print(f"  profile of day {day} (written to {path}):")
    pstats.Stats(profiler).sort_stats("cumulative").print_stats(40)


async def run_service(
    days: int,
    per_day: int,
    feeds: int,
    seed: int,
    url: str,
    schema: str,
    profile: Sequence[int] = (),
    runs: int = 10,
    startups: int = 10,
) -> dict[str, Any]:
    """Store and place `days` days of `per_day` articles; the figures. `profile`: days whose placing is
    profiled (cProfile), the stats printed and written to /tmp/bench-stories-day-N.prof; `startups`: the
    last days after each of which a fresh process's load of the stored state is timed."""
    store = Store.from_url(url, schema=schema)
    await upgrade_store(store)
    stream = article_stream(days * per_day * 2, per_day, seed)
    first, _ = next(stream)
    start = (first.article.published or datetime(2024, 1, 1)).replace(tzinfo=UTC)
    feed_ids = await _setup(store, feeds, start - timedelta(days=1))
    world = _World.make(seed + 1)
    memory = StoryMemory(store)
    gauge = _SpeedGauge([analysis for analysis, _ in article_stream(GAUGE_ARTICLES, per_day, seed + 2)])
    per_article_ms: dict[int, float] = {}
    # ... and at the start's speed (`_SpeedGauge`): a profiled day's is its raw time.
    steady_ms: dict[int, float] = {}
    loads: list[float] = []
    serial = 0
    pending = [first]
    saga_articles = 0
    saga_hashes: list[str] = []
    day_started = time.perf_counter()
    for day in range(1, days + 1):
        end = start + timedelta(days=day)
        todays: list[ArticleAnalysis] = []
        while len(todays) < per_day - 1:
            analysis = pending.pop() if pending else next(stream)[0]
            published = (analysis.article.published or end).replace(tzinfo=UTC)
            analysis.article.published = published
            todays.append(_with_sentences(analysis))
        when = end - timedelta(hours=12)
        saga = _article(world, _saga(world, when), 10_000_000 + day, when)
        saga.article.published = when.replace(tzinfo=UTC)
        _with_sentences(saga)
        todays.append(saga)
        saga_articles += 1
        await _store_day(store, feed_ids, todays, serial)
        serial += len(todays)
        saga_hashes.append(f"h{serial - 1:012d}")
        profiler = cProfile.Profile() if day in profile else None
        if profiler is not None:
            started = time.perf_counter()
            with _in_one_thread():
                profiler.enable()
                report = await memory.index_pending()
                await memory.settled()
                profiler.disable()
            _print_profile(profiler, day)
            placed, spent = report.placed, time.perf_counter() - started
            steady = spent
        else:
            placed, spent, steady = await _place_day(memory, gauge)
        per_article_ms[day] = 1000 * spent / max(1, placed)
        steady_ms[day] = 1000 * steady / max(1, placed)
        await memory.prune(end, timedelta(days=90))
        if day > days - startups:
            loads.append(await _load_once(url, schema))
        if day % 5 == 0 or day in (1, 10, days):
            print(
                f"  day {day:3d}: {placed} placed, {per_article_ms[day]:.2f} ms per article "
                f"({steady_ms[day]:.2f} at the start's speed); "
                f"{time.perf_counter() - day_started:.0f} s so far; RSS {_vm('VmRSS'):.0f} MB",
                flush=True,
            )
    peak_mb = _vm("VmHWM")
    await store.close()

    # A fresh process's start: a new store and memory, everything stored; one article arrives.
    clock = FixedClock(start + timedelta(days=days, hours=1))
    fresh = Store.from_url(url, schema=schema)
    late = next(stream)[0]
    late.article.published = clock.now() - timedelta(minutes=30)
    await _store_day(fresh, feed_ids, [late], serial)
    await fresh.close()
    fresh = Store.from_url(url, schema=schema)
    async with fresh.transaction() as session:
        saga_story = (
            await session.execute(
                select(StoryArticle.story_id, func.count())
                .join(ArticleRow, ArticleRow.id == StoryArticle.article_id)
                .where(ArticleRow.content_hash.in_(saga_hashes))
                .group_by(StoryArticle.story_id)
                .order_by(func.count().desc())
                .limit(1)
            )
        ).one()
        saga_stories = (
            await session.execute(
                select(func.count(func.distinct(StoryArticle.story_id)))
                .join(ArticleRow, ArticleRow.id == StoryArticle.article_id)
                .where(ArticleRow.content_hash.in_(saga_hashes))
            )
        ).scalar_one()
        articles = (await session.execute(select(func.count()).select_from(ArticleRow))).scalar_one()
        size = (
            await session.execute(
                text(
                    "SELECT sum(pg_total_relation_size(quote_ident(schemaname) || '.' || quote_ident(tablename))) "
                    "FROM pg_tables WHERE schemaname = current_schema()"
                )
            )
        ).scalar_one()
        by_table: dict[str, int] = dict(
            (
                await session.execute(
                    text(
                        "SELECT tablename, pg_total_relation_size(quote_ident(schemaname) || '.' || "
                        "quote_ident(tablename)) FROM pg_tables WHERE schemaname = current_schema()"
                    )
                )
            ).all()
        )
        state_bytes = (
            await session.execute(
                text(
                    "SELECT coalesce((SELECT length(state) FROM story_index_state), 0) + "
                    "coalesce((SELECT sum(length(state)) FROM story_index_deltas), 0)"
                )
            )
        ).scalar_one()
    await fresh.close()
    full = memory_settings().window_days
    answer_s, startup_s, startup_replayed, startup_compaction_s = await _start_once(
        url, schema, clock, saga_story[0]
    )
    fresh = Store.from_url(url, schema=schema)
    timeline = await _timeline(fresh, clock, saga_story[0], runs)
    await fresh.close()
    return {
        "days": days,
        "per_day": per_day,
        "articles_stored": articles,
        "ms_per_article_day_10": round(per_article_ms.get(10, 0.0), 2),
        "ms_per_article_last_day": round(per_article_ms[days], 2),
        "last_over_day_10": round(per_article_ms[days] / per_article_ms[10], 2)
        if 10 in per_article_ms
        else None,
        # A base (the whole state written again) falls on some days and not others: one day's figure moves
        # with it. The means of the five days ending on day 10 and on the last day do not.
        "ms_per_article_days_6_10": _mean_of(per_article_ms, range(6, 11)),
        "ms_per_article_last_5_days": _mean_of(per_article_ms, range(days - 4, days + 1)),
        # ... and of the five days from the first on which stories close (idle for the window's days): day
        # 10 comes before it, while the open stories and their postings still grow; from then on they level.
        "ms_per_article_window_full": _mean_of(per_article_ms, range(full + 2, full + 7)),
        # The same at the start's speed (`_SpeedGauge`), and how far the machine's speed swung meanwhile.
        "steady_ms_per_article_day_10": round(steady_ms.get(10, 0.0), 2),
        "steady_ms_per_article_last_day": round(steady_ms[days], 2),
        "steady_last_over_day_10": round(steady_ms[days] / steady_ms[10], 2) if 10 in steady_ms else None,
        "steady_ms_per_article_days_6_10": _mean_of(steady_ms, range(6, 11)),
        "steady_ms_per_article_last_5_days": _mean_of(steady_ms, range(days - 4, days + 1)),
        "steady_ms_per_article_window_full": _mean_of(steady_ms, range(full + 2, full + 7)),
        "slowness_median": round(statistics.median(gauge.readings), 2) if gauge.readings else None,
        "slowness_max": round(max(gauge.readings), 2) if gauge.readings else None,
        # The restarted process's first command (`/timeline` of the saga), answered while the state loads.
        "startup_first_answer_s": round(answer_s, 2),
        "startup_s": round(startup_s, 2),
        "startup_replayed": startup_replayed,
        # The state written whole after that first call, in the background (when its deltas were due).
        "startup_compaction_s": round(startup_compaction_s, 2),
        # A fresh process's load of the stored state (base and deltas) at the end of each of the last days:
        # where the deltas stand in their cycle (written whole when they outgrow the base's share) varies.
        "startup_load_median_s": round(sorted(loads)[len(loads) // 2], 2) if loads else None,
        "startup_load_max_s": round(max(loads), 2) if loads else None,
        "longest_story_articles": saga_story[1],
        "saga_articles": saga_articles,
        "saga_stories": saga_stories,
        **timeline,
        "peak_rss_mb": round(peak_mb, 1),
        "store_mb": round(int(size or 0) / 1e6, 1),
        "store_mb_by_table": {k: round(int(v) / 1e6, 1) for k, v in sorted(by_table.items()) if int(v) > 1e6},
        "index_state_mb": round(int(state_bytes) / 1e6, 2),
    }


async def _in_a_child(mode: str, url: str, schema: str, *more: str) -> list[str]:
    """What a fresh process of this module (`mode`: "load" or "start") prints of the stored state: timed in a
    process of its own, as a restart is (what it loads stays out of this one's memory, and its memory comes
    fresh from the system)."""
    child = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bench.stories_service",
        mode,
        url,
        schema,
        *more,
        stdout=asyncio.subprocess.PIPE,
    )
    out, _ = await child.communicate()
    if child.returncode != 0:
        raise RuntimeError(f"timing a {mode} of the stored state failed ({child.returncode})")
    return out.decode().split()


async def _load_once(url: str, schema: str) -> float:
    """Seconds a fresh process takes to load the stored index state (base and deltas), placing nothing."""
    return float((await _in_a_child("load", url, schema))[-1])


async def _start_once(
    url: str, schema: str, clock: FixedClock, story: str
) -> tuple[float, float, int, float]:
    """A fresh process's start with everything stored and an article queued: seconds to its first answer
    (`/timeline` of `story`), to the queued article placed (loading the state and replaying first, in the
    background), how many turns it replayed, then seconds until the state written whole in the background
    (when due) is done."""
    answer_s, startup_s, replayed, compaction_s = (
        await _in_a_child("start", url, schema, clock.now().isoformat(), story)
    )[-4:]
    return float(answer_s), float(startup_s), int(replayed), float(compaction_s)


def _time_a_load(url: str, schema: str) -> float:
    async def load() -> float:
        fresh = Store.from_url(url, schema=schema)
        try:
            started = time.perf_counter()
            await StoryMemory(fresh).load()
            return time.perf_counter() - started
        finally:
            await fresh.close()

    return asyncio.run(load())


def _time_a_start(url: str, schema: str, now: str, story: str) -> tuple[float, float, int, float]:
    from bot.commands.catalog import COMMANDS
    from bot.commands.dispatch import run_command
    from bot.commands.stories import StoryLibrary
    from bot.commands.table import CommandContext, CommandServices
    from bot.stories.read_model import StoryReadModel

    command = COMMANDS.find(("timeline",))
    assert command is not None

    async def start() -> tuple[float, float, int, float]:
        fresh = Store.from_url(url, schema=schema)
        try:
            started = time.perf_counter()
            memory = StoryMemory(fresh)
            library = StoryLibrary(
                fresh, FixedClock(datetime.fromisoformat(now)), read_model=StoryReadModel(fresh, memory)
            )
            context = CommandContext(CHANNEL, MEMBER, CommandServices(stories=library, admin=None))  # type: ignore[arg-type]
            await run_command(command, {"story": story}, context)
            answer_s = time.perf_counter() - started
            # The queued article, placed in the background when the state is too large to wait for.
            report = await (memory.placing or memory.index_pending())
            startup_s = time.perf_counter() - started
            started = time.perf_counter()
            await memory.settled()
            return answer_s, startup_s, report.replayed, time.perf_counter() - started
        finally:
            await fresh.close()

    return asyncio.run(start())


def _mean_of(per_day: dict[int, float], days: range) -> float | None:
    known = [per_day[day] for day in days if day in per_day]
    return round(sum(known) / len(known), 2) if len(known) == len(days) else None


def main_service(
    days: int, per_day: int, feeds: int, seed: int, profile: Sequence[int] = (), runs: int = 10
) -> None:
    """Run the service bench in a PostgreSQL schema of its own, and drop it."""
    import psycopg

    url = os.environ.get("BRIEFBOT_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")
    schema = f"bbbench_stories_{os.getpid()}"
    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute(f'CREATE SCHEMA "{schema}"')
    try:
        print(f"{days} days of {per_day} articles through the story memory on PostgreSQL …", flush=True)
        figures = asyncio.run(run_service(days, per_day, feeds, seed, url, schema, profile, runs))
    finally:
        with psycopg.connect(url, autocommit=True) as connection:
            connection.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
    print(
        f"  per article placed: {figures['ms_per_article_day_10']} ms on day 10, "
        f"{figures['ms_per_article_last_day']} ms on day {days} (×{figures['last_over_day_10']}); "
        f"days 6-10 {figures['ms_per_article_days_6_10']}, days {days - 4}-{days} "
        f"{figures['ms_per_article_last_5_days']}; the first five days on which stories close "
        f"{figures['ms_per_article_window_full']}"
    )
    print(
        f"  the same at the run's first speed: {figures['steady_ms_per_article_day_10']} ms on day 10, "
        f"{figures['steady_ms_per_article_last_day']} ms on day {days} (×{figures['steady_last_over_day_10']}); "
        f"days 6-10 {figures['steady_ms_per_article_days_6_10']}, days {days - 4}-{days} "
        f"{figures['steady_ms_per_article_last_5_days']}; the first five days on which stories close "
        f"{figures['steady_ms_per_article_window_full']} (the machine ran up to "
        f"{figures['slowness_max']}× slower than at the start, median {figures['slowness_median']}×)"
    )
    print(
        f"  a fresh process's first answer with everything stored: {figures['startup_first_answer_s']} s; "
        f"its start-up (the queued article placed): {figures['startup_s']} s "
        f"({figures['startup_replayed']} replayed), "
        f"then {figures['startup_compaction_s']} s writing the state whole in the background; the state's "
        f"load after each of the last days: median {figures['startup_load_median_s']} s, "
        f"max {figures['startup_load_max_s']} s"
    )
    print(
        f"  the saga: {figures['saga_articles']} articles (one a day) in {figures['saga_stories']} "
        f"stories, the longest holding {figures['longest_story_articles']}"
    )
    print(
        f"  /timeline of a {figures['longest_story_articles']}-article story: cold p99 "
        f"{figures['timeline_cold_p99_ms']} ms (p50 {figures['timeline_cold_p50_ms']}), warm p99 "
        f"{figures['timeline_warm_p99_ms']} ms; the story read and merged alone: p99 "
        f"{figures['story_read_p99_ms']} ms (p50 {figures['story_read_p50_ms']}); /who cold p99 "
        f"{figures['who_cold_p99_ms']} ms (p50 {figures['who_cold_p50_ms']}); the process's first /timeline "
        f"{figures['timeline_first_ms']} ms, first /who {figures['who_first_ms']} ms"
    )
    print(
        f"  peak memory {figures['peak_rss_mb']} MB, store {figures['store_mb']} MB for {figures['articles_stored']:,} articles"
    )
    print(json.dumps(figures))


if __name__ == "__main__" and sys.argv[1:2] == ["load"]:
    print(_time_a_load(sys.argv[2], sys.argv[3]))
if __name__ == "__main__" and sys.argv[1:2] == ["start"]:
    print(*_time_a_start(*sys.argv[2:6]))
