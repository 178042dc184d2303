"""The error every reader raises for a source it cannot use."""

from __future__ import annotations


class SourceError(Exception):
    """A source that cannot be read or holds no article; the message names the source and the reason."""

    def __init__(self, source: str, reason: str) -> None:
        super().__init__(f"{source}: {reason}")
        self.source = source
        self.reason = reason
