""" "Brief this link" run without any platform: the real link reader (SSRF-safe fetch, the engine's analysis)
reading pages served on loopback, matched against the stored stories of the channel."""

from __future__ import annotations

import dataclasses
from collections.abc import AsyncIterator
from datetime import timedelta

import pytest
from conftest_store import *  # noqa: F403 - the store fixtures
from link_pages import DAM_PAGE_TITLE, FAIR_PAGE_TITLE, Pages, serve_pages
from spacy.language import Language
from test_commands import text_of
from test_commands_support import *  # noqa: F403 - articles and helpers
from test_commands_support import ADMIN, FEED, MEMBER, NOW, set_up_channel, store_articles

from bot.bootstrap import read_options
from bot.clock import FixedClock
from bot.commands.catalog import COMMANDS
from bot.commands.dispatch import Outcome, run_command
from bot.commands.links import links_in_text
from bot.commands.stories import StoryLibrary
from bot.commands.table import CommandContext, CommandServices
from bot.config import BotSettings
from bot.feeds.extraction import ThreadExtractor
from bot.feeds.links import LinkReader
from bot.identity import ChannelRef
from bot.store.db import Store
from briefings.models import ArticleAnalysis
from briefings.render import Fields, Heading, Link

REF = ChannelRef(platform="console", workspace="local", channel="news")
ACTION = COMMANDS.message_action("brief_link")


@pytest.fixture
async def pages() -> AsyncIterator[Pages]:
    async with serve_pages() as served:
        yield served


def link_reader(nlp: Language, allow_private: bool = True) -> LinkReader:
    settings = BotSettings(allow_private_urls=allow_private)
    return LinkReader(read_options(settings), ThreadExtractor(nlp))


@pytest.fixture
async def services(
    store: Store, nlp: Language, news_analyses: list[ArticleAnalysis]
) -> AsyncIterator[CommandServices]:
    clock = FixedClock(NOW)
    admin = await set_up_channel(store, clock, REF)
    await store_articles(store, FEED, news_analyses, NOW - timedelta(hours=1))
    reader = link_reader(nlp)
    yield CommandServices(
        stories=StoryLibrary(store, clock, max_age_s=0, stale_s=0), admin=admin, links=reader
    )
    await reader.close()


async def brief(services: CommandServices, text: str, ref: ChannelRef = REF) -> Outcome:
    assert ACTION is not None
    return await run_command(ACTION, {"text": text}, CommandContext(ref, MEMBER, services))


def test_the_action_is_declared_once_beside_the_slash_commands() -> None:
    assert ACTION is not None and ACTION.label == "Brief this link" and ACTION.ephemeral and ACTION.slow
    assert ACTION not in list(COMMANDS) and COMMANDS.find(ACTION.path) is None  # never typed as a command
    assert list(ACTION.options.model_fields) == ["text"]


def test_links_are_found_in_plain_text() -> None:
    text = (
        "Read https://a.example/x/1, and (see https://b.example/wiki/Dam_(engineering)). "
        "Also <https://c.example/q?a=1&b=2> and [here](https://d.example/p) and https://a.example/x/1."
    )
    assert links_in_text(text) == [
        "https://a.example/x/1",
        "https://b.example/wiki/Dam_(engineering)",
        "https://c.example/q?a=1&b=2",
        "https://d.example/p",
    ]
    assert links_in_text("no links here, only ftp://x.example and http://") == []


async def test_a_link_is_briefed_with_its_story_in_this_channel(
    services: CommandServices, pages: Pages
) -> None:
    outcome = await brief(services, f"Have you seen this? {pages.url('/dam')}")
    assert outcome.ephemeral and not outcome.refused
    blocks = outcome.reply.blocks
    assert isinstance(blocks[0], Heading) and blocks[0].text == DAM_PAGE_TITLE
    said = text_of(outcome.reply)
    assert "crack" in said  # the short digest
    fields = next(b for b in blocks if isinstance(b, Fields))
    assert {f.name for f in fields.fields} <= {"Who", "When", "Where"} and fields.fields
    assert any(isinstance(b, Link) and b.url == pages.url("/dam") for b in blocks)
    assert "Its story in this channel: “Marlow Heights" in said
    assert "nothing was stored" in said


async def test_an_article_of_no_story_here_says_so_and_nothing_is_stored(
    services: CommandServices, pages: Pages, store: Store
) -> None:
    before = await services.stories.news_for(REF)
    history = await services.admin.history(REF, ADMIN, limit=100)
    outcome = await brief(services, pages.url("/fair"))
    said = text_of(outcome.reply)
    assert FAIR_PAGE_TITLE in said and "Its story in this channel: none" in said
    services.stories.forget(REF)
    after = await services.stories.news_for(REF)
    assert len(after.analyses) == len(before.analyses)  # no article was added to the channel's
    assert len(await services.admin.history(REF, ADMIN, limit=100)) == len(history)


async def test_a_message_without_a_link_is_answered_clearly(services: CommandServices) -> None:
    outcome = await brief(services, "What do you all think about the dam?")
    assert outcome.refused and outcome.ephemeral
    assert "That message has no link to brief" in text_of(outcome.reply)


async def test_several_links_are_read_up_to_three(services: CommandServices, pages: Pages) -> None:
    urls = [pages.url(p) for p in ("/dam", "/fair", "/feed.xml", "/missing")]
    outcome = await brief(services, " ".join(urls))
    said = text_of(outcome.reply)
    assert DAM_PAGE_TITLE in said and FAIR_PAGE_TITLE in said
    assert "it is a feed, not an article" in said  # the third
    assert "1 more link not read: at most 3 a message" in said
    assert "/missing" not in said


async def test_a_private_address_is_refused_when_private_urls_are_off(
    services: CommandServices, pages: Pages, nlp: Language
) -> None:
    closed = link_reader(nlp, allow_private=False)
    try:
        outcome = await brief(dataclasses.replace(services, links=closed), pages.url("/dam"))
    finally:
        await closed.close()
    said = text_of(outcome.reply)
    assert "private, loopback or reserved address" in said
    assert DAM_PAGE_TITLE not in said


async def test_a_channel_not_set_up_still_gets_the_brief(services: CommandServices, pages: Pages) -> None:
    elsewhere = ChannelRef(platform="console", workspace="local", channel="elsewhere")
    outcome = await brief(services, pages.url("/dam"), ref=elsewhere)
    said = text_of(outcome.reply)
    assert DAM_PAGE_TITLE in said and "Its story in this channel: not known" in said
    assert "/briefing setup" in said
