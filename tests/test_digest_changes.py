"""A channel's digest says what changed since its last one, with the engine's snapshot and diff, kept in the store.

The articles are invented for these tests (Halvik and its people do not exist).
"""

from __future__ import annotations

from datetime import UTC, datetime

from conftest_store import *  # noqa: F403 - the store fixtures
from conftest_store import RecordingDelivery, StoreSpec
from sqlalchemy import select
from test_scheduler import NEWS, OTHER, add_article, delivery_rows, setup_channel

from bot.channels.config import TopicFilter
from bot.channels.digest import DigestRequest, StoredArticle, StoryPool
from bot.channels.whats_new import whats_new_lines
from bot.clock import FixedClock
from bot.commands.digests import digest_reply
from bot.scheduler.digests import DigestRunner
from bot.store.db import Store
from bot.store.models import StorySnapshotRow
from briefings.render import BulletList, Paragraph
from briefings.stories.changes import snapshot_story, story_changes

SLIDE = (
    "Landslide buries road near Halvik\n"
    "A landslide buried the coast road near Halvik on Monday, the regional council said. At least 4 people "
    "were killed, the council said. Council leader Petra Sandvoll said rescuers were searching the site."
)
SLIDE_UPDATE = (
    "Halvik landslide toll rises\n"
    "The death toll from Monday's landslide near Halvik rose to 7 on Wednesday, the regional council said. "
    'Geologist Anders Fjell said the slope had been moving for weeks. "We warned them in March," Fjell '
    "said. Rescuers reopened one lane of the coast road on Wednesday."
)


async def snapshot_rows(store: Store) -> list[StorySnapshotRow]:
    async with store.transaction() as session:
        query = select(StorySnapshotRow).order_by(StorySnapshotRow.channel_id, StorySnapshotRow.story_key)
        return list((await session.execute(query)).scalars())


async def test_the_next_digest_says_what_changed_with_the_engine_diff_across_a_restart(
    store: Store, store_spec: StoreSpec, analyze
) -> None:  # type: ignore[no-untyped-def]
    clock = FixedClock(datetime(2026, 1, 13, 12, 0, tzinfo=UTC))
    feed_id = await setup_channel(store, clock, NEWS)
    await add_article(store, feed_id, analyze, SLIDE, "2026-01-13T09:00:00", clock.now())
    platform = RecordingDelivery()
    clock.set(datetime(2026, 1, 14, 7, 0, tzinfo=UTC))
    await DigestRunner(store, platform, clock).run_due()
    (first,) = platform.digests()[0].items
    assert first.first_time and first.whats_new == []
    (row,) = await snapshot_rows(store)  # what the channel was shown, per channel and story
    assert row.story_key == first.key and row.shown_at == clock.now()
    assert [d.covered for d in await delivery_rows(store)] == [{"stories": [first.key]}]

    await setup_channel(store, clock, OTHER)  # a channel that never saw the story
    await add_article(
        store, feed_id, analyze, SLIDE_UPDATE, "2026-01-15T09:00:00", datetime(2026, 1, 15, 10, tzinfo=UTC)
    )
    restarted = store_spec.open()  # the snapshot is read back from the store, not from memory
    try:
        clock.set(datetime(2026, 1, 16, 7, 0, tzinfo=UTC))
        await DigestRunner(restarted, platform, clock).run_due()
        by_channel = {m.channel: m for m in platform.digests()[1:]}
        (again,) = by_channel[NEWS].items
        (fresh,) = by_channel[OTHER].items
        assert not again.first_time and fresh.first_time and fresh.whats_new == []
        # Exactly the engine's diff against what the channel was shown yesterday, in words.
        assert again.whats_new == whats_new_lines(story_changes(again.story, snapshot_story(first.story)))
        assert "death toll: now 7 (the regional council), was at least 4" in again.whats_new
        assert any(line.startswith("New in the story: ") and "Fjell" in line for line in again.whats_new)
        assert "1 new source" in again.whats_new
        assert f"New headline: {again.story.headline}" in again.whats_new
        blocks = digest_reply(by_channel[NEWS]).blocks
        said = blocks.index(Paragraph(text="Since the last digest:"))
        assert isinstance(blocks[said + 1], BulletList)
        assert blocks[said + 1].items == again.whats_new
        rows = await snapshot_rows(restarted)
        assert sorted((r.channel_id, r.story_key) for r in rows) == sorted(
            {(r.channel_id, r.story_key) for r in rows}
        )
        assert len(rows) == 2  # one per channel and story, replaced rather than added to
    finally:
        await restarted.close()


def test_a_story_whose_key_changed_is_recognised_by_its_articles(analyze) -> None:  # type: ignore[no-untyped-def]
    first = analyze(SLIDE, published="2026-01-13T09:00:00", title="Landslide buries road near Halvik")
    first.article.id = "a1"
    update = analyze(SLIDE_UPDATE, published="2026-01-15T09:00:00", title="Halvik landslide toll rises")
    update.article.id = "a2"
    fetched = datetime(2026, 1, 15, 10, tzinfo=UTC)
    pool = StoryPool([StoredArticle(1, 1, fetched, first), StoredArticle(2, 1, fetched, update)])
    (pooled,) = pool.stories
    yesterday = StoryPool([StoredArticle(1, 1, fetched, first)]).stories[0].story
    # The snapshot was kept under another key (the story's first article had changed): its articles match.
    kept = snapshot_story(yesterday).model_dump_json()
    request = DigestRequest(1, [1], TopicFilter(), 5, since=None, snapshots={"st-elsewhere": kept})
    (item,) = pool.select(request).items
    assert not item.first_time
    assert "1 new source" in item.whats_new and item.key == pooled.key
    unrelated = snapshot_story(yesterday).model_copy(update={"articles": ["a99"]}).model_dump_json()
    (new,) = pool.select(DigestRequest(1, [1], TopicFilter(), 5, None, {"st-other": unrelated})).items
    assert new.first_time


def test_new_reported_speech_is_never_shown_as_a_quote() -> None:
    from briefings.models import Quote, StoryQuote
    from briefings.stories.changes import StoryChanges

    def quote(text: str, speaker: str, direct: bool, cue: str | None = None) -> StoryQuote:
        found = Quote(text=text, speaker=speaker, start=0, end=1, sentence=0, direct=direct, cue=cue)
        return StoryQuote(quote=found, article="a2", articles=["a2"])

    changes = StoryChanges(
        story="s1",
        name="Halvik landslide",
        headline="Halvik landslide toll rises",
        new_articles=["a2"],
        new_quotes=[
            quote("We warned them in March", "Anders Fjell", direct=True),
            quote("the road would stay shut all winter", "the regional council", direct=False, cue="denied"),
        ],
    )
    lines = whats_new_lines(changes)
    assert "Anders Fjell: “We warned them in March”" in lines
    assert "The regional council denied the road would stay shut all winter" in lines


# What a scraper kept of a page: its furniture, no news.
FURNITURE = (
    "Please enable JavaScript in your browser to view this page. Sign in or create an account to keep "
    "reading. Share this page with your friends."
)


def test_an_unplaced_page_without_news_is_in_no_story_of_the_pool(analyze) -> None:  # type: ignore[no-untyped-def]
    report = analyze(SLIDE, published="2026-01-13T09:00:00", title="Landslide buries road near Halvik")
    report.article.id = "a1"
    page = analyze(FURNITURE, published="2026-01-13T09:30:00")
    page.article.id = "a2"
    fetched = datetime(2026, 1, 13, 10, tzinfo=UTC)
    pool = StoryPool([StoredArticle(1, 1, fetched, report), StoredArticle(2, 1, fetched, page)])
    (pooled,) = pool.stories
    assert pooled.story.articles == ["a1"]
