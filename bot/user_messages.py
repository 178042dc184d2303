"""Sentences people see in more than one place, kept in one: the same situation always reads the same.

Each says what happened and what to do; none names a platform (a slash command reads the same on every
platform that has them, and the console types them the same way).
"""

from __future__ import annotations

NOTHING_CHANGED = "Nothing was changed."

DATABASE_DOWN = "briefbot cannot reach its database right now. Try again in a minute; the operator has been told in the log."
DATABASE_DOWN_NOTHING_CHANGED = (
    "briefbot cannot reach its database right now, so nothing was changed. Try again in a minute; the "
    "operator has been told in the log."
)
NOT_SET_UP = (
    "This channel has no briefing set up yet: a channel admin can start one with /briefing setup, "
    "then add feeds with /briefing feeds add url:…"
)
NOT_IN_A_CHANNEL = "briefbot answers in server channels, not here."
UNREADABLE_OPTIONS = "briefbot could not read that command's options; please try again."


def database_down(changes_config: bool) -> str:
    """The database is away: try again later (and, for a change, that nothing was changed)."""
    return DATABASE_DOWN_NOTHING_CHANGED if changes_config else DATABASE_DOWN


def only_admins(command_title: str) -> str:
    """A member tried an admin's command ("/briefing feeds add")."""
    return f"Only a channel admin can use {command_title}. Ask an admin of this channel. {NOTHING_CHANGED}"


def went_wrong(command_title: str) -> str:
    """An unexpected failure ("/who", "Brief this link"), logged in full for the operator."""
    return (
        f"Something went wrong on briefbot's side while answering {command_title}; the operator can find "
        "the details in the log. Please try again later."
    )
