"""Fetch a URL: bounded in size and time, only from permitted addresses, with conditional GET for pollers.

Synchronous on purpose: the engine is synchronous, and the bot calls it from a thread pool.
"""

from __future__ import annotations

import email.utils
import logging
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from urllib.parse import urljoin, urlsplit

import httpx

from briefings.ingest.errors import FetchError, RefusedAddressError
from briefings.ingest.netpolicy import (
    AddressNotAllowed,
    AddressPolicy,
    AllowedAddress,
    HostNotResolved,
    Resolver,
    VettedTransport,
    system_resolver,
)

_log = logging.getLogger(__name__)

USER_AGENT = "briefbot/0.1 (+https://github.com/briefbot/briefbot; news briefing bot)"
ACCEPT = (
    "text/html,application/xhtml+xml,application/rss+xml,application/atom+xml,"
    "application/xml;q=0.9,application/json;q=0.9,text/plain;q=0.8,*/*;q=0.5"
)
_REDIRECTS = frozenset({301, 302, 303, 307, 308})
# Answers after which trying again later may succeed.
_TRANSIENT_STATUS = frozenset({408, 425, 429, 500, 502, 503, 504})


@dataclass(frozen=True)
class FetchPolicy:
    """Limits on fetching: size, time, redirects, User-Agent, and which addresses may be reached."""

    max_bytes: int = 5 * 1024 * 1024
    timeout_s: float = 10.0
    # The whole transfer, so that a server dripping one byte at a time cannot hold a worker for ever.
    total_timeout_s: float = 60.0
    max_redirects: int = 5
    allow_private: bool = False
    # Exact exceptions to the public-only rule ("10.1.2.3:8080", "10.1.0.0/16"), for an operator's own server.
    allowed_addresses: tuple[str, ...] = ()
    user_agent: str = USER_AGENT
    resolver: Resolver = field(default=system_resolver, compare=False, repr=False)

    def address_policy(self) -> AddressPolicy:
        """The address rules of this policy."""
        return AddressPolicy(
            allow_private=self.allow_private,
            allowed=tuple(AllowedAddress.parse(entry) for entry in self.allowed_addresses),
        )


@dataclass(frozen=True)
class FetchResult:
    """What a GET brought back: the body (empty when not modified) and the validators for the next poll."""

    url: str
    status: int
    content: bytes
    content_type: str
    etag: str | None = None
    last_modified: str | None = None
    not_modified: bool = False

    @property
    def charset(self) -> str | None:
        """The charset the server declared for the body, if any."""
        for parameter in self.content_type.split(";")[1:]:
            name, _, value = parameter.partition("=")
            if name.strip().lower() == "charset" and value.strip():
                return value.strip().strip("\"'")
        return None


# The name the first version used.
FetchedPage = FetchResult


def make_client(policy: FetchPolicy) -> httpx.Client:
    """An httpx client that connects only to addresses the policy permits; share it across fetches."""
    return httpx.Client(
        transport=VettedTransport(policy.address_policy(), policy.resolver),
        timeout=httpx.Timeout(policy.timeout_s),
        headers={"User-Agent": policy.user_agent, "Accept": ACCEPT},
        trust_env=False,
        follow_redirects=False,
    )


def _retry_after_s(value: str | None) -> float | None:
    """Seconds from a Retry-After header (a number of seconds or an HTTP date)."""
    if not value:
        return None
    if value.strip().isdigit():
        return float(value.strip())
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - datetime.now(UTC)).total_seconds())


def _refusal(url: str, current: str, exc: AddressNotAllowed) -> RefusedAddressError:
    hint = "briefbot fetches only public addresses (set BRIEFBOT_ALLOW_PRIVATE_URLS to change that)"
    where = exc.address if exc.host == exc.address else f"{exc.host}, which resolves to {exc.address},"
    if current == url:
        reason = f"refused: {where} is a private, loopback or reserved address; {hint}"
    else:
        reason = (
            f"refused: it redirects to {current}, a private, loopback or reserved address "
            f"({exc.address}); {hint}"
        )
    return RefusedAddressError(url, reason)


def _read_body(url: str, response: httpx.Response, policy: FetchPolicy, started: float) -> bytes:
    declared = response.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > policy.max_bytes:
        raise FetchError(
            url, f"{int(declared) / 1e6:.1f} MB is more than the {policy.max_bytes / 1e6:.1f} MB fetch limit"
        )
    body = bytearray()
    # Decoded bytes are counted, so a small compressed body that inflates past the limit is refused too.
    for chunk in response.iter_bytes():
        body.extend(chunk)
        if len(body) > policy.max_bytes:
            raise FetchError(
                url, f"more than the {policy.max_bytes / 1e6:.1f} MB fetch limit: the page is too large"
            )
        if time.monotonic() - started > policy.total_timeout_s:
            raise FetchError(url, f"took more than {policy.total_timeout_s:g} s to download", transient=True)
    return bytes(body)


def _check_scheme(url: str, original: str) -> None:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        if url == original:
            reason = "a URL without a host" if parts.scheme in ("http", "https") else "not an http(s) URL"
            raise FetchError(original, reason)
        raise FetchError(original, f"it redirects to {url!r}, which is not an http(s) URL")


def fetch_url(
    url: str,
    policy: FetchPolicy | None = None,
    client: httpx.Client | None = None,
    *,
    etag: str | None = None,
    last_modified: str | None = None,
    user_agent: str | None = None,
) -> FetchResult:
    """GET a URL within the policy's limits, following redirects only to permitted addresses.

    With `etag`/`last_modified` from an earlier fetch the request is conditional, and a 304 answer comes
    back as a result with `not_modified` set. Pass a `client` from `make_client` to reuse connections;
    a client made otherwise does not vet addresses.
    """
    policy = policy or FetchPolicy()
    http = client or make_client(policy)
    headers = {"User-Agent": user_agent or policy.user_agent}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    started = time.monotonic()
    current = url
    try:
        for _ in range(policy.max_redirects + 1):
            _check_scheme(current, url)
            try:
                with http.stream("GET", current, headers=headers, follow_redirects=False) as response:
                    if response.status_code in _REDIRECTS and "location" in response.headers:
                        current = urljoin(str(response.url), response.headers["location"])
                        continue
                    validators = {
                        "etag": response.headers.get("etag"),
                        "last_modified": response.headers.get("last-modified"),
                    }
                    if response.status_code == 304:
                        return FetchResult(
                            url=str(response.url),
                            status=304,
                            content=b"",
                            content_type=response.headers.get("content-type", ""),
                            etag=validators["etag"] or etag,
                            last_modified=validators["last_modified"] or last_modified,
                            not_modified=True,
                        )
                    if response.status_code >= 400:
                        raise FetchError(
                            url,
                            f"the server answered {response.status_code} {response.reason_phrase}".rstrip(),
                            status=response.status_code,
                            retry_after_s=_retry_after_s(response.headers.get("retry-after")),
                            transient=response.status_code in _TRANSIENT_STATUS,
                        )
                    return FetchResult(
                        url=str(response.url),
                        status=response.status_code,
                        content=_read_body(url, response, policy, started),
                        content_type=response.headers.get("content-type", ""),
                        **validators,
                    )
            except (httpx.InvalidURL, UnicodeError) as exc:
                raise FetchError(url, f"not a valid URL ({exc})") from exc
            except AddressNotAllowed as exc:
                raise _refusal(url, current, exc) from exc
            except HostNotResolved as exc:
                raise FetchError(url, str(exc), transient=True) from exc
            except httpx.TimeoutException as exc:
                raise FetchError(url, f"timed out after {policy.timeout_s:g} s", transient=True) from exc
            except httpx.HTTPError as exc:
                raise FetchError(
                    url, f"could not be fetched ({exc.__class__.__name__}: {exc})", transient=True
                ) from exc
        raise FetchError(url, f"more than {policy.max_redirects} redirects")
    finally:
        if client is None:
            http.close()
