"""The console channel: typed lines parsed against the command table, answers and digests printed."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from conftest_store import *  # noqa: F403 - the store fixtures
from conftest_store import StoreSpec
from rich.console import Console
from test_commands_support import *  # noqa: F403 - articles and helpers
from test_commands_support import FEED, NOW, set_up_channel, store_articles

from bot.clock import FixedClock
from bot.commands.catalog import COMMANDS
from bot.commands.parse import LineProblem, parse_line
from bot.commands.stories import StoryLibrary
from bot.commands.table import CommandServices
from bot.console.app import run_console
from bot.console.channel import CONSOLE_CHANNEL, ConsoleChannel
from bot.delivery import DigestItem, OutgoingMessage
from bot.store.db import Store
from briefings.models import ArticleAnalysis


def parsed(line: str) -> tuple[str, dict[str, object]]:
    result = parse_line(COMMANDS, line)
    return result.command.name, result.options


def test_lines_become_commands_and_options() -> None:
    assert parsed("/who") == ("who", {})
    assert parsed("/who harbour fire") == ("who", {"story": "harbour fire"})
    assert parsed('/who story:"harbour fire" name:Okoro') == (
        "who",
        {"story": "harbour fire", "name": "Okoro"},
    )
    assert parsed("/who name=Okoro dam") == ("who", {"name": "Okoro", "story": "dam"})
    assert parsed("/Briefing Feeds Add https://x.example.org/rss") == (
        "briefing feeds add",
        {"url": "https://x.example.org/rss"},
    )
    assert parsed("/briefing schedule 08:00 Europe/Berlin weekdays") == (
        "briefing schedule",
        {"when": "08:00 Europe/Berlin weekdays"},
    )
    assert parsed("/briefing topics clear") == ("briefing topics", {"clear": True})
    assert parsed("/briefing setup stories:3") == ("briefing setup", {"stories": "3"})


@pytest.mark.parametrize(
    ("line", "says"),
    [
        ("who", "Commands start with a slash"),
        ("/whoo", "There is no command /whoo. Did you mean /who?"),
        ("/briefing feeds", "/briefing feeds needs one of: /briefing feeds add"),
        ('/who "harbour', "close the quotes"),
        ("/stories marlow", "/stories takes no more words here"),
        ("/", "Type a command after the slash"),
    ],
)
def test_lines_that_are_not_commands_say_what_to_type(line: str, says: str) -> None:
    with pytest.raises(LineProblem) as caught:
        parse_line(COMMANDS, line)
    assert says in caught.value.message


@pytest.fixture
async def channel(store: Store, news_analyses: list[ArticleAnalysis]) -> ConsoleChannel:
    clock = FixedClock(NOW)
    admin = await set_up_channel(store, clock, CONSOLE_CHANNEL)
    await store_articles(store, FEED, news_analyses, NOW - timedelta(hours=1))
    services = CommandServices(stories=StoryLibrary(store, clock, max_age_s=0, stale_s=0), admin=admin)
    return ConsoleChannel(COMMANDS, services, Console(record=True, width=100, color_system=None))


def shown(channel: ConsoleChannel) -> str:
    return channel.console.export_text(clear=True)


async def test_answers_are_printed_for_the_terminal(channel: ConsoleChannel) -> None:
    await channel.answer("/who Marlow Heights dam")
    text = shown(channel)
    assert "Who — " in text and "Ruth Ambani" in text and "Colin Dray" in text
    await channel.answer("/timeline coal plant")
    assert "Timeline — Orrin" in shown(channel)
    outcome = await channel.answer("/briefing feeds add not-a-url")
    assert outcome is not None and outcome.refused
    assert "is not a web address" in shown(channel)
    await channel.answer("/who nobody-here-at-all")
    assert "No story in this channel's news matches" in shown(channel)


async def test_a_scheduled_digest_appears_in_the_console_once(channel: ConsoleChannel) -> None:
    news = await channel.services.stories.news_for(CONSOLE_CHANNEL)
    digest = OutgoingMessage(
        kind="digest",
        channel=CONSOLE_CHANNEL,
        idempotency_key="briefbot-digest-1-2026-03-13",
        scheduled_for=NOW,
        title="Your briefing for Thu 12 Mar",
        items=[DigestItem(story=story, key=story.id) for story in news.stories],
        more=2,
    )
    receipt = await channel.deliver(digest)
    text = shown(channel)
    assert "Your briefing for Thu 12 Mar" in text and "Marlow Heights dam" in text
    assert "2 more stories: /stories" in text
    assert await channel.deliver(digest) == receipt  # the same key again: not printed twice
    assert "Your briefing for" not in shown(channel)
    assert await channel.find_delivered(CONSOLE_CHANNEL, digest.idempotency_key) == receipt


async def test_the_loop_reads_lines_until_quit(channel: ConsoleChannel, tmp_path: object) -> None:
    typed = io.StringIO("/help\n\n/stories\n/quit\n/who\n")
    typed.fileno = lambda: (_ for _ in ()).throw(OSError("not a file"))  # type: ignore[method-assign]
    await run_console(channel, typed)
    text = shown(channel)
    assert "/briefing feeds add [url:…]" in text
    assert "Active stories" in text
    assert "Who — " not in text  # after /quit nothing more is read


async def test_a_restart_never_prints_a_digest_twice(
    channel: ConsoleChannel, store: Store, store_spec: StoreSpec
) -> None:
    from datetime import UTC, datetime

    from sqlalchemy import select, update

    from bot.scheduler.digests import DigestRunner
    from bot.store.models import Delivery

    clock = FixedClock(datetime(2026, 3, 12, 12, 0, tzinfo=UTC))
    await channel.services.admin.set_schedule(CONSOLE_CHANNEL, channel.caller, "13:00 UTC")
    clock.set(datetime(2026, 3, 12, 13, 0, tzinfo=UTC))
    first = await DigestRunner(store, channel, clock).run_due()
    assert first.sent and "Your briefing for Thu 12 Mar" in shown(channel)
    # The process dies after printing and before the scheduler's "sent" reaches the store.
    async with store.transaction() as session:
        await session.execute(update(Delivery).values(status="claimed"))

    restarted = store_spec.open()
    try:
        clock.set(datetime(2026, 3, 12, 13, 1, tzinfo=UTC))
        terminal = Console(record=True, width=100, color_system=None)
        again = ConsoleChannel(COMMANDS, channel.services, terminal, store=restarted)
        report = await DigestRunner(restarted, again, clock).run_due()
        assert report.recovered and not report.sent
        assert "Your briefing for" not in terminal.export_text()  # found in the store: not printed again
        async with restarted.transaction() as session:
            (delivery,) = (await session.execute(select(Delivery))).scalars()
        assert delivery.status == "sent" and (delivery.message_ref or "").startswith("console-")
    finally:
        await restarted.close()
