"""Checking a feed URL before a channel follows it: read through the engine, and it must be RSS or Atom."""

from __future__ import annotations

from bot.channels.admin import FeedInfo
from bot.channels.errors import FeedRefused
from bot.feeds.fetching import FeedReader
from bot.feeds.intake import shortened
from bot.store.models import Feed
from briefings.ingest.errors import FetchError, SourceError


class EngineFeedProbe:
    """Reads the URL (SSRF-safe); a page that is not a feed is refused with the reason."""

    def __init__(self, reader: FeedReader) -> None:
        self.reader = reader

    async def probe(self, url: str) -> FeedInfo:
        """The feed's title and item count, or FeedRefused saying why it cannot be followed."""
        try:
            read = await self.reader.read(url)
        except SourceError as exc:
            if exc.reason == "a feed with no items":  # valid, just quiet for now: follow it
                return FeedInfo(url=url, title=None, items=0)
            if isinstance(exc, FetchError):
                raise FeedRefused(f"{url} cannot be fetched: {exc.reason}. Nothing was changed.") from exc
            raise FeedRefused(
                f"{url} is not an RSS or Atom feed ({exc.reason}). Nothing was changed."
            ) from exc
        if not read.is_feed:
            raise FeedRefused(
                f"{url} is a web page, not an RSS or Atom feed. Look on the site for its feed link "
                "(often /feed, /rss or /atom.xml). Nothing was changed."
            )
        title = next((item.outlet for item in read.articles if item.outlet), None)
        # The feed's own name, as long as it likes: the feeds table keeps what fits.
        title = shortened(title, Feed.__table__.c.title.type.length)  # type: ignore[attr-defined]
        return FeedInfo(url=read.result.url, title=title, items=len(read.articles))
