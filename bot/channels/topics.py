"""Which stories are on a channel's topics: one matching rule for its digests and its `/brief`.

A keyword matches when it appears in the story's words (name, headline, digest, the people and their titles,
the places); a named actor matches one of the story's people or organisations (any of their names, or a
part of one: "Osei" matches "Lina Osei").
"""

from __future__ import annotations

from bot.channels.config import TopicFilter
from briefings.models import Story


def story_search_text(story: Story) -> str:
    """What a keyword is looked for in: name, headline, digest, the people (names, titles) and the places."""
    parts = [story.name, story.headline, *story.digest]
    for actor in story.actors:
        parts.extend([actor.name, *actor.aliases, *actor.roles])
    for place in story.places:
        parts.extend([place.name, *place.aliases])
    return " ".join(parts).lower()


def story_actor_names(story: Story) -> frozenset[str]:
    """Every name of the story's people and organisations, lower-cased."""
    return frozenset(name.lower() for actor in story.actors for name in (actor.name, *actor.aliases))


def matching_topics(search_text: str, actor_names: frozenset[str], topics: TopicFilter) -> list[str]:
    """The channel topics a story matches, given its search text and actor names."""
    matched = [k for k in topics.keywords if k.lower() in search_text]
    for actor in topics.actors:
        wanted = actor.lower()
        if wanted in actor_names or any(wanted in name for name in actor_names):
            matched.append(actor)
    return matched
