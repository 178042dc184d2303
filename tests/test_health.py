"""The operator's /healthz and /metrics, asked over a real loopback socket, and started by `briefbot run`."""

from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import aiohttp
from conftest_store import RecordingDelivery
from prometheus_client.parser import text_string_to_metric_families
from sqlalchemy import select
from test_feeds import FeedServer, feed_server  # noqa: F401 - the loopback feed server fixture

from bot.bootstrap import build_service, open_store
from bot.clock import FixedClock
from bot.commands.catalog import COMMANDS
from bot.commands.dispatch import run_command
from bot.commands.stories import StoryLibrary
from bot.commands.table import CommandContext, CommandServices
from bot.config import BotSettings
from bot.delivery import DeliveryRouter
from bot.health import HealthServer, HealthSources
from bot.identity import Caller, ChannelRef
from bot.metrics import ServiceMetrics
from bot.serve import health_server
from bot.store.db import Store
from bot.store.migrate import upgrade_store
from bot.store.models import ChannelFeed, Feed

ADMIN = Caller(user_id="admin-1", is_channel_admin=True)
REF = ChannelRef(platform="console", workspace="local", channel="news")
BRIEFBOT = str(Path(sys.executable).with_name("briefbot"))


def samples(text: str) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    """The metric samples of a /metrics page, by name and labels."""
    found: dict[tuple[str, tuple[tuple[str, str], ...]], float] = {}
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            found[(sample.name, tuple(sorted(sample.labels.items())))] = sample.value
    return found


async def get(port: int, path: str) -> tuple[int, Any]:
    async with aiohttp.ClientSession() as session, session.get(f"http://127.0.0.1:{port}{path}") as response:
        body = await (response.json() if path == "/healthz" else response.text())
        return response.status, body


async def test_healthz_and_metrics_over_loopback_count_what_the_service_did(
    tmp_path: Path,
    nlp,
    feed_server: FeedServer,  # noqa: F811 - the fixture imported above
) -> None:  # type: ignore[no-untyped-def]
    from bot.feeds.extraction import ThreadExtractor

    settings = BotSettings(data_dir=tmp_path, allow_private_urls=True, health_port=0)
    store = await open_store(settings, require_current=False)
    await upgrade_store(store)
    await store.close()
    clock = FixedClock(datetime(2026, 1, 14, 10, 0, tzinfo=UTC))
    platform = RecordingDelivery()
    service = await build_service(
        settings, DeliveryRouter({"console": platform}), clock, extractor=ThreadExtractor(nlp)
    )
    health = health_server(service, clock)
    assert health.host == "127.0.0.1"  # loopback unless the operator says otherwise
    try:
        await service.admin.setup(REF, ADMIN, schedule="08:00 UTC")
        await service.admin.add_feed(REF, ADMIN, f"{feed_server.base}/rss.xml")
        async with service.store.transaction() as session:  # a feed that broke after it was added
            broken = Feed(
                url=f"{feed_server.base}/broken.xml",
                interval_s=900,
                next_poll_at=clock.now(),
                created_at=clock.now(),
            )
            session.add(broken)
            await session.flush()
            channel_id = (await session.execute(select(ChannelFeed.channel_id))).scalars().first()
            session.add(ChannelFeed(channel_id=channel_id, feed_id=broken.id, added_at=clock.now()))
        await service.start()
        for _ in range(100):  # bounded wait for the leader loop's first turn
            if service.scheduler.active:
                break
            await asyncio.sleep(0.05)
        await health.start()
        assert health.port > 0

        status, body = await get(health.port, "/healthz")
        assert status == 200, body  # just started: no poll round yet, but not for long
        assert body["database"] == {"ok": True} and body["scheduler"] == "leader"
        assert body["last_poll_round_age_s"] is None

        await service.poll_round()  # what the scheduler runs every tick
        clock.set(clock.now() + timedelta(seconds=42))
        status, body = await get(health.port, "/healthz")
        assert status == 200 and body["last_poll_round_age_s"] == 42.0 and body["problems"] == []

        services = CommandServices(StoryLibrary(service.store, clock), service.admin, service.metrics)
        stories = COMMANDS.find(("stories",))
        assert stories is not None
        for _ in range(3):
            await run_command(stories, {}, CommandContext(REF, ADMIN, services))
        clock.set(datetime(2026, 1, 15, 8, 0, tzinfo=UTC))
        await service.runner.run_due()
        assert len(platform.digests()) == 1

        status, page = await get(health.port, "/metrics")
        assert status == 200
        found = samples(page)
        assert found[("briefbot_feed_polls_total", (("outcome", "new"),))] == 1
        assert found[("briefbot_feed_polls_total", (("outcome", "failed"),))] == 1
        assert found[("briefbot_articles_extracted_total", ())] == 2
        assert found[("briefbot_digests_total", (("result", "sent"),))] == 1
        assert found[("briefbot_digests_total", (("result", "skipped"),))] == 0
        assert found[("briefbot_command_seconds_count", (("command", "stories"),))] == 3
        assert found[("briefbot_scheduler_leader", ())] == 1

        # A day without a finished poll round: the active scheduler is not healthy.
        status, body = await get(health.port, "/healthz")
        assert status == 503 and body["status"] == "unhealthy"
        assert body["problems"] == ["no feed poll round has finished for 79200 s"]
    finally:
        feed_server.hang.set()
        await health.stop()
        await service.stop()


async def test_an_unreachable_database_is_unhealthy_and_a_standby_reports_itself() -> None:
    gone = Store.from_url("postgresql://postgres@127.0.0.1:9/none")
    clock = FixedClock(datetime(2026, 1, 14, 10, 0, tzinfo=UTC))
    sources = HealthSources(gone, lambda: False, lambda: None, clock, max_poll_age_s=60)
    health = HealthServer(sources, ServiceMetrics(), "127.0.0.1", 0)
    await health.start()
    try:
        status, body = await get(health.port, "/healthz")
        assert status == 503 and body["database"]["ok"] is False
        assert "cannot be reached" in body["database"]["error"] and body["scheduler"] == "standby"
        assert body["problems"] == ["the database does not answer"]
    finally:
        await health.stop()
        await gone.close()


async def test_a_process_stopping_gracefully_says_so_with_a_503(tmp_path: Path) -> None:
    store = Store.from_url(f"sqlite:///{tmp_path / 'h.db'}")
    clock = FixedClock(datetime(2026, 1, 14, 10, 0, tzinfo=UTC))
    stopping = False
    sources = HealthSources(store, lambda: False, lambda: None, clock, 60, stopping=lambda: stopping)
    health = HealthServer(sources, ServiceMetrics(), "127.0.0.1", 0)
    await health.start()
    try:
        status, body = await get(health.port, "/healthz")
        assert status == 200 and body["status"] == "ok"
        stopping = True  # SIGTERM: the work in flight finishes, no new work should come here
        status, body = await get(health.port, "/healthz")
        assert status == 503 and body["status"] == "stopping"
        assert body["problems"] == ["stopping: a graceful stop is under way"]
    finally:
        await health.stop()
        await store.close()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def test_briefbot_run_serves_health_when_the_port_is_set(tmp_path: Path) -> None:
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("BRIEFBOT_")}
    env.update(BRIEFBOT_DATA_DIR=str(tmp_path / "data"), BRIEFBOT_HEALTH_PORT=str(port))
    process = subprocess.Popen(
        [BRIEFBOT, "run", "--no-demo"],
        stdin=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        cwd=tmp_path,
        env=env,
    )
    try:
        body: Any = None
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and process.poll() is None:
            try:
                status, body = await get(port, "/healthz")
                if body.get("scheduler") == "leader":
                    break
            except aiohttp.ClientConnectionError:
                pass
            await asyncio.sleep(0.2)
        assert process.poll() is None, process.stderr.read() if process.stderr else ""
        assert status == 200 and body["database"] == {"ok": True} and body["scheduler"] == "leader"
        status, page = await get(port, "/metrics")
        assert status == 200 and "briefbot_command_seconds" in page
    finally:
        if process.stdin is not None:
            process.stdin.close()  # the console's input ends: briefbot leaves
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
