"""The headline and the short digest of a story: what `merge_story` asks for."""

from __future__ import annotations

import logging

from briefings.digest.writer import (
    MAX_DIGEST_WORDS,
    DigestWriter,
    ExtractiveWriter,
    unsupported_sentences,
)
from briefings.models import ArticleAnalysis, Story

__all__ = ["MAX_DIGEST_WORDS", "summarize"]

_log = logging.getLogger(__name__)
_EXTRACTIVE = ExtractiveWriter()


def summarize(
    story: Story, analyses: list[ArticleAnalysis], writer: DigestWriter | None = None
) -> tuple[str, list[str]]:
    """A headline and digest sentences (at most 120 words in all) for a merged story and its articles.

    Another writer's draft is used only when every sentence checks out against the sources and it keeps
    to the length; otherwise the extractive digest stands in.
    """
    if not analyses:
        return story.headline or story.name, []
    if writer is not None:
        draft = writer.write(story, analyses)
        bad = unsupported_sentences(draft, analyses)
        if not bad and draft.words() <= MAX_DIGEST_WORDS:
            return draft.headline, draft.texts()
        _log.warning(
            "story %s: digest writer's draft rejected (%d unsupported sentences)", story.id, len(bad)
        )
    draft = _EXTRACTIVE.write(story, analyses)
    return draft.headline, draft.texts()
