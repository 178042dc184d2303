"""The members' commands: answers from the channel's stories, through the engine's answer functions."""

from __future__ import annotations

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
from briefings.render import Reply


async def brief(ctx: CommandContext, options: BriefOptions) -> Reply:
    """The top stories now (headline, first line, sources), or one story's full digest."""
    news = await ctx.news()
    if options.story is None:
        if not news.stories:
            raise news.no_stories()
        return news.answer(("brief",), lambda: brief_answer(news.stories))
    story = news.find(options.story)
    return news.answer(("brief", story.id), lambda: story_brief_answer(story))


async def who(ctx: CommandContext, options: WhoOptions) -> Reply:
    """The people and organisations of a story, or one actor's card (the closest names when none match)."""
    news = await ctx.news()
    story = news.find(options.story)
    name = options.name
    if name is None:
        return news.answer(("who", story.id), lambda: who_answer(story, news.analyses_of(story)))
    return news.answer(
        ("who", story.id, name.casefold()), lambda: actor_card(story, name, news.analyses_of(story))
    )


async def timeline(ctx: CommandContext, options: StoryOptions) -> Reply:
    """A story's dated events in order, each with its sources."""
    news = await ctx.news()
    story = news.find(options.story)
    return news.answer(("timeline", story.id), lambda: timeline_answer(story))


async def where(ctx: CommandContext, options: StoryOptions) -> Reply:
    """A story's places, their other spellings, and what happened at each."""
    news = await ctx.news()
    story = news.find(options.story)
    return news.answer(("where", story.id), lambda: where_answer(story, news.analyses_of(story)))


async def quotes(ctx: CommandContext, options: QuotesOptions) -> Reply:
    """Who said what in a story, or one speaker's words."""
    news = await ctx.news()
    story = news.find(options.story)
    speaker = options.who
    return news.answer(
        ("quotes", story.id, (speaker or "").casefold()), lambda: quotes_answer(story, speaker)
    )


async def sources(ctx: CommandContext, options: StoryOptions) -> Reply:
    """A story's articles and outlets, and where their figures disagree."""
    news = await ctx.news()
    story = news.find(options.story)
    return news.answer(("sources", story.id), lambda: sources_answer(story))


async def stories(ctx: CommandContext, options: NoOptions) -> Reply:
    """The channel's active stories, best first."""
    news = await ctx.news()
    if not news.stories:
        raise news.no_stories()
    return news.answer(("stories",), lambda: stories_answer(news.stories))
