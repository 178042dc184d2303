"""`python -m bot.cli`: the same as the `briefbot` console script."""

from __future__ import annotations

from bot.cli import main

main()
