"""What reading may do: limits on sizes and fetching, and what is done beyond reading."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from briefings.ingest.fetch import FetchPolicy

MAX_ARTICLE_CHARS = 500_000
MAX_FILE_BYTES = 20 * 1024 * 1024


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
