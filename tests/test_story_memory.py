"""The persisted story memory: a story kept for weeks under one id, across restarts, quiet days and two workers.

The articles are invented for these tests (Orven, its dam and its people do not exist).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import weakref
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from conftest_store import *  # noqa: F403 - the store fixtures
from conftest_store import RecordingDelivery, StoreSpec
from sqlalchemy import func, select, update
from test_scheduler import NEWS, add_article, setup_channel

from bot.commands.catalog import COMMANDS
from bot.commands.dispatch import Outcome, run_command
from bot.commands.stories import StoryLibrary
from bot.commands.table import CommandContext, CommandServices
from bot.identity import Caller
from bot.scheduler.digests import DigestRunner
from bot.store import stories as story_store
from bot.store.db import Store, StoreUnavailable
from bot.store.models import (
    ArticleRow,
    FeedArticle,
    StoryArticle,
    StoryIndexSnapshot,
    StoryQueueEntry,
    StoryRow,
)
from bot.stories.memory import StoryMemory
from bot.stories.read_model import KEEP_DAYS
from briefings.models import Story
from briefings.render import Reply

MEMBER = Caller(user_id="member-1", is_channel_admin=False)
DAY_ONE = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)  # a Monday
WITNESSES = [
    "Ansel Brook", "Cora Lind", "Emil Sato", "Greta Voss", "Hugo Pell", "Ines Carro", "Jon Ekdal", "Kira Moss",
    "Lars Wren", "Mona Reyes", "Nils Ort", "Olga Tamm", "Per Hale", "Rosa Quint", "Sven Arle", "Tove Lund",
    "Ulla Berg", "Vito Sand", "Wim Kors", "Yara Noon", "Zeno Falk", "Alba Rook", "Bram Dyer", "Cleo Mast",
    "Dirk Velt", "Edda Krum", "Finn Okafor", "Gil Serra", "Hana Brix", "Ivo Lamb",
]  # fmt: skip


def dam_article(day: int) -> str:
    """Day `day` (1-based) of the Orven dam story: the crack, then the evacuation, then the inquiry."""
    witness = WITNESSES[day - 1]
    weekday = (DAY_ONE + timedelta(days=day - 1)).strftime("%A")
    if day == 1:
        return (
            "Crack found in Orven dam\n"
            "Engineer Ilse Marrow found a long crack in the wall of the Orven dam on Monday, the Orven water "
            'board said. Mayor Teodor Vance ordered checks below the Orven dam. "The wall is weeping like '
            'a tired old man," Marrow told the water board.'
        )
    return (
        f"Orven dam inquiry hears {witness}\n"
        f"The inquiry into the cracked Orven dam heard {witness} on {weekday}, the Orven "
        f"water board said. Engineer Ilse Marrow told the inquiry the Orven dam wall had been leaking for "
        f"months. Mayor Teodor Vance said {day * 10} families were still away from their homes below the "
        f"Orven dam."
    )


async def run(services: CommandServices, path: str, **options: Any) -> Outcome:
    command = COMMANDS.find(tuple(path.split()))
    assert command is not None, path
    return await run_command(command, options, CommandContext(NEWS, MEMBER, services))


def services_of(store: Store, clock: Any) -> CommandServices:
    from test_scheduler import ADMIN, AcceptingProbe  # noqa: F401 - the channel admin of those tests

    from bot.channels.admin import ChannelAdmin

    return CommandServices(
        stories=StoryLibrary(store, clock, max_age_s=0, stale_s=0),
        admin=ChannelAdmin(store, AcceptingProbe(), clock),
    )


async def story_ids(store: Store) -> dict[int, str]:
    async with store.transaction() as session:
        rows = await session.execute(select(StoryArticle.article_id, StoryArticle.story_id))
        return {a: s for a, s in rows}


async def add_day(store: Store, feed_id: int, analyze: Any, day: int) -> datetime:
    when = DAY_ONE + timedelta(days=day - 1)
    await add_article(store, feed_id, analyze, dam_article(day), when.isoformat(), when)
    return when


async def dam_days_stored(store: Store, analyze: Any, days: int) -> int:
    """The channel set up on day one, with the first `days` days of the dam story stored; its feed's id."""
    from bot.clock import FixedClock

    feed_id = await setup_channel(store, FixedClock(DAY_ONE), NEWS)
    for day in range(1, days + 1):
        await add_day(store, feed_id, analyze, day)
    return feed_id


async def test_a_story_fed_for_30_days_keeps_its_id_and_its_first_day_across_a_restart(
    store: Store, store_spec: StoreSpec, analyze: Any
) -> None:
    from bot.clock import FixedClock

    clock = FixedClock(DAY_ONE - timedelta(hours=1))
    feed_id = await setup_channel(store, clock, NEWS)
    memory = StoryMemory(store, snapshot_every=7)  # snapshots on the way, and articles replayed after them
    seen: set[str] = set()
    restarted: Store | None = None
    try:
        for day in range(1, 31):
            if day == 15:  # a restart: a new process, a new store, a new memory read from the store
                before = await story_ids(store)
                restarted = store_spec.open()
                store, memory = restarted, StoryMemory(restarted, snapshot_every=7)
                assert await story_ids(store) == before
            clock.set(await add_day(store, feed_id, analyze, day) + timedelta(minutes=5))
            await memory.index_pending()
            seen.update((await story_ids(store)).values())
        assert len(seen) == 1, seen  # one id, from day 1 to day 30
        (story_id,) = seen
        services = services_of(store, clock)
        timeline = await run(services, "timeline", story=story_id)
        assert not timeline.refused, timeline
        text = timeline.reply.model_dump_json()
        assert "02 Mar 2026" in text or "2 Mar 2026" in text  # day 1
        assert "31 Mar 2026" in text  # day 30
        who = (await run(services, "who")).reply.model_dump_json()
        assert "Teodor Vance" in who and "14 more" in who
        for name in ("Ilse Marrow", WITNESSES[1], WITNESSES[-1]):  # named on day 1, day 2 and day 30
            card = (await run(services, "who", name=name)).reply.model_dump_json()
            assert name in card and "closest" not in card.lower(), card
        quotes = (await run(services, "quotes")).reply.model_dump_json()
        assert "tired old man" in quotes  # said on day 1, still in the story's quotes on day 30
        # The digest and /stories name it alike.
        platform = RecordingDelivery()
        clock.set(datetime(2026, 4, 1, 7, 0, tzinfo=UTC))
        await DigestRunner(store, platform, clock).run_due()
        (item,) = platform.digests()[0].items
        listed = (await run(services, "stories")).reply.model_dump_json()
        assert item.key == story_id and item.story.name in listed
        assert item.story.name == (await services.stories.news_for(NEWS)).stories[0].name
    finally:
        if restarted is not None:
            await restarted.close()


async def test_a_story_quiet_for_five_days_that_gets_news_again_is_the_same_story(
    store: Store, analyze: Any
) -> None:
    from bot.clock import FixedClock

    clock = FixedClock(DAY_ONE)
    feed_id = await setup_channel(store, clock, NEWS)
    memory = StoryMemory(store)
    for day in (1, 2, 3, 9):  # days 4 to 8: nothing
        await add_day(store, feed_id, analyze, day)
        await memory.index_pending()
    assert len(set((await story_ids(store)).values())) == 1


async def test_a_month_later_a_closed_story_is_found_by_its_words_and_a_pruned_one_is_said_to_be_gone(
    store: Store, analyze: Any
) -> None:
    from bot.clock import FixedClock

    clock = FixedClock(DAY_ONE)
    feed_id = await setup_channel(store, clock, NEWS)
    for day in (1, 2, 3):
        await add_day(store, feed_id, analyze, day)
    services = services_of(store, clock)
    clock.set(DAY_ONE + timedelta(days=35))
    (story_id,) = set((await story_ids(store)).values()) or {None}
    assert story_id is None  # nothing placed until someone reads or the poller indexes
    stories = await run(services, "stories")
    assert stories.refused  # nothing active a month later
    found = await run(services, "timeline", story="orven dam")
    assert not found.refused and "Orven" in found.reply.model_dump_json()
    (story_id,) = set((await story_ids(store)).values())
    assert not (await run(services, "who", story=story_id)).refused
    gone = await run(services, "timeline", story="st-000000000000")
    assert "That story is closed and no longer kept." in gone.reply.model_dump_json()
    # Past the keep window the story and its articles are pruned; its id is then answered the same way.
    dropped = await StoryMemory(store).prune(
        DAY_ONE + timedelta(days=KEEP_DAYS + 5), timedelta(days=KEEP_DAYS)
    )
    assert dropped == (1, 3)
    async with store.transaction() as session:
        assert (await session.execute(select(func.count()).select_from(ArticleRow))).scalar_one() == 0
    services = services_of(store, clock)
    gone = await run(services, "timeline", story=story_id)
    assert "That story is closed and no longer kept." in gone.reply.model_dump_json()


async def test_two_workers_indexing_the_same_articles_at_once_lose_none_and_double_none(
    store: Store, store_spec: StoreSpec, analyze: Any
) -> None:
    feed_id = await dam_days_stored(store, analyze, 12)
    first, second = store_spec.open(), store_spec.open()  # two processes' stores
    try:
        a = StoryMemory(first, batch=3, snapshot_every=4)
        b = StoryMemory(second, batch=3, snapshot_every=4)
        reports = await asyncio.gather(a.index_pending(), b.index_pending())
        assert sum(r.placed for r in reports) == 12
        async with store.transaction() as session:
            rows = (await session.execute(select(StoryArticle))).scalars().all()
            queued = (await session.execute(select(func.count()).select_from(StoryQueueEntry))).scalar_one()
        assert len(rows) == 12 and len({r.article_id for r in rows}) == 12 and queued == 0
        assert sorted(r.seq for r in rows) == list(range(1, 13))
        assert len({r.story_id for r in rows}) == 1
        # Each worker's index now knows all twelve: the one that placed fewer replayed the other's.
        await add_day(store, feed_id, analyze, 13)
        await b.index_pending()
        assert len(set((await story_ids(store)).values())) == 1
    finally:
        await first.close()
        await second.close()


async def test_the_database_going_away_mid_update_indexes_nothing_twice_and_loses_nothing(
    store: Store, analyze: Any
) -> None:
    await dam_days_stored(store, analyze, 4)
    memory = StoryMemory(store, batch=2)
    calls = 0

    def away() -> None:
        nonlocal calls
        calls += 1
        if calls == 2:
            raise StoreUnavailable("the database went away (test)")

    memory.before_commit = away
    with pytest.raises(StoreUnavailable):
        await memory.index_pending()
    assert len(await story_ids(store)) == 2  # the first batch committed, the second rolled back
    memory.before_commit = None
    await memory.index_pending()
    async with store.transaction() as session:
        seqs = sorted((await session.execute(select(StoryArticle.seq))).scalars())
    assert seqs == [1, 2, 3, 4]
    assert len(set((await story_ids(store)).values())) == 1


async def test_a_corrupt_index_state_is_rebuilt_from_the_stored_articles_with_a_log_line(
    store: Store, analyze: Any, caplog: pytest.LogCaptureFixture
) -> None:
    feed_id = await dam_days_stored(store, analyze, 3)
    await StoryMemory(store, snapshot_every=1).index_pending()
    (story_id,) = set((await story_ids(store)).values())
    async with store.transaction() as session:
        await session.execute(update(StoryIndexSnapshot).values(state=b"not an index state"))
    await add_day(store, feed_id, analyze, 4)
    with caplog.at_level(logging.ERROR, logger="bot.stories.memory"):
        await StoryMemory(store).index_pending()  # a restarted process: it reads the state, cannot, rebuilds
    assert "rebuilding it from the stored articles" in caplog.text
    assert set((await story_ids(store)).values()) == {story_id}
    async with store.transaction() as session:
        stories = (await session.execute(select(StoryRow))).scalars().all()
    assert [(s.id, s.articles) for s in stories] == [(story_id, 4)]


@pytest.mark.parametrize(
    "earlier",
    ["STRAY_POSTINGS_VERSION", "ARTICLE_MODELS_VERSION", "CENTROIDS_WHOLE_VERSION", "POSTINGS_WHOLE_VERSION"],
)
async def test_a_state_an_earlier_version_wrote_loads_and_is_written_again_whole_at_the_first_save(
    store: Store, analyze: Any, earlier: str
) -> None:
    from bot.store.models import StoryIndexDelta
    from bot.stories import memory
    from bot.stories.memory import MEMORY_VERSION

    feed_id = await dam_days_stored(store, analyze, 3)
    await StoryMemory(store, snapshot_every=1).index_pending()
    (story_id,) = set((await story_ids(store)).values())
    async with store.transaction() as session:  # as an earlier version wrote it
        await session.execute(update(StoryIndexSnapshot).values(version=getattr(memory, earlier)))
    await add_day(store, feed_id, analyze, 4)
    report = await StoryMemory(store).index_pending()
    assert (report.placed, report.replayed) == (1, 0)  # read, not rebuilt
    assert set((await story_ids(store)).values()) == {story_id}
    async with store.transaction() as session:
        version = (await session.execute(select(StoryIndexSnapshot.version))).scalar_one()
        deltas = (await session.execute(select(func.count()).select_from(StoryIndexDelta))).scalar_one()
    # No delta of this version follows a base of the one before: a process of that version reading the
    # store finds a version it does not know and rebuilds, rather than misread what it cannot.
    assert (version, deltas) == (MEMORY_VERSION, 0)


async def test_the_stray_postings_an_earlier_version_kept_are_dropped_when_its_state_is_read(
    store: Store, analyze: Any
) -> None:
    from bot.stories.index_state import decode_base, encode_base
    from bot.stories.memory import MEMORY_VERSION, STRAY_POSTINGS_VERSION

    feed_id = await dam_days_stored(store, analyze, 3)
    await StoryMemory(store, snapshot_every=1).index_pending()
    async with store.transaction() as session:
        _, _, blob = await story_store.read_snapshot(session)
    assert blob is not None
    state = decode_base(blob)
    # What an earlier version could keep: a story merged away, in a list of its own and beside an open one.
    state.postings["stray-feature"] = ["st-merged-away"]
    next(iter(state.postings.values())).insert(0, "st-merged-away")
    async with store.transaction() as session:
        await session.execute(
            update(StoryIndexSnapshot).values(version=STRAY_POSTINGS_VERSION, state=encode_base(state))
        )
    await add_day(store, feed_id, analyze, 4)
    await StoryMemory(store).index_pending()
    async with store.transaction() as session:
        version, _, blob = await story_store.read_snapshot(session)
    assert version == MEMORY_VERSION and blob is not None
    kept = decode_base(blob)
    assert "stray-feature" not in kept.postings
    assert all(story in kept.stories for listed in kept.postings.values() for story in listed)


LOCAL_FEED = "https://feeds.example.org/orven-local.xml"
# Only the local feed carries this report: its sentence and quote must leave the channel with the feed.
LOCAL_REPORT = (
    "Orven dam keeper speaks of night alarms\n"
    "Dam keeper Petra Holm said the alarms at the Orven dam rang three nights running before the crack was "
    'found, the Orven water board said on Tuesday. "I wrote every alarm in the green ledger," Holm said. '
    "Engineer Ilse Marrow said the Orven dam wall would be checked again."
)


async def test_a_feed_removed_from_a_channel_takes_its_articles_out_of_its_views_at_once(
    store: Store, analyze: Any
) -> None:
    from test_scheduler import ADMIN, AcceptingProbe

    from bot.channels.admin import ChannelAdmin
    from bot.clock import FixedClock
    from bot.store.models import Feed

    clock = FixedClock(DAY_ONE)
    feed_id = await setup_channel(store, clock, NEWS)
    admin = ChannelAdmin(store, AcceptingProbe(), clock)
    await admin.add_feed(NEWS, ADMIN, LOCAL_FEED)
    async with store.transaction() as session:
        local_id = (await session.execute(select(Feed.id).where(Feed.url == LOCAL_FEED))).scalar_one()
    await add_day(store, feed_id, analyze, 1)
    await add_article(
        store, local_id, analyze, LOCAL_REPORT, DAY_ONE.isoformat(), DAY_ONE + timedelta(hours=1)
    )
    clock.set(DAY_ONE + timedelta(hours=2))
    # The library as the service runs it: a channel's stories kept between commands (max_age_s 10).
    services = CommandServices(stories=StoryLibrary(store, clock), admin=admin)
    runner = DigestRunner(store, RecordingDelivery(), clock)

    await StoryMemory(store).index_pending()  # as the poller does
    async with store.transaction() as session:
        local_article = (
            await session.execute(select(FeedArticle.article_id).where(FeedArticle.feed_id == local_id))
        ).scalar_one()
    local_story = (await story_ids(store))[local_article]

    async def everything() -> str:
        # The local report's story by its id, before the channel's stories are read: only its timeline is read.
        replies = [(await run(services, "timeline", story=local_story)).reply.model_dump_json()]
        replies += [
            (await run(services, path)).reply.model_dump_json() for path in ("who", "quotes", "stories")
        ]
        replies.append((await run(services, "timeline", story="orven dam")).reply.model_dump_json())
        choices = await services.stories.news_for(NEWS)
        replies.append(" ".join(c.name for c in choices.choices("orven", 25, 100)))
        replies.append((await runner.preview(await channel_id_of(store))).model_dump_json())
        return " ".join(replies)

    before = await everything()
    assert "Petra Holm" in before and "green ledger" in before  # the local feed's report is in the story
    assert "alarms" in before.split('"heading"')[1]  # in its timeline, read by its id too
    removed = await run_command(
        COMMANDS.find(("briefing", "feeds", "remove")),  # type: ignore[arg-type]
        {"url": LOCAL_FEED},
        CommandContext(NEWS, ADMIN, services),
    )
    assert not removed.refused, removed
    after = await everything()  # no wait: the same library, seconds later
    assert "Petra Holm" not in after and "green ledger" not in after and "alarms" not in after
    assert "Ilse Marrow" in after  # the story itself, from the feed still followed, is still there


async def channel_id_of(store: Store) -> int:
    from bot.store import channels as channel_store

    async with store.transaction() as session:
        channel = await channel_store.find_channel(session, NEWS)
        assert channel is not None
        return channel.id


async def test_the_scheduled_prune_job_runs_and_bounds_the_store(store: Store, analyze: Any) -> None:
    from test_scheduler import FLOOD

    from bot.clock import FixedClock
    from bot.config import SchedulerSettings
    from bot.scheduler.service import SchedulerService

    clock = FixedClock(DAY_ONE)
    feed_id = await setup_channel(store, clock, NEWS)
    for day in (1, 2, 3):
        await add_day(store, feed_id, analyze, day)
    later = DAY_ONE + timedelta(days=KEEP_DAYS + 10)
    await add_article(store, feed_id, analyze, FLOOD, later.isoformat(), later)
    memory = StoryMemory(store)
    await memory.index_pending()
    clock.set(later + timedelta(hours=1))

    class AlwaysLeader:
        async def try_acquire(self) -> bool:
            return True

        async def still_held(self) -> bool:
            return True

        async def release(self) -> None:
            return None

    async def no_polls() -> None:
        return None

    pruned = asyncio.Event()
    dropped: list[tuple[int, int]] = []

    async def prune() -> None:  # what bootstrap schedules: the memory's prune, now, with the keep window
        dropped.append(await memory.prune(clock.now(), timedelta(days=KEEP_DAYS)))
        pruned.set()

    service = SchedulerService(
        store,
        DigestRunner(store, RecordingDelivery(), clock),
        no_polls,
        SchedulerSettings(),
        AlwaysLeader(),
        prune_stories=prune,
        prune_every_s=1,
    )
    await service.activate()
    try:
        assert service.scheduler is not None and service.scheduler.get_job("prune-stories") is not None
        await asyncio.wait_for(pruned.wait(), timeout=60)  # the interval job fires by itself
    finally:
        service._deactivate()
    assert dropped[0] == (1, 3)  # the dam story, 100 days quiet, and its three articles
    async with store.transaction() as session:
        titles = (await session.execute(select(ArticleRow.title))).scalars().all()
        stories = (await session.execute(select(func.count()).select_from(StoryRow))).scalar_one()
    assert titles == [FLOOD.split("\n")[0]] and stories == 1  # what is within the keep window stays


async def test_a_large_backlog_is_placed_in_the_background_and_the_first_command_answers_at_once(
    store: Store, analyze: Any
) -> None:
    from bot.clock import FixedClock
    from bot.stories.read_model import StoryReadModel

    clock = FixedClock(DAY_ONE)
    await dam_days_stored(
        store, analyze, 30
    )  # stored and queued, as the migration queues every stored article
    clock.set(DAY_ONE + timedelta(days=29, hours=1))
    # A bounded call places about `limit` articles (whole batches) and says more are queued.
    memory = StoryMemory(store, batch=3)
    report = await memory.index_pending(limit=3)
    assert (report.placed, report.more) == (3, True)
    assert len(await story_ids(store)) == 3
    library = StoryLibrary(
        store, clock, max_age_s=0, stale_s=0, read_model=StoryReadModel(store, memory), placed_before_answer=3
    )
    services = CommandServices(stories=library, admin=services_of(store, clock).admin)
    # The first command answers from what is placed (days 1-6, older than the active window: none active),
    # saying why, while the rest is placed by a task of its own.
    first = (await run(services, "stories")).reply.model_dump_json()
    assert "still sorting the articles" in first
    assert memory.placing is not None
    assert (await memory.placing).placed > 0
    async with store.transaction() as session:
        assert (await session.execute(select(func.count()).select_from(StoryQueueEntry))).scalar_one() == 0
    assert len(await story_ids(store)) == 30
    timeline = (await run(services, "timeline")).reply.model_dump_json()
    assert WITNESSES[29] in timeline  # day 30, placed in the background, is in the next answer


async def test_the_collector_is_held_off_while_a_story_answer_is_made_and_back_on_after(
    store: Store, analyze: Any
) -> None:
    import gc

    from bot.clock import FixedClock
    from briefings.digest.answers import timeline_answer

    await dam_days_stored(store, analyze, 3)
    library = services_of(store, FixedClock(DAY_ONE + timedelta(days=2, hours=1))).stories
    assert isinstance(library, StoryLibrary)
    collector_on: list[bool] = []

    def answer(story: Story) -> Reply:
        collector_on.append(gc.isenabled())
        return timeline_answer(story)

    assert gc.isenabled()
    reply = await library.timeline(NEWS, None, answer)
    # A long story's rows, analyses and merge are read and made with no pass of the collector over them.
    assert collector_on == [False] and WITNESSES[2] in reply.model_dump_json()
    assert gc.isenabled()


async def test_a_restarted_process_answers_without_waiting_for_a_large_stored_state_to_load(
    store: Store, store_spec: StoreSpec, analyze: Any
) -> None:
    from bot.clock import FixedClock
    from bot.stories.read_model import StoryReadModel

    feed_id = await dam_days_stored(store, analyze, 6)
    await StoryMemory(store).index_pending()
    await add_day(store, feed_id, analyze, 7)  # stored and queued as the process restarts
    clock = FixedClock(DAY_ONE + timedelta(days=6, hours=1))
    restarted = store_spec.open()
    try:
        # Any stored state counts as large here. Another worker holds the memory's lock: loading it waits.
        memory = StoryMemory(restarted, load_before_answer_bytes=0)
        library = StoryLibrary(
            restarted, clock, max_age_s=0, stale_s=0, read_model=StoryReadModel(restarted, memory)
        )
        services = CommandServices(stories=library, admin=services_of(restarted, clock).admin)
        async with store.transaction() as session:
            await story_store.lock_memory(session)
            first = (await asyncio.wait_for(run(services, "timeline"), timeout=30)).reply.model_dump_json()
            assert memory.placing is not None and not memory.placing.done()
        # The answer came from the stories placed before the restart; day 7 is placed in the background.
        assert WITNESSES[5] in first and WITNESSES[6] not in first
        assert (await memory.placing).placed == 1
        assert WITNESSES[6] in (await run(services, "timeline")).reply.model_dump_json()
    finally:
        await restarted.close()


async def test_a_restarted_process_loads_the_saved_state_and_replays_no_article(
    store: Store, store_spec: StoreSpec, analyze: Any
) -> None:
    from bot.store.models import StoryIndexDelta

    feed_id = await dam_days_stored(store, analyze, 6)
    first = StoryMemory(store, batch=2)
    await first.index_pending()
    async with store.transaction() as session:
        deltas = (await session.execute(select(func.count()).select_from(StoryIndexDelta))).scalar_one()
    assert deltas == 3  # one per batch: what it changed, not the whole state
    await add_day(store, feed_id, analyze, 7)
    restarted = store_spec.open()
    try:
        second = StoryMemory(restarted, batch=2)
        report = await second.index_pending()
        assert (report.placed, report.replayed) == (1, 0)  # the saved state, not the articles again
        # The first process catches up with what the second placed from its delta, not by replaying it.
        await add_day(store, feed_id, analyze, 8)
        report = await first.index_pending()
        assert (report.placed, report.replayed) == (1, 0)
        assert first._index is not None and first._index.state.documents == 8  # each article counted once
    finally:
        await restarted.close()
    assert len(set((await story_ids(store)).values())) == 1


async def _state_rows(store: Store) -> tuple[int | None, int]:
    """The turn of the stored base (None: none yet) and how many deltas follow it."""
    from bot.store.models import StoryIndexDelta

    async with store.transaction() as session:
        base = (
            await session.execute(select(StoryIndexSnapshot.seq).where(StoryIndexSnapshot.state.is_not(None)))
        ).scalar_one_or_none()
        deltas = (await session.execute(select(func.count()).select_from(StoryIndexDelta))).scalar_one()
    return base, deltas


async def test_deltas_outgrowing_the_base_are_written_whole_before_the_next_batch_or_after_the_call(
    store: Store, store_spec: StoreSpec, analyze: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    import bot.stories.index_state as index_state

    monkeypatch.setattr(index_state, "COMPACT_MIN_BYTES", 0)  # the first delta outgrows the (empty) base
    feed_id = await dam_days_stored(store, analyze, 4)
    memory = StoryMemory(store, batch=2)
    await memory.index_pending()
    # The first batch's delta was folded into a base before the second batch (more articles waited); the
    # second's is folded after the call returned, by a task.
    assert memory.compacting is not None and not memory.compacting.done()
    assert await _state_rows(store) == (2, 1)
    await memory.settled()
    assert await _state_rows(store) == (4, 0)
    await add_day(store, feed_id, analyze, 5)
    restarted = store_spec.open()
    try:
        report = await StoryMemory(restarted).index_pending()
        assert (report.placed, report.replayed) == (1, 0)  # the base the task wrote, loaded
    finally:
        await restarted.close()
    assert len(set((await story_ids(store)).values())) == 1


async def test_a_process_behind_the_store_leaves_the_compaction_to_the_one_ahead(
    store: Store, store_spec: StoreSpec, analyze: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    import bot.stories.index_state as index_state

    feed_id = await dam_days_stored(store, analyze, 3)
    await StoryMemory(store, snapshot_every=1).index_pending()  # a base as of turn 3
    await add_day(store, feed_id, analyze, 4)
    behind = StoryMemory(store)
    await behind.index_pending()  # loads it, places day 4
    await add_day(store, feed_id, analyze, 5)
    other = store_spec.open()
    try:
        await StoryMemory(other).index_pending()  # another process places day 5
    finally:
        await other.close()
    assert await _state_rows(store) == (3, 2)
    monkeypatch.setattr(index_state, "COMPACT_MIN_BYTES", 0)
    assert not await behind.compact()  # its state is of turn 4: written whole it would lose day 5
    assert await _state_rows(store) == (3, 2)
    await add_day(store, feed_id, analyze, 6)
    await behind.index_pending()  # catches up from the other's delta, places day 6, then compacts
    await behind.settled()
    assert await _state_rows(store) == (6, 0)
    assert len(set((await story_ids(store)).values())) == 1


@contextlib.asynccontextmanager
async def restarted_with_a_day_waiting(
    store: Store, store_spec: StoreSpec, analyze: Any
) -> AsyncIterator[Store]:
    """Three days placed by one process and a fourth stored, waiting; the store as another process opens it."""
    feed_id = await dam_days_stored(store, analyze, 3)
    await StoryMemory(store).index_pending()
    await add_day(store, feed_id, analyze, 4)
    restarted = store_spec.open()
    try:
        yield restarted
    finally:
        await restarted.close()


async def test_a_process_can_load_the_stored_state_before_it_places_anything(
    store: Store, store_spec: StoreSpec, analyze: Any
) -> None:
    async with restarted_with_a_day_waiting(store, store_spec, analyze) as restarted:
        memory = StoryMemory(restarted)
        report = await memory.load()
        assert memory.loaded and (report.placed, report.replayed) == (0, 0)
        assert memory._index is not None and memory._index.state.documents == 3
        assert len(await story_ids(store)) == 3  # day 4 still waits: loading places nothing
        assert (await memory.index_pending()).placed == 1


async def test_frequencies_halved_on_the_way_are_stored_and_a_restart_loads_them(
    store: Store, store_spec: StoreSpec, analyze: Any
) -> None:
    from briefings.stories.index import IndexSettings

    # Halved each time four articles were counted: twice in six days.
    settings = IndexSettings(forget_closed=True, frequency_documents=2)
    feed_id = await dam_days_stored(store, analyze, 6)
    first = StoryMemory(store, settings=settings, batch=2)
    await first.index_pending()
    assert first._index is not None
    live = first._index.state
    assert live.documents == 2  # 4 → 2, then 4 → 2 again
    await add_day(store, feed_id, analyze, 7)
    restarted = store_spec.open()
    try:
        second = StoryMemory(restarted, settings=settings)
        await second.load()
        assert second._index is not None
        loaded = second._index.state
        assert (loaded.documents, dict(loaded.df)) == (live.documents, dict(live.df))
        assert (await second.index_pending()).placed == 1
    finally:
        await restarted.close()
    assert len(set((await story_ids(store)).values())) == 1


async def test_a_loaded_index_state_is_kept_out_of_the_collectors_passes(
    store: Store, store_spec: StoreSpec, analyze: Any
) -> None:
    import gc

    async with restarted_with_a_day_waiting(store, store_spec, analyze) as restarted:
        second = StoryMemory(restarted)
        await second.index_pending()
        assert second._index is not None
        state = second._index.state
        # Loaded long-lived: its objects are not in the collector's generations (its passes skip them).
        in_generations = {id(o) for o in gc.get_objects()}
        assert id(dict.__getitem__(state.stories, next(iter(dict.keys(state.stories))))) not in in_generations
        assert gc.isenabled()


async def writing_whole_with_a_day_waiting(store: Store, analyze: Any) -> StoryMemory:
    """A process that writes the state whole at every save, day 1 placed and day 2 stored, waiting: its next
    call places day 2 in this process (not loaded) and writes the state whole."""
    from bot.clock import FixedClock

    feed_id = await setup_channel(store, FixedClock(DAY_ONE), NEWS)
    await add_day(store, feed_id, analyze, 1)
    memory = StoryMemory(store, snapshot_every=1)
    await memory.index_pending()
    await add_day(store, feed_id, analyze, 2)
    return memory


async def test_the_state_a_running_process_writes_whole_is_kept_out_of_the_collectors_passes(
    store: Store, analyze: Any
) -> None:
    import gc

    memory = await writing_whole_with_a_day_waiting(store, analyze)
    await memory.index_pending()
    assert memory._index is not None
    state = memory._index.state
    profile = dict.__getitem__(state.stories, next(iter(dict.keys(state.stories))))
    assert len(profile.articles) == 2
    in_generations = {id(o) for o in gc.get_objects()}
    assert id(profile) not in in_generations and id(profile.centroid) not in in_generations
    assert gc.isenabled()


class _Cycle:
    """An object in a reference cycle: only the collector frees it."""

    def __init__(self) -> None:
        self.itself = self


@contextlib.contextmanager
def _garbage_waiting() -> Iterator[weakref.ref[_Cycle]]:
    """A cycle made garbage with the collector off (it would free it any time itself): only what the code
    does can free it, and freezing it would keep it for good."""
    import gc

    gc.disable()
    try:
        cycle = _Cycle()
        ref = weakref.ref(cycle)
        del cycle
        yield ref
    finally:
        gc.enable()


async def test_garbage_waiting_when_a_state_is_loaded_is_freed_not_frozen_with_it(
    store: Store, store_spec: StoreSpec, analyze: Any
) -> None:
    async with restarted_with_a_day_waiting(store, store_spec, analyze) as restarted:
        with _garbage_waiting() as garbage:
            await StoryMemory(restarted).load()
            assert garbage() is None


async def test_garbage_waiting_when_a_state_is_written_whole_is_freed_not_frozen(
    store: Store, analyze: Any
) -> None:
    memory = await writing_whole_with_a_day_waiting(store, analyze)
    with _garbage_waiting() as garbage:
        await memory.index_pending()
        assert garbage() is None


async def test_a_corrupt_index_delta_is_rebuilt_from_the_stored_articles_with_a_log_line(
    store: Store, analyze: Any, caplog: pytest.LogCaptureFixture
) -> None:
    from bot.store.models import StoryIndexDelta

    feed_id = await dam_days_stored(store, analyze, 4)
    await StoryMemory(store, batch=2).index_pending()
    (story_id,) = set((await story_ids(store)).values())
    async with store.transaction() as session:
        await session.execute(update(StoryIndexDelta).values(state=b"not a delta"))
    await add_day(store, feed_id, analyze, 5)
    with caplog.at_level(logging.ERROR, logger="bot.stories.memory"):
        await StoryMemory(store).index_pending()
    assert "rebuilding it from the stored articles" in caplog.text
    assert set((await story_ids(store)).values()) == {story_id}
    async with store.transaction() as session:
        left = (await session.execute(select(func.count()).select_from(StoryIndexDelta))).scalar_one()
    assert left == 0  # the rebuilt state was written whole


async def test_timeline_of_a_story_by_its_id_reads_that_story_alone(store: Store, analyze: Any) -> None:
    from bot.stories.read_model import StoryReadModel

    clock, _, dam = await _dam_and_flood(store, analyze)
    assert len(set((await story_ids(store)).values())) == 2  # two active stories
    read_model = StoryReadModel(store)
    library = StoryLibrary(store, clock, read_model=read_model)
    services = CommandServices(stories=library, admin=services_of(store, clock).admin)
    timeline = (await run(services, "timeline", story=dam)).reply.model_dump_json()
    assert "Crack found" in timeline or "crack" in timeline.lower()
    assert WITNESSES[2] in timeline
    # The dam story only, not every story of the channel; and of it only its timeline: no whole view merged.
    assert read_model.views.merged == 0
    again = (await run(services, "timeline", story=dam)).reply.model_dump_json()
    assert again == timeline and read_model.views.merged == 0
    # The same answer as from the channel's stories read whole (what a channel that listed them first sees).
    whole = StoryLibrary(store, clock, read_model=StoryReadModel(store))
    whole_services = CommandServices(stories=whole, admin=services_of(store, clock).admin)
    await run(whole_services, "stories")
    assert (await run(whole_services, "timeline", story=dam)).reply.model_dump_json() == timeline
    assert whole.read_model.views.merged == 2


async def test_who_where_and_quotes_of_a_story_by_its_id_merge_no_digest_and_answer_the_same(
    store: Store, analyze: Any
) -> None:
    from bot.stories.read_model import StoryReadModel

    clock, _, dam = await _dam_and_flood(store, analyze)
    read_model = StoryReadModel(store)
    library = StoryLibrary(store, clock, read_model=read_model)
    services = CommandServices(stories=library, admin=services_of(store, clock).admin)
    asked: list[tuple[str, dict[str, str]]] = [
        ("who", {}),
        ("who", {"name": "Teodor Vance"}),
        ("where", {}),
        ("quotes", {}),
        ("quotes", {"who": "Teodor Vance"}),
    ]
    answers = [
        (await run(services, path, story=dam, **options)).reply.model_dump_json() for path, options in asked
    ]
    who, card, where, quotes, his_quotes = answers
    assert "Teodor Vance" in who and "Teodor Vance" in card and card != who
    assert "Orven" in where and quotes != his_quotes
    # Of the dam story only its people, places, quotes and claims are merged: no whole view (its digest is
    # the costly part).
    assert read_model.views.merged == 0
    # The same answers as from the channel's stories read whole (what a channel that listed them first sees).
    whole = StoryLibrary(store, clock, read_model=StoryReadModel(store))
    whole_services = CommandServices(stories=whole, admin=services_of(store, clock).admin)
    await run(whole_services, "stories")
    for (path, options), answer in zip(asked, answers, strict=True):
        assert (await run(whole_services, path, story=dam, **options)).reply.model_dump_json() == answer


async def _dam_and_flood(store: Store, analyze: Any) -> tuple[Any, int, str]:
    """A channel whose feed brought three days of the dam story and a flood; the clock, feed and dam's id."""
    from test_scheduler import FLOOD

    from bot.clock import FixedClock

    clock = FixedClock(DAY_ONE)
    feed_id = await dam_days_stored(store, analyze, 3)
    when = DAY_ONE + timedelta(days=2, hours=2)
    await add_article(store, feed_id, analyze, FLOOD, when.isoformat(), when)
    clock.set(DAY_ONE + timedelta(days=2, hours=3))
    await StoryMemory(store).index_pending()
    return clock, feed_id, (await story_ids(store))[1]


async def test_timeline_by_id_reads_the_channel_and_the_story_in_one_transaction(
    store: Store, analyze: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from bot.stories.read_model import StoryReadModel

    clock, _, dam = await _dam_and_flood(store, analyze)
    library = StoryLibrary(store, clock, read_model=StoryReadModel(store))
    services = CommandServices(stories=library, admin=services_of(store, clock).admin)
    opened = 0
    transaction = store.transaction

    def counted() -> Any:
        nonlocal opened
        opened += 1
        return transaction()

    monkeypatch.setattr(store, "transaction", counted)
    timeline = (await run(services, "timeline", story=dam)).reply.model_dump_json()
    assert WITNESSES[2] in timeline
    # Whether articles wait for their story, the channel's feeds and the story's articles: one transaction.
    assert opened == 1


async def test_timeline_by_id_asks_whether_articles_wait_with_the_channels_feeds(
    store: Store, analyze: Any
) -> None:
    from sqlalchemy import event

    from bot.stories.read_model import StoryReadModel

    clock, _, dam = await _dam_and_flood(store, analyze)
    library = StoryLibrary(store, clock, read_model=StoryReadModel(store))
    services = CommandServices(stories=library, admin=services_of(store, clock).admin)
    statements: list[str] = []

    def seen(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        statements.append(statement)

    event.listen(store.engine.sync_engine, "before_cursor_execute", seen)
    try:
        timeline = (await run(services, "timeline", story=dam)).reply.model_dump_json()
    finally:
        event.remove(store.engine.sync_engine, "before_cursor_execute", seen)
    assert WITNESSES[2] in timeline
    # Each statement is a round trip: the feeds with whether any article waits, the story, its articles,
    # their links to the channel's feeds (by article: never the feeds' whole history).
    assert len(statements) == 4, statements
    assert "story_queue" in statements[0] and "channel_feeds" in statements[0]


@pytest.mark.parametrize(
    ("command", "merges", "shows"),
    [
        ("timeline", ("merge_timeline_story",), "Orven dam"),
        # `/who` by id merges what it shows, `/where` the story's whole view.
        ("who", ("merge_people_story", "merge_story"), "Teodor Vance"),
        ("where", ("merge_people_story", "merge_story"), "Where"),
    ],
)
async def test_a_story_read_by_id_is_merged_with_the_collector_held_off(
    store: Store,
    analyze: Any,
    monkeypatch: pytest.MonkeyPatch,
    command: str,
    merges: tuple[str, ...],
    shows: str,
) -> None:
    import gc

    from bot.stories import read_model as read_model_module
    from bot.stories.read_model import StoryReadModel

    clock, _, dam = await _dam_and_flood(store, analyze)
    library = StoryLibrary(store, clock, read_model=StoryReadModel(store))
    services = CommandServices(stories=library, admin=services_of(store, clock).admin)
    collecting: list[bool] = []

    def watching(merge: Any) -> Any:
        def watched(*args: Any, **kwargs: Any) -> Any:
            collecting.append(gc.isenabled())
            return merge(*args, **kwargs)

        return watched

    for name in merges:
        monkeypatch.setattr(read_model_module, name, watching(getattr(read_model_module, name)))
    was = gc.isenabled()
    reply = (await run(services, command, story=dam)).reply.model_dump_json()
    assert shows in reply
    # The parsed analyses and the merge make many objects and no cycles: no full pass of the collector
    # over the process (which holds the story memory) in the middle of an answer.
    assert collecting == [False]
    assert gc.isenabled() == was


async def test_timeline_by_id_places_the_waiting_articles_first(store: Store, analyze: Any) -> None:
    from bot.stories.read_model import StoryReadModel

    clock, feed_id, dam = await _dam_and_flood(store, analyze)
    when = await add_day(store, feed_id, analyze, 4)  # stored and queued, not placed yet
    clock.set(when + timedelta(hours=1))
    library = StoryLibrary(store, clock, read_model=StoryReadModel(store))
    services = CommandServices(stories=library, admin=services_of(store, clock).admin)
    timeline = (await run(services, "timeline", story=dam)).reply.model_dump_json()
    async with store.transaction() as session:
        queued = (await session.execute(select(func.count()).select_from(StoryQueueEntry))).scalar_one()
    assert queued == 0
    assert WITNESSES[3] in timeline  # the fourth day's report, placed before the answer


async def test_timeline_by_id_in_a_channel_not_set_up_says_so(store: Store, analyze: Any) -> None:
    from bot.identity import ChannelRef
    from bot.stories.read_model import StoryReadModel

    clock, _, dam = await _dam_and_flood(store, analyze)
    library = StoryLibrary(store, clock, read_model=StoryReadModel(store))
    services = CommandServices(stories=library, admin=services_of(store, clock).admin)
    elsewhere = ChannelRef(platform=NEWS.platform, workspace=NEWS.workspace, channel="never-set-up")
    command = COMMANDS.find(("timeline",))
    assert command is not None
    outcome = await run_command(command, {"story": dam}, CommandContext(elsewhere, MEMBER, services))
    assert "set up" in outcome.reply.model_dump_json().lower()


# A page a scraper kept only the furniture of: it reports nothing that happened.
NO_NEWS_PAGE = (
    "Orven Water Board\n"
    "Please enable JavaScript in your browser to view this page. Sign in to your account or subscribe "
    "to our newsletter. Share this page with your friends."
)


async def test_a_page_without_news_is_in_no_story_and_not_in_the_digest(store: Store, analyze: Any) -> None:
    from bot.clock import FixedClock

    clock = FixedClock(DAY_ONE)
    feed_id = await setup_channel(store, clock, NEWS)
    await add_day(store, feed_id, analyze, 1)
    await add_article(store, feed_id, analyze, NO_NEWS_PAGE, DAY_ONE.isoformat(), DAY_ONE)
    await add_day(store, feed_id, analyze, 2)
    memory = StoryMemory(store)
    await memory.index_pending()
    async with store.transaction() as session:
        queued = (await session.execute(select(func.count()).select_from(StoryQueueEntry))).scalar_one()
        stored = (await session.execute(select(func.count()).select_from(ArticleRow))).scalar_one()
        rows = (await session.execute(select(StoryArticle))).scalars().all()
    assert queued == 0 and stored == 3  # dequeued, still stored: nothing is lost
    assert len(rows) == 2 and len({r.story_id for r in rows}) == 1
    assert sorted(r.seq for r in rows) == [1, 2]
    platform = RecordingDelivery()
    clock.set(DAY_ONE + timedelta(days=1, hours=22))
    await DigestRunner(store, platform, clock).run_due()
    (item,) = platform.digests()[0].items
    assert "JavaScript" not in item.story.model_dump_json()
    # A process started later replays the placed turns only, and places the next day in the same story.
    await add_day(store, feed_id, analyze, 3)
    await StoryMemory(store).index_pending()
    assert len(set((await story_ids(store)).values())) == 1
