"""A scraping remnant among a story's reports (a page's boilerplate and one line) stays out of the story."""

from __future__ import annotations

from briefings.models import ArticleAnalysis
from briefings.stories.clustering import cluster_articles
from briefings.stories.merge import build_stories
from briefings.stories.remnants import NO_NEWS, set_aside

REPORTS = {
    "first": (
        "Footbridge collapses over the Tarnel in Oskby. A footbridge over the Tarnel river collapsed in Oskby "
        "on Thursday morning, injuring four walkers, the town's fire service said. Mayor Ilse Varnholm said "
        "the bridge had been inspected in the spring. Divers searched the river for anyone swept away."
    ),
    "second": (
        "Four hurt as Oskby bridge falls into river. Four people were hurt when the footbridge over the "
        "Tarnel gave way in Oskby on Thursday, firefighters said. Mayor Ilse Varnholm closed the riverside "
        "path and ordered checks of the town's other bridges. Divers found no one else in the water."
    ),
    "third": (
        "Oskby mayor orders bridge checks after collapse. After Thursday's collapse of the Tarnel footbridge "
        "in Oskby, which injured four walkers, Mayor Ilse Varnholm said engineers would inspect every bridge "
        "in the town. The fire service said divers had ended their search of the river."
    ),
}
# What a scraper kept of a fourth page: the site's furniture around the bridge story's headline.
REMNANT = (
    "Sign in to your account. Subscribe to our newsletter for the latest news and offers. Follow us on "
    "social media. We use cookies to improve your experience; read our cookie policy. Footbridge collapses "
    "in Oskby. Advertise with us. Contact the newsroom. All rights reserved."
)


def _batch(analyze, pages: dict[str, str]) -> list[ArticleAnalysis]:
    analyses: list[ArticleAnalysis] = []
    for key, text in pages.items():
        analysis = analyze(text, published="2025-04-10T12:00:00")
        analysis.article.id = key
        analyses.append(analysis)
    return analyses


def test_a_scraping_remnant_stays_out_of_every_story_and_is_listed_with_its_reason(analyze):
    analyses = _batch(analyze, {**REPORTS, "remnant": REMNANT})
    placed = {analyses[i].article.id: g.id for g in cluster_articles(analyses) for i in g.members}
    assert placed["first"] == placed["second"] == placed["third"]
    assert "remnant" not in placed
    assert [(s.article, s.reason) for s in set_aside(analyses)] == [("remnant", NO_NEWS)]
    (story,) = build_stories(analyses)
    assert sorted(story.articles) == ["first", "second", "third"]


# What an archive writes on the pages it keeps: what its scans are, what they are for, what is not there.
ARCHIVE_NOTE = (
    "These scans are part of a project to keep pages as they are published. The aim is to mend every "
    "broken link on the web. The library hopes that old links will point to the saved copies. The scanned "
    "files are not available to the public yet."
)


def test_an_archive_note_saying_what_its_scans_are_stays_out_of_every_story(analyze):
    analyses = _batch(analyze, {**REPORTS, "note": ARCHIVE_NOTE})
    placed = {analyses[i].article.id: g.id for g in cluster_articles(analyses) for i in g.members}
    assert placed["first"] == placed["second"] == placed["third"]
    assert [s.article for s in set_aside(analyses)] == ["note"]


# What a video page keeps once its player is gone, and an archive's note on what a collection holds and
# how it stands.
VIDEO_REMNANT = "The replay is available once the stream has ended."
COLLECTION_NOTE = (
    "The collection contains scans of the town's papers made by the library. They include pages from "
    "partner sites. These scans are available to the general public."
)


def test_pages_saying_what_a_collection_holds_or_how_it_stands_stay_out_of_every_story(analyze):
    analyses = _batch(analyze, {**REPORTS, "video": VIDEO_REMNANT, "collection": COLLECTION_NOTE})
    placed = {analyses[i].article.id: g.id for g in cluster_articles(analyses) for i in g.members}
    assert placed["first"] == placed["second"] == placed["third"]
    assert [s.article for s in set_aside(analyses)] == ["video", "collection"]


# A page of furniture around one sentence of news: the sentence is news, so the page is in a story.
ONE_LINE = (
    "Sign in to your account. Subscribe to our newsletter. A footbridge over the Tarnel collapsed in "
    "Oskby on Thursday, injuring four walkers. Follow us on social media. All rights reserved."
)


def test_a_page_of_boilerplate_with_one_sentence_of_news_is_news(analyze):
    analyses = _batch(analyze, {"page": ONE_LINE})
    assert set_aside(analyses) == []
    (story,) = build_stories(analyses)
    assert story.articles == ["page"] and story.digest


def test_a_batch_of_remnants_only_gives_no_story(analyze):
    analyses = _batch(analyze, {"remnant": REMNANT})
    assert build_stories(analyses) == []
    assert [s.article for s in set_aside(analyses)] == ["remnant"]


def test_separate_analysis_keeps_one_story_per_article_even_for_a_remnant(analyze):
    analyses = _batch(analyze, {"remnant": REMNANT})
    (story,) = build_stories(analyses, separate=True)
    assert story.articles == ["remnant"]
