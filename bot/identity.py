"""Who and where, platform-neutral: the channel a request is about, and the person making it."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class ChannelRef(BaseModel):
    """A channel on a platform, as its adapter names it.

    `platform` is the adapter's name ("discord", "slack", "console"); `workspace` is the guild, team or
    local workspace id; `channel` the channel id within it. Ids are the platform's own, as strings.
    """

    model_config = ConfigDict(frozen=True)

    platform: str = Field(min_length=1, max_length=20)
    workspace: str = Field(min_length=1, max_length=64)
    channel: str = Field(min_length=1, max_length=64)
    channel_name: str | None = Field(None, max_length=200, description="shown in status; not an identity")
    workspace_name: str | None = Field(None, max_length=200)

    def key(self) -> str:
        """A short stable text for logs and idempotency keys."""
        return f"{self.platform}:{self.workspace}:{self.channel}"


class Caller(BaseModel):
    """The person behind an admin request, with what their platform says they may do.

    `is_channel_admin` is decided by the adapter, as its platform defines a channel admin (Discord: the
    Manage Channels or Manage Server permission; Slack: a workspace admin or owner, or the channel's
    manager; console: the local operator). The admin API trusts it and enforces it.
    """

    model_config = ConfigDict(frozen=True)

    user_id: str = Field(min_length=1, max_length=100)
    display_name: str | None = Field(None, max_length=200)
    is_channel_admin: bool = False
