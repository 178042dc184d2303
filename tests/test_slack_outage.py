"""Slack answering 5xx for a while: the digest is backed off, delivered later, and once."""

from __future__ import annotations

from conftest_store import *  # noqa: F403 - the store fixtures
from fakes.slack_api import FakeSlack
from test_commands_support import *  # noqa: F403 - articles and helpers
from test_fanout_delivery import down_then_up
from test_slack_commands import NEWS
from test_slack_delivery import fake, world  # noqa: F401 - fixtures

from bot.delivery import DeliveryRouter


async def test_slack_down_for_a_while_gets_the_digest_later_once(fake: FakeSlack, world) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    delivery, store, _, clock = world
    fake.outage("chat.postMessage", seconds=3600)
    fake.outage("conversations.history", seconds=3600)
    router = DeliveryRouter({"slack": delivery})
    await down_then_up(store, router, clock, lambda: len(fake.messages.get(NEWS, [])), fake.outages.clear)
    assert fake.outage_answers.count("chat.postMessage") == 1
