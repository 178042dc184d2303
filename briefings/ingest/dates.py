"""Publication times as sources write them."""

from __future__ import annotations

from datetime import datetime

from dateutil import parser as date_parser


def parse_published(value: object) -> datetime | None:
    """Parse a publication time (ISO 8601, RFC 822, "19980108"); None when absent or unreadable."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value
    text = str(value).strip()
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        pass
    try:
        return date_parser.parse(text)
    except (ValueError, OverflowError):
        return None
