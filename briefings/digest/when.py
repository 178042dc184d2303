"""TIMEX3 values as a reader writes dates: "2020-01-07T17:30" → "7 Jan 2020 17:30"."""

from __future__ import annotations

import re
from datetime import date, datetime

_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_DATE_TIME = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2}))?")
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_WEEK = re.compile(r"^(\d{4})-W(\d{2})$")
_YEAR = re.compile(r"^(\d{4})$")
_PARTS_OF_DAY = {"MO": "morning", "AF": "afternoon", "EV": "evening", "NI": "night", "DT": "daytime"}
_PART_OF_DAY = re.compile(r"^(\d{4}-\d{2}-\d{2})T(MO|AF|EV|NI|DT)$")
_REFERENCES = {"PAST_REF": "earlier", "PRESENT_REF": "now", "FUTURE_REF": "later"}


def _day(year: str, month: str, day: str) -> str:
    return f"{int(day)} {_MONTHS[int(month) - 1]} {year}"


def describe_when(value: str) -> str:
    """A TIMEX3 date or time as a reader writes it; values it cannot read are shown as they are."""
    value = value.strip()
    if value in _REFERENCES:
        return _REFERENCES[value]
    part = _PART_OF_DAY.match(value)
    if part:
        year, month, day = part.group(1).split("-")
        return f"{_day(year, month, day)} {_PARTS_OF_DAY[part.group(2)]}"
    full = _DATE_TIME.match(value)
    if full and 1 <= int(full.group(2)) <= 12:
        shown = _day(full.group(1), full.group(2), full.group(3))
        return f"{shown} {full.group(4)}:{full.group(5)}" if full.group(4) else shown
    month = _MONTH.match(value)
    if month and 1 <= int(month.group(2)) <= 12:
        return f"{_MONTHS[int(month.group(2)) - 1]} {month.group(1)}"
    week = _WEEK.match(value)
    if week:
        return f"week {int(week.group(2))} of {week.group(1)}"
    if _YEAR.match(value):
        return value
    return value


def describe_date(value: datetime | date | None) -> str:
    """A publication date as "7 Jan 2020" (empty when unknown)."""
    if value is None:
        return ""
    return f"{value.day} {_MONTHS[value.month - 1]} {value.year}"
