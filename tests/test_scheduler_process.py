"""The scheduler's child process as its parent sees it: its reports, changes sent to it, its restart and stop.

The child here is a short Python script speaking the same lines as `briefbot scheduler --report`.
"""

from __future__ import annotations

import asyncio
import sys
from datetime import UTC, datetime
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from bot.metrics import ServiceMetrics
from bot.scheduler.child import status_lines
from bot.scheduler.process import SchedulerProcess

CHILD = """
import json, signal, sys, time
signal.signal(signal.SIGTERM, lambda *_: (print("standby", flush=True), sys.exit(0)))
print("leader", flush=True)
print("polled 2026-01-14T10:00:00+00:00", flush=True)
print("counts " + json.dumps({"digests/sent": 3.0, "feed_polls/new": 2.0}), flush=True)
print("counts " + json.dumps({"digests/sent": 5.0, "feed_polls/new": 2.0}), flush=True)
for line in sys.stdin:
    with open(sys.argv[1], "a") as out:
        out.write(line)
"""


def sample(metrics: ServiceMetrics, name: str, label: str) -> float:
    value = metrics.registry.get_sample_value(
        f"briefbot_{name}_total", {"result" if name == "digests" else "outcome": label}
    )
    return float(value or 0.0)


async def wait_until(check: Any, timeout: float = 20) -> None:
    deadline = asyncio.get_running_loop().time() + timeout
    while not check():
        assert asyncio.get_running_loop().time() < deadline, "timed out"
        await asyncio.sleep(0.05)


async def test_the_parent_learns_the_childs_state_and_counts_and_tells_it_of_changes(tmp_path: Path) -> None:
    received = tmp_path / "received.txt"
    metrics = ServiceMetrics()
    child = SchedulerProcess(
        [sys.executable, "-c", CHILD, str(received)], shutdown_grace_s=5, metrics=metrics
    )
    await child.start()
    try:
        await wait_until(lambda: child.active and sample(metrics, "digests", "sent") == 5)
        assert child.last_poll_round == datetime(2026, 1, 14, 10, 0, tzinfo=UTC)
        assert sample(metrics, "feed_polls", "new") == 2  # the totals' increments, not their sum
        await child.channel_changed(42)
        await wait_until(lambda: received.exists() and received.read_text() == "changed 42\n")
    finally:
        await child.stop()
    assert not child.active and child.pid is None


async def test_a_child_that_dies_is_restarted_and_counts_from_zero_again(tmp_path: Path) -> None:
    metrics = ServiceMetrics()
    # Reports, then dies at once: each start counts 5 digests anew.
    script = CHILD.split("for line")[0]
    child = SchedulerProcess([sys.executable, "-c", script], shutdown_grace_s=5, metrics=metrics)
    await child.start()
    try:
        await wait_until(lambda: sample(metrics, "digests", "sent") >= 10)
    finally:
        await child.stop()


def test_the_child_reports_only_what_changed() -> None:
    metrics = ServiceMetrics()
    service: Any = SimpleNamespace(
        scheduler=SimpleNamespace(active=False),
        poll_round=SimpleNamespace(last_finished=None),
        metrics=metrics,
    )
    last, lines = status_lines(service, None)
    assert lines[0] == "standby" and lines[1].startswith("counts ") and len(lines) == 2
    last, lines = status_lines(service, last)
    assert lines == []
    service.scheduler.active = True
    service.poll_round.last_finished = datetime(2026, 1, 14, 10, 0, tzinfo=UTC)
    metrics.digests.labels("sent").inc()
    _, lines = status_lines(service, last)
    assert lines[:2] == ["leader", "polled 2026-01-14T10:00:00+00:00"]
    assert '"digests/sent": 1.0' in lines[2]
