"""Articles from a URL: a page or a feed, fetched within the policy; a feed's teasers filled from their pages.

`poll_feed` is what a feed poller calls: a conditional GET with the validators of its last poll, an answer
that says "not modified" or carries the new articles, and the validators for the next poll.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field, replace

import httpx

from briefings.ingest.checks import check_article
from briefings.ingest.errors import SourceError
from briefings.ingest.feeds import fill_from_linked_pages
from briefings.ingest.fetch import FetchResult, fetch_url, make_client
from briefings.ingest.formats import FEED_SUFFIXES, read_bytes, read_html, sniff_suffix
from briefings.ingest.options import ReadOptions
from briefings.ingest.raw import RawArticle


def suffix_of(result: FetchResult) -> str:
    """The kind of a fetched body as a file suffix, from the bytes themselves, else the content type."""
    sniffed = sniff_suffix(result.content, "")
    if sniffed:
        return sniffed
    media_type = result.content_type.split(";")[0].strip().lower()
    if media_type == "text/plain":
        return ".txt"
    if media_type.endswith("json"):
        return ".json"
    if "rss" in media_type or "atom" in media_type or media_type in ("application/xml", "text/xml"):
        return FEED_SUFFIXES[0]
    return ".html"


@dataclass(frozen=True)
class UrlRead:
    """What reading a URL gave: the fetch result (validators included) and its articles."""

    result: FetchResult
    articles: list[RawArticle] = field(default_factory=list)
    is_feed: bool = False


def read_url(
    url: str,
    options: ReadOptions,
    client: httpx.Client,
    *,
    etag: str | None = None,
    last_modified: str | None = None,
    user_agent: str | None = None,
) -> UrlRead:
    """Fetch a URL and read its articles; a feed's teasers are replaced by their linked pages' articles."""
    # The whole read, linked pages included, keeps within the fetch's total time: a feed whose linked
    # pages are slow holds its reader about as long as one slow fetch, not one per page.
    deadline = time.monotonic() + options.fetch.total_timeout_s
    result = fetch_url(
        url, options.fetch, client, etag=etag, last_modified=last_modified, user_agent=user_agent
    )
    if result.not_modified:
        return UrlRead(result)
    suffix = suffix_of(result)
    articles = read_bytes(url, result.content, suffix, url=result.url, charset=result.charset)
    is_feed = suffix in FEED_SUFFIXES
    if is_feed and options.max_linked_pages > 0:

        def read_linked_page(link: str) -> RawArticle:
            within = replace(options.fetch, total_timeout_s=max(deadline - time.monotonic(), 0.001))
            page = fetch_url(link, within, client, user_agent=user_agent)
            return read_html(link, page.content, url=page.url)[0]

        articles = fill_from_linked_pages(
            articles, read_linked_page, options.max_linked_pages, deadline=deadline
        )
    return UrlRead(result, articles, is_feed)


@dataclass(frozen=True)
class FeedPoll:
    """One poll of a feed: not modified, or its usable articles and the items refused (with reasons)."""

    url: str
    not_modified: bool
    articles: list[RawArticle]
    refused: list[SourceError]
    etag: str | None
    last_modified: str | None


def poll_feed(
    url: str,
    options: ReadOptions | None = None,
    *,
    etag: str | None = None,
    last_modified: str | None = None,
    user_agent: str | None = None,
    client: httpx.Client | None = None,
) -> FeedPoll:
    """Poll a feed with a conditional GET; raises SourceError (FetchError) when the feed itself fails."""
    options = options or ReadOptions()
    http = client or make_client(options.fetch)
    try:
        read = read_url(url, options, http, etag=etag, last_modified=last_modified, user_agent=user_agent)
    finally:
        if client is None:
            http.close()
    articles: list[RawArticle] = []
    refused: list[SourceError] = []
    for article in read.articles:
        try:
            articles.append(check_article(article, options))
        except SourceError as exc:
            refused.append(exc)
    return FeedPoll(
        url=url,
        not_modified=read.result.not_modified,
        articles=articles,
        refused=refused,
        etag=read.result.etag,
        last_modified=read.result.last_modified,
    )
