"""Buttons under /stories on Slack: Brief, Who and Timeline for each story, answered as block actions."""

from __future__ import annotations

from bot.commands.table import CommandServices
from bot.identity import ChannelRef
from bot.slack.blocks import SlackBlock
from bot.slack.mrkdwn import escape_mrkdwn

# action_id → the command the button runs, with the story's id as its `story`.
STORY_ACTIONS = {
    "briefbot_story_brief": "brief",
    "briefbot_story_who": "who",
    "briefbot_story_timeline": "timeline",
}
BUTTON_LABELS = {"brief": "Brief", "who": "Who", "timeline": "Timeline"}
MAX_STORIES_WITH_BUTTONS = 10  # two blocks each: within 50 with the list above them
STORY_NAME_CHARS = 150


async def story_buttons(services: CommandServices, ref: ChannelRef) -> list[SlackBlock]:
    """For the channel's top stories: the story's name, then its three buttons."""
    news = await services.stories.news_for(ref)
    blocks: list[SlackBlock] = [{"type": "divider"}]
    for story in news.stories[:MAX_STORIES_WITH_BUTTONS]:
        name = (story.name or story.headline or story.id)[:STORY_NAME_CHARS]
        blocks.append(
            {"type": "context", "elements": [{"type": "mrkdwn", "text": f"*{escape_mrkdwn(name)}*"}]}
        )
        blocks.append(
            {
                "type": "actions",
                "block_id": f"story:{story.id}"[:255],
                "elements": [
                    {
                        "type": "button",
                        "action_id": action_id,
                        "text": {"type": "plain_text", "text": BUTTON_LABELS[command]},
                        "value": story.id[:2000],
                    }
                    for action_id, command in STORY_ACTIONS.items()
                ],
            }
        )
    return blocks
