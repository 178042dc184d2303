"""One event's later reports: published weeks on, they tell of its day, its place and its people."""

from __future__ import annotations

from briefings.models import ArticleAnalysis
from briefings.stories.clustering import cluster_articles

FIRST_REPORT = (
    "Teenager shot at home in Harlow Creek. A 16-year-old boy was shot at a home on Fennick Road in Harlow "
    "Creek on Tuesday, August 5, 2025, state police said. Dara Mellick was taken to Saint Ives Hospital in "
    "critical condition. Troopers said the shooting appeared to be accidental and that a handgun was found "
    "in the house. No one else was hurt."
)
# Published two weeks on: another angle (a vigil), the same day, place and person.
VIGIL = (
    "Hundreds gather to remember Dara Mellick. Friends and teachers held a candlelight vigil in Harlow Creek "
    "for Dara Mellick, the 16-year-old who was shot at a home on Fennick Road on August 5, 2025, and died "
    "in Saint Ives Hospital days later. State police said the investigation into the accidental shooting "
    "goes on. His coach said the boy loved the river and his dogs."
)
# Another shooting of the same kind, published the same day as the vigil: other people, place and day.
OTHER_SHOOTING = (
    "Girl wounded in accidental shooting in Pell Valley. A 12-year-old girl was shot in the leg at a "
    "farmhouse on Orrin Lane in Pell Valley on Monday, August 18, 2025, the county sheriff said. Mina "
    "Vostrey was flown to Marren Medical Center and is expected to recover. Deputies said the shooting "
    "appeared to be accidental; a rifle was found in the kitchen."
)


def _stories(analyze, reports: dict[str, tuple[str, str]]) -> dict[str, str]:
    analyses: list[ArticleAnalysis] = []
    for key, (text, published) in reports.items():
        analysis = analyze(text, published=published)
        analysis.article.id = key
        analyses.append(analysis)
    placed: dict[str, str] = {}
    for group in cluster_articles(analyses):
        for i in group.members:
            placed[analyses[i].article.id] = group.id
    return placed


def test_a_report_published_weeks_later_about_the_same_day_place_and_people_joins_the_story(analyze):
    placed = _stories(
        analyze,
        {
            "first": (FIRST_REPORT, "2025-08-06T09:00:00"),
            "vigil": (VIGIL, "2025-08-19T18:00:00"),
            "other": (OTHER_SHOOTING, "2025-08-19T12:00:00"),
        },
    )
    assert placed["vigil"] == placed["first"]
    assert placed["other"] != placed["first"]


def test_a_later_shooting_of_the_same_kind_stays_another_story(analyze):
    placed = _stories(
        analyze,
        {
            "first": (FIRST_REPORT, "2025-08-06T09:00:00"),
            "other": (OTHER_SHOOTING, "2025-08-19T12:00:00"),
        },
    )
    assert placed["other"] != placed["first"]
