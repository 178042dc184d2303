"""The database drops every connection of `briefbot run` while it posts digests: it reconnects, nothing is lost.

What a database restart or failover does to briefbot is cut its connections (and the leader lock with the
lock's connection) and refuse new ones for a moment. The PostgreSQL server here is shared, so it is not
restarted: instead every connection of this test's `briefbot run` (found by the application name it
connects with) is terminated, again and again, while it posts twenty digests in parts to a slow fake
Slack. Afterwards every digest is there in full and once, recorded as sent, and the process still answers:
/healthz finds the database, and the scheduler leads again.
"""

from __future__ import annotations

import asyncio
import threading
import time
import uuid
from datetime import timedelta
from pathlib import Path

import psycopg
import pytest
from conftest_store import *  # noqa: F403 - the store fixtures
from conftest_store import POSTGRES_URL
from fakes.slack_api import FakeSlack
from sqlalchemy import text
from test_commands_support import AcceptingProbe, store_articles
from test_shutdown_run import (
    FEED,
    OWNER,
    TEAM,
    fake_slack,  # noqa: F401 - the fixture
    free_port,
    healthz,
    start_run,
    stop,
    twenty_stories,
    wait_for,
)

from bot.channels.admin import ChannelAdmin
from bot.clock import SystemClock
from bot.identity import ChannelRef
from bot.store.db import Store
from bot.store.migrate import upgrade_store

pytestmark = [pytest.mark.postgres, pytest.mark.slow]

CHANNELS = [f"C0DB{n:04d}" for n in range(20)]


async def prepare(schema: str) -> None:
    """Twenty channels due this minute, each following the feed of twenty stories (digests in parts)."""
    store = Store.from_url(POSTGRES_URL, schema=schema)
    try:
        await upgrade_store(store)
        clock = SystemClock()
        now = clock.now()
        admin = ChannelAdmin(store, AcceptingProbe(), clock)
        for channel in CHANNELS:
            ref = ChannelRef(platform="slack", workspace=TEAM, channel=channel, channel_name=f"#{channel}")
            await admin.setup(ref, OWNER, schedule=f"{now:%H:%M} UTC", digest_length=20)
            await admin.add_feed(ref, OWNER, FEED)
        await store_articles(store, FEED, twenty_stories(now), now - timedelta(hours=1))
        async with store.transaction() as session:
            await session.execute(text("UPDATE feeds SET next_poll_at = :t"), {"t": now + timedelta(days=1)})
    finally:
        await store.close()


def statuses(schema: str) -> list[str]:
    with psycopg.connect(POSTGRES_URL, autocommit=True) as db:
        db.execute(f'SET search_path TO "{schema}"')
        return [row[0] for row in db.execute("SELECT status FROM deliveries WHERE kind = 'digest'")]


def parts_by_channel(fake: FakeSlack) -> dict[str, list[tuple[str, int, int]]]:
    found: dict[str, list[tuple[str, int, int]]] = {}
    for channel in CHANNELS:
        for message in list(fake.messages.get(channel, [])):
            payload = (message.get("metadata") or {}).get("event_payload") or {}
            if "key" in payload:
                found.setdefault(channel, []).append((payload["key"], payload["part"], payload["parts"]))
    return found


class Terminator(threading.Thread):
    """Terminates every connection with the application name, every `every_s`, until stopped."""

    def __init__(self, application: str, every_s: float) -> None:
        super().__init__(daemon=True)
        self.application = application
        self.every_s = every_s
        self.terminated = 0
        self.rounds = 0
        self.halt = threading.Event()

    def run(self) -> None:
        with psycopg.connect(POSTGRES_URL, autocommit=True) as db:
            while not self.halt.is_set():
                rows = db.execute(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                    "WHERE application_name = %s AND pid <> pg_backend_pid()",
                    (self.application,),
                ).fetchall()
                self.terminated += sum(1 for (done,) in rows if done)
                self.rounds += 1
                self.halt.wait(self.every_s)


def test_connections_cut_under_load_are_reconnected_and_no_digest_is_lost_or_doubled(
    tmp_path: Path,
    fake_slack: FakeSlack,  # noqa: F811 - the fixture imported above
    pg_schema: str,
) -> None:
    asyncio.run(prepare(pg_schema))
    for channel in CHANNELS:
        fake_slack.add_channel(channel, channel.lower())
    fake_slack.post_delay_s = 1.0
    application = f"bbtest-{uuid.uuid4().hex[:10]}"
    port = free_port()
    process = start_run(
        tmp_path,
        fake_slack,
        pg_schema,
        30.0,
        {
            "BRIEFBOT_DATABASE_URL": f"{POSTGRES_URL}?options=-csearch_path%3D{pg_schema}"
            f"&application_name={application}",
            "BRIEFBOT_HEALTH_PORT": str(port),
            "BRIEFBOT_SCHEDULER__LEADER_RETRY_S": "1",
        },
    )
    cutter = Terminator(application, every_s=1.5)
    try:
        wait_for(lambda: parts_by_channel(fake_slack), process)  # delivery has begun
        cutter.start()
        time.sleep(8)  # connections cut six times while digests are claimed, posted and recorded
    finally:
        cutter.halt.set()
        cutter.join(10)
    assert cutter.terminated >= 3, "the test should have cut some of briefbot's connections"
    wait_for(lambda: statuses(pg_schema) == ["sent"] * len(CHANNELS), process, timeout=120)
    posted = parts_by_channel(fake_slack)
    for channel in CHANNELS:
        parts = posted.get(channel, [])
        assert parts, f"{channel} got no digest"
        assert len(set(parts)) == len(parts), f"{channel} got a part twice: {parts}"
        assert sorted(part for _, part, _ in parts) == list(range(parts[0][2])), f"{channel} misses a part"
    # It answers again: the database is found, and the scheduler leads once more.
    answer = wait_for(
        lambda: (h := healthz(port)) is not None and h[1]["scheduler"] == "leader" and h, process
    )
    assert answer[1]["database"] == {"ok": True}
    code, err = stop(process)
    assert code == 0, err
