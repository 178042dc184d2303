"""The audit log of configuration changes: who, when, old value and new value."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.identity import Caller
from bot.store.models import AuditEntry


def record_change(
    session: AsyncSession,
    channel_id: int | None,
    caller: Caller,
    action: str,
    old: Any,
    new: Any,
    now: datetime,
) -> AuditEntry:
    """Add an audit entry in the caller's transaction, so the change and its record commit together."""
    entry = AuditEntry(
        channel_id=channel_id,
        at=now,
        actor_id=caller.user_id,
        actor_name=caller.display_name,
        action=action,
        old=old,
        new=new,
    )
    session.add(entry)
    return entry


async def channel_history(session: AsyncSession, channel_id: int, limit: int = 50) -> Sequence[AuditEntry]:
    """The most recent configuration changes of a channel, newest first."""
    query = (
        select(AuditEntry)
        .where(AuditEntry.channel_id == channel_id)
        .order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
        .limit(limit)
    )
    return (await session.execute(query)).scalars().all()
