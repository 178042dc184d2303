"""`briefbot brief` in a terminal: each story's digest, people, timeline and quotes, from the answers."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from rich.console import Console, Group, RenderableType
from rich.markup import escape
from rich.panel import Panel
from rich.rule import Rule
from rich.table import Table
from rich.text import Text

from briefings.analysis import AnalysisResult
from briefings.digest.answers import quotes_answer, story_brief_answer, timeline_answer, who_answer
from briefings.models import ArticleAnalysis, Story
from briefings.render import (
    Block,
    BulletList,
    Context,
    Divider,
    Fields,
    Heading,
    Link,
    Paragraph,
    neutralise_block,
)


def block_renderables(blocks: Iterable[Block]) -> list[RenderableType]:
    """Blocks as rich renderables: headings bold, fields as a two-column table, small print dim."""
    shown: list[RenderableType] = []
    for raw in blocks:
        block = neutralise_block(raw, "console")
        if isinstance(block, Heading):
            shown.append(Text(block.text, style="bold"))
        elif isinstance(block, Paragraph):
            shown.append(Text(block.text))
        elif isinstance(block, Fields):
            table = Table.grid(padding=(0, 2))
            table.add_column(style="cyan", max_width=40)
            table.add_column()
            for field_item in block.fields:
                table.add_row(field_item.name, field_item.value)
            shown.append(table)
        elif isinstance(block, BulletList):
            for i, item in enumerate(block.items, start=1):
                shown.append(Text(f"{i}. " if block.ordered else "• ") + Text(item))
        elif isinstance(block, Context):
            shown.append(Text(" · ".join(block.elements), style="dim"))
        elif isinstance(block, Link):
            shown.append(Text.from_markup(f"[link={escape(block.url)}]{escape(block.text)}[/link]"))
        elif isinstance(block, Divider):
            shown.append(Rule(style="dim"))
    return shown


def _section(blocks: Sequence[Block]) -> RenderableType:
    # A section's own heading is the panel's rule title in `story_panel`; here it stays a bold line.
    return Group(*block_renderables(blocks))


def story_panel(story: Story, analyses: Sequence[ArticleAnalysis]) -> Panel:
    """One story as a panel: the digest, then who, when and who said what."""
    brief = story_brief_answer(story).blocks
    parts: list[RenderableType] = [Group(*block_renderables(brief[1:]))]
    for answer in (who_answer(story, analyses), timeline_answer(story), quotes_answer(story)):
        blocks = answer.blocks
        title = blocks[0].text if isinstance(blocks[0], Heading) else ""
        parts.append(Rule(title.split(" — ")[0], align="left", style="dim"))
        parts.append(_section(blocks[1:]))
    headline = brief[0].text if isinstance(brief[0], Heading) else story.headline
    return Panel(Group(*parts), title=Text(headline, style="bold"), title_align="left")


def print_stories(console: Console, result: AnalysisResult) -> None:
    """Print every story: digest, people with their titles, timeline and quotes."""
    by_id = {a.article.id: a for a in result.analyses}
    for story in result.stories:
        analyses = [by_id[i] for i in story.articles if i in by_id]
        console.print(story_panel(story, analyses))
