"""discord.py's rate-limit buckets swept of idle ones at most once a minute, not at every new bucket.

discord.py keeps a bucket per route and channel (`HTTPClient._buckets`) and, once it holds 256, scans all of
them for idle ones (unused for 5 minutes) every time it makes a new one. Posting digests to thousands of
channels in a minute makes a new bucket per channel while none is idle yet, so each post scanned every
bucket: quadratic (some 12 million `is_inactive` calls, ~17 s of CPU on the event loop, for 5,000 channels).
Sweeping at most once per `every` seconds keeps the same bound on memory (an idle bucket lives at most
`every` seconds longer) at a cost linear in the buckets. discord.py offers no setting for this, so the
client's bound method is wrapped; without that private method (another discord.py) nothing is changed.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from discord.http import HTTPClient

_log = logging.getLogger(__name__)

SWEEP_EVERY = 60.0  # seconds between two sweeps of idle buckets


def sweep_buckets_at_most_every(
    http: HTTPClient, every: float = SWEEP_EVERY, clock: Callable[[], float] = time.monotonic
) -> bool:
    """Make `http` sweep its idle rate-limit buckets at most once per `every` seconds; False if it cannot."""
    sweep = getattr(http, "_try_clear_expired_ratelimits", None)
    if sweep is None:
        _log.warning("this discord.py has no bucket sweep to pace; its buckets are left as they are")
        return False
    last: float | None = None

    def paced() -> None:
        nonlocal last
        now = clock()
        if last is not None and now - last < every:
            return
        last = now
        sweep()

    http._try_clear_expired_ratelimits = paced  # type: ignore[method-assign]
    return True
