"""Answers on Slack through the real bolt app: past response_url's five posts, with a command prefix, and
from a direct message."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from fakes.slack_api import FakeSlack, interaction_body
from test_commands_support import *  # noqa: F403 - articles and helpers
from test_commands_support import ADMIN, FEED, NOW, store_articles
from test_slack_commands import (
    MEMBER,
    NEWS,
    NEWS_REF,
    TEAM,
    Running,
    fake_slack,
    serving,
    set_up,
    slack_settings,
    text_of,
)

from bot.commands.catalog import COMMANDS
from bot.commands.options import NoOptions
from bot.commands.table import Command, CommandContext, CommandTable
from bot.identity import ChannelRef
from bot.slack.more import MAX_RESPONSES, MORE_ACTION
from bot.store import channels as channel_store
from briefings.models import ArticleAnalysis
from briefings.render import Paragraph, Reply

LINES = 330  # 50 blocks a message: seven messages


async def long_answer(ctx: CommandContext, options: NoOptions) -> Reply:
    return Reply(blocks=[Paragraph(text=f"line {i:03d} of a long answer") for i in range(LINES)])


LONG_TABLE = CommandTable(
    commands=(*COMMANDS.commands, Command(("long",), "An answer of many messages", NoOptions, long_answer)),
    groups=COMMANDS.groups,
    admin_groups=COMMANDS.admin_groups,
    message_actions=COMMANDS.message_actions,
)


@pytest.fixture
async def fake() -> AsyncIterator[FakeSlack]:
    async for server in fake_slack():
        yield server


@pytest.fixture
async def running(fake: FakeSlack, tmp_path: Path) -> AsyncIterator[Running]:
    async with serving(fake, slack_settings(fake, tmp_path), table=LONG_TABLE) as served:
        yield served


@pytest.fixture
async def prefixed(fake: FakeSlack, tmp_path: Path) -> AsyncIterator[Running]:
    settings = slack_settings(fake, tmp_path, slack_command_prefix="news-")
    async with serving(fake, settings) as served:
        yield served


def lines_in(messages: list[dict[str, Any]]) -> list[int]:
    """The numbered lines shown in the messages' blocks (not their notification text), in order."""
    shown = "\n".join(text_of({"blocks": m.get("blocks")}) for m in messages)
    return [int(n) for n in re.findall(r"line (\d{3}) of", shown)]


def more_button(message: dict[str, Any]) -> dict[str, Any] | None:
    for block in message.get("blocks") or []:
        for element in block.get("elements") or []:
            if element.get("action_id") == MORE_ACTION:
                return element  # type: ignore[no-any-return]
    return None


async def press_more(running: Running, button: dict[str, Any], rid: str) -> list[dict[str, Any]]:
    payload = {
        "type": "block_actions",
        "team": {"id": TEAM, "domain": "marlow"},
        "user": {"id": MEMBER, "username": "mo", "team_id": TEAM},
        "api_app_id": "ABRIEFBOT",
        "channel": {"id": NEWS, "name": "news"},
        "response_url": running.fake.response_url(rid),
        "trigger_id": "1.2.3",
        "actions": [
            {
                "action_id": MORE_ACTION,
                "value": button["value"],
                "type": "button",
                "block_id": "briefbot_more",
            }
        ],
    }
    status, _ = await running.post(interaction_body(payload))
    assert status == 200
    await running.fake.wait_for(lambda: running.fake.responses.get(rid))
    return running.fake.responses[rid]


async def test_an_answer_past_five_responses_goes_on_behind_more(
    running: Running, news_analyses: list[ArticleAnalysis]
) -> None:
    await set_up(running, news_analyses)
    status, ack, rid = await running.command("/long", "", user=MEMBER)
    assert status == 200
    first = [ack] if isinstance(ack, dict) and ack.get("blocks") else []
    sent = await running.fake.wait_for(
        lambda: len(running.fake.responses.get(rid, [])) >= MAX_RESPONSES and running.fake.responses[rid]
    )
    assert len(sent) == MAX_RESPONSES  # never more than response_url takes
    button = more_button(sent[-1])
    assert button is not None and "more messages of this answer" in text_of(sent[-1])
    seen = lines_in(first + sent)
    assert seen == list(range(len(seen))) and 0 < len(seen) < LINES

    rest: list[dict[str, Any]] = []
    presses = 0
    while button is not None:
        presses += 1
        answers = await press_more(running, button, f"more{presses}")
        assert len(answers) <= MAX_RESPONSES and all(a["response_type"] == "ephemeral" for a in answers)
        rest += answers
        button = more_button(answers[-1])
    assert seen + lines_in(rest) == list(range(LINES))  # everything, once, in order


async def test_a_prefixed_command_runs_end_to_end(
    prefixed: Running, news_analyses: list[ArticleAnalysis]
) -> None:
    running = prefixed
    setup = await running.answer("/news-briefing", "setup")
    assert setup["response_type"] == "ephemeral" and not setup.get("replace_original")
    added = await running.answer("/news-briefing", f"feeds add <{FEED}>")
    assert "Now following" in text_of(added)
    assert [f.url for f in (await running.admin.status(NEWS_REF, ADMIN)).feeds] == [FEED]
    await store_articles(running.store, FEED, news_analyses, NOW - timedelta(hours=1))
    who = await running.answer("/news-who", "Marlow Heights dam", user=MEMBER)
    assert who["response_type"] == "in_channel" and "Ruth Ambani" in text_of(who)
    # Help and mistakes name the commands as this workspace types them.
    _, helped, _ = await running.command("/news-brief", "help")
    assert "/news-timeline" in helped["text"] and "`/timeline" not in helped["text"]
    _, wrong, _ = await running.command("/news-briefing", "fedds add https://x.example/feed")
    assert "Did you mean /news-briefing feeds" in wrong["text"]
    # The unprefixed command is not this app's: Slack would not send it, and nothing answers it here.
    status, _, _ = await running.command("/who", "Marlow Heights dam")
    assert status == 404


async def test_briefing_in_a_direct_message_is_answered_clearly(running: Running) -> None:
    status, ack, rid = await running.command("/briefing", "setup", channel="D0DIRECT")
    assert status == 200 and ack["response_type"] == "ephemeral"
    assert "briefbot answers in channels" in ack["text"]
    assert not running.fake.responses.get(rid) and not running.fake.calls_of("users.info")
    async with running.store.transaction() as session:
        direct = ChannelRef(platform="slack", workspace=TEAM, channel="D0DIRECT")
        assert await channel_store.find_channel(session, direct) is None
