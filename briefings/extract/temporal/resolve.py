"""The normaliser: a recognised meaning, anchored on the publication time, becomes a TIMEX3 type and value.

Relative expressions count from the publication date ("yesterday", "last week"); anaphoric ones from the
last date the text mentioned ("the following day", "a year earlier", "the year-ago quarter"). Without a
publication date the anchor is the last full date the text gave; with neither, values keep X for what
cannot be known (XXXX-WXX-5 for "Friday").
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from briefings.extract.temporal.meaning import (
    Ago,
    CalendarDate,
    ClockTime,
    DatedTime,
    Duration,
    Era,
    GeneralReference,
    Holiday,
    Meaning,
    NamedPeriod,
    Recurrence,
    RelativeUnit,
    Weekday,
    WeekOf,
)
from briefings.extract.temporal.tense import Tense
from briefings.models import TimeType

_SEASON_ORDER = ("SP", "SU", "FA", "WI")
# How far (days back, days ahead) the tense may move an undated day or month away from the nearest one.
# A month alone reaches most of a year either way: "a mission in December" planned in March is nine
# months ahead.
_DAY_WINDOW = (270, 190)
# The months of a year so far that results reports add up after a quarter's: the first half, nine months.
_YEAR_TO_DATE = frozenset({"P6M", "P9M"})
_MONTH_WINDOW = (330, 330)


@dataclass(frozen=True, slots=True)
class Resolved:
    """A TIMEX3 type and value, and the date it points at when it points at one day."""

    type: TimeType
    value: str
    day: date | None = None


def _season_of(d: date) -> tuple[int, str]:
    """The (year, season) a date falls in; January and February belong to the winter of the year before."""
    if d.month in (3, 4, 5):
        return d.year, "SP"
    if d.month in (6, 7, 8):
        return d.year, "SU"
    if d.month in (9, 10, 11):
        return d.year, "FA"
    return (d.year if d.month == 12 else d.year - 1), "WI"


def _add_months(d: date, months: int) -> tuple[int, int]:
    index = d.year * 12 + d.month - 1 + months
    return index // 12, index % 12 + 1


def _week(d: date) -> str:
    iso = d.isocalendar()
    return f"{iso.year}-W{iso.week:02d}"


def _nth_weekday(year: int, month: int, weekday: int, n: int) -> date:
    """The n-th given weekday (ISO, Monday 1) of a month; n = -1 for the last one."""
    if n > 0:
        first = date(year, month, 1)
        return first + timedelta(days=(weekday - first.isoweekday()) % 7 + 7 * (n - 1))
    last = (date(year + (month == 12), month % 12 + 1, 1)) - timedelta(days=1)
    return last - timedelta(days=(last.isoweekday() - weekday) % 7)


def _easter(year: int) -> date:
    """Western Easter Sunday (the anonymous Gregorian computus)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = b // 4, b % 4
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = c // 4, c % 4
    m = (32 + 2 * e + 2 * i - h - k) % 7
    n = (a + 11 * h + 22 * m) // 451
    month = (h + m - 7 * n + 114) // 31
    day = (h + m - 7 * n + 114) % 31 + 1
    return date(year, month, day)


MOVING_HOLIDAY_DATES: dict[str, Callable[[int], date]] = {
    "thanksgiving": lambda y: _nth_weekday(y, 11, 4, 4),
    "easter": _easter,
    "good friday": lambda y: _easter(y) - timedelta(days=2),
    "election day": lambda y: _nth_weekday(y, 11, 1, 1) + timedelta(days=1),
    "labor day": lambda y: _nth_weekday(y, 9, 1, 1),
    "memorial day": lambda y: _nth_weekday(y, 5, 1, -1),
    "easter week": _easter,
}
# Holidays that name the week around their day rather than the day.
WEEK_HOLIDAYS = frozenset({"easter week"})


def _safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


class Resolver:
    """Anchors meanings in document order, remembering the dates the text has mentioned so far."""

    def __init__(self, published: datetime | None) -> None:
        self.published = published
        self.dct: date | None = published.date() if published is not None else None
        self.last_day: date | None = None
        self.last_year: int | None = None
        # The quarter a results report is about: the first it names that is not dated in the past
        # ("third-quarter net income").
        # Its comparisons ("a year ago", "the year-earlier period") are of that quarter, not of a quarter
        # named in passing ("after a flat second quarter", "a fourth-quarter charge", "since the 1984
        # first quarter").
        self.report_quarter: tuple[int, int] | None = None
        # Whether the report has gone on from its quarter to the months of the year so far ("In the first
        # nine months, net rose ... from a year earlier"): its comparisons are then of the year, until a
        # quarter is named again.
        self.year_to_date = False
        self.last_month: tuple[int, int] | None = None
        # The date each weekday named alone ("Thursday") first took.
        self.weekdays_told: dict[int, date] = {}

    # ------------------------------------------------------------ anchors

    @property
    def anchor(self) -> date | None:
        """What relative expressions count from: the publication date, else the last full date mentioned."""
        return self.dct if self.dct is not None else self.last_day

    def _reference(self) -> date | None:
        """What anaphoric expressions count from: the last date mentioned, else the anchor."""
        return self.last_day or self.anchor

    def _note(self, resolved: Resolved, year: int | None = None, month: int | None = None) -> None:
        if resolved.day is not None:
            self.last_day = resolved.day
            self.last_year = resolved.day.year
            self.last_month = (resolved.day.year, resolved.day.month)
        elif year is not None:
            self.last_year = year
            if month is not None:
                self.last_month = (year, month)

    def another_report(self) -> None:
        """A story goes on to another company's results ("Separately, Orsa Mining posted ..."): the quarter
        the first report told of is not the one the next compares."""
        self.report_quarter = None
        self.year_to_date = False

    # ------------------------------------------------------------ entry point

    def resolve(self, meaning: Meaning | DatedTime, tense: Tense | None) -> Resolved | None:
        """The TIMEX3 type and value of a meaning, given the tense of its clause."""
        if isinstance(meaning, DatedTime):
            return self._dated_time(meaning, tense)
        if isinstance(meaning, ClockTime):
            return self._dated_time(DatedTime(None, meaning), tense)
        if isinstance(meaning, Duration):
            if self.report_quarter is not None and meaning.value in _YEAR_TO_DATE:
                self.year_to_date = True
            return Resolved("DURATION", meaning.value)
        if isinstance(meaning, Recurrence):
            return Resolved("SET", meaning.value)
        if isinstance(meaning, GeneralReference):
            return Resolved("DATE", meaning.value)
        if isinstance(meaning, Era):
            return self._era(meaning)
        resolved = self._date(meaning, tense)
        return resolved

    def _date(self, meaning: Meaning, tense: Tense | None) -> Resolved | None:
        if isinstance(meaning, CalendarDate):
            return self._calendar(meaning, tense)
        if isinstance(meaning, Weekday):
            return self._weekday(meaning, tense)
        if isinstance(meaning, RelativeUnit):
            return self._relative(meaning, tense)
        if isinstance(meaning, Ago):
            return self._ago(meaning)
        if isinstance(meaning, NamedPeriod):
            return self._period(meaning, tense)
        if isinstance(meaning, Holiday):
            return self._holiday(meaning, tense)
        if isinstance(meaning, WeekOf):
            resolved = self._calendar(meaning.date, tense)
            if resolved is None or resolved.day is None:
                return resolved
            return Resolved("DATE", _week(resolved.day))
        return None

    # ------------------------------------------------------------ calendar dates

    def _infer_year(self, month: int, day: int | None, tense: Tense | None) -> int | None:
        """The year of a month (and day) written without one: the nearest, unless the tense points nearby.

        News names dates close to the day it is written. A past clause may reach back most of a year for
        a month ("in March") but only half a year for a day ("on March 12"): a day further back would
        usually carry its year. The parse's tense is a hint, not a rule: "payable Dec. 7" in a past-tense
        sentence is still next month.
        """
        anchor = self.anchor
        if anchor is None:
            return None
        options = []
        for year in (anchor.year - 1, anchor.year, anchor.year + 1):
            when = _safe_date(year, month, day) if day else date(year, month, 1)
            if when is not None:
                options.append((year, when))
        if not options:
            return anchor.year
        here = anchor if day else date(anchor.year, anchor.month, 1)
        back, ahead = _DAY_WINDOW if day else _MONTH_WINDOW
        if tense == "past":
            past = [y for y, w in options if w <= here and (here - w).days <= back]
            if past:
                return max(past)
        elif tense == "future":
            future = [y for y, w in options if w >= here and (w - here).days <= ahead]
            if future:
                return min(future)
        return min(options, key=lambda o: (abs((o[1] - here).days), o[0] != anchor.year))[0]

    def _calendar(self, meaning: CalendarDate, tense: Tense | None) -> Resolved | None:
        year = meaning.year
        anchor = self.anchor
        if year is None and meaning.year_offset is not None:
            year = anchor.year + meaning.year_offset if anchor is not None else None
        if year is None and meaning.month is not None:
            year = self._infer_year(meaning.month, meaning.day, tense)
        if meaning.month is None:
            if year is None:
                return None
            resolved = Resolved("DATE", f"{year:04d}")
            self._note(resolved, year)
            return resolved
        year_text = f"{year:04d}" if year is not None else "XXXX"
        if meaning.day is None:
            resolved = Resolved("DATE", f"{year_text}-{meaning.month:02d}")
            self._note(resolved, year, meaning.month)
            return resolved
        day = _safe_date(year, meaning.month, meaning.day) if year is not None else None
        if year is not None and day is None:
            return None
        resolved = Resolved("DATE", f"{year_text}-{meaning.month:02d}-{meaning.day:02d}", day)
        self._note(resolved, year)
        return resolved

    def _holiday(self, meaning: Holiday, tense: Tense | None) -> Resolved | None:
        rule = MOVING_HOLIDAY_DATES[meaning.name]
        anchor = self.anchor
        year = meaning.year
        if year is None and anchor is not None:
            if meaning.year_offset is not None:
                year = anchor.year + meaning.year_offset
            else:
                options = [(y, rule(y)) for y in (anchor.year - 1, anchor.year, anchor.year + 1)]
                nearest = min(options, key=lambda o: abs((o[1] - anchor).days))
                year = nearest[0]
                if tense == "past" and nearest[1] > anchor and (anchor - rule(year - 1)).days <= 190:
                    year -= 1
                elif tense == "future" and nearest[1] < anchor and (rule(year + 1) - anchor).days <= 190:
                    year += 1
        if year is None:
            return None
        day = rule(year)
        if meaning.name in WEEK_HOLIDAYS:
            return Resolved("DATE", _week(day))
        resolved = Resolved("DATE", day.isoformat(), day)
        self._note(resolved)
        return resolved

    # ------------------------------------------------------------ weekdays

    def _weekday(self, meaning: Weekday, tense: Tense | None) -> Resolved | None:
        anchor = self._reference() if meaning.anaphoric else self.anchor
        if anchor is None:
            return Resolved("DATE", f"XXXX-WXX-{meaning.weekday}")
        today = anchor.isoweekday()
        if meaning.week_offset is not None:
            monday = anchor - timedelta(days=today - 1) + timedelta(weeks=meaning.week_offset)
            day = monday + timedelta(days=meaning.weekday - 1)
        elif meaning.shift == -1:
            day = anchor - timedelta(days=(today - meaning.weekday) % 7 or 7)
        elif meaning.shift == 1:
            day = anchor + timedelta(days=(meaning.weekday - today) % 7 or 7)
        elif meaning.shift == 0:
            day = anchor + timedelta(days=meaning.weekday - today)
        elif meaning.weekday == today:
            day = anchor
        elif meaning.weekday in self.weekdays_told and tense in (None, "present") and not meaning.anaphoric:
            # A weekday the text has already dated keeps that date where the clause's tense does not
            # decide: "statements made Friday and Thursday ... Wechsler on Thursday: ..."
            day = self.weekdays_told[meaning.weekday]
        elif self.dct is None:
            # Anchored on a date the story told, not on the day it was written: the tense says nothing
            # about which side of that date, so take the nearest such weekday.
            ahead = (meaning.weekday - today) % 7
            day = anchor + timedelta(days=ahead if ahead <= 3 else ahead - 7)
        elif tense in ("future", "present"):
            day = anchor + timedelta(days=(meaning.weekday - today) % 7)
        else:
            day = anchor - timedelta(days=(today - meaning.weekday) % 7)
        resolved = Resolved("DATE", day.isoformat(), day)
        self._note(resolved)
        if meaning.shift is None and meaning.week_offset is None and not meaning.anaphoric:
            self.weekdays_told.setdefault(meaning.weekday, day)
        return resolved

    # ------------------------------------------------------------ units counted from the anchor

    def _relative(self, meaning: RelativeUnit, tense: Tense | None) -> Resolved | None:
        base = self._reference() if meaning.anaphoric else self.anchor
        unit, offset = meaning.unit, meaning.offset
        if meaning.anaphoric and unit == "year" and self.last_year is not None:
            year = self.last_year + offset
            return Resolved("DATE", f"{year:04d}")
        if meaning.anaphoric and unit == "month" and self.last_month is not None:
            year, month = _add_months(date(*self.last_month, 1), offset)
            return Resolved("DATE", f"{year:04d}-{month:02d}")
        if base is None:
            unknown = {
                "day": "XXXX-XX-XX",
                "week": "XXXX-WXX",
                "weekend": "XXXX-WXX-WE",
                "month": "XXXX-XX",
                "year": "XXXX",
            }
            return Resolved("DATE", unknown.get(unit, "XXXX"))
        if unit == "day":
            day = base + timedelta(days=offset)
            resolved = Resolved("DATE", day.isoformat(), day)
            if not meaning.anaphoric:
                self._note(resolved)
            return resolved
        if unit == "week":
            return Resolved("DATE", _week(base + timedelta(weeks=offset)))
        if unit == "weekend":
            return Resolved("DATE", self._weekend(base, offset, meaning.approximate, tense))
        if unit == "month":
            year, month = _add_months(base, offset)
            return Resolved("DATE", f"{year:04d}-{month:02d}")
        if unit == "year":
            return Resolved("DATE", f"{base.year + offset:04d}")
        if unit == "decade":
            return Resolved("DATE", f"{base.year // 10 + offset:03d}")
        if unit == "century":
            return Resolved("DATE", f"{base.year // 100 + offset:02d}")
        return None

    @staticmethod
    def _weekend(base: date, offset: int, by_tense: bool, tense: Tense | None) -> str:
        """The ISO week of a weekend: "the weekend" is the one just past in a past clause, else the next."""
        weekday = base.isoweekday()
        if by_tense:
            if tense == "past":
                offset = 0 if weekday >= 6 else -1
            else:
                offset = 0 if weekday <= 5 or weekday >= 6 else 1
        return _week(base + timedelta(weeks=offset)) + "-WE"

    def _ago(self, meaning: Ago) -> Resolved | None:
        if meaning.amount is None:
            return Resolved("DATE", "PAST_REF" if meaning.sign < 0 else "FUTURE_REF")
        base = self._reference() if meaning.anaphoric else self.anchor
        amount = meaning.amount * meaning.sign
        unit = meaning.unit
        if base is None:
            return Resolved("DATE", "PAST_REF" if meaning.sign < 0 else "FUTURE_REF")
        if unit in ("second", "minute", "hour"):
            if (
                self.published is not None
                and not meaning.anaphoric
                and (self.published.hour or self.published.minute)
            ):
                seconds = {"second": 1, "minute": 60, "hour": 3600}[unit] * amount
                moment = self.published + timedelta(seconds=seconds)
                return Resolved("TIME", moment.strftime("%Y-%m-%dT%H:%M"), moment.date())
            return Resolved("DATE", base.isoformat(), base)
        if unit in ("day", "week"):
            day = base + timedelta(days=round(amount * (7 if unit == "week" else 1)))
            resolved = Resolved("DATE", day.isoformat(), day)
            self._note(resolved)
            return resolved
        if unit == "month":
            year, month = _add_months(base, round(amount))
            return Resolved("DATE", f"{year:04d}-{month:02d}")
        if unit == "quarter":
            index = base.year * 4 + (base.month - 1) // 3 + round(amount)
            return Resolved("DATE", f"{index // 4:04d}-Q{index % 4 + 1}")
        if unit == "year":
            if self.report_quarter is not None and float(amount).is_integer() and not self.year_to_date:
                # Earnings news compares a quarter with the same quarter of an earlier year.
                year, quarter = self.report_quarter
                return Resolved("DATE", f"{year + int(amount):04d}-Q{quarter}")
            return Resolved("DATE", f"{base.year + round(amount):04d}")
        if unit == "decade":
            return Resolved("DATE", f"{base.year + round(amount * 10):04d}")
        if unit == "century":
            return Resolved("DATE", f"{base.year + round(amount * 100):04d}")
        return None

    # ------------------------------------------------------------ quarters, halves, seasons, months

    def _period(self, meaning: NamedPeriod, tense: Tense | None) -> Resolved | None:
        anchor = self.anchor
        if meaning.kind == "season" and meaning.index.startswith("M"):
            return self._shifted_month(int(meaning.index[1:]), meaning.shift or 0)
        if meaning.kind == "season":
            return self._season(meaning, tense)
        if meaning.kind == "Q" and meaning.index == "X":
            return self._quarter_anaphor(meaning, tense)
        index = int(meaning.index)
        year = meaning.year
        if year is None:
            if anchor is None:
                return Resolved("DATE", f"XXXX-{meaning.kind}{index}")
            year = anchor.year + (meaning.year_offset or 0)
            if meaning.year_offset is None and tense == "past":
                current = (anchor.month - 1) // 3 + 1 if meaning.kind == "Q" else (anchor.month - 1) // 6 + 1
                if index > current:
                    year -= 1
        if meaning.kind == "Q":
            self.year_to_date = False
            # A quarter told of in the past ("profit rose in the third quarter") or already over ("expects
            # to report a third-quarter loss"), not one looked ahead to ("expects a strong first quarter"),
            # and not one dated further back.
            dated = meaning.year is not None or meaning.year_offset is not None
            over = anchor is not None and year * 4 + index - 1 < anchor.year * 4 + (anchor.month - 1) // 3
            told = (tense in ("past", None) or over) and (not dated or self._recent_quarter(year, index))
            if self.report_quarter is None and told:
                self.report_quarter = (year, index)
        self.last_year = year
        return Resolved("DATE", f"{year:04d}-{meaning.kind}{index}")

    def _recent_quarter(self, year: int, quarter: int) -> bool:
        """Whether a quarter given with its year is one results are reported for near the publication date:
        the current one or one of the two before it. A quarter named without a year ("the fiscal first
        quarter") is the report's own, however a company's fiscal year labels it."""
        anchor = self.anchor
        if anchor is None:
            return True
        now = anchor.year * 4 + (anchor.month - 1) // 3
        return now - 2 <= year * 4 + quarter - 1 <= now

    def _quarter_anaphor(self, meaning: NamedPeriod, tense: Tense | None = None) -> Resolved | None:
        anchor = self.anchor
        if meaning.shift == 0 and meaning.anaphoric and tense == "past" and self.report_quarter is not None:
            # "This quarter's loss included charges": the quarter a results report tells of, already over
            # ("the current quarter" stays the one under way)
            year, quarter = self.report_quarter
            return Resolved("DATE", f"{year:04d}-Q{quarter}")
        if meaning.shift is not None and anchor is not None:
            index = anchor.year * 4 + (anchor.month - 1) // 3 + meaning.shift
            return Resolved("DATE", f"{index // 4:04d}-Q{index % 4 + 1}")
        if self.report_quarter is not None:
            year, quarter = self.report_quarter
            if self.year_to_date and meaning.anaphoric and (meaning.year is not None or meaning.year_offset):
                # "the 1988 period", "year-earlier results" after the year's first nine months: that year
                return Resolved("DATE", f"{meaning.year or year + (meaning.year_offset or 0):04d}")
            if meaning.anaphoric and meaning.year is None and not meaning.year_offset:
                self.year_to_date = False  # "the latest quarter": back to the quarter
        elif anchor is not None:
            # Without a quarter named before, "the quarter" is the last one completed: what results report.
            index = anchor.year * 4 + (anchor.month - 1) // 3 - 1
            year, quarter = index // 4, index % 4 + 1
        else:
            return Resolved("DATE", "XXXX-QX")
        if meaning.year is not None:
            year = meaning.year
        elif meaning.year_offset is not None:
            year += meaning.year_offset
        return Resolved("DATE", f"{year:04d}-Q{quarter}")

    def _shifted_month(self, month: int, shift: int) -> Resolved | None:
        anchor = self.anchor
        if anchor is None:
            return Resolved("DATE", f"XXXX-{month:02d}")
        year = anchor.year
        if shift < 0 and month >= anchor.month:
            year -= 1
        elif shift > 0 and month <= anchor.month:
            year += 1
        self.last_year = year
        return Resolved("DATE", f"{year:04d}-{month:02d}")

    def _season(self, meaning: NamedPeriod, tense: Tense | None) -> Resolved | None:
        if meaning.year is not None:
            return Resolved("DATE", f"{meaning.year:04d}-{meaning.index}")
        anchor = self.anchor
        if anchor is None:
            return Resolved("DATE", f"XXXX-{meaning.index}")
        current_year, current = _season_of(anchor)
        wanted = _SEASON_ORDER.index(meaning.index)
        now = _SEASON_ORDER.index(current)
        year = current_year
        backwards = meaning.shift == -1 or (meaning.shift is None and tense == "past")
        forwards = meaning.shift == 1 or (meaning.shift is None and tense == "future")
        # "last fall" is never the current season; a past-tense "the fall" may be
        if backwards and (wanted >= now if meaning.shift == -1 else wanted > now):
            year -= 1
        elif forwards and (wanted <= now if meaning.shift == 1 else wanted < now):
            year += 1
        return Resolved("DATE", f"{year:04d}-{meaning.index}")

    def _era(self, meaning: Era) -> Resolved | None:
        if meaning.offset_unit == "century":
            anchor = self.anchor
            if anchor is None:
                return Resolved("DATE", "XX")
            return Resolved("DATE", f"{anchor.year // 100 + meaning.offset:02d}")
        return Resolved("DATE", meaning.value)

    # ------------------------------------------------------------ times of day

    def _dated_time(
        self, meaning: DatedTime, tense: Tense | None, day: date | None = None
    ) -> Resolved | None:
        clock = meaning.time
        suffix = f"T{clock.part}" if clock.part else f"T{clock.hour:02d}:{clock.minute:02d}"
        if meaning.date is not None:
            resolved = self._date(meaning.date, tense)
            if resolved is None:
                return None
            return Resolved("TIME", resolved.value + suffix, resolved.day)
        if day is not None:
            date_value = day.isoformat()
        elif self.last_day is not None and self.dct is None:
            date_value = self.last_day.isoformat()
        elif self.dct is not None:
            date_value = self.dct.isoformat()
        else:
            date_value = "XXXX-XX-XX"
        return Resolved("TIME", date_value + suffix)

    def resolve_time_on(
        self, meaning: DatedTime | ClockTime, day: date | None, tense: Tense | None
    ) -> Resolved | None:
        """A clock time whose date is given by a date written near it (the same sentence)."""
        if isinstance(meaning, ClockTime):
            meaning = DatedTime(None, meaning)
        return self._dated_time(meaning, tense, day)
