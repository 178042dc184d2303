"""The Slack app manifest, generated from the command table: creating the app is one paste.

`briefbot slack manifest --request-url https://bot.example.org` gives an HTTP-mode app whose commands,
interactivity and events go to that host's /slack/events; `--socket-mode` an app that connects out.
"""

from __future__ import annotations

from typing import Any

from bot.commands.table import CommandTable
from bot.slack.install import BOT_SCOPES, REDIRECT_PATH

EVENTS_PATH = "/slack/events"
BOT_EVENTS = ("app_uninstalled", "tokens_revoked")
DESCRIPTION_CHARS = 100  # Slack's limit on a slash command's description
SHORTCUT_NAME_CHARS = 24  # what a message's menu shows of a shortcut's name
HINT_CHARS = 100


def _usage(table: CommandTable, word: str) -> tuple[str, str]:
    commands = [c for c in table if c.path[0] == word]
    if len(commands) == 1 and len(commands[0].path) == 1:
        command = commands[0]
        hint = " ".join(f"[{name}]" for name in command.options.model_fields)
        return command.description, hint
    subcommands = sorted({" ".join(c.path[1:2]) for c in commands})
    return table.description_of((word,)), "|".join(subcommands)


def app_manifest(
    table: CommandTable, request_url: str | None, socket_mode: bool, prefix: str = "", name: str = "briefbot"
) -> dict[str, Any]:
    """The manifest: bot user, one slash command per first word of the table, its message actions as message
    shortcuts, scopes, events, URLs."""
    base = (request_url or "").rstrip("/")
    url = f"{base}{EVENTS_PATH}" if base else None
    commands = []
    for word in dict.fromkeys(c.path[0] for c in table):
        description, hint = _usage(table, word)
        command: dict[str, Any] = {
            "command": f"/{prefix}{word}",
            "description": description[:DESCRIPTION_CHARS],
            "should_escape": False,
        }
        if hint:
            command["usage_hint"] = hint[:HINT_CHARS]
        if url and not socket_mode:
            command["url"] = url
        commands.append(command)
    shortcuts = [
        {
            "name": (action.label or action.name)[:SHORTCUT_NAME_CHARS],
            "type": "message",
            "callback_id": action.path[0],
            "description": action.description[:DESCRIPTION_CHARS],
        }
        for action in table.message_actions
    ]
    interactivity: dict[str, Any] = {"is_enabled": True}
    events: dict[str, Any] = {"bot_events": list(BOT_EVENTS)}
    if url and not socket_mode:
        interactivity["request_url"] = url
        events["request_url"] = url
    oauth: dict[str, Any] = {"scopes": {"bot": list(BOT_SCOPES)}}
    if base and not socket_mode:
        oauth["redirect_urls"] = [f"{base}{REDIRECT_PATH}"]
    return {
        "_metadata": {"major_version": 1, "minor_version": 1},
        "display_information": {
            "name": name,
            "description": "News briefings with their structure: who, what, when, where, who said what",
        },
        "features": {
            "bot_user": {"display_name": name, "always_online": True},
            "slash_commands": commands,
            **({"shortcuts": shortcuts} if shortcuts else {}),
        },
        "oauth_config": oauth,
        "settings": {
            "event_subscriptions": events,
            "interactivity": interactivity,
            "org_deploy_enabled": False,
            "socket_mode_enabled": socket_mode,
            "token_rotation_enabled": False,
        },
    }
