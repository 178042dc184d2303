"""What a command is, platform-neutral: its path, options model, who may run it, and its handler.

Every adapter (Discord, Slack, the console) registers the same `CommandTable`. A handler receives the
`CommandContext` (which channel, who asks, the services) and the validated options, and returns a
`Reply` of blocks; it never knows which platform asked.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from typing import Any, Generic, Literal, Protocol, TypeVar

from bot.channels.admin import ChannelAdmin
from bot.channels.config import TopicFilter
from bot.commands.options import CommandOptions
from bot.commands.stories import ChannelNews, StoryLibrary
from bot.identity import Caller, ChannelRef
from bot.metrics import ServiceMetrics
from briefings.models import ArticleAnalysis, Story
from briefings.render import Reply

Permission = Literal["member", "admin"]
OptionsT = TypeVar("OptionsT", bound=CommandOptions)


class LinkAnalyser(Protocol):
    """Reads the article behind a shared link and analyses it (nothing is stored)."""

    async def analyse(self, url: str) -> ArticleAnalysis:
        """The article's analysis; SourceError saying why when it cannot be read."""
        ...


@dataclass(frozen=True)
class CommandServices:
    """What handlers work with: the stories of each channel and the channel-configuration API."""

    stories: StoryLibrary
    admin: ChannelAdmin
    # Where answering times are counted (the operator's /metrics); None: not counted.
    metrics: ServiceMetrics | None = None
    # Reads shared links for "Brief this link"; None: links are not read in this process.
    links: LinkAnalyser | None = None


@dataclass(frozen=True)
class CommandContext:
    """One request: the channel it is about, the person asking, and the services."""

    channel: ChannelRef
    caller: Caller
    services: CommandServices

    async def news(self) -> ChannelNews:
        """The stories of this channel's feeds now."""
        return await self.services.stories.news_for(self.channel)

    async def news_and_topics(self) -> tuple[ChannelNews, TopicFilter]:
        """The stories of this channel's feeds now, and the topics it follows."""
        return await self.services.stories.news_and_topics(self.channel)

    async def story(self, query: str | None) -> tuple[ChannelNews, Story]:
        """The story a member means (active, or kept by the memory), with the channel's stories."""
        return await self.services.stories.find(self.channel, query)

    async def timeline(self, query: str | None, answer: Callable[[Story], Reply]) -> Reply:
        """`/timeline` of the story a member means, built by `answer` (`StoryLibrary.timeline`)."""
        return await self.services.stories.timeline(self.channel, query, answer)

    async def people_answer(
        self,
        query: str | None,
        question: tuple[str, ...],
        answer: Callable[[Story, list[ArticleAnalysis]], Reply],
    ) -> Reply:
        """An answer about the people, places or words of the story a member means, built by `answer` from
        the story and its articles' analyses (`StoryLibrary.people_answer`)."""
        return await self.services.stories.people_answer(self.channel, query, question, answer)


Handler = Callable[[CommandContext, OptionsT], Awaitable[Reply]]


@dataclass(frozen=True)
class Command(Generic[OptionsT]):
    """One slash command, declared once.

    `path` is the command and its subcommands ("briefing", "feeds", "add"); `options` the pydantic model
    of its options; `permission` who may run it ("admin": a channel admin, checked here and by the admin
    API); `ephemeral` whether its answer is shown only to the person who asked; `slow` whether it may take
    more than a moment (a platform acknowledges it at once); `changes_config` whether it changes the
    channel's configuration (the channel's kept stories are then re-read). A message action (run on one
    message from its menu, not typed) has a `label`, the name its menu shows; its path is its identifier.
    """

    path: tuple[str, ...]
    description: str
    options: type[OptionsT]
    handler: Handler[OptionsT]
    permission: Permission = "member"
    ephemeral: bool = False
    slow: bool = False
    changes_config: bool = False
    label: str | None = None

    @property
    def name(self) -> str:
        """The command as a person types it, without the slash: "briefing feeds add"."""
        return " ".join(self.path)

    @property
    def title(self) -> str:
        """What answers call it: "/briefing feeds add", or a message action's label ("Brief this link")."""
        return self.label or f"/{self.name}"


@dataclass(frozen=True)
class CommandTable:
    """Every slash command, every message action, and the descriptions of the groups that hold subcommands.

    Iterating the table gives the slash commands; `message_actions` are the commands run on a message
    (a Slack message shortcut, a Discord message context-menu command), each with options `MessageOptions`.
    """

    commands: tuple[Command[Any], ...]
    groups: dict[tuple[str, ...], str] = field(default_factory=dict)
    # Groups that only admins see by default on platforms that can hide commands.
    admin_groups: frozenset[str] = frozenset()
    message_actions: tuple[Command[Any], ...] = ()

    def __iter__(self) -> Iterator[Command[Any]]:
        return iter(self.commands)

    def message_action(self, identifier: str) -> Command[Any] | None:
        """The message action with this identifier (its path's one word)."""
        return next((a for a in self.message_actions if a.path == (identifier,)), None)

    def find(self, path: tuple[str, ...]) -> Command[Any] | None:
        """The command with exactly this path."""
        return next((c for c in self.commands if c.path == path), None)

    def longest_match(self, words: list[str]) -> tuple[Command[Any] | None, int]:
        """The command whose path is the longest prefix of the words, and how many words it took."""
        lowered = [w.lower() for w in words]
        best: tuple[Command[Any] | None, int] = (None, 0)
        for command in self.commands:
            size = len(command.path)
            if tuple(lowered[:size]) == command.path and size > best[1]:
                best = (command, size)
        return best

    def description_of(self, group: tuple[str, ...]) -> str:
        """A group's description (its path joined, if none was given)."""
        return self.groups.get(group, " ".join(group))
