"""A story of one article shows copies of its actors and places: changing the story leaves the analysis be."""

from __future__ import annotations

from briefings.models import Actor, Mention, Place
from briefings.stories.identity import merge_actors, merge_places


def test_one_articles_actors_and_places_are_copied_with_nothing_shared() -> None:
    mention = Mention(text="Ada Brook", start=0, end=9, sentence=0)
    actor = Actor(name="Ada Brook", kind="person", aliases=["Brook"], roles=["mayor"], mentions=[mention])
    place = Place(name="Eastvale", aliases=["East Vale"], mentions=[mention])
    [copied_actor], _ = merge_actors([actor], 1)
    [copied_place], _ = merge_places([place], 1)
    assert copied_actor == actor and copied_place == place
    assert copied_actor.model_fields_set == actor.model_fields_set
    copied_actor.aliases.append("A. Brook")
    copied_actor.roles.append("chair")
    copied_actor.mentions[0].start = 5
    copied_place.aliases.append("Eastvale Town")
    copied_place.mentions.clear()
    assert actor.aliases == ["Brook"] and actor.roles == ["mayor"] and mention.start == 0
    assert place.aliases == ["East Vale"] and place.mentions == [mention]
