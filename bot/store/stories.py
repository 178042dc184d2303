"""The story memory in the store: the queue of articles to place, their places, the stories, the index state.

Which articles form a story is decided once, for every tenant (`bot.stories.memory`); what one channel sees
of a story is read here only through its own feeds' links (`story_findings`), as every other article read is.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import cast

from sqlalchemy import Select, Table, bindparam, case, delete, func, insert, select, text, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.store.articles import FoundArticle
from bot.store.db import Store
from bot.store.models import (
    ArticleRow,
    FeedArticle,
    StoryArticle,
    StoryIndexDelta,
    StoryIndexSnapshot,
    StoryQueueEntry,
    StoryRow,
)

_CHUNK = 500
_STATE_ROW = 1
# The index state's tables: a base rewritten whole, deltas dropped in bulk (`reclaim_space` after each).
STATE_TABLES = ("story_index_state", "story_index_deltas")
# What every batch rewrites or deletes rows of: a story's row each time articles join it (its count, its
# last article), the queue as it empties, the places a merge moves (`StoryMemory.vacuum_every`).
CHURNED_TABLES = ("stories", "story_queue", "story_articles")
# What a prune drops rows of (directly or by cascade).
PRUNED_TABLES = ("articles", "feed_articles", "story_articles", "stories", "story_queue")


@dataclass(frozen=True)
class QueuedArticle:
    """An article waiting for its story (or one replayed from the log): its row, analysis and time."""

    article_id: int
    analysis: str
    fetched_at: datetime
    seq: int | None = None
    story_id: str | None = None


@dataclass(frozen=True)
class MemoryTurns:
    """Where the index state stands: the turn its snapshot holds, the last turn handed out, its version."""

    seq: int
    head: int
    version: int


def _chunks(values: Iterable[object]) -> Iterable[list[object]]:
    unique = sorted(set(values), key=str)
    for start in range(0, len(unique), _CHUNK):
        yield unique[start : start + _CHUNK]


def queue(article_id: int) -> StoryQueueEntry:
    """A queue entry for an article just stored (added in the same transaction as the article)."""
    return StoryQueueEntry(article_id=article_id)


async def has_queued(session: AsyncSession) -> bool:
    """Whether any stored article waits for its story."""
    return (await session.execute(select(StoryQueueEntry.article_id).limit(1))).first() is not None


async def stored_state_bytes(session: AsyncSession) -> int:
    """How many bytes the stored index state takes (its base and the deltas after it, compressed): what a
    process loads before it places its first article."""
    base = (await session.execute(select(func.coalesce(func.length(StoryIndexSnapshot.state), 0)))).scalar()
    deltas = (
        await session.execute(select(func.coalesce(func.sum(func.length(StoryIndexDelta.state)), 0)))
    ).scalar()
    return int(base or 0) + int(deltas or 0)


async def lock_memory(session: AsyncSession) -> MemoryTurns:
    """Take the memory's lock for this transaction (one indexer at a time, across processes) and read its turns.

    PostgreSQL: a transaction-scoped advisory lock per schema, released at commit, rollback, or when the
    connection dies. SQLite: a write to the state row, which takes the database's single write lock.
    """
    if session.get_bind().dialect.name == "postgresql":
        await session.execute(
            text("SELECT pg_advisory_xact_lock(hashtext(current_schema() || '.briefbot.story_memory'))")
        )
    else:
        await session.execute(
            update(StoryIndexSnapshot)
            .where(StoryIndexSnapshot.id == _STATE_ROW)
            .values(head=StoryIndexSnapshot.head)
        )
    row = (
        await session.execute(
            select(StoryIndexSnapshot.seq, StoryIndexSnapshot.head, StoryIndexSnapshot.version).where(
                StoryIndexSnapshot.id == _STATE_ROW
            )
        )
    ).one()
    return MemoryTurns(seq=row.seq, head=row.head, version=row.version)


async def read_snapshot(session: AsyncSession) -> tuple[int, int, bytes | None]:
    """The stored index state: its version, the turn it holds, and its compressed JSON (None: none yet)."""
    row = (
        await session.execute(
            select(StoryIndexSnapshot.version, StoryIndexSnapshot.seq, StoryIndexSnapshot.state).where(
                StoryIndexSnapshot.id == _STATE_ROW
            )
        )
    ).one()
    return row.version, row.seq, row.state


async def write_snapshot(
    session: AsyncSession, version: int, seq: int, state: bytes | None, taken_at: datetime
) -> None:
    """Replace the stored index state with the one as of turn `seq`."""
    await session.execute(
        update(StoryIndexSnapshot)
        .where(StoryIndexSnapshot.id == _STATE_ROW)
        .values(version=version, seq=seq, state=state, taken_at=taken_at)
    )


async def read_deltas(session: AsyncSession, after: int) -> list[tuple[int, bytes]]:
    """The index-state deltas written after turn `after`, in order, each with its turn."""
    rows = await session.execute(
        select(StoryIndexDelta.seq, StoryIndexDelta.state)
        .where(StoryIndexDelta.seq > after)
        .order_by(StoryIndexDelta.seq)
    )
    return [(seq, state) for seq, state in rows]


async def write_delta(session: AsyncSession, seq: int, state: bytes) -> None:
    """Store what a batch changed in the index's state, as of turn `seq`."""
    session.add(StoryIndexDelta(seq=seq, state=state))
    await session.flush()


async def drop_deltas(session: AsyncSession, up_to: int | None = None) -> None:
    """Drop the deltas up to turn `up_to` (all of them: None), e.g. those a new base holds."""
    query = delete(StoryIndexDelta)
    if up_to is not None:
        query = query.where(StoryIndexDelta.seq <= up_to)
    await session.execute(query)


async def set_head(session: AsyncSession, head: int) -> None:
    """Record the last turn handed out."""
    await session.execute(
        update(StoryIndexSnapshot).where(StoryIndexSnapshot.id == _STATE_ROW).values(head=head)
    )


async def queued(session: AsyncSession, limit: int) -> list[QueuedArticle]:
    """The oldest articles waiting for their story, with their analyses.

    The oldest are taken from the queue first, then their rows read by id: joined and limited at once, a
    planner walks the articles in order from the first ever stored until it meets the queued ones (a cost
    per batch that grew with every article kept: 21 ms at 12,000).
    """
    rows = await session.execute(queued_query(limit))
    return [QueuedArticle(article_id, analysis, fetched_at) for article_id, analysis, fetched_at in rows]


def queued_query(limit: int) -> Select[int, str, datetime]:
    """The query `queued` runs: the oldest `limit` queue entries, then their articles by id."""
    oldest = select(StoryQueueEntry.article_id).order_by(StoryQueueEntry.article_id).limit(limit)
    return (
        select(ArticleRow.id, ArticleRow.analysis, ArticleRow.fetched_at)
        .where(ArticleRow.id.in_(oldest.scalar_subquery()))
        .order_by(ArticleRow.id)
    )


async def dequeue(session: AsyncSession, article_ids: Sequence[int]) -> None:
    """Take placed articles off the queue."""
    for chunk in _chunks(article_ids):
        await session.execute(delete(StoryQueueEntry).where(StoryQueueEntry.article_id.in_(chunk)))


async def log_since(session: AsyncSession, seq: int, limit: int) -> list[QueuedArticle]:
    """The articles placed after turn `seq`, in turn order, with their analyses (to replay into an index)."""
    rows = await session.execute(
        select(
            StoryArticle.article_id,
            ArticleRow.analysis,
            ArticleRow.fetched_at,
            StoryArticle.seq,
            StoryArticle.story_id,
        )
        .join(ArticleRow, ArticleRow.id == StoryArticle.article_id)
        .where(StoryArticle.seq > seq)
        .order_by(StoryArticle.seq)
        .limit(limit)
    )
    return [QueuedArticle(*row) for row in rows]


async def story_exists(session: AsyncSession, story_id: str) -> bool:
    """Whether the memory keeps a story with this id (open, closed or merged)."""
    return (await session.get(StoryRow, story_id)) is not None


async def existing_stories(session: AsyncSession, story_ids: Iterable[str]) -> set[str]:
    """Those of the ids the memory keeps a story under (open, closed or merged)."""
    found: set[str] = set()
    for chunk in _chunks(story_ids):
        found.update((await session.execute(select(StoryRow.id).where(StoryRow.id.in_(chunk)))).scalars())
    return found


@dataclass(frozen=True)
class Placed:
    """An article's place in a story, as the memory decided it: written with the rest of its batch."""

    article_id: int
    story_id: str
    seq: int
    duplicate_of: int | None
    at: datetime


async def place_all(session: AsyncSession, placed: Sequence[Placed]) -> None:
    """Record a batch's places (each article's turn `seq`, in order) and count them in their stories: one
    insert for the places, one read of the stories they join, whatever the batch's size."""
    if not placed:
        return
    await session.execute(
        insert(StoryArticle),
        [
            {"article_id": p.article_id, "story_id": p.story_id, "seq": p.seq, "duplicate_of": p.duplicate_of}
            for p in placed
        ],
    )
    by_story: dict[str, list[Placed]] = {}
    for p in placed:
        by_story.setdefault(p.story_id, []).append(p)
    kept: dict[str, StoryRow] = {}
    for chunk in _chunks(by_story):
        rows = await session.execute(select(StoryRow).where(StoryRow.id.in_(chunk)))
        kept.update((row.id, row) for row in rows.scalars())
    for story_id, joined in by_story.items():
        latest = max(p.at for p in joined)
        story = kept.get(story_id)
        if story is None:
            session.add(
                StoryRow(
                    id=story_id,
                    opened_at=joined[0].at,
                    last_article_at=latest,
                    articles=len(joined),
                    closed=False,
                )
            )
            continue
        story.articles += len(joined)
        story.closed = False
        story.merged_into = None
        if latest > story.last_article_at:
            story.last_article_at = latest
    await session.flush()


async def move(session: AsyncSession, article_id: int, story_id: str) -> None:
    """Correct an article's story (a rebuilt index placed it elsewhere)."""
    await session.execute(
        update(StoryArticle).where(StoryArticle.article_id == article_id).values(story_id=story_id)
    )


async def merge_all(
    session: AsyncSession, merges: Sequence[tuple[str, str]], ends: Mapping[str, str]
) -> None:
    """Move every article of each absorbed story into the story that kept it, each (absorbed, kept) in the
    order the index made them (a story kept by one merge may be absorbed by a later one): its articles, and
    any story pointing at it, end at `ends[absorbed]` (`StoryIndex.merged_into`). A few statements for a
    batch's merges, whatever their number: one round trip each used to cost about a millisecond, and the
    stories an index closes each day (each first offered to a story still open) made hundreds of merges a day."""
    if not merges:
        return
    final = {absorbed: ends[absorbed] for absorbed, _ in merges}
    for chunk in _chunks(final):
        moved = {str(absorbed): final[str(absorbed)] for absorbed in chunk}
        await session.execute(
            update(StoryArticle)
            .where(StoryArticle.story_id.in_(chunk))
            .values(story_id=case(moved, value=StoryArticle.story_id))
            # The places are written by a plain insert: the session holds none of them to update.
            .execution_options(synchronize_session=False)
        )
        # Stories that pointed at an absorbed one (merged in an earlier batch) now point further.
        await session.execute(
            update(StoryRow)
            .where(StoryRow.merged_into.in_(chunk))
            .values(merged_into=case(moved, value=StoryRow.merged_into))
            .execution_options(synchronize_session="fetch")
        )
    rows: dict[str, _MergedRow] = {}
    for chunk in _chunks({story for merge in merges for story in merge}):
        found = await session.execute(
            select(
                StoryRow.id,
                StoryRow.articles,
                StoryRow.opened_at,
                StoryRow.last_article_at,
                StoryRow.closed,
                StoryRow.merged_into,
            ).where(StoryRow.id.in_(chunk))
        )
        rows.update((row.id, _MergedRow(*row[1:])) for row in found)
    for absorbed, kept in merges:
        gone, keep = rows.get(absorbed), rows.get(kept)
        if gone is None or keep is None:
            continue
        keep.articles += gone.articles
        keep.opened_at = min(keep.opened_at, gone.opened_at)
        keep.last_article_at = max(keep.last_article_at, gone.last_article_at)
        gone.articles = 0
        gone.closed = True
        gone.merged_into = final[absorbed]
    if not rows:
        return
    table = cast(Table, StoryRow.__table__)
    touched = [
        {
            "story": story,
            "count": row.articles,
            "opened": row.opened_at,
            "latest": row.last_article_at,
            "shut": row.closed,
            "into": row.merged_into,
        }
        for story, row in rows.items()
    ]
    # One statement for every story a merge changed (kept: its counts and span; absorbed: emptied, closed,
    # pointing at the chain's end); the session's copies of them are read again if used.
    await session.execute(
        update(table)
        .where(table.c.id == bindparam("story"))
        .values(
            articles=bindparam("count"),
            opened_at=bindparam("opened"),
            last_article_at=bindparam("latest"),
            closed=bindparam("shut"),
            merged_into=bindparam("into"),
        ),
        touched,
    )
    for held in list(session.identity_map.values()):
        if isinstance(held, StoryRow) and held.id in rows:
            session.expire(held)


@dataclass
class _MergedRow:
    """What a merge changes of a story row, as the batch's merges are applied one after another."""

    articles: int
    opened_at: datetime
    last_article_at: datetime
    closed: bool
    merged_into: str | None


async def close(session: AsyncSession, story_ids: Sequence[str]) -> None:
    """Mark stories closed (no article will join them); they stay answerable until pruned."""
    for chunk in _chunks(story_ids):
        await session.execute(update(StoryRow).where(StoryRow.id.in_(chunk)).values(closed=True))


async def find_story(session: AsyncSession, story_id: str) -> StoryRow | None:
    """The kept story with this id, followed to the story it was merged into."""
    seen: set[str] = set()
    story = await session.get(StoryRow, story_id)
    while story is not None and story.merged_into is not None and story.id not in seen:
        seen.add(story.id)
        story = await session.get(StoryRow, story.merged_into)
    return story


async def stories_of_articles(session: AsyncSession, article_ids: Iterable[int]) -> dict[int, str]:
    """The story of each of the articles that has one."""
    found: dict[int, str] = {}
    for chunk in _chunks(article_ids):
        rows = await session.execute(
            select(StoryArticle.article_id, StoryArticle.story_id).where(StoryArticle.article_id.in_(chunk))
        )
        found.update((article_id, story_id) for article_id, story_id in rows)
    return found


async def active_stories(
    session: AsyncSession, feed_ids: Sequence[int], since: datetime, until: datetime
) -> dict[str, int]:
    """The stories the feeds brought articles of in (since, until], each with how many such links."""
    if not feed_ids:
        return {}
    rows = await session.execute(
        select(StoryArticle.story_id, func.count())
        .join(FeedArticle, FeedArticle.article_id == StoryArticle.article_id)
        .where(FeedArticle.feed_id.in_(list(feed_ids)), FeedArticle.found_at > since)
        .where(FeedArticle.found_at <= until)
        .group_by(StoryArticle.story_id)
    )
    return {story_id: int(count) for story_id, count in rows}


async def placed_since(
    session: AsyncSession, feed_ids: Sequence[int], since: datetime
) -> tuple[int | None, int]:
    """What tells that the stories the feeds brought news of since then changed: the last turn that placed
    one of their articles, and how many of their links are placed (an article placed later, from a backlog,
    changes it too)."""
    if not feed_ids:
        return None, 0
    latest, count = (
        await session.execute(
            select(func.max(StoryArticle.seq), func.count())
            .join(FeedArticle, FeedArticle.article_id == StoryArticle.article_id)
            .where(FeedArticle.feed_id.in_(list(feed_ids)), FeedArticle.found_at > since)
        )
    ).one()
    return latest, int(count or 0)


@dataclass(frozen=True)
class StoryFinding:
    """An article of a story as one feed found it (`FoundArticle`), with the story and what it reprints."""

    story_id: str
    found: FoundArticle
    duplicate_of: int | None


async def story_findings(
    session: AsyncSession,
    story_ids: Iterable[str],
    feed_ids: Iterable[int],
    until: datetime,
    whole_lives: bool = False,
) -> list[StoryFinding]:
    """Every article of the stories that the feeds found up to `until`, once per feed that found it: what a
    channel following those feeds sees of them (another feed's articles never come back).

    Read from the feeds' links (by feed and time), each joined to its story: a story's index is kept out of
    the plan (`story_id || ''`), or a planner without statistics reads every article of the stories and
    looks each up under every feed asked for (a digest run's thousands of feeds: seconds per query).
    `whole_lives`: a few stories read over their whole lives (one asked for by id or title) are read the
    other way round (`_whole_lives`).
    """
    feeds = sorted(set(feed_ids))
    found: list[StoryFinding] = []
    if not feeds:
        return found
    if whole_lives:
        return await _whole_lives(session, story_ids, feeds, until)
    for chunk in _chunks(story_ids):
        for feed_chunk in _chunks(feeds):
            query = (
                select(StoryArticle.story_id, StoryArticle.duplicate_of, ArticleRow, FeedArticle)
                .select_from(FeedArticle)
                .join(StoryArticle, StoryArticle.article_id == FeedArticle.article_id)
                .join(ArticleRow, ArticleRow.id == FeedArticle.article_id)
                .where(FeedArticle.feed_id.in_(feed_chunk), FeedArticle.found_at <= until)
                .where((StoryArticle.story_id + "").in_(chunk))
            )
            for story_id, duplicate_of, row, link in await session.execute(query):
                finding = FoundArticle(row, link.feed_id, link.found_at, link.url, link.outlet, link.source)
                found.append(StoryFinding(story_id, finding, duplicate_of))
    return _in_found_order(found)


async def _whole_lives(
    session: AsyncSession, story_ids: Iterable[str], feeds: Sequence[int], until: datetime
) -> list[StoryFinding]:
    """`story_findings` of a few stories over their whole lives: the stories' own articles first (by the
    story index), then those articles' links to these feeds (by article). Read from the feeds, a story of
    weeks cost every link the feeds brought in those weeks (180,000 at 2,000 articles a day)."""
    members: dict[int, tuple[str, int | None]] = {}
    for chunk in _chunks(story_ids):
        rows = await session.execute(
            select(StoryArticle.article_id, StoryArticle.story_id, StoryArticle.duplicate_of).where(
                StoryArticle.story_id.in_(chunk)
            )
        )
        members.update((article_id, (story_id, duplicate)) for article_id, story_id, duplicate in rows)
    found: list[StoryFinding] = []
    for ids in _chunks(members):
        for feed_chunk in _chunks(feeds):
            for row, link in await session.execute(member_links_query(ids, feed_chunk, until)):
                story_id, duplicate_of = members[row.id]
                finding = FoundArticle(row, link.feed_id, link.found_at, link.url, link.outlet, link.source)
                found.append(StoryFinding(story_id, finding, duplicate_of))
    return _in_found_order(found)


def member_links_query(
    article_ids: Sequence[object], feed_ids: Sequence[object], until: datetime
) -> Select[ArticleRow, FeedArticle]:
    """These articles with their links to these feeds up to `until`, found by article (the feeds' index
    kept out of the plan: `feed_id + 0`)."""
    return (
        select(ArticleRow, FeedArticle)
        .join(FeedArticle, FeedArticle.article_id == ArticleRow.id)
        .where(FeedArticle.article_id.in_(article_ids), (FeedArticle.feed_id + 0).in_(feed_ids))
        .where(FeedArticle.found_at <= until)
    )


def _in_found_order(found: list[StoryFinding]) -> list[StoryFinding]:
    return sorted(found, key=lambda f: (f.found.found_at, f.found.row.id, f.found.feed_id))


async def search_titles(
    session: AsyncSession, feed_ids: Sequence[int], words: Sequence[str], limit: int = 20
) -> list[str]:
    """The kept stories, newest first, with an article of these feeds whose title holds every word."""
    if not feed_ids or not words:
        return []
    query = (
        select(StoryArticle.story_id, func.max(FeedArticle.found_at).label("latest"))
        .join(ArticleRow, ArticleRow.id == StoryArticle.article_id)
        .join(FeedArticle, FeedArticle.article_id == StoryArticle.article_id)
        .where(FeedArticle.feed_id.in_(list(feed_ids)))
    )
    for word in words:
        escaped = word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        query = query.where(func.lower(ArticleRow.title).like(f"%{escaped.lower()}%", escape="\\"))
    rows = await session.execute(
        query.group_by(StoryArticle.story_id).order_by(text("latest DESC")).limit(limit)
    )
    return [story_id for story_id, _ in rows]


async def prune(session: AsyncSession, before: datetime) -> tuple[int, int]:
    """Drop the stories whose last article came before the time, with their articles; returns (stories,
    articles) dropped. An article of a kept story stays, whatever its age."""
    old = [
        story_id
        for (story_id,) in await session.execute(select(StoryRow.id).where(StoryRow.last_article_at < before))
    ]
    articles = 0
    for chunk in _chunks(old):
        ids = [
            article_id
            for (article_id,) in await session.execute(
                select(StoryArticle.article_id).where(StoryArticle.story_id.in_(chunk))
            )
        ]
        for id_chunk in _chunks(ids):
            result = await session.execute(delete(ArticleRow).where(ArticleRow.id.in_(id_chunk)))
            articles += int(getattr(result, "rowcount", 0) or 0)
        await session.execute(delete(StoryRow).where(StoryRow.id.in_(chunk)))
    return len(old), articles


async def reclaim_space(store: Store, tables: Sequence[str]) -> None:
    """Let the space of the rows just rewritten or dropped in these tables be used again.

    PostgreSQL keeps a rewritten row's old version (a base is megabytes of TOAST) until VACUUM marks it
    free, and autovacuum comes too seldom for a base rewritten every few hundred articles: the files grew
    by a dead base each time. VACUUM (not FULL: no lock against readers or writers) runs outside any
    transaction. SQLite reuses a freed page at the next write by itself: nothing to do.
    """
    if store.dialect != "postgresql":
        return
    async with store.engine.connect() as connection:
        autocommit = await connection.execution_options(isolation_level="AUTOCOMMIT")
        await autocommit.execute(text("VACUUM " + ", ".join(tables)))
