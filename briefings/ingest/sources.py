"""Turn the sources a user names (files, folders, URLs, standard input) into articles."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from briefings.ingest.errors import SourceError
from briefings.ingest.fetch import FetchPolicy, fetch_url
from briefings.ingest.formats import FEED_SUFFIXES, KNOWN_SUFFIXES, read_bytes
from briefings.ingest.raw import RawArticle

MAX_ARTICLE_CHARS = 500_000
MAX_FILE_BYTES = 20 * 1024 * 1024


@dataclass(frozen=True)
class ReadOptions:
    """Limits on what is read."""

    max_article_chars: int = MAX_ARTICLE_CHARS
    max_file_bytes: int = MAX_FILE_BYTES
    fetch: FetchPolicy = field(default_factory=FetchPolicy)


def _sniff_suffix(data: bytes, default: str) -> str:
    head = data[:2048].lstrip().lower()
    if head.startswith(b"<?xml") or b"<rss" in head or b"<feed" in head or b"<rdf:rdf" in head:
        return ".xml"
    if head.startswith((b"<!doctype html", b"<html")) or b"<body" in head:
        return ".html"
    if head[:1] in (b"{", b"["):
        return ".json"
    return default


def _read_file(path: Path, source: str, options: ReadOptions) -> list[RawArticle]:
    try:
        size = path.stat().st_size
        if size > options.max_file_bytes:
            raise SourceError(
                source,
                f"{size / 1e6:.1f} MB is more than the {options.max_file_bytes / 1e6:.0f} MB a file may have",
            )
        data = path.read_bytes()
    except OSError as exc:
        raise SourceError(source, exc.strerror or str(exc)) from exc
    suffix = path.suffix.lower()
    if suffix not in KNOWN_SUFFIXES:
        suffix = _sniff_suffix(data, ".txt")
    return read_bytes(source, data, suffix)


def _check_size(article: RawArticle, options: ReadOptions) -> RawArticle:
    if len(article.text) > options.max_article_chars:
        raise SourceError(
            article.source,
            f"{len(article.text):,} characters is more than the {options.max_article_chars:,} one article may "
            "have (split it into articles, or raise BRIEFBOT_MAX_ARTICLE_CHARS)",
        )
    if not article.text.strip():
        raise SourceError(article.source, "empty: there is no text in it")
    return article


def _read_spec(spec: str, options: ReadOptions, stdin: Callable[[], bytes]) -> list[RawArticle]:
    if spec.startswith(("http://", "https://")):
        page = fetch_url(spec, options.fetch)
        suffix = _sniff_suffix(page.content, ".html")
        if any(kind in page.content_type for kind in ("rss", "atom", "xml")):
            suffix = FEED_SUFFIXES[0]
        return read_bytes(spec, page.content, suffix, url=page.url)
    if spec == "-":
        data = stdin()
        return read_bytes("-", data, _sniff_suffix(data, ".txt"))
    path = Path(spec)
    if not path.exists():
        raise SourceError(spec, "no such file or folder")
    return _read_file(path, spec, options)


def _files_of(spec: str) -> list[str]:
    """The files a source names: the files of a folder, else the source itself."""
    path = Path(spec)
    if spec.startswith(("http://", "https://")) or spec == "-" or not path.is_dir():
        return [spec]
    files = sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in KNOWN_SUFFIXES)
    if not files:
        raise SourceError(spec, "a folder with no .txt, .html, .json or feed file in it")
    return [str(p) for p in files]


def read_sources(
    specs: list[str],
    options: ReadOptions | None = None,
    stdin: Callable[[], bytes] = lambda: sys.stdin.buffer.read(),
) -> Iterator[RawArticle | SourceError]:
    """Yield every article of the named sources, and an error for each source (or item) that cannot be used."""
    options = options or ReadOptions()
    for spec in specs:
        try:
            files = _files_of(spec)
        except SourceError as exc:
            yield exc
            continue
        for file in files:
            try:
                articles = _read_spec(file, options, stdin)
            except SourceError as exc:
                yield exc
                continue
            for article in articles:
                try:
                    yield _check_size(article, options)
                except SourceError as exc:
                    yield exc
