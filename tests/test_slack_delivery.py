"""Scheduled digests on Slack: chat.postMessage against the fake Slack, exactly once across 429s and crashes."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path

import pytest
from conftest_store import *  # noqa: F403 - the store fixtures
from fakes.slack_api import FakeSlack
from test_commands_support import *  # noqa: F403 - articles and helpers
from test_commands_support import ADMIN, FEED, NOW, AcceptingProbe, store_articles
from test_slack_commands import NEWS, NEWS_REF, OWNER, TEAM, TOKEN, slack_settings

from bot.channels.admin import ChannelAdmin
from bot.clock import FixedClock
from bot.commands.stories import StoryLibrary
from bot.delivery import DeliveryFailed, DeliveryRouter, DigestItem, OutgoingMessage
from bot.identity import Caller, ChannelRef
from bot.scheduler.digests import DigestRunner, RunReport
from bot.slack.delivery import METADATA_EVENT, SlackDelivery
from bot.slack.install import SlackInstalls
from bot.store.db import Store
from bot.store.migrate import upgrade_store
from briefings.models import ArticleAnalysis

SLACK_ADMIN = Caller(user_id=OWNER, display_name="Ada", is_channel_admin=True)


@pytest.fixture
async def fake() -> AsyncIterator[FakeSlack]:
    server = FakeSlack()
    await server.start()
    server.add_workspace(TEAM, TOKEN)
    server.add_user(OWNER, "Ada Owner", admin=True, team=TEAM)
    server.add_channel(NEWS, "news")
    server.add_channel("C0QUIET", "quiet", member=False)
    yield server
    await server.stop()


@pytest.fixture
async def world(
    fake: FakeSlack, tmp_path: Path, news_analyses: list[ArticleAnalysis]
) -> AsyncIterator[tuple[SlackDelivery, Store, ChannelAdmin, FixedClock]]:
    settings = slack_settings(fake, tmp_path)
    store = Store.from_url(settings.store_url())
    await upgrade_store(store)
    clock = FixedClock(NOW)
    admin = ChannelAdmin(store, AcceptingProbe(), clock)
    await admin.setup(NEWS_REF, SLACK_ADMIN)
    await admin.add_feed(NEWS_REF, SLACK_ADMIN, FEED)
    await store_articles(store, FEED, news_analyses, NOW - timedelta(hours=1))
    yield SlackDelivery(settings, SlackInstalls(settings, store, admin), store), store, admin, clock
    await store.close()


async def digest_for(store: Store, clock: FixedClock, ref: ChannelRef, key: str) -> OutgoingMessage:
    news = await StoryLibrary(store, clock).news_for(NEWS_REF)
    return OutgoingMessage(
        kind="digest",
        channel=ref,
        idempotency_key=key,
        scheduled_for=NOW.replace(hour=8, minute=0),
        title="Your briefing for Thu 12 Mar",
        items=[DigestItem(story=story, key=story.id) for story in news.stories],
    )


async def test_a_digest_is_posted_once_across_a_429(fake: FakeSlack, world) -> None:  # type: ignore[no-untyped-def]
    delivery, store, _, clock = world
    digest = await digest_for(store, clock, NEWS_REF, "briefbot-digest-1-2026-03-12")
    fake.rate_limit("chat.postMessage", times=1)
    receipt = await delivery.deliver(digest)
    posted = fake.messages[NEWS]
    assert len(posted) == 1 and fake.rate_limited == ["chat.postMessage"]
    message = posted[0]
    assert receipt.message_ref == f"{NEWS}:{message['ts']}"
    assert message["metadata"]["event_type"] == METADATA_EVENT
    assert message["metadata"]["event_payload"] == {"key": digest.idempotency_key, "part": 0, "parts": 1}
    assert message["blocks"][0]["text"]["text"] == "Your briefing for Thu 12 Mar"
    assert "briefbot ref " in message["blocks"][-1]["elements"][0]["text"]
    found = await delivery.find_delivered(NEWS_REF, digest.idempotency_key)
    assert found is not None and found.message_ref == receipt.message_ref
    assert await delivery.find_delivered(NEWS_REF, "briefbot-digest-1-2026-03-13") is None


async def test_a_crash_between_posting_and_recording_posts_nothing_twice(fake: FakeSlack, world) -> None:  # type: ignore[no-untyped-def]
    from bot.delivery import DeliveryRouter
    from bot.scheduler.digests import DigestRunner

    delivery, store, _, clock = world
    router = DeliveryRouter({"slack": delivery})
    clock.set(NOW.replace(hour=8, minute=0) + timedelta(days=1))

    class CrashAfterPosting:
        """The process dies right after Slack took the message, before the scheduler records it."""

        async def deliver(self, message: OutgoingMessage):  # type: ignore[no-untyped-def]
            await delivery.deliver(message)
            raise DeliveryFailed("the process died")

        async def find_delivered(self, channel, key):  # type: ignore[no-untyped-def]
            return await delivery.find_delivered(channel, key)

    crashing = DigestRunner(store, DeliveryRouter({"slack": CrashAfterPosting()}), clock)  # type: ignore[dict-item]
    first = await crashing.run_due()
    assert not first.sent and len(fake.messages[NEWS]) == 1
    report = await DigestRunner(store, router, clock).run_due()
    assert (report.sent or report.recovered) and len(fake.messages[NEWS]) == 1
    assert not (await DigestRunner(store, router, clock).run_due()).sent
    assert len(fake.messages[NEWS]) == 1


async def test_a_long_digest_in_parts_is_finished_on_resume(fake: FakeSlack, world) -> None:  # type: ignore[no-untyped-def]
    delivery, store, _, clock = world
    one = await digest_for(store, clock, NEWS_REF, "briefbot-digest-1-2026-03-12")
    long = one.model_copy(update={"items": one.items * 30})
    await delivery.deliver(long)
    posted = fake.messages[NEWS]
    parts = len(posted)
    assert parts >= 2 and all(len(m["blocks"]) <= 50 for m in posted)
    del posted[1:]
    assert await delivery.find_delivered(NEWS_REF, long.idempotency_key) is None
    await delivery.deliver(long.model_copy(update={"resume": True}))
    payloads = [m["metadata"]["event_payload"]["part"] for m in fake.messages[NEWS]]
    assert payloads == list(range(parts))


async def test_not_in_channel_is_not_retried_and_the_admins_are_told(fake: FakeSlack, world) -> None:  # type: ignore[no-untyped-def]
    delivery, store, admin, clock = world
    quiet = ChannelRef(platform="slack", workspace=TEAM, channel="C0QUIET", channel_name="#quiet")
    await admin.setup(quiet, SLACK_ADMIN)
    digest = await digest_for(store, clock, quiet, "briefbot-digest-2-2026-03-12")
    with pytest.raises(DeliveryFailed) as caught:
        await delivery.deliver(digest)
    assert not caught.value.retryable and "not_in_channel" in caught.value.reason
    told = fake.messages.get(OWNER) or []
    assert told and "/invite @briefbot" in told[0]["text"] and "#quiet" in told[0]["text"]
    assert ADMIN  # the shared admin of the command tests is not a Slack user and is not messaged


@pytest.fixture
async def quiet_world(
    fake: FakeSlack, tmp_path: Path, store: Store, news_analyses: list[ArticleAnalysis]
) -> AsyncIterator[tuple[DigestRunner, Store, FixedClock]]:
    """#quiet set up for daily 08:00 UTC digests, its feed's articles stored, briefbot not in the channel."""
    settings = slack_settings(fake, tmp_path)
    clock = FixedClock(NOW)
    admin = ChannelAdmin(store, AcceptingProbe(), clock)
    quiet = ChannelRef(platform="slack", workspace=TEAM, channel="C0QUIET", channel_name="#quiet")
    await admin.setup(quiet, SLACK_ADMIN)
    await admin.add_feed(quiet, SLACK_ADMIN, FEED)
    await store_articles(store, FEED, news_analyses, NOW - timedelta(hours=1))
    delivery = SlackDelivery(settings, SlackInstalls(settings, store, admin), store, clock=clock)
    yield DigestRunner(store, DeliveryRouter({"slack": delivery}), clock), store, clock


async def test_the_admins_are_told_once_per_episode_of_failed_digests(
    fake: FakeSlack, quiet_world: tuple[DigestRunner, Store, FixedClock], news_analyses: list[ArticleAnalysis]
) -> None:
    runner, store, clock = quiet_world

    async def digest_on(day: int) -> RunReport:
        clock.set(NOW.replace(hour=8, minute=0) + timedelta(days=day))
        return await runner.run_due()

    def told() -> list[str]:
        return [m["text"] for m in fake.messages.get(OWNER) or []]

    first = await digest_on(1)
    assert first.failed and not first.sent
    assert len(told()) == 1 and "/invite @briefbot" in told()[0] and "#quiet" in told()[0]
    second = await digest_on(2)
    assert second.failed and len(told()) == 1  # the same episode: not told again
    # Invited: the next digest is posted, and the episode is over.
    fake.members_of.add("C0QUIET")
    assert (await digest_on(3)).sent and len(told()) == 1
    # Removed again, with news to post: a new episode, told once more.
    fake.members_of.discard("C0QUIET")
    update = news_analyses[1].model_copy(deep=True)
    update.article.url = "https://news.example.org/3-later"
    update.article.text += " The water board will publish its report next week."
    await store_articles(store, FEED, [update], NOW + timedelta(days=3, hours=9))
    assert (await digest_on(4)).failed
    assert len(told()) == 2
    assert (await digest_on(5)).failed and len(told()) == 2
    # A failure of another kind is an episode of its own.
    del fake.channels["C0QUIET"]
    assert (await digest_on(6)).failed
    assert len(told()) == 3 and "deleted or archived" in told()[-1]
