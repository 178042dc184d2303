"""The digest of a channel: the stories of its feeds since its last digest, filtered, ranked, with what's new.

Stories are built once for many channels (`StoryPool`): the articles of every feed involved are grouped into
stories by the engine's story index and each story is merged and summarised once; each channel then picks
the stories that have news from its own feeds. A channel's digest refers to the shared `Story` objects.

"What's new" is the engine's: each story shown is recorded as the engine's `StorySnapshot`
(`briefings.stories.changes`), and the next digest asks the engine's `story_changes` what the story gained
since. Channels shown the same story share one snapshot text, so each (story, snapshot) pair is compared once.
"""

from __future__ import annotations

import logging
from bisect import bisect_right
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from bot.channels.config import TopicFilter
from bot.channels.topics import matching_topics, story_actor_names, story_search_text
from bot.channels.whats_new import whats_new_lines
from bot.delivery import DigestItem
from briefings.models import ArticleAnalysis, Story
from briefings.stories.changes import StorySnapshot, snapshot_story, story_changes
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
    last_published: float
    # The engine's snapshot of the story as JSON, made the first time a channel is shown it (then shared).
    _snapshot: str | None = None

    def snapshot_json(self, taken: datetime | None) -> str:
        """What a channel shown this story now keeps of it, to compare the next digest with."""
        if self._snapshot is None:
            self._snapshot = snapshot_story(self.story, taken).model_dump_json()
        return self._snapshot


@dataclass(frozen=True)
class DigestRequest:
    """What one channel's digest is built from: its feeds, topics, length, and what it already had."""

    channel_id: int
    feed_ids: Sequence[int]
    topics: TopicFilter
    length: int
    since: datetime | None
    # What the channel was shown of each story before: the engine's snapshot as JSON, by story key.
    snapshots: Mapping[str, str] = field(default_factory=dict)
    taken: datetime | None = None


@dataclass(frozen=True)
class DigestSelection:
    """The stories a channel gets, how many more there were, and the snapshots to keep of those shown."""

    items: list[DigestItem]
    more: int
    shown: list[tuple[str, str]]


def group_into_stories(analyses: Sequence[ArticleAnalysis]) -> list[tuple[str, list[ArticleAnalysis]]]:
    """Group articles into stories with the engine's batch clustering (oldest article first)."""
    batch = list(analyses)
    return [(group.id, [batch[i] for i in group.members]) for group in cluster_articles(batch)]


class StoryPool:
    """The stories of a set of articles, merged and summarised once, shared by many channels' digests."""

    def __init__(self, articles: Sequence[StoredArticle]) -> None:
        self._parsed: dict[str, StorySnapshot] = {}
        self._whats_new: dict[tuple[str, str], list[str]] = {}
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
                search_text=story_search_text(story),
                actor_names=story_actor_names(story),
                last_published=max(published, default=0.0),
            )
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
            matched = matching_topics(pooled.search_text, pooled.actor_names, request.topics)
            if request.topics.is_empty() or matched:
                candidates.append((pooled, new_articles, matched))
        candidates.sort(key=lambda c: (-c[1], -len(c[0].article_ids), -c[0].last_published, c[0].key))
        shown = candidates[: request.length]
        items: list[DigestItem] = []
        remembered: list[tuple[str, str]] = []
        for pooled, _, matched in shown:
            seen = self._seen_snapshot(pooled, request.snapshots)
            # Built from the pool's own validated data: skip re-validation (thousands per minute at scale).
            items.append(
                DigestItem.model_construct(
                    story=pooled.story,
                    key=pooled.key,
                    first_time=seen is None,
                    whats_new=[] if seen is None else self._whats_new_since(pooled, seen),
                    matched_topics=matched,
                )
            )
            remembered.append((pooled.key, pooled.snapshot_json(request.taken)))
        return DigestSelection(items=items, more=len(candidates) - len(shown), shown=remembered)

    def _parse(self, snapshot: str) -> StorySnapshot:
        parsed = self._parsed.get(snapshot)
        if parsed is None:
            parsed = self._parsed[snapshot] = StorySnapshot.model_validate_json(snapshot)
        return parsed

    def _seen_snapshot(self, pooled: PooledStory, snapshots: Mapping[str, str]) -> str | None:
        """The channel's snapshot of this story: by its key, else the one sharing most of its articles.

        A story's key is its first article's: when that article leaves the window, or the story absorbs an
        older one, the key changes while the story goes on, and its articles still say which story it is.
        """
        by_key = snapshots.get(pooled.key)
        if by_key is not None:
            return by_key
        articles = set(pooled.article_ids)
        best, best_overlap = None, 0
        for snapshot in snapshots.values():
            overlap = len(articles.intersection(self._parse(snapshot).articles))
            if overlap > best_overlap:
                best, best_overlap = snapshot, overlap
        return best

    def _whats_new_since(self, pooled: PooledStory, seen: str) -> list[str]:
        """The engine's diff of the story against the snapshot, in lines (once per story and snapshot)."""
        key = (pooled.key, seen)
        lines = self._whats_new.get(key)
        if lines is None:
            lines = self._whats_new[key] = whats_new_lines(story_changes(pooled.story, self._parse(seen)))
        return lines
