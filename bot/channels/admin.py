"""The admin API every chat adapter calls: setup, feeds, schedule, topics, preview, pause/resume, status.

Each operation takes the channel (`ChannelRef`) and the person asking (`Caller`, whose
`is_channel_admin` the adapter sets as its platform defines a channel admin). Changes need an admin;
status is open to everyone. Every change and its audit entry (who, when, old → new) commit together.
Refusals raise an `AdminError` whose `message` is meant for the person; the adapter shows it as is.
Results are pydantic models the adapter renders.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Any, Protocol
from urllib.parse import urlsplit

from pydantic import BaseModel
from sqlalchemy.ext.asyncio import AsyncSession

from bot.channels.config import (
    ChannelConfig,
    TopicFilter,
    apply_schedule,
    apply_topics,
    check_digest_length,
    config_of,
)
from bot.channels.errors import (
    AdminError,
    ChannelNotSetUp,
    FeedRefused,
    InvalidSetting,
    NotChannelAdmin,
    StoreDown,
)
from bot.channels.schedule import Schedule, parse_schedule
from bot.clock import Clock
from bot.delivery import OutgoingMessage
from bot.feeds.canonical import canonical_url
from bot.identity import Caller, ChannelRef
from bot.scheduler.timing import next_run
from bot.store import audit as audit_store
from bot.store import channels as channel_store
from bot.store import deliveries as delivery_store
from bot.store import feeds as feed_store
from bot.store.db import Store, StoreUnavailable
from bot.store.models import Channel, ChannelFeed, Feed
from bot.user_messages import DATABASE_DOWN_NOTHING_CHANGED, NOT_SET_UP

_log = logging.getLogger(__name__)

MAX_FEEDS_PER_CHANNEL = 50


class FeedInfo(BaseModel):
    """A feed that was checked: its URL (after redirects) and title, and how many items it has now."""

    url: str
    title: str | None = None
    items: int = 0


class FeedProbe(Protocol):
    """Checks that a URL is a working RSS or Atom feed before a channel follows it."""

    async def probe(self, url: str) -> FeedInfo:
        """The feed's details, or FeedRefused saying why it cannot be followed."""
        ...


class DigestPreviewer(Protocol):
    """Builds a channel's next digest now, without posting or recording it."""

    async def preview(self, channel_id: int) -> OutgoingMessage:
        """The digest the channel would get now."""
        ...


class FeedHealth(BaseModel):
    """A feed as its channel's admins see it: working or not, when it last worked, what went wrong."""

    url: str
    title: str | None
    state: str
    last_success_at: datetime | None
    last_error: str | None
    last_error_at: datetime | None
    consecutive_failures: int
    articles_seen: int
    next_poll_at: datetime | None


class LastRun(BaseModel):
    """The channel's most recent digest and how it went."""

    period: str
    status: str
    scheduled_for: datetime
    finished_at: datetime | None
    note: str | None = None
    error: str | None = None


class ChannelStatus(BaseModel):
    """What `status` shows: the configuration, the next and last digest, and each feed's health."""

    channel: ChannelRef
    config: ChannelConfig
    next_run: datetime | None
    last_run: LastRun | None
    feeds: list[FeedHealth]


class ChangeResult(BaseModel):
    """A change that was made: a sentence for the person, and the configuration now."""

    message: str
    config: ChannelConfig


class AuditView(BaseModel):
    """One entry of a channel's change history."""

    at: datetime
    actor_id: str
    actor_name: str | None
    action: str
    old: Any
    new: Any


def feed_health(feed: Feed) -> FeedHealth:
    """A stored feed's health."""
    if feed.disabled:
        state = "disabled"
    elif feed.consecutive_failures:
        state = "failing"
    elif feed.last_success_at is None:
        state = "waiting for its first poll"
    else:
        state = "ok"
    return FeedHealth(
        url=feed.url,
        title=feed.title,
        state=state,
        last_success_at=feed.last_success_at,
        last_error=feed.last_error,
        last_error_at=feed.last_error_at,
        consecutive_failures=feed.consecutive_failures,
        articles_seen=feed.articles_seen,
        next_poll_at=None if feed.disabled else feed.next_poll_at,
    )


def _require_admin(caller: Caller, what: str) -> None:
    if not caller.is_channel_admin:
        raise NotChannelAdmin(
            f"Only a channel admin can {what}. Ask an admin of this channel; nothing was changed."
        )


def _check_feed_url(url: str) -> str:
    text = url.strip().strip("<>")
    parts = urlsplit(text)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise FeedRefused(f"{text!r} is not a web address: give the feed's full http:// or https:// URL")
    if len(text) > 2000:
        raise FeedRefused("that URL is longer than 2000 characters")
    return text


class ChannelAdmin:
    """The operations on a channel's configuration, with permission checks and the audit log."""

    def __init__(
        self,
        store: Store,
        probe: FeedProbe,
        clock: Clock,
        default_interval_s: int = 900,
        previewer: DigestPreviewer | None = None,
        on_change: Callable[[int], Awaitable[None]] | None = None,
    ) -> None:
        self.store = store
        self.probe = probe
        self.clock = clock
        self.default_interval_s = default_interval_s
        self.previewer = previewer
        self.on_change = on_change

    # -- reading ---------------------------------------------------------------------------------

    async def status(self, ref: ChannelRef, caller: Caller) -> ChannelStatus:
        """The channel's configuration, next and last digest, and feed health (anyone may ask)."""
        async with self._session() as session:
            channel = await self._channel(session, ref)
            feeds = await channel_store.channel_feeds(session, channel.id)
            config = config_of(channel, feeds)
            last = await delivery_store.last_finished(session, channel.id)
        now = self.clock.now()
        return ChannelStatus(
            channel=ref,
            config=config,
            next_run=None if config.paused else next_run(config.schedule, now),
            last_run=None
            if last is None
            else LastRun(
                period=last.period,
                status=last.status,
                scheduled_for=last.scheduled_for,
                finished_at=last.finished_at,
                note=last.note,
                error=last.error,
            ),
            feeds=[feed_health(feed) for feed in feeds],
        )

    async def list_feeds(self, ref: ChannelRef, caller: Caller) -> list[FeedHealth]:
        """The channel's feeds with their health (anyone may ask)."""
        async with self._session() as session:
            channel = await self._channel(session, ref)
            return [feed_health(feed) for feed in await channel_store.channel_feeds(session, channel.id)]

    async def history(self, ref: ChannelRef, caller: Caller, limit: int = 20) -> list[AuditView]:
        """The channel's recent configuration changes, newest first (admins only)."""
        _require_admin(caller, "see the change history")
        async with self._session() as session:
            channel = await self._channel(session, ref)
            entries = await audit_store.channel_history(session, channel.id, limit)
            return [
                AuditView(
                    at=e.at,
                    actor_id=e.actor_id,
                    actor_name=e.actor_name,
                    action=e.action,
                    old=e.old,
                    new=e.new,
                )
                for e in entries
            ]

    async def preview(self, ref: ChannelRef, caller: Caller) -> OutgoingMessage:
        """The digest the channel would get now, not posted and not recorded (admins only)."""
        _require_admin(caller, "preview the digest")
        if self.previewer is None:
            raise AdminError("previews are not available in this set-up")
        async with self._session() as session:
            channel = await self._channel(session, ref)
        try:
            return await self.previewer.preview(channel.id)
        except StoreUnavailable as exc:
            raise _store_down() from exc

    # -- changing --------------------------------------------------------------------------------

    async def setup(
        self,
        ref: ChannelRef,
        caller: Caller,
        schedule: str | None = None,
        digest_length: int | None = None,
    ) -> ChangeResult:
        """Start giving this channel digests (default: 08:00 UTC daily, 5 stories); again: change those."""
        _require_admin(caller, "set up briefings in this channel")
        parsed = parse_schedule(schedule) if schedule else None
        length = check_digest_length(digest_length) if digest_length is not None else None
        now = self.clock.now()
        async with self._session() as session:
            channel = await channel_store.find_channel(session, ref)
            created = channel is None
            if channel is None:
                channel = await channel_store.create_channel(session, ref, now)
            feeds = await channel_store.channel_feeds(session, channel.id)
            old = None if created else config_of(channel, feeds).model_dump(mode="json")
            if parsed is not None:
                apply_schedule(channel, parsed)
            if length is not None:
                channel.digest_length = length
            new_config = config_of(channel, feeds)
            self._touch(channel, now, bump=not created)
            audit_store.record_change(
                session, channel.id, caller, "setup", old, new_config.model_dump(mode="json"), now
            )
            channel_id = channel.id
        await self._changed(channel_id)
        verb = "Set up" if created else "Updated"
        return ChangeResult(
            message=f"{verb} briefings here: {new_config.schedule.describe()}, "
            f"{new_config.digest_length} stories per digest. Add feeds with feeds add.",
            config=new_config,
        )

    async def add_feed(self, ref: ChannelRef, caller: Caller, url: str) -> ChangeResult:
        """Follow a feed: checked to be a working RSS/Atom feed, refused if followed already."""
        _require_admin(caller, "add feeds")
        given = _check_feed_url(url)
        wanted = canonical_url(given)
        async with self._session() as session:
            channel = await self._channel(session, ref)
            followed = [feed.url for feed in await channel_store.channel_feeds(session, channel.id)]
            known = await feed_store.find_feed(session, wanted)
            known_good = known is not None and known.last_success_at is not None and not known.disabled
        if wanted in followed:
            raise FeedRefused(f"This channel already follows {wanted}.")
        if len(followed) >= MAX_FEEDS_PER_CHANNEL:
            raise FeedRefused(
                f"A channel can follow at most {MAX_FEEDS_PER_CHANNEL} feeds; remove one first."
            )
        title = known.title if known is not None else None
        if not known_good:
            # Outside any transaction: the network may take seconds.
            info = await self.probe.probe(given)
            title = info.title
        now = self.clock.now()
        async with self._session() as session:
            channel = await self._channel(session, ref)
            feed = await feed_store.get_or_create_feed(session, wanted, now, self.default_interval_s, title)
            if await feed_store.is_following(session, channel.id, feed.id):
                raise FeedRefused(f"This channel already follows {wanted}.")
            session.add(
                ChannelFeed(channel_id=channel.id, feed_id=feed.id, added_at=now, added_by=caller.user_id)
            )
            await session.flush()
            feeds = await channel_store.channel_feeds(session, channel.id)
            audit_store.record_change(
                session, channel.id, caller, "feeds.add", followed, [f.url for f in feeds], now
            )
            self._touch(channel, now)
            config = config_of(channel, feeds)
            channel_id = channel.id
        await self._changed(channel_id)
        named = f"{title} ({wanted})" if title else wanted
        return ChangeResult(message=f"Now following {named}.", config=config)

    async def remove_feed(self, ref: ChannelRef, caller: Caller, url: str) -> ChangeResult:
        """Stop following a feed (its articles stay stored; other channels keep it)."""
        _require_admin(caller, "remove feeds")
        wanted = canonical_url(_check_feed_url(url))
        now = self.clock.now()
        async with self._session() as session:
            channel = await self._channel(session, ref)
            feeds = await channel_store.channel_feeds(session, channel.id)
            old = [feed.url for feed in feeds]
            match = next((feed for feed in feeds if feed.url == wanted), None)
            if match is None:
                listed = ", ".join(old) if old else "none"
                raise FeedRefused(f"This channel does not follow {wanted}. Its feeds: {listed}.")
            link = await session.get(ChannelFeed, (channel.id, match.id))
            if link is not None:
                await session.delete(link)
            new = [u for u in old if u != wanted]
            audit_store.record_change(session, channel.id, caller, "feeds.remove", old, new, now)
            self._touch(channel, now)
            config = config_of(channel, [f for f in feeds if f.url != wanted])
            channel_id = channel.id
        await self._changed(channel_id)
        return ChangeResult(message=f"No longer following {wanted}.", config=config)

    async def set_schedule(self, ref: ChannelRef, caller: Caller, text: str) -> ChangeResult:
        """Set when the digest comes: "08:00 Europe/Berlin weekdays"."""
        _require_admin(caller, "change the schedule")
        schedule = parse_schedule(text)
        return await self._change(
            ref,
            caller,
            "schedule",
            lambda channel: _set_schedule(channel, schedule),
            lambda config: f"Digests now come at {config.schedule.describe()}.",
        )

    async def set_topics(
        self,
        ref: ChannelRef,
        caller: Caller,
        keywords: list[str] | None = None,
        actors: list[str] | None = None,
    ) -> ChangeResult:
        """Set the channel's topics (keywords and named actors); both empty: every story."""
        _require_admin(caller, "change the topics")
        topics = TopicFilter(keywords=keywords or [], actors=actors or [])
        return await self._change(
            ref,
            caller,
            "topics",
            lambda channel: apply_topics(channel, topics),
            lambda config: f"Topics: {config.topics.describe()}.",
        )

    async def set_digest_length(self, ref: ChannelRef, caller: Caller, stories: int) -> ChangeResult:
        """Set how many stories a digest holds."""
        _require_admin(caller, "change the digest length")
        length = check_digest_length(stories)
        return await self._change(
            ref,
            caller,
            "digest_length",
            lambda channel: setattr(channel, "digest_length", length),
            lambda config: f"Digests now hold up to {config.digest_length} stories.",
        )

    async def pause(self, ref: ChannelRef, caller: Caller) -> ChangeResult:
        """Stop digests without losing the configuration."""
        _require_admin(caller, "pause digests")
        return await self._change(
            ref,
            caller,
            "pause",
            lambda channel: setattr(channel, "paused", True),
            lambda _: "Digests paused. Resume them with resume; the configuration is kept.",
        )

    async def resume(self, ref: ChannelRef, caller: Caller) -> ChangeResult:
        """Start digests again."""
        _require_admin(caller, "resume digests")
        return await self._change(
            ref,
            caller,
            "resume",
            lambda channel: setattr(channel, "paused", False),
            lambda config: f"Digests resumed: {config.schedule.describe()}.",
        )

    # -- plumbing --------------------------------------------------------------------------------

    async def _change(
        self,
        ref: ChannelRef,
        caller: Caller,
        action: str,
        apply: Callable[[Channel], object],
        describe: Callable[[ChannelConfig], str],
    ) -> ChangeResult:
        now = self.clock.now()
        async with self._session() as session:
            channel = await self._channel(session, ref)
            feeds = await channel_store.channel_feeds(session, channel.id)
            before = config_of(channel, feeds)
            apply(channel)
            after = config_of(channel, feeds)
            old, new = _difference(before, after)
            if old != new:
                audit_store.record_change(session, channel.id, caller, action, old, new, now)
                self._touch(channel, now)
            channel_id = channel.id
        await self._changed(channel_id)
        return ChangeResult(message=describe(after), config=after)

    async def _channel(self, session: AsyncSession, ref: ChannelRef) -> Channel:
        channel = await channel_store.find_channel(session, ref)
        if channel is None:
            raise ChannelNotSetUp(NOT_SET_UP)
        return channel

    def _session(self) -> _StoreSession:
        return _StoreSession(self.store)

    @staticmethod
    def _touch(channel: Channel, now: datetime, bump: bool = True) -> None:
        channel.updated_at = now
        if bump:
            channel.config_version += 1

    async def _changed(self, channel_id: int) -> None:
        if self.on_change is None:
            return
        try:
            await self.on_change(channel_id)
        except Exception:  # the change is stored; the scheduler's resync picks it up anyway
            _log.exception("could not tell the scheduler that channel %d changed", channel_id)


def _set_schedule(channel: Channel, schedule: Schedule) -> None:
    apply_schedule(channel, schedule)


def _difference(before: ChannelConfig, after: ChannelConfig) -> tuple[dict[str, Any], dict[str, Any]]:
    """Only the fields that changed, old and new, for the audit log."""
    old = before.model_dump(mode="json")
    new = after.model_dump(mode="json")
    keys = [key for key in new if old.get(key) != new.get(key)]
    return {key: old[key] for key in keys}, {key: new[key] for key in keys}


def _store_down() -> StoreDown:
    return StoreDown(DATABASE_DOWN_NOTHING_CHANGED)


class _StoreSession:
    """A store transaction whose "database away" errors become a message for the person."""

    def __init__(self, store: Store) -> None:
        self._store = store
        self._context: Any = None

    async def __aenter__(self) -> AsyncSession:
        self._context = self._store.transaction()
        try:
            session: AsyncSession = await self._context.__aenter__()
        except StoreUnavailable as exc:
            _log.error("%s", exc)
            raise _store_down() from exc
        return session

    async def __aexit__(self, *exc_info: Any) -> None:
        try:
            await self._context.__aexit__(*exc_info)
        except StoreUnavailable as exc:
            _log.error("%s", exc)
            raise _store_down() from exc


__all__ = [
    "AdminError",
    "ChangeResult",
    "ChannelAdmin",
    "ChannelStatus",
    "FeedHealth",
    "FeedInfo",
    "FeedProbe",
    "InvalidSetting",
]
