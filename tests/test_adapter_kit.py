"""The adapter kit every platform shares: the answer lifecycle and digests posted in parts exactly once.

A platform here is a channel kept in a list (the remote side of a chat platform); the kit is the real one.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

from bot.adapters.answering import Acknowledged, AnswerTiming, answer_request, finish_within
from bot.adapters.parts import PartedDelivery, PartMark, PostedPart, read_mark
from bot.commands.catalog import COMMANDS
from bot.commands.dispatch import Outcome, refusal
from bot.commands.parse import parse_command_text
from bot.delivery import OutgoingMessage
from bot.identity import ChannelRef
from briefings.render import Paragraph, Reply

REF = ChannelRef(platform="test", workspace="w", channel="c")
WHEN = datetime(2026, 3, 12, 8, 0, tzinfo=UTC)


def _on_a_loop() -> bool:
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return False
    return True


class ListChannel:
    """A remote channel: messages posted with their marks, read back as the platform would."""

    def __init__(self, parts: int) -> None:
        self.parts = parts
        self.messages: list[tuple[str, str]] = []  # (message id, mark text)
        self.rendered_on_loop: list[bool] = []

    def render(self, message: OutgoingMessage) -> list[str]:
        self.rendered_on_loop.append(_on_a_loop())
        return [f"{message.title} part {i}" for i in range(self.parts)]

    async def post_part(self, channel: ChannelRef, payload: str, mark: PartMark) -> PostedPart:
        ref = f"m{len(self.messages) + 1}"
        self.messages.append((ref, f"{payload} · {mark.text}"))
        return PostedPart(mark, ref, WHEN)

    async def recent_parts(self, channel: ChannelRef, idempotency_key: str) -> list[PostedPart]:
        found = [(ref, read_mark(text, idempotency_key)) for ref, text in self.messages]
        return [PostedPart(mark, ref, WHEN) for ref, mark in found if mark is not None]


def digest(key: str, resume: bool = False) -> OutgoingMessage:
    return OutgoingMessage(
        kind="notice", channel=REF, idempotency_key=key, scheduled_for=WHEN, title="T", resume=resume
    )


async def test_a_digest_in_parts_is_finished_on_resume_and_found_once_whole() -> None:
    channel = ListChannel(parts=3)
    delivery = PartedDelivery(channel)
    receipt = await delivery.deliver(digest("k1"))
    assert receipt.message_ref == "m1" and len(channel.messages) == 3
    assert channel.messages[2][1].endswith("3/3")
    found = await delivery.find_delivered(REF, "k1")
    assert found is not None and found.message_ref == "m1"
    assert await delivery.find_delivered(REF, "k2") is None
    # A crash after the first part: not delivered yet; a resume posts only the two missing parts.
    del channel.messages[1:]
    assert await delivery.find_delivered(REF, "k1") is None
    again = await delivery.deliver(digest("k1", resume=True))
    assert again.message_ref == "m1"
    assert [text.rsplit(" · ", 1)[1][-3:] for _, text in channel.messages] == ["1/3", "2/3", "3/3"]


async def test_a_digest_is_rendered_off_the_event_loop() -> None:
    """Rendering thousands of digests is CPU the loop answering commands must not spend."""
    channel = ListChannel(parts=2)
    await PartedDelivery(channel).deliver(digest("k1"))
    assert channel.rendered_on_loop == [False]


async def test_a_lone_message_carries_a_mark_without_a_number() -> None:
    channel = ListChannel(parts=1)
    await PartedDelivery(channel).deliver(digest("k1"))
    mark = read_mark(channel.messages[0][1], "k1")
    assert mark == PartMark("k1", 0, 1) and "/" not in channel.messages[0][1].split("ref ")[1]


class RecordingResponder:
    def __init__(self) -> None:
        self.events: list[tuple[str, object]] = []

    async def acknowledge(self, private: bool) -> bool:
        self.events.append(("ack", private))
        return True

    async def send(self, outcome: Outcome, acknowledged: Acknowledged | None) -> None:
        turned = acknowledged.must_turn_private(outcome) if acknowledged else None
        self.events.append(("send", turned))


async def test_a_quick_answer_is_sent_as_the_first_response() -> None:
    responder = RecordingResponder()
    command = COMMANDS.find(("who",))
    assert command is not None

    async def quick() -> Outcome:
        return Outcome(Reply(blocks=[Paragraph(text="x")]), ephemeral=False)

    await answer_request(command, quick, responder, AnswerTiming(1.0, 1.0))
    assert responder.events == [("send", None)]


async def test_a_slow_answer_is_acknowledged_first_and_a_refusal_turns_private() -> None:
    responder = RecordingResponder()
    command = COMMANDS.find(("who",))
    assert command is not None

    async def slow() -> Outcome:
        await asyncio.sleep(0.05)
        return refusal("no such story")

    await answer_request(command, slow, responder, AnswerTiming(0.0, 0.0))
    assert responder.events == [("ack", False), ("send", True)]


async def test_finish_within_gives_the_fallback_when_late_or_failing() -> None:
    async def late() -> list[str]:
        await asyncio.sleep(1)
        return ["late"]

    async def failing() -> list[str]:
        raise RuntimeError("database away")

    assert await finish_within(late(), 0.01, [], "late") == []
    assert await finish_within(failing(), 1, [], "failing") == []


def test_a_slash_commands_free_text_is_parsed_as_a_typed_line() -> None:
    parsed = parse_command_text(COMMANDS, "who", "harbour fire name:Okoro")
    assert parsed.command.name == "who" and parsed.options == {"story": "harbour fire", "name": "Okoro"}
    feeds = parse_command_text(COMMANDS, "/briefing", "feeds add https://x.example/feed")
    assert feeds.command.name == "briefing feeds add" and feeds.options == {"url": "https://x.example/feed"}
