"""The slack-bolt app: the table's commands as slash commands and message shortcuts, buttons, install events.

Built once per process from the settings (`build_app`): one workspace with a bot token, or many through
OAuth (installations kept in our database). Its Web API calls go to BRIEFBOT_SLACK_API_URL, retried on
429 with slack_sdk's async retry handlers. Listeners take Slack's payloads here and hand the table's
commands neutral values only: a `ChannelRef`, a `Caller`, the options parsed from the typed text.
"""

from __future__ import annotations

import logging
import re
from typing import Any

import aiohttp
from slack_bolt.app.async_app import AsyncApp
from slack_bolt.context.ack.async_ack import AsyncAck
from slack_bolt.context.async_context import AsyncBoltContext
from slack_bolt.context.respond.async_respond import AsyncRespond
from slack_sdk.http_retry.builtin_async_handlers import (
    AsyncConnectionErrorRetryHandler,
    AsyncRateLimitErrorRetryHandler,
)
from slack_sdk.web.async_client import AsyncWebClient

from bot.adapters.answering import AnswerTiming
from bot.commands.dispatch import Outcome, refusal, run_command
from bot.commands.options import MAX_MESSAGE_CHARS
from bot.commands.parse import LineProblem, help_text, parse_command_text
from bot.commands.table import Command, CommandContext, CommandServices, CommandTable
from bot.config import BotSettings
from bot.identity import Caller, ChannelRef
from bot.slack.admins import check_admin
from bot.slack.answering import AnswerRunner, SlackResponder
from bot.slack.blocks import SlackMessage
from bot.slack.install import SlackInstalls
from bot.slack.more import MORE_ACTION, Continuation
from bot.slack.payloads import (
    command_channel,
    interaction_channel,
    is_direct_message,
    message_text,
    typed_text,
)
from bot.slack.stories import STORY_ACTIONS, story_buttons
from bot.user_messages import NOTHING_CHANGED

_log = logging.getLogger(__name__)

NOT_IN_A_CHANNEL = "briefbot answers in channels: use this command in a channel it has been invited to."
FOREIGN_CHANNEL = (
    "This channel is shared from another organisation, which hosts it: its briefing can only be set up "
    f"from there. {NOTHING_CHANGED}"
)
NOT_INSTALLED = (
    "briefbot is not installed in this workspace: a workspace admin can add it from the app's install page."
)


def web_client(settings: BotSettings, session: aiohttp.ClientSession | None = None) -> AsyncWebClient:
    """A Web API client for the configured base URL, waiting out rate limits and retrying lost connections."""
    token = settings.slack_bot_token.get_secret_value() if settings.slack_bot_token else None
    return AsyncWebClient(
        token=token,
        base_url=settings.slack_api_url
        if settings.slack_api_url.endswith("/")
        else settings.slack_api_url + "/",
        session=session,
        retry_handlers=[
            AsyncConnectionErrorRetryHandler(max_retry_count=1),
            AsyncRateLimitErrorRetryHandler(max_retry_count=3),
        ],
    )


def _help(table: CommandTable, prefix: str) -> SlackMessage:
    lines = [f"`/{prefix}{usage.lstrip('/')}` {description}" for usage, description in help_text(table)]
    return SlackMessage(
        blocks=[{"type": "section", "text": {"type": "mrkdwn", "text": "\n".join(lines)}}],
        text="\n".join(lines),
    )


_SLASH_COMMAND = re.compile(r"(?<![\w/:.])/(?=[a-z])")


def _prefixed(message: str, prefix: str) -> str:
    """A message naming commands (/who) as this workspace types them (/news-who); addresses untouched."""
    return _SLASH_COMMAND.sub(f"/{prefix}", message) if prefix else message


class SlackCommands:
    """The table's commands answered for Slack requests."""

    def __init__(
        self, settings: BotSettings, table: CommandTable, services: CommandServices, installs: SlackInstalls
    ) -> None:
        self.settings = settings
        self.table = table
        self.services = services
        self.installs = installs
        self.prefix = settings.slack_command_prefix
        self.runner = AnswerRunner(AnswerTiming())

    def slash_names(self) -> list[str]:
        """Every slash command Slack sends: the first word of each path, with the prefix."""
        return list(dict.fromkeys(f"/{self.prefix}{c.path[0]}" for c in self.table))

    def register(self, app: AsyncApp) -> None:
        """Attach the listeners to the app."""
        for name in self.slash_names():
            app.command(name)(self.on_command)
        for action_id in STORY_ACTIONS:
            app.action(action_id)(self.on_story_button)
        for action in self.table.message_actions:
            app.shortcut(action.path[0])(self.on_message_action)
        app.action(MORE_ACTION)(self.on_more)
        app.event("app_uninstalled")(self.on_uninstalled)
        app.event("tokens_revoked")(self.on_uninstalled)

    async def _caller(
        self,
        command: Command[Any],
        client: AsyncWebClient,
        ref: ChannelRef,
        user_id: str,
        user_name: str | None,
    ) -> Caller | str:
        """The person asking; for an admin's command Slack is asked who they are (a refusal as text)."""
        if command.permission != "admin" and not command.changes_config:
            return Caller(user_id=user_id[:100], display_name=(user_name or None) and user_name[:200])
        checked = await check_admin(client, ref.workspace, user_id, ref.channel, self.settings.slack_admins)
        if checked.foreign_channel:
            return FOREIGN_CHANNEL
        return Caller(
            user_id=user_id[:100],
            display_name=(user_name or checked.display_name or "")[:200] or None,
            is_channel_admin=checked.is_admin,
        )

    async def _run(
        self,
        command: Command[Any],
        options: dict[str, object],
        client: AsyncWebClient,
        ref: ChannelRef,
        user_id: str,
        user_name: str | None,
        responder: SlackResponder,
    ) -> Outcome:
        caller = await self._caller(command, client, ref, user_id, user_name)
        if isinstance(caller, str):
            return refusal(caller)
        outcome = await run_command(command, options, CommandContext(ref, caller, self.services))
        if command.path == ("stories",) and not outcome.refused:
            responder.extra_blocks = await story_buttons(self.services, ref)
        return outcome

    async def _answer_privately(
        self,
        command: Command[Any],
        options: dict[str, object],
        client: AsyncWebClient,
        ref: ChannelRef,
        user: dict[str, Any],
        responder: SlackResponder,
    ) -> None:
        """A command run for whoever pressed a button or used a shortcut, answered to them alone."""

        async def run() -> Outcome:
            outcome = await self._run(
                command,
                options,
                client,
                ref,
                str(user.get("id") or ""),
                user.get("username") or user.get("name"),
                responder,
            )
            return Outcome(outcome.reply, ephemeral=True, refused=outcome.refused)

        await self.runner.answer(command, run, responder)

    async def on_command(
        self, ack: AsyncAck, body: dict[str, Any], respond: AsyncRespond, client: AsyncWebClient
    ) -> None:
        """A slash command: its text parsed as a typed line, answered within Slack's 3 seconds."""
        slash = str(body.get("command", "")).lstrip("/")
        word = slash[len(self.prefix) :] if self.prefix and slash.startswith(self.prefix) else slash
        text = typed_text(str(body.get("text") or "")).strip()
        ref = command_channel(body)
        if ref is None or is_direct_message(ref.channel):
            await ack(response_type="ephemeral", text=NOT_IN_A_CHANNEL)
            return
        if text.lower() in ("help", "?"):
            shown = _help(self.table, self.prefix)
            await ack(response_type="ephemeral", text=shown.text, blocks=shown.blocks)
            return
        try:
            parsed = parse_command_text(self.table, word, text, help_hint="/brief help lists them.")
        except LineProblem as exc:
            await ack(
                response_type="ephemeral",
                text=_prefixed(exc.message, self.prefix),
            )
            return
        user_id = str(body.get("user_id") or "")
        user_name = body.get("user_name")
        responder = SlackResponder(
            ack, respond, request=Continuation(parsed.command.name, options=parsed.options)
        )
        await self.runner.answer(
            parsed.command,
            lambda: self._run(parsed.command, parsed.options, client, ref, user_id, user_name, responder),
            responder,
        )

    async def on_story_button(
        self, ack: AsyncAck, body: dict[str, Any], respond: AsyncRespond, client: AsyncWebClient
    ) -> None:
        """A button under /stories: that command for that story, answered to the person who pressed it."""
        await ack()
        action = (body.get("actions") or [{}])[0]
        command = self.table.find((STORY_ACTIONS.get(str(action.get("action_id")), ""),))
        ref = interaction_channel(body)
        user = body.get("user") or {}
        if command is None or ref is None:
            return
        options: dict[str, object] = {"story": str(action.get("value") or "")[:100]}
        responder = SlackResponder(None, respond, request=Continuation(command.name, options=options))

        await self._answer_privately(command, options, client, ref, user, responder)

    async def on_message_action(
        self, ack: AsyncAck, body: dict[str, Any], respond: AsyncRespond, client: AsyncWebClient
    ) -> None:
        """A message shortcut ("Brief this link"): acknowledged at once, answered privately through response_url."""
        await ack()
        command = self.table.message_action(str(body.get("callback_id") or ""))
        if command is None:
            return
        options: dict[str, object] = {"text": message_text(body.get("message") or {})[:MAX_MESSAGE_CHARS]}
        request = Continuation(command.path[0], action=True, options=options)
        responder = SlackResponder(None, respond, request=request)
        ref = interaction_channel(body)
        if ref is None:
            await responder.send(refusal(NOT_IN_A_CHANNEL), None)
            return
        user = body.get("user") or {}

        await self._answer_privately(command, options, client, ref, user, responder)

    async def on_more(
        self, ack: AsyncAck, body: dict[str, Any], respond: AsyncRespond, client: AsyncWebClient
    ) -> None:
        """More under a long answer: the request run again, its next messages shown to whoever pressed it."""
        await ack()
        action = (body.get("actions") or [{}])[0]
        request = Continuation.parse(str(action.get("value") or ""))
        ref = interaction_channel(body)
        if request is None or ref is None:
            return
        if request.action:
            command = self.table.message_action(request.command)
        else:
            command = self.table.find(tuple(request.command.split()))
        if command is None:
            return
        user = body.get("user") or {}
        responder = SlackResponder(None, respond, request=request)

        await self._answer_privately(command, dict(request.options), client, ref, user, responder)

    async def on_uninstalled(self, body: dict[str, Any], context: AsyncBoltContext) -> None:
        """The app was uninstalled or its tokens revoked: the installation goes, the digests pause."""
        team_id = context.team_id or body.get("team_id")
        if team_id:
            await self.installs.forget_workspace(str(team_id), context.enterprise_id)


def build_app(
    settings: BotSettings,
    table: CommandTable,
    services: CommandServices,
    installs: SlackInstalls,
    session: aiohttp.ClientSession | None = None,
) -> tuple[AsyncApp, SlackCommands]:
    """The bolt app with every listener; single-workspace with a bot token, else OAuth installs."""
    secret = settings.slack_signing_secret.get_secret_value() if settings.slack_signing_secret else None
    client = web_client(settings, session)
    options: dict[str, Any] = {}
    if installs.oauth_settings is not None:
        client.token = None
        options["oauth_settings"] = installs.oauth_settings
        options["installation_store"] = installs.installation_store
        options["user_facing_authorize_error_message"] = NOT_INSTALLED
    # With one workspace bolt takes the bot token from the client (passing it twice only earns a warning).
    app = AsyncApp(
        signing_secret=secret,
        client=client,
        process_before_response=True,  # listeners return as soon as Slack has its first response
        request_verification_enabled=True,
        **options,
    )
    commands = SlackCommands(settings, table, services, installs)
    commands.register(app)
    return app, commands
