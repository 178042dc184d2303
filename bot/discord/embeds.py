"""Blocks as Discord embeds: one embed per section, messages within Discord's limits.

The renderer (`briefings.render`) has already neutralised every text and cut the reply into pages that
fit Discord's limits (256 title, 4096 description, 25 fields, 6000 per message, 10 embeds); here a page's
sections become embeds. A link is written as Markdown, which is longer than its text: where that would
break a limit the link is shown as its text and address on a line, and a message that outgrows 6000
characters is split in two rather than cut.

Before that, every text is escaped for Discord's Markdown (`bot.discord.markup`): text from an article is
shown as written, never as a link, a heading or a spoiler, and a link briefbot builds shows its host.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Sequence

import discord

from bot.discord.limits import DISCORD_LIMITS, neutralise_discord
from bot.discord.markup import escape_reply
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
)

DESCRIPTION_LIMIT = 4096
MESSAGE_CHARS = 6000
EMBEDS_PER_MESSAGE = 10
ANSWER_COLOUR = discord.Colour.dark_teal()
REFUSAL_COLOUR = discord.Colour.orange()
_BLANK = "\u200b"  # Discord refuses an empty field name or value


def _sections(page: Sequence[Block]) -> list[list[Block]]:
    sections: list[list[Block]] = []
    for block in page:
        if isinstance(block, Heading | Divider) or not sections:
            sections.append([])
        sections[-1].append(block)
    return sections


def _link_line(link: Link, room: int) -> str:
    # The link's text is escaped and ends with its host, its address percent-encoded (`markup`).
    markdown = f"[{link.text}]({link.url})"
    return markdown if len(markdown) <= room else link.text


def section_embed(section: Sequence[Block], colour: discord.Colour = ANSWER_COLOUR) -> discord.Embed | None:
    """One section as an embed: heading → title, text → description, fields → fields, small print → footer."""
    embed = discord.Embed(colour=colour)
    lines: list[str] = []
    for block in section:
        if isinstance(block, Heading):
            embed.title = block.text
        elif isinstance(block, Paragraph):
            lines.append(block.text)
        elif isinstance(block, BulletList):
            lines.append(list_text(block))
        elif isinstance(block, Link):
            used = sum(len(line) + 1 for line in lines)
            lines.append(_link_line(block, DESCRIPTION_LIMIT - used))
        elif isinstance(block, Fields):
            for item in block.fields:
                embed.add_field(name=item.name or _BLANK, value=item.value or _BLANK, inline=item.inline)
        elif isinstance(block, Context):
            embed.set_footer(text=" · ".join(block.elements))
    if lines:
        embed.description = "\n".join(lines)
    if not (embed.title or embed.description or embed.fields or embed.footer.text):
        return None  # a bare divider
    return embed


def page_embeds(page: Sequence[Block], colour: discord.Colour = ANSWER_COLOUR) -> list[discord.Embed]:
    """A page's sections as embeds."""
    return [e for e in (section_embed(s, colour) for s in _sections(page)) if e is not None]


def group_messages(embeds: Sequence[discord.Embed]) -> list[list[discord.Embed]]:
    """Embeds in messages of at most 10 embeds and 6000 characters."""
    messages: list[list[discord.Embed]] = [[]]
    size = 0
    for embed in embeds:
        length = len(embed)
        current = messages[-1]
        if current and (len(current) >= EMBEDS_PER_MESSAGE or size + length > MESSAGE_CHARS):
            messages.append([])
            size = 0
        messages[-1].append(embed)
        size += length
    return [m for m in messages if m]


def reply_messages(reply: Reply, refused: bool = False) -> list[list[discord.Embed]]:
    """A reply as the Discord messages it is sent as (at least one); new embeds, the caller's to change."""
    colour = REFUSAL_COLOUR if refused else ANSWER_COLOUR
    messages = [
        m
        for page in render_pages(escape_reply(reply), DISCORD_LIMITS, neutralise_discord)
        for m in group_messages(page_embeds(page, colour))
    ]
    return messages or [[discord.Embed(description="Nothing to show.", colour=colour)]]


class RenderedReplies:
    """Replies already converted, by identity: the command table hands out the same Reply object for the
    same question about unchanged stories, so converting it again would only repeat the work."""

    def __init__(self, size: int = 512) -> None:
        self.size = size
        self._kept: OrderedDict[tuple[int, bool], tuple[Reply, list[list[discord.Embed]]]] = OrderedDict()

    def messages(self, reply: Reply, refused: bool = False) -> list[list[discord.Embed]]:
        """The reply's messages; the embeds are shared and must not be changed by the caller."""
        key = (id(reply), refused)
        kept = self._kept.get(key)
        if kept is not None and kept[0] is reply:  # the same object, not a new one at a reused address
            self._kept.move_to_end(key)
            return kept[1]
        messages = reply_messages(reply, refused)
        self._kept[key] = (reply, messages)  # holding the reply keeps its id from being reused
        if len(self._kept) > self.size:
            self._kept.popitem(last=False)
        return messages
