"""Workspaces, channels and the feeds they follow."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import exists, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.identity import ChannelRef
from bot.store.models import Channel, ChannelFeed, Feed, StoryQueueEntry, Workspace


async def find_channel(session: AsyncSession, ref: ChannelRef) -> Channel | None:
    """The stored channel a platform reference names, if it was ever set up."""
    query = (
        select(Channel)
        .join(Workspace, Channel.workspace_id == Workspace.id)
        .where(
            Workspace.platform == ref.platform,
            Workspace.external_id == ref.workspace,
            Channel.external_id == ref.channel,
        )
    )
    return (await session.execute(query)).scalar_one_or_none()


async def create_channel(session: AsyncSession, ref: ChannelRef, now: datetime) -> Channel:
    """Store a new channel (and its workspace the first time one of its channels is set up)."""
    workspace = (
        await session.execute(
            select(Workspace).where(
                Workspace.platform == ref.platform, Workspace.external_id == ref.workspace
            )
        )
    ).scalar_one_or_none()
    if workspace is None:
        workspace = Workspace(
            platform=ref.platform, external_id=ref.workspace, name=ref.workspace_name, created_at=now
        )
        session.add(workspace)
        await session.flush()
    channel = Channel(
        workspace_id=workspace.id,
        external_id=ref.channel,
        name=ref.channel_name,
        created_at=now,
        updated_at=now,
    )
    session.add(channel)
    await session.flush()
    return channel


def channel_ref(channel: Channel) -> ChannelRef:
    """The platform reference of a stored channel (its workspace must be loaded)."""
    return ChannelRef(
        platform=channel.workspace.platform,
        workspace=channel.workspace.external_id,
        channel=channel.external_id,
        channel_name=channel.name,
        workspace_name=channel.workspace.name,
    )


async def channel_feeds(session: AsyncSession, channel_id: int) -> Sequence[Feed]:
    """The feeds a channel follows, oldest first."""
    query = (
        select(Feed)
        .join(ChannelFeed, ChannelFeed.feed_id == Feed.id)
        .where(ChannelFeed.channel_id == channel_id)
        .order_by(ChannelFeed.added_at, Feed.id)
    )
    return (await session.execute(query)).scalars().all()


async def feed_ids_by_channel(session: AsyncSession, channel_ids: Sequence[int]) -> dict[int, list[int]]:
    """The ids of the feeds each of the channels follows."""
    result: dict[int, list[int]] = {channel_id: [] for channel_id in channel_ids}
    for start in range(0, len(channel_ids), 5000):
        chunk = channel_ids[start : start + 5000]
        rows = await session.execute(
            select(ChannelFeed.channel_id, ChannelFeed.feed_id).where(ChannelFeed.channel_id.in_(chunk))
        )
        for channel_id, feed_id in rows:
            result[channel_id].append(feed_id)
    return result


async def all_channels(session: AsyncSession) -> Sequence[Channel]:
    """Every stored channel, with its workspace."""
    return (await session.execute(select(Channel).order_by(Channel.id))).scalars().all()


async def channels_by_id(session: AsyncSession, channel_ids: Sequence[int]) -> list[Channel]:
    """The channels with these ids (missing ones left out)."""
    found: list[Channel] = []
    for start in range(0, len(channel_ids), 5000):
        chunk = channel_ids[start : start + 5000]
        found.extend((await session.execute(select(Channel).where(Channel.id.in_(chunk)))).scalars())
    return found


async def feed_ids_and_queue_of_ref(session: AsyncSession, ref: ChannelRef) -> tuple[list[int] | None, bool]:
    """The ids of the feeds the channel a platform reference names follows, in order, and whether any stored
    article waits for its story, in one query (`find_channel`, `feed_ids_of` and the queue together: a
    command reading a story by its id asks all three, and each query is a round trip to the database);
    (None, False) when the channel was never set up."""
    query = (
        select(Channel.id, ChannelFeed.feed_id, exists(select(StoryQueueEntry.article_id)).label("queued"))
        .join(Workspace, Channel.workspace_id == Workspace.id)
        .outerjoin(ChannelFeed, ChannelFeed.channel_id == Channel.id)
        .where(
            Workspace.platform == ref.platform,
            Workspace.external_id == ref.workspace,
            Channel.external_id == ref.channel,
        )
    )
    rows = (await session.execute(query)).all()
    if not rows:
        return None, False
    return sorted(feed_id for _, feed_id, _ in rows if feed_id is not None), bool(rows[0].queued)


async def feed_ids_of(session: AsyncSession, channel_id: int) -> list[int]:
    """The ids of the feeds one channel follows, in order."""
    rows = await session.execute(select(ChannelFeed.feed_id).where(ChannelFeed.channel_id == channel_id))
    return sorted(rows.scalars())
