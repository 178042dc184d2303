"""What Discord accepts in a message, and article text made unable to mention anyone there."""

from __future__ import annotations

import re

from briefings.render import Limits

# An embed's title 256, description 4096, 25 fields (name 256, value 1024), footer 2048; 10 embeds and
# 6000 characters across the embeds of one message.
DISCORD_LIMITS = Limits(
    heading=256,
    text=4096,
    section_text=4096,
    fields_per_block=25,
    field_name=256,
    field_value=1024,
    context_text=2048,
    link_text=256,
    sections_per_message=10,
    message_chars=6000,
)
# Discord offers at most 25 completions of an option, each at most 100 characters long.
DISCORD_CHOICES = 25
DISCORD_CHOICE_CHARS = 100

_ZWSP = "\u200b"  # zero-width space: breaks a mention token without changing what a reader sees
_MENTION = re.compile(r"@(everyone|here)|<(@[!&]?|#)(\d+)>")


def _broken(match: re.Match[str]) -> str:
    if match.group(1):
        return f"@{_ZWSP}{match.group(1)}"
    return f"<{_ZWSP}{match.group(2)}{match.group(3)}>"


def neutralise_discord(text: str) -> str:
    """Text that cannot ping on Discord: @everyone, @here, <@id>, <@!id>, <@&role>, <#channel> broken up.

    A zero-width space goes after the "@" or "<", as discord.py's `escape_mentions` does; messages are sent
    with mentions disabled as well (`AllowedMentions.none()`).
    """
    return _MENTION.sub(_broken, text)
