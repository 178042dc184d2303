"""The digest of a channel: the stories of its feeds since its last digest, filtered, ranked, with what's new.

A `StoryPool` holds the stories of one set of feeds, built from those feeds' articles only: channels that
follow the same feeds share a pool, and a channel never gets a pool with another feed's articles in it
(the story it is shown would carry their sentences, quotes and outlets). Articles are grouped into stories
by the engine's story index; a story is merged and summarised only when a channel is shown it (or its
topics must be checked), once per set of articles however many pools group them alike (`StoryMerges`).

"What's new" is the engine's: each story shown is recorded as the engine's `StorySnapshot`
(`briefings.stories.changes`), and the next digest asks the engine's `story_changes` what the story gained
since. Channels shown the same story share one snapshot text, so each (story, snapshot) pair is compared once.
"""

from __future__ import annotations

import logging
from bisect import bisect_right
from collections import OrderedDict, defaultdict
from collections.abc import Collection, Mapping, Sequence
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
    """An article as one feed found it: its row, the feed, when that feed found it, and its analysis.

    An article several feeds of a pool carry comes once per feed, with one analysis (the same object).
    """

    row_id: int
    feed_id: int
    fetched_at: datetime
    analysis: ArticleAnalysis


# A story's articles as merged: its key, and each article's id with how it is presented (link, outlet,
# source): the same words presented by another feed make another story object.
_MergeKey = tuple[str, tuple[tuple[str, str | None, str | None, str], ...]]


@dataclass
class MergedStory:
    """A story merged and summarised once, with what selecting it and saying what's new in it need."""

    story: Story
    search_text: str
    actor_names: frozenset[str]
    # The engine's snapshot of the story as JSON, made the first time a channel is shown it (then shared).
    snapshot: str | None = None
    whats_new: dict[str, list[str]] = field(default_factory=dict)


class StoryMerges:
    """Stories merged once per set of articles, shared by the pools of one run; the most recent `limit` kept.

    Pools of different feed sets often group some articles alike (a story only one feed tells): its merge
    is then done once. Bounded, so a run over many distinct feed sets keeps its memory flat.
    """

    def __init__(self, limit: int = 4096) -> None:
        self.limit = limit
        self.merged = 0
        self._kept: OrderedDict[_MergeKey, MergedStory] = OrderedDict()
        self._parsed: dict[str, StorySnapshot] = {}

    def parse(self, snapshot: str) -> StorySnapshot:
        """A channel's kept snapshot, parsed once per text (channels shown the same story share one)."""
        parsed = self._parsed.get(snapshot)
        if parsed is None:
            parsed = self._parsed[snapshot] = StorySnapshot.model_validate_json(snapshot)
        return parsed

    def merge(self, key: str, members: Sequence[ArticleAnalysis]) -> MergedStory:
        """The story of these articles under this key, merged now or earlier."""
        wanted: _MergeKey = (
            key,
            tuple((m.article.id, m.article.url, m.article.outlet, m.article.source) for m in members),
        )
        found = self._kept.get(wanted)
        if found is not None:
            self._kept.move_to_end(wanted)
            return found
        story = merge_story(key, list(members))
        found = MergedStory(story, story_search_text(story), story_actor_names(story))
        self.merged += 1
        self._kept[wanted] = found
        if len(self._kept) > self.limit:
            self._kept.popitem(last=False)
        return found


class PooledStory:
    """A story of a pool: its articles, ranked without merging; merged when first needed."""

    def __init__(
        self, key: str, members: list[ArticleAnalysis], last_published: float, merges: StoryMerges
    ) -> None:
        self.key = key
        self.members = members
        self.article_ids = [m.article.id for m in members]
        self.last_published = last_published
        self._merges = merges
        self._merged: MergedStory | None = None

    @property
    def merged(self) -> MergedStory:
        """The merged story (merged on first use)."""
        if self._merged is None:
            self._merged = self._merges.merge(self.key, self.members)
        return self._merged

    @property
    def story(self) -> Story:
        """The engine's story of these articles."""
        return self.merged.story

    def snapshot_json(self, taken: datetime | None) -> str:
        """What a channel shown this story now keeps of it, to compare the next digest with."""
        merged = self.merged
        if merged.snapshot is None:
            merged.snapshot = snapshot_story(merged.story, taken).model_dump_json()
        return merged.snapshot


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
    """The stories of one set of feeds' articles, each merged once when needed, shared by its channels."""

    def __init__(
        self,
        articles: Sequence[StoredArticle],
        merges: StoryMerges | None = None,
        feeds: Collection[int] | None = None,
    ) -> None:
        # The feeds the articles were read for: only a channel following all of them may use the pool.
        self.feeds = frozenset(feeds) if feeds is not None else None
        self._merges = merges if merges is not None else StoryMerges()
        ordered = sorted(articles, key=lambda a: (a.analysis.article.published or a.fetched_at, a.row_id))
        # An article two of the pool's feeds carry is one article of its story.
        unique = list({a.row_id: a.analysis for a in ordered}.values())
        self.stories: list[PooledStory] = []
        story_of_article: dict[str, int] = {}
        for story_key, members in group_into_stories(unique):
            published = [m.article.published.timestamp() for m in members if m.article.published]
            pooled = PooledStory(story_key, members, max(published, default=0.0), self._merges)
            for article_id in pooled.article_ids:
                story_of_article[article_id] = len(self.stories)
            self.stories.append(pooled)
        # Per feed, its articles by when it found them: a channel finds its new stories by bisecting.
        by_feed: dict[int, list[tuple[datetime, int, int]]] = defaultdict(list)
        for article in ordered:
            by_feed[article.feed_id].append(
                (article.fetched_at, story_of_article[article.analysis.article.id], article.row_id)
            )
        self._by_feed = {feed: sorted(entries) for feed, entries in by_feed.items()}
        self._fetch_times = {feed: [t for t, _, _ in entries] for feed, entries in self._by_feed.items()}

    def __len__(self) -> int:
        return len(self.stories)

    def _new_counts(self, request: DigestRequest) -> dict[int, int]:
        """How many articles each story gained from the channel's feeds since its last digest."""
        new: dict[int, set[int]] = defaultdict(set)
        for feed_id in request.feed_ids:
            entries = self._by_feed.get(feed_id)
            if not entries:
                continue
            start = 0 if request.since is None else bisect_right(self._fetch_times[feed_id], request.since)
            for _, story_index, row_id in entries[start:]:
                new[story_index].add(row_id)  # found by two of its feeds: still one article
        return {story_index: len(rows) for story_index, rows in new.items()}

    def select(self, request: DigestRequest) -> DigestSelection:
        """The channel's digest: stories with news from its feeds since its last one, on its topics."""
        if self.feeds is not None and not self.feeds.issubset(request.feed_ids):
            raise ValueError(
                f"the stories of feeds {sorted(self.feeds)} are not for channel {request.channel_id}, which "
                f"follows {sorted(request.feed_ids)}"
            )
        candidates: list[tuple[PooledStory, int, list[str]]] = []
        for story_index, new_articles in self._new_counts(request).items():
            pooled = self.stories[story_index]
            if request.topics.is_empty():
                candidates.append((pooled, new_articles, []))
                continue
            merged = pooled.merged
            matched = matching_topics(merged.search_text, merged.actor_names, request.topics)
            if matched:
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
            overlap = len(articles.intersection(self._merges.parse(snapshot).articles))
            if overlap > best_overlap:
                best, best_overlap = snapshot, overlap
        return best

    def _whats_new_since(self, pooled: PooledStory, seen: str) -> list[str]:
        """The engine's diff of the story against the snapshot, in lines (once per story and snapshot)."""
        merged = pooled.merged
        lines = merged.whats_new.get(seen)
        if lines is None:
            lines = merged.whats_new[seen] = whats_new_lines(
                story_changes(merged.story, self._merges.parse(seen))
            )
        return lines
