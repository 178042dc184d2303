"""Running one command for any platform: options validated, permission checked, refusals turned into replies.

An adapter converts its platform's request into the command, the raw option values, the channel and the
caller, calls `run_command`, and renders the `Outcome`. Whatever goes wrong comes back as a reply meant
for the person who asked (ephemeral), never as an exception or a stack trace; unexpected errors are
logged in full for the operator.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError

from bot.channels.errors import AdminError
from bot.commands.errors import CommandRefused
from bot.commands.table import Command, CommandContext
from bot.store.db import StoreUnavailable
from bot.user_messages import NOTHING_CHANGED, database_down, only_admins, went_wrong
from briefings.render import Paragraph, Reply

_log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Outcome:
    """A command's answer, whether only the asker sees it, and whether the command was refused."""

    reply: Reply
    ephemeral: bool
    refused: bool = False


def refusal(message: str) -> Outcome:
    """A refusal shown only to the person who asked."""
    return Outcome(Reply(blocks=[Paragraph(text=message)]), ephemeral=True, refused=True)


def _option_names(command: Command[Any]) -> str:
    names = list(command.options.model_fields)
    return ", ".join(names) if names else "none"


def _problem(command: Command[Any], error: Mapping[str, Any]) -> str:
    """One validation error in words; the value itself is never echoed (it may be huge)."""
    where = error.get("loc") or ()
    name = str(where[0]) if where else "the options"
    kind = str(error.get("type", ""))
    limits = error.get("ctx") or {}
    given = error.get("input")
    if kind == "string_too_long":
        size = f"; yours has {len(given):,}" if isinstance(given, str) else ""
        return f"{name} can be at most {limits.get('max_length')} characters{size}."
    if kind == "string_too_short":
        return f"{name} cannot be empty."
    if kind == "missing":
        field = command.options.model_fields.get(name)
        about = f" ({field.description})" if field is not None and field.description else ""
        return f"{name} is needed{about}."
    if kind == "extra_forbidden":
        return f"{command.title} has no option “{name[:40]}” (its options: {_option_names(command)})."
    if kind in ("greater_than_equal", "less_than_equal", "greater_than", "less_than"):
        field = command.options.model_fields.get(name)
        bounds = [
            getattr(m, attr)
            for m in (field.metadata if field else ())
            for attr in ("ge", "le")
            if hasattr(m, attr)
        ]
        if len(bounds) == 2:
            return f"{name} must be from {bounds[0]} to {bounds[1]}."
        return f"{name}: {error.get('msg', 'out of range')}."
    if kind.startswith("int_"):
        return f"{name} must be a whole number."
    if kind.startswith("bool_"):
        return f"{name} must be true or false."
    if kind.startswith("string_"):
        return f"{name} must be text."
    return f"{name}: {error.get('msg', 'not a value briefbot can use')}."


def describe_invalid(command: Command[Any], error: ValidationError) -> str:
    """What was wrong with the options, in words for the person who typed them."""
    problems = list(dict.fromkeys(_problem(command, e) for e in error.errors(include_url=False)))
    tail = f" {NOTHING_CHANGED}" if command.changes_config else ""
    return " ".join(problems) + tail


async def run_command(
    command: Command[Any], raw_options: Mapping[str, object], ctx: CommandContext
) -> Outcome:
    """Validate, check permission, run the handler; any refusal or failure becomes a reply for the asker."""
    started = time.perf_counter()
    try:
        return await _run(command, raw_options, ctx)
    finally:
        if ctx.services.metrics is not None:
            ctx.services.metrics.observe_command(command.name, time.perf_counter() - started)


async def _run(command: Command[Any], raw_options: Mapping[str, object], ctx: CommandContext) -> Outcome:
    try:
        options = command.options.model_validate({k: v for k, v in raw_options.items() if v is not None})
    except ValidationError as exc:
        return refusal(describe_invalid(command, exc))
    if command.permission == "admin" and not ctx.caller.is_channel_admin:
        return refusal(only_admins(command.title))
    try:
        reply = await command.handler(ctx, options)
    except CommandRefused as exc:
        return Outcome(exc.reply, ephemeral=True, refused=True)
    except AdminError as exc:
        return refusal(exc.message)
    except StoreUnavailable as exc:
        _log.error("%s: %s", command.title, exc)
        return refusal(database_down(command.changes_config))
    except Exception:
        _log.exception("%s failed in %s", command.title, ctx.channel.key())
        return refusal(went_wrong(command.title))
    if command.changes_config:
        ctx.services.stories.forget(ctx.channel)
    return Outcome(reply, ephemeral=command.ephemeral)
