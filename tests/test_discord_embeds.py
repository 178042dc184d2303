"""Replies as Discord embeds: within every limit, split between words with a note, never silently cut."""

from __future__ import annotations

import discord

from bot.discord.delivery import message_nonce
from bot.discord.embeds import reply_messages
from bot.discord.invite import application_id_from_token, invite_url, needed_permissions
from briefings.render import BulletList, Context, FieldItem, Fields, Heading, Link, Paragraph, Reply

WORDS = [f"word{i}" for i in range(6000)]


def long_reply() -> Reply:
    return Reply(
        blocks=[
            Heading(text="Who — " + "a very long story name " * 20),
            Paragraph(text=" ".join(WORDS[:1500])),
            Fields(
                fields=[
                    FieldItem(name=f"Person {i}", value=" ".join(WORDS[i * 40 : i * 40 + 40]))
                    for i in range(60)
                ]
            ),
            BulletList(items=[" ".join(WORDS[i : i + 30]) for i in range(0, 3000, 30)]),
            Link(text="The article", url="https://example.org/" + "x" * 200),
            Context(elements=["3 sources", "Marlow News"]),
        ]
    )


def embed_words(messages: list[list[discord.Embed]]) -> set[str]:
    words: set[str] = set()
    for embeds in messages:
        for embed in embeds:
            text = " ".join(
                [embed.title or "", embed.description or "", embed.footer.text or ""]
                + [f"{f.name} {f.value}" for f in embed.fields]
            )
            words.update(text.replace("\n", " ").split())
    return words


def test_every_message_fits_discords_limits_and_no_word_is_lost() -> None:
    messages = reply_messages(long_reply())
    assert len(messages) > 1
    for embeds in messages:
        assert 1 <= len(embeds) <= 10
        assert sum(len(e) for e in embeds) <= 6000
        for embed in embeds:
            assert len(embed.title or "") <= 256
            assert len(embed.description or "") <= 4096
            assert len(embed.fields) <= 25
            assert all(len(f.name or "") <= 256 and len(f.value or "") <= 1024 for f in embed.fields)
            assert len(embed.footer.text or "") <= 2048
    seen = embed_words(messages)
    missing = [w for w in WORDS[:3000] if w not in seen]
    assert not missing, missing[:5]
    assert "(continued)" in seen
    assert any("more…" in (e.footer.text or "") for e in messages[0])


def test_article_text_cannot_ping_anyone() -> None:
    reply = Reply(blocks=[Paragraph(text="Protesters shouted @everyone and <@123456789012345678> and @here")])
    text = reply_messages(reply)[0][0].description or ""
    assert "@everyone" not in text and "<@123456789012345678>" not in text and "@here" not in text
    assert "everyone" in text


def test_nonces_fit_discord_and_differ_per_part() -> None:
    key = "briefbot-digest-12345-2026-03-13"
    assert len(message_nonce(key, 0)) <= 25
    assert message_nonce(key, 0) != message_nonce(key, 1) != message_nonce(key + "x", 0)


def test_the_invite_asks_for_exactly_what_briefbot_uses() -> None:
    permissions = needed_permissions()
    assert permissions.value == 1024 | 2048 | 16384 | 65536  # view, send, embed links, read history
    url = invite_url(1100000000000000001)
    assert url.startswith("https://discord.com/oauth2/authorize?client_id=1100000000000000001")
    assert "scope=bot+applications.commands" in url and "permissions=84992" in url
    assert application_id_from_token("MTEwMDAwMDAwMDAwMDAwMDAwMQ.abc.def") == 1100000000000000001
    assert application_id_from_token("not-a-token") is None
