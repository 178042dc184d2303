"""One workspace's feed never hides another's articles, and an article two feeds carry belongs to both.

(a) Workspace A adds a feed whose item links to the address of B's public article, with text of its own,
and it is polled first. B's feed, carrying the real article at that address, still gets it: B's `/brief`
and digest tell B's story and never A's words.
(b) Syndication: the same article in feeds of two workspaces is stored and analysed once, linked to both
feeds, and each channel gets it, presented as its own feed presents it.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from conftest_store import *  # noqa: F403 - the store fixtures
from conftest_store import RecordingDelivery
from spacy.language import Language
from sqlalchemy import text

from bot.clock import FixedClock
from bot.scheduler.digests import DigestRunner
from bot.store.db import Store
from hostile.support import (
    ADMIN_A,
    ADMIN_B,
    CHANNEL_A,
    CHANNEL_B,
    MEMBER_B,
    Feeds,
    Item,
    everything_asked,
    reply_text,
    serve,
)
from hostile.support import service as make_service

REAL = Item(
    "Kestrel Bay ferry returns after storm repairs",
    "The Kestrel Bay ferry sailed again on Thursday after two weeks of storm repairs, the harbour office "
    "said. Harbourmaster Ilse Brandt said the first crossing carried sixty passengers and two buses. "
    '"The new ramp is stronger than the old one," Brandt said.',
    "/news/ferry-returns",
    "Thu, 15 Jan 2026 09:00:00 GMT",
)
# A's feed links B's address with words of its own.
FAKE = Item(
    "Kestrel Bay ferry sinks, harbourmaster flees",
    "The Kestrel Bay ferry sank on Thursday and harbourmaster Ilse Brandt fled the town, Totally Real News "
    "can reveal. Readers should send their bank details to the harbour fund at once.",
    "/news/ferry-returns",
    "Thu, 15 Jan 2026 08:00:00 GMT",
)
FAKE_WORDS = ("sank", "sinks", "fled", "flees", "bank details", "Totally Real", "harbour fund")


@pytest.fixture
def feeds() -> Iterator[Feeds]:
    yield from serve(
        Feeds(titles={"hostile": "Totally Real News", "public": "Kestrel Bay Daily", "wire": "Coast Wire"})
    )


async def count(store: Store, sql: str) -> int:
    async with store.transaction() as session:
        return int((await session.execute(text(sql))).scalar_one())


async def test_a_feed_linking_anothers_address_neither_hides_nor_replaces_its_article(
    store: Store, nlp: Language, feeds: Feeds
) -> None:
    clock = FixedClock(datetime(2026, 1, 15, 10, 0, tzinfo=UTC))
    svc = make_service(store, nlp, clock)
    try:
        feeds.items = {"hostile": [FAKE], "public": [REAL]}
        await svc.admin.setup(CHANNEL_A, ADMIN_A)
        await svc.admin.add_feed(CHANNEL_A, ADMIN_A, feeds.url("hostile"))
        await svc.admin.setup(CHANNEL_B, ADMIN_B)
        await svc.admin.add_feed(CHANNEL_B, ADMIN_B, feeds.url("public"))
        assert await svc.poll(feeds.url("hostile")) == ("new", 1)  # A's text, at B's address, first
        assert await svc.poll(feeds.url("public")) == ("new", 1)  # B's article is stored all the same

        told = await everything_asked(svc, CHANNEL_B, MEMBER_B, ["ferry", "Brandt"])
        assert "ferry sailed again" in told["/brief"] or "ramp" in told["/brief"], told["/brief"]
        found = {
            asked: [w for w in FAKE_WORDS if w.casefold() in said.casefold()] for asked, said in told.items()
        }
        assert {asked: words for asked, words in found.items() if words} == {}

        platform = RecordingDelivery()
        clock.set(datetime(2026, 1, 16, 8, 0, 1, tzinfo=UTC))
        await DigestRunner(store, platform, clock).run_due()
        (digest_b,) = [m for m in platform.digests() if m.channel == CHANNEL_B]
        assert digest_b.items and "Brandt" in reply_text(digest_b)
        assert [w for w in FAKE_WORDS if w.casefold() in reply_text(digest_b).casefold()] == []
        # Polled again, neither feed finds anything new: each has the article it brought.
        assert await svc.poll(feeds.url("hostile")) == ("unchanged", 0)
        assert await svc.poll(feeds.url("public")) == ("unchanged", 0)
        assert await count(store, "SELECT count(*) FROM articles") == 2
    finally:
        await svc.close()


async def test_a_syndicated_article_is_stored_once_and_reaches_both_workspaces(
    store: Store, nlp: Language, feeds: Feeds
) -> None:
    clock = FixedClock(datetime(2026, 1, 15, 10, 0, tzinfo=UTC))
    svc = make_service(store, nlp, clock)
    try:
        feeds.items = {"wire": [REAL], "public": [REAL]}
        await svc.admin.setup(CHANNEL_A, ADMIN_A)
        await svc.admin.add_feed(CHANNEL_A, ADMIN_A, feeds.url("wire"))
        await svc.admin.setup(CHANNEL_B, ADMIN_B)
        await svc.admin.add_feed(CHANNEL_B, ADMIN_B, feeds.url("public"))
        assert await svc.poll(feeds.url("wire")) == ("new", 1)
        assert await svc.poll(feeds.url("public")) == ("new", 1)

        platform = RecordingDelivery()
        clock.set(datetime(2026, 1, 16, 8, 0, 1, tzinfo=UTC))
        report = await DigestRunner(store, platform, clock).run_due()
        assert len(report.sent) == 2
        by_channel = {m.channel.channel: reply_text(m) for m in platform.digests()}
        for channel, outlet, other in (
            (CHANNEL_A, "Coast Wire", "Kestrel Bay Daily"),
            (CHANNEL_B, "Kestrel Bay Daily", "Coast Wire"),
        ):
            assert "Brandt" in by_channel[channel.channel]
            # Each channel sees the article as its own feed presents it.
            assert outlet in by_channel[channel.channel] and other not in by_channel[channel.channel]
        told = await everything_asked(svc, CHANNEL_B, MEMBER_B, ["ferry"])
        assert "Kestrel Bay ferry" in told["/brief"] and "Coast Wire" not in "".join(told.values())

        assert svc.extractor.analysed == [REAL.title]  # extracted once
        assert await count(store, "SELECT count(*) FROM articles") == 1  # stored once
        assert await count(store, "SELECT count(*) FROM feed_articles") == 2  # carried by both feeds
    finally:
        await svc.close()


async def test_a_copy_that_reads_differently_is_not_shared_with_another_feed(
    store: Store, nlp: Language, feeds: Feeds
) -> None:
    """A's feed serves B's words first, but dated a year earlier and with the quotation marks taken out.

    Were the two one article (the same words), A's copy would decide B's dates ("on Thursday" counted from
    A's date) and which words read as a quote. B's item is analysed as B's feed gives it.
    """
    clock = FixedClock(datetime(2026, 1, 15, 10, 0, tzinfo=UTC))
    svc = make_service(store, nlp, clock)
    altered = Item(REAL.title, REAL.text.replace('"', ""), REAL.path, "Thu, 16 Jan 2025 09:00:00 GMT")
    try:
        feeds.items = {"hostile": [altered], "public": [REAL]}
        await svc.admin.setup(CHANNEL_A, ADMIN_A)
        await svc.admin.add_feed(CHANNEL_A, ADMIN_A, feeds.url("hostile"))
        await svc.admin.setup(CHANNEL_B, ADMIN_B)
        await svc.admin.add_feed(CHANNEL_B, ADMIN_B, feeds.url("public"))
        assert await svc.poll(feeds.url("hostile")) == ("new", 1)
        assert await svc.poll(feeds.url("public")) == ("new", 1)
        assert svc.extractor.analysed == [REAL.title, REAL.title]  # B's item analysed on its own
        assert await count(store, "SELECT count(*) FROM articles") == 2

        told = await everything_asked(svc, CHANNEL_B, MEMBER_B, ["ferry"])
        assert "The new ramp is stronger than the old one" in told["/quotes"], told["/quotes"]
        assert "2025" not in told["/timeline"], told["/timeline"]
    finally:
        await svc.close()
