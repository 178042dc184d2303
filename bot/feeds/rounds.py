"""A scheduled poll round: the due feeds polled (or queued for workers), then the notices their health calls for."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from datetime import datetime

from bot.clock import Clock
from bot.feeds.alerts import FeedNotices
from bot.store.db import StoreUnavailable

_log = logging.getLogger(__name__)


class PollRound:
    """What the scheduler runs every tick; remembers when a round last finished (for health checks)."""

    def __init__(
        self, poll: Callable[[], Awaitable[object]], notices: FeedNotices | None, clock: Clock
    ) -> None:
        self.poll = poll
        self.notices = notices
        self.clock = clock
        self.last_finished: datetime | None = None

    async def __call__(self) -> None:
        """Poll, then tell channels about feeds that broke or came back (a failing notice never stops polls)."""
        await self.poll()
        if self.notices is not None:
            try:
                await self.notices.run()
            except StoreUnavailable:
                raise
            except Exception:
                _log.exception("feed notices failed; the next round tries again")
        self.last_finished = self.clock.now()
