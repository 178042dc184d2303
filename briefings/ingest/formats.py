"""Readers for each kind of article file: plain text, HTML and JSON (feeds are in `feeds`)."""

from __future__ import annotations

import json
import logging
from typing import Any

from briefings.ingest.cleaning import clean_text
from briefings.ingest.dates import parse_published
from briefings.ingest.errors import SourceError
from briefings.ingest.feeds import read_feed
from briefings.ingest.raw import RawArticle

_log = logging.getLogger(__name__)

TEXT_SUFFIXES = (".txt", ".text")
HTML_SUFFIXES = (".html", ".htm", ".xhtml")
JSON_SUFFIXES = (".json",)
FEED_SUFFIXES = (".xml", ".rss", ".atom")
KNOWN_SUFFIXES = TEXT_SUFFIXES + HTML_SUFFIXES + JSON_SUFFIXES + FEED_SUFFIXES

_MAX_TITLE_CHARS = 200
# A page whose main text is shorter than this is a menu, a login form or a cookie wall, not an article.
MIN_PAGE_WORDS = 15

# The first bytes of common binary formats, for a message that says what the file is.
_MAGIC = (
    (b"%PDF-", "a PDF document"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"PK\x03\x04", "a ZIP archive (or a Word/OpenDocument file)"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"\xd0\xcf\x11\xe0", "an old Microsoft Office document"),
    (b"\x7fELF", "a program"),
)


def describe_binary(data: bytes) -> str | None:
    """What a binary file is ("a PDF document"), or None when the bytes look like text."""
    for magic, name in _MAGIC:
        if data.startswith(magic):
            return name
    if b"\x00" in data[:8192]:
        return "binary data"
    return None


def decode_text(source: str, data: bytes, charset: str | None = None) -> str:
    """Decode text (UTF-8, or the charset a server declared); binary data and other encodings are refused.

    A byte-order mark is kept as a character so that offsets count it, as any UTF-8 reader would.
    """
    kind = describe_binary(data)
    if kind is not None:
        raise SourceError(source, f"{kind}, not text (give a .txt, .html, .json or feed file)")
    if charset and charset.lower().replace("_", "-") not in ("utf-8", "utf8"):
        try:
            return data.decode(charset)
        except (LookupError, UnicodeDecodeError):
            _log.debug("%s: declared charset %r does not decode it; trying UTF-8", source, charset)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise SourceError(
            source, f"not UTF-8 text (byte {exc.start} cannot be decoded; save the file as UTF-8)"
        ) from exc


def read_plain_text(source: str, text: str) -> list[RawArticle]:
    """A plain-text article; a short first line followed by more text is its title."""
    first, _, rest = text.lstrip("\ufeff \t\r\n").partition("\n")
    title = None
    first = first.strip()
    if rest.strip() and 0 < len(first) <= _MAX_TITLE_CHARS and not first.endswith((".", ":", ",", ";")):
        title = clean_text(first).text.strip() or None
    return [RawArticle(source=source, text=text, title=title)]


def _text_or_none(value: object) -> str | None:
    return value.strip() if isinstance(value, str) and value.strip() else None


def read_html(source: str, page: str | bytes, url: str | None = None) -> list[RawArticle]:
    """The main text of an HTML page (trafilatura) with its title, date and site; no article is refused."""
    import trafilatura

    extracted = trafilatura.bare_extraction(
        page,
        url=url,
        with_metadata=True,
        include_comments=False,
        include_tables=False,
        date_extraction_params={"original_date": True, "extensive_search": False},
    )
    text = _text_or_none(getattr(extracted, "text", None)) if extracted is not None else None
    if not text or len(text.split()) < MIN_PAGE_WORDS:
        raise SourceError(source, "an HTML page with no article text in it")
    return [
        RawArticle(
            source=source,
            text=text,
            title=_text_or_none(getattr(extracted, "title", None)),
            published=parse_published(getattr(extracted, "date", None)),
            url=url or _text_or_none(getattr(extracted, "url", None)),
            outlet=_text_or_none(getattr(extracted, "sitename", None))
            or _text_or_none(getattr(extracted, "hostname", None)),
        )
    ]


def _article_from_object(source: str, obj: Any) -> RawArticle:
    if not isinstance(obj, dict):
        raise SourceError(source, "a JSON article must be an object with a 'text' field")
    text = obj.get("text")
    if not isinstance(text, str):
        raise SourceError(source, "a JSON article needs a 'text' field holding a string")
    published = parse_published(obj.get("published"))
    if published is None and obj.get("published") not in (None, ""):
        _log.warning("%s: 'published' %r is not a date; it is ignored", source, obj.get("published"))
    return RawArticle(
        source=source,
        text=text,
        title=_text_or_none(obj.get("title")),
        published=published,
        url=_text_or_none(obj.get("url")),
        outlet=_text_or_none(obj.get("source")),
    )


def read_json(source: str, text: str) -> list[RawArticle]:
    """A JSON article {"title", "text", "published", "url", "source"} or a list of them."""
    try:
        data = json.loads(text.lstrip("\ufeff"))
    except json.JSONDecodeError as exc:
        raise SourceError(source, f"not valid JSON ({exc.msg} at line {exc.lineno})") from exc
    except RecursionError as exc:
        raise SourceError(source, "not valid JSON (nested too deeply)") from exc
    if isinstance(data, list):
        if not data:
            raise SourceError(source, "an empty JSON list: no article in it")
        return [_article_from_object(f"{source}#{i}", item) for i, item in enumerate(data)]
    return [_article_from_object(source, data)]


def sniff_suffix(data: bytes, default: str) -> str:
    """The kind of file some bytes look like, as a suffix (".xml" for feeds), else the default."""
    head = data[:2048].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if b"<rss" in head or b"<feed" in head or b"<rdf:rdf" in head:
        return ".xml"
    if head.startswith((b"<!doctype html", b"<html")) or b"<body" in head or b"<head" in head:
        return ".html"
    if head.startswith(b"<?xml"):
        return ".xml"
    if head[:1] in (b"{", b"["):
        return ".json"
    return default


def read_bytes(
    source: str, data: bytes, suffix: str, url: str | None = None, charset: str | None = None
) -> list[RawArticle]:
    """Read articles from the bytes of a file of the given kind (by suffix)."""
    if not data.strip():
        raise SourceError(source, "empty: there is no text in it")
    if suffix in FEED_SUFFIXES:
        kind = describe_binary(data)
        if kind is not None:
            raise SourceError(source, f"{kind}, not an RSS or Atom feed")
        return read_feed(source, data)
    if suffix in HTML_SUFFIXES:
        kind = describe_binary(data)
        if kind is not None:
            raise SourceError(source, f"{kind}, not an HTML page")
        try:
            page: str | bytes = decode_text(source, data, charset)
        except SourceError:
            page = data  # trafilatura finds the encoding a page declares in its <meta> tag
        return read_html(source, page, url=url)
    text = decode_text(source, data, charset)
    if suffix in JSON_SUFFIXES:
        return read_json(source, text)
    return read_plain_text(source, text)
