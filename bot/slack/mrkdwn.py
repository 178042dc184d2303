"""What Slack accepts in a message (Block Kit's limits), and article text escaped for mrkdwn.

Slack reads `<…>` as a link or a mention (`<!channel>`, `<@U…>`, `<https://x|disguised>`) and `&` as the
start of an entity, so every piece of article text has `&`, `<` and `>` escaped: no article can then
notify a channel, mention a person or disguise a link. `@channel` typed as plain text notifies nobody in
an app's message, but it is broken up all the same, so that no reader mistakes it for one.
"""

from __future__ import annotations

import re

from briefings.render import Limits

# A header 150 characters; a section's text 3000; a section's fields 10, each one text of at most 2000
# ("*name*\nvalue" shares it); a context block 10 elements; 50 blocks in a message.
SLACK_LIMITS = Limits(
    heading=150,
    text=3000,
    fields_per_block=10,
    field_name=256,
    field_value=2000 - 256 - 8,
    context_elements=10,
    context_text=3000,
    link_text=3000,
    blocks_per_message=50,
)
# A message's plain-text `text` (notifications, screen readers): Slack truncates beyond 40,000.
FALLBACK_TEXT_CHARS = 3000

_ZWSP = "\u200b"
_SPECIAL = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;"})
_AT = re.compile(r"@(channel|here|everyone)\b", re.IGNORECASE)


def escape_mrkdwn(text: str) -> str:
    """Text Slack shows as written: & < > escaped (so no <!channel>, <@U…>), @channel/@here broken up."""
    return _AT.sub(lambda m: f"@{_ZWSP}{m.group(1)}", text.translate(_SPECIAL))
