"""Articles read from feeds: de-duplication keys, storage, and reading them back for digests."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.store.models import ArticleRow

_CHUNK = 500


async def known_urls(session: AsyncSession, canonical_urls: Iterable[str]) -> set[str]:
    """Which of the canonical URLs are stored already."""
    urls = list(set(canonical_urls))
    found: set[str] = set()
    for start in range(0, len(urls), _CHUNK):
        chunk = urls[start : start + _CHUNK]
        rows = await session.execute(
            select(ArticleRow.canonical_url).where(ArticleRow.canonical_url.in_(chunk))
        )
        found.update(url for url in rows.scalars() if url is not None)
    return found


async def known_hashes(session: AsyncSession, hashes: Iterable[str]) -> set[str]:
    """Which of the content hashes are stored already."""
    wanted = list(set(hashes))
    found: set[str] = set()
    for start in range(0, len(wanted), _CHUNK):
        chunk = wanted[start : start + _CHUNK]
        rows = await session.execute(
            select(ArticleRow.content_hash).where(ArticleRow.content_hash.in_(chunk))
        )
        found.update(rows.scalars())
    return found


async def articles_since(
    session: AsyncSession, feed_ids: Iterable[int], since: datetime | None, until: datetime
) -> Sequence[ArticleRow]:
    """Articles fetched from the feeds in (since, until], oldest first."""
    ids = sorted(set(feed_ids))
    if not ids:
        return []
    rows: list[ArticleRow] = []
    for start in range(0, len(ids), _CHUNK):
        query = select(ArticleRow).where(
            ArticleRow.feed_id.in_(ids[start : start + _CHUNK]), ArticleRow.fetched_at <= until
        )
        if since is not None:
            query = query.where(ArticleRow.fetched_at > since)
        rows.extend((await session.execute(query)).scalars())
    return sorted(rows, key=lambda row: (row.fetched_at, row.id))
