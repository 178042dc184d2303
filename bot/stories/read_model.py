"""The one read model of stories: what digests and every command show of a story, for one set of feeds.

Which articles form a story is the story memory's, decided once for every tenant (`bot.stories.memory`).
What a channel sees of a story is merged from the articles of the feeds it follows, each presented as the
first of those feeds that found it presents it (link, outlet, source): another workspace's feed carrying
the same story never shows through. A view covers the story's whole life (every article those feeds ever
brought of it while it is kept), so `/timeline` of a two-week story starts on its first day.

Views are merged once per exact set of presented articles and shared (`StoryViews`): channels that follow
the same feeds, and channels whose feeds brought the same articles of a story, get the same object, so a
digest and `/stories` give a story the same name.
"""

from __future__ import annotations

import logging
from collections import OrderedDict
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import cached_property

from sqlalchemy.ext.asyncio import AsyncSession

from bot.channels.topics import story_actor_names, story_search_text
from bot.collector import collector_held_off
from bot.store import stories as story_store
from bot.store.articles import FoundArticle
from bot.store.db import Store
from bot.store.stories import StoryFinding
from bot.stories.memory import StoryMemory, article_key, memory_of
from briefings.models import ArticleAnalysis, Story
from briefings.stories.changes import StorySnapshot
from briefings.stories.index import IndexSettings
from briefings.stories.merge import merge_people_story, merge_story, merge_timeline_story

_log = logging.getLogger(__name__)

# The stories `/stories` lists and `/brief` ranks: those the channel's feeds brought news of lately.
ACTIVE_WINDOW = timedelta(days=3)
# How long a story stays answerable after its last article (BRIEFBOT_STORIES__KEEP_DAYS).
KEEP_DAYS = 90
# What a channel was shown of a story matters while the story can still get news: until the memory's
# index closes it (`IndexSettings.window_days` without news), and a day more.
SNAPSHOT_KEEP = timedelta(days=IndexSettings().window_days + 1)
_PARSED_LIMIT = 50_000
# Merged views kept for sharing: a view is ~45 KB, so 2,048 hold ~90 MB. Digests select channels that share
# feeds one after another (`DigestRunner`), so a view is reused while it is still kept.
VIEWS_KEPT = 2048


@dataclass(frozen=True)
class StoredArticle:
    """An article as one feed found it: its row, the feed, when that feed found it, its analysis as that
    feed presents it, its story in the memory and the stored article it reprints.

    `story` None: an article the memory has not placed (the engine's batch clustering groups those).
    """

    row_id: int
    feed_id: int
    fetched_at: datetime
    analysis: ArticleAnalysis
    story: str | None = None
    duplicate_of: int | None = None


# A view's key: the story, and each article's id with how it is presented (link, outlet, source): the same
# words presented by another feed make another view.
_ViewKey = tuple[str, tuple[tuple[str, str | None, str | None, str], ...]]


@dataclass
class StoryView:
    """A story as one set of feeds sees it, merged and summarised once, with what selecting it needs."""

    story: Story
    analyses: list[ArticleAnalysis]
    # The engine's snapshot of the view as JSON, made the first time a channel is shown it (then shared).
    snapshot: str | None = None
    whats_new: dict[str, list[str]] = field(default_factory=dict)

    @cached_property
    def search_text(self) -> str:
        """What a topic keyword is looked for in (made when topics are first checked: most channels have none)."""
        return story_search_text(self.story)

    @cached_property
    def actor_names(self) -> frozenset[str]:
        """The names a topic actor is looked for in."""
        return story_actor_names(self.story)


def _view_key(key: str, members: Sequence[ArticleAnalysis]) -> _ViewKey:
    return key, tuple((m.article.id, m.article.url, m.article.outlet, m.article.source) for m in members)


class StoryViews:
    """Story views merged once per exact set of presented articles, the most recent `limit` kept."""

    def __init__(self, limit: int = VIEWS_KEPT) -> None:
        self.limit = limit
        self.merged = 0
        self._kept: OrderedDict[_ViewKey, StoryView] = OrderedDict()
        self._parsed: dict[str, StorySnapshot] = {}

    def parse(self, snapshot: str) -> StorySnapshot:
        """A channel's kept snapshot, parsed once per text (channels shown the same story share one)."""
        parsed = self._parsed.get(snapshot)
        if parsed is None:
            if len(self._parsed) >= self.limit:
                self._parsed.clear()
            parsed = self._parsed[snapshot] = StorySnapshot.model_validate_json(snapshot)
        return parsed

    def kept(self, key: str, members: Sequence[ArticleAnalysis]) -> StoryView | None:
        """The story `key` as these articles tell it, if it was merged earlier and is still kept."""
        wanted = _view_key(key, members)
        found = self._kept.get(wanted)
        if found is not None:
            self._kept.move_to_end(wanted)
        return found

    def view(
        self,
        key: str,
        members: Sequence[ArticleAnalysis],
        duplicates: Mapping[str, str] | None = None,
        keep: bool = True,
    ) -> StoryView:
        """The story `key` as these articles tell it, merged now or earlier (kept for sharing unless `keep` is
        false: a caller that knows no one else will ask for it leaves the kept views to those that will)."""
        found = self.kept(key, members)
        if found is not None:
            return found
        wanted = _view_key(key, members)
        present = {m.article.id for m in members}
        # A reprint of an article these feeds did not bring is an original here.
        reprints = {a: b for a, b in (duplicates or {}).items() if a in present and b in present}
        story = merge_story(key, list(members), reprints)
        found = StoryView(story, list(members))
        self.merged += 1
        if keep:
            self._kept[wanted] = found
            if len(self._kept) > self.limit:
                self._kept.popitem(last=False)
        return found


class PresentedAnalyses:
    """Stored analyses parsed once per presentation (article, link, outlet, source), bounded."""

    def __init__(self, limit: int = _PARSED_LIMIT) -> None:
        self.limit = limit
        self._parsed: OrderedDict[tuple[int, str | None, str | None, str], ArticleAnalysis] = OrderedDict()

    def analysis(self, finding: FoundArticle) -> ArticleAnalysis:
        """The article's analysis as this finding's feed presents it."""
        key = (finding.row.id, finding.url, finding.outlet, finding.source)
        analysis = self._parsed.get(key)
        if analysis is not None:
            self._parsed.move_to_end(key)
            return analysis
        analysis = ArticleAnalysis.model_validate_json(finding.row.analysis)
        article = analysis.article
        article.id = article_key(finding.row.id)  # the ids digests, commands and the memory share
        article.url, article.outlet, article.source = finding.url, finding.outlet, finding.source
        self._parsed[key] = analysis
        if len(self._parsed) > self.limit:
            self._parsed.popitem(last=False)
        return analysis


def members_of(findings: Iterable[StoredArticle], feed_ids: Collection[int]) -> list[StoredArticle]:
    """Of one story's findings, what these feeds see: each article once, as the first of them to find it
    presents it, oldest first (by publication, else finding)."""
    first: dict[int, StoredArticle] = {}
    for finding in sorted(findings, key=lambda f: (f.fetched_at, f.feed_id)):
        if finding.feed_id in feed_ids:
            first.setdefault(finding.row_id, finding)
    return sorted(first.values(), key=lambda a: (a.analysis.article.published or a.fetched_at, a.row_id))


def duplicates_of(members: Iterable[StoredArticle]) -> dict[str, str]:
    """Which of the articles reprint which (by their shared ids)."""
    return {article_key(m.row_id): article_key(m.duplicate_of) for m in members if m.duplicate_of is not None}


def is_story_id(query: str) -> bool:
    """Whether what was typed (or sent back by autocomplete) is a story's id rather than words."""
    return query.strip().startswith("st-")


# The kept stories a query names, and what the feeds brought of them (as read from the store).
KeptFindings = tuple[list[str], list[StoryFinding]]


# A story read by its id alone, with its articles' analyses in its order (what an answer cites).
KeptStory = tuple[Story, list[ArticleAnalysis]]


class StoryClosed(LookupError):
    """The story asked for is no longer kept (closed, and older than the keep window)."""


class StoryReadModel:
    """The stories a set of feeds sees, from the story memory: for digests, commands, autocomplete."""

    def __init__(
        self, store: Store, memory: StoryMemory | None = None, views: StoryViews | None = None
    ) -> None:
        self.store = store
        self.memory = memory or memory_of(store)
        self.views = views or StoryViews()
        self.presented = PresentedAnalyses()

    async def catch_up(self, limit: int | None = None) -> None:
        """Place the articles stored but not yet in a story (the poller places its own as it stores them):
        all of them, or (`limit`: a command about to answer) about that many here and the rest in the
        background; all of them there when this process would first have to load a large stored state (a
        restart: `StoryMemory.index_pending`)."""
        report = await self.memory.index_pending(limit)
        if report.more:
            self.memory.place_in_background()

    def placing_backlog(self) -> bool:
        """Whether this process is placing a backlog of stored articles in the background now."""
        return self.memory.placing is not None and not self.memory.placing.done()

    async def findings(
        self, story_ids: Iterable[str], feed_ids: Iterable[int], until: datetime
    ) -> dict[str, list[StoredArticle]]:
        """Every article the feeds brought of the stories, by story, once per feed that found it."""
        async with self.store.transaction() as session:
            found = await story_store.story_findings(session, story_ids, feed_ids, until)
        return self.stored(found)

    def stored(self, found: Sequence[StoryFinding]) -> dict[str, list[StoredArticle]]:
        """Findings as the read model keeps them (analyses parsed once per presentation), by story."""
        return self._stored(iter(found))

    def take(self, found: list[StoryFinding]) -> dict[str, list[StoredArticle]]:
        """As `stored`, emptying the list as it goes: each row's JSON is freed once parsed, so a digest
        run over thousands of articles never holds every row and every parsed analysis at once."""
        found.reverse()

        def drained() -> Iterator[StoryFinding]:
            while found:
                yield found.pop()

        return self._stored(drained())

    def _stored(self, found: Iterator[StoryFinding]) -> dict[str, list[StoredArticle]]:
        by_story: dict[str, list[StoredArticle]] = {}
        for finding in found:
            f = finding.found
            by_story.setdefault(finding.story_id, []).append(
                StoredArticle(
                    f.row.id,
                    f.feed_id,
                    f.found_at,
                    self.presented.analysis(f),
                    finding.story_id,
                    finding.duplicate_of,
                )
            )
        return by_story

    def view(
        self, story_id: str, findings: Iterable[StoredArticle], feed_ids: Collection[int]
    ) -> StoryView | None:
        """The story as these feeds see it (None when they brought none of its articles)."""
        members = members_of(findings, feed_ids)
        if not members:
            return None
        return self.views.view(story_id, [m.analysis for m in members], duplicates_of(members))

    async def active_views(self, feed_ids: Sequence[int], now: datetime) -> list[StoryView]:
        """The stories the feeds brought news of in the active window, each as the feeds see its whole life."""
        async with self.store.transaction() as session:
            active = await story_store.active_stories(session, feed_ids, now - ACTIVE_WINDOW, now)
            found = await story_store.story_findings(session, active, feed_ids, now) if active else []
        views = []
        for story_id, findings in self.stored(found).items():
            view = self.view(story_id, findings, feed_ids)
            if view is not None:
                views.append(view)
        return views

    async def kept_view(self, feed_ids: Sequence[int], query: str, now: datetime) -> StoryView | None:
        """A story no longer active, by its id or the words of its articles' titles (None: no such story
        among these feeds'); StoryClosed when the id names a story no longer kept."""
        async with self.store.transaction() as session:
            candidates, found = await self._read_kept(session, feed_ids, query.strip(), now)
        with collector_held_off():  # many objects, no cycles: see `timeline_of`
            by_story = self.stored(found)
            for story_id in candidates:
                view = self.view(story_id, by_story.get(story_id, []), feed_ids)
                if view is not None:
                    return view
        return None

    async def kept_timeline(self, feed_ids: Sequence[int], story_id: str, now: datetime) -> Story | None:
        """What `/timeline` shows of the kept story with this id as these feeds see it: its name, sources
        and timeline, the same as its view's (`merge_timeline_story`), without merging the rest of the view
        (its people, quotes, claims and digest); the view's story when that is kept already. None: these
        feeds brought none of it; StoryClosed: no longer kept."""
        async with self.store.transaction() as session:
            found = await self.timeline_findings(session, feed_ids, story_id, now)
        return self.timeline_of(feed_ids, found)

    async def timeline_findings(
        self, session: AsyncSession, feed_ids: Sequence[int], story_id: str, now: datetime
    ) -> KeptFindings:
        """What `kept_timeline` reads, in the caller's transaction (a command reads its channel's feeds in
        the same one); `timeline_of` makes the timeline of it. StoryClosed: no longer kept."""
        return await self._read_kept(session, feed_ids, story_id.strip(), now)

    def timeline_of(self, feed_ids: Collection[int], found: KeptFindings) -> Story | None:
        """The timeline's story of what `timeline_findings` read (see `kept_timeline`).

        The collector is held off meanwhile (`collector_held_off`): the analyses parsed and the timeline
        merged are tens of thousands of objects without cycles, and a full pass of the collector over a
        process holding the story memory, started by them, took longer than the rest of the answer."""
        with collector_held_off():
            return self._timeline_of(feed_ids, found)

    def _timeline_of(self, feed_ids: Collection[int], found: KeptFindings) -> Story | None:
        told = self._told(feed_ids, found, merge_timeline_story)
        return told[0] if told is not None else None

    def people_of(self, feed_ids: Collection[int], found: KeptFindings) -> KeptStory | None:
        """What `/who` shows of what `timeline_findings` read: the story with its name, sources, timeline,
        people, quotes and claims, the same as its view's (`merge_people_story`), without its digest; with
        its articles' analyses in its order (the view's story and analyses when that is kept already).
        None: these feeds brought none of it. The collector is held off meanwhile (see `timeline_of`)."""
        with collector_held_off():
            return self._told(feed_ids, found, merge_people_story)

    async def kept_people(self, feed_ids: Sequence[int], story_id: str, now: datetime) -> KeptStory | None:
        """`people_of` the kept story with this id, read in a transaction of its own."""
        async with self.store.transaction() as session:
            found = await self.timeline_findings(session, feed_ids, story_id, now)
        return self.people_of(feed_ids, found)

    def _told(
        self,
        feed_ids: Collection[int],
        found: KeptFindings,
        merge: Callable[[str, list[ArticleAnalysis], Mapping[str, str]], Story],
    ) -> KeptStory | None:
        """The first candidate these feeds brought articles of, merged by `merge` (or its kept view's)."""
        candidates, findings = found
        by_story = self.stored(findings)
        for found_id in candidates:
            members = members_of(by_story.get(found_id, []), feed_ids)
            if not members:
                continue
            analyses = [m.analysis for m in members]
            view = self.views.kept(found_id, analyses)
            if view is not None:
                return view.story, view.analyses
            return merge(found_id, analyses, duplicates_of(members)), analyses
        return None

    @staticmethod
    async def _read_kept(
        session: AsyncSession, feed_ids: Sequence[int], typed: str, now: datetime
    ) -> KeptFindings:
        if is_story_id(typed):
            story = await story_store.find_story(session, typed)
            if story is None:
                raise StoryClosed(typed)
            candidates = [story.id]
        else:
            candidates = await story_store.search_titles(session, feed_ids, typed.split())
        # A story read over its whole life: its own articles are few beside what the feeds brought meanwhile.
        found = (
            await story_store.story_findings(session, candidates, feed_ids, now, whole_lives=True)
            if candidates
            else []
        )
        return candidates, found
