"""Fetching URLs: limits, conditional GET, and no connections to private addresses unless allowed."""

from __future__ import annotations

import gzip
import ipaddress
import shutil
import ssl
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from test_ingest_support import Answer, LocalServer

from briefings.ingest.errors import FetchError, RefusedAddressError
from briefings.ingest.fetch import FetchPolicy, fetch_url
from briefings.ingest.netpolicy import AddressPolicy, AllowedAddress, is_public_address, vet_host

PAGE = b"<html><body><p>Hello from the harbour.</p></body></html>"


@pytest.fixture
def local_server() -> Iterator[LocalServer]:
    with LocalServer() as server:
        yield server


def test_loopback_is_refused_by_default(local_server: LocalServer) -> None:
    local_server.routes["/page"] = Answer(body=PAGE)
    with pytest.raises(RefusedAddressError, match=r"refused: 127\.0\.0\.1 is a private"):
        fetch_url(local_server.url("/page"))
    assert local_server.seen == []  # refused before any connection was opened


def test_localhost_by_name_is_refused_too(local_server: LocalServer) -> None:
    local_server.routes["/page"] = Answer(body=PAGE)
    with pytest.raises(RefusedAddressError, match="localhost"):
        fetch_url(f"http://localhost:{local_server.port}/page")
    assert local_server.seen == []


def test_an_allowed_address_is_fetched_with_the_user_agent(local_server: LocalServer) -> None:
    local_server.routes["/page"] = Answer(body=PAGE, headers={"Content-Type": "text/html; charset=utf-8"})
    result = fetch_url(local_server.url("/page"), local_server.policy_for())
    assert result.content == PAGE and result.status == 200 and not result.not_modified
    assert result.charset == "utf-8"
    assert local_server.seen[0].headers["user-agent"].startswith("briefbot/")


def test_allow_private_lets_every_private_address_through(local_server: LocalServer) -> None:
    local_server.routes["/page"] = Answer(body=PAGE)
    assert fetch_url(local_server.url("/page"), FetchPolicy(allow_private=True)).content == PAGE


def test_an_allowance_is_for_its_port_only(local_server: LocalServer) -> None:
    local_server.routes["/page"] = Answer(body=PAGE)
    policy = FetchPolicy(allowed_addresses=(f"127.0.0.1:{local_server.port + 1}",))
    with pytest.raises(RefusedAddressError):
        fetch_url(local_server.url("/page"), policy)


def test_a_per_request_user_agent(local_server: LocalServer) -> None:
    local_server.routes["/feed"] = Answer(body=b"<rss/>")
    fetch_url(local_server.url("/feed"), local_server.policy_for(), user_agent="Mozilla/5.0 (briefbot)")
    assert local_server.seen[0].headers["user-agent"] == "Mozilla/5.0 (briefbot)"


@pytest.mark.parametrize("target", ["http://10.0.0.1/inside", "http://127.0.0.1:{other}/inside"])
def test_a_redirect_to_a_private_address_is_refused(local_server: LocalServer, target: str) -> None:
    location = target.format(other=local_server.port + 1)
    local_server.routes["/jump"] = Answer(302, headers={"Location": location})
    with pytest.raises(RefusedAddressError, match="redirects to http://") as refused:
        fetch_url(local_server.url("/jump"), local_server.policy_for())
    assert refused.value.source == local_server.url("/jump")
    assert [seen.path for seen in local_server.seen] == ["/jump"]


def test_redirects_to_permitted_addresses_are_followed(local_server: LocalServer) -> None:
    local_server.routes["/old"] = Answer(301, headers={"Location": "/new"})
    local_server.routes["/new"] = Answer(body=PAGE)
    result = fetch_url(local_server.url("/old"), local_server.policy_for())
    assert result.content == PAGE and result.url == local_server.url("/new")


def test_a_redirect_loop_ends(local_server: LocalServer) -> None:
    local_server.routes["/loop"] = Answer(302, headers={"Location": "/loop"})
    with pytest.raises(FetchError, match="more than 2 redirects"):
        fetch_url(local_server.url("/loop"), local_server.policy_for(max_redirects=2))


def test_a_redirect_to_another_scheme_is_refused(local_server: LocalServer) -> None:
    local_server.routes["/file"] = Answer(302, headers={"Location": "file:///etc/passwd"})
    with pytest.raises(FetchError, match="not an http"):
        fetch_url(local_server.url("/file"), local_server.policy_for())


def test_a_server_that_does_not_answer_times_out(local_server: LocalServer) -> None:
    local_server.routes["/slow"] = Answer(body=PAGE, delay_s=30)
    with pytest.raises(FetchError, match="timed out") as failed:
        fetch_url(local_server.url("/slow"), local_server.policy_for(timeout_s=0.3))
    assert failed.value.transient


def test_a_server_that_drips_is_cut_off_by_the_total_limit(local_server: LocalServer) -> None:
    local_server.routes["/drip"] = Answer(body=b"x" * 200, drip_pieces=100, delay_s=0.05)
    with pytest.raises(FetchError, match="took more than"):
        fetch_url(local_server.url("/drip"), local_server.policy_for(total_timeout_s=0.2))


def test_a_declared_size_over_the_limit_is_refused(local_server: LocalServer) -> None:
    local_server.routes["/big"] = Answer(body=b"x" * 5000)
    with pytest.raises(FetchError, match="fetch limit"):
        fetch_url(local_server.url("/big"), local_server.policy_for(max_bytes=1000))


def test_an_undeclared_size_over_the_limit_is_refused_while_streaming(local_server: LocalServer) -> None:
    local_server.routes["/stream"] = Answer(body=b"x" * 5000, drip_pieces=5)
    with pytest.raises(FetchError, match="too large"):
        fetch_url(local_server.url("/stream"), local_server.policy_for(max_bytes=1000))


def test_the_size_limit_counts_decompressed_bytes(local_server: LocalServer) -> None:
    bomb = gzip.compress(b"\0" * 200_000)
    local_server.routes["/bomb"] = Answer(body=bomb, headers={"Content-Encoding": "gzip"})
    with pytest.raises(FetchError, match="too large"):
        fetch_url(local_server.url("/bomb"), local_server.policy_for(max_bytes=len(bomb) * 2))


def test_http_errors_say_the_status_and_when_to_retry(local_server: LocalServer) -> None:
    local_server.routes["/busy"] = Answer(503, b"busy", headers={"Retry-After": "120"})
    local_server.routes["/gone"] = Answer(404, b"gone")
    with pytest.raises(FetchError, match="503") as busy:
        fetch_url(local_server.url("/busy"), local_server.policy_for())
    assert busy.value.status == 503 and busy.value.retry_after_s == 120 and busy.value.transient
    with pytest.raises(FetchError, match="404") as gone:
        fetch_url(local_server.url("/gone"), local_server.policy_for())
    assert gone.value.status == 404 and not gone.value.transient


def test_conditional_get_reports_not_modified(local_server: LocalServer) -> None:
    local_server.routes["/feed"] = Answer(
        body=b"<rss/>",
        headers={"ETag": '"v7"', "Last-Modified": "Tue, 07 May 2024 08:00:00 GMT"},
        not_modified_etag='"v7"',
    )
    first = fetch_url(local_server.url("/feed"), local_server.policy_for())
    assert first.etag == '"v7"' and first.last_modified == "Tue, 07 May 2024 08:00:00 GMT"
    again = fetch_url(
        local_server.url("/feed"),
        local_server.policy_for(),
        etag=first.etag,
        last_modified=first.last_modified,
    )
    assert again.not_modified and again.status == 304 and again.content == b""
    assert again.etag == '"v7"' and again.last_modified == first.last_modified
    sent = local_server.seen[1].headers
    assert sent["if-none-match"] == '"v7"' and sent["if-modified-since"] == first.last_modified


def test_the_host_is_resolved_once_and_the_vetted_address_is_used(local_server: LocalServer) -> None:
    """DNS rebinding: the address checked is the address connected to, and the name stays in Host."""
    answers = iter([["127.0.0.1"], ["10.0.0.1"]])
    asked: list[str] = []

    def rebinding_resolver(host: str, port: int) -> list[str]:
        asked.append(host)
        return next(answers)

    local_server.routes["/page"] = Answer(body=PAGE)
    policy = local_server.policy_for(resolver=rebinding_resolver)
    result = fetch_url(f"http://news.briefbot.test:{local_server.port}/page", policy)
    assert result.content == PAGE
    assert asked == ["news.briefbot.test"]
    assert local_server.seen[0].headers["host"] == f"news.briefbot.test:{local_server.port}"


def test_a_name_with_any_private_address_is_refused() -> None:
    def mixed(host: str, port: int) -> list[str]:
        return ["93.184.216.34", "10.0.0.1"]

    with pytest.raises(RefusedAddressError, match=r"news\.briefbot\.test, which resolves to 10\.0\.0\.1"):
        fetch_url("http://news.briefbot.test/page", FetchPolicy(resolver=mixed))


def test_an_unknown_host_is_a_transient_failure() -> None:
    def nothing(host: str, port: int) -> list[str]:
        from briefings.ingest.netpolicy import HostNotResolved

        raise HostNotResolved(host, "no such name")

    with pytest.raises(FetchError, match="cannot be resolved") as failed:
        fetch_url("http://nowhere.briefbot.test/", FetchPolicy(resolver=nothing))
    assert failed.value.transient


@pytest.mark.parametrize("url", ["ftp://example.org/file", "https://", "file:///etc/passwd"])
def test_only_http_urls_are_fetched(url: str) -> None:
    with pytest.raises(FetchError):
        fetch_url(url)


@pytest.mark.parametrize(
    ("address", "public"),
    [
        ("93.184.216.34", True),
        ("2606:4700::1111", True),
        ("10.1.2.3", False),
        ("172.16.0.1", False),
        ("192.168.1.1", False),
        ("127.0.0.1", False),
        ("169.254.169.254", False),  # cloud metadata
        ("100.64.0.1", False),  # carrier-grade NAT
        ("224.0.0.1", False),
        ("239.255.255.250", False),
        ("0.0.0.0", False),
        ("240.0.0.1", False),
        ("::1", False),
        ("fe80::1", False),
        ("fc00::1", False),
        ("ff02::1", False),
        ("::ffff:127.0.0.1", False),  # IPv4-mapped loopback
        ("2002:7f00:1::", False),  # 6to4 around 127.0.0.1
        ("64:ff9b::a00:1", False),  # NAT64 to 10.0.0.1
        ("64:ff9b::5db8:d822", True),  # NAT64 to 93.184.216.34
        # Special-purpose ranges that Python 3.11's `is_global` counts as global, or that lag its tables.
        ("192.0.0.8", False),  # IPv4 dummy address
        ("192.0.0.9", False),  # PCP anycast
        ("192.0.0.170", False),  # NAT64/DNS64 discovery
        ("192.88.99.1", False),  # 6to4 relay anycast
        ("fec0::1", False),  # site-local
        ("3fff::1", False),  # documentation (2024)
        ("5f00::1", False),  # SRv6 SIDs
        ("0.1.2.3", False),
        ("192.0.2.10", False),
        ("198.18.0.1", False),
        ("198.19.255.255", False),
        ("198.51.100.7", False),
        ("203.0.113.9", False),
        ("255.255.255.255", False),
        ("2001:db8::1", False),
        ("2001:2::1", False),  # benchmarking
        ("100::1", False),  # discard-only
        ("::", False),
        ("::a00:1", False),  # IPv4-compatible, around 10.0.0.1
        ("64:ff9b:1::5db8:d822", False),  # local-use NAT64
        ("64:ff9b::c000:8", False),  # NAT64 to 192.0.0.8
        ("64:ff9b::c058:6301", False),  # NAT64 to 192.88.99.1
        ("::ffff:192.0.0.8", False),  # IPv4-mapped
        ("::ffff:198.51.100.7", False),
        ("2002:c058:6301::1", False),  # 6to4 around 192.88.99.1
        ("2002:c000:0208::1", False),  # 6to4 around 192.0.2.8
        ("2001:0:4136:e378:8000:63bf:3fff:fdd2", False),  # Teredo, client 192.0.2.45
        ("2001:0:4136:e378:8000:63bf:39cc:9bf8", False),  # Teredo, client 198.51.100.7
        ("2001:0:4136:e378:8000:63bf:a247:27dd", True),  # Teredo, client 93.184.216.34
        ("2002:5db8:d822::1", True),  # 6to4 around 93.184.216.34
        ("::ffff:93.184.216.34", True),
        ("1.1.1.1", True),
        ("2620:4f:8000::1", True),
    ],
)
def test_which_addresses_are_public(address: str, public: bool) -> None:
    assert is_public_address(ipaddress.ip_address(address)) is public


def test_allowed_address_forms() -> None:
    assert AllowedAddress.parse("127.0.0.1:8080").covers(ipaddress.ip_address("127.0.0.1"), 8080)
    assert not AllowedAddress.parse("127.0.0.1:8080").covers(ipaddress.ip_address("127.0.0.1"), 8081)
    assert AllowedAddress.parse("10.1.0.0/16").covers(ipaddress.ip_address("10.1.200.3"), 443)
    assert AllowedAddress.parse("[::1]:8080").covers(ipaddress.ip_address("::1"), 8080)
    assert AllowedAddress.parse("::1").covers(ipaddress.ip_address("::1"), 1)


def test_ip_literals_are_vetted_without_resolving() -> None:
    def no_dns(host: str, port: int) -> list[str]:
        raise AssertionError("an IP literal must not be resolved")

    assert vet_host("93.184.216.34", 80, AddressPolicy(), no_dns) == ["93.184.216.34"]
    assert vet_host("[::1]", 80, AddressPolicy(allow_private=True), no_dns) == ["::1"]


@pytest.mark.skipif(shutil.which("openssl") is None, reason="needs the openssl command to make a certificate")
def test_https_to_a_vetted_address_keeps_the_name_for_the_certificate(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The socket goes to the vetted address, but TLS (SNI, certificate check) and Host use the name."""
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "1",
            "-keyout",
            str(key),
            "-out",
            str(cert),
            "-subj",
            "/CN=news.briefbot.test",
            "-addext",
            "subjectAltName=DNS:news.briefbot.test",
        ],
        check=True,
        capture_output=True,
    )
    monkeypatch.setenv("SSL_CERT_FILE", str(cert))  # trust the test certificate, as an operator's CA bundle
    tls = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    tls.load_cert_chain(cert, key)
    with LocalServer(tls=tls) as server:
        server.routes["/page"] = Answer(body=PAGE)
        policy = server.policy_for(resolver=lambda host, port: ["127.0.0.1"])
        result = fetch_url(f"https://news.briefbot.test:{server.port}/page", policy)
        assert result.content == PAGE
        assert server.seen[0].headers["host"] == f"news.briefbot.test:{server.port}"
        with pytest.raises(FetchError, match="could not be fetched"):
            fetch_url(server.url("/page"), policy)  # by address, the certificate does not match
