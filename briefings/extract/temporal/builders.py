"""From a rule's match to what the expression means: the grammar's semantic actions.

Each `build_*` function reads the named groups of its rule's match and returns a `Meaning` (or None when
the match turns out not to be a time: "31 February"). Nothing here knows the publication date.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from briefings.extract.temporal.fragments import (
    FRACTION,
    VAGUE,
)
from briefings.extract.temporal.lexicon import (
    DECADE_WORDS,
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


def _scale(text: str) -> int:
    """How many of its calendar unit a unit word is: a fortnight is two weeks, a millennium ten centuries."""
    t = text.lower()
    return 2 if t.startswith("fortnight") else 10 if t.startswith("millenni") else 1


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
        return NamedPeriod("Q", "X", shift=shift, anaphoric=anaphoric or rel == "this")
    return RelativeUnit(unit, shift, anaphoric=anaphoric)


def build_ago(m: re.Match[str]) -> Meaning | DatedTime | None:
    """Two years ago, a week or so ago, a year earlier, two weeks from now."""
    unit = _unit(m.group("unit"))
    amount = _amount(_g(m, "num"))
    if amount is not None:
        amount *= _scale(m.group("unit"))
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
    if amount is not None:
        amount *= _scale(m.group("unit"))
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


def build_quarter_plural(m: re.Match[str]) -> Meaning | DatedTime | None:
    """The second and fourth quarters, third quarters: that quarter of every year."""
    index = ORDINALS.get(m.group("ord").lower())
    if index is None or not 1 <= index <= 4:
        return None
    return Recurrence(f"XXXX-Q{index}")


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
    if "current" in mods:
        return NamedPeriod("Q", "X", shift=0)
    if pre.startswith("this"):
        # "this quarter": the one under way, or in a clause told in the past the one the text is about
        return NamedPeriod("Q", "X", shift=0, anaphoric=True)
    if pre.startswith("next") or "coming" in mods:
        return NamedPeriod("Q", "X", shift=1)
    if unit == "period" and not mods:
        return None
    if any(k in mods for k in ("latest", "recent", "just")):
        # "the latest quarter", "the just-ended quarter": the one the report is about, else the last one
        # completed, as results report it
        return NamedPeriod("Q", "X", anaphoric=True)
    if "last" in pre or any(k in mods for k in ("previous", "prior")):
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
    """Now, currently, recently, the past, the future, soon, then-current."""
    text = re.sub(r"\s+", " ", m.group(0).lower())
    if re.search(r"recent|past|previous|earlier|former|ago|lately|once|^then", text):
        # "the then-current price": current at a time told before, past now
        return GeneralReference("PAST_REF")
    if re.search(r"future|soon|coming|ahead|later|term|shortly|eventually|upcoming", text):
        return GeneralReference("FUTURE_REF")
    return GeneralReference("PRESENT_REF")


def build_unknown_length(m: re.Match[str]) -> Meaning | DatedTime | None:
    """For a while, in a little while: a length of time of no known unit."""
    return Duration("PXX")


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
