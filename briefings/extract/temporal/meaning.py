"""What a temporal expression says, before it is anchored: the grammar's output, the normaliser's input."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

# Calendar units that an expression can be relative to or counted in.
Unit = Literal[
    "second",
    "minute",
    "hour",
    "day",
    "week",
    "weekend",
    "month",
    "quarter",
    "half",
    "year",
    "decade",
    "century",
]
Reference = Literal["PAST_REF", "PRESENT_REF", "FUTURE_REF"]


@dataclass(frozen=True, slots=True)
class ClockTime:
    """A time of day: an hour and minute ("5:30 pm"), or a part of the day ("morning" is MO)."""

    hour: int | None = None
    minute: int = 0
    part: str | None = None


@dataclass(frozen=True, slots=True)
class CalendarDate:
    """An explicit date, any of whose parts may be missing ("January 7": no year; "1998": year only)."""

    year: int | None = None
    month: int | None = None
    day: int | None = None
    year_offset: int | None = None  # "June last year": the year is relative to the anchor's


@dataclass(frozen=True, slots=True)
class Weekday:
    """A day of the week: by the clause's tense, or shifted ("last Friday", "Friday next week")."""

    weekday: int
    shift: int | None = None  # -1 the one before the anchor, +1 the one after, 0 this week's
    week_offset: int | None = None  # "Friday last week": the weekday of the week before the anchor's
    anaphoric: bool = False  # "the previous Friday": the one before the last date the text mentioned


@dataclass(frozen=True, slots=True)
class RelativeUnit:
    """A calendar unit counted from the anchor: today (day 0), last month (month -1), next year (year +1)."""

    unit: Unit
    offset: int
    anaphoric: bool = False  # counted from the last date the text mentioned, not from the publication
    approximate: bool = False  # "early this week" in TIMEX3 keeps the week; "two weeks ago" keeps the day


@dataclass(frozen=True, slots=True)
class Ago:
    """An amount of time before (or after) the anchor: "two years ago", "a week or so ago"."""

    unit: Unit
    amount: float | None  # None: vague ("years ago")
    sign: int = -1
    anaphoric: bool = False  # "a year earlier": from the last mentioned date


@dataclass(frozen=True, slots=True)
class NamedPeriod:
    """A quarter, half or season of a year: "the third quarter" (Q3), "last fall" (FA, year -1)."""

    kind: Literal["Q", "H", "season"]
    index: str  # "3" for Q3, "2" for H2, "SU" for summer, "X" unknown ("the quarter")
    year: int | None = None
    year_offset: int | None = None
    shift: int | None = None  # "last quarter": the one before the anchor's; "this summer": 0
    anaphoric: bool = False  # "the quarter", "the year-ago quarter": the quarter the text last named


@dataclass(frozen=True, slots=True)
class WeekOf:
    """The week holding a date: "the week of March 6"."""

    date: CalendarDate


@dataclass(frozen=True, slots=True)
class Holiday:
    """A holiday whose date a rule gives for each year: Thanksgiving, Easter, Election Day."""

    name: str
    year: int | None = None
    year_offset: int | None = None


@dataclass(frozen=True, slots=True)
class Era:
    """A decade or century: "the 1990s" (199), "the 20th century" (19)."""

    value: str
    offset_unit: Literal["decade", "century"] | None = None
    offset: int = 0


@dataclass(frozen=True, slots=True)
class GeneralReference:
    """The past, the present, the future: "recently", "now", "soon"."""

    value: Reference


@dataclass(frozen=True, slots=True)
class Duration:
    """An amount of time: "three years" (P3Y), "several days" (PXD), "5 1/2 hours" (PT5H30M)."""

    value: str


@dataclass(frozen=True, slots=True)
class Recurrence:
    """A set of times: "daily" (P1D), "each Thursday" (XXXX-WXX-4)."""

    value: str


Meaning = (
    CalendarDate
    | Weekday
    | RelativeUnit
    | Ago
    | NamedPeriod
    | Era
    | GeneralReference
    | Duration
    | Recurrence
    | ClockTime
    | Holiday
    | WeekOf
)


@dataclass(frozen=True, slots=True)
class DatedTime:
    """A date meaning with a time of day on it: "Friday morning", "10 p.m. Wednesday", "last night"."""

    date: Meaning | None
    time: ClockTime


@dataclass(frozen=True, slots=True)
class Candidate:
    """A span of the text that the grammar recognised, with what it means."""

    start: int
    end: int
    meaning: Meaning | DatedTime
    rule: str
    priority: int = 0
