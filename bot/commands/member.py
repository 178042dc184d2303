"""The members' commands: answers from the channel's stories, through the engine's answer functions."""

from __future__ import annotations

from collections.abc import Sequence

from bot.channels.config import TopicFilter
from bot.commands.options import BriefOptions, NoOptions, QuotesOptions, StoryOptions, WhoOptions
from bot.commands.table import CommandContext
from briefings.digest.answers import (
    actor_card,
    brief_answer,
    quotes_answer,
    sources_answer,
    stories_answer,
    story_brief_answer,
    timeline_answer,
    where_answer,
    who_answer,
)
from briefings.models import Story
from briefings.render import Context, Paragraph, Reply


async def brief(ctx: CommandContext, options: BriefOptions) -> Reply:
    """The top stories now on the channel's topics (headline, first line, sources), or one story's digest."""
    news, topics = await ctx.news_and_topics()
    if options.story is None:
        if not news.stories:
            raise news.no_stories()
        if topics.is_empty():
            return news.answer(("brief",), lambda: brief_answer(news.stories))
        # Channels sharing these stories may follow other topics: the answer is kept per set of topics.
        key = ("brief", "topics", *topics.keywords, "|", *topics.actors)
        return news.answer(key, lambda: topical_brief(news.stories, news.on_topics(topics), topics))
    news, story = await ctx.story(options.story)
    return news.answer(("brief", story.id), lambda: story_brief_answer(story))


def topical_brief(stories: Sequence[Story], on_topics: Sequence[Story], topics: TopicFilter) -> Reply:
    """The top stories on the channel's topics, saying how many the topics hide and how to see them."""
    hidden = len(stories) - len(on_topics)
    if not on_topics:
        return Reply(
            blocks=[
                Paragraph(
                    text=f"None of the {len(stories)} stories in this channel's news is on its topics "
                    f"({topics.describe()}). /stories lists them all and /brief story:… gives any one; "
                    "a channel admin can change the topics with /briefing topics."
                )
            ]
        )
    reply = brief_answer(on_topics)
    if not hidden:
        return reply
    note = (
        f"On this channel's topics ({topics.describe()}): {hidden} other "
        f"stor{'y is' if hidden == 1 else 'ies are'} hidden. /stories lists every story."
    )
    return Reply(blocks=[*reply.blocks, Context(elements=[note])])


async def who(ctx: CommandContext, options: WhoOptions) -> Reply:
    """The people and organisations of a story, or one actor's card (the closest names when none match)."""
    name = options.name
    if name is None:
        return await ctx.people_answer(options.story, ("who",), who_answer)
    return await ctx.people_answer(
        options.story,
        ("who", name.casefold()),
        lambda story, analyses: actor_card(story, name, analyses),
    )


async def timeline(ctx: CommandContext, options: StoryOptions) -> Reply:
    """A story's dated events in order, each with its sources."""
    return await ctx.timeline(options.story, timeline_answer)


async def where(ctx: CommandContext, options: StoryOptions) -> Reply:
    """A story's places, their other spellings, and what happened at each."""
    return await ctx.people_answer(options.story, ("where",), where_answer)


async def quotes(ctx: CommandContext, options: QuotesOptions) -> Reply:
    """Who said what in a story, or one speaker's words."""
    speaker = options.who
    return await ctx.people_answer(
        options.story, ("quotes", (speaker or "").casefold()), lambda story, _: quotes_answer(story, speaker)
    )


async def sources(ctx: CommandContext, options: StoryOptions) -> Reply:
    """A story's articles and outlets, and where their figures disagree."""
    news, story = await ctx.story(options.story)
    return news.answer(("sources", story.id), lambda: sources_answer(story))


async def stories(ctx: CommandContext, options: NoOptions) -> Reply:
    """The channel's active stories, best first."""
    news = await ctx.news()
    if not news.stories:
        raise news.no_stories()
    return news.answer(("stories",), lambda: stories_answer(news.stories))
