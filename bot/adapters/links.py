"""Links briefbot builds itself, on every platform: only plain http(s), and showing the host they go to.

An article's address is linked only when it is http(s) without a user name ("https://bank.example@evil.example"
shows one host and opens another) and without control characters; its host is shown in ASCII (an
internationalised name as punycode, so no look-alike letters) after the link's text. Each adapter escapes
the text for its own markup and writes the link in its own syntax.
"""

from __future__ import annotations

import re
from urllib.parse import quote, urlsplit, urlunsplit

HOST_SEPARATOR = " · "

_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
# Kept as they are in a link's address; everything else (spaces, brackets, "|", "<", ">") is
# percent-encoded, so no platform's link syntax can end the address early.
_URL_SAFE = "/:?#&=+;,%@!$'*~-._"


def link_host(url: str) -> str | None:
    """The host an http(s) address goes to, in ASCII; None for an address briefbot does not link."""
    try:
        parts = urlsplit(url.strip())
        host = parts.hostname
        parts.port  # noqa: B018 - raises on a port that is not a number
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not host or parts.username is not None:
        return None
    if _CONTROL.search(url):
        return None
    try:
        return host.encode("idna").decode("ascii").lower()
    except UnicodeError:
        return None  # not a name a browser could go to either


def link_target(url: str) -> str | None:
    """The address as written inside a link briefbot builds, or None when it is not linked."""
    host = link_host(url)
    if host is None:
        return None
    parts = urlsplit(url.strip())
    netloc = f"[{host}]" if ":" in host else host
    if parts.port is not None:
        netloc += f":{parts.port}"
    return urlunsplit(
        (
            parts.scheme.lower(),
            netloc,
            quote(parts.path, safe=_URL_SAFE),
            quote(parts.query, safe=_URL_SAFE),
            quote(parts.fragment, safe=_URL_SAFE),
        )
    )
