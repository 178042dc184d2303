"""Two workspaces on one briefbot: feeds served from loopback, polled and analysed for real, and every message
one workspace's channel is sent, gathered as text to search for what the other workspace's feed holds.

The articles are fiction written for these tests (Kestrel Bay, its bridge and its people are invented).
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from xml.sax.saxutils import escape

from spacy.language import Language

from bot.channels.admin import ChannelAdmin
from bot.clock import FixedClock
from bot.commands.catalog import COMMANDS
from bot.commands.dispatch import run_command
from bot.commands.options import STORY_COMPLETION, completion_of
from bot.commands.stories import StoryLibrary
from bot.commands.table import CommandContext, CommandServices
from bot.config import FeedSettings
from bot.feeds.extraction import ThreadExtractor
from bot.feeds.fetching import EngineFeedReader
from bot.feeds.poller import FeedPoller
from bot.feeds.probe import EngineFeedProbe
from bot.identity import Caller, ChannelRef
from bot.store.db import Store
from briefings.ingest.fetch import FetchPolicy
from briefings.ingest.options import ReadOptions
from briefings.ingest.raw import RawArticle
from briefings.models import ArticleAnalysis

ADMIN_A = Caller(user_id="admin-a", display_name="Ann", is_channel_admin=True)
ADMIN_B = Caller(user_id="admin-b", display_name="Bo", is_channel_admin=True)
MEMBER_B = Caller(user_id="member-b", display_name="Mo", is_channel_admin=False)
# Two tenants: a Discord guild and a Slack workspace, served by one process and one database.
CHANNEL_A = ChannelRef(platform="discord", workspace="guild-acme", channel="internal-news")
CHANNEL_B = ChannelRef(platform="slack", workspace="T-kestrel", channel="C-public-news")


@dataclass(frozen=True)
class Item:
    """One item of a feed: title, text, link path on the server, publication date (RFC 822)."""

    title: str
    text: str
    path: str
    published: str


@dataclass
class Feeds:
    """Feeds on a loopback HTTP server; a test changes what a feed serves by replacing its items."""

    titles: dict[str, str]
    items: dict[str, list[Item]] = field(default_factory=dict)
    base: str = ""

    def rss(self, name: str) -> bytes:
        entries = "".join(
            f"<item><title>{escape(i.title)}</title><link>{self.base}{i.path}</link>"
            f"<pubDate>{i.published}</pubDate><description>{escape(i.text)}</description></item>"
            for i in self.items.get(name, [])
        )
        return (
            f'<?xml version="1.0"?><rss version="2.0"><channel><title>{escape(self.titles[name])}</title>'
            f"{entries}</channel></rss>"
        ).encode()

    def url(self, name: str) -> str:
        return f"{self.base}/{name}.xml"


def serve(feeds: Feeds) -> Iterator[Feeds]:
    """Serve the feeds on 127.0.0.1 until the generator is closed."""

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args: object) -> None:
            return None

        def do_GET(self) -> None:
            name = self.path.strip("/").removesuffix(".xml")
            if name not in feeds.titles:
                body, status, kind = b"not found", 404, "text/plain"
            else:
                body, status, kind = feeds.rss(name), 200, "application/rss+xml"
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    feeds.base = f"http://127.0.0.1:{httpd.server_address[1]}"
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield feeds
    finally:
        httpd.shutdown()
        httpd.server_close()


class CountingExtractor:
    """The real engine in a thread, counting the items it is asked to analyse."""

    def __init__(self, nlp: Language) -> None:
        self.inner = ThreadExtractor(nlp)
        self.analysed: list[str] = []

    async def analyze(self, articles: list[RawArticle]) -> list[ArticleAnalysis]:
        self.analysed.extend(a.title or a.source for a in articles)
        return await self.inner.analyze(articles)

    async def close(self) -> None:
        await self.inner.close()


@dataclass
class Service:
    """The parts of one briefbot process: polling with real extraction, channel admin, commands."""

    store: Store
    clock: FixedClock
    reader: EngineFeedReader
    extractor: CountingExtractor
    poller: FeedPoller
    admin: ChannelAdmin
    commands: CommandServices

    async def close(self) -> None:
        await self.reader.close()
        await self.extractor.close()

    async def poll(self, feed_url: str) -> tuple[str, int]:
        """Poll one feed now: how it went and how many articles it gained."""
        from bot.store import feeds as feed_store

        async with self.store.transaction() as session:
            feed = await feed_store.find_feed(session, feed_url)
            assert feed is not None, feed_url
            feed_id = feed.id
        outcome = await self.poller.poll_feed(feed_id)
        assert outcome is not None
        return outcome.status, outcome.new_articles


def service(store: Store, nlp: Language, clock: FixedClock) -> Service:
    """A briefbot service on the store, reading feeds from loopback."""
    settings = FeedSettings()
    reader = EngineFeedReader(
        ReadOptions(fetch=FetchPolicy(allow_private=True, timeout_s=5), max_linked_pages=0),
        settings.concurrency,
    )
    extractor = CountingExtractor(nlp)
    poller = FeedPoller(store, reader, extractor, clock, settings)
    admin = ChannelAdmin(store, EngineFeedProbe(reader), clock, settings.default_interval_s)
    stories = StoryLibrary(store, clock, max_age_s=0, stale_s=0)
    return Service(
        store, clock, reader, extractor, poller, admin, CommandServices(stories=stories, admin=admin)
    )


def reply_text(value: Any) -> str:
    """Everything a message carries, as JSON text (titles, blocks, links, footers, hidden values)."""
    return value.model_dump_json() if hasattr(value, "model_dump_json") else str(value)


async def everything_asked(svc: Service, ref: ChannelRef, caller: Caller, typed: list[str]) -> dict[str, str]:
    """What the channel is told when a member runs every story command, plain and with each typed word,
    and what the story options complete to: by what was asked."""
    told: dict[str, str] = {}
    for command in COMMANDS:
        if command.permission != "member" or command.changes_config:
            continue
        context = CommandContext(ref, caller, svc.commands)
        outcome = await run_command(command, {}, context)
        told["/" + command.name] = reply_text(outcome.reply)
        story_options = [
            name
            for name, f in command.options.model_fields.items()
            if completion_of(f.json_schema_extra) == STORY_COMPLETION
        ]
        for name in story_options:
            for word in typed:
                outcome = await run_command(command, {name: word}, context)
                told[f"/{command.name} {name}:{word}"] = _without(reply_text(outcome.reply), word)
    news = await svc.commands.stories.news_for(ref)
    for word in ["", *typed]:
        # As many and as long as the most generous platform offers (Slack: 100 options of 75 characters).
        choices = "\n".join(f"{c.name} {c.value}" for c in news.choices(word, 100, 100))
        told[f"autocomplete {word!r}"] = choices
    return told


def _without(text: str, typed: str) -> str:
    """The reply without the words the member typed (a refusal may quote them back: that is no leak)."""
    return re.sub(re.escape(typed), "…", text, flags=re.IGNORECASE)
