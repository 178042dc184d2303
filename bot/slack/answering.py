"""Answering slash commands, buttons and shortcuts on Slack, on the shared answer lifecycle.

Slack wants `ack()` within 3 seconds. The command starts at once; the listener returns as soon as the first
response exists: the answer itself in the acknowledgement when it is ready in time (one round trip), else an
empty `ack()` after the kit's short wait, the answer following through `respond` (the request's
response_url). Answers are Block Kit messages within Slack's limits; a reply that needs several messages is
sent as several responses, at most the five response_url takes, the last of them a More button when more
are left (`bot.slack.more`). Refusals and errors are ephemeral: only the person who asked sees them.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from slack_bolt.context.ack.async_ack import AsyncAck
from slack_bolt.context.respond.async_respond import AsyncRespond

from bot.adapters.answering import Acknowledged, AnswerTiming, answer_request
from bot.commands.dispatch import Outcome
from bot.commands.table import Command
from bot.slack.blocks import SlackBlock, SlackMessage, reply_messages, with_blocks
from bot.slack.more import MAX_RESPONSES, Continuation, answer_changed, more_message

_log = logging.getLogger(__name__)

FIRST_RESPONSE_WITHIN_S = 2.5  # the listener never holds Slack's request longer than this


def response_type(outcome: Outcome) -> str:
    """Slack's name for who sees an answer."""
    return "ephemeral" if outcome.ephemeral else "in_channel"


class SlackResponder:
    """Slack's half of the answer lifecycle: `ack()` for the first response, `respond` for the rest.

    `request` is the request as it can be run again (for a More button), from its `start`-th message on.
    """

    def __init__(
        self,
        ack: AsyncAck | None,
        respond: AsyncRespond,
        replace_original: bool = False,
        request: Continuation | None = None,
    ) -> None:
        self.ack = ack
        self.respond = respond
        self.replace_original = replace_original
        self.request = request
        self.first_response = asyncio.Event()
        # Slack-only additions to a successful answer (the buttons under /stories).
        self.extra_blocks: list[SlackBlock] = []

    def _within_limit(self, shown: int, rest: list[SlackMessage]) -> list[SlackMessage]:
        """The responses to send: all of `rest`, or as many as Slack takes with a More message last."""
        if len(rest) <= MAX_RESPONSES:
            return rest
        sent = rest[: MAX_RESPONSES - 1]
        left = len(rest) - len(sent)
        request = self.request
        next_part = (
            None
            if request is None
            else Continuation(
                request.command, request.action, request.options, request.start + shown + len(sent)
            )
        )
        return [*sent, more_message(next_part, left)]

    async def acknowledge(self, private: bool) -> bool:
        """An empty acknowledgement: Slack shows nothing, the answer follows through response_url."""
        if self.ack is not None:
            await self.ack()
        self.first_response.set()
        return True

    async def send(self, outcome: Outcome, acknowledged: Acknowledged | None) -> None:
        """The answer in the acknowledgement (when not acknowledged yet), further messages through respond."""
        messages = with_blocks(reply_messages(outcome.reply), [] if outcome.refused else self.extra_blocks)
        if self.request is not None and self.request.start:
            messages = messages[self.request.start :] or [answer_changed()]
        kind = response_type(outcome)
        rest: list[SlackMessage] = messages
        shown = 0
        try:
            if acknowledged is None and self.ack is not None:
                first = messages[0]
                await self.ack(text=first.text, blocks=first.blocks, response_type=kind)
                self.first_response.set()
                rest = messages[1:]
                shown = 1
            for message in self._within_limit(shown, rest):
                await self.respond(
                    text=message.text,
                    blocks=message.blocks,
                    response_type=kind,
                    replace_original=self.replace_original,
                    delete_original=False,
                )
        except Exception as exc:  # the person sees nothing more; the operator sees why
            _log.warning("could not answer on Slack: %s", exc)
        finally:
            self.first_response.set()


class AnswerRunner:
    """Runs answers in the background, so a listener returns as soon as Slack has its first response."""

    def __init__(self, timing: AnswerTiming) -> None:
        self.timing = timing
        self._running: set[asyncio.Task[Any]] = set()

    async def answer(
        self, command: Command[Any], run: Callable[[], Awaitable[Outcome]], responder: SlackResponder
    ) -> None:
        """Start the answer; return once Slack has been acknowledged (or answered)."""
        task = asyncio.create_task(answer_request(command, run, responder, self.timing))
        self._running.add(task)
        task.add_done_callback(self._finished)
        try:
            await asyncio.wait_for(responder.first_response.wait(), FIRST_RESPONSE_WITHIN_S)
        except TimeoutError:  # never leave Slack without an acknowledgement
            await responder.acknowledge(command.ephemeral)

    def _finished(self, task: asyncio.Task[Any]) -> None:
        self._running.discard(task)
        if not task.cancelled() and task.exception() is not None:
            _log.error("a Slack answer failed", exc_info=task.exception())

    async def drain(self) -> None:
        """Wait for the answers still being sent (on shutdown)."""
        if self._running:
            await asyncio.gather(*self._running, return_exceptions=True)
