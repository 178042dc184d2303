"""Every command of briefbot, declared once. Discord, Slack and the console register from `COMMANDS`.

Slash commands are typed; message actions are run on a message from its menu (a Slack message shortcut,
a Discord message context-menu command) and get the message's text.
"""

from __future__ import annotations

from bot.commands import briefing, links, member
from bot.commands.options import (
    BriefOptions,
    FeedUrlOptions,
    MessageOptions,
    NoOptions,
    QuotesOptions,
    ScheduleOptions,
    SetupOptions,
    StoryOptions,
    TopicsOptions,
    WhoOptions,
)
from bot.commands.table import Command, CommandTable

COMMANDS = CommandTable(
    commands=(
        # What members ask: answers from the stories of the channel's feeds.
        Command(("brief",), "The top stories now, or one story's full digest", BriefOptions, member.brief),
        Command(("who",), "Who is in a story: titles, what they did and said", WhoOptions, member.who),
        Command(
            ("timeline",), "A story's events in order, with dates and sources", StoryOptions, member.timeline
        ),
        Command(("where",), "The places of a story and what happened at each", StoryOptions, member.where),
        Command(("quotes",), "Who said what in a story", QuotesOptions, member.quotes),
        Command(
            ("sources",), "A story's articles, outlets, and where they disagree", StoryOptions, member.sources
        ),
        Command(("stories",), "The active stories of this channel's feeds", NoOptions, member.stories),
        # What admins set: the channel's configuration, through the admin API (which checks again).
        Command(
            ("briefing", "setup"),
            "Start digests in this channel, or change their time and length",
            SetupOptions,
            briefing.setup,
            permission="admin",
            ephemeral=True,
            changes_config=True,
        ),
        Command(
            ("briefing", "feeds", "add"),
            "Follow an RSS or Atom feed in this channel",
            FeedUrlOptions,
            briefing.feeds_add,
            permission="admin",
            ephemeral=True,
            slow=True,
            changes_config=True,
        ),
        Command(
            ("briefing", "feeds", "remove"),
            "Stop following a feed",
            FeedUrlOptions,
            briefing.feeds_remove,
            permission="admin",
            ephemeral=True,
            changes_config=True,
        ),
        Command(
            ("briefing", "feeds", "list"),
            "The feeds of this channel and how each is doing",
            NoOptions,
            briefing.feeds_list,
            ephemeral=True,
        ),
        Command(
            ("briefing", "schedule"),
            'When digests come, e.g. "08:00 Europe/Berlin weekdays"',
            ScheduleOptions,
            briefing.schedule,
            permission="admin",
            ephemeral=True,
            changes_config=True,
        ),
        Command(
            ("briefing", "topics"),
            "Which stories digests keep: keywords and people",
            TopicsOptions,
            briefing.topics,
            permission="admin",
            ephemeral=True,
            changes_config=True,
        ),
        Command(
            ("briefing", "preview"),
            "The digest this channel would get now (shown only to you)",
            NoOptions,
            briefing.preview,
            permission="admin",
            ephemeral=True,
            slow=True,
        ),
        Command(
            ("briefing", "pause"),
            "Pause digests (the configuration is kept)",
            NoOptions,
            briefing.pause,
            permission="admin",
            ephemeral=True,
            changes_config=True,
        ),
        Command(
            ("briefing", "resume"),
            "Resume digests",
            NoOptions,
            briefing.resume,
            permission="admin",
            ephemeral=True,
            changes_config=True,
        ),
        Command(
            ("briefing", "status"),
            "This channel's schedule, next and last digest, and feed health",
            NoOptions,
            briefing.status,
            ephemeral=True,
        ),
    ),
    groups={
        ("briefing",): "Set up this channel's news briefings (admins)",
        ("briefing", "feeds"): "The feeds this channel follows",
    },
    admin_groups=frozenset({"briefing"}),
    message_actions=(
        # Reads the links of a message (fetching may take a while) and answers only the person who asked.
        Command(
            ("brief_link",),
            "The brief of the article a message links to, and this channel's story it belongs to",
            MessageOptions,
            links.brief_link,
            ephemeral=True,
            slow=True,
            label=links.LABEL,
        ),
    ),
)
