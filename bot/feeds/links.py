"""Reading the article behind a link someone shared: fetched within the policy, checked, analysed.

The fetch is the engine's (`read_url`: only public addresses unless BRIEFBOT_ALLOW_PRIVATE_URLS, at most
BRIEFBOT_FETCH_MAX_BYTES, a per-read and a whole-transfer time limit) in a small thread pool of its own, so
a slow page never holds up feed polling; the analysis is the service's extractor, off the event loop.
Nothing read here is stored.
"""

from __future__ import annotations

import asyncio
import dataclasses
from concurrent.futures import ThreadPoolExecutor

from bot.feeds.extraction import Extractor
from briefings.ingest.checks import check_article
from briefings.ingest.errors import SourceError
from briefings.ingest.fetch import make_client
from briefings.ingest.options import ReadOptions
from briefings.ingest.raw import RawArticle
from briefings.ingest.urls import read_url
from briefings.models import ArticleAnalysis

# A person is waiting for the answer: a page that takes longer than this is not worth the wait.
LINK_TOTAL_TIMEOUT_S = 20.0
NOT_AN_ARTICLE = (
    "it is a feed, not an article: a channel admin can follow it with /briefing feeds add, and its "
    "articles then come into this channel's stories"
)


class LinkReader:
    """Reads one shared link into its article's analysis; raises SourceError saying why it cannot."""

    def __init__(self, options: ReadOptions, extractor: Extractor, threads: int = 2) -> None:
        fetch = dataclasses.replace(
            options.fetch, total_timeout_s=min(options.fetch.total_timeout_s, LINK_TOTAL_TIMEOUT_S)
        )
        # A shared link is one page: a feed's linked pages are never followed from here.
        self.options = dataclasses.replace(options, fetch=fetch, max_linked_pages=0)
        self.extractor = extractor
        self._client = make_client(fetch)
        self._threads = ThreadPoolExecutor(max_workers=threads, thread_name_prefix="link-read")

    def _read(self, url: str) -> RawArticle:
        read = read_url(url, self.options, self._client)
        if read.is_feed:
            raise SourceError(url, NOT_AN_ARTICLE)
        if not read.articles:
            raise SourceError(url, "there is no article on that page")
        return check_article(read.articles[0], self.options)

    async def analyse(self, url: str) -> ArticleAnalysis:
        """The analysis of the article at the URL (fetched in a worker thread, analysed by the extractor)."""
        raw = await asyncio.get_running_loop().run_in_executor(self._threads, self._read, url)
        analyses = await self.extractor.analyze([raw])
        if not analyses:
            raise SourceError(url, "briefbot could not analyse the article")
        return analyses[0]

    async def close(self) -> None:
        """Stop the threads and close the HTTP client."""
        self._threads.shutdown(wait=False, cancel_futures=True)
        self._client.close()
