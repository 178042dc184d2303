"""Similar but different events: articles without a publication time date themselves by their header."""

from __future__ import annotations

from datetime import date

import pytest

from briefings.extract.page_dates import stated_days, url_days, url_header_end
from briefings.models import ArticleAnalysis
from briefings.stories.clustering import cluster_articles
from briefings.stories.features import extract_features
from briefings.stories.index import IndexSettings, StoryIndex

# Two earthquakes on one island, seven years apart: same kind, same place, same officials' words.
QUAKE_2011 = (
    "Strong earthquake shakes Varo island March 14, 2011 A magnitude 6.1 earthquake struck Varo island on "
    "Monday morning, damaging houses in the fishing villages along its northern coast, the island's "
    "disaster agency said. Rescue teams searched collapsed homes in Tesh and Lunmor. Hospitals in the port "
    "town of Arvik treated dozens of injured people, and the agency said aftershocks rattled the island."
)
QUAKE_2011_AGAIN = (
    "Quake damages villages on Varo March 14, 2011 Houses collapsed in the northern villages of Varo island "
    "after a strong earthquake hit on Monday, according to the disaster agency. Rescuers dug through rubble "
    "in Tesh and Lunmor while the hospital in Arvik took in the injured. Several aftershocks followed the "
    "main quake, and the agency warned people to stay out of damaged houses."
)
QUAKE_2018 = (
    "Earthquake hits Varo island June 3, 2018 A magnitude 5.8 earthquake struck Varo island on Sunday, "
    "damaging houses in villages along its northern coast, the island's disaster agency said. Rescue teams "
    "searched collapsed homes in Tesh and Lunmor. The hospital in the port town of Arvik treated injured "
    "people, and the agency said aftershocks rattled the island through the night."
)
# The 2018 quake again, without any date: only its wording ties it to a story.
QUAKE_UNDATED = (
    "Earthquake rattles Varo island A magnitude 5.8 earthquake struck Varo island on Sunday, damaging houses "
    "in villages along its northern coast, the island's disaster agency said. Rescue teams searched "
    "collapsed homes in Tesh and Lunmor, and the hospital in the port town of Arvik treated the injured."
)

# The 2011 quake again, without any date, worded as its other reports are.
QUAKE_2011_UNDATED = (
    "Houses collapse on Varo Houses collapsed in the northern villages of Varo island after a strong "
    "earthquake hit on Monday. Rescuers dug through rubble in Tesh and Lunmor while the hospital in Arvik "
    "took in dozens of injured. Several aftershocks followed the main quake, and the disaster agency warned "
    "people to stay out of damaged houses."
)


def _cluster(analyze, texts: dict[str, str], settings: IndexSettings | None = None) -> dict[str, str]:
    analyses: list[ArticleAnalysis] = []
    for key, text in texts.items():
        analysis = analyze(text, published=None)
        analysis.article.id = key
        analyses.append(analysis)
    placed: dict[str, str] = {}
    for group in cluster_articles(analyses, settings):
        for i in group.members:
            placed[analyses[i].article.id] = group.id
    return placed


def _day(text: str) -> int:
    return date.fromisoformat(text).toordinal()


def test_an_address_dates_its_page():
    assert url_days("https://news.example.com/2013/08/02/host-named/index.html") == (
        _day("2013-08-02"),
        _day("2013-08-02"),
    )
    assert url_days("http://example.org/world/20100505-268325/bank-fire") == (
        _day("2010-05-05"),
        _day("2010-05-05"),
    )
    assert url_days("http://example.org/film/2013/aug/02/host") == (_day("2013-08-02"), _day("2013-08-02"))
    assert url_days("http://example.org/2008/12/offer-made.html") == (_day("2008-12-01"), _day("2008-12-31"))
    assert url_days("http://example.org/story?id=2066717") is None


def test_an_address_copied_with_spaces_opens_the_text(analyze):
    text = (
        "http: / / www. example. com / 2005 / 11 / 27 / quake - hits - varo / index. html Quake hits Varo "
        "A strong earthquake struck Varo island on Sunday, the disaster agency said."
    )
    end = url_header_end(text)
    assert text[:end].endswith("index. html")
    analysis = analyze(text, published=None)
    assert stated_days(analysis, end) == (_day("2005-11-27"), _day("2005-11-27"))
    assert url_header_end("Quake hits Varo. http://example.com/a") == 0


def test_a_header_line_dates_the_article_but_a_background_date_does_not(analyze):
    posted = analyze(
        "Ferry sinks off Lanmore Posted 11 / 27 / 2005 7:21 AM A ferry sank on Sunday.", published=None
    )
    assert extract_features(posted).stated == (_day("2005-11-27"), _day("2005-11-27"))
    background = analyze(
        "Tomas Brandt was sentenced on Saturday for the crimes he committed on March 11, 2005 in Kessa.",
        published=None,
    )
    assert extract_features(background).stated is None


def test_a_publication_time_is_the_day_an_article_states(analyze):
    dated = analyze(QUAKE_2018, published="2018-06-04T08:00:00")
    assert extract_features(dated).stated == (_day("2018-06-04"), _day("2018-06-04"))


def test_two_quakes_on_one_island_years_apart_are_two_stories(analyze):
    placed = _cluster(analyze, {"2011": QUAKE_2011, "2011-again": QUAKE_2011_AGAIN, "2018": QUAKE_2018})
    assert placed["2011-again"] == placed["2011"]
    assert placed["2018"] != placed["2011"]


def test_without_their_dates_the_two_quakes_would_be_one_story(analyze):
    # What the dates decide: with the gap between the days they state ignored, the wording joins them.
    ignore_dates = IndexSettings(stated_days=1_000_000)
    placed = _cluster(analyze, {"2011": QUAKE_2011, "2018": QUAKE_2018}, ignore_dates)
    assert placed["2018"] == placed["2011"]


def test_an_undated_report_of_a_quake_joins_its_dated_reports_when_its_wording_is_theirs(analyze):
    texts = {"2018": QUAKE_2018, "undated": QUAKE_UNDATED}
    placed = _cluster(analyze, texts)
    assert placed["undated"] == placed["2018"]


def test_an_undated_report_placed_first_ends_in_the_story_whose_wording_is_its_own(analyze):
    # Placed before any other, the undated report starts a story that the 2018 quake joins; once the 2011
    # reports are placed too, it belongs with them.
    texts = {
        "undated-2011": QUAKE_2011_UNDATED,
        "2018": QUAKE_2018,
        "2011": QUAKE_2011,
        "2011-again": QUAKE_2011_AGAIN,
    }
    placed = _cluster(analyze, texts)
    assert placed["2011"] == placed["2011-again"] != placed["2018"]
    assert placed["undated-2011"] == placed["2011"]


def test_the_lead_of_a_text_opening_with_an_address_is_what_follows_the_address(analyze):
    text = (
        "http: / / www. example. co. uk / news / world / quake - strikes - varo. html Quake strikes Varo. "
        "A strong earthquake struck Varo island on November 27, 2005, the disaster agency said. "
        "Rescue teams reached the northern villages by road. The island's last strong quake, on March 3, 1998, "
        "destroyed the harbour of Arvik."
    )
    features = extract_features(analyze(text, published=None))
    assert features.event_days == [_day("2005-11-27")]


LORCA = (
    "Marek Lorca won the vacant cruiserweight title in Dalberg on Saturday night. Lorca stopped his opponent "
    "in the ninth round before a sold-out arena. Lorca, 29, said the win was for his late father."
)
LORCA_AGAIN = (
    "Marek Lorca is the new cruiserweight champion after a ninth-round stoppage in Dalberg on Saturday. "
    "Lorca was cheered by the home crowd, and his promoter said Lorca would defend the title in the spring."
)
KOVAC = (
    "Pavel Kovac won the vacant cruiserweight title in Ostrava on Saturday night. Kovac stopped his opponent "
    "in the ninth round before a sold-out arena. Kovac, 31, said the win was for his coach."
)


# One champion, two challengers: each report is mostly about the man who beat him.
LORCA_VENN = (
    "Marek Lorca took the cruiserweight title from champion Ivo Venn in Dalberg on Saturday night. Lorca "
    "knocked Venn down twice before stopping Venn in the ninth round. Lorca, 29, said the win was for his "
    "late father, and Lorca's trainer wept at ringside."
)
KOVAC_VENN = (
    "Pavel Kovac took the cruiserweight title from champion Ivo Venn in Ostrava on Saturday night. Kovac "
    "knocked Venn down twice before stopping Venn in the ninth round. Kovac, 31, said the win was for his "
    "coach, and Kovac's brother wept at ringside."
)


def _similarity(analyze, text: str, settings: IndexSettings, story_text: str = LORCA) -> float:
    index = StoryIndex(settings)
    story = index.add(analyze(story_text, published=None)).story
    other = analyze(text, published=None)
    other.article.id = "other"
    return index.similarity(other, story)


def test_another_title_fight_about_another_boxer_agrees_less_than_a_side_player_would(analyze):
    milder = IndexSettings(main_participant_conflict=0.5)
    assert _similarity(analyze, KOVAC, IndexSettings()) == pytest.approx(
        _similarity(analyze, KOVAC, milder) * 0.9
    )
    assert _similarity(analyze, KOVAC, IndexSettings()) > 0
    # A report about the same boxer is untouched by it.
    assert _similarity(analyze, LORCA_AGAIN, IndexSettings()) == _similarity(analyze, LORCA_AGAIN, milder)
    assert _similarity(analyze, LORCA_AGAIN, IndexSettings()) > _similarity(analyze, KOVAC, IndexSettings())


def test_the_person_a_story_is_most_about_is_the_one_its_reports_weigh_most(analyze):
    # Both reports name the champion; each is mostly about another challenger.
    milder = IndexSettings(main_participant_conflict=0.5)
    strict = _similarity(analyze, KOVAC_VENN, IndexSettings(), LORCA_VENN)
    assert strict == pytest.approx(_similarity(analyze, KOVAC_VENN, milder, LORCA_VENN) * 0.9)


# One boxer's title win, told with other side players each time: his trainer here, his promoter there.
LORCA_TRAINER = (
    "Marek Lorca won the vacant cruiserweight title in Dalberg on Saturday night. His trainer Jan Holm said "
    "Lorca had trained for a year for the ninth-round stoppage. Holm wept at ringside as Lorca took the belt."
)
LORCA_PROMOTER = (
    "Marek Lorca is the new cruiserweight champion after a ninth-round stoppage in Dalberg on Saturday. His "
    "promoter Anna Berg said Lorca would defend the belt in the spring, and Berg hopes Lorca fights in Dalberg."
)


def test_a_report_about_the_story_s_main_person_may_bring_other_side_players(analyze):
    def similarity(settings: IndexSettings) -> float:
        index = StoryIndex(settings)
        story = index.add(analyze(LORCA_TRAINER, published=None)).story
        other = analyze(LORCA_PROMOTER, published=None)
        other.article.id = "other"
        return index.similarity(other, story)

    # No discount for the side players each report names and the other does not.
    assert similarity(IndexSettings()) == pytest.approx(similarity(IndexSettings(participant_conflict=1.0)))
    assert similarity(IndexSettings()) >= IndexSettings().join_similarity


# One find, two reports: each quotes its own expert, named only after the lead.
HOARD_DEALER = (
    "A farming couple found a buried pot of silver coins while clearing their orchard near Kellan, the county "
    "museum said. The pot held more than 600 coins struck under King Edric. The couple reported the find to "
    "the museum the same day. Coin dealer Mira Sollen said the hoard was among the largest ever found in the "
    "county. Sollen said collectors would pay well for coins of that reign, and Sollen expects the museum to "
    "bid for them."
)
HOARD_CURATOR = (
    "Hundreds of silver coins in a clay pot were found by a couple clearing their orchard near Kellan, the "
    "county museum said. The coins were struck under King Edric. The museum will clean and study the hoard. "
    "Curator Tomas Reyes said the find could change what historians know of the town. Reyes said Reyes hopes "
    "to show the coins next spring."
)


def test_people_named_only_after_the_lead_are_not_whom_a_report_is_about(analyze):
    dealer, curator = analyze(HOARD_DEALER, published=None), analyze(HOARD_CURATOR, published=None)
    curator.article.id = "curator"
    assert extract_features(dealer).background_people == {"p:sollen"}

    def similarity(settings: IndexSettings) -> float:
        index = StoryIndex(settings)
        return index.similarity(curator, index.add(dealer).story)

    # Each report's own expert is no other side of the event: no discount for the one the other lacks.
    no_conflict = IndexSettings(participant_conflict=1.0, main_participant_conflict=1.0)
    assert similarity(IndexSettings()) == pytest.approx(similarity(no_conflict))
    assert similarity(IndexSettings()) >= IndexSettings().join_similarity


def test_a_name_read_from_the_opening_address_is_no_mention(analyze):
    text = (
        "http: / / www. example. com / sport / 2012 / 07 / 07 / Marek - Lorca - Stops - Ivo - Venn / index. html "
        "Lorca stops Venn in nine rounds Marek Lorca stopped the champion Ivo Venn in the ninth round in Dalberg "
        "on Saturday night."
    )
    entities = extract_features(analyze(text, published=None)).entities
    assert entities["p:lorca"] == 2
    assert not [key for key in entities if "stops" in key]


def test_with_publication_days_apart_the_other_side_players_still_count(analyze):
    def similarity(settings: IndexSettings) -> float:
        index = StoryIndex(settings)
        story = index.add(analyze(LORCA_TRAINER, published="2024-05-12T08:00:00")).story
        other = analyze(LORCA_PROMOTER, published="2024-05-20T08:00:00")
        other.article.id = "other"
        return index.similarity(other, story)

    # A week apart, the same boxer with none of the same side players may well be his next fight.
    assert similarity(IndexSettings()) == pytest.approx(
        similarity(IndexSettings(participant_conflict=1.0)) * 0.5
    )
