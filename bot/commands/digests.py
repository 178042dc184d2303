"""A scheduled digest or notice as platform-neutral blocks, the same for every adapter that posts it."""

from __future__ import annotations

from bot.delivery import DigestItem, OutgoingMessage
from briefings.digest.answers import story_context
from briefings.render import Block, BulletList, Context, Divider, Heading, Paragraph, Reply


def _item_blocks(item: DigestItem) -> list[Block]:
    story = item.story
    blocks: list[Block] = [Heading(text=story.headline or story.name)]
    if story.digest:
        blocks.append(Paragraph(text=" ".join(story.digest)))
    if not item.first_time and item.whats_new:
        blocks.append(Paragraph(text="Since the last digest:"))
        blocks.append(BulletList(items=list(item.whats_new)))
    small = story_context(story).elements
    if item.matched_topics:
        small = [*small, "topics: " + ", ".join(item.matched_topics)]
    blocks.append(Context(elements=small))
    return blocks


def digest_reply(message: OutgoingMessage) -> Reply:
    """The message's blocks: its title and note, then each story's headline, digest, news and sources."""
    blocks: list[Block] = [Heading(text=message.title)]
    if message.text:
        blocks.append(Paragraph(text=message.text))
    if message.kind == "notice":
        return Reply(blocks=blocks)
    for item in message.items:
        blocks.extend(_item_blocks(item))
    if message.more:
        blocks.append(Divider())
        blocks.append(Context(elements=[f"{message.more} more stories: /stories"]))
    return Reply(blocks=blocks)
