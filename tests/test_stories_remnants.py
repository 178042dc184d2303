"""A scraping remnant among a story's reports (a page's boilerplate and one line) stays out of the story."""

from __future__ import annotations

from briefings.models import ArticleAnalysis
from briefings.stories.clustering import cluster_articles

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


def test_a_scraping_remnant_stays_out_of_the_story_its_line_names(analyze):
    analyses: list[ArticleAnalysis] = []
    for key, text in [*REPORTS.items(), ("remnant", REMNANT)]:
        analysis = analyze(text, published="2025-04-10T12:00:00")
        analysis.article.id = key
        analyses.append(analysis)
    placed = {analyses[i].article.id: g.id for g in cluster_articles(analyses) for i in g.members}
    assert placed["first"] == placed["second"] == placed["third"]
    assert placed["remnant"] != placed["first"]
