"""Slack as a chat adapter of `briefbot run`: HTTP mode or Socket Mode, chosen by the settings.

HTTP mode serves `/slack/events` (commands, interactivity and events; with OAuth also `/slack/install` and
`/slack/oauth_redirect`) on BRIEFBOT_SLACK_HOST:BRIEFBOT_SLACK_PORT. It keeps no state between requests
beyond the database, so several processes can sit behind a load balancer. Socket Mode (with
BRIEFBOT_SLACK_APP_TOKEN) opens a websocket to Slack instead, for a bot behind a firewall.
"""

from __future__ import annotations

import asyncio
import logging

import aiohttp
from aiohttp import web
from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler
from slack_sdk.errors import SlackApiError

from bot.adapters.protocol import AdapterKit, AdapterStartFailed
from bot.commands.table import CommandServices, CommandTable
from bot.config import BotSettings
from bot.slack.app import build_app, web_client
from bot.slack.delivery import SlackDelivery
from bot.slack.install import SlackInstalls
from bot.slack.payloads import PLATFORM, api_error
from bot.store.db import Store

_log = logging.getLogger(__name__)

EVENTS_PATH = "/slack/events"


class SlackStartFailed(AdapterStartFailed):
    """Slack could not be started; one line for the operator."""


def _secret(value: object) -> str | None:
    text = value.get_secret_value().strip() if value is not None else ""  # type: ignore[attr-defined]
    return text or None


def has_slack(settings: BotSettings) -> bool:
    """Whether the settings name a Slack app to serve (a bot token, or OAuth client credentials)."""
    return _secret(settings.slack_bot_token) is not None or bool(settings.slack_client_id)


def socket_mode(settings: BotSettings) -> bool:
    """Socket Mode when an app-level token is set, else HTTP mode."""
    return _secret(settings.slack_app_token) is not None


def check_settings(settings: BotSettings) -> None:
    """The Slack settings make sense together, else SlackStartFailed saying what to set."""
    oauth = bool(settings.slack_client_id) or _secret(settings.slack_client_secret) is not None
    if oauth and not (settings.slack_client_id and _secret(settings.slack_client_secret)):
        raise SlackStartFailed(
            "Slack OAuth needs both BRIEFBOT_SLACK_CLIENT_ID and BRIEFBOT_SLACK_CLIENT_SECRET (api.slack.com/apps → "
            "your app → Basic Information → App Credentials)"
        )
    if not oauth and _secret(settings.slack_bot_token) is None:
        raise SlackStartFailed(
            "no Slack bot token: set BRIEFBOT_SLACK_BOT_TOKEN (xoxb-…, api.slack.com/apps → your app → OAuth & "
            "Permissions), or BRIEFBOT_SLACK_CLIENT_ID and _CLIENT_SECRET for installs in many workspaces"
        )
    if socket_mode(settings):
        app_token = _secret(settings.slack_app_token) or ""
        if not app_token.startswith("xapp-"):
            raise SlackStartFailed(
                "BRIEFBOT_SLACK_APP_TOKEN is not an app-level token (xapp-…): create one with the "
                "connections:write scope (api.slack.com/apps → your app → Basic Information → App-Level Tokens)"
            )
    elif _secret(settings.slack_signing_secret) is None:
        raise SlackStartFailed(
            "no Slack signing secret: set BRIEFBOT_SLACK_SIGNING_SECRET (api.slack.com/apps → your app → Basic "
            "Information → Signing Secret); without it briefbot cannot tell Slack's requests from anyone's"
        )


async def check_token(settings: BotSettings, session: aiohttp.ClientSession | None = None) -> str:
    """auth.test for the configured bot token: the workspace's name, or SlackStartFailed in one line."""
    client = web_client(settings, session)
    try:
        answer = await client.auth_test()
    except SlackApiError as exc:
        error = api_error(exc)
        raise SlackStartFailed(
            f"Slack refused BRIEFBOT_SLACK_BOT_TOKEN (auth.test: {error}): copy the Bot User OAuth Token again "
            "(api.slack.com/apps → your app → OAuth & Permissions)"
        ) from None
    except (aiohttp.ClientError, TimeoutError, OSError) as exc:
        raise SlackStartFailed(
            f"Slack cannot be reached at {settings.slack_api_url} ({exc.__class__.__name__}); check the network "
            "and BRIEFBOT_SLACK_API_URL"
        ) from None
    return str(answer.get("team") or answer.get("team_id") or "the workspace")


class SlackAdapter:
    """The bolt app served over HTTP or Socket Mode, and its digest delivery."""

    name = PLATFORM

    def __init__(
        self, settings: BotSettings, table: CommandTable, services: CommandServices, store: Store
    ) -> None:
        self.settings = settings
        self.installs = SlackInstalls(settings, store, services.admin)
        self.app, self.commands = build_app(settings, table, services, self.installs)
        self.delivery = SlackDelivery(settings, self.installs, store)
        self._runner: web.AppRunner | None = None
        self._socket: AsyncSocketModeHandler | None = None
        self.port: int | None = None  # the port HTTP mode listens on, once started

    async def prepare(self) -> None:
        """The settings checked and, for one workspace, the token tried with auth.test."""
        check_settings(self.settings)
        if not self.installs.multi_workspace:
            team = await check_token(self.settings)
            _log.info("Slack bot token accepted for %s", team)

    async def start(self) -> None:
        """Serve until cancelled."""
        if socket_mode(self.settings):
            token = _secret(self.settings.slack_app_token)
            self._socket = AsyncSocketModeHandler(self.app, token)
            try:
                await self._socket.connect_async()  # type: ignore[no-untyped-call]
            except SlackApiError as exc:
                raise SlackStartFailed(
                    f"Slack refused BRIEFBOT_SLACK_APP_TOKEN (apps.connections.open: {api_error(exc)})"
                ) from None
            _log.info("Slack Socket Mode connected")
            await asyncio.Event().wait()
        await self.listen()
        await asyncio.Event().wait()

    async def listen(self) -> int:
        """HTTP mode: /slack/events (and the OAuth pages) on the configured host and port; the port."""
        self._runner = web.AppRunner(self.app.web_app(path=EVENTS_PATH), access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, self.settings.slack_host, self.settings.slack_port)
        try:
            await site.start()
        except OSError as exc:
            raise SlackStartFailed(
                f"cannot listen on {self.settings.slack_host}:{self.settings.slack_port} for Slack ({exc.strerror}); "
                "set BRIEFBOT_SLACK_PORT to a free port"
            ) from None
        server = site._server  # the bound port, when 0 asked for any free one
        sockets = getattr(server, "sockets", None) or []
        self.port = sockets[0].getsockname()[1] if sockets else self.settings.slack_port
        _log.info("Slack HTTP mode: %s on %s:%s", EVENTS_PATH, self.settings.slack_host, self.port)
        return self.port

    async def stop(self) -> None:
        """Close the server or the socket; finish the answers still being sent."""
        if self._socket is not None:
            await self._socket.close_async()  # type: ignore[no-untyped-call]
        if self._runner is not None:
            await self._runner.cleanup()
        await self.commands.runner.drain()


def slack_adapter(kit: AdapterKit) -> SlackAdapter:
    """The Slack adapter (an `AdapterFactory`)."""
    return SlackAdapter(kit.settings, kit.table, kit.services, kit.service.store)
