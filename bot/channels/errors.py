"""Errors of the admin API: each carries a message meant for the person who asked."""

from __future__ import annotations


class AdminError(Exception):
    """A request the admin API refused; `message` says why and what to do, in words for a chat user."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class NotChannelAdmin(AdminError):
    """Only a channel admin may change a channel's configuration."""


class ChannelNotSetUp(AdminError):
    """The channel has no configuration yet."""


class InvalidSetting(AdminError):
    """A value that cannot be used: a time of 25:00, an unknown timezone, a digest length of 0."""


class FeedRefused(AdminError):
    """A feed URL that cannot be followed: not a feed, unreachable, refused, or followed already."""


class StoreDown(AdminError):
    """The database is away; nothing was changed."""
