"""Deliveries of digests: one per channel per period, claimed before sending and finished after."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from enum import StrEnum
from typing import Any, cast

from sqlalchemy import Table, bindparam, func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.store.models import Delivery


class DeliveryStatus(StrEnum):
    """Where a delivery is: claimed (about to be sent, or sent and not yet recorded), sent, skipped, failed."""

    CLAIMED = "claimed"
    SENT = "sent"
    SKIPPED = "skipped"
    FAILED = "failed"


FINISHED = (DeliveryStatus.SENT, DeliveryStatus.SKIPPED)

DIGEST = "digest"
NOTICE = "notice"


def period_stamp(moment: datetime | int) -> str:
    """A moment (or seconds since 1970) in base 36: short enough for the 32 characters of a period."""
    number = int(moment.timestamp()) if isinstance(moment, datetime) else moment
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    text = ""
    while True:
        number, rest = divmod(number, 36)
        text = digits[rest] + text
        if not number:
            return text


def idempotency_key(channel_id: int, period: str, kind: str = DIGEST) -> str:
    """The key a delivery carries to the platform, the same on every retry of the same digest or notice."""
    return f"briefbot-{kind}-{channel_id}-{period}"


async def find_delivery(session: AsyncSession, channel_id: int, period: str) -> Delivery | None:
    """The delivery of a channel's digest (or notice) for a period, if one was ever claimed."""
    query = select(Delivery).where(Delivery.channel_id == channel_id, Delivery.period == period)
    return (await session.execute(query)).scalar_one_or_none()


async def notices_for(
    session: AsyncSession, channel_ids: Sequence[int], periods: Sequence[str]
) -> dict[tuple[int, str], Delivery]:
    """The notices already claimed for these channels and periods, by (channel, period)."""
    found: dict[tuple[int, str], Delivery] = {}
    wanted = sorted(set(periods))
    if not wanted:
        return found
    for start in range(0, len(channel_ids), 2000):
        query = select(Delivery).where(
            Delivery.kind == NOTICE,
            Delivery.channel_id.in_(channel_ids[start : start + 2000]),
            Delivery.period.in_(wanted),
        )
        for delivery in (await session.execute(query)).scalars():
            found[(delivery.channel_id, delivery.period)] = delivery
    return found


async def deliveries_by_key(session: AsyncSession, keys: Sequence[str]) -> list[Delivery]:
    """The deliveries with these idempotency keys."""
    found: list[Delivery] = []
    for start in range(0, len(keys), 1000):
        query = select(Delivery).where(Delivery.idempotency_key.in_(keys[start : start + 1000]))
        found.extend((await session.execute(query)).scalars())
    return found


async def deliveries_for(
    session: AsyncSession, channel_ids: Sequence[int], period_by_channel: dict[int, str]
) -> dict[int, Delivery]:
    """The existing deliveries of the channels for their given periods."""
    found: dict[int, Delivery] = {}
    periods = sorted(set(period_by_channel.values()))
    for start in range(0, len(channel_ids), 2000):
        chunk = channel_ids[start : start + 2000]
        query = select(Delivery).where(
            Delivery.kind == DIGEST, Delivery.channel_id.in_(chunk), Delivery.period.in_(periods)
        )
        rows = await session.execute(query)
        for delivery in rows.scalars():
            if period_by_channel.get(delivery.channel_id) == delivery.period:
                found[delivery.channel_id] = delivery
    return found


async def last_finished(session: AsyncSession, channel_id: int) -> Delivery | None:
    """The channel's most recent sent or skipped digest."""
    query = (
        select(Delivery)
        .where(
            Delivery.kind == DIGEST,
            Delivery.channel_id == channel_id,
            Delivery.status.in_([s.value for s in FINISHED]),
        )
        .order_by(Delivery.scheduled_for.desc())
        .limit(1)
    )
    return (await session.execute(query)).scalar_one_or_none()


async def last_sent_by_channel(session: AsyncSession, channel_ids: Sequence[int]) -> dict[int, Delivery]:
    """Each channel's most recent sent digest (what "since the last digest" counts from)."""
    found: dict[int, Delivery] = {}
    for start in range(0, len(channel_ids), 2000):
        chunk = channel_ids[start : start + 2000]
        latest = (
            select(Delivery.channel_id, func.max(Delivery.scheduled_for).label("at"))
            .where(
                Delivery.kind == DIGEST,
                Delivery.channel_id.in_(chunk),
                Delivery.status == DeliveryStatus.SENT.value,
            )
            .group_by(Delivery.channel_id)
            .subquery()
        )
        query = select(Delivery).join(
            latest,
            (Delivery.channel_id == latest.c.channel_id)
            & (Delivery.scheduled_for == latest.c.at)
            & (Delivery.kind == DIGEST),
        )
        for delivery in (await session.execute(query)).scalars():
            found[delivery.channel_id] = delivery
    return found


async def claim_many(
    session: AsyncSession, claims: Sequence[tuple[int, str, datetime]], now: datetime, claimed_by: str
) -> None:
    """Insert "claimed" deliveries (channel, period, scheduled time) in one statement; a duplicate fails it."""
    if not claims:
        return
    await session.execute(
        insert(Delivery),
        [
            {
                "channel_id": channel_id,
                "kind": DIGEST,
                "period": period,
                "scheduled_for": scheduled_for,
                "idempotency_key": idempotency_key(channel_id, period),
                "status": DeliveryStatus.CLAIMED.value,
                "attempts": 0,
                "claimed_at": now,
                "claimed_by": claimed_by,
                "covered": {},
            }
            for channel_id, period, scheduled_for in claims
        ],
    )


async def mark_sent_many(
    session: AsyncSession, sent: Sequence[tuple[str, str, dict[str, Any] | None]], now: datetime
) -> None:
    """Mark deliveries sent by idempotency key, with the platform's message id and what they covered."""
    with_covered = [
        {"key": key, "ref": ref, "covered": covered, "now": now}
        for key, ref, covered in sent
        if covered is not None
    ]
    without = [{"key": key, "ref": ref, "now": now} for key, ref, covered in sent if covered is None]
    table = cast(Table, Delivery.__table__)
    base = (
        update(table)
        .where(table.c.idempotency_key == bindparam("key"))
        .values(
            status=DeliveryStatus.SENT.value,
            finished_at=bindparam("now"),
            message_ref=bindparam("ref"),
            attempts=table.c.attempts + 1,
            error=None,
        )
    )
    connection = await session.connection()
    if with_covered:
        await connection.execute(base.values(covered=bindparam("covered")), with_covered)
    if without:
        await connection.execute(base, without)


def new_delivery(
    channel_id: int,
    period: str,
    scheduled_for: datetime,
    now: datetime,
    status: DeliveryStatus,
    claimed_by: str | None = None,
    kind: str = DIGEST,
) -> Delivery:
    """A delivery row for a channel's period (the caller adds it to a session)."""
    return Delivery(
        channel_id=channel_id,
        kind=kind,
        period=period,
        scheduled_for=scheduled_for,
        idempotency_key=idempotency_key(channel_id, period, kind),
        status=status.value,
        attempts=0,
        claimed_at=now,
        claimed_by=claimed_by,
        covered={},
    )


def finish(
    delivery: Delivery,
    status: DeliveryStatus,
    now: datetime,
    message_ref: str | None = None,
    covered: dict[str, Any] | None = None,
    note: str | None = None,
    error: str | None = None,
) -> None:
    """Record how a delivery ended."""
    delivery.status = status.value
    delivery.finished_at = now
    delivery.message_ref = message_ref
    if covered is not None:
        delivery.covered = covered
    delivery.note = note
    delivery.error = error
