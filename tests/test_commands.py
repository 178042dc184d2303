"""The command table, run without any platform: answers from stored stories, and every kind of bad input."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from typing import Any

import pytest
from conftest_store import *  # noqa: F403 - the store fixtures
from test_commands_support import *  # noqa: F403 - articles and helpers
from test_commands_support import ADMIN, FEED, MEMBER, NOW, set_up_channel, store_articles

from bot.channels.admin import ChannelAdmin
from bot.clock import FixedClock
from bot.commands.catalog import COMMANDS
from bot.commands.dispatch import Outcome, run_command
from bot.commands.options import StoryOptions
from bot.commands.stories import StoryLibrary
from bot.commands.table import Command, CommandContext, CommandServices
from bot.identity import Caller, ChannelRef
from bot.store.db import Store
from briefings.models import ArticleAnalysis
from briefings.render import Block, BulletList, Context, Fields, Heading, Paragraph, Reply

REF = ChannelRef(platform="console", workspace="local", channel="news")


def text_of(reply: Reply) -> str:
    """Every word of a reply, one block a line (what any platform would show)."""
    lines: list[str] = []
    for block in reply.blocks:
        lines.extend(_block_lines(block))
    return "\n".join(lines)


def _block_lines(block: Block) -> list[str]:
    if isinstance(block, Heading | Paragraph):
        return [block.text]
    if isinstance(block, Fields):
        return [f"{f.name}: {f.value}" for f in block.fields]
    if isinstance(block, BulletList):
        return list(block.items)
    if isinstance(block, Context):
        return [" · ".join(block.elements)]
    return []


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(NOW)


@pytest.fixture
async def admin(store: Store, clock: FixedClock, news_analyses: list[ArticleAnalysis]) -> ChannelAdmin:
    api = await set_up_channel(store, clock, REF)
    await store_articles(store, FEED, news_analyses, NOW - timedelta(hours=1))
    return api


@pytest.fixture
def services(store: Store, clock: FixedClock, admin: ChannelAdmin) -> CommandServices:
    return CommandServices(stories=StoryLibrary(store, clock, max_age_s=0, stale_s=0), admin=admin)


async def run(
    services: CommandServices, path: str, caller: Caller = MEMBER, ref: ChannelRef = REF, **options: Any
) -> Outcome:
    command = COMMANDS.find(tuple(path.split()))
    assert command is not None, path
    return await run_command(command, options, CommandContext(ref, caller, services))


async def audit_count(admin: ChannelAdmin) -> int:
    return len(await admin.history(REF, ADMIN, limit=1000))


def test_every_command_is_declared_once_with_a_short_description() -> None:
    paths = [c.path for c in COMMANDS]
    assert len(paths) == len(set(paths))
    wanted = {"brief", "who", "timeline", "where", "quotes", "sources", "stories"}
    assert wanted <= {c.name for c in COMMANDS}
    assert {c.name for c in COMMANDS if c.path[0] == "briefing"} == {
        "briefing setup",
        "briefing feeds add",
        "briefing feeds remove",
        "briefing feeds list",
        "briefing schedule",
        "briefing topics",
        "briefing preview",
        "briefing pause",
        "briefing resume",
        "briefing status",
    }
    for command in COMMANDS:
        assert 0 < len(command.description) <= 100, command.name
        for name, field in command.options.model_fields.items():
            assert field.description and len(field.description) <= 100, (command.name, name)
    changing = {c.name for c in COMMANDS if c.changes_config}
    assert all(COMMANDS.find(tuple(n.split())).permission == "admin" for n in changing)  # type: ignore[union-attr]


async def test_who_answers_from_the_stored_story_with_titles(services: CommandServices) -> None:
    outcome = await run(services, "who", story="Marlow Heights dam")
    assert not outcome.refused and not outcome.ephemeral
    text = text_of(outcome.reply)
    assert text.startswith("Who — ")
    assert "Ruth Ambani" in text and "Colin Dray" in text
    assert "Bea Lund" not in text  # another story


async def test_a_story_is_found_by_its_name_a_keyword_or_an_actor(services: CommandServices) -> None:
    by_actor = await run(services, "timeline", story="Bea Lund")
    by_keyword = await run(services, "timeline", story="coal plant")
    by_name = await run(services, "timeline", story="orrin council votes to close coal plant by 2030")
    assert {text_of(o.reply).splitlines()[0] for o in (by_actor, by_keyword, by_name)} == {
        text_of(by_actor.reply).splitlines()[0]
    }
    assert "Orrin" in text_of(by_actor.reply)


async def test_without_a_story_the_top_story_answers(services: CommandServices) -> None:
    stories = text_of((await run(services, "stories")).reply)
    top = stories.splitlines()[1]  # after the heading: the best-ranked story (two sources: the dam)
    assert "Marlow" in top and "2 sources" in top
    assert "Marlow" in text_of((await run(services, "who")).reply).splitlines()[0]
    brief = text_of((await run(services, "brief")).reply)
    assert "Marlow" in brief and "Orrin" in brief


async def test_an_unknown_story_is_refused_with_a_way_on(services: CommandServices) -> None:
    outcome = await run(services, "who", story="volcano in Zembla")
    assert outcome.refused and outcome.ephemeral
    text = text_of(outcome.reply)
    assert "No story in this channel's news matches “volcano in Zembla”" in text
    assert "/stories" in text


async def test_a_name_with_no_match_suggests_the_closest(services: CommandServices) -> None:
    outcome = await run(services, "who", story="Marlow Heights dam", name="Ruth Ambany")
    text = text_of(outcome.reply)
    assert "Ruth Ambani" in text
    missing = text_of((await run(services, "who", story="Marlow Heights dam", name="Ambanu R")).reply)
    assert "Did you mean" in missing or "Ruth Ambani" in missing
    nobody = text_of((await run(services, "quotes", story="Marlow Heights dam", who="Zed Quill")).reply)
    assert "No quotes from “Zed Quill”" in nobody


async def test_an_option_too_long_is_refused_and_nothing_is_stored(
    services: CommandServices, admin: ChannelAdmin
) -> None:
    before = await audit_count(admin)
    outcome = await run(services, "briefing feeds add", ADMIN, url="https://x.example.org/" + "a" * 2100)
    assert outcome.refused and outcome.ephemeral
    assert "url can be at most 2000 characters; yours has 2,122." in text_of(outcome.reply)
    assert "Nothing was changed." in text_of(outcome.reply)
    story = await run(services, "who", story="x" * 101)
    assert "story can be at most 100 characters" in text_of(story.reply)
    assert await audit_count(admin) == before
    assert (await admin.status(REF, ADMIN)).config.feeds == [FEED]


async def test_a_non_admin_is_refused_and_nothing_is_stored(
    services: CommandServices, admin: ChannelAdmin
) -> None:
    before = await admin.status(REF, ADMIN)
    history = await audit_count(admin)
    for path, options in [
        ("briefing feeds add", {"url": "https://other.example.org/rss"}),
        ("briefing feeds remove", {"url": FEED}),
        ("briefing schedule", {"when": "09:00 UTC"}),
        ("briefing pause", {}),
        ("briefing topics", {"clear": True}),
        ("briefing setup", {}),
        ("briefing preview", {}),
    ]:
        outcome = await run(services, path, MEMBER, **options)
        assert outcome.refused and outcome.ephemeral, path
        assert "Only a channel admin can use /" + path in text_of(outcome.reply)
    assert (await admin.status(REF, ADMIN)).config == before.config
    assert await audit_count(admin) == history
    status = await run(services, "briefing status", MEMBER)  # reading is open to members
    assert not status.refused and FEED in text_of(status.reply)


async def test_a_channel_with_no_configuration_explains_how_to_set_one_up(
    services: CommandServices,
) -> None:
    elsewhere = ChannelRef(platform="console", workspace="local", channel="elsewhere")
    for path in ("brief", "who", "briefing status", "briefing feeds add"):
        options = {"url": "https://news.example.org/x.xml"} if path.endswith("add") else {}
        outcome = await run(services, path, ADMIN, elsewhere, **options)
        assert outcome.refused, path
        assert "/briefing setup" in text_of(outcome.reply), path


async def test_admin_commands_change_the_configuration_and_answers_follow(
    services: CommandServices, admin: ChannelAdmin
) -> None:
    assert "Ruth Ambani" in text_of((await run(services, "who")).reply)
    removed = await run(services, "briefing feeds remove", ADMIN, url=FEED)
    assert not removed.refused and "No longer following" in text_of(removed.reply)
    after = await run(services, "who")
    assert after.refused and "No stories yet" in text_of(after.reply)
    schedule = await run(services, "briefing schedule", ADMIN, when="25:00")
    assert schedule.refused and "hours go from 00 to 23" in text_of(schedule.reply)
    topics = await run(services, "briefing topics", ADMIN, keywords="dam, flood")
    assert "keywords: dam, flood" in text_of(topics.reply)
    actors = await run(services, "briefing topics", ADMIN, actors="Ruth Ambani")
    assert "keywords: dam, flood; actors: Ruth Ambani" in text_of(actors.reply)
    assert "paused" in text_of((await run(services, "briefing pause", ADMIN)).reply)


async def test_unknown_options_and_wrong_types_are_explained(services: CommandServices) -> None:
    extra = await run(services, "timeline", story="dam", colour="blue")
    assert "/timeline has no option “colour” (its options: story)." in text_of(extra.reply)
    number = await run(services, "briefing setup", ADMIN, stories=99)
    assert "stories must be from 1 to 20." in text_of(number.reply)
    missing = await run(services, "briefing schedule", ADMIN)
    assert "when is needed" in text_of(missing.reply)


async def test_a_failure_inside_a_handler_is_one_plain_sentence(services: CommandServices) -> None:
    async def broken(ctx: CommandContext, options: StoryOptions) -> Reply:
        raise RuntimeError("secret internals")

    command = Command(("broken",), "fails", StoryOptions, broken)
    outcome = await run_command(command, {}, CommandContext(REF, MEMBER, services))
    assert outcome.refused and outcome.ephemeral
    assert "Something went wrong on briefbot's side" in text_of(outcome.reply)
    assert "secret internals" not in text_of(outcome.reply)


async def test_stories_are_kept_and_new_articles_show_up_after_the_check(
    store: Store, clock: FixedClock, admin: ChannelAdmin, news_analyses: list[ArticleAnalysis]
) -> None:
    library = StoryLibrary(store, clock, max_age_s=3600)
    first = await library.news_for(REF)
    assert await library.news_for(REF) is first  # within max_age: no store access, the same stories
    library.max_age_s = library.stale_s = 0
    assert await library.news_for(REF) is first  # checked: nothing new, nothing rebuilt
    extra = news_analyses[2].model_copy(deep=True)
    extra.article.url = "https://news.example.org/again"
    extra.article.text += " The vote was 7 to 2."
    await store_articles(store, FEED, [extra], NOW - timedelta(minutes=5))
    rebuilt = await library.news_for(REF)
    assert rebuilt is not first
    assert sum(len(s.articles) for s in rebuilt.stories) == 4


async def test_story_completions_match_names_people_and_words(
    services: CommandServices,
) -> None:
    news = await services.stories.news_for(REF)
    everything = news.choices("", 25, 100)
    assert len(everything) == 2
    for typed in ("marlow", "Ambani", "spillway"):
        choices = news.choices(typed, 25, 100)
        assert choices and "Marlow" in choices[0].name, typed
        assert news.find(choices[0].value).id == choices[0].value
    assert all(len(c.name) <= 100 and len(c.value) <= 100 for c in everything)


async def test_a_stale_view_answers_at_once_while_it_is_checked(
    store: Store, clock: FixedClock, admin: ChannelAdmin, news_analyses: list[ArticleAnalysis]
) -> None:
    library = StoryLibrary(store, clock, max_age_s=0, stale_s=3600)
    first = await library.news_for(REF)
    extra = news_analyses[2].model_copy(deep=True)
    extra.article.url = "https://news.example.org/later"
    extra.article.text += " Turnout was high."
    await store_articles(store, FEED, [extra], NOW - timedelta(minutes=1))
    assert await library.news_for(REF) is first  # no command waits for the store...
    for _ in range(200):  # ...while the check runs in the background
        await asyncio.sleep(0.02)
        if not library._refreshing:
            break
    assert sum(len(s.articles) for s in (await library.news_for(REF)).stories) == 4
    library.forget(REF)  # a configuration change: the next command waits for a fresh read
    assert await library.news_for(REF) is not first


async def test_brief_without_a_story_keeps_to_the_channel_topics_and_says_what_they_hide(
    services: CommandServices,
) -> None:
    await run(services, "briefing topics", ADMIN, keywords="coal plant")
    brief = text_of((await run(services, "brief")).reply)
    assert "Orrin" in brief and "Marlow Heights" not in brief
    assert "On this channel's topics (keywords: coal plant): 1 other story is hidden." in brief
    assert "/stories lists every story." in brief
    assert "Marlow Heights" in text_of((await run(services, "stories")).reply)  # the way to the hidden ones
    assert "Marlow" in text_of((await run(services, "brief", story="Marlow Heights dam")).reply)

    await run(services, "briefing topics", ADMIN, clear=True)
    await run(services, "briefing topics", ADMIN, actors="Ruth Ambani")  # by a person: the digest's rule
    by_actor = text_of((await run(services, "brief")).reply)
    assert "Marlow Heights" in by_actor and "Orrin" not in by_actor

    await run(services, "briefing topics", ADMIN, clear=True)
    await run(services, "briefing topics", ADMIN, keywords="volcano")
    nothing = await run(services, "brief")
    assert not nothing.refused
    assert "None of the 2 stories in this channel's news is on its topics (keywords: volcano)" in text_of(
        nothing.reply
    )

    await run(services, "briefing topics", ADMIN, clear=True)
    everything = text_of((await run(services, "brief")).reply)
    assert "Marlow Heights" in everything and "Orrin" in everything and "hidden" not in everything
