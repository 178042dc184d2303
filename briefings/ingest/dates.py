"""Publication times as sources write them, and as a user gives them on the command line."""

from __future__ import annotations

import email.utils
import time
from datetime import UTC, datetime

from dateutil import parser as date_parser

# A default far from any real date: a value that dateutil completed from it lacked that part.
_NO_DATE = datetime(1, 1, 1)


def parse_published(value: object) -> datetime | None:
    """Parse a publication time (ISO 8601, RFC 822, "19980108", a struct_time); None when absent or unreadable."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value
    if isinstance(value, time.struct_time):
        return datetime(*value[:6], tzinfo=UTC)
    text = str(value).strip()
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        pass
    try:
        return email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        pass
    try:
        parsed = date_parser.parse(text, default=_NO_DATE)
    except (ValueError, OverflowError):
        return None
    # dateutil fills what is missing from the default; a text without a year is no publication date.
    return None if parsed.year == _NO_DATE.year else parsed


def parse_date_option(value: str) -> datetime:
    """Parse a date the user typed (ISO 8601 or another unambiguous full date); ValueError says why not."""
    text = value.strip()
    if not text or not any(ch.isdigit() for ch in text):
        raise ValueError(f"{value!r} is not a date")
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        pass
    parsed = parse_published(text)
    if parsed is None:
        raise ValueError(f"{value!r} is not a date")
    return parsed
