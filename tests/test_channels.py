"""The admin API: permissions, bad input with clear messages, pause/resume, status; nothing lost on refusal."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from conftest_store import *  # noqa: F403 - the store fixtures

from bot.channels.admin import ChannelAdmin, FeedInfo
from bot.channels.errors import ChannelNotSetUp, InvalidSetting, NotChannelAdmin, StoreDown
from bot.channels.schedule import parse_schedule
from bot.clock import FixedClock
from bot.identity import Caller, ChannelRef
from bot.store.db import Store

ADMIN = Caller(user_id="admin-1", display_name="Ada", is_channel_admin=True)
MEMBER = Caller(user_id="member-7", display_name="Mo", is_channel_admin=False)
REF = ChannelRef(platform="discord", workspace="g1", channel="c1")


class AcceptingProbe:
    async def probe(self, url: str) -> FeedInfo:
        return FeedInfo(url=url, title=None, items=1)


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(datetime(2026, 1, 15, 9, 0, tzinfo=UTC))


@pytest.fixture
async def admin(store: Store, clock: FixedClock) -> ChannelAdmin:
    api = ChannelAdmin(store, AcceptingProbe(), clock)
    await api.setup(REF, ADMIN, schedule="08:00 Europe/Berlin weekdays")
    await api.add_feed(REF, ADMIN, "https://news.example.org/feed.xml")
    return api


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("25:00", "hours go from 00 to 23"),
        ("08:61 UTC", "minutes go from 00 to 59"),
        ("08:00 Europe/Berln", "Did you mean Europe/Berlin"),
        ("08:00 Mars/Olympus", "not a timezone briefbot knows"),
        ("08:00 UTC funday", "is not a day"),
        ("noon-ish", "not a time of day"),
    ],
)
async def test_bad_schedules_get_a_clear_message_and_change_nothing(
    admin: ChannelAdmin, text: str, says: str
) -> None:
    before = await admin.status(REF, ADMIN)
    history = await admin.history(REF, ADMIN)
    with pytest.raises(InvalidSetting) as caught:
        await admin.set_schedule(REF, ADMIN, text)
    assert says in caught.value.message
    assert (await admin.status(REF, ADMIN)).config == before.config
    assert len(await admin.history(REF, ADMIN)) == len(history)


async def test_a_non_admin_cannot_change_anything_but_may_read_status(admin: ChannelAdmin) -> None:
    before = await admin.status(REF, MEMBER)
    changes = [
        admin.set_schedule(REF, MEMBER, "09:00 UTC"),
        admin.add_feed(REF, MEMBER, "https://other.example.org/rss"),
        admin.remove_feed(REF, MEMBER, "https://news.example.org/feed.xml"),
        admin.set_topics(REF, MEMBER, keywords=["x"]),
        admin.pause(REF, MEMBER),
        admin.resume(REF, MEMBER),
        admin.setup(REF, MEMBER),
        admin.set_digest_length(REF, MEMBER, 3),
    ]
    for change in changes:
        with pytest.raises(NotChannelAdmin) as caught:
            await change
        assert "Only a channel admin" in caught.value.message
    after = await admin.status(REF, MEMBER)
    assert after.config == before.config
    assert [f.url for f in await admin.list_feeds(REF, MEMBER)] == ["https://news.example.org/feed.xml"]


async def test_status_shows_next_run_in_local_time_and_pause_keeps_the_configuration(
    admin: ChannelAdmin, clock: FixedClock
) -> None:
    status = await admin.status(REF, MEMBER)
    assert status.next_run is not None
    assert status.next_run.astimezone(UTC) == datetime(2026, 1, 16, 7, 0, tzinfo=UTC)  # Fri 08:00 Berlin
    assert status.last_run is None
    assert status.feeds[0].state == "waiting for its first poll"
    paused = await admin.pause(REF, ADMIN)
    assert paused.config.paused and "paused" in paused.message
    assert (await admin.status(REF, MEMBER)).next_run is None
    resumed = await admin.resume(REF, ADMIN)
    assert not resumed.config.paused
    assert resumed.config.schedule == parse_schedule("08:00 Europe/Berlin weekdays")
    assert resumed.config.feeds == ["https://news.example.org/feed.xml"]


async def test_a_channel_not_set_up_is_told_how_to_set_up(store: Store, clock: FixedClock) -> None:
    api = ChannelAdmin(store, AcceptingProbe(), clock)
    other = ChannelRef(platform="discord", workspace="g1", channel="c2")
    with pytest.raises(ChannelNotSetUp) as caught:
        await api.status(other, MEMBER)
    assert "/briefing setup" in caught.value.message


async def test_topics_and_length_are_validated(admin: ChannelAdmin) -> None:
    with pytest.raises(InvalidSetting):
        await admin.set_digest_length(REF, ADMIN, 0)
    with pytest.raises(InvalidSetting):
        await admin.set_topics(REF, ADMIN, keywords=["x" * 200])
    result = await admin.set_topics(REF, ADMIN, keywords=[" harbour ", "Harbour", ""], actors=["Lina Osei"])
    assert result.config.topics.keywords == ["harbour"]
    removed = await admin.remove_feed(REF, ADMIN, "https://news.example.org/feed.xml")
    assert removed.config.feeds == []


async def test_database_away_gets_a_message_and_nothing_is_lost(
    store: Store, store_spec, clock: FixedClock
) -> None:  # type: ignore[no-untyped-def]
    api = ChannelAdmin(store, AcceptingProbe(), clock)
    await api.setup(REF, ADMIN, schedule="07:00 UTC")
    away = ChannelAdmin(Store.from_url("postgresql://postgres@127.0.0.1:9/gone"), AcceptingProbe(), clock)
    with pytest.raises(StoreDown) as caught:
        await away.set_schedule(REF, ADMIN, "09:00 UTC")
    assert "nothing was changed" in caught.value.message
    await away.store.close()
    assert (await api.status(REF, ADMIN)).config.schedule.time == "07:00"
