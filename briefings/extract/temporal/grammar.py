"""The recogniser: regular-expression rules that find temporal expressions and say what they mean.

Spans follow the TimeML/TimeBank conventions: prepositions stay outside ("on Friday" is "Friday"),
modifiers of position and approximation stay inside ("early next year", "around 5:30 pm",
"at least 30 days"), a possessive 's stays outside. Each rule turns its match into a `Meaning`; the
normaliser anchors it later. All patterns are compiled once, at import.
"""

from __future__ import annotations

import bisect
import functools
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from briefings.extract.temporal.lexicon import (
    DECADE_WORDS,
    MONTHS,
    ORDINALS,
    PARTS_OF_DAY,
    SEASONS,
    UNITS,
    WEEKDAYS,
    month_number,
    number_value,
)
from briefings.extract.temporal.meaning import (
    Ago,
    CalendarDate,
    Candidate,
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
    Unit,
    Weekday,
    WeekOf,
)

Builder = Callable[[re.Match[str]], "Meaning | DatedTime | None"]

# ---------------------------------------------------------------- fragments

_FULL_MONTHS = [m for m in MONTHS if (len(m) > 3 and m != "sept") or m == "may"]
_ABBR_MONTHS = [m for m in MONTHS if len(m) <= 4 and m != "may" and m not in ("june", "july")]
MONTH = (
    "(?-i:"
    + "|".join(
        sorted(
            {w.capitalize() for w in _FULL_MONTHS} | {w.upper() for w in _FULL_MONTHS}, key=len, reverse=True
        )
    )
    + "|(?:"
    + "|".join(sorted({w.capitalize() for w in _ABBR_MONTHS}, key=len, reverse=True))
    + r")(?:\.|(?=\s+\d))"
    + ")"
)
_FULL_WEEKDAYS = [w for w in WEEKDAYS if w.endswith("day")]
WEEKDAY = (
    "(?-i:" + "|".join([w.capitalize() for w in _FULL_WEEKDAYS] + [w.upper() for w in _FULL_WEEKDAYS]) + ")"
)
WEEKDAYS_PLURAL = "(?-i:" + "|".join(w.capitalize() + "s" for w in _FULL_WEEKDAYS) + ")"

_ONES = "one|two|three|four|five|six|seven|eight|nine"
_TEENS = "ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen"
_TENS = "twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety"
NUMWORD = rf"(?:(?:{_TENS})(?:[-\s](?:{_ONES}))?|{_TEENS}|{_ONES})"
NUMWORD_BIG = (
    rf"(?:{NUMWORD}(?:\s+hundred(?:\s+(?:and\s+)?{NUMWORD})?|\s+thousand)?|a\s+hundred|a\s+thousand)"
)
DIGITS = r"(?<![\d.,$])\d{1,4}(?:,\d{3})*(?![\d,]\d)"
FRACTION = r"(?:\s+(?:1/2|½)|\s+and\s+(?:a\s+)?half)"
NUMBER = rf"(?:{DIGITS}|{NUMWORD_BIG}|an?|a\s+couple\s+of|a\s+couple|couple\s+of|a\s+dozen|half\s+an?|one\s+and\s+a\s+half)"
VAGUE = r"(?:a\s+few|few|several|some|many|a\s+number\s+of|numerous|a\s+couple\s+more)"
UNIT_SINGULAR = (
    r"(?:second|minute|hour|day|night|week|fortnight|month|quarter|year|decade|century|millennium)"
)
UNIT_PLURAL = r"(?:seconds|minutes|hours|days|nights|weeks|fortnights|months|quarters|years|decades|centuries|millennia)"
UNIT_ANY = rf"(?:{UNIT_PLURAL}|{UNIT_SINGULAR})"
# A four-digit year, not an amount ("$1990", "1,990", "1990%") nor part of a code; "2009-2010" holds two.
YEAR = r"(?<![\d$.,/:])(?:(?<!\d[-–])|(?<=\d{4}[-–]))(?:1[0-9]\d\d|20\d\d)(?![\d%]|\.\d|,\d{3}|[-–]\d(?!\d{3}\b)|/\d|:\d)"
SPELLED_YEAR = (
    rf"(?:(?:nineteen|eighteen)[-\s]+(?:hundred(?:\s+and)?\s+)?(?:{_TENS})(?:[-\s](?:{_ONES}))?|"
    rf"two\s+thousand(?:\s+(?:and\s+)?(?:{_TEENS}|{_ONES}|twenty(?:[-\s](?:{_ONES}))?))?)"
)
DAYNUM = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?(?![\d%]|[-/.:,]\d)"
ORDINAL_WORDS = "|".join(
    sorted((w for w in ORDINALS if not w[0].isdigit() and w not in ("final", "last")), key=len, reverse=True)
)
DAY_ORDINAL_WORD = rf"(?:(?:twenty|thirty)[-\s](?:first|second|third|fourth|fifth|sixth|seventh|eighth|ninth)|{ORDINAL_WORDS}|thirtieth)"
APPROX = (
    r"(?:around|approximately|roughly|nearly|almost|more\s+than|less\s+than|fewer\s+than|at\s+least|at\s+most|"
    r"up\s+to|no\s+more\s+than|no\s+less\s+than|upwards\s+of|an\s+estimated)"
)
# Position inside a period: kept inside the span (TIMEX3 mod START, MID, END).
POSITION = (
    r"(?:the\s+(?:very\s+)?(?:end|beginning|start|middle|close|turn|first\s+half|second\s+half|last\s+half)\s+of(?:\s+the)?|"
    r"earlier|later|early|late|mid|middle|the\s+rest\s+of|the\s+remainder\s+of|the\s+balance\s+of)"
)
ZONE = r"(?-i:GMT|UTC|EST|EDT|CST|CDT|MST|MDT|PST|PDT|BST|CET|CEST|EET|EEST|IST|JST|AEST|AEDT|ET|PT|CT)|local\s+time"
AMPM = r"(?:a\.\s?m\.?|p\.\s?m\.?|am\b|pm\b|AM\b|PM\b|A\.M\.|P\.M\.)"
PART = r"(?:morning|afternoon|evening|night)"
B = r"(?<![\w'’-])"  # start of a word (not inside one, not after an apostrophe)
E = r"(?!\w|-\w)"  # end of a word, not of a hyphenated compound's first part ("year" of "year-ago")

_ERA_PREFIX = r"(?:(?P<mod>early|late|mid|the\s+early|the\s+late|the\s+mid)[\s-]+)?"


@dataclass(frozen=True, slots=True)
class Rule:
    """One pattern of the grammar and how to read what it matched."""

    name: str
    pattern: re.Pattern[str]
    build: Builder
    priority: int = 0
    needs: frozenset[str] = frozenset()  # kinds of trigger word, one of which every match holds


def _g(m: re.Match[str], name: str) -> str | None:
    """A named group's text, or None when the group did not take part in the match."""
    try:
        return m.group(name)
    except IndexError:
        return None


# ---------------------------------------------------------------- reading numbers and units


def _amount(text: str | None) -> float | None:
    """How many units a number phrase counts; None for vague amounts ("several")."""
    if text is None:
        return None
    t = re.sub(r"\s+", " ", text.lower().strip())
    if re.fullmatch(VAGUE, t):
        return None
    half = 0.0
    m = re.search(rf"{FRACTION}$", t)
    if m:
        half = 0.5
        t = t[: m.start()].strip()
    if t.startswith("half a"):
        return 0.5
    if t == "one and a half":
        return 1.5
    if t in ("a couple of", "a couple", "couple of"):
        return 2 + half
    if t in ("a dozen",):
        return 12 + half
    value = number_value(t)
    if value is None:
        return None
    return value + half


def _unit(text: str) -> Unit:
    """The calendar unit of a unit word, singular or plural."""
    t = text.lower()
    if t.startswith("centur"):
        return "century"
    if t.startswith("millenni"):
        return "century"
    if t.startswith("fortnight"):
        return "week"
    if t.startswith("night"):
        return "day"
    return t.rstrip("s") if t.rstrip("s") in UNITS else t  # type: ignore[return-value]


def duration_value(amount: float | None, unit: Unit) -> str:
    """A TIMEX3 duration: P3Y, PT5H30M, P2Y6M, PXD for an unknown amount."""
    clock = unit in ("second", "minute", "hour")
    prefix = "PT" if clock else "P"
    symbol = {
        "second": "S",
        "minute": "M",
        "hour": "H",
        "day": "D",
        "week": "W",
        "weekend": "D",
        "month": "M",
        "quarter": "Q",
        "half": "M",
        "year": "Y",
        "decade": "Y",  # TimeBank writes an unknown number of decades as years (PXY)
        "century": "C",
    }[unit]
    if amount is None:
        return f"{prefix}X{symbol}"
    whole = int(amount)
    if amount == whole:
        if unit == "decade":
            return f"P{whole * 10}Y"
        if unit == "century":
            return f"P{whole * 100}Y"
        if unit == "weekend":
            return f"P{whole * 2}D"
        return f"{prefix}{whole}{symbol}"
    # Half units in the next smaller unit: 2 1/2 years is P2Y6M, 5 1/2 hours PT5H30M.
    smaller = {
        "year": ("M", 6),
        "month": ("D", 15),
        "week": ("D", 3.5),
        "day": ("H", 12),
        "hour": ("M", 30),
        "minute": ("S", 30),
    }
    if unit in smaller:
        sym, half_value = smaller[unit]
        if unit == "day":
            return f"P{whole}DT12H" if whole else "PT12H"
        if unit == "week":
            return f"P{whole * 7 + 3}D" if whole else "P3D"
        head = f"{whole}{symbol}" if whole else ""
        return f"{prefix}{head}{int(half_value)}{sym}"
    return f"{prefix}{whole}{symbol}"


# ---------------------------------------------------------------- builders


def _year_of(text: str) -> int | None:
    """A year written in digits or words ("nineteen ninety-six")."""
    t = text.strip().lower()
    if t.isdigit():
        return int(t)
    t = re.sub(r"\s+", " ", t)
    m = re.fullmatch(r"(nineteen|eighteen)[-\s]+(?:hundred(?: and)? )?(.+)", t)
    if m:
        century = 1900 if m.group(1) == "nineteen" else 1800
        rest = number_value(m.group(2))
        return None if rest is None else century + rest
    m = re.fullmatch(r"two thousand(?: (?:and )?(.+))?", t)
    if m:
        rest = number_value(m.group(1)) if m.group(1) else 0
        return None if rest is None else 2000 + rest
    return None


def _day_of(text: str) -> int | None:
    """The day of a month written as a number or an ordinal word."""
    t = (
        re.sub(r"(st|nd|rd|th)$", "", text.strip().lower())
        if text.strip()[0].isdigit()
        else text.strip().lower()
    )
    if t.isdigit():
        return int(t)
    t = re.sub(r"[-\s]+", "-", t)
    if t in ORDINALS:
        return ORDINALS[t]
    if t == "thirtieth":
        return 30
    if "-" in t:
        tens, ones = t.split("-", 1)
        base = {"twenty": 20, "thirty": 30}.get(tens)
        if base is not None and ones in ORDINALS:
            return base + ORDINALS[ones]
    return None


def _shift(word: str | None) -> int | None:
    """How far a relative word moves from the anchor: last -1, this 0, next +1."""
    if word is None:
        return None
    w = re.sub(r"\s+", " ", word.lower().strip())
    if w in (
        "last",
        "past",
        "this past",
        "previous",
        "the previous",
        "the past",
        "the last",
        "prior",
        "the prior",
        "preceding",
        "the preceding",
    ):
        return -1
    if w in (
        "next",
        "coming",
        "this coming",
        "the coming",
        "the next",
        "upcoming",
        "the following",
        "following",
    ):
        return 1
    if w in ("this", "current", "the current", "present", "the present", "that", "the same", "same"):
        return 0
    return None


def _with_time(date: Meaning | None, m: re.Match[str]) -> Meaning | DatedTime | None:
    """Attach a part of the day or a clock time matched beside a date."""
    part = _g(m, "part")
    if part:
        return DatedTime(date, ClockTime(part=PARTS_OF_DAY[part.lower()]))
    return date


def _clock(m: re.Match[str]) -> ClockTime | None:
    """The clock time of a match with groups h, mi, ampm (or a word: noon, midnight)."""
    word = _g(m, "clockword")
    if word:
        w = word.lower()
        if w in ("noon", "midday"):
            return ClockTime(12, 0)
        if w == "midnight":
            return ClockTime(24, 0)
    h_text = _g(m, "h")
    if h_text is None:
        return None
    hour = int(h_text) if h_text.isdigit() else number_value(h_text)
    if hour is None:
        return None
    minute = int(_g(m, "mi") or 0)
    ampm = (_g(m, "ampm") or "").lower().replace(".", "").replace(" ", "")
    dayword = (_g(m, "daypart") or "").lower()
    if (ampm == "pm" or dayword in ("afternoon", "evening", "night")) and hour < 12:
        hour += 12
    elif (ampm == "am" or dayword == "morning") and hour == 12:
        hour = 0
    if hour > 24 or minute > 59:
        return None
    return ClockTime(hour, minute)


def _attached_date(m: re.Match[str]) -> Meaning | None:
    """A date written next to a clock time: a weekday, today/yesterday/tomorrow, or a month and day."""
    wd = _g(m, "wd")
    if wd:
        return Weekday(WEEKDAYS[wd.lower()])
    rel = _g(m, "relday")
    if rel:
        return RelativeUnit("day", {"today": 0, "tonight": 0, "yesterday": -1, "tomorrow": 1}[rel.lower()])
    mon = _g(m, "mon")
    if mon:
        day = _day_of(_g(m, "day") or "")
        year = _g(m, "yr")
        return CalendarDate(int(year) if year else None, month_number(mon), day)
    return None


def build_clock(m: re.Match[str]) -> Meaning | DatedTime | None:
    """A clock time, with the date written beside it if any."""
    clock = _clock(m)
    if clock is None:
        return None
    return DatedTime(_attached_date(m), clock)


def build_iso(m: re.Match[str]) -> Meaning | DatedTime | None:
    """2020-01-07 or 2020-01-07T17:30."""
    year, month, day = int(m.group("y")), int(m.group("m")), int(m.group("d"))
    if not (1 <= month <= 12 and 1 <= day <= 31):
        return None
    date = CalendarDate(year, month, day)
    if _g(m, "H"):
        return DatedTime(date, ClockTime(int(m.group("H")), int(m.group("M"))))
    return date


def build_numeric(m: re.Match[str]) -> Meaning | DatedTime | None:
    """1/7/2020 (month first, as American news writes it; day first when the first number exceeds 12)."""
    a, b, y = int(m.group("a")), int(m.group("b")), m.group("y")
    year = int(y)
    if len(y) == 2:
        year += 1900 if year > 40 else 2000
    month, day = (a, b) if a <= 12 else (b, a)
    if m.group("sep") == "." and b <= 12:
        month, day = b, a  # 07.01.2020 is written day first
    if not (1 <= month <= 12 and 1 <= day <= 31):
        return None
    return CalendarDate(year, month, day)


def build_month_day(m: re.Match[str]) -> Meaning | DatedTime | None:
    """January 7, 2020; Jan. 14; 7 January; Friday, Oct. 23; Sunday, March eighth."""
    day = _day_of(m.group("day"))
    if day is None or not 1 <= day <= 31:
        return None
    year_text = _g(m, "yr")
    year = None
    if year_text:
        year = _year_of(year_text)
    return _with_time(CalendarDate(year, month_number(m.group("mon")), day), m)


def build_week_of(m: re.Match[str]) -> Meaning | DatedTime | None:
    """The week of March 6: the ISO week holding that day."""
    day = _day_of(m.group("day"))
    if day is None:
        return None
    year_text = _g(m, "yr")
    return WeekOf(CalendarDate(int(year_text) if year_text else None, month_number(m.group("mon")), day))


def build_month_year(m: re.Match[str]) -> Meaning | DatedTime | None:
    """July 1997; January nineteen ninety-seven."""
    year = _year_of(m.group("yr"))
    if year is None:
        return None
    return CalendarDate(year, month_number(m.group("mon")))


def build_month(m: re.Match[str]) -> Meaning | DatedTime | None:
    """A month without a day: "November", "last November", "June last year", "late November"."""
    month = month_number(m.group("mon"))
    yrel = _g(m, "yrel")
    if yrel:
        return CalendarDate(None, month, year_offset=_shift(yrel))
    shift = _shift(_g(m, "shift"))
    if shift is not None:
        return NamedPeriod("season", f"M{month:02d}", shift=shift)
    return CalendarDate(None, month)


def build_year(m: re.Match[str]) -> Meaning | DatedTime | None:
    """A year: 1990, mid-1996, fiscal 1989, the year two thousand."""
    year = _year_of(m.group("yr"))
    if year is None:
        return None
    return CalendarDate(year)


def build_decade(m: re.Match[str]) -> Meaning | DatedTime | None:
    """The 1990s (199), the '80s, the nineties."""
    digits = _g(m, "dec") or _g(m, "dec2")
    word = _g(m, "decword")
    if digits:
        d = digits.lstrip("'")
        if len(d) == 4:
            return Era(d[:3])
        century = _g(m, "cent")
        prefix = "19" if century is None else str(number_value(century) or 19)
        return Era(prefix + d[0])
    if word:
        return Era("19" + str(DECADE_WORDS[word.lower()]))
    return None


def build_century(m: re.Match[str]) -> Meaning | DatedTime | None:
    """The 20th century (19)."""
    ordinal = m.group("ord").lower()
    n = _day_of(ordinal) if not ordinal[0].isdigit() else int(re.sub(r"\D", "", ordinal))
    if n is None:
        return None
    return Era(f"{n - 1:02d}")


def build_relative_century(m: re.Match[str]) -> Meaning | DatedTime | None:
    """This century, last century."""
    shift = _shift(m.group("rel"))
    return Era("", offset_unit="century", offset=shift or 0)


def build_weekday(m: re.Match[str]) -> Meaning | DatedTime | None:
    """Friday, last Friday, Friday morning, Friday last week, early Tuesday."""
    weekday = WEEKDAYS[m.group("wd").lower()]
    week = _g(m, "wk")
    shift_word = _g(m, "shift")
    if week:
        date: Meaning = Weekday(weekday, week_offset=_shift(week))
    else:
        anaphoric = shift_word is not None and shift_word.lower().startswith("the ")
        date = Weekday(weekday, shift=_shift(shift_word), anaphoric=anaphoric)
    return _with_time(date, m)


def build_weekday_plural(m: re.Match[str]) -> Meaning | DatedTime | None:
    """Mondays, Tuesday nights: every such day."""
    weekday = WEEKDAYS[m.group("wd").lower().rstrip("s")]
    part = _g(m, "part")
    suffix = "T" + PARTS_OF_DAY[part.lower().rstrip("s")] if part else ""
    return Recurrence(f"XXXX-WXX-{weekday}{suffix}")


def build_relative_day(m: re.Match[str]) -> Meaning | DatedTime | None:
    """Today, yesterday, tomorrow, tonight, the day before yesterday; with a part of the day."""
    word = (_g(m, "relday") or m.group("relday2")).lower()
    if _g(m, "part2"):
        day = {"today": 0, "yesterday": -1, "tomorrow": 1}[word]
        return DatedTime(RelativeUnit("day", day), ClockTime(part=PARTS_OF_DAY[m.group("part2").lower()]))
    offset = {"today": 0, "tonight": 0, "yesterday": -1, "tomorrow": 1}[word]
    if _g(m, "beyond"):
        offset += -1 if word == "yesterday" else 1
    date = RelativeUnit("day", offset)
    if word == "tonight":
        return DatedTime(date, ClockTime(part="NI"))
    return _with_time(date, m)


def build_part_of_day(m: re.Match[str]) -> Meaning | DatedTime | None:
    """This morning, last night, that evening, overnight, mid-afternoon."""
    part = PARTS_OF_DAY[m.group("part").lower()]
    which = (_g(m, "which") or "").lower()
    if which == "last":
        # "last night" is the evening before the anchor; "last morning" is rare and means the same day
        date: Meaning = RelativeUnit("day", -1 if part in ("NI", "EV") else 0)
    elif which in ("that", "the same", "the"):
        date = RelativeUnit("day", 0, anaphoric=True)
    elif which in ("the next", "the following"):
        date = RelativeUnit("day", 1, anaphoric=True)
    elif which == "the previous":
        date = RelativeUnit("day", -1, anaphoric=True)
    elif m.group("part").lower() == "overnight":
        date = RelativeUnit("day", -1)
    else:
        date = RelativeUnit("day", 0)
    return DatedTime(date, ClockTime(part=part))


def build_relative_unit(m: re.Match[str]) -> Meaning | DatedTime | None:
    """This week, last month, next year, the past year, the current quarter, that year, the weekend."""
    rel = re.sub(r"\s+", " ", m.group("rel").lower())
    unit_text = re.sub(r"\s+", " ", m.group("unit").lower())
    unit: Unit = "year" if "year" in unit_text else _unit(unit_text)
    anaphoric = rel in ("that", "the same", "the following", "the previous", "the preceding", "the prior")
    if _g(m, "ended") is not None and rel == "the":
        # "the year ended March 31": a fiscal period, told by its length
        return Duration(duration_value(1, unit))
    if rel in ("the", "the full", "the whole", "the entire"):
        return RelativeUnit(unit, 0, approximate=True)
    if unit == "decade" and rel in ("the past", "the last", "past", "this past"):
        # "over the past decade": the ten years up to now, not the 1990s
        return Duration("P10Y")
    shift = _shift(rel)
    if shift is None:
        return None
    if unit == "quarter":
        return NamedPeriod("Q", "X", shift=shift, anaphoric=anaphoric)
    return RelativeUnit(unit, shift, anaphoric=anaphoric)


def build_ago(m: re.Match[str]) -> Meaning | DatedTime | None:
    """Two years ago, a week or so ago, a year earlier, two weeks from now."""
    unit = _unit(m.group("unit"))
    amount = _amount(_g(m, "num"))
    if amount is not None and m.group("unit").lower().startswith("fortnight"):
        amount *= 2
    direction = m.group("dir").lower()
    if direction in ("ago", "back"):
        return Ago(unit, amount, -1)
    if direction in ("earlier", "before", "previously"):
        return Ago(unit, amount, -1, anaphoric=True)
    if direction in ("later", "after", "afterwards", "afterward"):
        return Ago(unit, amount, 1, anaphoric=True)
    return Ago(unit, amount, 1)  # from now, hence


def build_anaphoric_day(m: re.Match[str]) -> Meaning | DatedTime | None:
    """The day before, the next day, the following week, the previous year."""
    rel = re.sub(r"\s+", " ", m.group("rel").lower())
    unit = _unit(m.group("unit"))
    offset = -1 if rel in ("before", "the previous", "the preceding", "the prior", "earlier") else 1
    return RelativeUnit(unit, offset, anaphoric=True)


def build_duration(m: re.Match[str]) -> Meaning | DatedTime | None:
    """Three years, the past two months, 16-hour, 2 1/2 years, several days, a fortnight."""
    lasting = _g(m, "unit2")
    if lasting:
        # "day-long" is one day, "decades-long" an unknown number of decades
        return Duration(duration_value(None if lasting.lower().endswith("s") else 1, _unit(lasting)))
    unit = _unit(m.group("unit"))
    num = _g(m, "num")
    amount = _amount(num) if num else None
    if num and amount is None and not re.fullmatch(rf"{VAGUE}|multi", re.sub(r"\s+", " ", num.lower())):
        return None
    if amount is not None and m.group("unit").lower().startswith("fortnight"):
        amount *= 2
    return Duration(duration_value(amount, unit))


def build_vague_duration(m: re.Match[str]) -> Meaning | DatedTime | None:
    """Years, months, decades: an unknown number of units."""
    return Duration(duration_value(None, _unit(m.group("unit"))))


def build_quarter_code(m: re.Match[str]) -> Meaning | DatedTime | None:
    """Q2, Q3 2024, 2024 Q3, H1: quarters and halves as business news writes them."""
    kind, index = m.group("kind"), int(m.group("index"))
    if kind == "H" and index > 2:
        return None
    year_text = _g(m, "yp") or _g(m, "ys")
    year = int(year_text) if year_text else None
    short = _g(m, "ys2")
    if short:
        year = 2000 + int(short)
    return NamedPeriod("Q" if kind == "Q" else "H", str(index), year=year)


def build_quarter(m: re.Match[str]) -> Meaning | DatedTime | None:
    """The third quarter, third-quarter, the fiscal first quarter, the 1988 third quarter, next year's first quarter."""
    unit = m.group("unit").lower()
    ordinal = m.group("ord").lower()
    index = ORDINALS.get(ordinal)
    if index is None:
        return None
    if index > 4:
        return None
    if not unit.startswith("quarter"):
        return NamedPeriod("H", "2" if index >= 2 else "1", year=None, year_offset=None)
    year_text = _g(m, "yp") or _g(m, "ys")
    year = int(year_text) if year_text else None
    year_offset = _shift(_g(m, "yrel") or _g(m, "yrel2"))
    ago = _g(m, "ago")
    if ago:
        year_offset = -1
    return NamedPeriod("Q", str(index), year=year, year_offset=year_offset)


def build_quarter_anaphor(m: re.Match[str]) -> Meaning | DatedTime | None:
    """The quarter, the latest quarter, the year-ago quarter, the year-earlier period, last year's quarter."""
    mods = re.sub(r"\s+", " ", (m.group("mods") or "").lower())
    year_text = _g(m, "yp")
    tail = re.sub(r"\s+", " ", (_g(m, "tail") or "").lower())
    pre = re.sub(r"\s+", " ", (_g(m, "pre") or "").lower())
    unit = m.group("unit").lower()
    ago = any(
        k in mods or k in tail or k in pre
        for k in ("year-ago", "year-earlier", "year ago", "year earlier", "last year")
    )
    end_month = _g(m, "endmon")
    if end_month:
        # "the quarter ended Sept. 30": the three months up to that day, named by the month most of them share
        month = (month_number(end_month) - 2) % 12 or 12
        return NamedPeriod(
            "Q",
            str((month - 1) // 3 + 1),
            year=int(year_text) if year_text else None,
            year_offset=-1 if ago else None,
        )
    if year_text:
        return NamedPeriod("Q", "X", year=int(year_text), anaphoric=True)
    if ago:
        return NamedPeriod("Q", "X", year_offset=-1, anaphoric=True)
    if pre.startswith("this") or "current" in mods:
        return NamedPeriod("Q", "X", shift=0)
    if pre.startswith("next") or "coming" in mods:
        return NamedPeriod("Q", "X", shift=1)
    if unit == "period" and not mods:
        return None
    if "last" in pre or "previous" in mods or "prior" in mods:
        return NamedPeriod("Q", "X", shift=-1)
    return NamedPeriod("Q", "X", anaphoric=True)


def build_year_ago_adjective(m: re.Match[str]) -> Meaning | DatedTime | None:
    """Year-earlier, year-ago (as in "year-earlier results"): the same period a year before."""
    return NamedPeriod("Q", "X", year_offset=-1, anaphoric=True)


def build_fiscal_year(m: re.Match[str]) -> Meaning | DatedTime | None:
    """The fiscal year, the current fiscal year, fiscal 1990, the latest fiscal year."""
    year_text = _g(m, "yr")
    if year_text:
        return CalendarDate(int(year_text))
    rel = (_g(m, "rel") or "").lower()
    shift = _shift(rel)
    if "latest" in rel:
        shift = -1
    return RelativeUnit("year", shift or 0)


def build_season(m: re.Match[str]) -> Meaning | DatedTime | None:
    """Last fall, this summer, the winter of 1994, early summer."""
    season = SEASONS[m.group("season").lower()]
    year_text = _g(m, "yr")
    if year_text:
        return NamedPeriod("season", season, year=_year_of(year_text))
    return NamedPeriod("season", season, shift=_shift(_g(m, "rel")))


def build_half(m: re.Match[str]) -> Meaning | DatedTime | None:
    """The first half of 1990, the second half, the last half of 1989."""
    which = m.group("which").lower()
    index = "1" if which == "first" else "2"
    year_text = _g(m, "yr")
    return NamedPeriod(
        "H", index, year=int(year_text) if year_text else None, year_offset=_shift(_g(m, "yrel"))
    )


def build_year_end(m: re.Match[str]) -> Meaning | DatedTime | None:
    """Year-end, year end, the end of the year: the current year (mod END)."""
    return RelativeUnit("year", 0)


def build_reference(m: re.Match[str]) -> Meaning | DatedTime | None:
    """Now, currently, recently, the past, the future, soon."""
    text = re.sub(r"\s+", " ", m.group(0).lower())
    if re.search(r"recent|past|previous|earlier|former|ago|lately|once", text):
        return GeneralReference("PAST_REF")
    if re.search(r"future|soon|coming|ahead|later|term|shortly|eventually|upcoming", text):
        return GeneralReference("FUTURE_REF")
    return GeneralReference("PRESENT_REF")


def build_set(m: re.Match[str]) -> Meaning | DatedTime | None:
    """Daily, every week, each Thursday, a year (as in "$5 million a year"), twice a month."""
    adverb = _g(m, "adv")
    if adverb:
        return Recurrence(
            {
                "daily": "P1D",
                "nightly": "P1D",
                "weekly": "P1W",
                "biweekly": "P2W",
                "monthly": "P1M",
                "annually": "P1Y",
                "yearly": "P1Y",
                "hourly": "PT1H",
            }[adverb.lower()]
        )
    wd = _g(m, "wd")
    if wd:
        part = _g(m, "part")
        return Recurrence(
            f"XXXX-WXX-{WEEKDAYS[wd.lower()]}" + (f"T{PARTS_OF_DAY[part.lower()]}" if part else "")
        )
    mon = _g(m, "mon")
    if mon:
        return Recurrence(f"XXXX-{month_number(mon):02d}")
    part = _g(m, "part")
    if part:
        return Recurrence(f"XXXX-XX-XXT{PARTS_OF_DAY[part.lower()]}")
    unit = _unit(m.group("unit"))
    amount = _amount(_g(m, "num")) if _g(m, "num") else 1
    if amount is None:
        amount = 1
    if _g(m, "other"):
        amount = 2
    return Recurrence(duration_value(amount, unit))


FIXED_HOLIDAYS: dict[str, tuple[int, int]] = {
    "christmas eve": (12, 24),
    "christmas day": (12, 25),
    "christmas": (12, 25),
    "new year's eve": (12, 31),
    "new year's day": (1, 1),
    "new year's": (1, 1),
    "independence day": (7, 4),
    "halloween": (10, 31),
    "valentine's day": (2, 14),
    "veterans day": (11, 11),
    "boxing day": (12, 26),
}
MOVING_HOLIDAYS: dict[str, str] = {
    "easter week": "easter week",
    "thanksgiving": "thanksgiving",
    "thanksgiving day": "thanksgiving",
    "easter": "easter",
    "easter sunday": "easter",
    "good friday": "good friday",
    "election day": "election day",
    "labor day": "labor day",
    "memorial day": "memorial day",
}


def build_holiday(m: re.Match[str]) -> Meaning | DatedTime | None:
    """Christmas, Thanksgiving, Easter, Election Day: fixed dates, or rules the normaliser applies to a year."""
    name = re.sub(r"\s+", " ", m.group("holiday").lower()).replace("’", "'")
    year_text = _g(m, "yr")
    year = int(year_text) if year_text else None
    shift = _shift(_g(m, "rel")) or None
    if name in FIXED_HOLIDAYS:
        month, day = FIXED_HOLIDAYS[name]
        return CalendarDate(year, month, day, year_offset=shift)
    if name in MOVING_HOLIDAYS:
        return Holiday(MOVING_HOLIDAYS[name], year, year_offset=shift)
    return None


# ---------------------------------------------------------------- the rules

_DATE_AFTER_CLOCK = (
    rf"(?:\s+(?:{ZONE}))?(?:,?\s+(?:(?P<wd>{WEEKDAY})|(?P<relday>today|tonight|yesterday|tomorrow)|"
    rf"(?P<mon>{MONTH})\s+(?P<day>{DAYNUM})(?:,?\s+(?P<yr>{YEAR}))?))?"
)
_CLOCK_CORE = rf"(?P<h>[01]?\d|2[0-3])(?:[:.](?P<mi>[0-5]\d))?\s*(?P<ampm>{AMPM})"

_RULES_SOURCE: list[tuple[str, str, Builder, int]] = [
    # ISO and numeric dates
    (
        "iso",
        rf"{B}(?P<y>(?:1[6-9]|20)\d\d)-(?P<m>[01]\d)-(?P<d>[0-3]\d)(?:[T\s](?P<H>[01]\d|2[0-3]):(?P<M>[0-5]\d)(?::\d\d(?:\.\d+)?)?(?:Z|[+-]\d\d:?\d\d)?)?{E}",
        build_iso,
        5,
    ),
    (
        "numeric",
        rf"{B}(?P<a>[0-3]?\d)(?P<sep>[/.])(?P<b>[0-3]?\d)(?P=sep)(?P<y>(?:1[6-9]|20)\d\d){E}",
        build_numeric,
        4,
    ),
    # clock times: 5:30 pm, 10 p.m. Wednesday, 5 p.m. EST, Nov. 6, noon Saturday, 4 in the morning
    (
        "clock",
        rf"{B}(?:{APPROX}\s+)?{_CLOCK_CORE}{_DATE_AFTER_CLOCK}",
        build_clock,
        6,
    ),
    (
        "clock24",
        rf"{B}(?:{APPROX}\s+)?(?P<h>[01]?\d|2[0-3]):(?P<mi>[0-5]\d)(?:\s*(?:h|hrs|hours)\b)?(?=\s+(?:{ZONE})|\s*(?:h|hrs|hours)\b|\s+(?:on|today|yesterday|tomorrow|local)\b){_DATE_AFTER_CLOCK}",
        build_clock,
        5,
    ),
    (
        "clockword",
        rf"{B}(?:{APPROX}\s+)?(?P<clockword>noon|midday|midnight|mid-day){_DATE_AFTER_CLOCK}{E}",
        build_clock,
        6,
    ),
    (
        "oclock",
        rf"{B}(?:{APPROX}\s+)?(?P<h>[01]?\d|2[0-3]|{NUMWORD})(?:\s+o'clock|\s+in\s+the\s+(?P<daypart>morning|afternoon|evening|night))(?:\s+in\s+the\s+(?P<daypart2>morning|afternoon|evening))?{_DATE_AFTER_CLOCK}{E}",
        build_clock,
        6,
    ),
    # month and day: January 7, 2020; Friday, Oct. 23; 7 January 2020; the 7th of January; March eighth
    (
        "month_day",
        rf"{B}(?:(?:{POSITION})[\s-]+)?(?:(?:(?:this\s+coming|this|next|last)\s+)?(?:{WEEKDAY}),?\s+)?(?P<mon>{MONTH})\s+(?P<day>{DAYNUM}|{DAY_ORDINAL_WORD})(?:,?\s+(?P<yr>{YEAR}|{SPELLED_YEAR}))?(?:\s+(?P<part>{PART}))?{E}",
        build_month_day,
        5,
    ),
    (
        "week_of",
        rf"{B}the\s+week\s+of\s+(?P<mon>{MONTH})\s+(?P<day>{DAYNUM})(?:,?\s+(?P<yr>{YEAR}))?{E}",
        build_week_of,
        6,
    ),
    (
        "day_month",
        rf"{B}(?:(?:{WEEKDAY}),?\s+)?(?:the\s+)?(?P<day>{DAYNUM}|{DAY_ORDINAL_WORD})(?:\s+of)?\s+(?P<mon>{MONTH})(?:,?\s+(?P<yr>{YEAR}))?{E}",
        build_month_day,
        5,
    ),
    (
        "month_year",
        rf"{B}(?:(?:{POSITION})[\s-]+)?(?P<mon>{MONTH}),?\s+(?:of\s+)?(?P<yr>{YEAR}|{SPELLED_YEAR}){E}",
        build_month_year,
        4,
    ),
    (
        "month",
        rf"{B}(?:(?:{POSITION})[\s-]+)?(?:(?P<shift>last|next|this|this\s+past|this\s+coming|past|coming)\s+)?(?:(?:early|late|mid)[\s-]+)?(?P<mon>{MONTH})(?:\s+(?P<yrel>last|this|next)\s+year)?{E}(?!\s+\d)",
        build_month,
        3,
    ),
    # years
    (
        "year",
        rf"(?:{B}|(?<=\d{{4}}[-–]))(?:(?:{POSITION})[\s-]+)?(?:(?:the\s+)?(?:fiscal|calendar|financial|model|school|academic|tax)(?:\s+year)?[\s-]+)?(?P<yr>{YEAR})(?!\w|-[^\W\d])(?:\s+(?:or\s+(?:later|earlier|after|before)|and\s+beyond){E})?",
        build_year,
        2,
    ),
    (
        "year_spelled",
        rf"{B}(?:(?:{POSITION})[\s-]+)?(?:the\s+year\s+)?(?P<yr>{SPELLED_YEAR}){E}",
        build_year,
        2,
    ),
    ("year_word", rf"{B}(?:the\s+)?year\s+(?P<yr>{YEAR}){E}", build_year, 3),
    # decades and centuries
    (
        "decade",
        rf"{B}(?:(?:the\s+)?{_ERA_PREFIX}(?:(?P<cent>nineteen|twenty|eighteen)[-\s]+)?(?:(?P<dec>(?:1[0-9]|20)\d0|'\d0)'?s|(?P<decword>twenties|thirties|forties|fifties|sixties|seventies|eighties|nineties))|the\s+{_ERA_PREFIX.replace('mod', 'mod2')}(?P<dec2>\d0)s){E}",
        build_decade,
        3,
    ),
    (
        "century",
        rf"{B}(?:the\s+)?{_ERA_PREFIX}(?P<ord>\d{{1,2}}(?:st|nd|rd|th)|{DAY_ORDINAL_WORD})[\s-]+century{E}",
        build_century,
        3,
    ),
    (
        "century_rel",
        rf"{B}(?P<rel>this|last|next|the\s+past|the\s+last|the\s+next)\s+century{E}",
        build_relative_century,
        2,
    ),
    # weekdays
    (
        "weekday",
        rf"{B}(?:(?:{POSITION})[\s-]+)?(?:(?P<shift>last|next|this|this\s+coming|this\s+past|coming|past|the\s+previous|the\s+following|previous|following)\s+)?(?P<wd>{WEEKDAY}){E}(?:\s+(?P<part>{PART}){E})?(?:\s+(?P<wk>last|next|this)\s+week{E})?",
        build_weekday,
        4,
    ),
    (
        "weekday_plural",
        rf"{B}(?P<wd>{WEEKDAYS_PLURAL})(?:\s+and\s+{WEEKDAYS_PLURAL})?{E}|{B}(?P<wd2>{WEEKDAY})\s+(?P<part>mornings|afternoons|evenings|nights){E}",
        lambda m: (
            build_weekday_plural(m)
            if _g(m, "wd")
            else Recurrence(
                f"XXXX-WXX-{WEEKDAYS[m.group('wd2').lower()]}T{PARTS_OF_DAY[m.group('part').lower().rstrip('s')]}"
            )
        ),
        3,
    ),
    # today, yesterday, tomorrow, tonight
    (
        "relative_day",
        rf"{B}(?:(?:{POSITION})[\s-]+)?(?:the\s+day\s+(?P<beyond>before|after)\s+)?(?P<relday>today|tonight|yesterday|tomorrow){E}(?:\s+(?P<part>{PART}){E})?|{B}(?:(?:{POSITION})[\s-]+)?(?P<part2>morning|afternoon|evening|night)\s+(?P<relday2>today|yesterday|tomorrow){E}",
        build_relative_day,
        4,
    ),
    (
        "part_of_day",
        rf"{B}(?:(?:{POSITION})[\s-]+)?(?:(?P<which>this|last|that|the\s+same|the\s+next|the\s+following|the\s+previous|the)\s+)?(?P<part>morning|afternoon|evening|night|overnight){E}(?!\s+of\b)",
        build_part_of_day,
        1,
    ),
    # this week, last month, next year, the past year, that year, the weekend, earlier this month
    (
        "relative_unit",
        rf"{B}(?:(?:{POSITION}|sometime)[\s-]+(?:in\s+|of\s+)?)?(?P<rel>this|last|next|the\s+past|the\s+last|the\s+current|this\s+past|this\s+coming|the\s+coming|current|the\s+same|that|the\s+previous|the\s+following|the\s+preceding|the\s+prior|past|coming|the\s+full|the\s+whole|the\s+entire|the)\s+(?P<unit>week|month|year|weekend|decade|(?:fiscal|calendar)\s+year|quarter){E}(?P<ended>(?=\s+end(?:ed|ing)\s))?(?!\s+of\b)",
        build_relative_unit,
        2,
    ),
    # two years ago, a year earlier, a week or so ago
    (
        "ago",
        rf"{B}(?:{APPROX}\s+)?(?:(?P<num>(?:{NUMBER}|{VAGUE})(?:{FRACTION})?)\s+)?(?:(?:more|additional|full|long)\s+)?(?P<unit>{UNIT_ANY})\s+(?:or\s+(?:so|more|two|less)\s+)?(?P<dir>ago|earlier|back|from\s+now|hence){E}",
        build_ago,
        5,
    ),
    (
        "anaphoric_unit",
        rf"{B}(?:the\s+)?(?P<unit>day|week|month|year)\s+(?P<rel>before|after)(?=\s*[,.;:)]|\s+(?:that|then)\b){E}|{B}(?P<rel2>the\s+previous|the\s+preceding|the\s+prior|the\s+next|the\s+following)\s+(?P<unit2>day){E}",
        lambda m: (
            build_anaphoric_day(m)
            if _g(m, "unit")
            else RelativeUnit(
                "day",
                -1 if m.group("rel2").split()[-1] in ("previous", "preceding", "prior") else 1,
                anaphoric=True,
            )
        ),
        3,
    ),
    # durations
    (
        "duration",
        rf"{B}(?:{APPROX}\s+)?(?:the\s+(?:(?:first|last|past|next|coming|previous|following|latest|final|initial|year-earlier|year-ago|same|entire|whole|full|remaining|ensuing|intervening|subsequent)\s+)?)?(?P<num>(?:{NUMBER}|{VAGUE})(?:{FRACTION})?)(?:\s+(?:more|additional|full|straight|consecutive|long|trading|business|working|calendar|successive|extra))?\s+(?P<unit>{UNIT_ANY})(?:\s+or\s+so|\s+or\s+(?:more|longer))?(?:-long)?(?!\w|-\w|\s+old\b)",
        build_duration,
        1,
    ),
    (
        "duration_adjective",
        rf"{B}(?P<num>{DIGITS}|{NUMWORD_BIG}|(?:{DIGITS}|{NUMWORD})(?:{FRACTION})|several|multi|many|few)-(?P<unit>{UNIT_SINGULAR})(?:-long)?(?!\w|-\w|\s+old\b)|{B}(?P<unit2>{UNIT_SINGULAR}|{UNIT_PLURAL})-long{E}",
        build_duration,
        1,
    ),
    (
        "duration_range",
        rf"{B}(?:(?:the\s+)?(?:next|past|last|first)\s+)?(?P<num>{DIGITS}|{NUMWORD})\s+(?:to|or|-|–)\s+(?:{DIGITS}|{NUMWORD})[\s-]+(?P<unit>{UNIT_PLURAL}){E}",
        lambda m: Duration(duration_value(None, _unit(m.group("unit")))),
        1,
    ),
    (
        "duration_vague",
        rf"{B}(?:(?:the\s+)?(?:past|last|next|coming|first|early|final)\s+|the\s+(?=years\b))?(?P<unit>years|months|weeks|days|decades|centuries|hours|minutes){E}(?!\s+(?:ago|old|earlier|later)\b)(?!-old)",
        build_vague_duration,
        0,
    ),
    # recurring times
    (
        "set_adverb",
        rf"{B}(?P<adv>daily|nightly|weekly|biweekly|monthly|annually|yearly|hourly){E}",
        build_set,
        2,
    ),
    (
        "set_every",
        rf"{B}(?:every|each)\s+(?:(?P<other>other|second)\s+)?(?:(?P<wd>{WEEKDAY})|(?P<mon>{MONTH})|(?P<part>morning|afternoon|evening|night)|(?P<num>{NUMBER})?\s*(?P<unit>{UNIT_ANY})){E}",
        build_set,
        3,
    ),
    (
        "set_per",
        rf"(?<=[\d\w%)]\s)(?:a|per|an|each)\s+(?P<unit>second|minute|hour|day|week|month|year|quarter){E}(?!\s+(?:ago|earlier|later|before|after|old)\b)(?!['’-])",
        build_set,
        2,
    ),
    (
        "set_times",
        rf"{B}(?:once|twice|three\s+times|(?:\d+|{NUMWORD})\s+times)\s+(?:a|per|an|each)\s+(?P<unit>day|week|month|year){E}",
        build_set,
        2,
    ),
    # quarters, halves, fiscal years, seasons
    (
        "quarter_code",
        rf"{B}(?:(?P<yp>{YEAR})\s+)?(?-i:(?P<kind>[QH])(?P<index>[1-4]))(?:\s+(?:of\s+)?(?P<ys>{YEAR})|\s*[/-]\s*(?P<ys2>\d\d))?{E}",
        build_quarter_code,
        4,
    ),
    (
        "quarter",
        rf"{B}(?:(?:the|this|that)\s+(?=(?:[\w'’-]+\s+){{0,3}}?(?:(?:first|second|third|fourth|1st|2nd|3rd|4th|final)\s+(?:(?:fiscal|calendar)\s+)?(?:quarter|period)\b|(?:fiscal|calendar)\s+(?:first|second|third|fourth|1st|2nd|3rd|4th|final)\s)))?(?:(?P<yp>{YEAR})(?:['’]s)?\s+|(?P<yrel>this|last|next)\s+year['’]s\s+|(?P<ago>year-earlier|year-ago|comparable|comparable\s+year-(?:earlier|ago))\s+)?(?:(?:fiscal|calendar)[\s-]+)?(?P<ord>first|second|third|fourth|1st|2nd|3rd|4th|final)[\s-]+(?:(?:fiscal|calendar)[\s-]+)?(?P<unit>quarter|period)(?!\w|-\w)(?:\s+of\s+(?:(?:fiscal|calendar)\s+)?(?P<ys>{YEAR})|\s+(?:of\s+)?(?P<yrel2>this|last|next)\s+year)?",
        build_quarter,
        4,
    ),
    (
        "quarter_anaphor",
        rf"{B}(?P<pre>the|this|that|its|last|next|last\s+year['’]s|this\s+year['’]s|the\s+latest\s+year['’]s)\s+(?P<mods>(?:(?:latest|current|same|comparable|corresponding|previous|prior|year-earlier|year-ago|most\s+recent|recent|fiscal|just-ended|just\s+ended|latest\s+fiscal)[\s-]+)*)(?:(?P<yp>{YEAR})\s+)?(?P<unit>quarter|period){E}(?:\s+(?P<tail>a\s+year\s+(?:ago|earlier)|(?:of\s+)?last\s+year|a\s+year\s+before))?(?=\s+end(?:ed|ing)\s+(?P<endmon>{MONTH})\s+(?P<endday>{DAYNUM}))?",
        build_quarter_anaphor,
        3,
    ),
    ("year_ago_adjective", rf"{B}(?:year-earlier|year-ago|year-before){E}", build_year_ago_adjective, 1),
    (
        "half",
        rf"{B}(?:the\s+)?(?P<which>first|second|last|latter|back|front)\s+half(?:\s+of\s+(?:(?P<yr>{YEAR})|(?P<yrel>this|last|next)\s+year|the\s+year))?{E}",
        build_half,
        2,
    ),
    (
        "fiscal_year",
        rf"{B}(?:(?P<rel>the\s+current|the\s+latest|the\s+previous|the\s+prior|the\s+next|the\s+coming|this|last|next|the)\s+)?(?:fiscal|financial)\s+year(?:\s+(?P<yr>{YEAR}))?{E}",
        build_fiscal_year,
        3,
    ),
    (
        "season",
        rf"{B}(?:(?:{POSITION})[\s-]+)?(?:(?P<rel>this|last|next|this\s+past|this\s+coming|the\s+past|the\s+coming|the|past|coming)\s+)?(?:(?:early|late|mid)[\s-]+)?(?P<season>spring|summer|fall|autumn|winter){E}(?:\s+(?:of\s+)?(?P<yr>{YEAR}|{SPELLED_YEAR}))?",
        build_season,
        2,
    ),
    (
        "year_end",
        rf"{B}(?:around\s+)?(?:the\s+)?(?:year[\s-]end|year['’]s\s+end|end\s+of\s+the\s+year){E}",
        build_year_end,
        3,
    ),
    # holidays
    (
        "holiday",
        rf"{B}(?:(?P<rel>last|next|this)\s+)?(?P<holiday>(?-i:Easter\s+week|Christmas(?:\s+(?:Eve|Day))?|New\s+Year['’]s(?:\s+(?:Eve|Day))?|Thanksgiving(?:\s+Day)?|Easter(?:\s+Sunday)?|Good\s+Friday|Election\s+Day|Independence\s+Day|Labor\s+Day|Memorial\s+Day|Veterans\s+Day|Halloween|Valentine['’]s\s+Day|Boxing\s+Day)){E}(?:,?\s+(?P<yr>{YEAR}))?",
        build_holiday,
        4,
    ),
    # the past, the present, the future
    (
        "reference",
        r"(?<![\w'’-])(?:now|nowadays|these\s+days|currently|at\s+present|at\s+the\s+moment|"
        r"the\s+present|present[\s-]day|"
        r"recently|lately|recent\s+(?:days|weeks|months|years|quarters|decades|times|history)|recent|"
        r"the\s+past|the\s+distant\s+past|the\s+recent\s+past|"
        r"the\s+(?:near|distant|foreseeable|immediate)\s+future|the\s+future|future|the\s+(?:near|short|long|medium)\s+term|"
        r"soon|the\s+coming\s+(?:days|weeks|months|years|decades)|coming\s+(?:days|weeks|months|years|decades|quarters)|"
        r"the\s+(?:days|weeks|months|years)\s+ahead|the\s+(?:days|weeks|months|years)\s+to\s+come|(?:some\s+)?years\s+ago|"
        r"(?:many|several|some|a\s+few)\s+(?:years|months|decades)\s+ago|decades\s+ago|months\s+ago|years\s+earlier|"
        r"current)(?![\w’-]|'\w)",
        build_reference,
        1,
    ),
]


def _compile(source: str) -> re.Pattern[str]:
    return re.compile(source, re.IGNORECASE)


# Which kinds of trigger word each rule's matches hold (see `_TRIGGERS`): a rule runs only in windows
# that hold one of them.
_RULE_NEEDS: dict[str, frozenset[str]] = {
    name: frozenset(kinds.split())
    for name, kinds in {
        "iso": "year",
        "numeric": "year",
        "clock": "clock",
        "clock24": "clock",
        "clockword": "clock part",
        "oclock": "clock part",
        "month_day": "month",
        "week_of": "month",
        "day_month": "month",
        "month_year": "month",
        "month": "month",
        "year": "year",
        "year_spelled": "spelled",
        "year_word": "year",
        "decade": "decade year",
        "century": "unit",
        "century_rel": "unit",
        "weekday": "weekday",
        "weekday_plural": "weekday",
        "relative_day": "relday",
        "part_of_day": "part",
        "relative_unit": "unit period",
        "ago": "unit",
        "anaphoric_unit": "unit",
        "duration": "unit",
        "duration_adjective": "unit",
        "duration_range": "unit",
        "duration_vague": "unit",
        "set_adverb": "set",
        "set_every": "unit weekday month part",
        "set_per": "unit",
        "set_times": "unit",
        "quarter": "period unit",
        "quarter_code": "period",
        "quarter_anaphor": "period unit",
        "year_ago_adjective": "unit",
        "half": "period",
        "fiscal_year": "unit",
        "season": "season",
        "year_end": "unit",
        "holiday": "holiday unit weekday",
        "reference": "ref unit",
    }.items()
}
RULES: tuple[Rule, ...] = tuple(
    Rule(name, _compile(src), build, prio, _RULE_NEEDS[name]) for name, src, build, prio in _RULES_SOURCE
)

# Every temporal expression holds a trigger word: a name, a unit, a time word, a year, a clock time. One
# pass over the words of the text finds them; the rules then run only in windows around them, and only
# the rules whose kind of trigger the window holds. That keeps the grammar cheap on long articles.
_TRIGGER_WORDS: dict[str, tuple[str, ...]] = {
    "month": (*MONTHS, "sep"),
    "weekday": (
        *(w for w in WEEKDAYS if w.endswith("day")),
        *(w + "s" for w in WEEKDAYS if w.endswith("day")),
    ),
    "relday": ("today", "tonight", "tomorrow", "yesterday"),
    "part": (
        "morning",
        "afternoon",
        "evening",
        "night",
        "overnight",
        "noon",
        "midday",
        "mornings",
        "nights",
        "evenings",
        "afternoons",
    ),
    "unit": (
        *(
            u + s
            for u in (
                "second",
                "minute",
                "hour",
                "day",
                "night",
                "week",
                "weekend",
                "fortnight",
                "month",
                "quarter",
                "year",
                "decade",
            )
            for s in ("", "s")
        ),
        "century",
        "centuries",
        "millennium",
        "millennia",
    ),
    "period": ("quarter", "half", "period", "fiscal", "q", "h"),
    "ref": (
        "now",
        "nowadays",
        "currently",
        "current",
        "recently",
        "recent",
        "lately",
        "past",
        "present",
        "future",
        "soon",
        "term",
        "moment",
    ),
    "set": ("daily", "weekly", "monthly", "annually", "yearly", "hourly", "nightly", "biweekly"),
    "season": tuple(SEASONS),
    "holiday": ("christmas", "easter", "thanksgiving", "halloween", "valentine"),
    "spelled": ("nineteen", "eighteen", "thousand"),
    "decade": tuple(DECADE_WORDS),
    "clock": ("noon", "midnight", "midday", "clock", "am", "pm"),
}
_WORD_KINDS: dict[str, frozenset[str]] = {}
for _kind, _words in _TRIGGER_WORDS.items():
    for _word in _words:
        _WORD_KINDS[_word] = _WORD_KINDS.get(_word, frozenset()) | {_kind}
_WORD = re.compile(r"[A-Za-z]+|\d+")
_CLOCK_TAIL = re.compile(r"[:.][0-5]\d|\s?[ap]\.?\s?m\b", re.IGNORECASE)


def _trigger_kinds(text: str, m: re.Match[str]) -> frozenset[str] | None:
    """The kinds of trigger a word is, if any: a month, a unit, a year, a clock time..."""
    word = m.group()
    if not word[0].isdigit():
        return _WORD_KINDS.get(word.lower())
    end = m.end()
    if len(word) == 4 and "1000" <= word <= "2099":
        return _YEAR_KINDS
    if len(word) <= 2:
        if word.endswith("0") and (text.startswith("s", end) or text.startswith("'s", end)):
            return _DECADE_KINDS
        if _CLOCK_TAIL.match(text, end):
            return _CLOCK_KINDS
    return None


_YEAR_KINDS = frozenset({"year", "decade"})
_DECADE_KINDS = frozenset({"decade"})
_CLOCK_KINDS = frozenset({"clock"})

# How far an expression reaches before its first trigger word ("no more than the past two" is 21
# characters) and after its last ("Sept. 30, 1990" is 8): margins well beyond both.
_WINDOW_BEFORE = 36
_WINDOW_AFTER = 40


def _windows(text: str) -> Iterator[tuple[int, int, frozenset[str]]]:
    """Stretches of the text around triggers, merged when they touch, with the kinds of trigger they hold."""
    start = end = -1
    kinds: set[str] = set()
    for m in _WORD.finditer(text):
        found = _trigger_kinds(text, m)
        if found is None:
            continue
        s, e = max(0, m.start() - _WINDOW_BEFORE), m.end() + _WINDOW_AFTER
        if start >= 0 and s <= end:
            end = max(end, e)
        else:
            if start >= 0:
                yield start, _to_space(text, end), frozenset(kinds)
            start, end, kinds = s, e, set()
        kinds.update(found)
    if start >= 0:
        yield start, _to_space(text, end), frozenset(kinds)


def _to_space(text: str, position: int) -> int:
    """The first white space at or after a position (the end of the text when there is none)."""
    if position >= len(text):
        return len(text)
    found = re.compile(r"\s").search(text, position)
    return found.start() if found else len(text)


@functools.cache
def _rules_for(kinds: frozenset[str]) -> tuple[Rule, ...]:
    """The rules whose matches can hold one of these kinds of trigger word."""
    return tuple(rule for rule in RULES if not rule.needs.isdisjoint(kinds))


def find_candidates(text: str) -> Iterator[Candidate]:
    """Every match of every rule in the text, overlapping, with what it means."""
    for window_start, window_end, kinds in _windows(text):
        for rule in _rules_for(kinds):
            for m in rule.pattern.finditer(text, window_start, window_end):
                if m.end() == m.start():
                    continue
                meaning = rule.build(m)
                if meaning is None:
                    continue
                start, end = m.start(), m.end()
                # Trailing white space or a comma never belongs to the expression.
                while end > start and text[end - 1] in " \t\n,":
                    end -= 1
                yield Candidate(start, end, meaning, rule.name, rule.priority)


def choose(candidates: list[Candidate]) -> list[Candidate]:
    """The longest non-overlapping candidates, left to right (ties go to the rule of higher priority)."""
    ordered = sorted(candidates, key=lambda c: (-(c.end - c.start), -c.priority, c.start))
    starts: list[int] = []  # the taken spans, sorted by start; they never overlap, so ends sort alike
    ends: list[int] = []
    taken: list[Candidate] = []
    for c in ordered:
        i = bisect.bisect_right(starts, c.start)
        if i > 0 and ends[i - 1] > c.start:
            continue  # the span before it reaches into it
        if i < len(starts) and starts[i] < c.end:
            continue  # it reaches into the span after it
        starts.insert(i, c.start)
        ends.insert(i, c.end)
        taken.append(c)
    return sorted(taken, key=lambda c: c.start)
