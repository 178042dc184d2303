"""Demo news shipped with briefbot: two feeds of short invented articles, read from the package, not the web.

The local console follows them on its first start, so a new user sees real answers at once. Their URLs
are under `.invalid` (a name that never resolves): `DemoFeedReader` answers them from the package files
and hands every other URL to the real reader.
"""

from __future__ import annotations

import hashlib
from importlib import resources

from bot.feeds.fetching import FeedReader
from briefings.ingest.checks import check_article
from briefings.ingest.errors import SourceError
from briefings.ingest.feeds import read_feed
from briefings.ingest.fetch import FetchResult
from briefings.ingest.options import ReadOptions
from briefings.ingest.raw import RawArticle
from briefings.ingest.urls import FeedPoll, UrlRead

DEMO_FEEDS: dict[str, str] = {
    "https://demo.briefbot.invalid/gazette.xml": "gazette.xml",
    "https://demo.briefbot.invalid/coastal.xml": "coastal.xml",
}


def demo_feed_bytes(url: str) -> bytes:
    """The packaged file behind a demo feed URL."""
    return resources.files(__package__).joinpath(DEMO_FEEDS[url]).read_bytes()


class DemoFeedReader:
    """A feed reader that serves the demo feeds itself and passes every other URL on."""

    def __init__(self, inner: FeedReader, options: ReadOptions) -> None:
        self.inner = inner
        self.options = options

    def _articles(self, url: str, content: bytes) -> tuple[list[RawArticle], list[SourceError]]:
        usable: list[RawArticle] = []
        refused: list[SourceError] = []
        for article in read_feed(url, content):
            try:
                usable.append(check_article(article, self.options))
            except SourceError as exc:
                refused.append(exc)
        return usable, refused

    async def poll(self, url: str, etag: str | None, last_modified: str | None) -> FeedPoll:
        """A demo feed's articles (not modified when polled again), or the real reader's poll."""
        if url not in DEMO_FEEDS:
            return await self.inner.poll(url, etag, last_modified)
        content = demo_feed_bytes(url)
        tag = hashlib.sha256(content).hexdigest()[:16]
        if etag == tag:
            return FeedPoll(url, True, [], [], tag, None)
        usable, refused = self._articles(url, content)
        return FeedPoll(url, False, usable, refused, tag, None)

    async def read(self, url: str) -> UrlRead:
        """A demo feed read once, or the real reader's read."""
        if url not in DEMO_FEEDS:
            return await self.inner.read(url)
        content = demo_feed_bytes(url)
        result = FetchResult(url=url, status=200, content=content, content_type="application/rss+xml")
        return UrlRead(result, self._articles(url, content)[0], is_feed=True)

    async def close(self) -> None:
        """Close the real reader."""
        await self.inner.close()
