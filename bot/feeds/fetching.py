"""Fetching feeds through the engine (SSRF-safe, conditional GET), off the event loop."""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Protocol

from briefings.ingest.errors import FetchError, SourceError
from briefings.ingest.feeds import read_feed
from briefings.ingest.fetch import FetchPolicy, FetchResult, fetch_url, make_client
from briefings.ingest.raw import RawArticle


@dataclass(frozen=True)
class FeedFetch:
    """A poll's answer: not modified, or the feed's bytes, with the validators for the next poll."""

    url: str
    not_modified: bool
    content: bytes
    etag: str | None
    last_modified: str | None


class FeedFetcher(Protocol):
    """Fetches a feed URL, conditionally when validators from the last poll are given."""

    async def fetch(self, url: str, etag: str | None, last_modified: str | None) -> FeedFetch:
        """GET the feed; raise briefings' SourceError/FetchError when it cannot be fetched."""
        ...

    async def close(self) -> None:
        """Release connections and threads."""
        ...


class EngineFeedFetcher:
    """The engine's `fetch_url` in a thread pool as wide as the poll concurrency, one shared HTTP client."""

    def __init__(self, policy: FetchPolicy, concurrency: int) -> None:
        self.policy = policy
        self._client = make_client(policy)
        self._threads = ThreadPoolExecutor(max_workers=concurrency, thread_name_prefix="feed-fetch")

    async def fetch(self, url: str, etag: str | None, last_modified: str | None) -> FeedFetch:
        """GET the feed in a worker thread (the engine is synchronous), conditionally."""
        loop = asyncio.get_running_loop()
        result: FetchResult = await loop.run_in_executor(
            self._threads,
            lambda: fetch_url(url, self.policy, self._client, etag=etag, last_modified=last_modified),
        )
        return FeedFetch(
            url=result.url,
            not_modified=result.not_modified,
            content=result.content,
            etag=result.etag,
            last_modified=result.last_modified,
        )

    async def close(self) -> None:
        """Close the HTTP client and stop the threads."""
        self._client.close()
        self._threads.shutdown(wait=False, cancel_futures=True)


async def parse_feed(url: str, content: bytes) -> list[RawArticle]:
    """The items of a feed (the engine's reader, in a thread: feedparser and trafilatura take CPU)."""
    return await asyncio.to_thread(read_feed, url, content)


def is_transient(error: SourceError) -> bool:
    """Whether trying the feed again later may work."""
    return isinstance(error, FetchError) and error.transient


__all__ = ["EngineFeedFetcher", "FeedFetch", "FeedFetcher", "SourceError", "is_transient", "parse_feed"]
