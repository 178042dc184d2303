"""Links briefbot builds on Slack show the host they go to; an address that could disguise it is not linked."""

from __future__ import annotations

import re

from bot.slack.blocks import reply_messages
from briefings.render import Link, Reply

_SLACK_LINK = re.compile(r"<([^<>|]+)\|([^<>]*)>")


def _links(reply: Reply) -> list[tuple[str, str]]:
    texts = [
        str(block["text"]["text"])
        for message in reply_messages(reply)
        for block in message.blocks
        if block.get("type") == "section" and "text" in block
    ]
    return [(m.group(1), m.group(2)) for text in texts for m in _SLACK_LINK.finditer(text)]


def test_a_built_link_names_the_host_it_opens() -> None:
    reply = Reply(blocks=[Link(text="a1: Dam inspection report", url="https://gazette.example/dam?a=1&b=2")])
    [(target, shown)] = _links(reply)
    assert target == "https://gazette.example/dam?a=1&amp;b=2"
    assert shown.endswith(" · gazette.example")


def test_article_text_that_looks_like_a_trusted_address_still_names_the_real_host() -> None:
    reply = Reply(blocks=[Link(text="https://waterboard.example.gov", url="https://evil.example/login")])
    [(target, shown)] = _links(reply)
    assert target.startswith("https://evil.example/")
    assert shown.endswith(" · evil.example")


def test_addresses_that_disguise_their_host_or_break_the_syntax_are_not_linked() -> None:
    for url in (
        "https://waterboard.example.gov@evil.example/login",  # a user name that reads as the host
        "javascript:alert(1)",
        "https://evil.example/a\x00b",
    ):
        assert _links(Reply(blocks=[Link(text="report", url=url)])) == [], url
    [(target, _)] = _links(Reply(blocks=[Link(text="x", url="https://news.example/a|b>c<d")]))
    assert "|" not in target and ">" not in target and "<" not in target


def test_an_internationalised_host_is_shown_in_ascii() -> None:
    [(_, shown)] = _links(Reply(blocks=[Link(text="report", url="https://bаnk.example/")]))  # Cyrillic а
    assert shown.endswith(" · xn--bnk-6cd.example")
