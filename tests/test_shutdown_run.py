"""SIGTERM to `briefbot run` while it posts a digest in parts: every part reaches the channel once.

A real `briefbot run` process on PostgreSQL posts a scheduled digest of many stories to the fake Slack, whose
chat.postMessage is slow enough for the signal to land between parts. With a grace period the process
finishes the digest before it exits; with none it hands the digest back, and the restarted process posts
only the parts that are missing. Either way it exits 0, and no part is posted twice.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import random
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import psycopg
import pytest
from conftest_store import *  # noqa: F403 - the store fixtures
from conftest_store import POSTGRES_URL
from fakes.slack_api import FakeSlack
from sqlalchemy import text
from stories_builders import actor, analysis, event, place, quote
from test_commands_support import AcceptingProbe, store_articles

from bot.channels.admin import ChannelAdmin
from bot.clock import SystemClock
from bot.identity import Caller, ChannelRef
from bot.store.db import Store
from bot.store.migrate import upgrade_store
from briefings.models import Sentence

pytestmark = [pytest.mark.postgres, pytest.mark.slow]

TEAM, TOKEN, SECRET, CHANNEL = "T0STOP", "xoxb-shutdown-test", "signing-secret-stop", "C0DIGEST"
REF = ChannelRef(platform="slack", workspace=TEAM, channel=CHANNEL, channel_name="#digest")
OWNER = Caller(user_id="UOWNER", display_name="Ada", is_channel_admin=True)
FEED = "https://feeds.example.org/harbour.xml"
# Twenty unrelated local stories: a place, a person, and what happened, nothing shared between them.
STORIES = [
    ("Marlow", "Ines Varga", "opened a tide museum in the old ferry shed"),
    ("Orrin", "Tobias Lund", "closed the quarry road after a rockfall"),
    ("Keswick", "Mara Okafor", "won the regional chess final on Saturday"),
    ("Tallis", "Pavel Hruby", "planted four hundred oaks along the canal"),
    ("Brecon", "Lena Moretti", "reopened the swimming baths after repairs"),
    ("Ardley", "Yusuf Demir", "launched a night bus to the hospital"),
    ("Fenwick", "Greta Holm", "found a Roman coin hoard under a car park"),
    ("Corran", "Dmitri Sokol", "rebuilt the lighthouse lamp by hand"),
    ("Lisle", "Amara Nwosu", "set up a seed library in the town hall"),
    ("Dunmore", "Hugo Lacroix", "fixed the cathedral clock after ten years"),
    ("Pelham", "Sofia Reyes", "counted a record number of puffins"),
    ("Quarrick", "Jonas Berg", "sold the old mill to a bakery cooperative"),
    ("Rother", "Keiko Tanaka", "painted a mural of the river on the flood wall"),
    ("Selby", "Omar Haddad", "banned cars from the market square on Sundays"),
    ("Thorne", "Bea Lindqvist", "measured the wettest March in a century"),
    ("Ulverston", "Rafael Costa", "started a repair cafe for bicycles"),
    ("Varley", "Nadia Petrova", "taught a beekeeping course to pupils"),
    ("Wexcombe", "Finn O'Hara", "raised the harbour wall by a metre"),
    ("Yarrow", "Lucia Bianchi", "recorded folk songs of the valley farmers"),
    ("Zennor", "Arjun Mehta", "mapped every footpath of the moor"),
]
FEED = "https://feeds.example.org/towns.xml"


def postgres_url(schema: str) -> str:
    """The test server's URL with the test's schema first on the search path (as the child process sees it)."""
    return f"{POSTGRES_URL}?options=-csearch_path%3D{schema}"


@pytest.fixture
def fake_slack() -> Iterator[FakeSlack]:
    """The fake Slack served from a thread of its own, for the briefbot processes these tests start."""
    loop = asyncio.new_event_loop()
    fake = FakeSlack(post_delay_s=0.6)
    loop.run_until_complete(fake.start())
    fake.add_workspace(TEAM, TOKEN)
    fake.add_user(OWNER.user_id, "Ada Owner", admin=True, team=TEAM)
    fake.add_channel(CHANNEL, "digest")
    thread = threading.Thread(target=loop.run_forever, daemon=True)
    thread.start()
    yield fake
    asyncio.run_coroutine_threadsafe(fake.stop(), loop).result(10)
    loop.call_soon_threadsafe(loop.stop)
    thread.join(10)


def twenty_stories(now: datetime) -> list[Any]:
    """Twenty unrelated stories, published in the last hours."""
    built = []
    for i, (town, person, deed) in enumerate(STORIES):
        title = f"{person} {deed}"
        body = f"{title}. {person.split()[0]} said {town} had waited long for it."
        item = analysis(
            f"story-{i}",
            text=body,
            title=title,
            published=(now - timedelta(hours=2, minutes=i)).isoformat(),
            actors=[actor(person, mentions=2)],
            places=[place(town)],
            quotes=[quote(f"{town} had waited long for it.", person)],
            events=[
                event("announce", (now - timedelta(days=1)).date().isoformat(), title + ".", [person], town)
            ],
        )
        first = body.index(". ") + 1
        sentences = [
            Sentence(index=0, start=0, end=first, text=body[:first]),
            Sentence(index=1, start=first + 1, end=len(body), text=body[first + 1 :]),
        ]
        url = f"https://feeds.example.org/{town.lower()}"
        article = item.article.model_copy(update={"url": url})
        built.append(item.model_copy(update={"article": article, "sentences": sentences}))
    return built


async def prepare(url: str, schema: str) -> None:
    """A channel due for its digest this minute, following a feed of twenty stories (not polled again)."""
    store = Store.from_url(url, schema=schema)
    try:
        await upgrade_store(store)
        clock = SystemClock()
        now = clock.now()
        admin = ChannelAdmin(store, AcceptingProbe(), clock)
        await admin.setup(REF, OWNER, schedule=f"{now:%H:%M} UTC", digest_length=20)
        await admin.add_feed(REF, OWNER, FEED)
        await store_articles(store, FEED, twenty_stories(now), now - timedelta(hours=1))
        async with store.transaction() as session:
            # The feed was just read: nothing here reaches for the network.
            await session.execute(
                text("UPDATE feeds SET next_poll_at = :later"), {"later": now + timedelta(days=1)}
            )
    finally:
        await store.close()


async def delivery_status(url: str, schema: str) -> list[str]:
    store = Store.from_url(url, schema=schema)
    try:
        async with store.transaction() as session:
            return list((await session.execute(text("SELECT status FROM deliveries"))).scalars())
    finally:
        await store.close()


def start_run(
    tmp_path: Path, fake: FakeSlack, schema: str, grace: float, extra: dict[str, str] | None = None
) -> subprocess.Popen[str]:
    env = {
        **os.environ,
        "BRIEFBOT_DATA_DIR": str(tmp_path / "data"),
        "BRIEFBOT_DATABASE_URL": postgres_url(schema),
        "BRIEFBOT_SLACK_BOT_TOKEN": TOKEN,
        "BRIEFBOT_SLACK_SIGNING_SECRET": SECRET,
        "BRIEFBOT_SLACK_API_URL": fake.api_url,
        "BRIEFBOT_SLACK_PORT": "0",
        "BRIEFBOT_SHUTDOWN_GRACE_S": str(grace),
        # A lock of its own: tests running side by side on one server each have their own scheduler.
        "BRIEFBOT_SCHEDULER__LEADER_LOCK_KEY": str(random.randrange(1 << 30, 1 << 31)),
        "PYTHONPATH": os.pathsep.join([str(Path(__file__).parents[1]), os.environ.get("PYTHONPATH", "")]),
        **(extra or {}),
    }
    return subprocess.Popen(
        [sys.executable, "-m", "bot.cli", "run", "--no-console"],
        env=env,
        cwd=tmp_path,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def wait_for(check: Any, process: subprocess.Popen[str], timeout: float = 90) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = check()
        if found:
            return found
        if process.poll() is not None:
            raise AssertionError(f"briefbot ended early ({process.returncode}): {process.communicate()[1]}")
        time.sleep(0.05)
    process.kill()
    raise AssertionError(f"timed out; briefbot said: {process.communicate()[1]}")


def parts_posted(fake: FakeSlack) -> list[tuple[int, int]]:
    """(part, parts) of every digest message in the channel, in the order posted."""
    return [
        (m["metadata"]["event_payload"]["part"], m["metadata"]["event_payload"]["parts"])
        for m in list(fake.messages.get(CHANNEL, []))
        if m.get("metadata")
    ]


def stop(process: subprocess.Popen[str]) -> tuple[int, str]:
    process.send_signal(signal.SIGTERM)
    try:
        _, err = process.communicate(timeout=60)
    except subprocess.TimeoutExpired:
        process.kill()
        raise AssertionError("briefbot did not stop within 60 s of SIGTERM") from None
    return process.returncode, err


@pytest.mark.parametrize("grace", [30.0, 0.0], ids=["finished-within-grace", "handed-back"])
def test_sigterm_mid_digest_leaves_every_part_posted_once(
    tmp_path: Path,
    fake_slack: FakeSlack,
    pg_schema: str,
    grace: float,
) -> None:
    asyncio.run(prepare(POSTGRES_URL, pg_schema))
    first = start_run(tmp_path, fake_slack, pg_schema, grace)
    wait_for(lambda: parts_posted(fake_slack), first)
    code, err = stop(first)
    assert code == 0, err
    assert "Traceback" not in err
    posted = parts_posted(fake_slack)
    total = posted[0][1]
    assert total >= 2, "the digest should take several messages for this test to mean anything"
    if grace:
        assert [part for part, _ in posted] == list(range(total))  # finished before the process ended
        assert asyncio.run(delivery_status(POSTGRES_URL, pg_schema)) == ["sent"]
        return
    # Handed back: claimed, not recorded as sent (the part in flight may or may not have reached Slack).
    assert asyncio.run(delivery_status(POSTGRES_URL, pg_schema)) == ["claimed"]
    fake_slack.post_delay_s = 0.0
    second = start_run(tmp_path, fake_slack, pg_schema, 30.0)
    wait_for(lambda: asyncio.run(delivery_status(POSTGRES_URL, pg_schema)) == ["sent"], second)
    code, err = stop(second)
    assert code == 0, err
    parts = sorted(part for part, _ in parts_posted(fake_slack))
    assert parts == list(range(total))  # each part once, none missing


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def healthz(port: int) -> tuple[int, dict[str, Any]] | None:
    """/healthz's status and body, or None while nothing listens."""
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5) as answer:
            return answer.status, json.loads(answer.read())
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read())
    except (urllib.error.URLError, OSError):
        return None


def children(pid: int) -> list[int]:
    return [int(c) for task in Path(f"/proc/{pid}/task").glob("*/children") for c in task.read_text().split()]


def test_healthz_says_stopping_while_the_digest_in_flight_finishes(
    tmp_path: Path, fake_slack: FakeSlack, pg_schema: str
) -> None:
    asyncio.run(prepare(POSTGRES_URL, pg_schema))
    port = free_port()
    process = start_run(tmp_path, fake_slack, pg_schema, 30.0, {"BRIEFBOT_HEALTH_PORT": str(port)})
    # The active scheduler is the child process; the parent's /healthz says so from its reports.
    wait_for(lambda: (healthz(port) or (0, {}))[1].get("scheduler") == "leader", process)
    wait_for(lambda: parts_posted(fake_slack), process)
    process.send_signal(signal.SIGTERM)
    answer = wait_for(
        lambda: (h := healthz(port)) is not None and h[1]["status"] == "stopping" and h, process
    )
    assert answer[0] == 503
    _, err = process.communicate(timeout=60)
    assert process.returncode == 0, err
    posted = parts_posted(fake_slack)
    assert [part for part, _ in posted] == list(range(posted[0][1]))  # finished within the grace, each once


def test_a_killed_run_takes_its_scheduler_process_and_lock_with_it(
    tmp_path: Path, fake_slack: FakeSlack, pg_schema: str
) -> None:
    asyncio.run(prepare(POSTGRES_URL, pg_schema))
    port, key = free_port(), random.randrange(1 << 30, 1 << 31)
    process = start_run(
        tmp_path,
        fake_slack,
        pg_schema,
        30.0,
        {"BRIEFBOT_HEALTH_PORT": str(port), "BRIEFBOT_SCHEDULER__LEADER_LOCK_KEY": str(key)},
    )
    wait_for(lambda: (healthz(port) or (0, {}))[1].get("scheduler") == "leader", process)
    (child,) = [
        pid for pid in children(process.pid) if b"scheduler" in Path(f"/proc/{pid}/cmdline").read_bytes()
    ]
    with psycopg.connect(POSTGRES_URL, autocommit=True) as db:
        assert db.execute("SELECT pg_try_advisory_lock(%s)", (key,)).fetchone() == (False,)  # the child's
    process.kill()  # no graceful stop: the child notices its parent is gone
    process.wait()
    deadline = time.monotonic() + 60  # it may first finish a digest in flight, within the grace period
    while Path(f"/proc/{child}").exists() and time.monotonic() < deadline:
        with contextlib.suppress(ChildProcessError):
            os.waitpid(child, os.WNOHANG)  # reaped by init in production; here perhaps by no one
        if Path(f"/proc/{child}/stat").exists() and Path(f"/proc/{child}/stat").read_text().split()[2] == "Z":
            break
        time.sleep(0.1)
    assert time.monotonic() < deadline, "the scheduler process outlived its parent"
    with psycopg.connect(POSTGRES_URL, autocommit=True) as db:
        assert db.execute("SELECT pg_try_advisory_lock(%s)", (key,)).fetchone() == (True,)  # a standby's now
