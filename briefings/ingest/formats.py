"""Readers for each kind of article file: plain text, HTML, JSON and RSS/Atom feeds."""

from __future__ import annotations

import json
from typing import Any

import feedparser
import trafilatura

from briefings.ingest.dates import parse_published
from briefings.ingest.errors import SourceError
from briefings.ingest.raw import RawArticle

TEXT_SUFFIXES = (".txt", ".text")
HTML_SUFFIXES = (".html", ".htm")
JSON_SUFFIXES = (".json",)
FEED_SUFFIXES = (".xml", ".rss", ".atom")
KNOWN_SUFFIXES = TEXT_SUFFIXES + HTML_SUFFIXES + JSON_SUFFIXES + FEED_SUFFIXES

_MAX_TITLE_CHARS = 200


def decode_text(source: str, data: bytes) -> str:
    """Decode UTF-8 bytes (a BOM is allowed); binary data is refused."""
    if b"\x00" in data[:8192]:
        raise SourceError(source, "binary data, not text (give a .txt, .html, .json or feed file)")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise SourceError(source, f"not UTF-8 text (byte {exc.start} cannot be decoded)") from exc


def read_plain_text(source: str, text: str) -> list[RawArticle]:
    """A plain-text article; a short first line followed by more text is its title."""
    first, _, rest = text.lstrip("\ufeff").partition("\n")
    title = None
    if (
        rest.strip()
        and 0 < len(first.strip()) <= _MAX_TITLE_CHARS
        and not first.rstrip().endswith((".", ":"))
    ):
        title = first.strip().replace("\\'", "'").replace('\\"', '"')
    return [RawArticle(source=source, text=text, title=title)]


def read_html(source: str, html: str, url: str | None = None) -> list[RawArticle]:
    """The main text of an HTML page (trafilatura); a page with no article text is refused."""
    extracted = trafilatura.bare_extraction(
        html, url=url, with_metadata=True, include_comments=False, include_tables=False
    )
    text = getattr(extracted, "text", None) if extracted is not None else None
    if not text or len(text.split()) < 20:
        raise SourceError(source, "an HTML page with no article text in it")
    return [
        RawArticle(
            source=source,
            text=text,
            title=getattr(extracted, "title", None) or None,
            published=parse_published(getattr(extracted, "date", None)),
            url=url or getattr(extracted, "url", None),
            outlet=getattr(extracted, "sitename", None) or getattr(extracted, "hostname", None),
        )
    ]


def _article_from_object(source: str, obj: Any) -> RawArticle:
    if not isinstance(obj, dict):
        raise SourceError(source, "a JSON article must be an object with a 'text' field")
    text = obj.get("text")
    if not isinstance(text, str):
        raise SourceError(source, "a JSON article needs a 'text' field holding a string")
    title = obj.get("title")
    return RawArticle(
        source=source,
        text=text,
        title=title if isinstance(title, str) and title.strip() else None,
        published=parse_published(obj.get("published")),
        url=obj.get("url") if isinstance(obj.get("url"), str) else None,
        outlet=obj.get("source") if isinstance(obj.get("source"), str) else None,
    )


def read_json(source: str, text: str) -> list[RawArticle]:
    """A JSON article {"title", "text", "published", "url", "source"} or a list of them."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise SourceError(source, f"not valid JSON ({exc.msg} at line {exc.lineno})") from exc
    items = data if isinstance(data, list) else [data]
    if not items:
        raise SourceError(source, "an empty JSON list: no article in it")
    if len(items) == 1:
        return [_article_from_object(source, items[0])]
    return [_article_from_object(f"{source}#{i}", item) for i, item in enumerate(items)]


def _entry_text(entry: Any) -> str:
    contents = entry.get("content") or []
    html = contents[0].get("value", "") if contents else entry.get("summary", "")
    if "<" in html:
        extracted = trafilatura.extract(html, include_comments=False, favor_recall=True)
        if extracted:
            return str(extracted)
        from lxml import html as lxml_html

        return str(lxml_html.fromstring(html).text_content())
    return str(html)


def read_feed(source: str, data: bytes) -> list[RawArticle]:
    """Every item of an RSS or Atom feed, with its text as the feed gives it."""
    parsed = feedparser.parse(data)
    if not parsed.entries:
        reason = "not an RSS or Atom feed"
        if parsed.get("bozo") and parsed.get("bozo_exception") is not None:
            reason += f" ({parsed.bozo_exception})"
        elif parsed.get("feed"):
            reason = "a feed with no items"
        raise SourceError(source, reason)
    outlet = parsed.feed.get("title") if parsed.get("feed") else None
    articles = []
    for i, entry in enumerate(parsed.entries):
        text = _entry_text(entry).strip()
        title = entry.get("title")
        if title and not text.startswith(title):
            text = f"{title}\n{text}" if text else title
        if not text:
            continue
        articles.append(
            RawArticle(
                source=f"{source}#{i}",
                text=text,
                title=title,
                published=parse_published(entry.get("published") or entry.get("updated")),
                url=entry.get("link"),
                outlet=outlet,
            )
        )
    if not articles:
        raise SourceError(source, "a feed whose items hold no text")
    return articles


def read_bytes(source: str, data: bytes, suffix: str, url: str | None = None) -> list[RawArticle]:
    """Read articles from the bytes of a file of the given kind (by suffix)."""
    if not data.strip():
        raise SourceError(source, "empty: there is no text in it")
    if suffix in FEED_SUFFIXES:
        return read_feed(source, data)
    text = decode_text(source, data)
    if suffix in JSON_SUFFIXES:
        return read_json(source, text)
    if suffix in HTML_SUFFIXES:
        return read_html(source, text, url=url)
    return read_plain_text(source, text)
