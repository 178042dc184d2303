"""A hostile article cannot put a link on Discord that shows one address and opens another.

The article below is fiction written for this test. Its title, text, quotes, speaker, outlet and story
name carry every form of Markdown link (plain, `<…>`, nested, escaped, with a title, over two lines); it
is analysed by the real engine, stored as the poller stores it, and asked about through the real
discord.py client against the fake Discord on loopback (tests/fakes/discord_server.py). Every text of
every embed Discord receives is then read as Discord reads it: where Markdown is rendered (title,
description, fields) no masked link may be live but the ones briefbot builds, each showing the host it
goes to; no address from the article may be clickable; where it is not rendered (footer, author), no
link-forming pair may stand.
"""

from __future__ import annotations

import asyncio
import contextlib
import re
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import discord
import pytest
from fakes.discord_server import FakeDiscord
from spacy.language import Language
from test_commands_support import ADMIN, NOW, store_articles

from bot.adapters.links import link_host, link_target
from bot.channels.admin import ChannelAdmin, FeedInfo
from bot.clock import FixedClock
from bot.commands.catalog import COMMANDS
from bot.commands.stories import StoryLibrary
from bot.commands.table import CommandServices
from bot.config import load_settings
from bot.delivery import DigestItem, OutgoingMessage
from bot.discord.client import BriefbotDiscordClient, make_client, start_client
from bot.discord.delivery import DiscordDelivery
from bot.discord.embeds import reply_messages
from bot.discord.markup import escape_markdown, plain_text
from bot.identity import ChannelRef
from bot.store.db import Store
from bot.store.migrate import upgrade_store
from briefings.extract.pipeline import analyze_doc
from briefings.ingest.articles import to_article
from briefings.ingest.raw import RawArticle
from briefings.models import ArticleAnalysis
from briefings.render import Context, Heading, Link, Paragraph, Reply

GUILD = 82_000_000_000_000_001
NEWS = 82_000_000_000_000_101
REF = ChannelRef(platform="discord", workspace=str(GUILD), channel=str(NEWS))
FEED = "https://gazette.example/feed.xml"
ARTICLE_URL = "https://gazette.example/water-rates"
ARTICLE_HOST = "gazette.example"
HOSTILE_FEED_TITLE = "[Harbour Gazette](https://evil.example/feed)"

TITLE = "[https://waterboard.example.gov](https://evil.example/login) says Harbour water rates rise"
TEXT = (
    "Harbour water rates will rise by 12 percent in May, the water board said on Monday. "
    "Board chair Nadia Okafor said customers should check [https://waterboard.example.gov]"
    "(https://evil.example/login) for the new prices. "
    '"Pay at [<https://waterboard.example.gov/pay>](<https://evil.example/pay>) before Friday," Okafor '
    "said. Councillor Tom Reyes called the rise [[unfair](https://evil.example/a)](https://evil.example/b) "
    "and said 300 families would struggle. The board told residents to ignore \\[fake notices\\]"
    "(https://evil.example/c) and <https://evil.example/sms> messages. "
    '"Only [the board site](https://evil.example/d "Water Board") is real," Reyes said. '
    '"Read [the notice\nhere](https://evil.example/e) and ||[this](https://evil.example/f)||," Okafor added.'
)
# What a hostile (or mistaken) extraction could name a speaker: the renderer must cope with any name.
HOSTILE_SPEAKER = "[Tom Reyes](https://evil.example/who)"


# ------------------------------------------------------------------------------ reading as Discord does


def _unescaped(text: str) -> list[tuple[str, bool]]:
    """The text as (character, escaped) pairs: Discord shows "\\X" as a plain X for any punctuation X."""
    chars: list[tuple[str, bool]] = []
    i = 0
    while i < len(text):
        if text[i] == "\\" and i + 1 < len(text) and not text[i + 1].isalnum() and not text[i + 1].isspace():
            chars.append((text[i + 1], True))
            i += 2
        else:
            chars.append((text[i], False))
            i += 1
    return chars


def live_masked_links(text: str) -> list[tuple[str, str]]:
    """Every (shown text, target) of a masked link Discord would make of this Markdown, nested or not."""
    chars = _unescaped(text)
    found: list[tuple[str, str]] = []
    for start, (char, escaped) in enumerate(chars):
        if char != "[" or escaped:
            continue
        depth, end = 0, None
        for j in range(start, len(chars)):
            c, e = chars[j]
            if e:
                continue
            depth += c == "["
            depth -= c == "]"
            if depth == 0:
                end = j
                break
        if end is None or end + 1 >= len(chars) or chars[end + 1] != ("(", False):
            continue
        close = next((k for k in range(end + 2, len(chars)) if chars[k] == (")", False)), None)
        if close is None:
            continue
        shown = "".join(c for c, _ in chars[start + 1 : end])
        target = "".join(c for c, _ in chars[end + 2 : close]).strip().strip("<>")
        found.append((shown, target))
    return found


# Discord makes a link of any "scheme://…" it finds, bare or in <…> (discord.py's own pattern, widened).
_AUTOLINK = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*://[^\s<>]+")
# The regex of the brief: an unescaped "[…](http…" (with or without <…> round the address).
_UNESCAPED_MASKED_LINK = re.compile(r"(?<!\\)\[[^\]]*(?<!\\)\]\(\s*<?(https?:[^\s)>]*)", re.IGNORECASE)


def _without_link_targets(text: str) -> str:
    """The Markdown with the targets of live masked links removed (those are checked on their own)."""
    for _, target in live_masked_links(text):
        text = text.replace(f"({target})", "()", 1)
    return text


def check_markdown(where: str, text: str) -> None:
    """No masked link but briefbot's, each showing its host; no clickable address from the article."""
    for shown, target in live_masked_links(text):
        assert urlsplit(target).hostname == ARTICLE_HOST, f"{where}: a live link to {target}: {text!r}"
        assert shown.endswith(f" · {ARTICLE_HOST}"), f"{where}: {shown!r} does not show {ARTICLE_HOST}"
        assert not _AUTOLINK.search(shown), f"{where}: an address as link text: {shown!r}"
    for match in _UNESCAPED_MASKED_LINK.finditer(text):
        assert match.group(1) == ARTICLE_URL, f"{where}: a live link to {match.group(1)}: {text!r}"
    bare = _AUTOLINK.findall(_without_link_targets(text))
    assert not bare, f"{where}: clickable addresses {bare} in {text!r}"


def check_plain(where: str, text: str) -> None:
    """A footer or author is shown without Markdown: still, no link-forming pair stands in it."""
    assert "](" not in text, f"{where}: {text!r}"
    assert not _AUTOLINK.search(text), f"{where}: {text!r}"


def embed_texts(embed: dict[str, Any]) -> Iterator[tuple[str, str, bool]]:
    """(where, text, rendered as Markdown) for every text of an embed as Discord received it."""
    yield "title", embed.get("title") or "", True
    yield "description", embed.get("description") or "", True
    for i, item in enumerate(embed.get("fields") or []):
        yield f"field {i} name", item["name"], True
        yield f"field {i} value", item["value"], True
    yield "footer", (embed.get("footer") or {}).get("text") or "", False
    yield "author", (embed.get("author") or {}).get("name") or "", False


def check_embeds(command: str, embeds: list[dict[str, Any]]) -> str:
    """Check every text of the embeds; the text a reader sees, for the caller's own checks."""
    assert embeds, f"{command}: no embeds"
    seen: list[str] = []
    for n, embed in enumerate(embeds):
        assert not embed.get("url") and not (embed.get("author") or {}).get("url")
        for where, text, rendered in embed_texts(embed):
            label = f"{command} embed {n} {where}"
            (check_markdown if rendered else check_plain)(label, text)
            shown = "".join(c for c, _ in _unescaped(text)) if rendered else text
            seen.append(shown.replace("\u200b", ""))
    return "\n".join(seen)


def test_the_checks_catch_what_they_look_for() -> None:
    """The checks themselves: each form is caught before escaping and passes after."""
    forms = [
        "[https://waterboard.example.gov](https://evil.example/login)",
        "[x](<https://evil.example/pay>)",
        "[[x](https://evil.example/a)](https://evil.example/b)",
        "[two\nlines](https://evil.example/e)",
        "see https://evil.example/bare",
        "see <https://evil.example/angle>",
    ]
    for form in forms:
        with pytest.raises(AssertionError):
            check_markdown("raw", form)
        check_markdown("escaped", escape_markdown(form))
    with pytest.raises(AssertionError):
        check_plain("raw", "[Harbour Gazette](https://evil.example/feed)")
    check_plain("plain", plain_text("[Harbour Gazette](https://evil.example/feed)"))
    # The brief's regex, and the reader: discord.py's escape_markdown leaves a nested link live.
    assert live_masked_links(discord.utils.escape_markdown(forms[2])) == [("x", "https://evil.example/a")]


# ---------------------------------------------------------------------------------------- the article


@pytest.fixture(scope="module")
def hostile_analyses(nlp: Language) -> list[ArticleAnalysis]:
    """The hostile article, analysed by the real engine; one speaker renamed as a hostile extraction might."""
    raw = RawArticle(
        source="gazette#1",
        text=f"{TITLE}\n{TEXT}",
        title=TITLE,
        published=datetime(2026, 3, 11, 9, 0, tzinfo=UTC),
        url=ARTICLE_URL,
        outlet="[Harbour Gazette](https://evil.example/outlet)",
    )
    article = to_article(raw, "h1")
    analysis = analyze_doc(nlp(article.text), article)
    actors = [
        a.model_copy(update={"name": HOSTILE_SPEAKER}) if a.name == "Tom Reyes" else a
        for a in analysis.actors
    ]
    quotes = [
        q.model_copy(update={"speaker": HOSTILE_SPEAKER}) if q.speaker == "Tom Reyes" else q
        for q in analysis.quotes
    ]
    hostile = analysis.model_copy(update={"actors": actors, "quotes": quotes})
    assert any(q.speaker == HOSTILE_SPEAKER for q in hostile.quotes)
    return [hostile]


class HostileProbe:
    """Stands in for the network check of a feed URL: the feed names itself with a masked link."""

    async def probe(self, url: str) -> FeedInfo:
        return FeedInfo(url=url, title=HOSTILE_FEED_TITLE, items=1)


@dataclass
class Running:
    fake: FakeDiscord
    client: BriefbotDiscordClient
    store: Store
    clock: FixedClock


@pytest.fixture
async def running(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, hostile_analyses: list[ArticleAnalysis]
) -> AsyncIterator[Running]:
    fake = FakeDiscord()
    await fake.start()
    fake.add_guild(GUILD, "Harbour Readers", {NEWS: "news"})
    monkeypatch.setenv("BRIEFBOT_DISCORD_API_URL", fake.api_url)
    monkeypatch.setenv("BRIEFBOT_DISCORD_GATEWAY_URL", fake.gateway_url)
    monkeypatch.setenv("BRIEFBOT_DISCORD_TOKEN", fake.token)
    monkeypatch.setenv("BRIEFBOT_DATA_DIR", str(tmp_path))
    settings = load_settings()
    store = Store.from_url(settings.store_url())
    await upgrade_store(store)
    clock = FixedClock(NOW)
    admin = ChannelAdmin(store, HostileProbe(), clock)
    await admin.setup(REF, ADMIN)
    await admin.add_feed(REF, ADMIN, FEED)
    await store_articles(store, FEED, hostile_analyses, NOW - timedelta(hours=1))
    services = CommandServices(stories=StoryLibrary(store, clock, max_age_s=0, stale_s=0), admin=admin)
    client = make_client(settings, COMMANDS, services, guild_ready_timeout=0.1)
    task = asyncio.create_task(start_client(client, fake.token))
    await asyncio.wait_for(client.ready_event.wait(), 15)
    yield Running(fake, client, store, clock)
    await client.close()
    with contextlib.suppress(asyncio.CancelledError):
        await asyncio.wait_for(task, 10)
    await store.close()
    await fake.stop()


async def answer_embeds(fake: FakeDiscord, path: list[str], options: dict[str, Any] | None) -> list[Any]:
    """The embeds of every message of the answer, as Discord received them."""
    payload = fake.interaction(GUILD, NEWS, path, options)
    await fake.send_interaction(payload)
    callback = await fake.wait_for(lambda: fake.callback_for(payload))
    embeds = list(callback.embeds)
    if callback.type == 5:  # deferred: the answer is the edit that follows
        await fake.wait_for(lambda: fake.followups_for(payload))
    await asyncio.sleep(0.05)  # any further messages of a long answer are checked too
    for sent in fake.followups_for(payload):
        embeds += sent.get("embeds") or []
    return embeds


ASKED = [
    (["quotes"], None),
    (["quotes"], {"who": "Okafor"}),
    (["who"], None),
    (["who"], {"name": "Nadia Okafor"}),
    (["stories"], None),
    (["sources"], None),
    (["brief"], None),
    (["brief"], {"story": "water rates"}),
    (["timeline"], None),
    (["where"], None),
]


async def test_no_answer_carries_a_live_link_from_the_article(running: Running) -> None:
    seen: dict[str, str] = {}
    for path, options in ASKED:
        command = "/" + " ".join(path) + (f" {options}" if options else "")
        seen[command] = check_embeds(command, await answer_embeds(running.fake, path, options))
    # Shown as written, not lost: the reader sees the article's own brackets and addresses.
    quotes = seen["/quotes"]
    assert "[<https://waterboard.example.gov/pay>](<https://evil.example/pay>)" in quotes
    assert '[the board site](https://evil.example/d "Water Board")' in quotes
    assert HOSTILE_SPEAKER in quotes
    assert "[Harbour Gazette](https://evil.example/outlet)" in quotes  # the outlet, cited
    assert HOSTILE_SPEAKER in seen["/who"]
    assert "waterboard.example.gov](https://evil.example/login) says" in seen["/stories"]  # its name
    sources = seen["/sources"]
    assert f": {TITLE} · {ARTICLE_HOST}" in sources  # the title inside briefbot's own link, with its host


async def test_sources_links_the_article_once_showing_its_host(running: Running) -> None:
    embeds = await answer_embeds(running.fake, ["sources"], None)
    links = [link for e in embeds for link in live_masked_links(e.get("description") or "")]
    assert [target for _, target in links] == [ARTICLE_URL]
    assert links[0][0].endswith(f" · {ARTICLE_HOST}")


async def test_a_scheduled_digest_carries_no_live_link_from_the_article(running: Running) -> None:
    news = await StoryLibrary(running.store, running.clock).news_for(REF)
    digest = OutgoingMessage(
        kind="digest",
        channel=REF,
        idempotency_key="briefbot-digest-hostile-2026-03-12",
        scheduled_for=NOW.replace(hour=8, minute=0),
        title="Your briefing for Thu 12 Mar",
        items=[DigestItem(story=story, key=story.id) for story in news.stories],
    )
    await DiscordDelivery(running.client).deliver(digest)
    posted = running.fake.channel_messages[NEWS]
    assert posted
    for message in posted:
        shown = check_embeds("digest", message["embeds"])
        assert "water rates" in shown


# ------------------------------------------------------------------------------------ the pieces


def test_links_briefbot_builds_show_their_host_and_keep_their_address_whole() -> None:
    reply = Reply(
        blocks=[
            Heading(text="Sources"),
            Link(text="a1: [x](https://evil.example)", url="https://gazette.example/a (b)"),
            Link(text="a2: Bücher", url="https://bücher.example/x"),
            Link(text="a3: script", url="javascript:alert(1)"),
            Link(text="a4: with a user", url="https://waterboard.example.gov@evil.example/"),
        ]
    )
    description = reply_messages(reply)[0][0].description or ""
    links = live_masked_links(description)
    assert links == [
        ("a1: [x](https:\u200b//evil.example) · gazette.example", "https://gazette.example/a%20%28b%29"),
        ("a2: Bücher · xn--bcher-kva.example", "https://xn--bcher-kva.example/x"),
    ]
    assert "a3: script" in description and "a4: with a user" in description  # shown, not linked
    assert link_host("https://waterboard.example.gov@evil.example/") is None
    assert link_target("https://gazette.example:notaport/") is None


def test_long_link_text_keeps_its_host() -> None:
    reply = Reply(blocks=[Link(text="[" * 400, url="https://gazette.example/a")])
    (shown, target), *_ = live_masked_links(reply_messages(reply)[0][0].description or "")
    assert shown.endswith("… · gazette.example") and target == "https://gazette.example/a"


def test_escaping_happens_before_limits_are_measured() -> None:
    text = " ".join("[x](https://evil.example/*_*)" for _ in range(600))  # doubles when escaped
    reply = Reply(blocks=[Heading(text="[" * 300), Paragraph(text=text), Context(elements=[text])])
    messages = reply_messages(reply)
    for embeds in messages:
        assert sum(len(e) for e in embeds) <= 6000
        for embed in embeds:
            assert len(embed.title or "") <= 256 and len(embed.description or "") <= 4096
            assert len(embed.footer.text or "") <= 2048
            check_markdown("title", embed.title or "")
            check_markdown("description", embed.description or "")
            check_plain("footer", embed.footer.text or "")


def test_markdown_at_the_start_of_a_line_is_shown_as_written() -> None:
    text = "# Heading\n## Two\n-# small\n> quoted\n>>> all\n- item\n+ item\n1. first\n```code```\n||spoiler||"
    escaped = escape_markdown(text)
    for line in escaped.split("\n"):
        assert line.startswith("\\") or re.match(r"\d+\\\.", line), line
    assert "".join(c for c, _ in _unescaped(escaped)) == text
    for mention in ("<t:1700000000:R>", "</briefing setup:123>", "<@123456789012345678>", "<#123>"):
        assert escape_markdown(mention).startswith("\\<")


def test_a_feed_address_copied_from_an_answer_can_be_pasted_back() -> None:
    from bot.commands.options import FeedUrlOptions

    shown = escape_markdown("https://gazette.example/feed.xml")
    assert shown != "https://gazette.example/feed.xml"  # not a link on Discord
    assert FeedUrlOptions(url=shown.replace("\\", "")).url == "https://gazette.example/feed.xml"
