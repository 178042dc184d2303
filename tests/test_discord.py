"""The real discord.py client, through briefbot's Discord adapter, against a fake Discord on loopback.

The fake (tests/fakes/discord_server.py) serves the REST API and the gateway; the client is pointed at it
only through BRIEFBOT_DISCORD_API_URL and BRIEFBOT_DISCORD_GATEWAY_URL, as an operator's staging set-up
would be. Interactions arrive as INTERACTION_CREATE on the gateway; answers are read from what the fake
received (callbacks, follow-ups, channel messages).
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from fakes.discord_server import FakeDiscord
from link_pages import DAM_PAGE_TITLE, serve_pages
from spacy.language import Language
from test_commands_support import *  # noqa: F403 - articles and helpers
from test_commands_support import ADMIN, FEED, NOW, set_up_channel, store_articles

from bot.bootstrap import read_options
from bot.channels.admin import ChannelAdmin
from bot.clock import FixedClock
from bot.commands.catalog import COMMANDS
from bot.commands.stories import StoryLibrary
from bot.commands.table import CommandServices
from bot.config import load_settings
from bot.delivery import DeliveryFailed, DigestItem, OutgoingMessage
from bot.discord.client import BriefbotDiscordClient, make_client, start_client
from bot.discord.delivery import DiscordDelivery
from bot.feeds.extraction import ThreadExtractor
from bot.feeds.links import LinkReader
from bot.identity import ChannelRef
from bot.store.db import Store
from bot.store.migrate import upgrade_store
from briefings.models import ArticleAnalysis

GUILD = 81_000_000_000_000_001
NEWS = 81_000_000_000_000_101
QUIET = 81_000_000_000_000_102
MANAGE_CHANNELS = 1 << 4
MEMBER_PERMISSIONS = 1024 | 2048
NEWS_REF = ChannelRef(platform="discord", workspace=str(GUILD), channel=str(NEWS))


@dataclass
class Running:
    fake: FakeDiscord
    client: BriefbotDiscordClient
    store: Store
    admin: ChannelAdmin
    clock: FixedClock


@pytest.fixture
async def fake() -> AsyncIterator[FakeDiscord]:
    server = FakeDiscord()
    await server.start()
    server.add_guild(GUILD, "Marlow Readers", {NEWS: "news", QUIET: "quiet"})
    yield server
    await server.stop()


@pytest.fixture
async def running(
    fake: FakeDiscord,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    news_analyses: list[ArticleAnalysis],
    nlp: Language,
) -> AsyncIterator[Running]:
    monkeypatch.setenv("BRIEFBOT_DISCORD_API_URL", fake.api_url)
    monkeypatch.setenv("BRIEFBOT_DISCORD_GATEWAY_URL", fake.gateway_url)
    monkeypatch.setenv("BRIEFBOT_DISCORD_TOKEN", fake.token)
    monkeypatch.setenv("BRIEFBOT_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("BRIEFBOT_ALLOW_PRIVATE_URLS", "1")  # "Brief this link" reads pages on loopback
    settings = load_settings()
    store = Store.from_url(settings.store_url())
    await upgrade_store(store)
    clock = FixedClock(NOW)
    admin = await set_up_channel(store, clock, NEWS_REF)
    await store_articles(store, FEED, news_analyses, NOW - timedelta(hours=1))
    links = LinkReader(read_options(settings), ThreadExtractor(nlp))
    services = CommandServices(
        stories=StoryLibrary(store, clock, max_age_s=0, stale_s=0), admin=admin, links=links
    )
    client = make_client(settings, COMMANDS, services, guild_ready_timeout=0.1)
    assert settings.discord_token is not None
    task = asyncio.create_task(start_client(client, settings.discord_token.get_secret_value()))
    await asyncio.wait_for(client.ready_event.wait(), 15)
    yield Running(fake, client, store, admin, clock)
    await client.close()
    with contextlib.suppress(asyncio.CancelledError):
        await asyncio.wait_for(task, 10)
    await links.close()
    await store.close()


async def ask(fake: FakeDiscord, path: list[str], options: dict[str, Any] | None = None, **kw: Any) -> Any:
    payload = fake.interaction(GUILD, NEWS, path, options, **kw)
    await fake.send_interaction(payload)
    callback = await fake.wait_for(lambda: fake.callback_for(payload))
    return payload, callback


def embed_text(embeds: list[dict[str, Any]]) -> str:
    parts: list[str] = []
    for embed in embeds:
        parts += [embed.get("title") or "", embed.get("description") or ""]
        parts += [f"{f['name']}: {f['value']}" for f in embed.get("fields") or []]
        parts.append((embed.get("footer") or {}).get("text") or "")
    return "\n".join(p for p in parts if p)


async def test_login_sync_and_who_through_the_gateway(running: Running) -> None:
    fake = running.fake
    assert fake.identified == [[0, 1]]
    synced = {c["name"]: c for c in fake.synced_commands}
    assert set(synced) == {
        "brief",
        "who",
        "timeline",
        "where",
        "quotes",
        "sources",
        "stories",
        "briefing",
        "Brief this link",
    }
    menu = synced["Brief this link"]
    assert menu["type"] == 3 and not menu.get("options")  # a message context menu
    assert menu["contexts"] == [0]  # in servers only
    assert int(synced["briefing"]["default_member_permissions"]) == MANAGE_CHANNELS
    story_option = next(o for o in synced["who"]["options"] if o["name"] == "story")
    assert story_option["autocomplete"] is True and story_option["max_length"] == 100

    _, callback = await ask(fake, ["who"], {"story": "Marlow Heights dam"})
    assert callback.type == 4 and not callback.ephemeral
    assert callback.data["allowed_mentions"] == {"parse": []}
    text = embed_text(callback.embeds)
    assert callback.embeds[0]["title"].startswith("Who — ")
    assert "Ruth Ambani" in text and "Colin Dray" in text


async def test_story_autocomplete_answers_with_the_channels_stories(running: Running) -> None:
    fake = running.fake
    payload = fake.interaction(GUILD, NEWS, ["timeline"], {"story": "ambani"}, focused="story")
    await fake.send_interaction(payload)
    callback = await fake.wait_for(lambda: fake.callback_for(payload))
    assert callback.type == 8  # APPLICATION_COMMAND_AUTOCOMPLETE_RESULT
    choices = callback.data["choices"]
    assert choices and "Marlow" in choices[0]["name"]
    assert all(len(c["name"]) <= 100 and len(c["value"]) <= 100 for c in choices)
    # The value chosen names the story exactly.
    _, answer = await ask(fake, ["timeline"], {"story": choices[0]["value"]})
    assert answer.embeds[0]["title"].startswith("Timeline — ") and "Marlow" in answer.embeds[0]["title"]


async def test_a_member_cannot_add_a_feed_and_nothing_is_stored(running: Running) -> None:
    fake = running.fake
    before = await running.admin.status(NEWS_REF, ADMIN)
    history = await running.admin.history(NEWS_REF, ADMIN, limit=100)
    _, callback = await ask(
        fake,
        ["briefing", "feeds", "add"],
        {"url": "https://other.example.org/feed.xml"},
        permissions=MEMBER_PERMISSIONS,
    )
    assert callback.type == 4 and callback.ephemeral
    assert "Only a channel admin can use /briefing feeds add" in embed_text(callback.embeds)
    assert (await running.admin.status(NEWS_REF, ADMIN)).config == before.config
    assert len(await running.admin.history(NEWS_REF, ADMIN, limit=100)) == len(history)
    # A manager of the channel may (the URL is checked by the admin API's probe, a stand-in here).
    payload, allowed = await ask(
        fake,
        ["briefing", "feeds", "add"],
        {"url": "https://other.example.org/feed.xml"},
        permissions=MEMBER_PERMISSIONS | MANAGE_CHANNELS,
    )
    assert "Now following" in await answer_text(fake, payload, allowed)


async def answer_text(fake: FakeDiscord, payload: dict[str, Any], callback: Any) -> str:
    """The answer's text, from the callback or, when it was deferred, from the edit that followed."""
    if callback.type != 5:
        return embed_text(callback.embeds)
    sent = await fake.wait_for(lambda: fake.followups_for(payload))
    return embed_text(sent[-1].get("embeds") or [])


async def test_refusals_are_private_and_plain(running: Running) -> None:
    fake = running.fake
    _, unknown = await ask(fake, ["who"], {"story": "volcano in Zembla"})
    assert unknown.ephemeral and "No story in this channel's news matches" in embed_text(unknown.embeds)
    _, nobody = await ask(fake, ["who"], {"story": "Marlow Heights dam", "name": "Ruth Ambany"})
    assert "Ruth Ambani" in embed_text(nobody.embeds)
    _, long = await ask(fake, ["who"], {"story": "x" * 150})
    assert long.ephemeral and "story can be at most 100 characters; yours has 150." in embed_text(long.embeds)
    quiet = fake.interaction(GUILD, QUIET, ["brief"])
    await fake.send_interaction(quiet)
    callback = await fake.wait_for(lambda: fake.callback_for(quiet))
    assert callback.ephemeral and "/briefing setup" in embed_text(callback.embeds)
    for answer in (unknown, nobody, long, callback):
        assert "Traceback" not in embed_text(answer.embeds)
        assert answer.data["allowed_mentions"] == {"parse": []}


async def test_a_slow_answer_is_deferred_then_edited_in(running: Running) -> None:
    fake = running.fake
    running.client.answerer.defer_after_s = 0.0  # every answer counts as slow
    payload, callback = await ask(fake, ["where"], {"story": "Marlow Heights dam"})
    assert callback.type == 5  # DEFERRED_CHANNEL_MESSAGE_WITH_SOURCE: "briefbot is thinking…"
    edits = await fake.wait_for(lambda: fake.followups_for(payload))
    assert edits[0]["kind"] == "edit-original"
    assert edits[0]["embeds"][0]["title"].startswith("Where — ")
    # A refusal after a public "thinking…" is sent privately instead.
    refused, deferred = await ask(fake, ["who"], {"story": "volcano in Zembla"})
    assert deferred.type == 5 and not deferred.ephemeral
    sent = await fake.wait_for(lambda: len(fake.followups_for(refused)) >= 2 and fake.followups_for(refused))
    assert [m["kind"] for m in sent] == ["delete-original", "followup"]
    assert sent[1]["flags"] & 64


async def test_brief_this_link_answers_privately_after_thinking(running: Running) -> None:
    fake = running.fake
    running.client.answerer.defer_after_s = 0.0  # as when the page is slow to come
    async with serve_pages() as pages:
        url = pages.url("/dam")
        payload = fake.message_interaction(GUILD, NEWS, "Brief this link", f"worrying news <{url}>")
        await fake.send_interaction(payload)
        callback = await fake.wait_for(lambda: fake.callback_for(payload))
        # Deferred at once, privately: "briefbot is thinking…" only the asker sees.
        assert callback.type == 5 and callback.ephemeral
        edits = await fake.wait_for(lambda: fake.followups_for(payload))
    assert edits[0]["kind"] == "edit-original"
    text = embed_text(edits[0]["embeds"])
    assert edits[0]["embeds"][0]["title"] == DAM_PAGE_TITLE
    assert "Its story in this channel: “Marlow Heights dam" in text
    assert edits[0]["allowed_mentions"] == {"parse": []}
    assert not fake.channel_messages[NEWS]  # nothing posted in the channel
    # A message without a link: told so, privately.
    plain = fake.message_interaction(GUILD, NEWS, "Brief this link", "no address in this one")
    await fake.send_interaction(plain)
    answered = await fake.wait_for(lambda: fake.callback_for(plain))
    said = await answer_text(fake, plain, answered)
    assert answered.ephemeral and "That message has no link to brief" in said


async def digest_for(running: Running, ref: ChannelRef, key: str) -> OutgoingMessage:
    """The channel's digest as the scheduler hands it to an adapter: its stored stories."""
    news = await StoryLibrary(running.store, running.clock).news_for(ref)
    return OutgoingMessage(
        kind="digest",
        channel=ref,
        idempotency_key=key,
        scheduled_for=NOW.replace(hour=8, minute=0),
        title="Your briefing for Thu 12 Mar",
        items=[DigestItem(story=story, key=story.id) for story in news.stories],
    )


async def test_a_scheduled_digest_lands_in_the_channel_once(running: Running) -> None:
    fake = running.fake
    delivery = DiscordDelivery(running.client)
    digest = await digest_for(running, NEWS_REF, "briefbot-digest-1-2026-03-12")
    fake.rate_limit("POST", r"/api/v10/channels/\d+/messages", times=1, retry_after=0.3)
    receipt = await delivery.deliver(digest)
    posted = fake.channel_messages[NEWS]
    assert len(posted) == 1  # the 429 was waited out and the message sent once
    assert fake.rate_limited == [f"POST /api/v10/channels/{NEWS}/messages"]
    message = posted[0]
    assert receipt.message_ref == message["id"]
    assert message["allowed_mentions"] == {"parse": []}
    assert message["embeds"][0]["title"] == "Your briefing for Thu 12 Mar"
    assert "Marlow Heights dam" in embed_text(message["embeds"])
    # Sent again with the same key (a retry): Discord's nonce check keeps it one message.
    assert (await delivery.deliver(digest)).message_ref == message["id"]
    assert len(fake.channel_messages[NEWS]) == 1
    # After a crash the scheduler asks whether it was posted: the channel's history says so.
    found = await delivery.find_delivered(NEWS_REF, digest.idempotency_key)
    assert found is not None and found.message_ref == message["id"]
    assert await delivery.find_delivered(NEWS_REF, "briefbot-digest-1-2026-03-13") is None


async def test_a_digest_posted_in_part_is_finished_on_resume_without_repeats(running: Running) -> None:
    fake = running.fake
    delivery = DiscordDelivery(running.client)
    one = await digest_for(running, NEWS_REF, "briefbot-digest-1-2026-03-12")
    long = one.model_copy(update={"items": one.items * 12})  # more than one Discord message holds
    await delivery.deliver(long)
    posted = fake.channel_messages[NEWS]
    parts = len(posted)
    assert parts >= 2
    footers = [m["embeds"][0]["footer"]["text"] for m in posted]
    assert footers[0].endswith(f"1/{parts}") and footers[-1].endswith(f"{parts}/{parts}")
    first_id = posted[0]["id"]
    # The process died after the first part, and Discord's memory of the nonces has lapsed since.
    del posted[1:]
    fake.remember_nonces = False
    assert await delivery.find_delivered(NEWS_REF, long.idempotency_key) is None
    receipt = await delivery.deliver(long.model_copy(update={"resume": True}))
    now_posted = fake.channel_messages[NEWS]
    assert [m["embeds"][0]["footer"]["text"] for m in now_posted] == footers  # the rest, once each
    assert receipt.message_ref == first_id
    found = await delivery.find_delivered(NEWS_REF, long.idempotency_key)
    assert found is not None and found.message_ref == first_id


async def test_a_digest_to_a_channel_that_is_gone_is_not_retried(running: Running) -> None:
    gone = ChannelRef(platform="discord", workspace=str(GUILD), channel="81000000000000999")
    digest = await digest_for(running, NEWS_REF, "briefbot-digest-1-2026-03-12")
    with pytest.raises(DeliveryFailed) as caught:
        await DiscordDelivery(running.client).deliver(digest.model_copy(update={"channel": gone}))
    assert not caught.value.retryable and "no longer exists" in caught.value.reason


async def test_a_rate_limited_callback_is_retried_and_answered_once(running: Running) -> None:
    fake = running.fake
    fake.rate_limit("POST", r"/api/v10/interactions/\d+/[^/]+/callback", times=1, retry_after=0.3)
    payload, callback = await ask(fake, ["timeline"], {"story": "Marlow Heights dam"})
    assert len(fake.rate_limited) == 1
    assert [c.interaction_id for c in fake.callbacks].count(payload["id"]) == 1
    assert callback.embeds[0]["title"].startswith("Timeline — ")


async def test_a_wrong_or_missing_token_is_one_clear_message(fake: FakeDiscord, tmp_path: Path) -> None:
    from bot.config import BotSettings
    from bot.discord.client import DiscordStartFailed

    settings = BotSettings(
        discord_api_url=fake.api_url, discord_gateway_url=fake.gateway_url, data_dir=tmp_path
    )
    store = Store.from_url(settings.store_url())
    services = CommandServices(
        stories=StoryLibrary(store, FixedClock(NOW)),
        admin=ChannelAdmin(store, None, FixedClock(NOW)),  # type: ignore[arg-type]
    )
    for token, says in [
        ("MTIz.wrong.token", "Discord refused the token (401 Unauthorized)"),
        (None, "no Discord token: set BRIEFBOT_DISCORD_TOKEN"),
        ("not a token", "does not look like a Discord bot token"),
    ]:
        client = make_client(settings, COMMANDS, services)
        with pytest.raises(DiscordStartFailed) as caught:
            await start_client(client, token)
        assert says in str(caught.value)
        assert "Traceback" not in str(caught.value)
    await store.close()


async def test_shards_split_across_processes_each_answer_their_servers(
    tmp_path: Path, news_analyses: list[ArticleAnalysis]
) -> None:
    from bot.config import BotSettings

    fake = FakeDiscord(shard_count=2)
    await fake.start()
    odd_guild = next(g for g in range(GUILD, GUILD + (1 << 24), 1 << 22) if (g >> 22) % 2 == 1)
    fake.add_guild(odd_guild, "Odd", {NEWS: "news"})
    settings = BotSettings(
        discord_api_url=fake.api_url,
        discord_gateway_url=fake.gateway_url,
        discord_shard_count=2,
        discord_shard_ids=[1],  # this process runs shard 1 of 2; another would run shard 0
        data_dir=tmp_path,
    )
    store = Store.from_url(settings.store_url())
    await upgrade_store(store)
    clock = FixedClock(NOW)
    ref = ChannelRef(platform="discord", workspace=str(odd_guild), channel=str(NEWS))
    admin = await set_up_channel(store, clock, ref)
    await store_articles(store, FEED, news_analyses, NOW - timedelta(hours=1))
    services = CommandServices(stories=StoryLibrary(store, clock), admin=admin)
    client = make_client(settings, COMMANDS, services, guild_ready_timeout=0.1)
    task = asyncio.create_task(start_client(client, fake.token))
    try:
        await asyncio.wait_for(client.ready_event.wait(), 15)
        assert fake.identified == [[1, 2]]
        payload = fake.interaction(odd_guild, NEWS, ["who"], {"story": "Marlow Heights dam"})
        await fake.send_interaction(payload)
        callback = await fake.wait_for(lambda: fake.callback_for(payload))
        assert "Ruth Ambani" in embed_text(callback.embeds)
    finally:
        await client.close()
        with contextlib.suppress(asyncio.CancelledError):
            await asyncio.wait_for(task, 10)
        await store.close()
        await fake.stop()


async def test_the_scheduler_posts_the_channels_digest_at_its_time(running: Running) -> None:
    from bot.delivery import DeliveryRouter
    from bot.scheduler.digests import DigestRunner

    fake = running.fake
    runner = DigestRunner(
        running.store, DeliveryRouter({"discord": DiscordDelivery(running.client)}), running.clock
    )
    running.clock.set(NOW.replace(hour=8, minute=0) + timedelta(days=1))  # the channel's 08:00 UTC digest
    report = await runner.run_due()
    assert report.sent and not report.failed and not report.retry_later
    posted = fake.channel_messages[NEWS]
    assert len(posted) == 1 and posted[0]["embeds"][0]["title"].startswith("Your briefing for ")
    assert "Marlow Heights dam" in embed_text(posted[0]["embeds"])
    assert not (await runner.run_due()).sent and len(fake.channel_messages[NEWS]) == 1
