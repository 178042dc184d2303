"""Which network addresses briefbot may fetch from, enforced where connections are opened.

A URL names a host; the host's addresses are resolved once, every one of them is vetted, and the connection
is opened to a vetted address. Vetting the name and then letting the HTTP library resolve it again would let
a hostile DNS server answer "public" to the check and "127.0.0.1" to the connection (DNS rebinding); here
the library never resolves anything itself. TLS still verifies the certificate of the host named in the
URL, and the Host header still names it, because only the socket's address is chosen here.
"""

from __future__ import annotations

import ipaddress
import logging
import socket
import typing
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import httpcore
import httpx

_log = logging.getLogger(__name__)

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network
# host, port -> the host's addresses, as text
Resolver = Callable[[str, int], list[str]]
SocketOption = tuple[int, int, int] | tuple[int, int, bytes | bytearray] | tuple[int, int, None, int]


# The well-known NAT64 prefix: its last 32 bits are the IPv4 address a NAT64 gateway connects to.
_NAT64 = ipaddress.IPv6Network("64:ff9b::/96")

# Denied whatever `is_global` says: the standard library's tables differ between Python versions (3.11
# counts 192.0.0.8, 192.88.99.1 and fec0::1 as global) and lag the IANA special-purpose address registries.
# A news site never lives in any of these.
_DENIED = tuple(
    ipaddress.ip_network(n)
    for n in (
        # IPv4 (IANA IPv4 Special-Purpose Address Registry)
        "0.0.0.0/8",  # "this network"
        "10.0.0.0/8",  # private
        "100.64.0.0/10",  # shared address space (carrier-grade NAT)
        "127.0.0.0/8",  # loopback
        "169.254.0.0/16",  # link-local (cloud metadata)
        "172.16.0.0/12",  # private
        "192.0.0.0/24",  # IETF protocol assignments (192.0.0.8, PCP and TURN anycast, DS-Lite)
        "192.0.2.0/24",  # documentation (TEST-NET-1)
        "192.88.99.0/24",  # 6to4 relay anycast (deprecated)
        "192.168.0.0/16",  # private
        "198.18.0.0/15",  # benchmarking
        "198.51.100.0/24",  # documentation (TEST-NET-2)
        "203.0.113.0/24",  # documentation (TEST-NET-3)
        "224.0.0.0/4",  # multicast
        "240.0.0.0/4",  # reserved, and 255.255.255.255 (limited broadcast) within it
        # IPv6 (IANA IPv6 Special-Purpose Address Registry); ::ffff:0:0/96, 2002::/16, 2001::/32 and
        # 64:ff9b::/96 are judged by the IPv4 address they carry, before this list.
        "::/128",  # unspecified
        "::1/128",  # loopback
        "::/96",  # IPv4-compatible (deprecated)
        "64:ff9b:1::/48",  # local-use NAT64: its IPv4 address is not at a fixed place
        "100::/64",  # discard-only
        "2001::/23",  # IETF protocol assignments (benchmarking, ORCHID, …)
        "2001:db8::/32",  # documentation
        "3fff::/20",  # documentation
        "5f00::/16",  # segment routing (SRv6) SIDs
        "fc00::/7",  # unique local
        "fe80::/10",  # link-local
        "fec0::/10",  # site-local (deprecated)
        "ff00::/8",  # multicast
    )
)


class AddressNotAllowed(Exception):
    """A host that resolves to an address the policy forbids."""

    def __init__(self, host: str, address: str) -> None:
        super().__init__(f"{host} resolves to {address}, a private, loopback or reserved address")
        self.host = host
        self.address = address


class HostNotResolved(Exception):
    """A host name that has no address."""

    def __init__(self, host: str, detail: str) -> None:
        super().__init__(f"the host {host!r} cannot be resolved ({detail})")
        self.host = host


def is_public_address(address: IPAddress) -> bool:
    """True for globally routable unicast addresses: not private, loopback, link-local, multicast, reserved,
    documentation, benchmarking or any other special-purpose range (checked against `_DENIED` too)."""
    if isinstance(address, ipaddress.IPv6Address):
        # An IPv6 address can carry an IPv4 one (mapped, 6to4, Teredo); the IPv4 one is what is reached.
        embedded = address.ipv4_mapped or address.sixtofour or (address.teredo[1] if address.teredo else None)
        if embedded is None and address in _NAT64:
            embedded = ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
        if embedded is not None:
            return is_public_address(embedded)
    if any(address in network for network in _DENIED):
        return False
    return address.is_global and not (
        address.is_multicast or address.is_reserved or address.is_loopback or address.is_link_local
    )


@dataclass(frozen=True)
class AllowedAddress:
    """An exception to the public-only rule: a network, and optionally the one port allowed on it."""

    network: IPNetwork
    port: int | None = None

    @classmethod
    def parse(cls, entry: str) -> AllowedAddress:
        """Read "10.1.2.3", "10.1.0.0/16", "127.0.0.1:8080" or "[::1]:8080"."""
        text = entry.strip()
        port: int | None = None
        if text.startswith("["):
            host, _, rest = text[1:].partition("]")
            if rest.startswith(":"):
                port = int(rest[1:])
            text = host
        elif text.count(":") == 1:
            text, _, port_text = text.partition(":")
            port = int(port_text)
        return cls(ipaddress.ip_network(text, strict=False), port)

    def covers(self, address: IPAddress, port: int) -> bool:
        """True when this exception covers the address and port."""
        return address in self.network and (self.port is None or self.port == port)


@dataclass(frozen=True)
class AddressPolicy:
    """Public addresses only, unless the operator allows private ones (all, or a few exact ones)."""

    allow_private: bool = False
    allowed: tuple[AllowedAddress, ...] = ()

    @classmethod
    def with_allowed(cls, entries: Iterable[str], allow_private: bool = False) -> AddressPolicy:
        """A policy that also allows the given addresses ("127.0.0.1:8080", "10.0.0.0/8")."""
        return cls(allow_private=allow_private, allowed=tuple(AllowedAddress.parse(e) for e in entries))

    def permits(self, address: IPAddress, port: int) -> bool:
        """True when a connection to this address and port may be opened."""
        if self.allow_private or is_public_address(address):
            return True
        return any(allowed.covers(address, port) for allowed in self.allowed)


def system_resolver(host: str, port: int) -> list[str]:
    """The host's addresses from the operating system's resolver, in its order of preference."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        raise HostNotResolved(host, exc.strerror or str(exc)) from exc
    # An IPv6 link-local address may carry a zone ("fe80::1%eth0"); the zone is not part of the address.
    return list(dict.fromkeys(str(info[4][0]).split("%", 1)[0] for info in infos))


def vet_host(host: str, port: int, policy: AddressPolicy, resolver: Resolver = system_resolver) -> list[str]:
    """Resolve a host once and return its addresses, refusing it when any address is not permitted."""
    try:
        addresses = [ipaddress.ip_address(host.strip("[]"))]
    except ValueError:
        addresses = [ipaddress.ip_address(a) for a in resolver(host, port)]
    if not addresses:
        raise HostNotResolved(host, "no address")
    for address in addresses:
        if not policy.permits(address, port):
            raise AddressNotAllowed(host, str(address))
    return [str(a) for a in addresses]


class VettingNetworkBackend(httpcore.NetworkBackend):
    """An httpcore network backend that connects only to vetted addresses of the host asked for."""

    def __init__(
        self,
        policy: AddressPolicy,
        resolver: Resolver = system_resolver,
        inner: httpcore.NetworkBackend | None = None,
    ) -> None:
        self._policy = policy
        self._resolver = resolver
        self._inner = inner or httpcore.SyncBackend()

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: typing.Iterable[SocketOption] | None = None,
    ) -> httpcore.NetworkStream:
        """Open a TCP connection to the first vetted address of the host that answers."""
        addresses = vet_host(host, port, self._policy, self._resolver)
        options = list(socket_options or [])
        failure: httpcore.ConnectError | httpcore.ConnectTimeout | None = None
        for address in addresses:
            try:
                return self._inner.connect_tcp(address, port, timeout, local_address, options)
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                _log.debug("connecting to %s (%s) failed: %s", host, address, exc)
                failure = exc
        assert failure is not None  # vet_host never returns an empty list
        raise failure

    def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,
        socket_options: typing.Iterable[SocketOption] | None = None,
    ) -> httpcore.NetworkStream:
        """Unix sockets are local: never."""
        raise AddressNotAllowed(path, "a Unix socket")

    def sleep(self, seconds: float) -> None:
        """Sleep as the wrapped backend does."""
        self._inner.sleep(seconds)


class VettedTransport(httpx.HTTPTransport):
    """The httpx transport of every fetch: connections only to addresses the policy permits, no proxies."""

    def __init__(self, policy: AddressPolicy, resolver: Resolver = system_resolver) -> None:
        # Proxies from the environment are not used: the proxy, not briefbot, would resolve the host.
        super().__init__(trust_env=False)
        if not hasattr(self, "_pool"):  # pragma: no cover - guards against an httpx that changed inside
            raise RuntimeError("this httpx version keeps no connection pool to replace")
        self._pool = httpcore.ConnectionPool(
            ssl_context=httpx.create_ssl_context(),
            max_connections=10,
            network_backend=VettingNetworkBackend(policy, resolver),
        )
