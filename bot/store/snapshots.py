"""Story snapshots: what each channel's digests last showed of each story, for "since the last digest"."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from bot.store.models import StorySnapshotRow

_CHUNK = 2000


async def snapshots_by_channel(
    session: AsyncSession, channel_ids: Sequence[int]
) -> dict[int, dict[str, str]]:
    """Each channel's snapshots as JSON text, by story key (channels with none are left out).

    Channels shown the same story hold the same text: it is kept once, however many rows carry it.
    """
    found: dict[int, dict[str, str]] = defaultdict(dict)
    distinct: dict[str, str] = {}
    for start in range(0, len(channel_ids), _CHUNK):
        chunk = channel_ids[start : start + _CHUNK]
        rows = await session.execute(
            select(StorySnapshotRow.channel_id, StorySnapshotRow.story_key, StorySnapshotRow.snapshot).where(
                StorySnapshotRow.channel_id.in_(chunk)
            )
        )
        for channel_id, story_key, snapshot in rows:
            found[channel_id][story_key] = distinct.setdefault(snapshot, snapshot)
    return dict(found)


async def save_snapshots(
    session: AsyncSession, shown: Sequence[tuple[int, str, str]], shown_at: datetime
) -> None:
    """Write (channel, story key, snapshot JSON) rows, replacing what those channels had of those stories."""
    if not shown:
        return
    rows = [
        {"channel_id": channel_id, "story_key": key, "snapshot": snapshot, "shown_at": shown_at}
        for channel_id, key, snapshot in shown
    ]
    dialect = session.get_bind().dialect.name
    insert = postgresql_insert if dialect == "postgresql" else sqlite_insert
    statement = insert(StorySnapshotRow)
    upsert = statement.on_conflict_do_update(
        index_elements=[StorySnapshotRow.channel_id, StorySnapshotRow.story_key],
        set_={"snapshot": statement.excluded.snapshot, "shown_at": statement.excluded.shown_at},
    )
    for start in range(0, len(rows), _CHUNK):
        await session.execute(upsert, rows[start : start + _CHUNK])


async def prune_snapshots(session: AsyncSession, before: datetime) -> None:
    """Drop snapshots taken before the time (their stories have left the window and cannot match again)."""
    await session.execute(delete(StorySnapshotRow).where(StorySnapshotRow.shown_at < before))
