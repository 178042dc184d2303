"""Polling a feed as the bot's poller does: conditional GET, a per-feed User-Agent, refused items listed."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from test_ingest_support import GERMAN, STORY, Answer, LocalServer

from briefings.ingest.errors import FetchError, RefusedAddressError
from briefings.ingest.options import ReadOptions
from briefings.ingest.urls import poll_feed


@pytest.fixture
def local_server() -> Iterator[LocalServer]:
    with LocalServer() as server:
        yield server


def feed(server: LocalServer) -> bytes:
    return f"""<?xml version="1.0"?><rss version="2.0"><channel><title>Gazette</title>
    <item><title>Ferry returns</title><link>{server.url("/ferry")}</link><description>Teaser.</description></item>
    <item><title>Fähre</title><description>{GERMAN}</description></item>
    </channel></rss>""".encode()


def test_a_poll_then_a_conditional_poll(local_server: LocalServer) -> None:
    page = f"<html><body><article><p>{STORY}</p><p>{STORY}</p></article></body></html>"
    local_server.routes["/feed"] = Answer(
        body=feed(local_server), headers={"ETag": '"f1"'}, not_modified_etag='"f1"'
    )
    local_server.routes["/ferry"] = Answer(body=page.encode(), headers={"Content-Type": "text/html"})
    options = ReadOptions(fetch=local_server.policy_for())

    first = poll_feed(local_server.url("/feed"), options, user_agent="GazetteReader/2")
    assert not first.not_modified and first.etag == '"f1"'
    (ferry,) = first.articles
    assert "sailed again on Tuesday" in ferry.text  # the teaser was replaced by the linked page
    (german,) = first.refused
    assert german.source == local_server.url("/feed") + "#1" and "not English (German)" in german.reason
    assert {seen.headers["user-agent"] for seen in local_server.seen} == {"GazetteReader/2"}

    again = poll_feed(local_server.url("/feed"), options, etag=first.etag)
    assert again.not_modified and again.articles == [] and again.etag == '"f1"'


def test_a_poll_of_a_broken_or_refused_feed_raises(local_server: LocalServer) -> None:
    local_server.routes["/feed"] = Answer(503, b"down", headers={"Retry-After": "60"})
    with pytest.raises(FetchError) as down:
        poll_feed(local_server.url("/feed"), ReadOptions(fetch=local_server.policy_for()))
    assert down.value.transient and down.value.retry_after_s == 60
    with pytest.raises(RefusedAddressError):
        poll_feed(local_server.url("/feed"))
