"""Turn the sources a user names (files, folders, URLs, standard input) into articles, or say why not."""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

from briefings.ingest.checks import check_article
from briefings.ingest.errors import SourceError
from briefings.ingest.fetch import make_client
from briefings.ingest.formats import KNOWN_SUFFIXES, read_bytes, sniff_suffix
from briefings.ingest.options import MAX_ARTICLE_CHARS, MAX_FILE_BYTES, ReadOptions
from briefings.ingest.raw import RawArticle
from briefings.ingest.urls import read_url

_log = logging.getLogger(__name__)

_URL_PREFIXES = ("http://", "https://")

__all__ = [
    "MAX_ARTICLE_CHARS",
    "MAX_FILE_BYTES",
    "ReadOptions",
    "check_article",
    "list_source_files",
    "read_sources",
]


def is_url(spec: str) -> bool:
    """True for an http(s) URL."""
    return spec.startswith(_URL_PREFIXES)


def _os_reason(exc: OSError) -> str:
    if isinstance(exc, PermissionError):
        return "cannot be read: permission denied"
    if isinstance(exc, IsADirectoryError):
        return "a folder where a file was expected"
    return f"cannot be read: {(exc.strerror or str(exc)).lower()}"


def _read_url(spec: str, options: ReadOptions) -> list[RawArticle]:
    with make_client(options.fetch) as client:
        return read_url(spec, options, client).articles


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
            except Exception as exc:  # a reader library failing on odd input must not end the whole run
                _log.debug("reading %s failed", file, exc_info=True)
                yield SourceError(file, f"could not be read ({exc.__class__.__name__}: {exc})")
                continue
            finally:
                if options.on_source_read is not None:
                    options.on_source_read(file)
            for article in articles:
                try:
                    yield check_article(article, options)
                except SourceError as exc:
                    yield exc
