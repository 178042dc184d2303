"""A `briefbot worker` stopped mid-poll (SIGTERM, or SIGKILL): the poll is finished or retried, never lost
or stored twice.

A real worker process on PostgreSQL takes a queued poll of a feed served on loopback, reads it and starts
extracting its articles with the real spaCy pipeline; the signal lands after the feed was read. With a
grace period the worker finishes the poll and exits 0; with none it aborts the poll, which procrastinate
retries and the next worker completes; killed outright, its poll is put back by `requeue_stalled` (what the
active scheduler calls on every tick). In each case every article is stored exactly once.
"""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from conftest_store import *  # noqa: F403 - the store fixtures
from conftest_store import POSTGRES_URL
from sqlalchemy import text
from test_commands_support import AcceptingProbe
from test_shutdown_run import STORIES, postgres_url

from bot.channels.admin import ChannelAdmin
from bot.clock import SystemClock
from bot.config import BotSettings
from bot.feeds.queue import FeedQueue
from bot.identity import Caller, ChannelRef
from bot.store.db import Store
from bot.store.migrate import upgrade_store

pytestmark = [pytest.mark.postgres, pytest.mark.slow]

REF = ChannelRef(platform="console", workspace="local", channel="worker-test")
ADMIN = Caller(user_id="admin", display_name="Ada", is_channel_admin=True)
ITEMS = 12


def feed_xml() -> bytes:
    """An RSS feed of short original local stories, each item with its whole text."""
    now = datetime.now(UTC)
    items = []
    for i, (town, person, deed) in enumerate(STORIES[:ITEMS]):
        body = (
            f"{person} {deed}, the {town} parish council said on Monday. {person.split()[0]} told a meeting "
            f"at the village hall that the work had taken two years and cost less than planned. Neighbours "
            f"from {town} brought cake, and the council thanked the volunteers by name."
        )
        items.append(
            f"<item><title>{person} {deed}</title><link>http://towns.test/{town.lower()}</link>"
            f"<guid>towns-{i}</guid><pubDate>{format_datetime(now - timedelta(hours=i + 1))}</pubDate>"
            f"<description>{body}</description></item>"
        )
    return (
        '<?xml version="1.0"?><rss version="2.0"><channel><title>Towns</title>'
        f"<link>http://towns.test/</link><description>Local news</description>{''.join(items)}</channel></rss>"
    ).encode()


class FeedServer:
    """The feed on loopback; counts the times it was read."""

    def __init__(self) -> None:
        body = feed_xml()
        served = self
        self.reads = 0

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                served.reads += 1
                self.send_response(200)
                self.send_header("Content-Type", "application/rss+xml")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/towns.xml"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


@pytest.fixture
def feed_server() -> Iterator[FeedServer]:
    server = FeedServer()
    yield server
    server.server.shutdown()


def settings_for(schema: str) -> BotSettings:
    return BotSettings(database_url=postgres_url(schema), queue={"backend": "procrastinate"})  # type: ignore[arg-type]


async def prepare(schema: str, feed_url: str) -> int:
    """Tables, the queue's tables, a channel following the feed, and one poll of it queued; the feed's id."""
    store = Store.from_url(POSTGRES_URL, schema=schema)
    queue = FeedQueue(settings_for(schema))
    try:
        await upgrade_store(store)
        admin = ChannelAdmin(store, AcceptingProbe(), SystemClock())
        await admin.setup(REF, ADMIN)
        await admin.add_feed(REF, ADMIN, feed_url)
        async with store.transaction() as session:
            feed_id = int((await session.execute(text("SELECT id FROM feeds"))).scalar_one())
        await queue.open()
        await queue.apply_schema()
        assert await queue.defer_poll(feed_id)
        return feed_id
    finally:
        await queue.close()
        await store.close()


async def figures(schema: str) -> dict[str, Any]:
    """The articles stored, their links to the feed, and the poll job's status and attempts."""
    store = Store.from_url(POSTGRES_URL, schema=schema)
    try:
        async with store.transaction() as session:

            async def one(sql: str) -> Any:
                return (await session.execute(text(sql))).one()

            return {
                "articles": (await one("SELECT count(*), count(DISTINCT canonical_url) FROM articles")),
                "links": (await one("SELECT count(*) FROM feed_articles"))[0],
                "job": tuple(await one("SELECT status::text, attempts FROM procrastinate_jobs")),
            }
    finally:
        await store.close()


async def requeue_stalled(schema: str) -> int:
    queue = FeedQueue(
        settings_for(schema).model_copy(
            update={"queue": settings_for(schema).queue.model_copy(update={"stalled_after_s": 2.0})}
        )
    )
    await queue.open()
    try:
        return await queue.requeue_stalled()
    finally:
        await queue.close()


def start_worker(tmp_path: Path, schema: str, grace: float) -> subprocess.Popen[str]:
    env = {
        **os.environ,
        "BRIEFBOT_DATA_DIR": str(tmp_path / "data"),
        "BRIEFBOT_DATABASE_URL": postgres_url(schema),
        "BRIEFBOT_QUEUE__BACKEND": "procrastinate",
        "BRIEFBOT_QUEUE__STALLED_AFTER_S": "2",
        "BRIEFBOT_ALLOW_PRIVATE_URLS": "true",  # the feed is on loopback
        "BRIEFBOT_FEEDS__LINKED_PAGES": "0",
        "BRIEFBOT_SHUTDOWN_GRACE_S": str(grace),
        "PYTHONPATH": os.pathsep.join([str(Path(__file__).parents[1]), os.environ.get("PYTHONPATH", "")]),
    }
    return subprocess.Popen(
        [sys.executable, "-m", "bot.cli", "worker"],
        env=env,
        cwd=tmp_path,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def wait_until(check: Any, process: subprocess.Popen[str] | None, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return
        if process is not None and process.poll() is not None:
            raise AssertionError(f"the worker ended early ({process.returncode}): {process.communicate()[1]}")
        time.sleep(0.05)
    if process is not None:
        process.kill()
    raise AssertionError("timed out" + (f"; the worker said: {process.communicate()[1]}" if process else ""))


def ended(process: subprocess.Popen[str], how: int) -> tuple[int, str]:
    process.send_signal(how)
    try:
        _, err = process.communicate(timeout=60)
    except subprocess.TimeoutExpired:
        process.kill()
        raise AssertionError("the worker did not stop within 60 s") from None
    return process.returncode, err


def job_done(schema: str) -> bool:
    return asyncio.run(figures(schema))["job"][0] == "succeeded"


@pytest.mark.parametrize("how", ["sigterm-grace", "sigterm-no-grace", "sigkill"])
def test_a_worker_stopped_mid_poll_loses_nothing_and_stores_nothing_twice(
    tmp_path: Path, feed_server: FeedServer, pg_schema: str, how: str
) -> None:
    asyncio.run(prepare(pg_schema, feed_server.url))
    worker = start_worker(tmp_path, pg_schema, grace=120.0 if how == "sigterm-grace" else 0.0)
    wait_until(lambda: feed_server.reads > 0, worker)  # read: the articles are being extracted now
    code, err = ended(worker, signal.SIGKILL if how == "sigkill" else signal.SIGTERM)
    if how != "sigkill":
        # A stop it is told of ends cleanly. (Killed, it cannot: an extraction process it was starting
        # just then finds its parent gone and says so on the stderr they share, and that is no fault.)
        assert "Traceback" not in err
    after_stop = asyncio.run(figures(pg_schema))
    if how == "sigterm-grace":
        assert code == 0, err
        assert after_stop["job"] == ("succeeded", 1)  # finished before the worker ended
    else:
        if how == "sigkill":
            assert code == -signal.SIGKILL and after_stop["job"][0] == "doing"
            wait_until(lambda: asyncio.run(requeue_stalled(pg_schema)) == 1, None, timeout=30)
        else:
            assert code == 0, err
            assert after_stop["job"][0] == "todo"  # aborted by the shutdown and queued again
        again = start_worker(tmp_path, pg_schema, grace=120.0)
        wait_until(lambda: job_done(pg_schema), again)
        code, err = ended(again, signal.SIGTERM)
        assert code == 0, err
    final = asyncio.run(figures(pg_schema))
    assert final["articles"] == (ITEMS, ITEMS) and final["links"] == ITEMS
