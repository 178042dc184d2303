"""Articles and the feeds that carry them: de-duplication keys, storage, and reading them back per feed.

An article is stored once (its words are its identity) and linked to every feed that carries it; it is only
ever read back through those links, so a feed's articles are exactly the ones it brought.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.store.models import ArticleRow, FeedArticle, StoryQueueEntry

_CHUNK = 500


@dataclass(frozen=True)
class FoundArticle:
    """An article as one feed found it: the stored row, the feed, when it found it, and how it presents it."""

    row: ArticleRow
    feed_id: int
    found_at: datetime
    url: str | None
    outlet: str | None
    source: str


def _chunks(values: Iterable[object]) -> Iterable[list[object]]:
    unique = sorted(set(values), key=str)
    for start in range(0, len(unique), _CHUNK):
        yield unique[start : start + _CHUNK]


async def urls_of_feed(session: AsyncSession, feed_id: int, canonical_urls: Iterable[str]) -> set[str]:
    """Which of the canonical URLs the feed has brought already (another feed's do not count)."""
    found: set[str] = set()
    for chunk in _chunks(canonical_urls):
        rows = await session.execute(
            select(ArticleRow.canonical_url)
            .join(FeedArticle, FeedArticle.article_id == ArticleRow.id)
            .where(FeedArticle.feed_id == feed_id, ArticleRow.canonical_url.in_(chunk))
        )
        found.update(url for url in rows.scalars() if url is not None)
    return found


async def articles_by_hash(session: AsyncSession, hashes: Iterable[str]) -> dict[str, int]:
    """The stored article of each content hash that is stored already (from whichever feed)."""
    found: dict[str, int] = {}
    for chunk in _chunks(hashes):
        rows = await session.execute(
            select(ArticleRow.content_hash, ArticleRow.id).where(ArticleRow.content_hash.in_(chunk))
        )
        found.update((digest, article_id) for digest, article_id in rows)
    return found


async def linked_to_feed(session: AsyncSession, feed_id: int, article_ids: Iterable[int]) -> set[int]:
    """Which of the articles the feed carries already."""
    found: set[int] = set()
    for chunk in _chunks(article_ids):
        rows = await session.execute(
            select(FeedArticle.article_id).where(
                FeedArticle.feed_id == feed_id, FeedArticle.article_id.in_(chunk)
            )
        )
        found.update(rows.scalars())
    return found


async def articles_since(
    session: AsyncSession, feed_ids: Iterable[int], since: datetime | None, until: datetime
) -> list[FoundArticle]:
    """The articles the feeds found in (since, until], once per feed that found one, oldest finding first."""
    found: list[FoundArticle] = []
    for chunk in _chunks(feed_ids):
        query = (
            select(ArticleRow, FeedArticle)
            .join(FeedArticle, FeedArticle.article_id == ArticleRow.id)
            .where(FeedArticle.feed_id.in_(chunk), FeedArticle.found_at <= until)
        )
        if since is not None:
            query = query.where(FeedArticle.found_at > since)
        for row, link in await session.execute(query):
            found.append(FoundArticle(row, link.feed_id, link.found_at, link.url, link.outlet, link.source))
    return sorted(found, key=lambda f: (f.found_at, f.row.id, f.feed_id))


async def newest_since(
    session: AsyncSession, feed_ids: Sequence[int], since: datetime
) -> tuple[int | None, int]:
    """What tells that the feeds' articles since then changed: the newest article linked, and the links."""
    if not feed_ids:
        return None, 0
    newest, count = (
        await session.execute(
            select(func.max(FeedArticle.article_id), func.count()).where(
                FeedArticle.feed_id.in_(feed_ids), FeedArticle.found_at > since
            )
        )
    ).one()
    return newest, int(count or 0)


def link(
    feed_id: int,
    article_id: int,
    found_at: datetime,
    url: str | None,
    outlet: str | None,
    source: str,
) -> FeedArticle:
    """A new link of an article to a feed that carries it."""
    return FeedArticle(
        feed_id=feed_id, article_id=article_id, found_at=found_at, url=url, outlet=outlet, source=source
    )


async def add_article(
    session: AsyncSession, row: ArticleRow, feed_id: int, outlet: str | None, source: str
) -> ArticleRow:
    """Store a new article, link it to the feed that found it (when it was fetched, at the row's URL), and
    queue it for the story memory (in the same transaction: an article stored is an article placed)."""
    session.add(row)
    await session.flush()
    session.add(link(feed_id, row.id, row.fetched_at, row.url, outlet, source))
    session.add(StoryQueueEntry(article_id=row.id))
    await session.flush()
    return row
