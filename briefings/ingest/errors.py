"""The errors readers raise for a source they cannot use."""

from __future__ import annotations


class SourceError(Exception):
    """A source that cannot be read or holds no article; the message names the source and the reason."""

    def __init__(self, source: str, reason: str) -> None:
        super().__init__(f"{source}: {reason}")
        self.source = source
        self.reason = reason


class FetchError(SourceError):
    """A URL that could not be fetched, with what a poller needs to back off politely."""

    def __init__(
        self,
        source: str,
        reason: str,
        *,
        status: int | None = None,
        retry_after_s: float | None = None,
        transient: bool = False,
    ) -> None:
        super().__init__(source, reason)
        self.status = status
        self.retry_after_s = retry_after_s
        # True when trying again later may work (a timeout, a 503), False when it will not (a 404, a refusal).
        self.transient = transient


class RefusedAddressError(FetchError):
    """A URL whose host is (or redirects to) an address briefbot may not fetch from."""
