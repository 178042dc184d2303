"""Stories printed readably in a terminal."""

from __future__ import annotations

from rich.console import Console
from rich.panel import Panel
from rich.table import Table

from briefings.analysis import AnalysisResult
from briefings.models import Story


def _story_panel(story: Story, sources: dict[str, str]) -> Panel:
    body = Table.grid(padding=(0, 1))
    body.add_column()
    body.add_row(" ".join(story.digest) or "(no digest)")
    people = [a for a in story.actors if a.kind == "person"]
    if people:
        who = Table(title="Who", show_header=False, box=None, title_justify="left")
        for actor in people[:12]:
            who.add_row(actor.name, "; ".join(actor.roles[:2]))
        body.add_row(who)
    if story.timeline:
        when = Table(title="Timeline", show_header=False, box=None, title_justify="left")
        for entry in story.timeline[:12]:
            when.add_row(entry.when, entry.what)
        body.add_row(when)
    if story.quotes:
        said = Table(title="Quotes", show_header=False, box=None, title_justify="left")
        for q in story.quotes[:10]:
            said.add_row(q.quote.speaker or "unattributed", f"“{q.quote.text}”")
        body.add_row(said)
    origin = ", ".join(sources[a] for a in story.articles[:5])
    return Panel(body, title=f"[bold]{story.headline}[/bold]", subtitle=origin, subtitle_align="right")


def print_stories(console: Console, result: AnalysisResult) -> None:
    """Print every story: digest, people with their titles, timeline and quotes."""
    sources = {a.article.id: a.article.outlet or a.article.source for a in result.analyses}
    for story in result.stories:
        console.print(_story_panel(story, sources))
