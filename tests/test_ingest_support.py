"""What the ingest tests share: short original articles, and a local HTTP server on 127.0.0.1.

The server serves routes of canned answers and records the requests it receives.

Tests never reach the internet: the server is the only thing fetched from, and loopback is refused by
default, so a test allows exactly this server's address and port (`policy_for`).
"""

from __future__ import annotations

import ssl
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx

from briefings.ingest.fetch import FetchPolicy

STORY = (
    "Ferry returns to Lanmore\n"
    "The ferry between Port Avel and Lanmore sailed again on Tuesday after a storm closed the harbour for "
    "three days, the island council said. Harbour master Ines Calloway said the pier was safe.\n"
)
GERMAN = (
    "Die Fähre zwischen Port Avel und Lanmore fährt seit Dienstag wieder. Nach dem Sturm war der Hafen drei "
    "Tage lang geschlossen, teilte der Inselrat mit. Die Hafenmeisterin sagte, der Anleger sei geprüft worden."
)


@dataclass
class Answer:
    """What the server answers on one path."""

    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    # Seconds to wait before answering (cut short when the test ends).
    delay_s: float = 0.0
    # Send the body in this many pieces with `delay_s` between them instead of waiting first.
    drip_pieces: int = 0
    # Answer with this when the request carries a matching If-None-Match.
    not_modified_etag: str | None = None


@dataclass
class Seen:
    """One request the server received."""

    path: str
    headers: dict[str, str]


class LocalServer:
    """An HTTP server on a free loopback port, serving `routes`."""

    def __init__(self, tls: ssl.SSLContext | None = None) -> None:
        self.scheme = "https" if tls else "http"
        self.routes: dict[str, Answer] = {}
        self.seen: list[Seen] = []
        self.stopping = threading.Event()
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:
                server.seen.append(Seen(self.path, {k.lower(): v for k, v in self.headers.items()}))
                answer = server.routes.get(self.path, Answer(404, b"not here"))
                etag = answer.not_modified_etag
                if etag and self.headers.get("If-None-Match") == etag:
                    self.send_response(304)
                    self.send_header("ETag", etag)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                if answer.delay_s and not answer.drip_pieces and server.stopping.wait(answer.delay_s):
                    return
                self.send_response(answer.status)
                for name, value in answer.headers.items():
                    self.send_header(name, value)
                if "Content-Length" not in answer.headers and not answer.drip_pieces:
                    self.send_header("Content-Length", str(len(answer.body)))
                if answer.drip_pieces:
                    self.send_header("Connection", "close")
                self.end_headers()
                if not answer.drip_pieces:
                    self.wfile.write(answer.body)
                    return
                size = max(1, len(answer.body) // answer.drip_pieces)
                for start in range(0, len(answer.body), size):
                    self.wfile.write(answer.body[start : start + size])
                    self.wfile.flush()
                    if server.stopping.wait(answer.delay_s):
                        return

            def log_message(self, format: str, *args: object) -> None:
                pass

        class QuietServer(ThreadingHTTPServer):
            def handle_error(self, request: object, client_address: object) -> None:
                pass  # a client that gave up (a timeout, a size limit) is what some tests are about

        self._httpd = QuietServer(("127.0.0.1", 0), Handler)
        if tls is not None:
            self._httpd.socket = tls.wrap_socket(self._httpd.socket, server_side=True)
        self._httpd.daemon_threads = True
        self.port = self._httpd.server_port
        self._thread = threading.Thread(target=self._httpd.serve_forever, args=(0.05,), daemon=True)

    @property
    def address(self) -> str:
        """ "127.0.0.1:PORT": the one address a test allows."""
        return f"127.0.0.1:{self.port}"

    def url(self, path: str) -> str:
        """The URL of a path on this server."""
        return f"{self.scheme}://{self.address}{path}"

    def policy_for(self, **limits: object) -> FetchPolicy:
        """A fetch policy that forbids private addresses except this server's exact address and port."""
        return FetchPolicy(allowed_addresses=(self.address,), **limits)  # type: ignore[arg-type]

    def start(self) -> None:
        """Start serving in a background thread."""
        self._thread.start()

    def stop(self) -> None:
        """Stop serving; slow answers still waiting are cut short."""
        self.stopping.set()
        self._httpd.shutdown()
        self._httpd.server_close()

    def __enter__(self) -> LocalServer:
        self.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()


def test_the_local_server_answers_its_routes() -> None:
    with LocalServer() as server:
        server.routes["/hello"] = Answer(body=b"hello")
        assert httpx.get(server.url("/hello"), trust_env=False).text == "hello"
        assert server.seen[0].path == "/hello"
