"""Digests through the platforms' limits and outages: paced under Discord's global limit, posted to channels on
other shards without fetching them, and delivered once after a platform answered 5xx for a while."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import timedelta

import test_discord
from conftest_store import *  # noqa: F403 - the store fixtures
from fakes.discord_server import DiscordLimits
from test_commands_support import *  # noqa: F403 - articles and helpers
from test_commands_support import NOW
from test_discord import NEWS, NEWS_REF, Running, digest_for

from bot.clock import FixedClock
from bot.delivery import DeliveryRouter
from bot.discord.delivery import DiscordDelivery, DiscordParts
from bot.identity import ChannelRef
from bot.scheduler.digests import DigestRunner
from bot.store.db import Store

# test_discord's fixtures: a client connected to the fake Discord, its channel set up with stories.
fake = test_discord.fake
running = test_discord.running

OTHER_SHARD_GUILD = 81_000_000_000_000_901
OTHER_SHARD_CHANNEL = 81_000_000_000_000_911


async def test_digests_due_together_are_paced_under_discords_global_limit(running: Running) -> None:
    server = running.fake
    # A global limit of 10 a second (Discord's is 50): twenty digests at once would draw 429s unpaced.
    server.limits = DiscordLimits(global_per_s=10)
    delivery = DiscordDelivery(running.client)
    delivery.platform = DiscordParts(running.client, requests_per_s=8)
    digest = await digest_for(running, NEWS_REF, "briefbot-digest-1-2026-03-12")
    digests = [
        digest.model_copy(update={"idempotency_key": f"briefbot-digest-{i}-2026-03-12"}) for i in range(20)
    ]
    server.limits.channel_messages = 100  # only the global limit is under test
    await asyncio.gather(*(delivery.deliver(d) for d in digests))
    assert len(server.channel_messages[NEWS]) == 20
    assert server.limited_global == 0


async def test_unpaced_the_same_digests_draw_global_429s(running: Running) -> None:
    """The control of the test above: the server's limit does bite when nothing paces the posts."""
    server = running.fake
    server.limits = DiscordLimits(global_per_s=10, channel_messages=100)
    delivery = DiscordDelivery(running.client)
    delivery.platform = DiscordParts(running.client, requests_per_s=10_000)
    digest = await digest_for(running, NEWS_REF, "briefbot-digest-1-2026-03-12")
    digests = [
        digest.model_copy(update={"idempotency_key": f"briefbot-digest-{i}-2026-03-12"}) for i in range(20)
    ]
    await asyncio.gather(*(delivery.deliver(d) for d in digests), return_exceptions=True)
    assert server.limited_global > 0


async def test_a_channel_on_another_shard_is_posted_to_without_fetching_it(running: Running) -> None:
    server = running.fake
    # A server this process never received (another process's shard): not in the client's cache.
    server.add_guild(OTHER_SHARD_GUILD, "Elsewhere", {OTHER_SHARD_CHANNEL: "news"})
    ref = ChannelRef(platform="discord", workspace=str(OTHER_SHARD_GUILD), channel=str(OTHER_SHARD_CHANNEL))
    assert running.client.get_channel(OTHER_SHARD_CHANNEL) is None
    digest = await digest_for(running, NEWS_REF, "briefbot-digest-1-2026-03-12")
    await DiscordDelivery(running.client).deliver(digest.model_copy(update={"channel": ref}))
    assert len(server.channel_messages[OTHER_SHARD_CHANNEL]) == 1
    assert f"GET /api/v10/channels/{OTHER_SHARD_CHANNEL}" not in server.requests


async def test_discord_answering_502_for_a_while_is_backed_off_and_posted_once(running: Running) -> None:
    server = running.fake
    server.outage("POST", rf"/api/v10/channels/{NEWS}/messages", seconds=2.5)
    digest = await digest_for(running, NEWS_REF, "briefbot-digest-1-2026-03-12")
    receipt = await DiscordDelivery(running.client).deliver(digest)
    assert len(server.outage_answers) >= 2  # discord.py backed off (1 s, then 3 s) and tried again
    assert [m["id"] for m in server.channel_messages[NEWS]] == [receipt.message_ref]


async def test_discord_down_past_its_client_retries_gets_the_digest_later_once(running: Running) -> None:
    """5xx past discord.py's own retries: the digest waits, claimed; later runs (the scheduler's sweeps every
    `resync_s`, the back-off, shrunk here to calling the runner again) post it once Discord recovers."""
    server = running.fake
    # 503: discord.py gives up at once (it retries 500, 502, 504 and 524 itself, as the test above shows).
    server.outage("POST", r"/api/v10/channels/\d+/messages", seconds=3600, status=503)
    server.outage("GET", r"/api/v10/channels/\d+/messages", seconds=3600, status=503)
    router = DeliveryRouter({"discord": DiscordDelivery(running.client)})
    await down_then_up(
        running.store, router, running.clock, lambda: len(server.channel_messages[NEWS]), server.outages.clear
    )
    assert server.outage_answers


async def down_then_up(
    store: Store,
    router: DeliveryRouter,
    clock: FixedClock,
    posted: Callable[[], int],
    recover: Callable[[], None],
) -> None:
    """Due while the platform is down: nothing posted over two runs; once it is up, posted once."""
    clock.set(NOW.replace(hour=8, minute=0) + timedelta(days=1))
    first = await DigestRunner(store, router, clock).run_due()
    assert first.retry_later and not first.sent and posted() == 0
    # Still down at the next sweep: the claimed digest is asked after, fails again, and waits again.
    second = await DigestRunner(store, router, clock).run_due()
    assert not second.sent and posted() == 0
    recover()
    third = await DigestRunner(store, router, clock).run_due()
    assert third.sent and posted() == 1
    assert not (await DigestRunner(store, router, clock).run_due()).sent
    assert posted() == 1
