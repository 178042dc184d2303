"""The digest of a channel: the stories of its feeds since its last digest, filtered, ranked, with what's new.

Stories come from the story memory (`bot.stories`): which articles form a story is decided once, for
every tenant; a `StoryPool` holds the articles of a run's stories, by story and by feed, and gives each
channel the view of a story merged from *its own* feeds' articles only (`StoryReadModel.view`): the story it
is shown never carries another feed's sentences, quotes or outlets. A view is merged only when a channel
is shown it (or its topics must be checked), once per exact set of articles however many channels see
it alike (`StoryViews`), the same view `/stories` and every command show.

"What's new" is the engine's: each story shown is recorded as the engine's `StorySnapshot`
(`briefings.stories.changes`), and the next digest asks the engine's `story_changes` what the story gained
since. Channels shown the same view share one snapshot text, so each (view, snapshot) pair is compared once.
"""

from __future__ import annotations

import logging
from bisect import bisect_right
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from bot.channels.config import TopicFilter
from bot.channels.topics import matching_topics
from bot.channels.whats_new import whats_new_lines
from bot.delivery import DigestItem
from bot.stories.read_model import StoredArticle, StoryView, StoryViews, duplicates_of, members_of
from briefings.models import ArticleAnalysis, Story
from briefings.stories.changes import snapshot_story, story_changes
from briefings.stories.clustering import cluster_articles

_log = logging.getLogger(__name__)

__all__ = ["DigestRequest", "DigestSelection", "PooledStory", "StoredArticle", "StoryPool", "StoryViews"]


class PooledStory:
    """A story as one channel's feeds see it: its articles, ranked without merging; merged when first needed."""

    def __init__(
        self, key: str, members: list[StoredArticle], views: StoryViews, shared: bool = True
    ) -> None:
        self.key = key
        self.members = members
        self.article_ids = [m.analysis.article.id for m in members]
        published = [m.analysis.article.published for m in members if m.analysis.article.published]
        self.last_published = max((p.timestamp() for p in published), default=0.0)
        self._views = views
        self._shared = shared
        self._merged: StoryView | None = None

    @property
    def merged(self) -> StoryView:
        """The merged view (merged on first use, shared with every channel that sees the same articles)."""
        if self._merged is None:
            self._merged = self._views.view(
                self.key, [m.analysis for m in self.members], duplicates_of(self.members), keep=self._shared
            )
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
    """Group articles the memory has not placed with the engine's batch clustering (oldest article first)."""
    batch = list(analyses)
    return [(group.id, [batch[i] for i in group.members]) for group in cluster_articles(batch)]


class StoryPool:
    """The articles of a run's stories, by story and by feed; each channel gets its own feeds' view of each."""

    def __init__(self, articles: Sequence[StoredArticle], views: StoryViews | None = None) -> None:
        self._views = views if views is not None else StoryViews()
        articles = _placed(articles)
        # Per story, its articles by the feed that found them: a channel's view is read from its own feeds'
        # lists only, never by going through every feed's articles of a story (hundreds at scale).
        self._by_story: dict[str, dict[int, list[StoredArticle]]] = defaultdict(lambda: defaultdict(list))
        by_feed: dict[int, list[tuple[datetime, str, int]]] = defaultdict(list)
        for article in articles:
            story = article.story or ""
            self._by_story[story][article.feed_id].append(article)
            by_feed[article.feed_id].append((article.fetched_at, story, article.row_id))
        self._story_feeds = {story: frozenset(feeds) for story, feeds in self._by_story.items()}
        # Per feed, its articles by when it found them: a channel finds its new stories by bisecting.
        self._by_feed = {feed: sorted(entries) for feed, entries in by_feed.items()}
        self._fetch_times = {feed: [t for t, _, _ in entries] for feed, entries in self._by_feed.items()}
        # How many of the channels expected (`expect`) see each story through the same feeds; None: unknown.
        self._expected: Counter[tuple[str, frozenset[int]]] | None = None

    def expect(self, requests: Iterable[DigestRequest]) -> None:
        """The channels about to be served: a story's view that only one of them sees is merged for it and not
        kept, so the bounded kept views hold those that several of them see (with feed sets of their own,
        nearly every channel sees most of its stories through a set of feeds no other channel has)."""
        self._expected = Counter(
            (story, self._feeds_of(story, frozenset(request.feed_ids)))
            for request in requests
            for story in self._new_counts(request)
        )

    def __len__(self) -> int:
        return len(self._by_story)

    @property
    def stories(self) -> list[PooledStory]:
        """Every story of the pool as all of its feeds see it (for a caller that serves all of them)."""
        return [self.story_for(story, self._story_feeds[story]) for story in self._by_story]

    def story_for(self, story: str, feed_ids: Sequence[int] | frozenset[int]) -> PooledStory:
        """The story as these feeds see it: merged from their articles of it only."""
        # Not kept here but in the (bounded) views: a run over many distinct feed sets keeps its memory flat.
        feeds = self._feeds_of(story, feed_ids)
        by_feed = self._by_story.get(story, {})
        findings = [article for feed in feeds for article in by_feed[feed]]
        shared = self._expected is None or self._expected[(story, feeds)] > 1
        return PooledStory(story, members_of(findings, feeds), self._views, shared)

    def _feeds_of(self, story: str, feed_ids: Iterable[int]) -> frozenset[int]:
        """Which of these feeds brought articles of the story."""
        return self._story_feeds.get(story, frozenset()).intersection(feed_ids)

    def _new_counts(self, request: DigestRequest) -> dict[str, int]:
        """How many articles each story gained from the channel's feeds since its last digest."""
        new: dict[str, set[int]] = defaultdict(set)
        for feed_id in request.feed_ids:
            entries = self._by_feed.get(feed_id)
            if not entries:
                continue
            start = 0 if request.since is None else bisect_right(self._fetch_times[feed_id], request.since)
            for _, story, row_id in entries[start:]:
                new[story].add(row_id)  # found by two of its feeds: still one article
        return {story: len(rows) for story, rows in new.items()}

    def select(self, request: DigestRequest) -> DigestSelection:
        """The channel's digest: stories with news from its feeds since its last one, on its topics."""
        feeds = frozenset(request.feed_ids)
        candidates: list[tuple[PooledStory, int, list[str]]] = []
        for story, new_articles in self._new_counts(request).items():
            pooled = self.story_for(story, feeds)
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
            overlap = len(articles.intersection(self._views.parse(snapshot).articles))
            if overlap > best_overlap:
                best, best_overlap = snapshot, overlap
        return best

    def _whats_new_since(self, pooled: PooledStory, seen: str) -> list[str]:
        """The engine's diff of the story against the snapshot, in lines (once per story and snapshot)."""
        merged = pooled.merged
        lines = merged.whats_new.get(seen)
        if lines is None:
            lines = merged.whats_new[seen] = whats_new_lines(
                story_changes(merged.story, self._views.parse(seen))
            )
        return lines


def _placed(articles: Sequence[StoredArticle]) -> list[StoredArticle]:
    """The articles, each with its story: those the memory has not placed are grouped by the engine."""
    unplaced = [a for a in articles if a.story is None]
    if not unplaced:
        return list(articles)
    ordered = sorted(unplaced, key=lambda a: (a.analysis.article.published or a.fetched_at, a.row_id))
    unique = list({a.row_id: a.analysis for a in ordered}.values())
    story_of: dict[str, str] = {}
    for key, members in group_into_stories(unique):
        for member in members:
            story_of[member.article.id] = key
    placed = [a for a in articles if a.story is not None]
    # An article that carries no news is in no story: it is left out.
    placed += [
        StoredArticle(a.row_id, a.feed_id, a.fetched_at, a.analysis, story_of[a.analysis.article.id])
        for a in unplaced
        if a.analysis.article.id in story_of
    ]
    return placed
