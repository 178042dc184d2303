"""Keys that recognise the same article twice: its canonical URL and a hash of its words."""

from __future__ import annotations

import hashlib
import re
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

# Query parameters that track the reader, not the article.
_TRACKING = re.compile(r"^(utm_\w+|fbclid|gclid|mc_cid|mc_eid|ref|ref_src|cmpid|ocid|igshid|_ga)$", re.I)
_WORD = re.compile(r"\w+", re.UNICODE)


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


def content_hash(title: str | None, text: str) -> str:
    """A hash of the article's words (case, punctuation and spacing ignored): a re-post hashes the same."""
    words = _WORD.findall(f"{title or ''} {text}".lower())
    return hashlib.sha256(" ".join(words).encode()).hexdigest()
