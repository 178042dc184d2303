"""The store on SQLite and PostgreSQL: migrations from empty, configuration round trip, audit log."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from conftest_store import *  # noqa: F403 - the store fixtures
from conftest_store import StoreSpec
from sqlalchemy import inspect, text

from bot.channels.admin import ChannelAdmin, FeedInfo
from bot.clock import FixedClock
from bot.identity import Caller, ChannelRef
from bot.store.db import Store, StoreUnavailable
from bot.store.migrate import current_revision, head_revision, upgrade_store
from bot.store.models import Base

ADMIN = Caller(user_id="u1", display_name="Ada Admin", is_channel_admin=True)
REF = ChannelRef(platform="console", workspace="local", channel="news", channel_name="#news")


class AcceptingProbe:
    """Accepts every URL as a feed (these tests are about the store, not the network)."""

    async def probe(self, url: str) -> FeedInfo:
        return FeedInfo(url=url, title="Test feed", items=3)


async def test_migrations_from_empty_match_the_models(store_spec: StoreSpec) -> None:
    empty = store_spec.open()
    try:
        assert await current_revision(empty) is None
        await upgrade_store(empty)
        assert await current_revision(empty) == head_revision()

        def differences(connection):  # type: ignore[no-untyped-def]
            return compare_metadata(MigrationContext.configure(connection), Base.metadata)

        async with empty.engine.connect() as connection:
            assert await connection.run_sync(differences) == []
            tables = await connection.run_sync(lambda c: set(inspect(c).get_table_names()))
        assert {"channels", "feeds", "articles", "deliveries", "audit_log", "workspaces"} <= tables
        await upgrade_store(empty)  # a second upgrade changes nothing
        assert await current_revision(empty) == head_revision()
    finally:
        await empty.close()


async def test_configuration_round_trip(store: Store, store_spec: StoreSpec) -> None:
    clock = FixedClock(datetime(2026, 1, 15, 9, 0, tzinfo=UTC))
    admin = ChannelAdmin(store, AcceptingProbe(), clock)
    await admin.setup(REF, ADMIN, schedule="07:30 Europe/Berlin weekdays", digest_length=7)
    await admin.add_feed(REF, ADMIN, "https://news.example.org/rss?utm_source=x")
    await admin.add_feed(REF, ADMIN, "https://other.example.net/atom.xml")
    await admin.set_topics(REF, ADMIN, keywords=["harbour", "flood"], actors=["Mayor Lina Osei"])
    await admin.pause(REF, ADMIN)
    written = (await admin.status(REF, ADMIN)).config

    reopened = store_spec.open()  # as a restarted process would see it
    try:
        read = (await ChannelAdmin(reopened, AcceptingProbe(), clock).status(REF, ADMIN)).config
    finally:
        await reopened.close()
    assert read == written
    assert read.schedule.describe() == "07:30 Europe/Berlin weekdays"
    assert read.feeds == ["https://news.example.org/rss", "https://other.example.net/atom.xml"]
    assert read.topics.keywords == ["harbour", "flood"] and read.topics.actors == ["Mayor Lina Osei"]
    assert read.digest_length == 7 and read.paused is True


async def test_every_change_is_in_the_audit_log_with_who_when_old_and_new(store: Store) -> None:
    clock = FixedClock(datetime(2026, 1, 15, 9, 0, tzinfo=UTC))
    admin = ChannelAdmin(store, AcceptingProbe(), clock)
    await admin.setup(REF, ADMIN)
    clock.set(datetime(2026, 1, 15, 9, 5, tzinfo=UTC))
    await admin.set_schedule(REF, ADMIN, "06:45 America/New_York")
    history = await admin.history(REF, ADMIN)
    latest = history[0]
    assert latest.action == "schedule"
    assert latest.actor_id == "u1" and latest.actor_name == "Ada Admin"
    assert latest.at == datetime(2026, 1, 15, 9, 5, tzinfo=UTC)
    assert latest.old == {
        "schedule": {"time": "08:00", "timezone": "UTC", "days": list(latest.old["schedule"]["days"])}
    }
    assert latest.new["schedule"]["time"] == "06:45"
    assert latest.new["schedule"]["timezone"] == "America/New_York"
    assert [entry.action for entry in history] == ["schedule", "setup"]


async def test_an_unreachable_database_gets_a_clear_message() -> None:
    unreachable = Store.from_url("postgresql://postgres@127.0.0.1:9/briefbot")
    with pytest.raises(StoreUnavailable) as caught:
        await unreachable.check()
    await unreachable.close()
    assert "cannot be reached" in str(caught.value)
    assert "BRIEFBOT_DATABASE_URL" in str(caught.value)


async def test_datetimes_come_back_aware_in_utc(store: Store) -> None:
    clock = FixedClock(datetime(2026, 7, 1, 23, 30, tzinfo=UTC))
    admin = ChannelAdmin(store, AcceptingProbe(), clock)
    await admin.setup(REF, ADMIN)
    async with store.transaction() as session:
        value = (await session.execute(text("SELECT created_at FROM channels"))).scalar()
    assert value is not None
    history = await admin.history(REF, ADMIN)
    assert history[0].at.tzinfo is not None and history[0].at == clock.now()
