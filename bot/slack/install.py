"""Where a workspace's bot token comes from: the configured token (one workspace), or OAuth installs.

With BRIEFBOT_SLACK_CLIENT_ID and _CLIENT_SECRET, teams install the app at /slack/install; slack_sdk's
installation and OAuth-state stores keep them in our database (tables of migration 0006, on SQLite or
PostgreSQL). A workspace that uninstalls the app, or revokes its tokens, has its installation removed and
the digests of its channels paused through the admin API (so the audit log says why).
"""

from __future__ import annotations

import logging

from slack_bolt.oauth.async_oauth_settings import AsyncOAuthSettings
from slack_sdk.oauth.installation_store.sqlalchemy import AsyncSQLAlchemyInstallationStore
from slack_sdk.oauth.state_store.sqlalchemy import AsyncSQLAlchemyOAuthStateStore
from sqlalchemy import select

from bot.channels.admin import ChannelAdmin
from bot.config import BotSettings
from bot.delivery import DeliveryFailed
from bot.identity import Caller
from bot.slack.payloads import PLATFORM
from bot.store import channels as channel_store
from bot.store.db import Store
from bot.store.models import Channel, Workspace

_log = logging.getLogger(__name__)

# What the app may do: slash commands and shortcuts, post, read back its recent posts (exactly-once
# digests), look up channels (creator, shared) and people (workspace admins).
BOT_SCOPES = (
    "commands",
    "chat:write",
    "channels:history",
    "groups:history",
    "channels:read",
    "groups:read",
    "users:read",
)
INSTALL_PATH = "/slack/install"
REDIRECT_PATH = "/slack/oauth_redirect"
STATE_EXPIRES_S = 600
UNINSTALLED = Caller(
    user_id="slack:app_uninstalled", display_name="Slack (app uninstalled)", is_channel_admin=True
)


class SlackInstalls:
    """Bot tokens by workspace, and what happens when a workspace leaves."""

    def __init__(self, settings: BotSettings, store: Store, admin: ChannelAdmin) -> None:
        self.store = store
        self.admin = admin
        self.bot_token = settings.slack_bot_token.get_secret_value() if settings.slack_bot_token else None
        self.installation_store: AsyncSQLAlchemyInstallationStore | None = None
        self.oauth_settings: AsyncOAuthSettings | None = None
        client_id = settings.slack_client_id
        if client_id and settings.slack_client_secret is not None:
            self.installation_store = AsyncSQLAlchemyInstallationStore(
                client_id=client_id, engine=store.engine
            )
            self.oauth_settings = AsyncOAuthSettings(
                client_id=client_id,
                client_secret=settings.slack_client_secret.get_secret_value(),
                scopes=list(BOT_SCOPES),
                installation_store=self.installation_store,
                state_store=AsyncSQLAlchemyOAuthStateStore(
                    expiration_seconds=STATE_EXPIRES_S, engine=store.engine
                ),
                install_path=INSTALL_PATH,
                redirect_uri_path=REDIRECT_PATH,
            )

    @property
    def multi_workspace(self) -> bool:
        """Whether workspaces install the app through OAuth."""
        return self.installation_store is not None

    async def token_for(self, team_id: str) -> str:
        """The bot token to post in a workspace; DeliveryFailed when the app is not installed there."""
        if self.installation_store is None:
            if self.bot_token is None:
                raise DeliveryFailed("no Slack bot token: set BRIEFBOT_SLACK_BOT_TOKEN", retryable=False)
            return self.bot_token
        bot = await self.installation_store.async_find_bot(enterprise_id=None, team_id=team_id)
        if bot is None or not bot.bot_token:
            raise DeliveryFailed(
                f"briefbot is not installed in the Slack workspace {team_id}", retryable=False
            )
        return bot.bot_token

    async def forget_workspace(self, team_id: str, enterprise_id: str | None = None) -> int:
        """The workspace left: its installation removed, its channels' digests paused. Channels paused."""
        if self.installation_store is not None:
            await self.installation_store.async_delete_all(enterprise_id=enterprise_id, team_id=team_id)
        async with self.store.transaction() as session:
            rows = await session.execute(
                select(Channel)
                .join(Workspace, Channel.workspace_id == Workspace.id)
                .where(
                    Workspace.platform == PLATFORM,
                    Workspace.external_id == team_id,
                    Channel.paused.is_(False),
                )
            )
            refs = [channel_store.channel_ref(channel) for channel in rows.scalars()]
        for ref in refs:
            await self.admin.pause(ref, UNINSTALLED)
        _log.warning("Slack workspace %s uninstalled briefbot: %d channels paused", team_id, len(refs))
        return len(refs)
