"""The "More" path of a long answer: Slack takes at most five responses to one request's response_url.

An answer that needs more messages sends four, then a message saying how many are left with a More button.
The button carries the request itself (the command, its options, the first message not shown yet), not
the answer: pressing it runs the command again (its answer is usually kept, so this costs little) and sends
the next messages through the button's own response_url, with another More button if need be. Nothing is
kept between requests, so this works with several processes behind a load balancer. A request too long to
fit in a button (2,000 characters) is told how many messages were left out and how to ask for less.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from bot.slack.blocks import SlackMessage

_log = logging.getLogger(__name__)

MORE_ACTION = "briefbot_more"
MAX_RESPONSES = 5  # what Slack accepts through one response_url (within 30 minutes)
BUTTON_VALUE_CHARS = 2000


@dataclass(frozen=True)
class Continuation:
    """A request as it can be run again: the command (or message action), its options, where to go on."""

    command: str
    action: bool = False  # a message action, by its identifier; else a slash command, by its name
    options: Mapping[str, object] = field(default_factory=dict)
    start: int = 0  # the first message of the answer not sent yet

    def value(self) -> str | None:
        """The button's value, or None when the request does not fit in one."""
        data: dict[str, Any] = {"c": self.command, "o": dict(self.options), "s": self.start}
        if self.action:
            data["a"] = 1
        text = json.dumps(data, separators=(",", ":"), ensure_ascii=False)
        return text if len(text) <= BUTTON_VALUE_CHARS else None

    @classmethod
    def parse(cls, value: str) -> Continuation | None:
        """A continuation from a More button's value (None when it is not one)."""
        try:
            data = json.loads(value)
            options = data["o"]
            start = int(data["s"])
            if not isinstance(options, dict) or start < 0:
                return None
            return cls(command=str(data["c"]), action=bool(data.get("a")), options=options, start=start)
        except (ValueError, KeyError, TypeError) as exc:
            _log.info("a More button with an unreadable value: %s", exc)
            return None


def _context(text: str) -> dict[str, Any]:
    return {"type": "context", "elements": [{"type": "mrkdwn", "text": text}]}


def more_message(next_part: Continuation | None, left: int) -> SlackMessage:
    """The last response Slack allows: how many messages are left, and a More button for them (or, when the
    request cannot be asked again from a button, how to see the rest)."""
    text = f"{left} more message{'' if left == 1 else 's'} of this answer."
    value = next_part.value() if next_part is not None else None
    if value is None:
        told = (
            f"{text} Slack takes only {MAX_RESPONSES} replies to one request and this one is too long to "
            "ask again from a button: ask for less (one story, one person) to see the rest."
        )
        return SlackMessage(blocks=[_context(told)], text=told)
    button = {
        "type": "actions",
        "block_id": "briefbot_more",
        "elements": [
            {
                "type": "button",
                "action_id": MORE_ACTION,
                "text": {"type": "plain_text", "text": "More"},
                "value": value,
            }
        ],
    }
    return SlackMessage(blocks=[_context(text), button], text=text)


def answer_changed() -> SlackMessage:
    """Pressed More, but the answer has fewer messages now (the news changed since)."""
    text = "There is no more of that answer now: the news has changed since. Ask again for the latest."
    return SlackMessage(blocks=[_context(text)], text=text)
