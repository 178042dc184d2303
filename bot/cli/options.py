"""What every `briefbot` command shares: the `--config` option, the settings it loads, the two consoles."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from pydantic import ValidationError
from rich.console import Console

from bot.config import BotSettings, load_settings

out = Console(highlight=False, soft_wrap=True)
err = Console(stderr=True, highlight=False, soft_wrap=True)

ConfigOpt = Annotated[
    Path | None,
    typer.Option("--config", help="a TOML settings file (default: $BRIEFBOT_CONFIG or ./briefbot.toml)"),
]


def settings_or_exit(config: Path | None) -> BotSettings:
    """The service's settings, or one line naming what is wrong and exit status 2."""
    try:
        return load_settings(config)
    except ValidationError as exc:
        err.print(f"briefbot: the settings cannot be used: {settings_problems(exc)}", markup=False)
        raise typer.Exit(2) from None
    except (FileNotFoundError, ValueError) as exc:
        err.print(f"briefbot: the settings cannot be used: {exc}", markup=False)
        raise typer.Exit(2) from None


def settings_problems(exc: ValidationError) -> str:
    """What is wrong with the settings, by variable, without the values given (a token or a password)."""
    problems = []
    for error in exc.errors(include_url=False, include_input=False):
        name = "BRIEFBOT_" + "__".join(str(part) for part in error["loc"]).upper()
        problems.append(f"{name}: {error['msg']}")
    return "; ".join(problems) or "invalid"
