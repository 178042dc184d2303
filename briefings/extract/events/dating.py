"""Whether a TIMEX3 value falls in the time a report is news about, or is background.

A report tells what happened in the weeks before it was published, or what is due soon; "a plan first
proposed in 2009" or "between 2012 and 2019" is the background of its main event. A value is read as the
stretch of days it names (a year, a month, a week, a season, a day) and kept when that stretch overlaps the
window around the publication date.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta

# How far before and after publication the main event of a report lies.
_BEFORE_DAYS = 31
_AFTER_DAYS = 31
_YEAR = re.compile(r"^(\d{4})$")
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_DAY = re.compile(r"^(\d{4})-(\d{2})-(\d{2})")
_WEEK = re.compile(r"^(\d{4})-W(\d{2})")
# Seasons and quarters: "2016-SU", "2016-Q3" (each read as the three months it names, roughly).
_SEASON_MONTHS = {"SP": 3, "SU": 6, "FA": 9, "AU": 9, "WI": 12, "Q1": 1, "Q2": 4, "Q3": 7, "Q4": 10}
_PART = re.compile(r"^(\d{4})-(SP|SU|FA|AU|WI|Q[1-4])$")


def _month_end(year: int, month: int) -> date:
    first_next = date(year + month // 12, month % 12 + 1, 1)
    return first_next - timedelta(days=1)


def stretch(value: str) -> tuple[date, date] | None:
    """The first and last day a TIMEX3 value names, or None for one that names no stretch of the calendar."""
    try:
        if m := _DAY.match(value):
            day = date(int(m[1]), int(m[2]), int(m[3]))
            return day, day
        if m := _WEEK.match(value):
            monday = date.fromisocalendar(int(m[1]), int(m[2]), 1)
            return monday, monday + timedelta(days=6)
        if m := _MONTH.match(value):
            year, month = int(m[1]), int(m[2])
            return date(year, month, 1), _month_end(year, month)
        if m := _PART.match(value):
            year, month = int(m[1]), _SEASON_MONTHS[m[2]]
            end_month = month + 2
            return date(year, month, 1), _month_end(year + (end_month - 1) // 12, (end_month - 1) % 12 + 1)
        if m := _YEAR.match(value):
            return date(int(m[1]), 1, 1), date(int(m[1]), 12, 31)
    except ValueError:
        return None
    return None


def in_news_window(value: str | None, published: datetime | None) -> bool:
    """Whether a value may be the time of a report's main event (always, when the report has no date)."""
    if published is None:
        return True
    if not value:
        return False
    days = stretch(value)
    if days is None:
        return False
    day = published.date()
    return days[0] <= day + timedelta(days=_AFTER_DAYS) and days[1] >= day - timedelta(days=_BEFORE_DAYS)
