"""Messages an adapter posted, by idempotency key, for platforms that keep no history to ask (the console)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.store.models import PostedMessage


async def find_posted(session: AsyncSession, idempotency_key: str) -> PostedMessage | None:
    """The message posted with this key, if one was."""
    query = select(PostedMessage).where(PostedMessage.idempotency_key == idempotency_key)
    return (await session.execute(query)).scalar_one_or_none()


async def record_posted(
    session: AsyncSession, platform: str, channel: str, idempotency_key: str, now: datetime
) -> PostedMessage:
    """Remember that the message with this key was posted (the caller's transaction commits it)."""
    row = PostedMessage(
        platform=platform, channel=channel[:200], idempotency_key=idempotency_key, posted_at=now
    )
    session.add(row)
    await session.flush()
    return row
