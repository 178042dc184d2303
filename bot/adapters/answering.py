"""The answer lifecycle every platform shares: acknowledge at once or after a short wait, answer later,
turn a reply private, finish within a deadline.

Discord and Slack both want the first sign of life within 3 seconds. The command runs at once; when it has
not finished after `acknowledge_after_s` (a command declared slow: after `slow_acknowledge_after_s`), the
platform's `Responder.acknowledge` is called meanwhile ("briefbot is thinking…" on Discord, an empty
`ack()` on Slack), and the answer follows through `Responder.send`, told whether it was acknowledged and
whether that acknowledgement was public, so a refusal after a public acknowledgement can still be sent
privately.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, Protocol, TypeVar

from bot.commands.dispatch import Outcome
from bot.commands.table import Command

_log = logging.getLogger(__name__)

T = TypeVar("T")


@dataclass(frozen=True)
class AnswerTiming:
    """When an answer still running is acknowledged; both well inside the platforms' 3 seconds."""

    acknowledge_after_s: float = 1.5
    slow_acknowledge_after_s: float = 0.25

    def delay_for(self, command: Command[Any]) -> float:
        """How long the command may run before it is acknowledged."""
        if command.slow:
            return min(self.slow_acknowledge_after_s, self.acknowledge_after_s)
        return self.acknowledge_after_s


@dataclass(frozen=True)
class Acknowledged:
    """How a request was acknowledged before its answer was ready."""

    private: bool  # the acknowledgement itself is seen only by the person who asked

    def must_turn_private(self, outcome: Outcome) -> bool:
        """Whether a private answer follows a public acknowledgement (which is then withdrawn)."""
        return outcome.ephemeral and not self.private


class Responder(Protocol):
    """The platform's half of answering one request."""

    async def acknowledge(self, private: bool) -> bool:
        """Tell the platform the answer is coming; False when that failed (the answer is then sent as new)."""
        ...

    async def send(self, outcome: Outcome, acknowledged: Acknowledged | None) -> None:
        """Send the answer: as the first response (None), or after the acknowledgement."""
        ...


async def answer_request(
    command: Command[Any],
    run: Callable[[], Awaitable[Outcome]],
    responder: Responder,
    timing: AnswerTiming,
) -> Outcome:
    """Run the command; acknowledge it if it takes long, then send its answer. Returns the outcome."""
    acknowledging: list[asyncio.Task[bool]] = []
    private = command.ephemeral
    timer = asyncio.get_running_loop().call_later(
        timing.delay_for(command),
        lambda: acknowledging.append(asyncio.ensure_future(responder.acknowledge(private))),
    )
    try:
        outcome = await run()
    finally:
        timer.cancel()
    acknowledged = await acknowledging[0] if acknowledging else False
    await responder.send(outcome, Acknowledged(private=private) if acknowledged else None)
    return outcome


async def finish_within(work: Awaitable[T], seconds: float, otherwise: T, what: str) -> T:
    """The work's result if it is ready within `seconds`, else `otherwise`; a failure is `otherwise` too.

    For answers that are worthless late, such as completions while a person types: the work goes on after
    the deadline (its result may serve the next keystroke), and its error, if any, is logged.
    """
    running = asyncio.ensure_future(work)
    running.add_done_callback(lambda task: _log_late_error(task, what))
    try:
        return await asyncio.wait_for(asyncio.shield(running), seconds)
    except Exception:  # late (TimeoutError) or failed: logged by the callback
        return otherwise


def _log_late_error(task: asyncio.Future[Any], what: str) -> None:
    if not task.cancelled() and task.exception() is not None:
        _log.debug("%s failed: %s", what, task.exception())
