"""The story memory's store stays the size of what it keeps: what it rewrites or drops leaves no dead copies.

PostgreSQL only (SQLite reuses freed pages by itself). Autovacuum is switched off for the tables looked at,
so only what the memory itself does counts. The articles are the synthetic ones of `bench.stories`.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import pytest
from conftest_store import POSTGRES_URL, pg_schema  # noqa: F401 - the schema fixture
from sqlalchemy import text

from bench.stories import article_stream
from bench.stories_service import _setup, _store_day
from bot.store.db import Store
from bot.store.migrate import upgrade_store
from bot.stories.memory import StoryMemory

START = datetime(2024, 1, 1, tzinfo=UTC)


@pytest.fixture
async def pg_store(pg_schema: str) -> AsyncIterator[Store]:  # noqa: F811 - the fixture it builds on
    store = Store.from_url(POSTGRES_URL, schema=pg_schema)
    await upgrade_store(store)
    yield store
    await store.close()


async def _without_autovacuum(store: Store, tables: list[str]) -> None:
    async with store.transaction() as session:
        for table in tables:
            await session.execute(
                text(
                    f"ALTER TABLE {table} SET (autovacuum_enabled = false, toast.autovacuum_enabled = false)"
                )
            )


async def _size(store: Store, table: str) -> int:
    async with store.transaction() as session:
        size = await session.execute(text("SELECT pg_total_relation_size(:t)"), {"t": table})
        return int(size.scalar_one())


def _days(days: int, per_day: int) -> list[list]:  # type: ignore[type-arg]
    stream = article_stream(days * per_day, per_day, 5)
    batches = []
    for day in range(days):
        todays = []
        for _ in range(per_day):
            analysis = next(stream)[0]
            analysis.article.published = START + timedelta(days=day, minutes=len(todays))
            todays.append(analysis)
        batches.append(todays)
    return batches


async def test_an_index_state_written_whole_many_times_takes_the_room_of_about_one(pg_store: Store) -> None:
    await _without_autovacuum(pg_store, ["story_index_state", "story_index_deltas"])
    feed_ids = await _setup(pg_store, 2, START - timedelta(days=1))
    memory = StoryMemory(pg_store, snapshot_every=1, batch=30)  # the whole state written after each batch
    await _store_day(pg_store, feed_ids, _days(1, 300)[0], 0)
    report = await memory.index_pending()
    assert report.placed == 300
    async with pg_store.transaction() as session:
        live = int((await session.execute(text("SELECT length(state) FROM story_index_state"))).scalar_one())
    # Ten bases were written; the room of the older ones was handed back each time.
    assert await _size(pg_store, "story_index_state") < 3 * live + 96 * 1024


async def test_pruned_articles_leave_room_that_the_next_days_use(pg_store: Store) -> None:
    tables = ["articles", "feed_articles", "story_articles", "stories", "story_queue"]
    await _without_autovacuum(pg_store, tables)
    feed_ids = await _setup(pg_store, 2, START - timedelta(days=1))
    memory = StoryMemory(pg_store)
    serial, sizes = 0, []
    for day, todays in enumerate(_days(8, 150)):
        await _store_day(pg_store, feed_ids, todays, serial)
        serial += len(todays)
        await memory.index_pending()
        # A keep window of one day (the memory keeps at least its idle window: 16 days; pass the day after).
        await memory.prune(START + timedelta(days=day + 17), timedelta(days=1))
        sizes.append(await _size(pg_store, "articles"))
    # Each day's articles are pruned before the next: the table holds about a day, not eight.
    assert sizes[-1] < 2 * sizes[1]
