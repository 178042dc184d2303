"""`briefbot brief` in a terminal: each story's digest, people, timeline and quotes, from the answers."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from rich.console import Console, Group, RenderableType
from rich.panel import Panel
from rich.rule import Rule
from rich.text import Text

from bot.console.render import block_renderables, console_blocks
from briefings.analysis import AnalysisResult
from briefings.digest.answers import quotes_answer, story_brief_answer, timeline_answer, who_answer
from briefings.models import ArticleAnalysis, Story
from briefings.render import Block, Heading


def _renderables(blocks: Iterable[Block]) -> list[RenderableType]:
    return block_renderables(console_blocks(blocks))


def _section(blocks: Sequence[Block]) -> RenderableType:
    # A section's own heading is the panel's rule title in `story_panel`; here it stays a bold line.
    return Group(*_renderables(blocks))


def story_panel(story: Story, analyses: Sequence[ArticleAnalysis]) -> Panel:
    """One story as a panel: the digest, then who, when and who said what."""
    brief = story_brief_answer(story).blocks
    parts: list[RenderableType] = [Group(*_renderables(brief[1:]))]
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
    for kept_out in result.set_aside:
        source = by_id[kept_out.article].article.source if kept_out.article in by_id else kept_out.article
        console.print(Text(f"Not in any story: {source}: {kept_out.reason}.", style="dim"))
