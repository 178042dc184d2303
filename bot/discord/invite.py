"""The invite URL: exactly the scopes and permissions briefbot needs on Discord."""

from __future__ import annotations

import base64
import binascii

import discord

SCOPES = ("bot", "applications.commands")


# What each permission is for, as the invite asks for it.
PERMISSIONS = {
    "view_channel": "View Channels (see the channels it posts in)",
    "send_messages": "Send Messages (digests)",
    "embed_links": "Embed Links (answers and digests are embeds)",
    "read_message_history": "Read Message History (to tell after a restart whether a digest was posted)",
}


def needed_permissions() -> discord.Permissions:
    """See channels, post digests and answers with embeds, and read recent history (to never post twice)."""
    return discord.Permissions(**dict.fromkeys(PERMISSIONS, True))


def application_id_from_token(token: str) -> int | None:
    """A bot token's first part is its user id in base64, which is the application's id for bots."""
    first = token.strip().split(".")[0]
    try:
        decoded = base64.b64decode(first + "=" * (-len(first) % 4), validate=False).decode("ascii")
    except (binascii.Error, UnicodeDecodeError, ValueError):
        return None
    return int(decoded) if decoded.isdigit() else None


def invite_url(application_id: int) -> str:
    """The URL a server admin opens to add briefbot to their server."""
    return discord.utils.oauth_url(application_id, permissions=needed_permissions(), scopes=SCOPES)
