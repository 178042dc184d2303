"""Where discord.py connects: Discord's own REST API and gateway, or the ones the settings name.

discord.py keeps both as class attributes (`Route.BASE` for REST, interaction callbacks and follow-ups;
`DiscordWebSocket.DEFAULT_GATEWAY` for the gateway), so they are set for the whole process before a
client starts. A staging set-up, or the tests' fake Discord, uses the same two settings.
"""

from __future__ import annotations

import logging

import yarl
from discord.gateway import DiscordWebSocket
from discord.http import Route

_log = logging.getLogger(__name__)


def apply_endpoints(api_url: str, gateway_url: str) -> None:
    """Point discord.py's REST calls and gateway connections at these URLs."""
    Route.BASE = api_url.rstrip("/")
    DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(gateway_url)
    _log.info("Discord REST API at %s, gateway at %s", Route.BASE, gateway_url)
