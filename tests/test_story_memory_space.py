"""The story memory's store: what it rewrites or drops is vacuumed (its room used again, so the store stays
the size of what it keeps), and a story id it keeps is never handed out again.

The VACUUMs on PostgreSQL only (SQLite reuses freed pages by itself). Autovacuum is switched off for the
tables looked at, so only what the memory itself does counts. The articles are the synthetic ones of `bench.stories`.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import pytest
from conftest_store import *  # noqa: F403 - the store fixtures
from conftest_store import POSTGRES_URL
from sqlalchemy import select, text

from bench.stories import article_stream
from bench.stories_service import _setup, _store_day
from bot.store.db import Store
from bot.store.migrate import upgrade_store
from bot.store.stories import CHURNED_TABLES, PRUNED_TABLES, STATE_TABLES
from bot.stories.memory import StoryMemory

START = datetime(2024, 1, 1, tzinfo=UTC)


@pytest.fixture
async def pg_store(pg_schema: str) -> AsyncIterator[Store]:
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


async def _vacuums(store: Store, tables: tuple[str, ...]) -> dict[str, int]:
    """How many times each table was vacuumed (autovacuum is off for them: by the memory)."""
    async with store.transaction() as session:
        rows = await session.execute(
            text(
                "SELECT relname, vacuum_count FROM pg_stat_user_tables "
                "WHERE schemaname = current_schema() AND relname = ANY(:tables)"
            ),
            {"tables": list(tables)},
        )
        return {name: int(count) for name, count in rows}


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
    await _without_autovacuum(pg_store, list(STATE_TABLES))
    feed_ids = await _setup(pg_store, 2, START - timedelta(days=1))
    memory = StoryMemory(pg_store, snapshot_every=1, batch=30)  # the whole state written after each batch
    await _store_day(pg_store, feed_ids, _days(1, 300)[0], 0)
    report = await memory.index_pending()
    assert report.placed == 300
    # Ten bases were written, and the room of the older ones handed back each time. (How much room comes
    # back depends on the server's other sessions: a dead row one of them may still see stays until the
    # next VACUUM. The sizes are the service bench's: `python -m bench.stories --service`.)
    assert await _vacuums(pg_store, STATE_TABLES) == {table: 10 for table in STATE_TABLES}


async def test_the_rows_each_batch_rewrites_are_vacuumed_every_so_many_articles(pg_store: Store) -> None:
    # Each batch updates the rows of the stories it joins and deletes its queue entries: their dead versions
    # are cleared by the memory itself every `vacuum_every` articles, whatever the server's autovacuum does.
    await _without_autovacuum(pg_store, list(CHURNED_TABLES))
    feed_ids = await _setup(pg_store, 2, START - timedelta(days=1))
    memory = StoryMemory(pg_store, batch=30, vacuum_every=100)
    await _store_day(pg_store, feed_ids, _days(1, 300)[0], 0)
    assert (await memory.index_pending()).placed == 300
    # Batches of 30: a vacuum after the 4th (120 placed) and the 8th (240); 60 placed since.
    assert await _vacuums(pg_store, CHURNED_TABLES) == {table: 2 for table in CHURNED_TABLES}


async def test_pruned_articles_leave_room_that_the_next_days_use(pg_store: Store) -> None:
    await _without_autovacuum(pg_store, list(PRUNED_TABLES))
    feed_ids = await _setup(pg_store, 2, START - timedelta(days=1))
    memory = StoryMemory(pg_store)
    serial = 0
    for day, todays in enumerate(_days(8, 150)):
        await _store_day(pg_store, feed_ids, todays, serial)
        serial += len(todays)
        await memory.index_pending()
        # A keep window of one day (the memory keeps at least its idle window: 16 days; pass the day after).
        await memory.prune(START + timedelta(days=day + 17), timedelta(days=1))
    # Each day's pruned articles left room that the next day's use.
    assert await _vacuums(pg_store, PRUNED_TABLES) == {table: 8 for table in PRUNED_TABLES}


async def test_a_new_story_never_takes_the_id_of_a_kept_one(store: Store) -> None:
    from bot.store.models import StoryArticle, StoryRow
    from briefings.stories.index import story_id_for

    feed_ids = await _setup(store, 1, START - timedelta(days=1))
    (first, *others) = _days(1, 3)[0]
    own = story_id_for(first)
    async with store.transaction() as session:  # an older story under its id, and under the next one
        for story_id in (own, f"{own}-2"):
            session.add(
                StoryRow(id=story_id, opened_at=START, last_article_at=START, articles=1, closed=True)
            )
    await _store_day(store, feed_ids, [first, *others], 0)
    await StoryMemory(store).index_pending()
    async with store.transaction() as session:
        placed = set((await session.execute(select(StoryArticle.story_id))).scalars())
        kept = (await session.execute(select(StoryRow).where(StoryRow.id.in_([own, f"{own}-2"])))).scalars()
        assert all(row.articles == 1 for row in kept)  # the older stories got nothing
    assert f"{own}-3" in placed and not {own, f"{own}-2"} & placed


async def test_a_merge_repoints_the_stories_merged_into_the_absorbed_one_by_an_index(pg_store: Store) -> None:
    # Each merge updates the stories whose `merged_into` is the absorbed story: by an index, not by a scan
    # of every kept story (weeks of them). Sequential scans are priced out so the plan shows what it can use.
    async with pg_store.transaction() as session:
        await session.execute(text("SET LOCAL enable_seqscan = off"))
        plan = "\n".join(
            row[0]
            for row in await session.execute(
                text("EXPLAIN UPDATE stories SET merged_into = 'st-kept' WHERE merged_into = 'st-absorbed'")
            )
        )
    assert "ix_stories_merged_into" in plan, plan


async def test_the_queued_articles_are_read_without_going_through_the_stored_ones(pg_store: Store) -> None:
    # A batch reads the oldest queued articles: from the queue, then their rows by id; not by walking the
    # store's articles from the first one kept until the queued (newest) ones turn up.
    from sqlalchemy.dialects import postgresql

    from bot.store.stories import queued_query

    async with pg_store.transaction() as session:  # weeks of articles stored, each queued once
        await session.execute(
            text(
                "INSERT INTO articles (content_hash, published, fetched_at, analysis) "
                "SELECT 'h' || n, now(), now(), '{}' FROM generate_series(1, 50000) AS n"
            )
        )
        await session.execute(text("INSERT INTO story_queue (article_id) SELECT id FROM articles"))
    async with pg_store.transaction() as session:
        # The planner's figures as of a full queue (they lag behind a queue drained batch by batch).
        await session.execute(text("ANALYZE articles, story_queue"))
        await session.execute(
            text("DELETE FROM story_queue WHERE article_id <= (SELECT max(article_id) - 5 FROM story_queue)")
        )
    async with pg_store.transaction() as session:
        sql = queued_query(100).compile(dialect=postgresql.dialect(), compile_kwargs={"literal_binds": True})
        plan = (await session.execute(text(f"EXPLAIN (ANALYZE, FORMAT JSON) {sql}"))).scalar_one()

    def articles_read(node: dict) -> int:  # type: ignore[type-arg]
        own = node["Actual Rows"] * node["Actual Loops"] if node.get("Relation Name") == "articles" else 0
        return own + sum(articles_read(child) for child in node.get("Plans", []))

    assert articles_read(plan[0]["Plan"]) <= 10, plan


@pytest.mark.parametrize("analysed", [False, True])
async def test_a_story_read_over_its_whole_life_reads_its_own_articles_not_the_feeds_history(
    pg_store: Store, analysed: bool
) -> None:
    # `/timeline story:<id>` of a story of weeks: its own articles are found by the story, each link by its
    # article; not every link the channel's feeds brought in those weeks, each looked up in the story.
    from sqlalchemy.dialects import postgresql

    from bot.store.stories import member_links_query, story_findings

    (feed_id,) = await _setup(pg_store, 1, datetime.now(UTC))
    async with pg_store.transaction() as session:  # weeks of a feed's articles, five of them one story's
        await session.execute(
            text(
                "INSERT INTO articles (content_hash, published, fetched_at, analysis) "
                "SELECT 'h' || n, now(), now(), '{}' FROM generate_series(1, 50000) AS n"
            )
        )
        await session.execute(
            text(
                "INSERT INTO feed_articles (feed_id, article_id, found_at, source) "
                f"SELECT {feed_id}, id, now() - interval '1 day', 's' FROM articles"
            )
        )
        await session.execute(
            text(
                "INSERT INTO story_articles (article_id, story_id, seq) "
                "SELECT id, CASE WHEN id % 10000 = 0 THEN 'st-long' ELSE 'st-' || id END, id FROM articles"
            )
        )
        if analysed:  # the planner's figures, as autovacuum would leave them
            await session.execute(text("ANALYZE articles, feed_articles, story_articles"))
    now = datetime.now(UTC)
    query = member_links_query([10000, 20000, 30000, 40000, 50000], [feed_id], now)
    sql = query.compile(dialect=postgresql.dialect(), compile_kwargs={"literal_binds": True})
    async with pg_store.transaction() as session:
        plan = (await session.execute(text(f"EXPLAIN (ANALYZE, FORMAT JSON) {sql}"))).scalar_one()
        found = await story_findings(session, ["st-long"], [feed_id], now, whole_lives=True)
    assert sorted(f.found.row.id for f in found) == [10000, 20000, 30000, 40000, 50000]
    assert {f.story_id for f in found} == {"st-long"}

    def links_read(node: dict) -> int:  # type: ignore[type-arg]
        own = (
            node["Actual Rows"] * node["Actual Loops"] if node.get("Relation Name") == "feed_articles" else 0
        )
        return own + sum(links_read(child) for child in node.get("Plans", []))

    assert links_read(plan[0]["Plan"]) <= 10, plan


@pytest.mark.parametrize("merges", [3, 60])
async def test_a_batchs_merges_follow_their_chains_in_as_many_statements_however_many(
    store: Store, merges: int
) -> None:
    # The stories an index closes each day are first offered to the stories still open: hundreds of merges
    # a day. A batch's merges are written in a few statements, not a few per merge; and a merge absorbing a
    # story that absorbed another earlier in the batch (a chain) leaves every article, count and pointer
    # at the chain's end, as one merge after another did.
    from sqlalchemy import event

    from bot.store.models import ArticleRow, StoryArticle, StoryRow
    from bot.store.stories import merge_all
    from briefings.stories.index import StoryIndex, StoryIndexState

    later = START + timedelta(days=3)
    async with store.transaction() as session:
        for n in range(1, 2 * merges + 3):
            session.add(ArticleRow(id=n, content_hash=f"h{n}", fetched_at=START, analysis="{}"))
            opened = START if n == 1 else later
            session.add(StoryRow(id=f"st-{n}", opened_at=opened, last_article_at=opened, articles=1))
        # A story merged into st-2 in an earlier batch points at it.
        session.add(
            StoryRow(id="st-old", opened_at=START, last_article_at=START, closed=True, merged_into="st-2")
        )
        await session.flush()
        await session.execute(
            StoryArticle.__table__.insert(),
            [{"article_id": n, "story_id": f"st-{n}", "seq": n} for n in range(1, 2 * merges + 3)],
        )
    # st-1 into st-2, then st-2 into st-3 (a chain), then pairs of stories apart from it.
    made = [("st-1", "st-2"), ("st-2", "st-3")]
    made += [(f"st-{n}", f"st-{n + 1}") for n in range(4, 2 * merges, 2)][: merges - 2]
    # Where each absorbed story's articles end, as the memory asks the index that made the merges.
    index = StoryIndex(state=StoryIndexState(merged=dict(made)))
    statements: list[str] = []

    def counted(conn, cursor, statement, *args) -> None:  # type: ignore[no-untyped-def]
        statements.append(statement)

    engine = store.engine.sync_engine
    event.listen(engine, "before_cursor_execute", counted)
    try:
        async with store.transaction() as session:
            await merge_all(session, made, {absorbed: index.merged_into(absorbed) for absorbed, _ in made})
    finally:
        event.remove(engine, "before_cursor_execute", counted)
    assert len(statements) <= 8, statements
    async with store.transaction() as session:
        placed = dict((await session.execute(select(StoryArticle.article_id, StoryArticle.story_id))).all())
        rows = {row.id: row for row in (await session.execute(select(StoryRow))).scalars()}
    assert placed[1] == placed[2] == placed[3] == "st-3"
    assert rows["st-3"].articles == 3 and rows["st-3"].opened_at.replace(tzinfo=UTC) == START
    assert rows["st-1"].merged_into == rows["st-2"].merged_into == rows["st-old"].merged_into == "st-3"
    assert rows["st-1"].articles == rows["st-2"].articles == 0 and rows["st-2"].closed
    for absorbed, kept in made[2:]:
        assert placed[int(absorbed[3:])] == kept and rows[kept].articles == 2
        assert rows[absorbed].merged_into == kept
