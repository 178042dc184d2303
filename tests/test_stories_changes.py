"""What changed in a story since a channel last saw it."""

from __future__ import annotations

from stories_builders import actor, analysis, claim, event, quote

from briefings.stories.changes import (
    ChannelSnapshot,
    channel_changes,
    snapshot_channel,
    snapshot_story,
    story_changes,
)
from briefings.stories.merge import merge_story

FIRST = analysis(
    "a1",
    published="2024-03-05T06:00:00",
    title="Fuel depot in Kessa bombed",
    actors=[actor("Tomas Brandt"), actor("Norland", "country")],
    claims=[claim("at least 12", "people killed", "killed", "health ministry", 12)],
    quotes=[quote("The depot fed the rebel convoys", "Tomas Brandt")],
    events=[
        event("strike", "2024-03-04", "Norland jets struck the fuel depot in Kessa on Monday.", ["Norland"])
    ],
)
FOLLOW_UP = analysis(
    "a2",
    published="2024-03-07T10:00:00",
    title="Kessa buries its dead",
    actors=[actor("Brandt"), actor("Ana Pesic")],
    claims=[claim("15", "death toll", "killed", "health ministry", 15)],
    quotes=[
        quote("He went to work and never came home", "Ana Pesic"),
        quote("The depot fed the rebel convoys", "Brandt"),
    ],
    events=[
        event(
            "strike",
            "2024-03-04",
            "Monday's Norland strike on the fuel depot in Kessa killed 15.",
            ["Norland"],
        ),
        event("bury", "2024-03-07", "Hundreds walked behind the coffins in Kessa on Thursday.", ["mourners"]),
    ],
)


def test_a_new_article_shows_its_new_event_actor_quote_and_figure():
    seen = snapshot_story(merge_story("s", [FIRST]))
    changes = story_changes(merge_story("s", [FIRST, FOLLOW_UP]), seen)
    assert not changes.new_story
    assert changes.new_articles == ["a2"]
    assert [e.when for e in changes.new_events] == ["2024-03-07"]
    assert [a.name for a in changes.new_actors] == ["Ana Pesic"]
    assert [q.quote.speaker for q in changes.new_quotes] == ["Ana Pesic"]
    (toll,) = changes.changed_figures
    assert toll.before == ["at least 12"] and [c.claim.quantity for c in toll.now] == ["15"]
    assert changes.headline_changed


def test_nothing_new_when_the_channel_saw_it_all():
    story = merge_story("s", [FIRST, FOLLOW_UP])
    changes = story_changes(story, snapshot_story(story))
    assert changes.is_empty()
    assert changes.new_events == [] and changes.new_actors == [] and changes.new_quotes == []


def test_a_story_the_channel_never_saw_is_new_in_full():
    changes = story_changes(merge_story("s", [FIRST]), None)
    assert changes.new_story and changes.new_articles == ["a1"]
    assert len(changes.new_events) == 1 and len(changes.new_figures) == 1


def test_channel_snapshot_survives_json_and_lists_only_stories_with_news():
    kessa = merge_story("kessa", [FIRST])
    other = merge_story("ferry", [analysis("b1", title="Ferry capsizes off Lanmore")])
    stored = snapshot_channel([kessa, other]).model_dump_json()
    seen = ChannelSnapshot.model_validate_json(stored)
    now = [merge_story("kessa", [FIRST, FOLLOW_UP]), other]
    assert [c.story for c in channel_changes(now, seen)] == ["kessa"]
