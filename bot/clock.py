"""The time, injected: the service asks a Clock, so tests can set "now" without sleeping."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Protocol


class Clock(Protocol):
    """Tells the current time as an aware UTC datetime."""

    def now(self) -> datetime:
        """The current time (aware, UTC)."""
        ...


class SystemClock:
    """The machine's clock."""

    def now(self) -> datetime:
        """The current time (aware, UTC)."""
        return datetime.now(UTC)


class FixedClock:
    """A clock that says what it is told (for tests and replays)."""

    def __init__(self, now: datetime) -> None:
        if now.tzinfo is None:
            raise ValueError("FixedClock needs an aware datetime")
        self.current = now

    def now(self) -> datetime:
        """The time it was set to."""
        return self.current

    def set(self, now: datetime) -> None:
        """Move the clock to a moment."""
        self.current = now
