"""A typed line as a command of the table: `/who story:"harbour fire" name:Okoro`, `/briefing feeds add URL`.

Words of the form `option:value` (or `option=value`) set that option; the other words, joined, fill the
first option not set yet (so `/who harbour fire` asks about the story "harbour fire"); a bare word that
names a yes/no option sets it (`/briefing topics clear`). Quotes group words, as in a shell.

The console reads whole typed lines; Slack delivers a slash command's name and the free text after it
(`/who` + `harbour fire`), which `parse_command_text` reads the same way.
"""

from __future__ import annotations

import difflib
import shlex
from dataclasses import dataclass, field
from typing import Any

from bot.commands.table import Command, CommandTable


@dataclass(frozen=True)
class ParsedLine:
    """A command and the option values typed for it."""

    command: Command[Any]
    options: dict[str, object] = field(default_factory=dict)


class LineProblem(Exception):
    """A line that is not a command; `message` says what to type instead."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _is_bool(command: Command[Any], name: str) -> bool:
    field_info = command.options.model_fields.get(name)
    return field_info is not None and field_info.annotation in (bool, bool | None)


HELP_HINT = "/help lists them."


def _unknown(table: CommandTable, words: list[str], help_hint: str) -> LineProblem:
    typed = " ".join(words[:3]).lower()
    prefix = [c.name for c in table if c.name.startswith(typed + " ")]
    if prefix:
        return LineProblem(f"/{typed} needs one of: " + ", ".join(f"/{n}" for n in prefix))
    close = difflib.get_close_matches(typed, [c.name for c in table], n=2, cutoff=0.5)
    close += difflib.get_close_matches(words[0].lower(), [c.path[0] for c in table], n=1, cutoff=0.6)
    hint = f" Did you mean /{close[0]}?" if close else ""
    return LineProblem(f"There is no command /{typed}.{hint} {help_hint}")


def parse_command_text(
    table: CommandTable, command: str, text: str, help_hint: str = HELP_HINT
) -> ParsedLine:
    """A slash command's name ("who", "briefing") and the text typed after it, as a command of the table."""
    return parse_line(table, f"/{command.strip().lstrip('/')} {text}", help_hint)


def parse_line(table: CommandTable, line: str, help_hint: str = HELP_HINT) -> ParsedLine:
    """The command a line asks for, with its options; LineProblem when the line is not one."""
    text = line.strip()
    if not text.startswith("/"):
        raise LineProblem("Commands start with a slash: try /brief, /stories or /help.")
    try:
        words = shlex.split(text[1:])
    except ValueError as exc:
        raise LineProblem(f"That line cannot be read ({exc}): close the quotes.") from None
    if not words:
        raise LineProblem(f"Type a command after the slash: {help_hint}")
    command, used = table.longest_match(words)
    if command is None:
        raise _unknown(table, words, help_hint)
    fields = list(command.options.model_fields)
    options: dict[str, object] = {}
    loose: list[str] = []
    for word in words[used:]:
        name, sep, value = word.partition(":")
        if not sep or name.lower() not in fields:
            name, sep, value = word.partition("=")
        if sep and name.lower() in fields:
            options[name.lower()] = value
        elif word.lower() in fields and _is_bool(command, word.lower()):
            options[word.lower()] = True
        else:
            loose.append(word)
    if loose:
        free = next((f for f in fields if f not in options and not _is_bool(command, f)), None)
        if free is None:
            raise LineProblem(
                f"/{command.name} takes no more words here (“{' '.join(loose)[:60]}”); "
                f"its options: {', '.join(f + ':…' for f in fields) or 'none'}."
            )
        options[free] = " ".join(loose)
    return ParsedLine(command, options)


def help_text(table: CommandTable) -> list[tuple[str, str]]:
    """Each command as it is typed, with its description."""
    rows = []
    for command in table:
        names = " ".join(f"[{name}:…]" for name in command.options.model_fields)
        rows.append((f"/{command.name} {names}".rstrip(), command.description))
    return rows
