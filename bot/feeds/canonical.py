"""Keys that recognise the same article twice: its canonical URL and a hash of what its analysis reads."""

from __future__ import annotations

import hashlib
import re
from datetime import UTC, datetime
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

# Query parameters that track the reader, not the article.
_TRACKING = re.compile(r"^(utm_\w+|fbclid|gclid|mc_cid|mc_eid|ref|ref_src|cmpid|ocid|igshid|_ga)$", re.I)
_SPACE = re.compile(r"\s+")


def canonical_url(url: str) -> str:
    """The URL without what varies between copies of one link: case of scheme and host, default port,
    fragment, tracking parameters, parameter order and a trailing slash."""
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower()
    port = parts.port
    if port and not ((scheme == "http" and port == 80) or (scheme == "https" and port == 443)):
        host = f"{host}:{port}"
    path = re.sub(r"/{2,}", "/", parts.path or "/")
    if len(path) > 1:
        path = path.rstrip("/")
    query = urlencode(
        sorted((k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not _TRACKING.match(k))
    )
    return urlunsplit((scheme, host, path, query, ""))


def content_hash(title: str | None, text: str, published: datetime | None = None) -> str:
    """A hash of everything the engine's analysis of an article reads: its title, its text as written
    (only spacing ignored) and the publication time its feed gives (the anchor of "on Friday").

    An article stored from one feed is shared with another feed only when this matches, so another
    workspace's feed can never decide how an article reads: a copy with other casing or punctuation (which
    words read as a quote) or another date is an article of its own, analysed on its own. Reprints still
    count as one source in a story (the story index recognises near-copies).
    """
    when = "" if published is None else _as_utc(published).isoformat()
    key = "\x1f".join((_SPACE.sub(" ", title or "").strip(), _SPACE.sub(" ", text).strip(), when))
    return hashlib.sha256(key.encode()).hexdigest()


def _as_utc(value: datetime) -> datetime:
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
