"""Analysed articles built directly, for the story tests that exercise merging rather than extraction."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from briefings.models import (
    Actor,
    ActorKind,
    Article,
    ArticleAnalysis,
    Claim,
    Event,
    Mention,
    Place,
    Quote,
)


def mention(text: str) -> Mention:
    """One mention of a name (offsets do not matter to the story tests)."""
    return Mention(text=text, start=0, end=len(text), sentence=0)


def actor(name: str, kind: ActorKind = "person", aliases: Sequence[str] = (), mentions: int = 1) -> Actor:
    """An actor named `mentions` times."""
    return Actor(name=name, kind=kind, aliases=list(aliases), mentions=[mention(name)] * mentions)


def place(name: str, aliases: Sequence[str] = ()) -> Place:
    """A place named once."""
    return Place(name=name, aliases=list(aliases), mentions=[mention(name)])


def claim(
    quantity: str, what: str, category: str | None, by: str | None, value: float | None = None
) -> Claim:
    """A figure, what it counts and who claims it."""
    return Claim(
        text=f"{quantity} {what}",
        quantity=quantity,
        what=what,
        category=category,
        attributed_to=by,
        value=value,
    )


def quote(text: str, speaker: str | None) -> Quote:
    """A direct quote."""
    return Quote(text=text, speaker=speaker, start=0, end=len(text), sentence=0)


def event(kind: str, when: str, evidence: str, who: Sequence[str] = (), where: str | None = None) -> Event:
    """A dated event with the sentence that reports it."""
    return Event(type=kind, trigger=kind, who=list(who), where=where, when=when, evidence=evidence)


def analysis(
    article_id: str,
    text: str = "",
    published: str | None = "2024-03-05T10:00:00",
    title: str | None = None,
    actors: Sequence[Actor] = (),
    places: Sequence[Place] = (),
    quotes: Sequence[Quote] = (),
    claims: Sequence[Claim] = (),
    events: Sequence[Event] = (),
) -> ArticleAnalysis:
    """An analysed article with the given extractions."""
    return ArticleAnalysis(
        article=Article(
            id=article_id,
            source=f"{article_id}.txt",
            text=text or (title or article_id),
            title=title,
            published=datetime.fromisoformat(published) if published else None,
        ),
        actors=list(actors),
        places=list(places),
        quotes=list(quotes),
        claims=list(claims),
        events=list(events),
    )
