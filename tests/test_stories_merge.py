"""Merging a story's articles: one identity per actor and place, one timeline, quotes once, disagreements shown."""

from __future__ import annotations

from stories_builders import actor, analysis, claim, event, place, quote

from briefings.models import ArticleAnalysis
from briefings.stories.merge import merge_people_story, merge_story, merge_timeline_story


def test_irbil_and_erbil_are_one_place():
    first = analysis("a1", places=[place("Irbil"), place("Baghdad")])
    second = analysis("a2", places=[place("Erbil")])
    story = merge_story("s", [first, second])
    (kurdish_city,) = [p for p in story.places if "Erbil" in [p.name, *p.aliases]]
    assert {kurdish_city.name, *kurdish_city.aliases} == {"Irbil", "Erbil"}
    assert len(story.places) == 2


def test_iran_and_iraq_stay_two_places():
    story = merge_story("s", [analysis("a1", places=[place("Iran")]), analysis("a2", places=[place("Iraq")])])
    assert sorted(p.name for p in story.places) == ["Iran", "Iraq"]


def test_one_person_under_three_names_across_articles():
    articles = [
        analysis("a1", actors=[actor("Mike Pompeo", aliases=["Pompeo"])]),
        analysis("a2", actors=[actor("Michael Pompeo", mentions=2)]),
        analysis("a3", actors=[actor("Pompeo")]),
    ]
    story = merge_story("s", articles)
    (pompeo,) = story.actors
    assert pompeo.name in ("Michael Pompeo", "Mike Pompeo")
    assert {pompeo.name, *pompeo.aliases} == {"Mike Pompeo", "Michael Pompeo", "Pompeo"}
    assert len(pompeo.mentions) == 4


def test_a_bare_surname_goes_to_the_person_the_story_mentions_most():
    articles = [
        analysis("a1", actors=[actor("Donald Trump", mentions=5), actor("Ivanka Trump", mentions=1)]),
        analysis("a2", actors=[actor("Trump", mentions=3)]),
    ]
    story = merge_story("s", articles)
    names = {a.name: a for a in story.actors}
    assert "Trump" in names["Donald Trump"].aliases
    assert "Trump" not in names["Ivanka Trump"].aliases


def test_pentagon_and_department_of_defense_are_one_organisation():
    articles = [
        analysis("a1", actors=[actor("Pentagon", "organization", mentions=3)]),
        analysis("a2", actors=[actor("Department of Defense", "organization")]),
    ]
    (pentagon,) = merge_story("s", articles).actors
    assert pentagon.name == "Pentagon" and pentagon.aliases == ["Department of Defense"]


def test_disagreement_names_both_sources():
    articles = [
        analysis("a1", claims=[claim("at least 80", "US soldiers killed", "killed", "Iranian state TV", 80)]),
        analysis("a2", claims=[claim("no", "soldiers killed", "killed", "Pentagon", 0)]),
    ]
    story = merge_story("s", articles)
    (disagreement,) = story.disagreements
    assert disagreement.about == "killed"
    figures = {(c.claim.quantity, c.claim.attributed_to, c.article) for c in disagreement.claims}
    assert figures == {("at least 80", "Iranian state TV", "a1"), ("no", "Pentagon", "a2")}


def test_no_casualties_contradicts_a_count_of_dead():
    articles = [
        analysis("a1", claims=[claim("at least 12", "people killed", "killed", "health ministry", 12)]),
        analysis("a2", claims=[claim("no", "civilian casualties", "casualties", "Tomas Brandt", 0)]),
    ]
    (disagreement,) = merge_story("s", articles).disagreements
    assert {c.article for c in disagreement.claims} == {"a1", "a2"}


def test_agreeing_and_rising_figures_are_no_disagreement():
    articles = [
        analysis(
            "a1",
            "",
            "2024-03-05T10:00:00",
            claims=[claim("at least four", "people died", "killed", "coast guard", 4)],
        ),
        analysis("a2", "", "2024-03-05T11:00:00", claims=[claim("four", "dead", "killed", None, 4)]),
        analysis(
            "a3", "", "2024-03-06T09:00:00", claims=[claim("nine", "death toll", "killed", "coast guard", 9)]
        ),
        analysis(
            "a4", "", "2024-03-08T09:00:00", claims=[claim("eleven", "people dead", "killed", None, 11)]
        ),
    ]
    assert merge_story("s", articles).disagreements == []


def test_the_same_event_from_two_articles_is_one_timeline_entry():
    strike = "Norland jets struck the fuel depot in Kessa late on Monday."
    articles = [
        analysis("a1", events=[event("strike", "2024-03-04", strike, ["Norland"], "Kessa")]),
        analysis(
            "a2",
            # Published after the meeting it reports: a timeline holds what had happened by then.
            published="2024-03-07T10:00:00",
            events=[
                event(
                    "attack",
                    "2024-03-04T23:40",
                    "Norland aircraft bombed the Kessa depot just before midnight.",
                    ["Norland"],
                    "Kessa",
                ),
                event(
                    "meet",
                    "2024-03-06",
                    "The security council met in closed session on Wednesday.",
                    ["council"],
                ),
            ],
        ),
    ]
    timeline = merge_story("s", articles).timeline
    assert [(e.when, e.articles) for e in timeline] == [
        ("2024-03-04T23:40", ["a1", "a2"]),
        ("2024-03-06", ["a2"]),
    ]


def test_quotes_are_kept_once_with_every_article():
    said = "We are still pulling people from the rubble"
    articles = [
        analysis("a1", actors=[actor("Petra Lind")], quotes=[quote(said, "Petra Lind")]),
        analysis(
            "a2", actors=[actor("Lind")], quotes=[quote(said + ", and the tanks are still burning", "Lind")]
        ),
        analysis("a3", quotes=[quote("The depot fed the rebel convoys", "Tomas Brandt")]),
    ]
    quotes = merge_story("s", articles).quotes
    assert len(quotes) == 2
    lind = quotes[0]
    assert lind.quote.speaker == "Petra Lind"
    assert lind.quote.text.endswith("still burning") and lind.article == "a2"
    assert lind.articles == ["a1", "a2"]


def test_claims_name_their_source_as_the_story_does():
    articles = [
        analysis("a1", actors=[actor("Tomas Brandt")]),
        analysis(
            "a2", actors=[actor("Brandt")], claims=[claim("two", "bridges destroyed", "count", "Brandt", 2)]
        ),
    ]
    (sourced,) = merge_story("s", articles).claims
    assert sourced.claim.attributed_to == "Tomas Brandt"


def test_reprints_count_as_one_source_and_add_no_claims():
    figure = claim("at least 12", "people killed", "killed", "health ministry", 12)
    articles = [analysis("a1", claims=[figure]), analysis("a2", claims=[figure])]
    story = merge_story("s", articles, duplicates={"a2": "a1"})
    assert story.source_count == 1 and len(story.claims) == 1
    assert [s.duplicate_of for s in story.sources] == [None, "a1"]


def test_name_is_short_and_headline_follows_the_latest_report():
    articles = [
        analysis(
            "a1",
            published="2024-03-05T06:00:00",
            title="Norland jets strike fuel depot in Eastmark's Kessa - Continental Press",
        ),
        analysis(
            "a2",
            published="2024-03-05T12:00:00",
            title="Twelve dead after Norland depot strike in Kessa, Eastmark says",
        ),
        analysis(
            "a3", published="2024-03-07T10:00:00", title="Kessa buries its dead as depot fire is put out"
        ),
    ]
    story = merge_story("s", articles)
    assert story.name == "Norland jets strike fuel depot in Eastmark's Kessa"
    assert story.headline == "Kessa buries its dead as depot fire is put out"
    assert story.articles == ["a1", "a2", "a3"]


def test_a_story_keeps_the_name_it_was_known_by():
    first = merge_story("s", [analysis("a1", title="Ferry capsizes off Lanmore")])
    later = merge_story(
        "s",
        [
            analysis("a1", title="Ferry capsizes off Lanmore"),
            analysis("a2", title="Lanmore ferry captain questioned"),
        ],
        previous=first,
    )
    assert later.name == first.name == "Ferry capsizes off Lanmore"


def test_a_long_article_of_figures_shows_each_sources_figure_once():
    """An article with 1,500 counts of the dead from 1,500 sources (a hostile feed could send one)."""
    claims = [claim(str(n), "people killed", "killed", f"official {n}", n) for n in range(1, 1501)]
    casualties = [claim("no", "casualties", "casualties", "the governor", 0)]
    killed, none = merge_story("s", [analysis("a1", claims=claims + casualties)]).disagreements
    assert killed.about == "killed" and len(killed.claims) == 1500
    # "No casualties" against every count of the dead: each shown once.
    shown = [(c.claim.quantity, c.claim.attributed_to) for c in none.claims]
    assert len(shown) == len(set(shown)) == 1501 and shown[0] == ("no", "the governor")


def _depot_strike(said: str) -> list[ArticleAnalysis]:
    """A strike, its report with a quote and a claim, a council meeting after it and a reprint of that."""
    return [
        analysis(
            "a1",
            published="2024-03-05T06:00:00",
            title="Norland jets strike fuel depot in Kessa",
            actors=[actor("Tomas Brandt")],
            events=[
                event("strike", "2024-03-04", "Norland jets struck the depot in Kessa.", ["Norland"], "Kessa")
            ],
            quotes=[quote(said, "Tomas Brandt")],
            claims=[claim("two", "bridges destroyed", "count", "Brandt", 2)],
        ),
        analysis(
            "a2",
            published="2024-03-07T10:00:00",
            title="Council meets over the Kessa depot strike",
            actors=[actor("Brandt")],
            events=[event("meet", "2024-03-06", "The council met on Wednesday.", ["council"])],
        ),
        analysis("a3", published="2024-03-07T11:00:00", title="Council meets over the Kessa depot strike"),
    ]


def test_the_timeline_merge_shows_what_the_whole_merge_shows_of_the_timeline():
    articles = _depot_strike("The depot fed the rebel convoys")
    whole = merge_story("s", articles, duplicates={"a3": "a2"})
    timeline_only = merge_timeline_story("s", articles, duplicates={"a3": "a2"})
    shown = ("id", "name", "headline", "articles", "sources", "timeline", "source_count", "first_published")
    assert whole.timeline and timeline_only.model_dump(include=set(shown)) == whole.model_dump(
        include=set(shown)
    )
    # What the timeline does not show is not merged.
    assert whole.quotes and whole.claims and whole.actors
    assert not (timeline_only.quotes or timeline_only.claims or timeline_only.digest or timeline_only.actors)


def test_the_people_story_is_the_whole_story_without_its_digest() -> None:
    articles = _depot_strike("We will rebuild the depot within the year, whatever it costs the council.")
    whole = merge_story("s", articles, duplicates={"a3": "a2"})
    people = merge_people_story("s", articles, duplicates={"a3": "a2"})
    # What `/who` shows (its people, what they said and claimed, the timeline it cites) is the whole story's.
    left_out = {"digest", "disagreements", "w"}
    assert whole.actors and whole.quotes and whole.claims
    assert people.model_dump(exclude=left_out) == whole.model_dump(exclude=left_out)
    assert not people.digest  # the costly part, not merged
