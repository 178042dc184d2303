"""Discord app commands built from the command table: each options model becomes a callback signature.

discord.py reads an app command's options from its callback's signature (the signature is the schema).
For every command of the table a callback is made whose signature says what the options model says: a
field's type (with its length or range as `app_commands.Range`), whether it is required, its
description, and its completion. The callback only hands the values to the adapter's answer function;
`/briefing` is one group, shown by default only to members who may manage the channel. The table's message
actions become message context-menu commands ("Apps → Brief this link" on a message), handed the message's
text with the addresses of its embeds.
"""

from __future__ import annotations

import inspect
import types
from collections.abc import Awaitable, Callable, Coroutine, Mapping
from typing import Any, Optional, Union, cast, get_args, get_origin

import annotated_types
import discord
from discord import app_commands
from pydantic.fields import FieldInfo

from bot.commands.options import completion_of
from bot.commands.table import Command, CommandTable

AnswerFn = Callable[[discord.Interaction, Command[Any], Mapping[str, object]], Awaitable[None]]
CompleteFn = Callable[[discord.Interaction, str, str], Awaitable[list[app_commands.Choice[str]]]]

# Who sees `/briefing` by default; the server checks again on every use.
ADMIN_DEFAULT_PERMISSIONS = discord.Permissions(manage_channels=True)
GUILD_ONLY = app_commands.AppCommandContext(guild=True, dm_channel=False, private_channel=False)


def _base_type(annotation: Any) -> type:
    if get_origin(annotation) in (Union, types.UnionType):
        inner = [a for a in get_args(annotation) if a is not type(None)]
        if len(inner) != 1:
            raise TypeError(f"an option must have one type, not {annotation!r}")
        annotation = inner[0]
    if annotation not in (str, int, bool):
        raise TypeError(f"options of type {annotation!r} cannot be declared on Discord")
    return annotation  # type: ignore[no-any-return]


def _limit(field: FieldInfo, kind: type[Any], attr: str) -> Any:
    return next((getattr(m, attr) for m in field.metadata if isinstance(m, kind)), None)


def option_annotation(field: FieldInfo) -> Any:
    """The discord.py annotation of an options field: its type, with its limits as a Range."""
    base = _base_type(field.annotation)
    annotation: Any = base
    if base is str:
        low = _limit(field, annotated_types.MinLen, "min_length")
        high = _limit(field, annotated_types.MaxLen, "max_length")
        if low is not None or high is not None:
            annotation = app_commands.Range[str, low, high]
    elif base is int:
        low = _limit(field, annotated_types.Ge, "ge")
        high = _limit(field, annotated_types.Le, "le")
        if low is not None or high is not None:
            annotation = app_commands.Range[int, low, high]
    return annotation if field.is_required() else Optional[annotation]  # noqa: UP045 - discord.py reads Optional


def _callback(
    command: Command[Any], answer: AnswerFn, complete: CompleteFn
) -> Callable[..., Awaitable[None]]:
    async def callback(interaction: discord.Interaction, **values: object) -> None:
        await answer(interaction, command, values)

    parameters = [
        inspect.Parameter(
            "interaction", inspect.Parameter.POSITIONAL_OR_KEYWORD, annotation=discord.Interaction
        )
    ]
    descriptions: dict[str, str] = {}
    completions: dict[str, Callable[..., Awaitable[list[app_commands.Choice[str]]]]] = {}
    for name, field in command.options.model_fields.items():
        parameters.append(
            inspect.Parameter(
                name,
                inspect.Parameter.POSITIONAL_OR_KEYWORD,
                annotation=option_annotation(field),
                default=inspect.Parameter.empty if field.is_required() else None,
            )
        )
        descriptions[name] = field.description or name
        completion = completion_of(field.json_schema_extra)
        if completion is not None:
            completions[name] = _autocomplete(completion, complete)
    callback.__name__ = callback.__qualname__ = "_".join(command.path)
    callback.__signature__ = inspect.Signature(parameters)  # type: ignore[attr-defined]
    callback.__discord_app_commands_param_description__ = descriptions  # type: ignore[attr-defined]
    callback.__discord_app_commands_param_autocomplete__ = completions  # type: ignore[attr-defined]
    return callback


def _autocomplete(
    completion: str, complete: CompleteFn
) -> Callable[..., Awaitable[list[app_commands.Choice[str]]]]:
    async def autocomplete(interaction: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
        return await complete(interaction, completion, current)

    return autocomplete


def message_text(message: discord.Message) -> str:
    """A message's text for a message action: its content, then the addresses of its embeds."""
    urls = [embed.url for embed in message.embeds if embed.url and embed.url not in message.content]
    return "\n".join([message.content or "", *urls])


def _message_callback(
    command: Command[Any], answer: AnswerFn
) -> Callable[[discord.Interaction, discord.Message], Coroutine[Any, Any, None]]:
    async def callback(interaction: discord.Interaction, message: discord.Message) -> None:
        await answer(interaction, command, {"text": message_text(message)})

    return callback


def build_context_menus(table: CommandTable, answer: AnswerFn) -> list[app_commands.ContextMenu]:
    """The table's message actions as message context-menu commands (named by their labels)."""
    menus = []
    for command in table.message_actions:
        menus.append(
            app_commands.ContextMenu(
                name=command.label or command.name,
                callback=_message_callback(command, answer),
                type=discord.AppCommandType.message,
                allowed_contexts=GUILD_ONLY,
                extras={"briefbot_command": command.name},
            )
        )
    return menus


def build_app_commands(
    table: CommandTable, answer: AnswerFn, complete: CompleteFn
) -> list[app_commands.Command[Any, ..., Any] | app_commands.Group]:
    """The table as discord.py app commands and groups, ready to add to a CommandTree."""
    top: list[app_commands.Command[Any, ..., Any] | app_commands.Group] = []
    groups: dict[tuple[str, ...], app_commands.Group] = {}

    def group_for(path: tuple[str, ...]) -> app_commands.Group:
        if path not in groups:
            parent = group_for(path[:-1]) if len(path) > 1 else None
            if parent is not None:
                group = app_commands.Group(
                    name=path[-1], description=table.description_of(path), parent=parent
                )
            else:
                group = app_commands.Group(
                    name=path[-1],
                    description=table.description_of(path),
                    allowed_contexts=GUILD_ONLY,
                    default_permissions=ADMIN_DEFAULT_PERMISSIONS if path[0] in table.admin_groups else None,
                )
            groups[path] = group
            if parent is None:
                top.append(group)
        return groups[path]

    for command in table:
        parent = group_for(command.path[:-1]) if len(command.path) > 1 else None
        app_command: app_commands.Command[Any, ..., Any] = app_commands.Command(
            name=command.path[-1],
            description=command.description,
            callback=cast(Any, _callback(command, answer, complete)),
            parent=parent,
            allowed_contexts=None if parent is not None else GUILD_ONLY,
            extras={"briefbot_command": command.name},
        )
        if parent is not None:
            parent.add_command(app_command)
        else:
            top.append(app_command)
    return top
