"""What a poll takes of a feed's items: fitted to the store, newest first, and no more than the cap.

A feed of 8,000 items must not cost 8,000 extractions in one poll (nor starve the other feeds while they
run): a poll takes at most `max_items_per_poll` new items, newest first, and leaves the rest for the
polls after it. Items already stored are not counted against the cap, so the rest really do come.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Generic, Protocol, TypeVar

from bot.feeds.canonical import canonical_url
from bot.store.models import ArticleRow
from briefings.ingest.raw import RawArticle

_log = logging.getLogger(__name__)

# The columns an article is stored in: a longer title is shortened, a longer link dropped (the article is
# kept, found again by the hash of its words), so that one item cannot make the store refuse it.
MAX_TITLE_CHARS: int = ArticleRow.__table__.c.title.type.length  # type: ignore[attr-defined]
MAX_URL_CHARS: int = ArticleRow.__table__.c.url.type.length  # type: ignore[attr-defined]
# Items looked up in the store at once while looking for new ones (its own lookups go 500 at a time).
LOOKUP_SLICE = 500


class _Keyed(Protocol):
    @property
    def canonical(self) -> str | None: ...

    @property
    def digest(self) -> str: ...


C = TypeVar("C", bound=_Keyed)


@dataclass(frozen=True)
class Intake(Generic[C]):
    """The new items a poll takes now, and whether more new ones may be waiting for the next poll."""

    taken: list[C]
    more_waiting: bool


def shortened(text: str | None, limit: int) -> str | None:
    """The text cut to `limit` characters, an ellipsis saying so, when it is longer."""
    if text is None or len(text) <= limit:
        return text
    return text[: limit - 1].rstrip() + "…"


def fit_for_store(feed_url: str, raw: RawArticle) -> RawArticle:
    """The item with a title and a link the article table can hold (a too long link is dropped, logged)."""
    title, url = shortened(raw.title, MAX_TITLE_CHARS), raw.url
    # Canonical URLs grow only by percent-encoding (three characters for one): most links need no look.
    if url is not None and (
        len(url) > MAX_URL_CHARS or (len(url) * 3 > MAX_URL_CHARS and len(canonical_url(url)) > MAX_URL_CHARS)
    ):
        _log.warning(
            "feed %s: item %s: its link is %d characters, more than the %d stored; kept without it",
            feed_url,
            raw.source,
            len(url),
            MAX_URL_CHARS,
        )
        url = None
    if title is raw.title and url is raw.url:
        return raw
    return replace(raw, title=title, url=url)


def _when(raw: RawArticle, found_at: datetime) -> datetime:
    value = raw.published or found_at
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def newest_first(raws: Sequence[RawArticle], found_at: datetime) -> list[RawArticle]:
    """The items newest first; an undated one counts as found now, and ties keep the feed's order."""
    return sorted(raws, key=lambda raw: _when(raw, found_at), reverse=True)


async def take_new(
    raws: Sequence[RawArticle],
    cap: int,
    new_candidates: Callable[[Sequence[RawArticle]], Awaitable[list[C]]],
) -> Intake[C]:
    """Up to `cap` items not stored yet, in the order given, looked up a slice at a time.

    `more_waiting` is True when new items were left over, or items were not looked at: the poll must then
    not keep the feed's validators (the next conditional GET would answer 304 and they would be lost).
    """
    taken: list[C] = []
    urls: set[str] = set()
    digests: set[str] = set()
    for start in range(0, len(raws), LOOKUP_SLICE):
        if len(taken) >= cap:
            return Intake(taken, more_waiting=True)
        for candidate in await new_candidates(raws[start : start + LOOKUP_SLICE]):
            # The same article in two slices: the first (newest) is the one taken.
            if candidate.digest in digests or (candidate.canonical and candidate.canonical in urls):
                continue
            if len(taken) >= cap:
                return Intake(taken, more_waiting=True)
            taken.append(candidate)
            digests.add(candidate.digest)
            if candidate.canonical:
                urls.add(candidate.canonical)
    return Intake(taken, more_waiting=False)
