"""Digest schedules: a local time, an IANA timezone and days of the week, parsed and validated."""

from __future__ import annotations

import difflib
import functools
import re
from datetime import datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from pydantic import BaseModel, ConfigDict, field_validator

from bot.channels.errors import InvalidSetting

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_FULL_DAY_NAMES = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_DAY_GROUPS = {
    "daily": WEEKDAYS,
    "everyday": WEEKDAYS,
    "weekdays": WEEKDAYS[:5],
    "weekends": WEEKDAYS[5:],
    "weekend": WEEKDAYS[5:],
}
_TIME = re.compile(r"^(\d{1,2})(?::(\d{2}))?\s*(am|pm)?$", re.IGNORECASE)


@functools.cache
def _zone_names() -> frozenset[str]:
    return frozenset(available_timezones())


def parse_time_of_day(text: str) -> str:
    """ "8", "08:00", "8:30pm" → "HH:MM"; a time that does not exist ("25:00") gets a clear message."""
    match = _TIME.match(text.strip())
    if not match:
        raise InvalidSetting(f"{text!r} is not a time of day: write it as HH:MM, for example 08:00 or 17:30")
    hour, minute = int(match.group(1)), int(match.group(2) or 0)
    meridiem = (match.group(3) or "").lower()
    if meridiem:
        if not 1 <= hour <= 12:
            raise InvalidSetting(f"{text!r} is not a time of day: with am/pm the hour goes from 1 to 12")
        hour = hour % 12 + (12 if meridiem == "pm" else 0)
    if hour > 23:
        raise InvalidSetting(f"{text!r} is not a time of day: hours go from 00 to 23 (midnight is 00:00)")
    if minute > 59:
        raise InvalidSetting(f"{text!r} is not a time of day: minutes go from 00 to 59")
    return f"{hour:02d}:{minute:02d}"


def check_timezone(name: str) -> str:
    """An IANA timezone name as given, or a clear message naming the closest real ones."""
    cleaned = name.strip()
    if cleaned in _zone_names():
        return cleaned
    by_lower = {zone.lower(): zone for zone in _zone_names()}
    if cleaned.lower() in by_lower:
        return by_lower[cleaned.lower()]
    close = difflib.get_close_matches(cleaned, sorted(_zone_names()), n=3, cutoff=0.6)
    hint = f" Did you mean {' or '.join(close)}?" if close else ""
    raise InvalidSetting(
        f"{cleaned!r} is not a timezone briefbot knows: use an IANA name such as Europe/Berlin, "
        f"America/New_York or UTC.{hint}"
    )


def parse_days(text: str) -> tuple[str, ...]:
    """ "weekdays", "mon,wed,fri", "mon-fri", "daily" → the weekdays in order."""
    chosen: set[str] = set()
    for part in re.split(r"[,\s]+", text.strip().lower()):
        if not part:
            continue
        if part in _DAY_GROUPS:
            chosen.update(_DAY_GROUPS[part])
            continue
        if "-" in part:
            first, _, last = part.partition("-")
            start, end = _day(first, text), _day(last, text)
            i, j = WEEKDAYS.index(start), WEEKDAYS.index(end)
            span = WEEKDAYS[i : j + 1] if i <= j else WEEKDAYS[i:] + WEEKDAYS[: j + 1]
            chosen.update(span)
            continue
        chosen.add(_day(part, text))
    if not chosen:
        raise InvalidSetting("no day given: write daily, weekdays, weekends, or days such as mon,wed,fri")
    return tuple(day for day in WEEKDAYS if day in chosen)


def _day(word: str, whole: str) -> str:
    for full in _FULL_DAY_NAMES:
        if len(word) >= 3 and full.startswith(word):
            return full[:3]
    raise InvalidSetting(
        f"{word!r} in {whole!r} is not a day: use mon, tue, wed, thu, fri, sat, sun, weekdays, weekends or daily"
    )


class Schedule(BaseModel):
    """When a channel's digest is posted: a local time on some weekdays in an IANA timezone."""

    model_config = ConfigDict(frozen=True)

    time: str = "08:00"
    timezone: str = "UTC"
    days: tuple[str, ...] = WEEKDAYS

    @field_validator("time")
    @classmethod
    def _valid_time(cls, value: str) -> str:
        return parse_time_of_day(value)

    @field_validator("timezone")
    @classmethod
    def _valid_timezone(cls, value: str) -> str:
        return check_timezone(value)

    @field_validator("days", mode="before")
    @classmethod
    def _valid_days(cls, value: object) -> tuple[str, ...]:
        if isinstance(value, str):
            return parse_days(value)
        if isinstance(value, list | tuple):
            return parse_days(",".join(str(v) for v in value))
        raise InvalidSetting("days must be weekday names such as mon,wed,fri")

    @property
    def hour(self) -> int:
        """The hour of the local time."""
        return int(self.time[:2])

    @property
    def minute(self) -> int:
        """The minute of the local time."""
        return int(self.time[3:])

    def zone(self) -> ZoneInfo:
        """The timezone as a ZoneInfo."""
        try:
            return ZoneInfo(self.timezone)
        except ZoneInfoNotFoundError as exc:  # the tz database of this machine changed under us
            raise InvalidSetting(f"the timezone {self.timezone!r} is not installed on this machine") from exc

    def days_text(self) -> str:
        """The days in words: daily, weekdays, weekends, or a list."""
        for word in ("daily", "weekdays", "weekends"):
            if self.days == _DAY_GROUPS[word]:
                return word
        return ",".join(self.days)

    def describe(self) -> str:
        """ "08:00 Europe/Berlin weekdays"."""
        return f"{self.time} {self.timezone} {self.days_text()}"

    def local(self, moment: datetime) -> datetime:
        """A moment on this schedule's local clock."""
        return moment.astimezone(self.zone())


def parse_schedule(text: str) -> Schedule:
    """ "08:00 Europe/Berlin weekdays" (timezone and days optional) → a validated Schedule."""
    words = text.split()
    if not words:
        raise InvalidSetting("write a schedule as HH:MM [timezone] [days], e.g. 08:00 Europe/Berlin weekdays")
    time_words = [words.pop(0)]
    if words and words[0].lower() in ("am", "pm"):
        time_words.append(words.pop(0))
    fields: dict[str, object] = {"time": parse_time_of_day("".join(time_words))}
    if (words and ("/" in words[0] or words[0].upper() in ("UTC", "GMT") or words[0] in _zone_names())) or (
        words and not _looks_like_days(words[0])
    ):
        fields["timezone"] = check_timezone(words.pop(0))
    if words:
        fields["days"] = parse_days(" ".join(words))
    return Schedule.model_validate(fields)


def _looks_like_days(word: str) -> bool:
    try:
        parse_days(word)
    except InvalidSetting:
        return False
    return True
