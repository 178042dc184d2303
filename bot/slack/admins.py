"""Who may change a channel's briefing on Slack, asked of Slack and checked again by the admin API.

A channel admin is a workspace owner or admin (`users.info`), the channel's creator (`conversations.info`),
or a user id the operator lists in BRIEFBOT_SLACK_ADMINS. A channel shared from another organisation
(Slack Connect, hosted by another workspace) takes no configuration from this one.
"""

from __future__ import annotations

import logging
from collections.abc import Collection
from dataclasses import dataclass

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.slack.payloads import api_error

_log = logging.getLogger(__name__)


@dataclass(frozen=True)
class AdminCheck:
    """What Slack said about a person in a channel."""

    is_admin: bool
    foreign_channel: bool = False  # hosted by another organisation
    display_name: str | None = None


async def check_admin(
    client: AsyncWebClient, team_id: str, user_id: str, channel_id: str, operators: Collection[str]
) -> AdminCheck:
    """Whether the person may change this channel's briefing (a failed look-up counts as no)."""
    foreign = False
    creator = None
    try:
        channel = (await client.conversations_info(channel=channel_id)).get("channel") or {}
        host = channel.get("conversation_host_id")
        foreign = bool(channel.get("is_ext_shared") and host and host != team_id)
        creator = channel.get("creator")
    except SlackApiError as exc:
        _log.info("conversations.info %s: %s", channel_id, api_error(exc))
    if foreign:
        return AdminCheck(is_admin=False, foreign_channel=True)
    name = None
    is_admin = user_id in operators or user_id == creator
    if not is_admin:
        try:
            user = (await client.users_info(user=user_id)).get("user") or {}
            name = user.get("real_name") or user.get("name")
            is_admin = bool(user.get("is_admin") or user.get("is_owner") or user.get("is_primary_owner"))
        except SlackApiError as exc:
            _log.info("users.info %s: %s", user_id, api_error(exc))
    return AdminCheck(is_admin=is_admin, display_name=name)
