"""The tables of the store, as SQLAlchemy 2 declarative models.

The truth about channels, schedules and deliveries lives here; the scheduler's jobs are rebuilt from it.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    func,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from bot.store.types import UTCDateTime

# Named constraints so Alembic can alter them on every backend (SQLite batch mode needs names).
NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    """Base of every table of the store."""

    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map: ClassVar[dict[Any, Any]] = {
        datetime: UTCDateTime(),
        dict[str, Any]: JSON(),
        list[Any]: JSON(),
    }


class Workspace(Base):
    """A Discord guild, a Slack workspace, or the local console: where channels live."""

    __tablename__ = "workspaces"
    __table_args__ = (UniqueConstraint("platform", "external_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    platform: Mapped[str] = mapped_column(String(20))
    external_id: Mapped[str] = mapped_column(String(64))
    name: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime]


class Channel(Base):
    """A channel that gets digests, with its configuration (schedule, topics, length, paused)."""

    __tablename__ = "channels"
    __table_args__ = (UniqueConstraint("workspace_id", "external_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    external_id: Mapped[str] = mapped_column(String(64))
    name: Mapped[str | None] = mapped_column(String(200))
    digest_time: Mapped[str] = mapped_column(String(5), default="08:00")
    timezone: Mapped[str] = mapped_column(String(64), default="UTC")
    days: Mapped[str] = mapped_column(String(32), default="mon,tue,wed,thu,fri,sat,sun")
    digest_length: Mapped[int] = mapped_column(Integer, default=5)
    topic_keywords: Mapped[list[Any]] = mapped_column(default=list)
    topic_actors: Mapped[list[Any]] = mapped_column(default=list)
    paused: Mapped[bool] = mapped_column(Boolean, default=False)
    # Bumped on every change, so schedulers in other processes see what to rebuild.
    config_version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime] = mapped_column(index=True)

    workspace: Mapped[Workspace] = relationship(lazy="joined")


class Feed(Base):
    """An RSS or Atom feed, once however many channels follow it, with its polling state and health."""

    __tablename__ = "feeds"

    id: Mapped[int] = mapped_column(primary_key=True)
    url: Mapped[str] = mapped_column(String(2048), unique=True)
    title: Mapped[str | None] = mapped_column(String(300))
    interval_s: Mapped[int] = mapped_column(Integer, default=900)
    etag: Mapped[str | None] = mapped_column(String(300))
    last_modified: Mapped[str | None] = mapped_column(String(100))
    next_poll_at: Mapped[datetime] = mapped_column(index=True)
    consecutive_failures: Mapped[int] = mapped_column(Integer, default=0)
    last_polled_at: Mapped[datetime | None]
    last_success_at: Mapped[datetime | None]
    last_error: Mapped[str | None] = mapped_column(Text)
    last_error_at: Mapped[datetime | None]
    articles_seen: Mapped[int] = mapped_column(Integer, default=0)
    disabled: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime]
    # When the current run of failures began (None while the feed works): names the episode its channels'
    # notices belong to, so each channel is told once per episode however many polls fail.
    failing_since: Mapped[datetime | None]
    # Set when a poll succeeds after failures (the episode that ended), until its "works again" notices
    # have gone out to the channels that were told it failed.
    recovered_from: Mapped[datetime | None]


class ChannelFeed(Base):
    """A channel following a feed."""

    __tablename__ = "channel_feeds"

    channel_id: Mapped[int] = mapped_column(ForeignKey("channels.id", ondelete="CASCADE"), primary_key=True)
    feed_id: Mapped[int] = mapped_column(
        ForeignKey("feeds.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    added_at: Mapped[datetime]
    added_by: Mapped[str | None] = mapped_column(String(100))


class ArticleRow(Base):
    """An article, stored once however many feeds carry it (by a hash of its words), with its analysis.

    Which feeds carry it, and how each presents it, is in `feed_articles`: an article is only ever read
    through the feeds that link it. The canonical URL is indexed but not unique: another feed's text at an
    address never stops a feed's own article at that address from being stored.
    """

    __tablename__ = "articles"

    id: Mapped[int] = mapped_column(primary_key=True)
    canonical_url: Mapped[str | None] = mapped_column(String(2048), index=True)
    content_hash: Mapped[str] = mapped_column(String(64), unique=True)
    title: Mapped[str | None] = mapped_column(String(500))
    url: Mapped[str | None] = mapped_column(String(2048))
    published: Mapped[datetime | None]
    # When it was first stored (each feed's own finding is `FeedArticle.found_at`).
    fetched_at: Mapped[datetime]
    # briefings.models.ArticleAnalysis as JSON: read back without running the pipeline again.
    analysis: Mapped[str] = mapped_column(Text)


class FeedArticle(Base):
    """A feed carrying an article: when that feed found it, and how it presents it (link, outlet, source).

    The presentation is the feed's own: an article stored from one workspace's feed and found again in
    another's shows each channel its own feed's link and outlet, never the other feed's.
    """

    __tablename__ = "feed_articles"
    __table_args__ = (Index("ix_feed_articles_feed_found", "feed_id", "found_at"),)

    feed_id: Mapped[int] = mapped_column(ForeignKey("feeds.id", ondelete="CASCADE"), primary_key=True)
    article_id: Mapped[int] = mapped_column(
        ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    found_at: Mapped[datetime]
    url: Mapped[str | None] = mapped_column(Text)
    outlet: Mapped[str | None] = mapped_column(Text)
    source: Mapped[str] = mapped_column(Text)


class Delivery(Base):
    """One digest (or notice) of a channel for one period: claimed before sending, marked sent after."""

    __tablename__ = "deliveries"
    __table_args__ = (UniqueConstraint("channel_id", "period"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    channel_id: Mapped[int] = mapped_column(ForeignKey("channels.id", ondelete="CASCADE"))
    # "digest", or "notice" (a feed stopped or started working again): recorded the same way, once each.
    kind: Mapped[str] = mapped_column(String(16), default="digest", server_default="digest")
    period: Mapped[str] = mapped_column(String(32))
    scheduled_for: Mapped[datetime]
    idempotency_key: Mapped[str] = mapped_column(String(80), unique=True)
    status: Mapped[str] = mapped_column(String(16))
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    claimed_at: Mapped[datetime]
    # The scheduler process that claimed it: a claim left by another (dead) process is recovered.
    claimed_by: Mapped[str | None] = mapped_column(String(64))
    finished_at: Mapped[datetime | None]
    message_ref: Mapped[str | None] = mapped_column(String(200))
    note: Mapped[str | None] = mapped_column(Text)
    error: Mapped[str | None] = mapped_column(Text)
    # What the digest showed ({"stories": [keys]}); what each story looked like is in story_snapshots.
    covered: Mapped[dict[str, Any]] = mapped_column(default=dict)


class StorySnapshotRow(Base):
    """What a channel's digests last showed of one story (the engine's `StorySnapshot` as JSON).

    A later digest compares the story with it (`briefings.stories.changes`) to say what is new. Written when
    the digest is recorded as sent; rows older than the story window are pruned (they cannot match again).
    """

    __tablename__ = "story_snapshots"

    channel_id: Mapped[int] = mapped_column(ForeignKey("channels.id", ondelete="CASCADE"), primary_key=True)
    story_key: Mapped[str] = mapped_column(String(80), primary_key=True)
    # Kept as the JSON text it was written as: channels shown the same story share identical text, so a
    # digest run compares each (story, snapshot) pair once however many channels have it.
    snapshot: Mapped[str] = mapped_column(Text)
    shown_at: Mapped[datetime] = mapped_column(index=True)


class StoryRow(Base):
    """A story of the story memory: shared by every tenant (which articles form it is decided once, globally).

    What a channel sees of it is merged from its own feeds' articles only (`bot.stories.read_model`). Kept
    until `keep_days` after its last article; a story merged into another points at it (`merged_into`).
    """

    __tablename__ = "stories"

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    opened_at: Mapped[datetime]
    # The newest of its articles (publication, else when stored): what the keep window counts from.
    last_article_at: Mapped[datetime] = mapped_column(index=True)
    articles: Mapped[int] = mapped_column(Integer, default=0)
    closed: Mapped[bool] = mapped_column(Boolean, default=False)
    # Indexed: each merge repoints the stories that pointed at the absorbed one (without the index, a scan
    # of every kept story per merge: a cost that grew with the weeks kept).
    merged_into: Mapped[str | None] = mapped_column(String(40), index=True)


class StoryArticle(Base):
    """An article's place in the story memory: its story, and its turn in the order articles were indexed.

    One row per article, written in the transaction that indexes it: an article is indexed exactly once.
    """

    __tablename__ = "story_articles"

    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True)
    story_id: Mapped[str] = mapped_column(String(40), index=True)
    seq: Mapped[int] = mapped_column(BigInteger, unique=True)
    # The article it reprints (the same words, another outlet), if any.
    duplicate_of: Mapped[int | None] = mapped_column(Integer)


class StoryQueueEntry(Base):
    """An article stored but not yet placed in a story (written in the transaction that stores it)."""

    __tablename__ = "story_queue"

    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True)


class StoryIndexSnapshot(Base):
    """The story index's state (compressed JSON: `bot.stories.index_state.compress`) as of one turn of
    `story_articles`: one row, the base.

    Written whole now and then (when the deltas after it add up to a share of it); each batch in between
    writes a `StoryIndexDelta`. A process starts from the base, applies the deltas, and replays the
    articles indexed after the last of them (none, unless an older version placed them).
    """

    __tablename__ = "story_index_state"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    version: Mapped[int] = mapped_column(Integer)
    seq: Mapped[int] = mapped_column(BigInteger)
    # The last turn handed out (ahead of `seq` by the articles indexed since the snapshot).
    head: Mapped[int] = mapped_column(BigInteger, default=0)
    state: Mapped[bytes | None] = mapped_column(LargeBinary)
    taken_at: Mapped[datetime | None]


class StoryIndexDelta(Base):
    """What one batch of placements changed in the story index's state (`bot.stories.index_state`), as of
    turn `seq`: a process loads the base (`StoryIndexSnapshot`) and applies the deltas after it in order.
    Dropped when a new base is written."""

    __tablename__ = "story_index_deltas"

    seq: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    state: Mapped[bytes] = mapped_column(LargeBinary)


class PostedMessage(Base):
    """A message an adapter posted where the platform keeps no history to ask (the local console).

    Its `find_delivered` looks here after a restart, so a digest printed once is never printed again.
    """

    __tablename__ = "posted_messages"

    id: Mapped[int] = mapped_column(primary_key=True)
    platform: Mapped[str] = mapped_column(String(20))
    channel: Mapped[str] = mapped_column(String(200))
    idempotency_key: Mapped[str] = mapped_column(String(80), unique=True)
    posted_at: Mapped[datetime]


class AuditEntry(Base):
    """A configuration change: who made it, when, and the value before and after."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    channel_id: Mapped[int | None] = mapped_column(ForeignKey("channels.id", ondelete="SET NULL"), index=True)
    at: Mapped[datetime]
    actor_id: Mapped[str] = mapped_column(String(100))
    actor_name: Mapped[str | None] = mapped_column(String(200))
    action: Mapped[str] = mapped_column(String(40))
    old: Mapped[Any | None] = mapped_column(JSON)
    new: Mapped[Any | None] = mapped_column(JSON)


# Slack's installations (one per workspace that installed the app through OAuth) and OAuth states, in the
# layout slack_sdk's SQLAlchemy stores read and write (`bot.slack.install`), kept by our migrations. Written
# out here, not built by slack_sdk, so that the store knows no platform library.
def _slack_team_columns(with_url: bool) -> list[Column[Any]]:
    columns: list[Column[Any]] = [
        Column("id", Integer, primary_key=True, autoincrement=True),
        Column("client_id", String(32), nullable=False),
        Column("app_id", String(32), nullable=False),
        Column("enterprise_id", String(32)),
        Column("enterprise_name", String(200)),
    ]
    if with_url:
        columns.append(Column("enterprise_url", String(200)))
    return [*columns, Column("team_id", String(32)), Column("team_name", String(200))]


def _slack_bot_columns() -> list[Column[Any]]:
    return [
        Column("bot_token", String(200)),
        Column("bot_id", String(32)),
        Column("bot_user_id", String(32)),
        Column("bot_scopes", String(1000)),
        Column("bot_refresh_token", String(200)),
        Column("bot_token_expires_at", DateTime),
    ]


SLACK_INSTALLATIONS = Table(
    "slack_installations",
    Base.metadata,
    *_slack_team_columns(with_url=True),
    *_slack_bot_columns(),
    Column("user_id", String(32), nullable=False),
    Column("user_token", String(200)),
    Column("user_scopes", String(1000)),
    Column("user_refresh_token", String(200)),
    Column("user_token_expires_at", DateTime),
    Column("incoming_webhook_url", String(200)),
    Column("incoming_webhook_channel", String(200)),
    Column("incoming_webhook_channel_id", String(200)),
    Column("incoming_webhook_configuration_url", String(200)),
    Column("is_enterprise_install", Boolean, default=False, nullable=False),
    Column("token_type", String(32)),
    Column("installed_at", DateTime, nullable=False, default=func.now()),
    Index("slack_installations_idx", "client_id", "enterprise_id", "team_id", "user_id", "installed_at"),
)
SLACK_BOTS = Table(
    "slack_bots",
    Base.metadata,
    *_slack_team_columns(with_url=False),
    *_slack_bot_columns(),
    Column("is_enterprise_install", Boolean, default=False, nullable=False),
    Column("installed_at", DateTime, nullable=False, default=func.now()),
    Index("slack_bots_idx", "client_id", "enterprise_id", "team_id", "installed_at"),
)
SLACK_OAUTH_STATES = Table(
    "slack_oauth_states",
    Base.metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("state", String(200), nullable=False),
    Column("expire_at", DateTime, nullable=False),
)
