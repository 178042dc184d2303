"""A channel's configuration as validated pydantic models, and its round trip to the store."""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence

from pydantic import BaseModel, ConfigDict, Field, field_validator

from bot.channels.errors import InvalidSetting
from bot.channels.schedule import Schedule
from bot.store.models import Channel, Feed

MAX_TOPICS = 25
MAX_TOPIC_CHARS = 60
MIN_DIGEST_LENGTH = 1
MAX_DIGEST_LENGTH = 20


def _clean_topics(values: Sequence[str]) -> list[str]:
    cleaned: list[str] = []
    for value in values:
        topic = re.sub(r"\s+", " ", str(value)).strip().strip("\"'")
        if not topic:
            continue
        if len(topic) > MAX_TOPIC_CHARS:
            raise InvalidSetting(f"the topic {topic[:40]!r}… is longer than {MAX_TOPIC_CHARS} characters")
        if topic.lower() not in (t.lower() for t in cleaned):
            cleaned.append(topic)
    if len(cleaned) > MAX_TOPICS:
        raise InvalidSetting(f"{len(cleaned)} topics is more than the {MAX_TOPICS} a channel may have")
    return cleaned


class TopicFilter(BaseModel):
    """What a channel cares about: keywords and named actors. Empty: every story."""

    model_config = ConfigDict(frozen=True)

    keywords: list[str] = Field(default_factory=list)
    actors: list[str] = Field(default_factory=list)

    @field_validator("keywords", "actors", mode="before")
    @classmethod
    def _valid(cls, value: object) -> list[str]:
        if value is None:
            return []
        if isinstance(value, str):
            value = value.split(",")
        if not isinstance(value, list | tuple):
            raise InvalidSetting("topics are a list of keywords or names")
        return _clean_topics([str(v) for v in value])

    def is_empty(self) -> bool:
        """True when the channel follows every story of its feeds."""
        return not self.keywords and not self.actors

    def describe(self) -> str:
        """The topics in words."""
        if self.is_empty():
            return "every story of the channel's feeds"
        parts = []
        if self.keywords:
            parts.append("keywords: " + ", ".join(self.keywords))
        if self.actors:
            parts.append("actors: " + ", ".join(self.actors))
        return "; ".join(parts)


def check_digest_length(value: int) -> int:
    """A digest length within the limits, or a clear message."""
    if not MIN_DIGEST_LENGTH <= value <= MAX_DIGEST_LENGTH:
        raise InvalidSetting(
            f"a digest holds {MIN_DIGEST_LENGTH} to {MAX_DIGEST_LENGTH} stories; {value} is outside that"
        )
    return value


class ChannelConfig(BaseModel):
    """Everything an admin sets for a channel."""

    model_config = ConfigDict(frozen=True)

    feeds: list[str] = Field(default_factory=list)
    topics: TopicFilter = Field(default_factory=TopicFilter)
    schedule: Schedule = Field(default_factory=Schedule)
    digest_length: int = 5
    paused: bool = False

    @field_validator("digest_length")
    @classmethod
    def _valid_length(cls, value: int) -> int:
        return check_digest_length(value)


@functools.lru_cache(maxsize=4096)
def _schedule(time: str, timezone: str, days: str) -> Schedule:
    return Schedule(time=time, timezone=timezone, days=tuple(days.split(",")))


def schedule_of(channel: Channel) -> Schedule:
    """The stored schedule of a channel (validated once per distinct schedule: thousands share a few)."""
    return _schedule(channel.digest_time, channel.timezone, channel.days)


_NO_TOPICS = TopicFilter()


def topics_of(channel: Channel) -> TopicFilter:
    """The stored topics of a channel."""
    if not channel.topic_keywords and not channel.topic_actors:
        return _NO_TOPICS
    return TopicFilter(keywords=list(channel.topic_keywords), actors=list(channel.topic_actors))


def config_of(channel: Channel, feeds: Sequence[Feed]) -> ChannelConfig:
    """A stored channel (and the feeds it follows) as its configuration."""
    return ChannelConfig(
        feeds=[feed.url for feed in feeds],
        topics=topics_of(channel),
        schedule=schedule_of(channel),
        digest_length=channel.digest_length,
        paused=channel.paused,
    )


def apply_schedule(channel: Channel, schedule: Schedule) -> None:
    """Write a schedule into a stored channel."""
    channel.digest_time = schedule.time
    channel.timezone = schedule.timezone
    channel.days = ",".join(schedule.days)


def apply_topics(channel: Channel, topics: TopicFilter) -> None:
    """Write topics into a stored channel."""
    channel.topic_keywords = list(topics.keywords)
    channel.topic_actors = list(topics.actors)
