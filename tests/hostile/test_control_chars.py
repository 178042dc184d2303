"""NUL and other control characters from outside never reach the store, and one bad item loses no other.

A feed whose good item comes first and whose bad item (NUL and other controls in its title, text and link)
comes after its first 8 KB, where the binary check no longer looks, is polled into SQLite and PostgreSQL.
"""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime
from pathlib import Path

import pytest
from conftest_store import *  # noqa: F403 - the store fixtures
from sqlalchemy import select
from test_cli_analyze import run_cli
from test_ingest_support import Answer, LocalServer

from bot.channels.admin import ChannelAdmin
from bot.clock import FixedClock
from bot.config import FeedSettings
from bot.feeds.extraction import ThreadExtractor
from bot.feeds.fetching import EngineFeedReader
from bot.feeds.poller import FeedPoller
from bot.feeds.probe import EngineFeedProbe
from bot.identity import Caller, ChannelRef
from bot.store.db import Store
from bot.store.models import ArticleRow, Feed
from briefings.ingest.articles import to_article
from briefings.ingest.controls import clean_controls, clean_field, clean_url
from briefings.ingest.options import ReadOptions
from briefings.ingest.raw import RawArticle
from briefings.ingest.urls import FeedPoll
from briefings.models import ArticleAnalysis

ADMIN = Caller(user_id="admin-1", is_channel_admin=True)
REF = ChannelRef(platform="console", workspace="coast", channel="news")
NOW = datetime(2026, 1, 14, 10, 0, tzinfo=UTC)

GOOD_TITLE = "Sea wall repairs begin in Olsby"
GOOD = f"""<item><title>{GOOD_TITLE}</title><link>{{base}}/olsby/wall</link>
<pubDate>Wed, 14 Jan 2026 08:00:00 GMT</pubDate>
<description>Repairs to the sea wall of Olsby began on Wednesday, the harbour board said. Engineer Ilse Varn
said the work would take three weeks and the promenade stays open.</description></item>"""
# NUL, escape, bell and a C1 control in the title, text and link.
BAD = """<item><title>Flood\x00 barriers fail\x1b in Olsby</title><link>{base}/olsby/\x00barriers</link>
<pubDate>Wed, 14 Jan 2026 07:00:00 GMT</pubDate>
<description>Flood\x00 barriers along the Olsby canal failed on Tuesday\x07 night, the council said.\x9b
About forty homes were evacuated and nobody was hurt.</description></item>"""
# Filler the binary check reads instead of the bad item: it looks for NUL in the first 8 KB only.
FILLER = "<!-- " + "The Olsby Courier prints the tide tables every morning. " * 160 + "-->"


def hostile_feed(base: str) -> bytes:
    return (
        '<?xml version="1.0"?><rss version="2.0"><channel><title>Olsby\x07 Courier</title>'
        f"{GOOD.format(base=base)}{FILLER}{BAD.format(base=base)}</channel></rss>"
    ).encode()


# The cleaning functions themselves.


def test_text_keeps_its_length_and_its_line_breaks() -> None:
    text = "On Friday\x00 the pier\x07 opened.\n\tIt\x92s \ud800new\r\n\x85end\x1b"
    cleaned = clean_controls(text)
    assert cleaned == "On Friday  the pier  opened.\n\tIt\u2019s \ufffdnew\r\n\x85end "
    assert len(cleaned) == len(text)
    assert clean_controls("Nothing to clean.\n") == "Nothing to clean.\n"


def test_short_fields_lose_control_runs_and_urls_lose_every_control() -> None:
    assert clean_field("Flood\x00 barriers fail\x1b") == "Flood barriers fail"
    assert clean_field("Flood\x00\x01barriers") == "Flood barriers"
    assert clean_field("It\x92s \ud800done") == "It\u2019s \ufffddone"
    assert clean_field("\x00\x07 ") is None and clean_field(None) is None
    assert clean_url(" http://olsby.test/a\x00b\tc\nd ") == "http://olsby.test/abcd"
    assert clean_url("\x00") is None


def test_every_article_built_is_cleaned_and_its_offsets_still_index_the_source() -> None:
    text = "Olsby\x00 floods\nThe canal rose on Friday\x07 night."
    raw = RawArticle(
        source="feed#3", text=text, title="Olsby\x00 floods", url="http://o.test/\x00f", outlet="Courier\x1b"
    )
    assert (raw.title, raw.url, raw.outlet) == ("Olsby floods", "http://o.test/f", "Courier")
    assert "\x00" not in raw.text and len(raw.text) == len(text)
    article = to_article(raw, "a1")
    start = article.text.index("Friday")
    assert text[slice(*article.offsets.span_to_source(start, start + 6))] == "Friday"


def test_analyze_of_a_json_file_names_the_title_clean_and_indexes_its_text_as_read(tmp_path: Path) -> None:
    text = (
        "Flood\x00 barriers fail\nThe canal barriers in Olsby failed on Friday\x07 night, the council said."
    )
    (tmp_path / "olsby.json").write_text(
        json.dumps({"title": "Flood\x00 barriers fail", "text": text, "published": "2026-01-14"}),
        encoding="utf-8",
    )
    run = run_cli("analyze", str(tmp_path / "olsby.json"), "--json")
    assert run.returncode == 0, run.stderr
    (article,) = json.loads(run.stdout)["articles"]
    assert article["title"] == "Flood barriers fail"
    (friday,) = [t for t in article["times"] if t["text"].startswith("Friday")]
    assert clean_controls(text[friday["start"] : friday["end"]]) == friday["text"]  # "Friday\x07 night"


# Polling a hostile feed into the store (SQLite and PostgreSQL).


def make_parts(store: Store, nlp, site: LocalServer, reader: EngineFeedReader | None = None):  # type: ignore[no-untyped-def]
    settings = FeedSettings()
    reader = reader or EngineFeedReader(ReadOptions(fetch=site.policy_for(), max_linked_pages=0), 2)
    extractor = ThreadExtractor(nlp)
    poller = FeedPoller(store, reader, extractor, FixedClock(NOW), settings)
    return reader, extractor, poller


async def follow(store: Store, site: LocalServer, path: str) -> None:
    """A channel follows the feed (checked by reading it, as `/briefing feeds add` does)."""
    reader = EngineFeedReader(ReadOptions(fetch=site.policy_for(), max_linked_pages=0), 1)
    try:
        admin = ChannelAdmin(store, EngineFeedProbe(reader), FixedClock(NOW), 900)
        await admin.setup(REF, ADMIN)
        await admin.add_feed(REF, ADMIN, site.url(path))
    finally:
        await reader.close()


async def stored(store: Store) -> list[ArticleRow]:
    async with store.transaction() as session:
        return list((await session.execute(select(ArticleRow).order_by(ArticleRow.title))).scalars())


async def test_a_nul_item_after_the_first_8kb_is_stored_clean_beside_the_good_one(store: Store, nlp) -> None:  # type: ignore[no-untyped-def]
    with LocalServer() as site:
        body = hostile_feed(site.url(""))
        assert body.index(b"\x00", body.index(b"</item>")) > 8192  # the binary check does not see it
        site.routes["/olsby.xml"] = Answer(body=body, headers={"Content-Type": "application/rss+xml"})
        reader, extractor, poller = make_parts(store, nlp, site)
        try:
            await follow(store, site, "/olsby.xml")
            (outcome,) = await poller.poll_due()
            assert (outcome.status, outcome.new_articles) == ("new", 2), outcome.error
            bad, good = await stored(store)
            assert good.title == GOOD_TITLE
            assert bad.title == "Flood barriers fail in Olsby"
            assert bad.url == site.url("/olsby/barriers")
            analysis = ArticleAnalysis.model_validate_json(bad.analysis)
            assert not any(c in analysis.article.text for c in "\x00\x07\x1b\x9b")
            assert analysis.article.outlet == "Olsby Courier"
        finally:
            await reader.close()
            await extractor.close()


async def test_an_over_long_title_and_link_are_fitted_and_the_item_kept(store: Store, nlp) -> None:  # type: ignore[no-untyped-def]
    long_title = "Olsby council " + "and the harbour board " * 40 + "agree on a budget"
    long_link = "/olsby/budget?" + "&".join(f"part{n}=value{n}" for n in range(300))
    with LocalServer() as site:
        feed = (
            '<?xml version="1.0"?><rss version="2.0"><channel><title>Olsby Courier</title>'
            f"{GOOD.format(base=site.url(''))}"
            f"<item><title>{long_title}</title><link>{site.url(long_link).replace('&', '&amp;')}</link>"
            "<description>The Olsby council and the harbour board agreed on a budget for the sea wall on "
            "Tuesday, the mayor said.</description></item></channel></rss>"
        ).encode()
        site.routes["/olsby.xml"] = Answer(body=feed, headers={"Content-Type": "application/rss+xml"})
        reader, extractor, poller = make_parts(store, nlp, site)
        try:
            await follow(store, site, "/olsby.xml")
            (outcome,) = await poller.poll_due()
            assert (outcome.status, outcome.new_articles) == ("new", 2), outcome.error
            budget, good = await stored(store)
            assert good.title == GOOD_TITLE
            assert budget.title is not None and len(budget.title) == 500 and budget.title.endswith("…")
            assert budget.url is None  # longer than the column: dropped, the article kept
        finally:
            await reader.close()
            await extractor.close()


class SlippingReader(EngineFeedReader):
    """The real reader, but one item's title gets a NUL after it was read: a reader that forgot to clean."""

    async def poll(self, url: str, etag: str | None, last_modified: str | None) -> FeedPoll:
        polled = await super().poll(url, etag, last_modified)
        for article in polled.articles:
            if article.title != GOOD_TITLE:
                article.title = f"Flood\x00 {article.title}"
        return polled


async def test_an_item_the_database_refuses_is_skipped_with_a_log_line_and_loses_no_other(
    store: Store, nlp, caplog: pytest.LogCaptureFixture
) -> None:  # type: ignore[no-untyped-def]
    if store.engine.dialect.name != "postgresql":
        pytest.skip("SQLite stores a NUL: only PostgreSQL refuses the item")
    with LocalServer() as site:
        site.routes["/olsby.xml"] = Answer(
            body=hostile_feed(site.url("")), headers={"Content-Type": "application/rss+xml"}
        )
        reader = SlippingReader(ReadOptions(fetch=site.policy_for(), max_linked_pages=0), 2)
        reader, extractor, poller = make_parts(store, nlp, site, reader)
        try:
            await follow(store, site, "/olsby.xml")
            with caplog.at_level(logging.WARNING, logger="bot.feeds.poller"):
                (outcome,) = await poller.poll_due()
            assert outcome.status == "new", outcome.error
            assert [row.title for row in await stored(store)] == [GOOD_TITLE]
            assert outcome.new_articles == 1
            (line,) = [r.getMessage() for r in caplog.records if "skipped" in r.getMessage()]
            assert site.url("/olsby.xml") in line and "NUL" in line
        finally:
            await reader.close()
            await extractor.close()


async def test_a_feed_with_an_over_long_name_is_followed_under_a_shortened_one(store: Store) -> None:
    with LocalServer() as site:
        name = "The Olsby Courier, " + "with the tide tables and the ferry times, " * 10 + "daily"
        feed = (
            f'<?xml version="1.0"?><rss version="2.0"><channel><title>{name}</title>'
            f"{GOOD.format(base=site.url(''))}</channel></rss>"
        ).encode()
        site.routes["/olsby.xml"] = Answer(body=feed, headers={"Content-Type": "application/rss+xml"})
        await follow(store, site, "/olsby.xml")
        async with store.transaction() as session:
            title = (await session.execute(select(Feed.title))).scalar_one()
        assert title is not None and len(title) == 300 and title.startswith("The Olsby Courier, with")
