"""Refusals of a command: each carries the reply meant for the person who asked (shown to them only)."""

from __future__ import annotations

from collections.abc import Sequence

from briefings.render import Block, BulletList, Paragraph, Reply


class CommandRefused(Exception):
    """A request that cannot be answered as asked; `reply` says why and what to do instead."""

    def __init__(self, message: str, suggestions: Sequence[str] = (), hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        blocks: list[Block] = [Paragraph(text=message)]
        if suggestions:
            blocks += [Paragraph(text="Did you mean:"), BulletList(items=list(suggestions))]
        if hint:
            blocks.append(Paragraph(text=hint))
        self.reply = Reply(blocks=blocks)


class UnknownStory(CommandRefused):
    """No story of the channel's news matches what was typed."""


class NoStories(CommandRefused):
    """The channel's feeds have brought no articles within the story window."""
