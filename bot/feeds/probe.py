"""Checking a feed URL before a channel follows it: fetched through the engine and read as RSS/Atom."""

from __future__ import annotations

from bot.channels.admin import FeedInfo
from bot.channels.errors import FeedRefused
from bot.feeds.fetching import FeedFetcher, parse_feed
from briefings.ingest.errors import SourceError


class EngineFeedProbe:
    """Fetches the URL (SSRF-safe) and parses it; a page that is not a feed is refused with the reason."""

    def __init__(self, fetcher: FeedFetcher) -> None:
        self.fetcher = fetcher

    async def probe(self, url: str) -> FeedInfo:
        """The feed's title and item count, or FeedRefused saying why it cannot be followed."""
        try:
            fetched = await self.fetcher.fetch(url, None, None)
            items = await parse_feed(url, fetched.content)
        except SourceError as exc:
            if exc.reason == "a feed with no items":  # valid, just quiet for now: follow it
                return FeedInfo(url=url, title=None, items=0)
            raise FeedRefused(f"{url} cannot be followed: {exc.reason}. Nothing was changed.") from exc
        title = next((item.outlet for item in items if item.outlet), None)
        return FeedInfo(url=fetched.url, title=title, items=len(items))
