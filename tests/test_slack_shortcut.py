"""The "Brief this link" message shortcut through the real bolt app: signed message_action payloads, the real
link reader reading pages served on loopback, answers read from the fake Slack's response_url."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from fakes.slack_api import FakeSlack, interaction_body
from link_pages import DAM_PAGE_TITLE, Pages, serve_pages
from spacy.language import Language
from test_commands_support import *  # noqa: F403 - articles and helpers
from test_commands_support import ADMIN
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

from bot.bootstrap import read_options
from bot.commands.catalog import COMMANDS
from bot.feeds.extraction import ThreadExtractor
from bot.feeds.links import LinkReader
from bot.slack.manifest import app_manifest
from briefings.models import ArticleAnalysis


@pytest.fixture
async def fake() -> AsyncIterator[FakeSlack]:
    async for server in fake_slack():
        yield server


@pytest.fixture
async def pages() -> AsyncIterator[Pages]:
    async with serve_pages() as served:
        yield served


async def reading(
    fake: FakeSlack, tmp_path: Path, nlp: Language, allow_private: bool
) -> AsyncIterator[Running]:
    settings = slack_settings(fake, tmp_path, allow_private_urls=allow_private)
    reader = LinkReader(read_options(settings), ThreadExtractor(nlp))
    try:
        async with serving(fake, settings, links=reader) as served:
            yield served
    finally:
        await reader.close()


@pytest.fixture
async def running(fake: FakeSlack, tmp_path: Path, nlp: Language) -> AsyncIterator[Running]:
    async for served in reading(fake, tmp_path, nlp, allow_private=True):
        yield served


@pytest.fixture
async def guarded(fake: FakeSlack, tmp_path: Path, nlp: Language) -> AsyncIterator[Running]:
    """BRIEFBOT_ALLOW_PRIVATE_URLS off, as in production."""
    async for served in reading(fake, tmp_path, nlp, allow_private=False):
        yield served


def message_action(running: Running, rid: str, text: str, **message: Any) -> dict[str, Any]:
    """A message_action payload as Slack sends it when someone picks the shortcut on a message."""
    return {
        "type": "message_action",
        "token": "unused",
        "action_ts": "1773316800.000100",
        "team": {"id": TEAM, "domain": "marlow"},
        "user": {"id": MEMBER, "username": "mo", "name": "mo", "team_id": TEAM},
        "channel": {"id": NEWS, "name": "news"},
        "is_enterprise_install": False,
        "enterprise": None,
        "callback_id": "brief_link",
        "trigger_id": "13345224609.738474920.8088930838d88f008e0",
        "response_url": running.fake.response_url(rid),
        "message_ts": "1773316000.000200",
        "message": {
            "type": "message",
            "user": "U0POSTER",
            "ts": "1773316000.000200",
            "text": text,
            **message,
        },
    }


async def shortcut(running: Running, rid: str, text: str, **message: Any) -> dict[str, Any]:
    """Use the shortcut; check Slack got an empty acknowledgement; the answer sent to response_url."""
    status, ack = await running.post(interaction_body(message_action(running, rid, text, **message)))
    assert status == 200 and not ack  # acknowledged at once, with nothing shown
    answers = await running.fake.wait_for(lambda: running.fake.responses.get(rid))
    assert len(answers) == 1
    return answers[0]


async def test_a_linked_article_is_briefed_privately_with_its_story(
    running: Running, pages: Pages, news_analyses: list[ArticleAnalysis]
) -> None:
    await set_up(running, news_analyses)
    url = pages.url("/dam")
    answer = await shortcut(running, "dam", f"Worrying: <{url}|the Courier's report>")
    assert answer["response_type"] == "ephemeral" and answer["replace_original"] is False
    said = text_of(answer)
    assert answer["blocks"][0] == {
        "type": "header",
        "text": {"type": "plain_text", "text": DAM_PAGE_TITLE, "emoji": False},
    }
    assert "crack" in said and "*Where*" in said
    assert "Its story in this channel: “Marlow Heights dam" in said
    assert not running.fake.calls_of("chat.postMessage")  # nothing in the channel


async def test_a_message_without_a_link_is_answered_clearly(
    running: Running, news_analyses: list[ArticleAnalysis]
) -> None:
    await set_up(running, news_analyses)
    answer = await shortcut(running, "plain", "Is the dam &lt;really&gt; safe? Ask <@U0OWNER>")
    assert answer["response_type"] == "ephemeral"
    assert "That message has no link to brief" in text_of(answer)


async def test_a_link_preview_counts_as_the_messages_link(
    running: Running, pages: Pages, news_analyses: list[ArticleAnalysis]
) -> None:
    await set_up(running, news_analyses)
    preview = {"original_url": pages.url("/dam"), "title": "Courier", "from_url": pages.url("/dam")}
    answer = await shortcut(running, "unfurl", "look at this", attachments=[preview])
    assert DAM_PAGE_TITLE in text_of(answer)


async def test_a_link_to_a_private_address_is_refused(
    guarded: Running, pages: Pages, news_analyses: list[ArticleAnalysis]
) -> None:
    await set_up(guarded, news_analyses)
    status_before = await guarded.admin.status(NEWS_REF, ADMIN)
    answer = await shortcut(guarded, "private", f"<{pages.url('/dam')}>")
    said = text_of(answer)
    assert answer["response_type"] == "ephemeral"
    assert "private, loopback or reserved address" in said and DAM_PAGE_TITLE not in said
    assert (await guarded.admin.status(NEWS_REF, ADMIN)).config == status_before.config


def test_the_manifest_declares_the_shortcut() -> None:
    manifest = app_manifest(COMMANDS, "https://bot.example.org", socket_mode=False)
    assert manifest["features"]["shortcuts"] == [
        {
            "name": "Brief this link",
            "type": "message",
            "callback_id": "brief_link",
            "description": "The brief of the article a message links to, and this channel's story it belongs to",
        }
    ]
    assert manifest["settings"]["interactivity"]["request_url"] == "https://bot.example.org/slack/events"
