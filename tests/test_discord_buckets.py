"""discord.py's idle-bucket sweep paced: once per interval, not at every new bucket, and idle ones still go."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from pathlib import Path

import pytest
from discord.http import HTTPClient, Ratelimit

from bot.discord.buckets import sweep_buckets_at_most_every


class Counting:
    """Counts the buckets the sweep looks at."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.calls = 0
        original = Ratelimit.is_inactive

        def counted(bucket: Ratelimit) -> bool:
            self.calls += 1
            return original(bucket)

        monkeypatch.setattr(Ratelimit, "is_inactive", counted)


def make_buckets(http: HTTPClient, count: int, start: int = 0) -> None:
    for n in range(start, start + count):
        http.get_ratelimit(f"POST /channels/{{channel_id}}/messages:{n}")


def test_unpaced_discord_scans_every_bucket_at_each_new_one(monkeypatch: pytest.MonkeyPatch) -> None:
    """The cost being avoided: discord.py alone looks at all its buckets for every bucket past 256."""

    async def run() -> int:
        counting = Counting(monkeypatch)
        make_buckets(HTTPClient(asyncio.get_running_loop()), 600)
        return counting.calls

    assert asyncio.run(run()) > 600 * 100


def test_paced_sweep_looks_at_the_buckets_once_per_interval(monkeypatch: pytest.MonkeyPatch) -> None:
    now = [1000.0]

    async def run() -> tuple[int, int]:
        counting = Counting(monkeypatch)
        http = HTTPClient(asyncio.get_running_loop())
        assert sweep_buckets_at_most_every(http, every=60, clock=lambda: now[0])
        # The first sweep ran at the first bucket (fewer than 256: nothing to look at), then none.
        make_buckets(http, 600)
        first = counting.calls
        now[0] += 61
        make_buckets(http, 10, start=600)  # one sweep now, then none until the next interval
        return first, counting.calls

    first, later = asyncio.run(run())
    assert first == 0
    assert later == 601


def test_paced_sweep_still_drops_idle_buckets(monkeypatch: pytest.MonkeyPatch) -> None:
    now = [1000.0]

    async def run() -> tuple[int, int]:
        loop = asyncio.get_running_loop()
        http = HTTPClient(loop)
        sweep_buckets_at_most_every(http, every=60, clock=lambda: now[0])
        make_buckets(http, 300)
        for bucket in list(http._buckets.values())[:100]:
            bucket._last_request = loop.time() - 400  # idle for more than discord.py's five minutes
        make_buckets(http, 1, start=300)  # within the interval: not swept yet
        before = len(http._buckets)
        now[0] += 61
        make_buckets(http, 1, start=301)
        return before, len(http._buckets)

    before, after = asyncio.run(run())
    assert before == 301
    assert after == 202


def test_a_client_without_the_sweep_is_left_alone() -> None:
    class Other:
        pass

    assert not sweep_buckets_at_most_every(Other())  # type: ignore[arg-type]


async def test_briefbots_discord_client_paces_the_sweep(tmp_path: Path) -> None:
    from bot.channels.admin import ChannelAdmin
    from bot.clock import FixedClock
    from bot.commands.catalog import COMMANDS
    from bot.commands.stories import StoryLibrary
    from bot.commands.table import CommandServices
    from bot.config import BotSettings
    from bot.discord.client import make_client
    from bot.store.db import Store

    settings = BotSettings(data_dir=tmp_path)
    store = Store.from_url(settings.store_url())
    clock = FixedClock(datetime(2026, 3, 12, tzinfo=UTC))
    services = CommandServices(
        stories=StoryLibrary(store, clock),
        admin=ChannelAdmin(store, None, clock),  # type: ignore[arg-type]
    )
    client = make_client(settings, COMMANDS, services)
    assert "_try_clear_expired_ratelimits" in vars(client.http)  # the paced one, on the instance
    await store.close()
