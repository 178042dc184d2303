"""What a digest run over many channels does once, not per channel: views shared, the findings read by feed,
the garbage collector's full passes left out while the run's long-lived objects are made.

The articles are invented for these tests (Halvik, Brennmoor and their people do not exist).
"""

from __future__ import annotations

import gc
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from conftest_store import *  # noqa: F403 - the store fixtures
from conftest_store import RecordingDelivery
from sqlalchemy import event
from test_scheduler import NEWS, OTHER, add_article, setup_channel

from bot.channels import digest as channel_digest
from bot.channels.config import TopicFilter
from bot.channels.digest import DigestRequest, StoredArticle, StoryPool, StoryViews
from bot.clock import FixedClock
from bot.collector import collector_held_off
from bot.scheduler.digests import DigestRunner
from bot.store import stories as story_store
from bot.store.db import Store
from bot.store.migrate import upgrade_store

SLIDE = (
    "Landslide buries road near Halvik\n"
    "A landslide buried the coast road near Halvik on Monday, the regional council said. At least 4 people "
    "were killed, the council said. Council leader Petra Sandvoll said rescuers were searching the site."
)
FERRY = (
    "Brennmoor ferry runs aground\n"
    "The morning ferry to Brennmoor ran aground on a sandbank on Tuesday, the harbour office said. All 60 "
    "passengers were taken ashore by lifeboat. Captain Oskar Lind said the channel markers had drifted."
)
FETCHED = datetime(2026, 1, 15, 10, tzinfo=UTC)


def _request(channel: int, feeds: list[int]) -> DigestRequest:
    return DigestRequest(channel, feeds, TopicFilter(), 5, since=None)


def test_a_view_only_one_channel_sees_does_not_push_out_a_view_others_share(analyze) -> None:  # type: ignore[no-untyped-def]
    slide = analyze(SLIDE, published="2026-01-13T09:00:00", title="Landslide buries road near Halvik")
    slide.article.id = "a1"
    ferry = analyze(FERRY, published="2026-01-14T09:00:00", title="Brennmoor ferry runs aground")
    ferry.article.id = "a2"
    views = StoryViews(limit=1)
    pool = StoryPool(
        [StoredArticle(1, 1, FETCHED, slide, "st-1"), StoredArticle(2, 2, FETCHED, ferry, "st-2")], views
    )
    # Two channels follow feed 1; one channel alone follows feed 2.
    first, alone, second = _request(1, [1]), _request(2, [2]), _request(3, [1])
    pool.expect([first, alone, second])
    (shown,) = pool.select(first).items
    assert views.merged == 1
    (its_own,) = pool.select(alone).items
    assert its_own.key == "st-2" and views.merged == 2
    # The view merged for the lone channel was not kept: the shared one is still there for the next channel.
    (again,) = pool.select(second).items
    assert views.merged == 2 and again.story is shown.story


def test_without_expectations_every_view_is_kept(analyze) -> None:  # type: ignore[no-untyped-def]
    slide = analyze(SLIDE, published="2026-01-13T09:00:00", title="Landslide buries road near Halvik")
    slide.article.id = "a1"
    views = StoryViews()
    pool = StoryPool([StoredArticle(1, 1, FETCHED, slide, "st-1")], views)
    (shown,) = pool.select(_request(1, [1])).items
    (again,) = pool.select(_request(2, [1])).items
    assert views.merged == 1 and again.story is shown.story


def test_the_collector_comes_back_on_when_the_last_holder_ends_and_only_if_it_was_on() -> None:
    assert gc.isenabled()
    try:
        outer = collector_held_off()
        outer.__enter__()
        assert not gc.isenabled()
        with collector_held_off():
            assert not gc.isenabled()
        assert not gc.isenabled()  # the outer holder still holds it
        outer.__exit__(None, None, None)
        assert gc.isenabled()
        gc.disable()  # someone else turned it off: a holder leaves it off
        with collector_held_off():
            assert not gc.isenabled()
        assert not gc.isenabled()
    finally:
        gc.enable()


async def test_digests_are_built_with_the_collector_held_off_and_it_is_back_on_after(
    store: Store, analyze, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    clock = FixedClock(datetime(2026, 1, 13, 12, 0, tzinfo=UTC))
    feed_id = await setup_channel(store, clock, NEWS)
    await setup_channel(store, clock, OTHER)
    await add_article(store, feed_id, analyze, SLIDE, "2026-01-13T09:00:00", clock.now())
    seen: list[bool] = []
    select = channel_digest.StoryPool.select

    def recording(pool: StoryPool, request: DigestRequest) -> Any:
        seen.append(gc.isenabled())
        return select(pool, request)

    monkeypatch.setattr(channel_digest.StoryPool, "select", recording)
    platform = RecordingDelivery()
    clock.set(datetime(2026, 1, 14, 7, 0, tzinfo=UTC))
    report = await DigestRunner(store, platform, clock).run_due()
    assert len(report.sent) == 2 and seen == [False, False]
    assert gc.isenabled()
    assert [len(d.items) for d in platform.digests()] == [1, 1]


async def test_a_run_s_findings_are_read_through_the_feeds_links_not_every_article_of_the_stories(
    tmp_path: Path,
) -> None:
    store = Store.from_url(f"sqlite:///{tmp_path}/plan.db")
    await upgrade_store(store)
    statements: list[tuple[str, Any]] = []

    def record(conn: Any, cursor: Any, statement: str, parameters: Any, context: Any, many: bool) -> None:
        if "story_articles" in statement and "feed_articles" in statement:
            statements.append((statement, parameters))

    event.listen(store.engine.sync_engine, "before_cursor_execute", record)
    try:
        async with store.transaction() as session:
            await story_store.story_findings(session, ["st-1", "st-2"], range(1, 201), FETCHED)
        ((statement, parameters),) = statements
        async with store.engine.connect() as connection:
            plan = (await connection.exec_driver_sql("EXPLAIN QUERY PLAN " + statement, parameters)).all()
    finally:
        event.remove(store.engine.sync_engine, "before_cursor_execute", record)
        await store.close()
    steps = [row[-1] for row in plan]
    # First the links of the feeds asked for (by feed and time), each then joined to its story and article.
    assert "ix_feed_articles_feed_found" in steps[0], steps
    assert not any("ix_story_articles_story_id" in step for step in steps), steps
