"""Blocks as Block Kit: one message per page, within Slack's limits, with a plain-text fallback.

`render_pages` has already escaped every text for mrkdwn and cut the reply into pages of at most 50 blocks,
3,000 characters a section text and 150 a header (`SLACK_LIMITS`); here each block becomes its Block Kit
form. A header is plain text, so its escaping is undone there (plain text is never read as markup).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from bot.adapters.links import HOST_SEPARATOR, link_host, link_target
from bot.slack.mrkdwn import FALLBACK_TEXT_CHARS, SLACK_LIMITS, escape_mrkdwn
from briefings.render import (
    Block,
    BulletList,
    Context,
    Divider,
    Fields,
    Heading,
    Link,
    Paragraph,
    Reply,
    list_text,
    render_pages,
    split_text,
)

SlackBlock = dict[str, Any]
# A digest leaves one block free on every page for its part mark (`bot.adapters.parts`).
DIGEST_LIMITS = dataclasses.replace(
    SLACK_LIMITS, blocks_per_message=(SLACK_LIMITS.blocks_per_message or 50) - 1
)


@dataclass(frozen=True)
class SlackMessage:
    """One message: its blocks, and the plain text shown in notifications and to screen readers."""

    blocks: list[SlackBlock]
    text: str


def _unescape(text: str) -> str:
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def _mrkdwn(text: str) -> SlackBlock:
    return {"type": "mrkdwn", "text": text, "verbatim": True}


def _link(block: Link) -> SlackBlock:
    """A link briefbot builds: `<address|text · host>`, or its text alone when the address is not plain http(s).

    `link_target` has percent-encoded "|", "<" and ">", so nothing can end the address early; "&" is
    written as Slack's entity. The text was escaped for mrkdwn by `render_pages`.
    """
    target, host = link_target(block.url), link_host(block.url)
    if target is None or host is None:
        return {"type": "section", "text": _mrkdwn(block.text)}
    shown = f"{block.text}{HOST_SEPARATOR}{escape_mrkdwn(host)}"
    return {"type": "section", "text": _mrkdwn(f"<{target.replace('&', '&amp;')}|{shown}>")}


def slack_block(block: Block) -> SlackBlock:
    """One neutral block (already escaped and fitted) as a Block Kit block."""
    if isinstance(block, Heading):
        return {
            "type": "header",
            "text": {"type": "plain_text", "text": _unescape(block.text), "emoji": False},
        }
    if isinstance(block, Paragraph):
        return {"type": "section", "text": _mrkdwn(block.text)}
    if isinstance(block, BulletList):
        return {"type": "section", "text": _mrkdwn(list_text(block))}
    if isinstance(block, Fields):
        return {"type": "section", "fields": [_mrkdwn(f"*{f.name}*\n{f.value}") for f in block.fields]}
    if isinstance(block, Context):
        return {"type": "context", "elements": [_mrkdwn(e) for e in block.elements]}
    if isinstance(block, Link):
        return _link(block)
    if isinstance(block, Divider):
        return {"type": "divider"}
    raise TypeError(f"no Block Kit form for {block!r}")


def fallback_text(page: Sequence[Block]) -> str:
    """The page as plain text for notifications: its headings and running text, shortened with "…"."""
    lines: list[str] = []
    for block in page:
        if isinstance(block, Heading | Paragraph):
            lines.append(block.text)
        elif isinstance(block, BulletList):
            lines.append(list_text(block))
    text = "\n".join(lines) or "briefbot"
    if len(text) <= FALLBACK_TEXT_CHARS:
        return text
    return split_text(text, FALLBACK_TEXT_CHARS - 1, marker="")[0] + "…"


def reply_messages(reply: Reply, digest: bool = False) -> list[SlackMessage]:
    """A reply as the Slack messages it is sent as (at least one)."""
    limits = DIGEST_LIMITS if digest else SLACK_LIMITS
    pages = [page for page in render_pages(reply, limits, escape_mrkdwn) if page]
    if not pages:
        return [
            SlackMessage(blocks=[slack_block(Paragraph(text="Nothing to show."))], text="Nothing to show.")
        ]
    return [SlackMessage(blocks=[slack_block(b) for b in page], text=fallback_text(page)) for page in pages]


def with_blocks(messages: list[SlackMessage], extra: list[SlackBlock]) -> list[SlackMessage]:
    """Messages with more blocks after the last one, in a message of their own when it has no room."""
    if not extra:
        return messages
    room = (SLACK_LIMITS.blocks_per_message or 50) - len(messages[-1].blocks)
    if len(extra) <= room:
        last = messages[-1]
        return [*messages[:-1], SlackMessage(blocks=[*last.blocks, *extra], text=last.text)]
    step = SLACK_LIMITS.blocks_per_message or 50
    return messages + [
        SlackMessage(blocks=extra[i : i + step], text=messages[-1].text) for i in range(0, len(extra), step)
    ]
