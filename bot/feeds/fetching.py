"""Reading feeds through the engine (SSRF-safe fetching, conditional GET, item checks), off the event loop."""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor
from typing import Protocol

from briefings.ingest.errors import FetchError, SourceError
from briefings.ingest.fetch import make_client
from briefings.ingest.options import ReadOptions
from briefings.ingest.urls import FeedPoll, UrlRead, poll_feed, read_url


class FeedReader(Protocol):
    """Polls a feed URL (conditionally, with the validators of the last poll) and reads any URL once."""

    async def poll(self, url: str, etag: str | None, last_modified: str | None) -> FeedPoll:
        """The feed's usable articles, or "not modified"; SourceError/FetchError when the feed fails."""
        ...

    async def read(self, url: str) -> UrlRead:
        """Read a URL once (to check that it is a feed)."""
        ...

    async def close(self) -> None:
        """Release connections and threads."""
        ...


class EngineFeedReader:
    """The engine's `poll_feed`/`read_url` in a thread pool twice the poll concurrency, one HTTP client."""

    def __init__(self, options: ReadOptions, concurrency: int) -> None:
        self.options = options
        self._client = make_client(options.fetch)
        # Twice the polls at once: a read whose poll timed out still finishes in its thread (threads cannot
        # be stopped), and neither the next polls nor a command's feed check should wait behind it.
        self._threads = ThreadPoolExecutor(max_workers=2 * concurrency, thread_name_prefix="feed-read")

    async def poll(self, url: str, etag: str | None, last_modified: str | None) -> FeedPoll:
        """Poll in a worker thread: the engine fetches, parses and checks synchronously."""
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(
            self._threads,
            lambda: poll_feed(url, self.options, etag=etag, last_modified=last_modified, client=self._client),
        )

    async def read(self, url: str) -> UrlRead:
        """Read a URL in a worker thread."""
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._threads, lambda: read_url(url, self.options, self._client))

    async def close(self) -> None:
        """Close the HTTP client and stop the threads."""
        self._threads.shutdown(wait=False, cancel_futures=True)
        self._client.close()


def is_transient(error: SourceError) -> bool:
    """Whether trying the feed again later may work."""
    return isinstance(error, FetchError) and error.transient
