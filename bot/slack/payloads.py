"""Who and where from Slack's payloads, and a slash command's text as the person typed it.

Slack sends a command's text with `&`, `<` and `>` escaped, and links, channels and people in angle
brackets (`<https://x.example/feed|x.example/feed>`, `<@U123|ada>`): they are turned back into what was
typed before the text is parsed like a line typed in the console.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from slack_sdk.errors import SlackApiError

from bot.identity import ChannelRef

PLATFORM = "slack"

_ANGLED = re.compile(r"<([^<>|]*)(?:\|([^<>]*))?>")


def _typed(match: re.Match[str]) -> str:
    target, label = match.group(1), match.group(2)
    if target.startswith(("http://", "https://", "mailto:")):
        return target  # the address itself: a feed URL must arrive whole, not its shortened label
    if target.startswith(("@", "#")):
        return label or target
    return label or target


def typed_text(text: str) -> str:
    """A slash command's text as typed: links as their addresses, escapes undone."""
    plain = _ANGLED.sub(_typed, text)
    return plain.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def message_text(message: Mapping[str, Any]) -> str:
    """A message's text as plain text (links as their addresses), with the addresses of its link previews."""
    text = typed_text(str(message.get("text") or ""))
    previews = [
        str(attachment.get("original_url") or attachment.get("from_url") or "")
        for attachment in message.get("attachments") or []
        if isinstance(attachment, Mapping)
    ]
    return "\n".join([text, *(url for url in previews if url and url not in text)])


def _text(value: Any, size: int) -> str | None:
    return str(value)[:size] if value else None


def command_channel(body: Mapping[str, Any]) -> ChannelRef | None:
    """The channel a slash command was typed in (None without a team or a channel)."""
    team = body.get("team_id")
    channel = body.get("channel_id")
    if not team or not channel:
        return None
    name = body.get("channel_name")
    return ChannelRef(
        platform=PLATFORM,
        workspace=str(team),
        channel=str(channel),
        channel_name=f"#{name}"[:200] if name and name != "directmessage" else None,
        workspace_name=_text(body.get("team_domain"), 200),
    )


def interaction_channel(body: Mapping[str, Any]) -> ChannelRef | None:
    """The channel a button or a message shortcut was used in."""
    team = (body.get("team") or {}).get("id") or (body.get("user") or {}).get("team_id")
    channel = body.get("channel") or {}
    if not team or not channel.get("id"):
        return None
    name = channel.get("name")
    return ChannelRef(
        platform=PLATFORM,
        workspace=str(team),
        channel=str(channel["id"]),
        channel_name=f"#{name}"[:200] if name else None,
        workspace_name=_text((body.get("team") or {}).get("domain"), 200),
    )


def is_direct_message(channel_id: str) -> bool:
    """Whether a channel id is a direct message (D…): briefings live in channels."""
    return channel_id.startswith("D")


def api_error(exc: SlackApiError) -> str:
    """Slack's error code of a failed Web API call ("not_in_channel"), or its HTTP status."""
    data = exc.response.data
    if isinstance(data, dict) and data.get("error"):
        return str(data["error"])
    return f"HTTP {exc.response.status_code}"
