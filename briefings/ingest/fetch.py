"""Fetch a URL a user named: bounded in size and time, and never to a private or loopback address."""

from __future__ import annotations

import ipaddress
import socket
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

import httpx

from briefings.ingest.errors import SourceError

USER_AGENT = "briefbot/0.1 (+https://github.com/briefbot/briefbot; news briefing bot)"


@dataclass(frozen=True)
class FetchPolicy:
    """Limits on fetching: size, time, redirects, and whether private addresses are allowed."""

    max_bytes: int = 5 * 1024 * 1024
    timeout_s: float = 10.0
    max_redirects: int = 5
    allow_private: bool = False
    user_agent: str = USER_AGENT


@dataclass(frozen=True)
class FetchedPage:
    """The body of a fetched URL and what the server said of it."""

    url: str
    content: bytes
    content_type: str


def check_public_url(url: str, policy: FetchPolicy) -> None:
    """Refuse URLs that are not http(s) or whose host resolves to a private, loopback or reserved address."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise SourceError(url, "only http:// and https:// URLs can be fetched")
    if policy.allow_private:
        return
    try:
        infos = socket.getaddrinfo(parts.hostname, parts.port or 0, type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        raise SourceError(url, f"the host {parts.hostname!r} cannot be resolved ({exc.strerror})") from exc
    for info in infos:
        address = ipaddress.ip_address(info[4][0])
        if not address.is_global:
            raise SourceError(
                url,
                f"refused: {parts.hostname} is a private or loopback address ({address}); "
                "briefbot fetches only public addresses",
            )


def fetch_url(url: str, policy: FetchPolicy | None = None, client: httpx.Client | None = None) -> FetchedPage:
    """GET a public URL, following redirects only to public addresses, within the size and time limits."""
    policy = policy or FetchPolicy()
    own_client = client is None
    http = client or httpx.Client(timeout=policy.timeout_s, headers={"User-Agent": policy.user_agent})
    try:
        current = url
        for _ in range(policy.max_redirects + 1):
            check_public_url(current, policy)
            try:
                with http.stream("GET", current, follow_redirects=False) as response:
                    if response.is_redirect:
                        location = response.headers.get("location", "")
                        current = urljoin(current, location)
                        continue
                    if response.status_code >= 400:
                        raise SourceError(
                            url, f"the server answered {response.status_code} {response.reason_phrase}"
                        )
                    declared = int(response.headers.get("content-length") or 0)
                    if declared > policy.max_bytes:
                        raise SourceError(url, f"{declared / 1e6:.1f} MB is more than the fetch limit")
                    body = bytearray()
                    for chunk in response.iter_bytes():
                        body.extend(chunk)
                        if len(body) > policy.max_bytes:
                            raise SourceError(
                                url,
                                f"more than {policy.max_bytes / 1e6:.0f} MB: the page is too large to fetch",
                            )
                    return FetchedPage(
                        url=str(response.url),
                        content=bytes(body),
                        content_type=response.headers.get("content-type", ""),
                    )
            except httpx.TimeoutException as exc:
                raise SourceError(url, f"timed out after {policy.timeout_s:.0f} s") from exc
            except httpx.HTTPError as exc:
                raise SourceError(url, f"could not be fetched ({exc.__class__.__name__}: {exc})") from exc
        raise SourceError(url, f"more than {policy.max_redirects} redirects")
    finally:
        if own_client:
            http.close()
