"""Two workspaces' channels due in one run: neither is ever shown what only the other's feeds carry.

Guild A follows an internal feed; workspace B a public one. Both carry a report of the same event, and
only A's names an internal auditor and quotes her. Both channels are due at 08:00 (every new channel's
default), so one digest run serves both. Everything B is sent — its digests (and what's new in them), the
preview, every member command and the story completions — is searched for A's sentence, quote, auditor,
outlet and addresses; none may appear, and B still gets its own story.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from conftest_store import *  # noqa: F403 - the store fixtures
from conftest_store import RecordingDelivery
from spacy.language import Language

from bot.clock import FixedClock
from bot.delivery import OutgoingMessage
from bot.scheduler.digests import DigestRunner
from bot.store import channels as channel_store
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
    service,
)

PUBLIC = Item(
    "Kestrel Bay bridge closed after cracks found",
    "The Kestrel Bay road bridge was closed on Tuesday after engineers found cracks in two of its supports, "
    "the county council said. Council leader Mira Holt said the bridge would stay shut for at least a month. "
    '"Safety comes first," Holt said. Buses will use the ferry road until repairs begin.',
    "/public/bridge",
    "Tue, 13 Jan 2026 16:00:00 GMT",
)
PRIVATE = Item(
    "Kestrel Bay bridge shut over cracked supports",
    "The Kestrel Bay road bridge was shut on Tuesday after engineers found cracks in its supports, council "
    "leader Mira Holt said. Internal auditor Greta Wolff told staff the cracks had been known for years. "
    '"We hid the 2019 inspection report," Wolff said. The county council has not commented on the audit.',
    "/memo/bridge-audit",
    "Tue, 13 Jan 2026 17:00:00 GMT",
)
PUBLIC_UPDATE = Item(
    "Kestrel Bay bridge repairs to start next week",
    "Repairs to the cracked Kestrel Bay road bridge will start next week, council leader Mira Holt said on "
    'Wednesday. Holt said the ferry road would carry buses until the bridge reopens. "We expect the work to '
    'take a month," she said.',
    "/public/bridge-repairs",
    "Wed, 14 Jan 2026 15:00:00 GMT",
)
PRIVATE_UPDATE = Item(
    "Kestrel Bay audit widens to ferry road",
    "Internal auditor Greta Wolff said on Wednesday that the Kestrel Bay ferry road had failed its own 2021 "
    'inspection, council leader Mira Holt was told. "Nobody outside this office may see the ferry file," '
    "Wolff wrote. The Kestrel Bay bridge stays closed.",
    "/memo/ferry-audit",
    "Wed, 14 Jan 2026 16:00:00 GMT",
)
OUTLET_A = "Acme Internal Wire"
# What only A's feed carries: its auditor, her words, the audit, A's outlet and its addresses.
SECRETS = (
    "Greta",
    "Wolff",
    "auditor",
    "audit",
    "2019 inspection",
    "We hid",
    "ferry file",
    "Nobody outside this office",
    OUTLET_A,
    "/memo/",
    "internal.xml",
)
# Words a member of B might type to look for A's story; each must find nothing of A's.
TYPED = ["Wolff", "Greta Wolff", "auditor", "inspection report", "ferry file", "audit", "Kestrel"]


@pytest.fixture
def feeds() -> Iterator[Feeds]:
    yield from serve(Feeds(titles={"internal": OUTLET_A, "public": "Kestrel Bay Daily"}))


def leaks(text: str) -> list[str]:
    return [secret for secret in SECRETS if secret.casefold() in text.casefold()]


def messages_to(platform: RecordingDelivery, channel: str) -> list[OutgoingMessage]:
    return [m for m in platform.posted if m.channel.channel == channel]


async def test_a_run_serving_two_workspaces_shows_neither_the_others_feed(
    store: Store, nlp: Language, feeds: Feeds
) -> None:
    clock = FixedClock(datetime(2026, 1, 13, 18, 0, tzinfo=UTC))
    svc = service(store, nlp, clock)
    try:
        await svc.admin.setup(CHANNEL_A, ADMIN_A)  # both at the default 08:00 UTC
        await svc.admin.add_feed(CHANNEL_A, ADMIN_A, feeds.url("internal"))
        await svc.admin.setup(CHANNEL_B, ADMIN_B)
        await svc.admin.add_feed(CHANNEL_B, ADMIN_B, feeds.url("public"))
        feeds.items = {"internal": [PRIVATE], "public": [PUBLIC]}
        assert await svc.poll(feeds.url("internal")) == ("new", 1)
        assert await svc.poll(feeds.url("public")) == ("new", 1)

        platform = RecordingDelivery()
        runner = DigestRunner(store, platform, clock)
        clock.set(datetime(2026, 1, 14, 8, 0, 1, tzinfo=UTC))
        report = await runner.run_due()
        assert len(report.sent) == 2  # one run served both workspaces

        (digest_a,) = messages_to(platform, CHANNEL_A.channel)
        (digest_b,) = messages_to(platform, CHANNEL_B.channel)
        # The secrets are there to leak: A is shown them.
        assert "Wolff" in reply_text(digest_a) and OUTLET_A in reply_text(digest_a)
        assert digest_b.items, "B gets its own story"
        assert "Kestrel Bay" in reply_text(digest_b) and "Holt" in reply_text(digest_b)
        assert leaks(reply_text(digest_b)) == []

        async with store.transaction() as session:
            channel_b = await channel_store.find_channel(session, CHANNEL_B)
            assert channel_b is not None
        assert leaks(reply_text(await runner.preview(channel_b.id))) == []

        told = await everything_asked(svc, CHANNEL_B, MEMBER_B, TYPED)
        assert "Kestrel Bay" in told["/brief"]
        assert {asked: leaks(text) for asked, text in told.items() if leaks(text)} == {}

        # The next day both feeds bring more: what's new for B is B's news only.
        feeds.items = {"internal": [PRIVATE, PRIVATE_UPDATE], "public": [PUBLIC, PUBLIC_UPDATE]}
        clock.set(datetime(2026, 1, 14, 17, 0, tzinfo=UTC))
        assert await svc.poll(feeds.url("internal")) == ("new", 1)
        assert await svc.poll(feeds.url("public")) == ("new", 1)
        clock.set(datetime(2026, 1, 15, 8, 0, 1, tzinfo=UTC))
        report = await runner.run_due()
        assert len(report.sent) == 2
        _, second_b = messages_to(platform, CHANNEL_B.channel)
        assert second_b.items and "repairs" in reply_text(second_b).casefold()
        assert leaks(reply_text(second_b)) == []
        _, second_a = messages_to(platform, CHANNEL_A.channel)
        assert "ferry file" in reply_text(second_a)
        told = await everything_asked(svc, CHANNEL_B, MEMBER_B, TYPED)
        assert {asked: leaks(text) for asked, text in told.items() if leaks(text)} == {}
    finally:
        await svc.close()
