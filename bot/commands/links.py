""" "Brief this link": the article behind a message's link, briefed privately, and the channel story it is part of.

A message action: the adapter hands over the message's text with its links written out as addresses. At
most `MAX_LINKS` of them are read, through the service's link reader (the engine's SSRF-safe fetch, then
its extraction); each is answered with its brief (headline, short digest, who, when, where) and the story of
this channel's feeds it belongs to, matched as the channel's commands see its stories. Nothing is stored.
"""

from __future__ import annotations

import asyncio
import logging
import re
from urllib.parse import urlsplit

from bot.channels.errors import AdminError
from bot.commands.errors import CommandRefused
from bot.commands.options import MessageOptions
from bot.commands.stories import ChannelNews
from bot.commands.table import CommandContext, LinkAnalyser
from briefings.digest.answers import story_context, story_title
from briefings.digest.when import describe_date, describe_when
from briefings.ingest.errors import SourceError
from briefings.models import ArticleAnalysis, Story
from briefings.render import Block, Context, Divider, FieldItem, Fields, Heading, Link, Paragraph, Reply
from briefings.stories.merge import build_stories

_log = logging.getLogger(__name__)

MAX_LINKS = 3
LINK_WAIT_S = 60.0  # reading and analysing one link, all told
LABEL = "Brief this link"
NO_LINK = (
    f"That message has no link to brief: {LABEL} reads the web addresses (http:// or https://) in a message. "
    "Use it on a message that shares an article."
)
NOT_AVAILABLE = f"{LABEL} is not available here: this briefbot does not read links."
PRIVATE_NOTE = "Shown only to you; nothing was stored."

# An address runs to the first space, quote or bracket; a ")" is kept only when it closes a "(" inside it.
_ADDRESS = re.compile(r"https?://[^\s<>\[\]{}\"'`|^]+", re.IGNORECASE)
_TRAILING = ".,;:!?*_~"


def _trimmed(address: str) -> str:
    while address:
        unbalanced = address.endswith(")") and address.count(")") > address.count("(")
        if address[-1] in _TRAILING or unbalanced:
            address = address[:-1]
        else:
            break
    return address


def links_in_text(text: str) -> list[str]:
    """The http(s) addresses in a message's plain text, in order, each once."""
    found = [_trimmed(m.group(0)) for m in _ADDRESS.finditer(text)]
    return list(dict.fromkeys(a for a in found if urlsplit(a).hostname))


def _article_story(analysis: ArticleAnalysis) -> Story:
    """The article on its own as a story: its headline, digest and main event as the engine writes them."""
    return build_stories([analysis], separate=True)[0]


def _article_blocks(url: str, article: Story, analysis: ArticleAnalysis) -> list[Block]:
    blocks: list[Block] = [Heading(text=analysis.article.title or article.headline or article.name)]
    blocks.append(
        Paragraph(text=" ".join(article.digest) if article.digest else "No digest for this article.")
    )
    w = article.w
    fields = [
        FieldItem(name=name, value=value, inline=True)
        for name, value in (
            ("Who", w.who),
            ("When", describe_when(w.when) if w.when else None),
            ("Where", w.where),
        )
        if value
    ]
    if fields:
        blocks.append(Fields(fields=fields))
    shown = analysis.article.outlet or urlsplit(url).hostname or url
    published = describe_date(analysis.article.published)
    blocks.append(
        Link(text=shown + (f" · {published}" if published else ""), url=analysis.article.url or url)
    )
    return blocks


def _story_blocks(story: Story | None, news: ChannelNews | None, problem: str | None) -> list[Block]:
    if problem is not None:
        return [Paragraph(text=f"Its story in this channel: not known. {problem}")]
    if story is None:
        count = len(news.stories) if news is not None else 0
        return [
            Paragraph(
                text="Its story in this channel: none. No story of this channel's feeds is about this "
                f"article (they have {count} stor{'y' if count == 1 else 'ies'} now; /stories lists them)."
            )
        ]
    title = story_title(story)
    return [
        Paragraph(
            text=f'Its story in this channel: “{title}”. /brief story:"{title}" tells the whole story; '
            "/who and /timeline give its people and events."
        ),
        story_context(story),
    ]


async def _brief_one(
    url: str, links: LinkAnalyser, news: ChannelNews | None, problem: str | None
) -> list[Block]:
    try:
        analysis = await asyncio.wait_for(links.analyse(url), LINK_WAIT_S)
    except SourceError as exc:
        return [Paragraph(text=f"{url}: {exc.reason}.")]
    except TimeoutError:
        return [Paragraph(text=f"{url}: reading it took more than {LINK_WAIT_S:g} s; try again later.")]

    def work() -> tuple[Story, Story | None]:
        return _article_story(analysis), (news.story_of(analysis) if news is not None else None)

    article, story = await asyncio.to_thread(work)
    return [*_article_blocks(url, article, analysis), *_story_blocks(story, news, problem)]


async def brief_link(ctx: CommandContext, options: MessageOptions) -> Reply:
    """The brief of each article a message links to (at most three), and the channel story it is part of."""
    found = links_in_text(options.text)
    if not found:
        raise CommandRefused(NO_LINK)
    links = ctx.services.links
    if links is None:
        raise CommandRefused(NOT_AVAILABLE)
    news: ChannelNews | None = None
    problem: str | None = None
    try:
        news = await ctx.news()
    except AdminError as exc:  # the article is briefed all the same; only its story cannot be looked up
        problem = exc.message
    read = found[:MAX_LINKS]
    answers = await asyncio.gather(*(_brief_one(url, links, news, problem) for url in read))
    blocks: list[Block] = []
    for answer in answers:
        if blocks:
            blocks.append(Divider())
        blocks += answer
    notes = [PRIVATE_NOTE]
    if len(found) > len(read):
        left = len(found) - len(read)
        notes.insert(
            0, f"{left} more link{'' if left == 1 else 's'} not read: at most {MAX_LINKS} a message."
        )
    blocks.append(Context(elements=notes))
    return Reply(blocks=blocks)
