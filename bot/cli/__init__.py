"""The `briefbot` command line: the engine's commands, the operator's commands, starting the adapters."""

from __future__ import annotations

import logging

import typer

from bot.cli import engine, serve, service

app = typer.Typer(
    add_completion=False, no_args_is_help=True, help="briefbot: news briefings with their structure."
)
engine.register(app)
service.register(app)
serve.register(app)


def main() -> None:
    """Entry point of the `briefbot` console script."""
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    # Page extraction libraries log their own fallbacks; a source they fail on gets briefbot's one line.
    for noisy in ("trafilatura", "htmldate", "courlan"):
        logging.getLogger(noisy).setLevel(logging.CRITICAL)
    app()


__all__ = ["app", "main"]
