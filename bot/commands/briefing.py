"""The admins' `/briefing …` commands: calls to the channel-configuration API, its results as blocks."""

from __future__ import annotations

from datetime import datetime

from bot.channels.admin import ChangeResult, ChannelStatus, FeedHealth
from bot.channels.config import ChannelConfig
from bot.channels.schedule import Schedule
from bot.commands.digests import digest_reply
from bot.commands.options import FeedUrlOptions, NoOptions, ScheduleOptions, SetupOptions, TopicsOptions
from bot.commands.table import CommandContext
from briefings.render import Block, Context, FieldItem, Fields, Heading, Paragraph, Reply


def _when(moment: datetime | None, schedule: Schedule) -> str:
    if moment is None:
        return "never"
    local = schedule.local(moment)
    return f"{local:%a %d %b %Y %H:%M} ({schedule.timezone})"


def _config_fields(config: ChannelConfig) -> Fields:
    return Fields(
        fields=[
            FieldItem(name="Schedule", value=config.schedule.describe(), inline=True),
            FieldItem(name="Stories per digest", value=str(config.digest_length), inline=True),
            FieldItem(name="Digests", value="paused" if config.paused else "on", inline=True),
            FieldItem(name="Topics", value=config.topics.describe()),
        ]
    )


def _changed(result: ChangeResult) -> Reply:
    return Reply(blocks=[Paragraph(text=result.message), _config_fields(result.config)])


def _feed_field(feed: FeedHealth, schedule: Schedule) -> FieldItem:
    parts = [feed.state]
    if feed.last_success_at is not None:
        parts.append(f"last read {_when(feed.last_success_at, schedule)}")
    parts.append(f"{feed.articles_seen} article" + ("" if feed.articles_seen == 1 else "s"))
    if feed.last_error:
        parts.append(f"last error: {feed.last_error}")
    name = f"{feed.title} — {feed.url}" if feed.title else feed.url
    return FieldItem(name=name, value=" · ".join(parts))


def _feeds_blocks(feeds: list[FeedHealth], schedule: Schedule) -> list[Block]:
    if not feeds:
        return [Paragraph(text="This channel follows no feeds yet: add one with /briefing feeds add url:…")]
    return [Fields(fields=[_feed_field(feed, schedule) for feed in feeds])]


async def setup(ctx: CommandContext, options: SetupOptions) -> Reply:
    """Start digests in this channel, or change their schedule and length."""
    result = await ctx.services.admin.setup(
        ctx.channel, ctx.caller, schedule=options.schedule, digest_length=options.stories
    )
    return _changed(result)


async def feeds_add(ctx: CommandContext, options: FeedUrlOptions) -> Reply:
    """Follow a feed (checked first to be a working RSS or Atom feed)."""
    return _changed(await ctx.services.admin.add_feed(ctx.channel, ctx.caller, options.url))


async def feeds_remove(ctx: CommandContext, options: FeedUrlOptions) -> Reply:
    """Stop following a feed."""
    return _changed(await ctx.services.admin.remove_feed(ctx.channel, ctx.caller, options.url))


async def feeds_list(ctx: CommandContext, options: NoOptions) -> Reply:
    """The channel's feeds and how each is doing."""
    status = await ctx.services.admin.status(ctx.channel, ctx.caller)
    return Reply(
        blocks=[Heading(text="Feeds of this channel"), *_feeds_blocks(status.feeds, status.config.schedule)]
    )


async def schedule(ctx: CommandContext, options: ScheduleOptions) -> Reply:
    """Set when digests come."""
    return _changed(await ctx.services.admin.set_schedule(ctx.channel, ctx.caller, options.when))


def _topic_list(text: str) -> list[str]:
    return [part.strip() for part in text.split(",") if part.strip()]


async def topics(ctx: CommandContext, options: TopicsOptions) -> Reply:
    """Set which stories digests keep; only what is given changes; nothing given: show the topics."""
    admin = ctx.services.admin
    if options.clear:
        return _changed(await admin.set_topics(ctx.channel, ctx.caller, keywords=[], actors=[]))
    current = (await admin.status(ctx.channel, ctx.caller)).config.topics
    if options.keywords is None and options.actors is None:
        return Reply(
            blocks=[
                Paragraph(text=f"Topics: {current.describe()}."),
                Context(
                    elements=["set them with keywords:… or actors:… (comma-separated); clear:true drops them"]
                ),
            ]
        )
    keywords = _topic_list(options.keywords) if options.keywords is not None else list(current.keywords)
    actors = _topic_list(options.actors) if options.actors is not None else list(current.actors)
    return _changed(await admin.set_topics(ctx.channel, ctx.caller, keywords=keywords, actors=actors))


async def preview(ctx: CommandContext, options: NoOptions) -> Reply:
    """The digest this channel would get now, shown only to the admin who asked (not posted)."""
    message = await ctx.services.admin.preview(ctx.channel, ctx.caller)
    blocks = digest_reply(message).blocks
    return Reply(blocks=[*blocks, Context(elements=["preview: not posted, and not counted as sent"])])


async def pause(ctx: CommandContext, options: NoOptions) -> Reply:
    """Stop digests, keeping the configuration."""
    return _changed(await ctx.services.admin.pause(ctx.channel, ctx.caller))


async def resume(ctx: CommandContext, options: NoOptions) -> Reply:
    """Start digests again."""
    return _changed(await ctx.services.admin.resume(ctx.channel, ctx.caller))


def status_reply(status: ChannelStatus) -> Reply:
    """A channel's status: its configuration, next and last digest, and each feed's health."""
    config = status.config
    where = status.channel.channel_name or status.channel.channel
    last = status.last_run
    last_text = "none yet"
    if last is not None:
        last_text = f"{last.status}, {_when(last.finished_at or last.scheduled_for, config.schedule)}"
        if last.note or last.error:
            last_text += f" — {last.note or last.error}"
    blocks: list[Block] = [
        Heading(text=f"Briefing of {where}"),
        _config_fields(config),
        Fields(
            fields=[
                FieldItem(
                    name="Next digest",
                    value="paused" if config.paused else _when(status.next_run, config.schedule),
                    inline=True,
                ),
                FieldItem(name="Last digest", value=last_text, inline=True),
            ]
        ),
        Heading(text="Feeds"),
        *_feeds_blocks(status.feeds, config.schedule),
    ]
    return Reply(blocks=blocks)


async def status(ctx: CommandContext, options: NoOptions) -> Reply:
    """The channel's configuration, next and last digest, and feed health."""
    return status_reply(await ctx.services.admin.status(ctx.channel, ctx.caller))
