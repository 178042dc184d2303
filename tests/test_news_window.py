"""Whether a TIMEX3 value may be the time of a report's main event, or is background."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from briefings.extract.events.dating import in_news_window, stretch

PUBLISHED = datetime(2024, 3, 14, 10, 0)


@pytest.mark.parametrize(
    ("value", "days"),
    [
        ("2024-03-12", (date(2024, 3, 12), date(2024, 3, 12))),
        ("2024-03-12TNI", (date(2024, 3, 12), date(2024, 3, 12))),
        ("2024-W10", (date(2024, 3, 4), date(2024, 3, 10))),
        ("2024-02", (date(2024, 2, 1), date(2024, 2, 29))),
        ("2023-12", (date(2023, 12, 1), date(2023, 12, 31))),
        ("2024-SU", (date(2024, 6, 1), date(2024, 8, 31))),
        ("2023-WI", (date(2023, 12, 1), date(2024, 2, 29))),
        ("2009", (date(2009, 1, 1), date(2009, 12, 31))),
        ("PRESENT_REF", None),
        ("XXXX-WXX-1", None),
    ],
)
def test_a_value_names_a_stretch_of_days(value, days):
    assert stretch(value) == days


@pytest.mark.parametrize(
    ("value", "news"),
    [
        ("2024-03-12", True),  # two days before: the news
        ("2024-03-19", True),  # next week: due soon
        ("2024", True),  # this year
        ("2024-W10", True),  # last week
        ("2023-12-01", False),  # months before: background
        ("2009", False),
        ("PRESENT_REF", False),
        (None, False),
    ],
)
def test_only_a_time_near_publication_is_news(value, news):
    assert in_news_window(value, PUBLISHED) is news


def test_a_report_without_a_date_has_no_background_to_tell():
    assert in_news_window("2009", None)
