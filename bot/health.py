"""Health and metrics over HTTP for the operator: `/healthz` and `/metrics` (aiohttp, 127.0.0.1 by default).

`briefbot run` starts it when BRIEFBOT_HEALTH_PORT is set. `/healthz` answers 200 when the database
answers and, in the process that is the active scheduler, a feed poll round finished recently; else 503,
with the reason in its JSON (status "stopping" from SIGTERM on, while a graceful stop finishes its work, so
a load balancer sends no new work there). `/metrics` is Prometheus' text format.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from aiohttp import web
from prometheus_client import CONTENT_TYPE_LATEST, Gauge

from bot.clock import Clock
from bot.metrics import ServiceMetrics
from bot.store.db import Store, StoreUnavailable

_log = logging.getLogger(__name__)

DATABASE_TIMEOUT_S = 3.0


class HealthPortUnavailable(RuntimeError):
    """The health endpoint cannot listen where the settings say (the port is taken, the address wrong)."""


@dataclass(frozen=True)
class HealthSources:
    """Where health is read from: the store, whether this process leads, when a poll round last finished."""

    store: Store
    is_leader: Callable[[], bool]
    last_poll_round: Callable[[], datetime | None]
    clock: Clock
    max_poll_age_s: float
    stopping: Callable[[], bool] = lambda: False


class HealthServer:
    """The operator's endpoints on one aiohttp site; `port=0` takes a free port (see `port` once started)."""

    def __init__(self, sources: HealthSources, metrics: ServiceMetrics, host: str, port: int) -> None:
        self.sources = sources
        self.metrics = metrics
        self.host = host
        self.requested_port = port
        self.started = sources.clock.now()
        self._runner: web.AppRunner | None = None
        self._site: web.TCPSite | None = None
        Gauge(
            "briefbot_scheduler_leader",
            "1 when this process is the active scheduler, 0 on standby",
            registry=metrics.registry,
        ).set_function(lambda: 1.0 if sources.is_leader() else 0.0)
        Gauge(
            "briefbot_last_poll_round_age_seconds",
            "Seconds since this process last finished a feed poll round (-1: none yet)",
            registry=metrics.registry,
        ).set_function(self._poll_age_or_minus_one)

    def _poll_age_or_minus_one(self) -> float:
        age = self.poll_round_age()
        return -1.0 if age is None else age

    def poll_round_age(self) -> float | None:
        """Seconds since this process last finished a poll round; None if it never did."""
        last = self.sources.last_poll_round()
        return None if last is None else (self.sources.clock.now() - last).total_seconds()

    @property
    def port(self) -> int:
        """The port the site listens on (the one asked for until it is started)."""
        addresses = self._runner.addresses if self._runner is not None else []
        return int(addresses[0][1]) if addresses else self.requested_port

    async def start(self) -> None:
        """Listen on host:port."""
        app = web.Application()
        app.router.add_get("/healthz", self.healthz)
        app.router.add_get("/metrics", self.metrics_page)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        self._site = web.TCPSite(self._runner, self.host, self.requested_port)
        try:
            await self._site.start()
        except OSError as exc:
            await self.stop()
            raise HealthPortUnavailable(
                f"cannot serve /healthz on {self.host}:{self.requested_port} ({exc.strerror or exc}): choose "
                "another BRIEFBOT_HEALTH_PORT, or unset it"
            ) from exc
        _log.info("health and metrics on http://%s:%d/healthz and /metrics", self.host, self.port)

    async def stop(self) -> None:
        """Stop listening."""
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = self._site = None

    async def check(self) -> tuple[bool, dict[str, object]]:
        """Whether the service is healthy, and what was checked."""
        problems: list[str] = []
        try:
            await asyncio.wait_for(self.sources.store.check(), timeout=DATABASE_TIMEOUT_S)
            database: dict[str, object] = {"ok": True}
        except (StoreUnavailable, TimeoutError) as exc:
            reason = str(exc) or f"no answer within {DATABASE_TIMEOUT_S:g} s"
            database = {"ok": False, "error": reason}
            problems.append("the database does not answer")
        leader = self.sources.is_leader()
        age = self.poll_round_age()
        if leader:
            # A leader that has not finished a round yet is judged from when this process started.
            since = age if age is not None else (self.sources.clock.now() - self.started).total_seconds()
            if since > self.sources.max_poll_age_s:
                problems.append(f"no feed poll round has finished for {since:.0f} s")
        stopping = self.sources.stopping()
        if stopping:
            problems.append("stopping: a graceful stop is under way")
        return not problems, {
            "status": "stopping" if stopping else "ok" if not problems else "unhealthy",
            "problems": problems,
            "database": database,
            "scheduler": "leader" if leader else "standby",
            "last_poll_round_age_s": None if age is None else round(age, 1),
        }

    async def healthz(self, request: web.Request) -> web.Response:
        """200 with the checks when healthy, 503 with them when not."""
        healthy, body = await self.check()
        return web.json_response(body, status=200 if healthy else 503)

    async def metrics_page(self, request: web.Request) -> web.Response:
        """The metrics in Prometheus' text format."""
        return web.Response(body=self.metrics.exposition(), headers={"Content-Type": CONTENT_TYPE_LATEST})
