"""Blocks for a terminal (rich): headings bold, fields as two columns, small print dim; long text folds."""

from __future__ import annotations

import re
from collections.abc import Iterable

from rich.console import Group, RenderableType
from rich.panel import Panel
from rich.rule import Rule
from rich.table import Table
from rich.text import Text

from briefings.render import (
    Block,
    BulletList,
    Context,
    Divider,
    Fields,
    Heading,
    Limits,
    Link,
    Paragraph,
    Reply,
    neutralise_block,
    render_pages,
)

# A terminal takes any length: text folds, nothing is paged.
CONSOLE_LIMITS = Limits()
_ESCAPES = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]|\x1b[\]PX^_].*?(?:\x07|\x1b\\)|[\x00-\x08\x0b-\x1f\x7f]")


def neutralise_console(text: str) -> str:
    """Text safe for a terminal: escape sequences and control characters out (new lines and tabs stay)."""
    return _ESCAPES.sub("", text)


def console_blocks(blocks: Iterable[Block]) -> list[Block]:
    """Blocks with their text made safe for a terminal."""
    return [neutralise_block(block, neutralise_console) for block in blocks]


def block_renderables(blocks: Iterable[Block]) -> list[RenderableType]:
    """Blocks (already neutralised for the console) as rich renderables; nothing is cropped."""
    shown: list[RenderableType] = []
    for block in blocks:
        if isinstance(block, Heading):
            shown.append(Text(block.text, style="bold"))
        elif isinstance(block, Paragraph):
            shown.append(Text(block.text))
        elif isinstance(block, Fields):
            table = Table.grid(padding=(0, 2))
            table.add_column(style="cyan", max_width=40, overflow="fold")
            table.add_column(overflow="fold")
            for item in block.fields:
                table.add_row(item.name, item.value)
            shown.append(table)
        elif isinstance(block, BulletList):
            for number, line in enumerate(block.items, start=1):
                shown.append(Text(f"{number}. " if block.ordered else "• ") + Text(line))
        elif isinstance(block, Context):
            shown.append(Text(" · ".join(block.elements), style="dim"))
        elif isinstance(block, Link):
            shown.append(
                Text(block.text, style=f"underline link {block.url}") + Text(f"  {block.url}", style="dim")
            )
        elif isinstance(block, Divider):
            shown.append(Rule(style="dim"))
    return shown


def reply_panel(reply: Reply, refused: bool = False) -> Panel:
    """A reply as one panel (a refusal's border in yellow); the console has no size limits to page by."""
    shown = [
        part
        for page in render_pages(reply, CONSOLE_LIMITS, neutralise_console)
        for part in block_renderables(page)
    ]
    return Panel(Group(*shown), border_style="yellow" if refused else "cyan", expand=True)
