"""The real slack-bolt app, through briefbot's Slack adapter, over HTTP on loopback with signed requests.

Its Web API calls go to a fake Slack on loopback (tests/fakes/slack_api.py) through BRIEFBOT_SLACK_API_URL,
as an operator's staging set-up would point them; answers sent to a request's response_url are read there.
"""

from __future__ import annotations

import json
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from fakes.slack_api import FakeSlack, command_body, interaction_body, sign
from test_commands_support import *  # noqa: F403 - articles and helpers
from test_commands_support import ADMIN, FEED, NOW, AcceptingProbe, store_articles

from bot.channels.admin import ChannelAdmin
from bot.clock import FixedClock
from bot.commands.catalog import COMMANDS
from bot.commands.stories import StoryLibrary
from bot.commands.table import CommandServices, CommandTable, LinkAnalyser
from bot.config import BotSettings
from bot.identity import ChannelRef
from bot.slack.adapter import SlackAdapter
from bot.store.db import Store
from bot.store.migrate import upgrade_store
from briefings.models import ArticleAnalysis

TEAM = "T0MARLOW"
NEWS = "C0NEWS"
TOKEN = "xoxb-marlow-test"
SECRET = "test-signing-secret"
OWNER = "U0OWNER"
MEMBER = "U0MEMBER"
NEWS_REF = ChannelRef(platform="slack", workspace=TEAM, channel=NEWS)


@dataclass
class Running:
    fake: FakeSlack
    adapter: SlackAdapter
    store: Store
    admin: ChannelAdmin
    url: str
    http: aiohttp.ClientSession
    seq: int = 0

    async def command(self, command: str, text: str, user: str = OWNER, **extra: str) -> tuple[int, Any, str]:
        """Send a signed slash command; the HTTP status, the acknowledgement's JSON, the response_url id."""
        self.seq += 1
        rid = f"r{self.seq}"
        body = command_body(
            command,
            text,
            team=TEAM,
            channel=extra.pop("channel", NEWS),
            user=user,
            response_url=self.fake.response_url(rid),
            **extra,
        )
        return (*await self.post(body), rid)

    async def post(self, body: str, secret: str = SECRET, timestamp: int | None = None) -> tuple[int, Any]:
        headers = {"Content-Type": "application/x-www-form-urlencoded", **sign(secret, body, timestamp)}
        async with self.http.post(self.url, data=body.encode(), headers=headers) as response:
            text = await response.text()
            return response.status, (json.loads(text) if text.startswith("{") else text)

    async def answer(self, command: str, text: str, user: str = OWNER) -> dict[str, Any]:
        """The answer to a command: in the acknowledgement, or the first post to its response_url."""
        status, ack, rid = await self.command(command, text, user)
        assert status == 200
        if isinstance(ack, dict) and ack.get("blocks"):
            return ack
        return (await self.fake.wait_for(lambda: self.fake.responses.get(rid)))[0]


def text_of(message: dict[str, Any]) -> str:
    """Every text of a Block Kit message, joined."""
    parts = [message.get("text") or ""]
    for block in message.get("blocks") or []:
        if block.get("text"):
            parts.append(block["text"]["text"])
        parts += [f["text"] for f in block.get("fields") or []]
        parts += [
            e.get("text", "") if isinstance(e.get("text"), str) else e["text"]["text"]
            for e in block.get("elements") or []
        ]
    return "\n".join(parts)


@pytest.fixture
async def fake() -> AsyncIterator[FakeSlack]:
    async for server in fake_slack():
        yield server


async def fake_slack() -> AsyncIterator[FakeSlack]:
    """The fake Slack with the test workspace, its owner and a member, and #news."""
    server = FakeSlack()
    await server.start()
    server.add_workspace(TEAM, TOKEN)
    server.add_user(OWNER, "Ada Owner", admin=True, team=TEAM)
    server.add_user(MEMBER, "Mo Member", admin=False, team=TEAM)
    server.add_channel(NEWS, "news")
    yield server
    await server.stop()


def slack_settings(fake: FakeSlack, tmp_path: Path, **extra: Any) -> BotSettings:
    return BotSettings(
        data_dir=tmp_path,
        slack_bot_token=TOKEN,
        slack_signing_secret=SECRET,
        slack_api_url=fake.api_url,
        slack_port=0,
        **extra,
    )


@asynccontextmanager
async def serving(
    fake: FakeSlack,
    settings: BotSettings,
    links: LinkAnalyser | None = None,
    table: CommandTable = COMMANDS,
) -> AsyncIterator[Running]:
    """The Slack adapter listening on loopback with a fresh store, for signed requests."""
    store = Store.from_url(settings.store_url())
    await upgrade_store(store)
    clock = FixedClock(NOW)
    admin = ChannelAdmin(store, AcceptingProbe(), clock)
    services = CommandServices(
        stories=StoryLibrary(store, clock, max_age_s=0, stale_s=0), admin=admin, links=links
    )
    adapter = SlackAdapter(settings, table, services, store)
    await adapter.prepare()
    port = await adapter.listen()
    try:
        async with aiohttp.ClientSession() as http:
            yield Running(fake, adapter, store, admin, f"http://127.0.0.1:{port}/slack/events", http)
    finally:
        await adapter.stop()
        await store.close()


@pytest.fixture
async def running(fake: FakeSlack, tmp_path: Path) -> AsyncIterator[Running]:
    async with serving(fake, slack_settings(fake, tmp_path)) as served:
        yield served


async def set_up(running: Running, news_analyses: list[ArticleAnalysis]) -> None:
    """/briefing setup and /briefing feeds add by a workspace admin, then the feed's articles stored."""
    setup = await running.answer("/briefing", "setup")
    assert setup["response_type"] == "ephemeral"
    added = await running.answer("/briefing", f"feeds add <{FEED}>")
    assert "Now following" in text_of(added), text_of(added)
    await store_articles(running.store, FEED, news_analyses, NOW - timedelta(hours=1))


async def test_an_admin_sets_up_then_members_ask_who_and_timeline(
    running: Running, news_analyses: list[ArticleAnalysis]
) -> None:
    await set_up(running, news_analyses)
    status = await running.admin.status(NEWS_REF, ADMIN)
    assert [f.url for f in status.feeds] == [FEED]
    assert running.fake.calls_of("users.info")  # Slack was asked whether the person is a workspace admin

    who = await running.answer("/who", "Marlow Heights dam", user=MEMBER)
    assert who["response_type"] == "in_channel"
    assert who["blocks"][0]["type"] == "header" and who["blocks"][0]["text"]["text"].startswith("Who — ")
    assert "Ruth Ambani" in text_of(who) and "Colin Dray" in text_of(who)
    timeline = await running.answer("/timeline", 'story:"Marlow Heights dam"', user=MEMBER)
    assert timeline["blocks"][0]["text"]["text"].startswith("Timeline — ")
    for message in (who, timeline):
        assert len(message["blocks"]) <= 50 and message["text"]
        for block in message["blocks"]:
            if block["type"] == "header":
                assert len(block["text"]["text"]) <= 150
            if block["type"] == "section" and "text" in block:
                assert len(block["text"]["text"]) <= 3000


async def test_a_member_cannot_add_a_feed_and_nothing_is_stored(
    running: Running, news_analyses: list[ArticleAnalysis]
) -> None:
    await set_up(running, news_analyses)
    before = await running.admin.status(NEWS_REF, ADMIN)
    history = await running.admin.history(NEWS_REF, ADMIN, limit=100)
    refused = await running.answer("/briefing", "feeds add https://other.example.org/feed.xml", user=MEMBER)
    assert refused["response_type"] == "ephemeral"
    assert "Only a channel admin can use /briefing feeds add" in text_of(refused)
    assert (await running.admin.status(NEWS_REF, ADMIN)).config == before.config
    assert len(await running.admin.history(NEWS_REF, ADMIN, limit=100)) == len(history)
    # The channel's creator may, and so may a user id the operator lists.
    running.fake.channels[NEWS]["creator"] = MEMBER
    allowed = await running.answer("/briefing", "feeds add https://other.example.org/feed.xml", user=MEMBER)
    assert "Now following" in text_of(allowed)


async def test_a_shared_channel_of_another_organisation_takes_no_briefing(running: Running) -> None:
    running.fake.channels[NEWS].update(is_ext_shared=True, conversation_host_id="T0OTHER")
    refused = await running.answer("/briefing", "setup")
    assert refused["response_type"] == "ephemeral" and "shared from another organisation" in text_of(refused)
    async with running.store.transaction() as session:
        from bot.store import channels as channel_store

        assert await channel_store.find_channel(session, NEWS_REF) is None


async def test_bad_signatures_and_old_timestamps_are_refused_and_nothing_runs(running: Running) -> None:
    body = command_body(
        "/briefing", "setup", team=TEAM, channel=NEWS, user=OWNER, response_url=running.fake.response_url("x")
    )
    status, _ = await running.post(body, secret="not-the-secret")
    assert status == 401
    status, _ = await running.post(body, timestamp=int(time.time()) - 6 * 60)
    assert status == 401
    assert not running.fake.calls_of("users.info") and not running.fake.responses
    async with running.store.transaction() as session:
        from bot.store import channels as channel_store

        assert await channel_store.find_channel(session, NEWS_REF) is None


async def test_unknown_text_suggests_the_closest_command(running: Running) -> None:
    status, ack, _ = await running.command("/briefing", "fedds add https://x.example/feed")
    assert status == 200 and ack["response_type"] == "ephemeral"
    assert "Did you mean /briefing feeds" in ack["text"]
    status, ack, _ = await running.command("/brief", "help")
    assert "/timeline" in ack["text"] and ack["response_type"] == "ephemeral"


async def test_stories_has_buttons_and_a_button_answers(
    running: Running, news_analyses: list[ArticleAnalysis]
) -> None:
    await set_up(running, news_analyses)
    stories = await running.answer("/stories", "", user=MEMBER)
    actions = [b for b in stories["blocks"] if b["type"] == "actions"]
    assert actions and [e["text"]["text"] for e in actions[0]["elements"]] == ["Brief", "Who", "Timeline"]
    button = actions[0]["elements"][1]
    payload = {
        "type": "block_actions",
        "team": {"id": TEAM, "domain": "marlow"},
        "user": {"id": MEMBER, "name": "mo", "team_id": TEAM},
        "api_app_id": "ABRIEFBOT",
        "channel": {"id": NEWS, "name": "news"},
        "response_url": running.fake.response_url("button"),
        "trigger_id": "1.2.3",
        "actions": [
            {
                "action_id": button["action_id"],
                "value": button["value"],
                "type": "button",
                "block_id": actions[0]["block_id"],
            }
        ],
    }
    status, _ = await running.post(interaction_body(payload))
    assert status == 200
    answered = (await running.fake.wait_for(lambda: running.fake.responses.get("button")))[0]
    assert answered["response_type"] == "ephemeral" and answered["blocks"][0]["text"]["text"].startswith(
        "Who — "
    )


async def test_article_text_cannot_mention_anyone(
    running: Running, news_analyses: list[ArticleAnalysis]
) -> None:
    loud = news_analyses[0].model_copy(deep=True)
    loud.article.url = "https://news.example.org/loud"
    loud.article.title = "Marlow Heights dam <!channel> <@U0OWNER> <https://evil.example|bank> & more"
    await set_up(running, [loud, *news_analyses[1:]])
    answer = await running.answer("/brief", "Marlow Heights dam", user=MEMBER)
    sent = json.dumps([b for b in answer["blocks"] if b["type"] != "header"])
    assert "<!channel>" not in sent and "<@U0OWNER>" not in sent and "<https://evil.example|bank>" not in sent
    assert "&lt;!channel&gt;" in sent or "channel" not in sent


def test_a_command_prefix_is_said_back_without_touching_addresses() -> None:
    from bot.slack.app import _prefixed

    said = _prefixed(
        "There is no command /brifing. Did you mean /briefing? See https://x.example/a/b", "news-"
    )
    assert said == "There is no command /news-brifing. Did you mean /news-briefing? See https://x.example/a/b"
