"""What changed in a story since a channel last saw it: new events, actors, quotes and figures.

A channel keeps a `ChannelSnapshot` (plain data) of what its last digest showed; `channel_changes` compares
the stories of now with it, so a digest can say "since yesterday: …".
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from pydantic import Field

from briefings.extract.names import normalise_name
from briefings.models import Actor, Model, SourcedClaim, Story, StoryQuote, TimelineEntry
from briefings.stories.disagreements import group_claims


class StorySnapshot(Model):
    """What a channel was shown of one story: its articles, actors, figures and headline."""

    story: str
    name: str = ""
    headline: str = ""
    taken: datetime | None = None
    articles: list[str] = Field(default_factory=list)
    actors: list[str] = Field(default_factory=list)
    figures: dict[str, list[str]] = Field(default_factory=dict)


class ChannelSnapshot(Model):
    """What a channel was shown of every story, when its last digest went out."""

    taken: datetime | None = None
    stories: dict[str, StorySnapshot] = Field(default_factory=dict)


class FigureChange(Model):
    """A count whose figure is new since the snapshot: what it counts, what was shown, what is said now."""

    about: str
    before: list[str] = Field(default_factory=list)
    now: list[SourcedClaim] = Field(default_factory=list)


class StoryChanges(Model):
    """What is new in one story since a snapshot (everything, for a story the channel has not seen)."""

    story: str
    name: str
    headline: str
    new_story: bool = False
    headline_changed: bool = False
    new_articles: list[str] = Field(default_factory=list)
    new_events: list[TimelineEntry] = Field(default_factory=list)
    new_actors: list[Actor] = Field(default_factory=list)
    new_quotes: list[StoryQuote] = Field(default_factory=list)
    new_figures: list[FigureChange] = Field(default_factory=list)
    changed_figures: list[FigureChange] = Field(default_factory=list)

    def is_empty(self) -> bool:
        """Whether nothing at all is new."""
        return not (self.new_story or self.new_articles)


def _quantity(claim: SourcedClaim) -> str:
    return " ".join(claim.claim.quantity.casefold().split())


def _actor_names(actors: Iterable[Actor]) -> list[str]:
    return sorted({normalise_name(n) for a in actors for n in (a.name, *a.aliases)} - {""})


def snapshot_story(story: Story, taken: datetime | None = None) -> StorySnapshot:
    """What a channel is being shown of a story now, to compare with later."""
    figures = {
        key: sorted({_quantity(c) for c in claims}) for key, claims in group_claims(story.claims).items()
    }
    return StorySnapshot(
        story=story.id,
        name=story.name,
        headline=story.headline,
        taken=taken,
        articles=list(story.articles),
        actors=_actor_names(story.actors),
        figures=figures,
    )


def snapshot_channel(stories: Iterable[Story], taken: datetime | None = None) -> ChannelSnapshot:
    """A channel's snapshot of every story it is being shown."""
    return ChannelSnapshot(taken=taken, stories={s.id: snapshot_story(s, taken) for s in stories})


def story_changes(story: Story, seen: StorySnapshot | None) -> StoryChanges:
    """What is new in `story` since `seen` (all of it when the channel has not seen the story)."""
    seen_articles = set(seen.articles) if seen else set()
    new_articles = [a for a in story.articles if a not in seen_articles]
    fresh = set(new_articles)

    def only_new(articles: Iterable[str]) -> bool:
        listed = list(articles)
        return bool(listed) and all(a in fresh for a in listed)

    seen_actors = set(seen.actors) if seen else set()
    new_actors = [
        a for a in story.actors if not ({normalise_name(n) for n in (a.name, *a.aliases)} & seen_actors)
    ]
    new_figures: list[FigureChange] = []
    changed_figures: list[FigureChange] = []
    for key, claims in group_claims(story.claims).items():
        recent = [c for c in claims if c.article in fresh]
        if not recent:
            continue
        about = min((c.claim.what or "" for c in claims), key=len) or key
        before = seen.figures.get(key) if seen else None
        if before is None:
            new_figures.append(FigureChange(about=about, now=recent))
            continue
        differing = [c for c in recent if _quantity(c) not in before]
        if differing:
            changed_figures.append(FigureChange(about=about, before=before, now=differing))
    return StoryChanges(
        story=story.id,
        name=story.name,
        headline=story.headline,
        new_story=seen is None,
        headline_changed=seen is not None and seen.headline != story.headline,
        new_articles=new_articles,
        new_events=[e for e in story.timeline if only_new(e.articles)],
        new_actors=new_actors,
        new_quotes=[q for q in story.quotes if only_new(q.articles or [q.article])],
        new_figures=new_figures,
        changed_figures=changed_figures,
    )


def channel_changes(stories: Iterable[Story], seen: ChannelSnapshot | None) -> list[StoryChanges]:
    """The stories with something new since the channel's snapshot, in the order given."""
    shown = seen.stories if seen else {}
    changes = [story_changes(story, shown.get(story.id)) for story in stories]
    return [c for c in changes if not c.is_empty()]
