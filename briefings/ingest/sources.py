"""Turn the sources a user names (files, folders, URLs, standard input) into articles, or say why not."""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from briefings.ingest.errors import SourceError
from briefings.ingest.feeds import fill_from_linked_pages
from briefings.ingest.fetch import FetchPolicy, FetchResult, fetch_url, make_client
from briefings.ingest.formats import FEED_SUFFIXES, KNOWN_SUFFIXES, read_bytes, read_html, sniff_suffix
from briefings.ingest.language import detect_language
from briefings.ingest.raw import RawArticle

_log = logging.getLogger(__name__)

MAX_ARTICLE_CHARS = 500_000
MAX_FILE_BYTES = 20 * 1024 * 1024
_URL_PREFIXES = ("http://", "https://")


@dataclass(frozen=True)
class ReadOptions:
    """Limits on what is read, and what is done beyond reading."""

    max_article_chars: int = MAX_ARTICLE_CHARS
    max_file_bytes: int = MAX_FILE_BYTES
    fetch: FetchPolicy = field(default_factory=FetchPolicy)
    # A feed named by URL whose items carry only a teaser: read up to this many linked pages (0: none).
    # Feeds read from files never cause a fetch.
    max_linked_pages: int = 20
    english_only: bool = True
    # Called with each file or URL once it has been read (for a progress display).
    on_source_read: Callable[[str], None] | None = field(default=None, compare=False)


def is_url(spec: str) -> bool:
    """True for an http(s) URL."""
    return spec.startswith(_URL_PREFIXES)


def _os_reason(exc: OSError) -> str:
    if isinstance(exc, PermissionError):
        return "cannot be read: permission denied"
    if isinstance(exc, IsADirectoryError):
        return "a folder where a file was expected"
    return f"cannot be read: {(exc.strerror or str(exc)).lower()}"


def _suffix_of(kind_by_type: str, data: bytes) -> str:
    """The kind of a fetched body, from the server's content type and the bytes themselves."""
    sniffed = sniff_suffix(data, "")
    if sniffed:
        return sniffed
    media_type = kind_by_type.split(";")[0].strip().lower()
    if media_type in ("text/plain",):
        return ".txt"
    if media_type.endswith("json"):
        return ".json"
    if "rss" in media_type or "atom" in media_type or media_type in ("application/xml", "text/xml"):
        return FEED_SUFFIXES[0]
    return ".html"


def _read_url(spec: str, options: ReadOptions) -> list[RawArticle]:
    with make_client(options.fetch) as client:
        page = fetch_url(spec, options.fetch, client)
        suffix = _suffix_of(page.content_type, page.content)
        articles = read_bytes(spec, page.content, suffix, url=page.url, charset=page.charset)
        if suffix in FEED_SUFFIXES and options.max_linked_pages > 0:

            def read_linked_page(url: str) -> RawArticle:
                linked: FetchResult = fetch_url(url, options.fetch, client)
                return read_html(url, linked.content, url=linked.url)[0]

            articles = fill_from_linked_pages(articles, read_linked_page, options.max_linked_pages)
        return articles


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
        raise SourceError(source, _os_reason(exc)) from exc
    suffix = path.suffix.lower()
    if suffix not in KNOWN_SUFFIXES:
        suffix = sniff_suffix(data, ".txt")
    return read_bytes(source, data, suffix)


def _read_spec(spec: str, options: ReadOptions, stdin: Callable[[], bytes]) -> list[RawArticle]:
    if is_url(spec):
        return _read_url(spec, options)
    if spec == "-":
        data = stdin()
        return read_bytes("-", data, sniff_suffix(data, ".txt"))
    path = Path(spec)
    if not path.exists():
        raise SourceError(spec, "no such file or folder")
    return _read_file(path, spec, options)


def list_source_files(spec: str) -> list[str]:
    """The files a source names: every article file in a folder (hidden ones skipped), else the source."""
    path = Path(spec)
    if is_url(spec) or spec == "-" or not path.is_dir():
        return [spec]
    problems: list[OSError] = []
    files: list[Path] = []
    for folder, subfolders, names in os.walk(path, onerror=problems.append):
        subfolders[:] = sorted(d for d in subfolders if not d.startswith("."))
        files.extend(
            Path(folder) / name
            for name in names
            if not name.startswith(".") and Path(name).suffix.lower() in KNOWN_SUFFIXES
        )
    if not files:
        if problems and Path(problems[0].filename or "") == path:
            raise SourceError(spec, _os_reason(problems[0]))
        raise SourceError(spec, "a folder with no .txt, .html, .json or feed file in it")
    for problem in problems:
        _log.warning("%s: a subfolder %s", problem.filename, _os_reason(problem))
    return [str(p) for p in sorted(files)]


def check_article(article: RawArticle, options: ReadOptions) -> RawArticle:
    """Refuse an article that is empty, too long for the pipeline, or not in English."""
    if not article.text.strip():
        raise SourceError(article.source, "empty: there is no text in it")
    if len(article.text) > options.max_article_chars:
        raise SourceError(
            article.source,
            f"{len(article.text):,} characters is more than the {options.max_article_chars:,} one article "
            "may have (split it into articles, or raise BRIEFBOT_MAX_ARTICLE_CHARS)",
        )
    if options.english_only:
        language = detect_language(article.text)
        if not language.is_english:
            raise SourceError(
                article.source,
                f"not English ({language.name}): briefbot's language pipeline reads English only",
            )
    return article


def read_sources(
    specs: list[str],
    options: ReadOptions | None = None,
    stdin: Callable[[], bytes] = lambda: sys.stdin.buffer.read(),
) -> Iterator[RawArticle | SourceError]:
    """Yield every article of the named sources, and an error for each source (or item) that cannot be used."""
    options = options or ReadOptions()
    for spec in specs:
        try:
            files = list_source_files(spec)
        except SourceError as exc:
            yield exc
            continue
        for file in files:
            try:
                articles = _read_spec(file, options, stdin)
            except SourceError as exc:
                yield exc
                continue
            finally:
                if options.on_source_read is not None:
                    options.on_source_read(file)
            for article in articles:
                try:
                    yield check_article(article, options)
                except SourceError as exc:
                    yield exc
