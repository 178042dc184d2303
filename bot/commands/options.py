"""The options of every slash command, as pydantic models: the one schema each platform registers from.

A field's type, default, `description` and length or range limits become the platform's option
declaration (Discord app-command options, the console's `name:value` words); `autocomplete` in a field's
`json_schema_extra` names the completion a platform offers for it. The same model validates what a
person sent, so a limit a platform cannot enforce is still enforced here.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator

from bot.channels.config import MAX_DIGEST_LENGTH, MIN_DIGEST_LENGTH

MAX_STORY_CHARS = 100  # Discord's limit on an autocompleted value, and plenty for a name or keyword
MAX_NAME_CHARS = 100
MAX_URL_CHARS = 2000
MAX_SCHEDULE_CHARS = 100
MAX_TOPICS_CHARS = 1000

# Completion names a platform adapter knows how to offer.
STORY_COMPLETION = "story"


def completion_of(extra: Any) -> str | None:
    """The completion a field asks for (its json_schema_extra's "autocomplete"), if any."""
    if isinstance(extra, dict):
        value = extra.get("autocomplete")
        return value if isinstance(value, str) else None
    return None


class CommandOptions(BaseModel):
    """Base of every command's options: unknown options refused, surrounding spaces dropped."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


def _story(description: str = "a story's name, a keyword, or a person in it (default: the top story)") -> Any:
    return Field(
        None,
        min_length=1,
        max_length=MAX_STORY_CHARS,
        description=description,
        json_schema_extra={"autocomplete": STORY_COMPLETION},
    )


class NoOptions(CommandOptions):
    """A command without options."""


class StoryOptions(CommandOptions):
    """A command about one story."""

    story: str | None = _story()


class BriefOptions(CommandOptions):
    """/brief: the top stories, or one story's full digest."""

    story: str | None = _story("a story's name, a keyword, or a person in it (default: the top stories)")


class WhoOptions(CommandOptions):
    """/who: the people and organisations of a story, or one actor's card."""

    story: str | None = _story()
    name: str | None = Field(
        None, min_length=1, max_length=MAX_NAME_CHARS, description="one person or organisation: their card"
    )


class QuotesOptions(CommandOptions):
    """/quotes: who said what in a story, or one speaker's words."""

    story: str | None = _story()
    who: str | None = Field(
        None, min_length=1, max_length=MAX_NAME_CHARS, description="only this speaker's words"
    )


class SetupOptions(CommandOptions):
    """/briefing setup: start digests here, or change their time and length."""

    schedule: str | None = Field(
        None,
        min_length=1,
        max_length=MAX_SCHEDULE_CHARS,
        description='when digests come, e.g. "08:00 Europe/Berlin weekdays" (default 08:00 UTC daily)',
    )
    stories: int | None = Field(
        None, ge=MIN_DIGEST_LENGTH, le=MAX_DIGEST_LENGTH, description="stories per digest (default 5)"
    )


# Invisible characters an address copied from a chat can carry: briefbot itself puts a zero-width space
# after "https:" in addresses it shows, so that Discord makes no link of them (bot/discord/markup.py).
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff"))


class FeedUrlOptions(CommandOptions):
    """/briefing feeds add|remove: one feed's address."""

    url: str = Field(min_length=1, max_length=MAX_URL_CHARS, description="the RSS or Atom feed's address")

    @field_validator("url", mode="before")
    @classmethod
    def _visible(cls, value: object) -> object:
        """An address pasted from briefbot's own answers works: zero-width characters are dropped."""
        return value.translate(_INVISIBLE) if isinstance(value, str) else value


class ScheduleOptions(CommandOptions):
    """/briefing schedule: when digests come."""

    when: str = Field(
        min_length=1,
        max_length=MAX_SCHEDULE_CHARS,
        description='a time, a timezone and days, e.g. "08:00 Europe/Berlin weekdays"',
    )


class TopicsOptions(CommandOptions):
    """/briefing topics: which stories digests keep (none given: show the topics now)."""

    keywords: str | None = Field(
        None, min_length=1, max_length=MAX_TOPICS_CHARS, description="keywords, separated by commas"
    )
    actors: str | None = Field(
        None, min_length=1, max_length=MAX_TOPICS_CHARS, description="people or organisations, by commas"
    )
    clear: bool = Field(False, description="drop every topic: digests keep every story")


MAX_MESSAGE_CHARS = 40_000  # Slack's longest message; Discord's are shorter


class MessageOptions(CommandOptions):
    """A message action: the text of the message it was used on, links written out as their addresses."""

    text: str = Field("", max_length=MAX_MESSAGE_CHARS, description="the message's text")
