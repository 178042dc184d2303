"""The engine's diff of a story (`briefings.stories.changes.StoryChanges`) as short lines for a digest.

The comparison itself is the engine's; this only words it: a changed headline, new dated events, people new
to the story, new quotes, new and changed figures with who gives them, and how many new sources.
"""

from __future__ import annotations

from briefings.digest.answers import reported_speech
from briefings.models import SourcedClaim
from briefings.stories.changes import FigureChange, StoryChanges

MAX_EVENTS = 5
MAX_ACTORS = 5
MAX_QUOTES = 3
MAX_FIGURES = 3
QUOTE_CHARS = 160


def _shorten(text: str, limit: int) -> str:
    """The text whole, or cut at a word with an ellipsis that says it was cut."""
    flat = " ".join(text.split())
    if len(flat) <= limit:
        return flat
    cut = flat.rfind(" ", 0, limit - 1)
    return flat[: cut if cut > limit // 2 else limit - 1].rstrip(" ,;:") + "…"


def _figure(claim: SourcedClaim) -> str:
    who = claim.claim.attributed_to
    return f"{claim.claim.quantity} ({who})" if who else claim.claim.quantity


def _figures(change: FigureChange) -> str:
    return ", ".join(dict.fromkeys(_figure(c) for c in change.now))


def _more(shown: int, total: int) -> str:
    return f" and {total - shown} more" if total > shown else ""


def whats_new_lines(changes: StoryChanges) -> list[str]:
    """What the diff says is new, one line each, most telling first; [] when nothing is."""
    lines: list[str] = []
    if changes.headline_changed and changes.headline:
        lines.append(f"New headline: {changes.headline}")
    for change in changes.changed_figures[:MAX_FIGURES]:
        lines.append(f"{change.about}: now {_figures(change)}, was {' / '.join(change.before)}")
    for change in changes.new_figures[:MAX_FIGURES]:
        lines.append(f"{change.about}: {_figures(change)}")
    events = [e for e in changes.new_events if e.what]
    lines.extend(f"{e.when}: {e.what}" for e in events[:MAX_EVENTS])
    if len(events) > MAX_EVENTS:
        lines.append(f"{len(events) - MAX_EVENTS} more new events: /timeline")
    if changes.new_actors:
        names = [a.name for a in changes.new_actors[:MAX_ACTORS]]
        lines.append("New in the story: " + ", ".join(names) + _more(len(names), len(changes.new_actors)))
    for quote in changes.new_quotes[:MAX_QUOTES]:
        if quote.quote.direct:
            speaker = quote.quote.speaker or "unattributed"
            lines.append(f"{speaker}: “{_shorten(quote.quote.text, QUOTE_CHARS)}”")
        else:  # the writer's paraphrase: never in quotation marks
            lines.append(_shorten(reported_speech(quote.quote), QUOTE_CHARS))
    if len(changes.new_quotes) > MAX_QUOTES:
        lines.append(f"{len(changes.new_quotes) - MAX_QUOTES} more new quotes: /quotes")
    count = len(changes.new_articles)
    if count:
        lines.append(f"{count} new source{'s' if count != 1 else ''}")
    return lines
