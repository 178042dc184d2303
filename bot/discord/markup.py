r"""Discord markdown: text from articles shown exactly as written, and links that show where they go.

Discord renders Markdown in an embed's title, description and field names and values; its footer and
author name are plain text. An article's title, a quote or a speaker's name could otherwise carry
Markdown that Discord acts on: a masked link `[https://waterboard.example.gov](https://evil.example/login)`
that shows a trusted address and opens another, a spoiler, a heading, a block quote, a code block, a
timestamp or a slash-command mention (`<t:…>`, `</name:id>`).

- Where Markdown is rendered, every character it acts on is escaped with a backslash (Discord shows
  `\X` as `X` for any punctuation X), and a web address is made inert by a zero-width space after its
  scheme (`https:\u200b//…`), so it reads the same but is not a link: the only links in an answer are the
  ones briefbot builds.
- Where nothing is rendered (footer, author), a backslash would show, so only the link-forming pairs
  (`](`, `://`) are broken with a zero-width space.
- A link briefbot builds (`Link` block) shows the host it goes to after its text ("a1: Water rates rise ·
  gazette.example"), in ASCII (an internationalised host as punycode, so no look-alike letters); only
  http(s) addresses without a user name are linked, and characters that would end the link early are
  percent-encoded.

Why not `discord.utils.escape_markdown` alone: it escapes `* _ ~ |`, backslashes and backticks
everywhere, but only the first `[` of a masked link, so in `[[x](https://evil.example)](https://b.example)`
the inner link stays live; its `.+` stops at a new line, so a link text spread over two lines is not
escaped; with `ignore_links` (the default) a masked link that follows an address in the same word is left
alone; and it leaves `<…>` forms (`<t:…>`, `</name:id>`, `<https://…>`) and numbered lists as they are.
Mentions are neutralised separately (`bot.discord.limits.neutralise_discord`; answers are also sent with
`AllowedMentions.none()`).
"""

from __future__ import annotations

import logging
import re

from bot.adapters.links import HOST_SEPARATOR, link_host, link_target
from briefings.render import (
    Block,
    BulletList,
    Context,
    Fields,
    Heading,
    Link,
    Paragraph,
    Reply,
)

_log = logging.getLogger(__name__)

ZWSP = "\u200b"
LINK_TEXT_LIMIT = 256  # what the renderer lets a link's text be on Discord (an embed title's size)

# Every character Discord's Markdown acts on anywhere in a line. A backslash escapes any punctuation.
_INLINE = re.compile(r"([\\*_~|`\[\]()<>#])")
# What acts only at the start of a line: lists ("- ", "+ ", "1. ") and "-#" sub-text ("#", ">" and "*"
# are escaped everywhere already).
_LINE_START = re.compile(r"^([ \t]*)(?:([-+])|(\d+)\.)", re.MULTILINE)
# A scheme before "//" (https://, steam://, discord://): Discord turns what follows into a link.
_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.-]*:)(?=//)")
_LINK_PAIR = re.compile(r"\](?=\()")


def escape_markdown(text: str) -> str:
    """Text that Discord's Markdown shows as written: no link, format, heading, quote, list or code."""
    text = _INLINE.sub(r"\\\1", text)
    text = _LINE_START.sub(_escape_line_start, text)
    return _SCHEME.sub(lambda m: m.group(1) + ZWSP, text)


def _escape_line_start(match: re.Match[str]) -> str:
    indent, bullet, number = match.group(1), match.group(2), match.group(3)
    return f"{indent}\\{bullet}" if bullet else f"{indent}{number}\\."


def plain_text(text: str) -> str:
    """Text for a place Discord shows without Markdown (footer, author): link-forming pairs broken."""
    return _SCHEME.sub(lambda m: m.group(1) + ZWSP, _LINK_PAIR.sub("]" + ZWSP, text))


def link_text(text: str, host: str) -> str:
    """A link's shown text, escaped, ending in the host it goes to, within Discord's size for it."""
    suffix = HOST_SEPARATOR + escape_markdown(host)
    room = LINK_TEXT_LIMIT - len(suffix)
    shown = escape_markdown(text)
    if len(shown) > room:
        raw = text
        while raw and len(escape_markdown(raw)) + 1 > room:
            raw = raw[: -max(1, (len(escape_markdown(raw)) + 1 - room) // 2)]
        shown = escape_markdown(raw.rstrip()) + "…"
    return shown + suffix


def escape_block(block: Block) -> Block:
    """A block with its text made safe for where Discord shows it (a link also says where it goes)."""
    if isinstance(block, Heading | Paragraph):
        return block.model_copy(update={"text": escape_markdown(block.text)})
    if isinstance(block, BulletList):
        return block.model_copy(update={"items": [escape_markdown(i) for i in block.items]})
    if isinstance(block, Fields):
        fields = [
            f.model_copy(update={"name": escape_markdown(f.name), "value": escape_markdown(f.value)})
            for f in block.fields
        ]
        return block.model_copy(update={"fields": fields})
    if isinstance(block, Context):
        return block.model_copy(update={"elements": [plain_text(e) for e in block.elements]})
    if isinstance(block, Link):
        target = link_target(block.url)
        host = link_host(block.url)
        if target is None or host is None:
            _log.debug("not linking an address that is not plain http(s)")
            return Paragraph(text=escape_markdown(block.text))
        return Link(text=link_text(block.text, host), url=target)
    return block


def escape_reply(reply: Reply) -> Reply:
    """A reply whose every text is safe to show on Discord, before it is cut to Discord's limits."""
    return reply.model_copy(update={"blocks": [escape_block(b) for b in reply.blocks]})
