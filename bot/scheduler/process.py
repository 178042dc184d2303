"""The scheduler as a child process of `briefbot run`, seen from the parent that answers commands.

The child is `briefbot scheduler --report` (`bot.scheduler.child`): it competes for the leader lock, builds
and posts the digests, runs the feed poll rounds. The parent learns from its stdout whether it is the
active scheduler and when a poll round last finished (for /healthz), and what it counted (digests, feed
polls, notices: added to the parent's /metrics), tells it on its stdin which channel an
admin changed (so a new schedule is taken up at once, not at the next sweep), and restarts it if it dies.
Stopping sends it SIGTERM and waits for its graceful stop (the grace period, plus a margin) before killing
it. If the parent dies, the child's stdin closes and it stops too, releasing the lock for a standby.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import signal
from collections.abc import Sequence
from datetime import datetime

from bot.metrics import ServiceMetrics

_log = logging.getLogger(__name__)

RESTART_AFTER_S = (1.0, 30.0)  # the first wait before restarting a child that died, and the longest
STOP_MARGIN_S = 5.0  # grace + margin stays within compose's stop_grace_period (35 s at the default 25 s)


class SchedulerProcess:
    """Runs `argv` (a `briefbot scheduler --report`) and keeps it running until stopped."""

    def __init__(
        self, argv: Sequence[str], shutdown_grace_s: float, metrics: ServiceMetrics | None = None
    ) -> None:
        self.argv = list(argv)
        self.metrics = metrics
        self.shutdown_grace_s = shutdown_grace_s
        self.active = False
        self.last_poll_round: datetime | None = None
        self._process: asyncio.subprocess.Process | None = None
        self._task: asyncio.Task[None] | None = None
        self._stopping = False
        self._started = asyncio.Event()

    @property
    def pid(self) -> int | None:
        """The child's process id while it runs."""
        return self._process.pid if self._process is not None and self._process.returncode is None else None

    async def start(self) -> None:
        """Start the child (and restart it whenever it dies, until `stop`)."""
        self._task = asyncio.create_task(self._supervise(), name="scheduler-process")
        await self._started.wait()

    async def _supervise(self) -> None:
        wait = RESTART_AFTER_S[0]
        while not self._stopping:
            try:
                self._process = await asyncio.create_subprocess_exec(
                    *self.argv, stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE
                )
            except OSError as exc:
                _log.error("cannot start the scheduler process (%s)", exc)
                self._started.set()
                return
            self._started.set()
            _log.info("the scheduler runs in process %d", self._process.pid)
            await self._read(self._process)
            code = await self._process.wait()
            self.active = False
            if self._stopping:
                return
            _log.error("the scheduler process ended (exit %s); restarting it in %.0f s", code, wait)
            await asyncio.sleep(wait)
            wait = min(wait * 2, RESTART_AFTER_S[1])

    async def _read(self, process: asyncio.subprocess.Process) -> None:
        assert process.stdout is not None
        counted: dict[str, float] = {}  # this child's totals relayed so far (a restarted one counts from 0)
        async for raw in process.stdout:
            line = raw.decode(errors="replace").strip()
            if line == "leader":
                self.active = True
            elif line == "standby":
                self.active = False
            elif line.startswith("polled "):
                with contextlib.suppress(ValueError):
                    self.last_poll_round = datetime.fromisoformat(line.removeprefix("polled "))
            elif line.startswith("counts ") and self.metrics is not None:
                with contextlib.suppress(ValueError, TypeError, AttributeError):
                    totals = {str(k): float(v) for k, v in json.loads(line.removeprefix("counts ")).items()}
                    self.metrics.add_totals(totals, counted)
                    counted = totals

    async def channel_changed(self, channel_id: int) -> None:
        """Tell the child an admin changed this channel (its schedule is rebuilt now if it leads)."""
        process = self._process
        if process is None or process.returncode is not None or process.stdin is None:
            return
        try:
            process.stdin.write(f"changed {channel_id}\n".encode())
            await process.stdin.drain()
        except (ConnectionError, OSError) as exc:  # it is restarting; its start sweep sees the change
            _log.warning("could not tell the scheduler process of a change (%s)", exc)

    async def stop(self) -> None:
        """SIGTERM to the child; wait for its graceful stop (grace period and a margin), else kill it."""
        self._stopping = True
        process = self._process
        if process is not None and process.returncode is None:
            with contextlib.suppress(ProcessLookupError):
                process.send_signal(signal.SIGTERM)
            try:
                await asyncio.wait_for(process.wait(), self.shutdown_grace_s + STOP_MARGIN_S)
            except TimeoutError:
                _log.error("the scheduler process did not stop in time: killing it")
                with contextlib.suppress(ProcessLookupError):
                    process.kill()
                await process.wait()
        if self._task is not None:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)
        self.active = False
