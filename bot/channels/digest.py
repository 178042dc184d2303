"""The digest of a channel: the stories of its feeds since its last digest, filtered, ranked, with what's new.

Stories are built once for many channels (`StoryPool`): the articles of every feed involved are grouped into
stories by the engine's story index and each story is merged and summarised once; each channel then picks
the stories that have news from its own feeds. A channel's digest refers to the shared `Story` objects.
"""

from __future__ import annotations

import hashlib
import logging
from bisect import bisect_right
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from bot.channels.config import TopicFilter
from bot.delivery import DigestItem
from briefings.models import ArticleAnalysis, Story, TimelineEntry
from briefings.stories.clustering import cluster_articles
from briefings.stories.merge import merge_story

_log = logging.getLogger(__name__)


@dataclass(frozen=True)
class StoredArticle:
    """An article read back from the store: its row, its feed, when it was fetched, and its analysis."""

    row_id: int
    feed_id: int
    fetched_at: datetime
    analysis: ArticleAnalysis


@dataclass
class PooledStory:
    """A story built once for every channel that gets it, with what selecting and ranking it needs."""

    key: str
    story: Story
    article_ids: list[str]
    search_text: str
    actor_names: frozenset[str]
    timeline_keys: dict[str, TimelineEntry]
    last_published: float
    # What a delivery records for this story (shared by every channel that gets it).
    covered_entry: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class DigestRequest:
    """What one channel's digest is built from: its feeds, topics, length, and what it already had."""

    channel_id: int
    feed_ids: Sequence[int]
    topics: TopicFilter
    length: int
    since: datetime | None
    covered: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class DigestSelection:
    """The stories a channel gets, how many more there were, and what to remember as covered."""

    items: list[DigestItem]
    more: int
    covered: dict[str, Any]


def _row_number(article_id: str) -> int:
    """The store's row number of an article id ("a123" → 123; 0 for ids not from the store)."""
    digits = article_id[1:]
    return int(digits) if article_id.startswith("a") and digits.isdigit() else 0


def _timeline_key(entry: TimelineEntry) -> str:
    return hashlib.blake2s(f"{entry.when}|{entry.what}".encode(), digest_size=8).hexdigest()


def _search_text(story: Story) -> str:
    parts = [story.headline, *story.digest]
    for actor in story.actors:
        parts.extend([actor.name, *actor.aliases, *actor.roles])
    parts.extend(place.name for place in story.places)
    return " ".join(parts).lower()


def group_into_stories(analyses: Sequence[ArticleAnalysis]) -> list[tuple[str, list[ArticleAnalysis]]]:
    """Group articles into stories with the engine's batch clustering (oldest article first)."""
    batch = list(analyses)
    return [(group.id, [batch[i] for i in group.members]) for group in cluster_articles(batch)]


class StoryPool:
    """The stories of a set of articles, merged and summarised once, shared by many channels' digests."""

    def __init__(self, articles: Sequence[StoredArticle]) -> None:
        ordered = sorted(articles, key=lambda a: (a.analysis.article.published or a.fetched_at, a.row_id))
        self.stories: list[PooledStory] = []
        story_of_article: dict[str, int] = {}
        for story_key, members in group_into_stories([a.analysis for a in ordered]):
            story = merge_story(story_key, members)
            ids = [m.article.id for m in members]
            published = [m.article.published.timestamp() for m in members if m.article.published]
            pooled = PooledStory(
                key=story_key,
                story=story,
                article_ids=ids,
                search_text=_search_text(story),
                actor_names=frozenset(
                    name.lower() for actor in story.actors for name in (actor.name, *actor.aliases)
                ),
                timeline_keys={_timeline_key(entry): entry for entry in story.timeline},
                last_published=max(published, default=0.0),
            )
            pooled.covered_entry = {
                "upto": max((_row_number(a) for a in ids), default=0),
                "timeline": sorted(pooled.timeline_keys),
            }
            for article_id in ids:
                story_of_article[article_id] = len(self.stories)
            self.stories.append(pooled)
        # Per feed, its articles by fetch time: a channel finds its new stories by bisecting, not scanning.
        by_feed: dict[int, list[tuple[datetime, int]]] = defaultdict(list)
        for article in ordered:
            by_feed[article.feed_id].append(
                (article.fetched_at, story_of_article[article.analysis.article.id])
            )
        self._by_feed = {feed: sorted(entries) for feed, entries in by_feed.items()}
        self._story_keys = frozenset(story.key for story in self.stories)
        self._fetch_times = {feed: [t for t, _ in entries] for feed, entries in self._by_feed.items()}

    def __len__(self) -> int:
        return len(self.stories)

    def _new_counts(self, request: DigestRequest) -> dict[int, int]:
        counts: dict[int, int] = defaultdict(int)
        for feed_id in request.feed_ids:
            entries = self._by_feed.get(feed_id)
            if not entries:
                continue
            start = 0 if request.since is None else bisect_right(self._fetch_times[feed_id], request.since)
            for _, story_index in entries[start:]:
                counts[story_index] += 1
        return counts

    def select(self, request: DigestRequest) -> DigestSelection:
        """The channel's digest: stories with news from its feeds since its last one, on its topics."""
        candidates: list[tuple[PooledStory, int, list[str]]] = []
        for story_index, new_articles in self._new_counts(request).items():
            pooled = self.stories[story_index]
            matched = matching_topics(pooled, request.topics)
            if request.topics.is_empty() or matched:
                candidates.append((pooled, new_articles, matched))
        candidates.sort(key=lambda c: (-c[1], -len(c[0].article_ids), -c[0].last_published, c[0].key))
        shown = candidates[: request.length]
        # Remember only stories still in the window: older ones cannot come back into a digest.
        covered = {
            key: value
            for key, value in request.covered.items()
            if isinstance(value, dict) and key in self._story_keys
        }
        items: list[DigestItem] = []
        for pooled, _, matched in shown:
            before = request.covered.get(pooled.key)
            # Built from the pool's own validated data: skip re-validation (thousands per minute at scale).
            items.append(
                DigestItem.model_construct(
                    story=pooled.story,
                    key=pooled.key,
                    first_time=before is None,
                    whats_new=whats_new(pooled, before) if isinstance(before, dict) else [],
                    matched_topics=matched,
                )
            )
            covered[pooled.key] = pooled.covered_entry
        return DigestSelection(items=items, more=len(candidates) - len(shown), covered=covered)


def matching_topics(pooled: PooledStory, topics: TopicFilter) -> list[str]:
    """The channel topics a story matches: keywords in its text, actors among its people and organisations."""
    matched = [k for k in topics.keywords if k.lower() in pooled.search_text]
    for actor in topics.actors:
        wanted = actor.lower()
        if wanted in pooled.actor_names or any(wanted in name for name in pooled.actor_names):
            matched.append(actor)
    return matched


def whats_new(pooled: PooledStory, before: dict[str, Any]) -> list[str]:
    """What a story gained since the channel last had it: new timeline entries, new sources."""
    seen_entries = set(before.get("timeline") or [])
    upto = int(before.get("upto") or 0)
    lines = [
        f"{entry.when}: {entry.what}"
        for key, entry in pooled.timeline_keys.items()
        if key not in seen_entries and entry.what
    ]
    # Articles are numbered as they are stored, so the ones above the last digest's highest are new.
    new_sources = [a for a in pooled.article_ids if _row_number(a) > upto]
    if new_sources:
        lines.append(f"{len(new_sources)} new source{'s' if len(new_sources) != 1 else ''}")
    return lines
