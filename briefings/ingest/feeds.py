"""RSS and Atom feeds: every item as an article, with its text from the feed's content or summary."""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Callable
from typing import Any

import feedparser
from lxml import etree
from lxml import html as lxml_html

from briefings.ingest.dates import parse_published
from briefings.ingest.errors import SourceError
from briefings.ingest.raw import RawArticle

_log = logging.getLogger(__name__)

# Elements after which a reader sees a line break.
_BLOCK_TAGS = frozenset(
    [
        "p",
        "div",
        "br",
        "li",
        "ul",
        "ol",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "blockquote",
        "tr",
        "table",
        "section",
        "article",
        "header",
        "footer",
        "figure",
        "figcaption",
        "pre",
        "hr",
        "dd",
        "dt",
    ]
)
_DROPPED_TAGS = ("script", "style", "noscript", "template")
_SPACES = re.compile(r"[ \t\r\f\v\u00a0]+")
# An item with fewer words than this carries a teaser, not the article.
SHORT_ITEM_WORDS = 120


def html_fragment_text(fragment: str) -> str:
    """The readable text of an HTML fragment, one line per paragraph; plain text is returned as it is."""
    if "<" not in fragment:
        return fragment.strip()
    try:
        root = lxml_html.fragment_fromstring(fragment, create_parent="div")
    except (etree.ParserError, ValueError):
        return fragment.strip()
    for dropped in root.iter(*_DROPPED_TAGS):
        dropped.drop_tree()
    for element in root.iter():
        if isinstance(element.tag, str) and element.tag.lower() in _BLOCK_TAGS:
            element.tail = "\n" + (element.tail or "")
    lines = (_SPACES.sub(" ", line).strip() for line in str(root.text_content()).split("\n"))
    return "\n".join(line for line in lines if line)


_EXPAT_WHERE = re.compile(r"^<unknown>:(\d+):(\d+): ")


def _describe_parse_problem(problem: object) -> str:
    """feedparser's complaint in a reader's words: "syntax error at line 2" rather than "<unknown>:2:0: …"."""
    first_line = (str(problem).strip().splitlines() or ["unreadable"])[0]
    where = _EXPAT_WHERE.match(first_line)
    return f"{first_line[where.end() :]} at line {where.group(1)}" if where else first_line


def _entry_html(entry: Any) -> str:
    """The fullest text an item carries: its longest content, else its summary."""
    candidates = [str(c.get("value", "")) for c in entry.get("content") or []]
    candidates.append(str(entry.get("summary", "")))
    return max(candidates, key=len)


def read_feed(source: str, data: bytes) -> list[RawArticle]:
    """Every item of an RSS or Atom feed, with its text as the feed gives it (title on the first line)."""
    parsed = feedparser.parse(data)
    if not parsed.entries:
        problem = parsed.get("bozo_exception") if parsed.get("bozo") else None
        if problem is not None:
            kind = (
                "not a well-formed RSS or Atom feed" if parsed.get("version") else "not an RSS or Atom feed"
            )
            raise SourceError(source, f"{kind} ({_describe_parse_problem(problem)})")
        raise SourceError(
            source, "a feed with no items" if parsed.get("version") else "not an RSS or Atom feed"
        )
    outlet = parsed.feed.get("title") or None
    articles = []
    for i, entry in enumerate(parsed.entries):
        text = html_fragment_text(_entry_html(entry))
        title = html_fragment_text(str(entry.get("title") or "")) or None
        if title and not text.startswith(title):
            text = f"{title}\n{text}" if text else title
        if not text:
            continue
        link = entry.get("link")
        articles.append(
            RawArticle(
                source=f"{source}#{i}",
                text=text,
                title=title,
                published=parse_published(entry.get("published_parsed") or entry.get("updated_parsed"))
                or parse_published(entry.get("published") or entry.get("updated")),
                url=link if isinstance(link, str) and link.startswith(("http://", "https://")) else None,
                outlet=outlet,
            )
        )
    if not articles:
        raise SourceError(source, "a feed whose items hold no text")
    return articles


def fill_from_linked_pages(
    items: list[RawArticle],
    read_page: Callable[[str], RawArticle],
    max_pages: int,
    short_item_words: int = SHORT_ITEM_WORDS,
    deadline: float | None = None,
) -> list[RawArticle]:
    """Replace the text of items that carry only a teaser by the article on their linked page.

    At most `max_pages` pages are read, and none once `time.monotonic()` has passed `deadline`; an item
    whose page cannot be read (or is not read) keeps its teaser.
    """
    filled = []
    budget = max_pages
    for item in items:
        if budget > 0 and item.url and len(item.text.split()) < short_item_words:
            if deadline is not None and time.monotonic() >= deadline:
                # Slow pages must not hold a feed's read (and the worker thread running it) for minutes.
                _log.info("%s: no more linked pages read: the read has used its time", item.source)
                budget = 0
                filled.append(item)
                continue
            budget -= 1
            try:
                page = read_page(item.url)
            except SourceError as exc:
                _log.info("%s: keeping the feed's summary; the linked page: %s", item.source, exc.reason)
            else:
                if len(page.text.split()) > len(item.text.split()):
                    item = RawArticle(
                        source=item.source,
                        text=page.text,
                        title=item.title or page.title,
                        published=item.published or page.published,
                        url=item.url,
                        outlet=item.outlet or page.outlet,
                    )
        filled.append(item)
    return filled
