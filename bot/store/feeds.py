"""Feeds: finding, following, polling state and health."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.store.models import ChannelFeed, Feed


async def find_feed(session: AsyncSession, url: str) -> Feed | None:
    """The stored feed with this canonical URL."""
    return (await session.execute(select(Feed).where(Feed.url == url))).scalar_one_or_none()


async def get_or_create_feed(
    session: AsyncSession, url: str, now: datetime, interval_s: int, title: str | None = None
) -> Feed:
    """The feed at the canonical URL, stored (due now) the first time any channel follows it."""
    feed = await find_feed(session, url)
    if feed is None:
        feed = Feed(url=url, title=title, interval_s=interval_s, next_poll_at=now, created_at=now)
        session.add(feed)
        await session.flush()
    elif feed.disabled:
        # A channel asking for it again is a reason to try again.
        feed.disabled = False
        feed.consecutive_failures = 0
        feed.next_poll_at = now
    return feed


async def is_following(session: AsyncSession, channel_id: int, feed_id: int) -> bool:
    """Whether the channel follows the feed."""
    row = await session.get(ChannelFeed, (channel_id, feed_id))
    return row is not None


async def due_feeds(session: AsyncSession, now: datetime, limit: int = 10_000) -> Sequence[Feed]:
    """Feeds whose next poll time has come and that at least one channel follows, most overdue first."""
    followed = select(ChannelFeed.feed_id).where(ChannelFeed.feed_id == Feed.id).exists()
    query = (
        select(Feed)
        .where(Feed.next_poll_at <= now, Feed.disabled.is_(False), followed)
        .order_by(Feed.next_poll_at, Feed.id)
        .limit(limit)
    )
    return (await session.execute(query)).scalars().all()


async def follower_counts(session: AsyncSession, feed_ids: Sequence[int]) -> dict[int, int]:
    """How many channels follow each feed."""
    if not feed_ids:
        return {}
    rows = await session.execute(
        select(ChannelFeed.feed_id, func.count())
        .where(ChannelFeed.feed_id.in_(feed_ids))
        .group_by(ChannelFeed.feed_id)
    )
    return {feed_id: count for feed_id, count in rows.tuples()}
