"""A story reported day after day for two months (a trial, a war) stays one story in the index."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from stories_builders import actor, analysis, place

from briefings.models import ArticleAnalysis
from briefings.stories.index import IndexSettings, StoryIndex

FIRST_DAY = datetime(2025, 2, 3, 9, 0)
# What each day of the trial brings: another witness, other evidence, other words; the same court and people.
WITNESSES = [
    "Aldo Fenwick",
    "Brisa Quell",
    "Corin Maddox",
    "Delia Stroud",
    "Emory Vant",
    "Farah Lune",
    "Gus Pell",
]
LEADS = [
    "{w} told the Castrelle court that Orla Venner signed the dredging contracts herself",
    "Under questioning from prosecutor Ilse Marrow, {w} described cash handed over in a car park",
    "Jurors in Castrelle were shown a ledger that {w} said listed payments to a shell company",
    "Defence lawyers for Orla Venner accused {w} of inventing meetings that never took place",
    "{w}, a former port accountant, wept on the stand as she read out emails from Venner",
    "The judge in the Venner fraud case, Pavel Okoro, warned {w} about contempt after an outburst",
    "A tearful {w} admitted forging two invoices but insisted Venner had ordered it",
]
DETAILS = [
    "Crane maintenance money was moved abroad within days, the witness claimed.",
    "Bank clerks had flagged the transfers twice before anyone acted.",
    "Venner shook her head and took notes throughout the morning session.",
    "The prosecution expects to call customs officers later in the month.",
    "Harbour workers filled the public gallery, some wearing union jackets.",
    "A forensic auditor's report runs to nine hundred pages, the court heard.",
    "Lawyers argued for an hour over whether a recorded phone call is admissible.",
    "The missing funds were meant for a new breakwater and fishing quays.",
    "Reporters were asked to leave while a sealed statement was read.",
    "Okoro said the jury would visit the container terminal on Friday.",
    "Marrow told jurors to follow the dates on each payment slip carefully.",
]


def _day_report(day: int, copy: int = 0) -> ArticleAnalysis:
    """The trial's report of one day (another outlet's report of that day when `copy` is not 0)."""
    witness = WITNESSES[(day + copy) % len(WITNESSES)]
    lead = LEADS[(day + 3 * copy) % len(LEADS)].format(w=witness)
    details = " ".join(DETAILS[(day * 3 + copy + k) % len(DETAILS)] for k in range(3))
    text = f"{lead}. {details} Venner, the former harbour chief, denies fraud."
    return analysis(
        f"trial-{day}-{copy}",
        text=text,
        published=(FIRST_DAY + timedelta(days=day, hours=copy)).isoformat(),
        title=f"Venner trial day {day + 1}: {witness} testifies",
        actors=[
            actor("Orla Venner", mentions=2),
            actor(witness),
            actor("Ilse Marrow"),
            actor("Pavel Okoro"),
        ],
        places=[place("Castrelle")],
    )


def _reports(days: int) -> list[ArticleAnalysis]:
    """A report a day; the opening days (the charges read, the first witnesses) draw several reports each."""
    reports = []
    for day in range(days):
        copies = 4 if day in (1, 2) else 1
        reports.extend(_day_report(day, copy) for copy in range(copies))
    return reports


@pytest.mark.parametrize("forget_closed", [False, True])
def test_a_trial_reported_daily_for_sixty_days_stays_one_story(forget_closed):
    index = StoryIndex(IndexSettings(forget_closed=forget_closed))
    reports = _reports(60)
    stories = {index.add(report).story for report in reports}
    assert len({index.merged_into(story) for story in stories}) == 1
    assert len(index.open_stories()) == 1
    assert len(index.open_stories()[0].articles) == len(reports)


def test_a_long_story_keeps_its_latest_days_when_it_has_more_days_than_it_keeps():
    index = StoryIndex()
    for report in _reports(60):
        index.add(report)
    (story,) = index.open_stories()
    last = max(story.days)
    assert story.last_day == last  # its latest news day is still known after its days were pruned
    assert len(story.days) <= 40
