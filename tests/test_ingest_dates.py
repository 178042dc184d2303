"""Publication times as sources write them, and `--published` as a user types it."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta, timezone

import pytest

from briefings.ingest.dates import parse_date_option, parse_published


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2020-01-08", datetime(2020, 1, 8)),
        ("19980108", datetime(1998, 1, 8)),
        (
            "2020-01-08T09:00:00+05:30",
            datetime(2020, 1, 8, 9, tzinfo=timezone(timedelta(hours=5, minutes=30))),
        ),
        ("2020-01-08T09:00:00Z", datetime(2020, 1, 8, 9, tzinfo=UTC)),
        ("Wed, 08 Jan 2020 09:00:00 GMT", datetime(2020, 1, 8, 9, tzinfo=UTC)),
        ("January 8, 2020", datetime(2020, 1, 8)),
        (time.struct_time((2020, 1, 8, 9, 0, 0, 2, 8, 0)), datetime(2020, 1, 8, 9, tzinfo=UTC)),
    ],
)
def test_publication_times_in_the_forms_sources_use(value: object, expected: datetime) -> None:
    assert parse_published(value) == expected


@pytest.mark.parametrize("value", [None, "", "soon", "January 8", "5 apples", "2020-13-45"])
def test_what_is_no_publication_time(value: object) -> None:
    assert parse_published(value) is None


@pytest.mark.parametrize("value", ["yesterday-ish", "tomorrow", "25:00", "2020-13-45", "March 3", " "])
def test_published_option_that_is_not_a_date(value: str) -> None:
    with pytest.raises(ValueError, match="not a date"):
        parse_date_option(value)


def test_published_option_accepts_iso_dates_and_times() -> None:
    assert parse_date_option("2020-01-08") == datetime(2020, 1, 8)
    assert parse_date_option(" 2020-01-08T09:00 ") == datetime(2020, 1, 8, 9)
