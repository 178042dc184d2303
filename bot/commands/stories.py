"""The stories of a channel's feeds for its commands, from the story memory's one read model, kept so commands
answer in milliseconds.

A `StoryLibrary` asks the read model (`bot.stories.read_model`) for the stories the channel's feeds brought
news of lately, each as those feeds see its whole life (the same views digests show, so a story has one
name), and keeps them per set of feeds: channels following the same feeds share them. A channel's view is
checked against the store at most every `max_age_s` seconds with one cheap query (the last turn that placed
one of its feeds' articles, and how many are placed in the window); only newly placed articles cause a
re-read. A command places at most `placed_before_answer` queued articles itself; a larger backlog (the
migration queues every stored article) is placed in the background, and the stories appear as it goes. A story no longer active
is still found by its id or its words (`find_kept`) while the memory keeps it. Configuration changes made
through the commands drop the channel's view at once (`forget`).
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TypeVar

from bot.channels.config import TopicFilter, topics_of
from bot.channels.errors import ChannelNotSetUp, StoreDown
from bot.channels.topics import matching_topics, story_actor_names
from bot.clock import Clock
from bot.collector import holding_collector_off
from bot.commands.errors import NoStories, UnknownStory
from bot.identity import ChannelRef
from bot.store import channels as channel_store
from bot.store import stories as story_store
from bot.store.db import Store, StoreUnavailable
from bot.stories.read_model import (
    ACTIVE_WINDOW,
    KeptFindings,
    KeptStory,
    StoryClosed,
    StoryReadModel,
    StoryView,
    is_story_id,
)
from bot.user_messages import DATABASE_DOWN, NOT_SET_UP
from briefings.digest.lookup import find_actor, find_story, story_choices
from briefings.models import ArticleAnalysis, Story
from briefings.render import Reply
from briefings.stories.placement import story_of_article

_log = logging.getLogger(__name__)
_Kept = TypeVar("_Kept")

MAX_KEPT_ANSWERS = 2048
# Queued articles a command places before answering: a few batches (what the poller has not placed yet);
# a larger backlog (the migration queues every stored article) is placed in the background meanwhile.
PLACED_BEFORE_ANSWER = 200
STORY_NOT_KEPT = "That story is closed and no longer kept."
# What builds an answer about a story: from the story and its articles' analyses, in its order.
StoryAnswer = Callable[[Story, list[ArticleAnalysis]], Reply]


def _asked(question: tuple[str, ...], story: Story) -> tuple[str, ...]:
    """The key an answer is kept under: the question's first word, the story's id, the rest of it."""
    return (question[0], story.id, *question[1:])


@dataclass(frozen=True)
class StoryChoice:
    """A completion for a `story` option: the name shown and the value sent back."""

    name: str
    value: str


def _sources(story: Story) -> int:
    return (
        story.source_count or len([r for r in story.sources if r.duplicate_of is None]) or len(story.articles)
    )


def _latest(story: Story) -> float:
    when = story.last_published or story.first_published
    return when.timestamp() if when is not None else 0.0


def _shorten(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    cut = text.rfind(" ", 0, limit - 1)
    return text[: cut if cut > limit // 2 else limit - 1].rstrip() + "…"


@dataclass
class ChannelNews:
    """The stories of one set of articles, best first, with the analyses behind them."""

    stories: list[Story]
    analyses: dict[str, ArticleAnalysis]
    search_texts: list[str]
    window: timedelta
    feed_ids: tuple[int, ...] = ()
    # Read while stored articles were still being placed in their stories (a backlog, in the background).
    placing: bool = False
    _views: dict[str, StoryView] = field(default_factory=dict)
    _answers: dict[tuple[str, ...], Reply] = field(default_factory=dict)
    _by_id: dict[str, Story] = field(default_factory=dict)
    _found: dict[str, Story] = field(default_factory=dict)
    _actor_names: list[frozenset[str]] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._by_id = {story.id: story for story in self.stories}

    @classmethod
    def from_views(
        cls,
        views: Sequence[StoryView],
        window: timedelta,
        feed_ids: Sequence[int] = (),
        placing: bool = False,
    ) -> ChannelNews:
        """The stories ranked: most independent sources first, then the latest news."""
        ranked = sorted(views, key=lambda v: (-_sources(v.story), -_latest(v.story), v.story.id))
        return cls(
            stories=[v.story for v in ranked],
            analyses={a.article.id: a for v in ranked for a in v.analyses},
            search_texts=[v.search_text for v in ranked],
            window=window,
            feed_ids=tuple(feed_ids),
            placing=placing,
            _views={v.story.id: v for v in ranked},
        )

    def keep_found(self, view: StoryView) -> Story:
        """Remember a story found beyond the active ones (by id or words) for these feeds; return it."""
        self._views.setdefault(view.story.id, view)
        self._by_id.setdefault(view.story.id, view.story)
        return view.story

    def on_topics(self, topics: TopicFilter) -> list[Story]:
        """The stories on a channel's topics, best first (all of them when it has none)."""
        if topics.is_empty():
            return self.stories
        if not self._actor_names:
            self._actor_names = [story_actor_names(s) for s in self.stories]
        return [
            story
            for story, text, names in zip(self.stories, self.search_texts, self._actor_names, strict=True)
            if matching_topics(text, names, topics)
        ]

    def analyses_of(self, story: Story) -> list[ArticleAnalysis]:
        """The analyses of the story's articles, in its order."""
        view = self._views.get(story.id)
        if view is not None and view.story is story:
            return list(view.analyses)
        return [self.analyses[i] for i in story.articles if i in self.analyses]

    def top(self) -> Story:
        """The channel's top story now, or NoStories."""
        if not self.stories:
            raise self.no_stories()
        return self.stories[0]

    def no_stories(self) -> NoStories:
        """The refusal when there is nothing to answer from."""
        if self.placing:
            return NoStories(
                "No stories yet: briefbot is still sorting the articles it has stored into stories. "
                "Try again in a few minutes."
            )
        days = max(1, round(self.window.total_seconds() / 86400))
        return NoStories(
            f"No stories yet: this channel's feeds have brought no articles in the last {days} days. "
            "Feeds are read every few minutes; /briefing status shows how each one is doing."
        )

    def find(self, query: str | None) -> Story:
        """The story a typed name, keyword or actor means (none typed: the top story), or UnknownStory."""
        if query is None or not query.strip():
            return self.top()
        typed = query.strip()
        exact = self._by_id.get(typed) or self._found.get(typed.casefold())
        if exact is None and not self.stories:
            raise self.no_stories()
        if exact is not None:
            return exact
        story = self._search(typed)
        if len(self._found) >= MAX_KEPT_ANSWERS:
            self._found.clear()
        self._found[typed.casefold()] = story  # the same words find the same story in these stories
        return story

    def _search(self, typed: str) -> Story:
        named = find_story(self.stories, typed)
        if named.found is not None:
            return named.found
        for story in self.stories:  # an actor: the best-ranked story they are in
            if find_actor(story.actors, typed).found is not None:
                return story
        words = typed.lower().split()
        for story, text in zip(self.stories, self.search_texts, strict=True):  # keywords: all of them
            if all(word in text for word in words):
                return story
        raise UnknownStory(
            f"No story in this channel's news matches “{_shorten(typed, 60)}”.",
            suggestions=named.suggestions,
            hint="/stories lists them all.",
        )

    def choices(self, typed: str, limit: int, name_chars: int) -> list[StoryChoice]:
        """Completions for a `story` option: names starting with or like what is typed, then stories whose
        people or words match it; the value sent back is the story's id.

        `limit` and `name_chars` are the platform's: how many completions it shows, and how long each may be.
        """
        first_with_name: dict[str, int] = {}
        for i, story in enumerate(self.stories):
            first_with_name.setdefault(story.name or story.headline, i)
        picked = [
            first_with_name[name]
            for name in story_choices(self.stories, typed, limit)
            if name in first_with_name
        ]
        words = typed.strip().lower().split()
        if words and len(picked) < limit:
            picked += [
                i
                for i, text in enumerate(self.search_texts)
                if i not in picked and all(word in text for word in words)
            ]
        return [
            StoryChoice(
                name=_shorten(self.stories[i].name or self.stories[i].headline, name_chars),
                value=self.stories[i].id,
            )
            for i in picked[:limit]
        ]

    def story_of(self, analysis: ArticleAnalysis) -> Story | None:
        """The story of these stories an article from elsewhere belongs to, or None (CPU-bound: off the loop)."""
        return story_of_article(self.stories, list(self.analyses.values()), analysis)

    def answer(self, key: tuple[str, ...], build: Callable[[], Reply]) -> Reply:
        """A reply built once per question for these stories (they do not change; a rebuild is a new object)."""
        reply = self._answers.get(key)
        if reply is None:
            if len(self._answers) >= MAX_KEPT_ANSWERS:  # typed names vary without end: keep it bounded
                self._answers.clear()
            reply = self._answers[key] = build()
        return reply


@dataclass
class _View:
    channel_id: int
    stamp: tuple[object, ...]
    news: ChannelNews
    checked: float
    topics: TopicFilter = field(default_factory=TopicFilter)


class StoryLibrary:
    """The stories behind each channel's commands, built once and re-checked against the store now and then."""

    def __init__(
        self,
        store: Store,
        clock: Clock,
        max_age_s: float = 10.0,
        stale_s: float = 60.0,
        window: timedelta = ACTIVE_WINDOW,
        read_model: StoryReadModel | None = None,
        placed_before_answer: int = PLACED_BEFORE_ANSWER,
    ) -> None:
        self.store = store
        self.read_model = read_model or StoryReadModel(store)
        self.placed_before_answer = placed_before_answer
        self.clock = clock
        self.max_age_s = max_age_s
        self.stale_s = stale_s
        self.window = window
        self._views: dict[str, _View] = {}
        self._shared: dict[tuple[object, ...], ChannelNews] = {}
        self._refreshing: dict[str, asyncio.Task[_View]] = {}
        # Stories read by their id alone (`_find_by_id`), per channel, with when they were read.
        self._read_by_id: dict[tuple[str, str], tuple[ChannelNews, Story, float]] = {}
        # Answers (`/timeline`, `/who`) about stories read by their id alone (`_answer`), per channel and
        # question, with when they were read.
        self._answers_by_id: dict[tuple[str, ...], tuple[Reply, float]] = {}

    async def news_for(self, ref: ChannelRef) -> ChannelNews:
        """The channel's stories now: kept ones if checked recently, else checked (and rebuilt if changed)."""
        return (await self._view(ref)).news

    async def news_and_topics(self, ref: ChannelRef) -> tuple[ChannelNews, TopicFilter]:
        """The channel's stories and its topic filter, read together (the same view of the store)."""
        view = await self._view(ref)
        return view.news, view.topics

    async def find(self, ref: ChannelRef, query: str | None) -> tuple[ChannelNews, Story]:
        """The story a member means, with the channel's news: an active one, else one the memory still keeps
        (by its id, or the words of its articles' titles), seen through the channel's feeds only.

        A story named by its id (what autocomplete sends back) while the channel's stories are not read yet
        is read from its own rows alone (`_find_by_id`): the first `/timeline story:…` after a start does not
        wait for every story of the channel to be merged.
        """
        if query is not None and is_story_id(query) and not self._kept_recently(ref):
            found = await self._find_by_id(ref, query.strip())
            if found is not None:
                return found
        news = await self.news_for(ref)
        try:
            return news, news.find(query)
        except (UnknownStory, NoStories) as refused:
            if query is None or not query.strip():
                raise
            view = await self._kept_view(news.feed_ids, query, self.clock.now())
            if view is None:
                raise refused from None
            return news, news.keep_found(view)

    async def _kept_view(self, feed_ids: Sequence[int], query: str, now: datetime) -> StoryView | None:
        """The kept story `query` names, as these feeds see it; a closed one and a store that went away are
        answered as users are told of them."""
        return await self._kept(self.read_model.kept_view(feed_ids, query, now))

    async def _kept(self, read: Awaitable[_Kept]) -> _Kept:
        """A kept story read from the store; a closed one and a store that went away are answered as users
        are told of them."""
        try:
            return await read
        except StoryClosed:
            raise UnknownStory(STORY_NOT_KEPT, hint="/stories lists the stories kept now.") from None
        except StoreUnavailable as exc:
            _log.error("%s", exc)
            raise StoreDown(DATABASE_DOWN) from exc

    def _kept_recently(self, ref: ChannelRef) -> bool:
        """Whether the channel's stories are kept and recent enough to answer without waiting (`_view`)."""
        view = self._views.get(ref.key())
        return view is not None and time.monotonic() - view.checked < self.max_age_s + self.stale_s

    async def timeline(self, ref: ChannelRef, query: str | None, answer: Callable[[Story], Reply]) -> Reply:
        """`/timeline` of the story `query` means (`answer` builds it from the story), kept per question as
        every answer is. A story named by its id while the channel's stories are not read yet is read from
        its own rows with only what its timeline shows merged (`StoryReadModel.kept_timeline`): that story
        answers nothing else, so it is kept here, apart from the channel's news."""
        return await self._answer(ref, query, ("timeline",), lambda story, _: answer(story), people=False)

    async def people_answer(
        self, ref: ChannelRef, query: str | None, question: tuple[str, ...], answer: StoryAnswer
    ) -> Reply:
        """An answer about the people, places or words of the story `query` means (`/who`, `/where`,
        `/quotes`): `question` is what is asked (the command, and the name asked for if any), `answer`
        builds the reply from the story and its articles' analyses. As `timeline`, a story named by its id
        while the channel's stories are not read yet is read from its own rows with only its people,
        places, quotes and claims merged (`StoryReadModel.people_of`: not its digest)."""
        return await self._answer(ref, query, question, answer, people=True)

    @holding_collector_off
    async def _answer(
        self,
        ref: ChannelRef,
        query: str | None,
        question: tuple[str, ...],
        answer: StoryAnswer,
        people: bool,
    ) -> Reply:
        """The answer to `question` about the story `query` means, kept per question (under the story's
        id after the question's first word, as `ChannelNews.answer` keeps every answer).

        The cyclic garbage collector is held off until the answer is made and what it read is freed
        (`holding_collector_off`): the rows, analyses and merged story of a long story are hundreds of
        thousands of objects in no cycle, and a pass of the collector started by them while they lived
        went over all of them. Measured on `/timeline` of a 302-article story, 60 fresh reads: two or three
        a run took 150-230 ms, each in a full pass of 110-130 ms; held off to the end, none did."""
        if query is None or not is_story_id(query) or self._kept_recently(ref):
            return await self._answer_of_news(ref, query, question, answer)
        key = (ref.key(), query.strip())
        read = self._read_by_id.get(key)
        if read is not None and time.monotonic() - read[2] < self.max_age_s:
            news, story = read[0], read[1]
            return news.answer(_asked(question, story), lambda: answer(story, news.analyses_of(story)))
        kept_key = (*key, *question)
        kept = self._answers_by_id.get(kept_key)
        if kept is not None and time.monotonic() - kept[1] < self.max_age_s:
            return kept[0]
        told = await self._kept(self._told_by_id(ref, key[1], self.clock.now(), people))
        if told is None:  # its feeds brought none of it: the channel's stories answer, as `find` does
            return await self._answer_of_news(ref, query, question, answer)
        reply = answer(*told)
        if len(self._answers_by_id) >= MAX_KEPT_ANSWERS:
            self._answers_by_id.clear()
        self._answers_by_id[kept_key] = (reply, time.monotonic())
        return reply

    async def _told_by_id(
        self, ref: ChannelRef, story_id: str, now: datetime, people: bool
    ) -> KeptStory | None:
        """The story with this id as the channel's feeds see it, with what `/who` shows (`people`) or what
        `/timeline` shows merged (`StoryReadModel.people_of`, `timeline_of`; a timeline comes without
        analyses: it cites none). Read in one transaction with those feeds when no article waits for its
        story (the usual case: the poller places its own; asked in the query that reads the feeds, a round
        trip fewer); else once the waiting ones are placed (`_feeds_of`). Called through `_kept`, which
        answers a store gone away."""
        read: tuple[list[int], KeptFindings] | None = None
        async with self.store.transaction() as session:
            feed_ids, queued = await channel_store.feed_ids_and_queue_of_ref(session, ref)
            if feed_ids is None:
                raise ChannelNotSetUp(NOT_SET_UP)
            if not queued:
                read = feed_ids, await self.read_model.timeline_findings(session, feed_ids, story_id, now)
        if read is None:
            feed_ids = await self._feeds_of(ref)
            if people:
                return await self.read_model.kept_people(feed_ids, story_id, now)
            story = await self.read_model.kept_timeline(feed_ids, story_id, now)
        elif people:
            return self.read_model.people_of(*read)
        else:
            story = self.read_model.timeline_of(*read)
        return (story, []) if story is not None else None

    async def _answer_of_news(
        self, ref: ChannelRef, query: str | None, question: tuple[str, ...], answer: StoryAnswer
    ) -> Reply:
        news, story = await self.find(ref, query)
        return news.answer(_asked(question, story), lambda: answer(story, news.analyses_of(story)))

    async def _feeds_of(self, ref: ChannelRef) -> list[int]:
        """The feeds the channel follows, once the articles waiting for their stories are placed (a few here,
        a backlog in the background)."""
        try:
            await self.read_model.catch_up(self.placed_before_answer)
            async with self.store.transaction() as session:
                channel = await channel_store.find_channel(session, ref)
                if channel is None:
                    raise ChannelNotSetUp(NOT_SET_UP)
                return list(await channel_store.feed_ids_of(session, channel.id))
        except StoreUnavailable as exc:
            _log.error("%s", exc)
            raise StoreDown(DATABASE_DOWN) from exc

    async def _find_by_id(self, ref: ChannelRef, story_id: str) -> tuple[ChannelNews, Story] | None:
        """The story with this id as the channel's feeds see it, read from its own rows (None: its feeds
        brought none of it; the channel's stories then answer, as for any other query)."""
        key = (ref.key(), story_id)
        kept = self._read_by_id.get(key)
        if kept is not None and time.monotonic() - kept[2] < self.max_age_s:
            return kept[0], kept[1]
        now = self.clock.now()
        feed_ids = await self._feeds_of(ref)
        view = await self._kept_view(feed_ids, story_id, now)
        if view is None:
            return None
        news = ChannelNews.from_views([view], self.window, feed_ids, self.read_model.placing_backlog())
        if len(self._read_by_id) >= MAX_KEPT_ANSWERS:
            self._read_by_id.clear()
        self._read_by_id[key] = (news, view.story, time.monotonic())
        return news, view.story

    async def _view(self, ref: ChannelRef) -> _View:
        """The channel's view: kept if checked recently, else checked (and rebuilt if changed).

        A view checked more than `max_age_s` ago still answers for `stale_s` more while it is checked in
        the background, so no command waits for the store; an older one (or none) is waited for.
        """
        key = ref.key()
        view = self._views.get(key)
        age = time.monotonic() - view.checked if view is not None else None
        if view is not None and age is not None and age < self.max_age_s:
            return view
        task = self._refreshing.get(key)
        if task is None:
            task = asyncio.create_task(self._refresh(ref, view), name=f"stories {key}")
            self._refreshing[key] = task
            task.add_done_callback(lambda done: self._refreshed(key, done))
        if view is not None and age is not None and age < self.max_age_s + self.stale_s:
            return view
        return await asyncio.shield(task)

    def _refreshed(self, key: str, task: asyncio.Task[_View]) -> None:
        self._refreshing.pop(key, None)
        if not task.cancelled() and task.exception() is not None:
            # Whoever waited has the error; a background check's is only logged.
            _log.debug("checking the stories of %s failed: %s", key, task.exception())

    def forget(self, ref: ChannelRef) -> None:
        """Drop the channel's view (its configuration changed): the next command reads the store again."""
        self._views.pop(ref.key(), None)
        self._read_by_id.clear()
        self._answers_by_id.clear()

    async def _refresh(self, ref: ChannelRef, old: _View | None) -> _View:
        now = self.clock.now()
        since = now - self.window
        try:
            await self.read_model.catch_up(self.placed_before_answer)
            async with self.store.transaction() as session:
                channel = await channel_store.find_channel(session, ref)
                if channel is None:
                    self._views.pop(ref.key(), None)
                    raise ChannelNotSetUp(NOT_SET_UP)
                topics = topics_of(channel)  # read on every check: another process may have changed them
                feed_ids = await channel_store.feed_ids_of(session, channel.id)
                newest, count = await story_store.placed_since(session, feed_ids, since)
                placing = self.read_model.placing_backlog()
                stamp: tuple[object, ...] = (tuple(feed_ids), newest, count, placing)
                news = old.news if old is not None and old.stamp == stamp else self._shared.get(stamp)
            if news is None:
                started = time.perf_counter()
                views = await self.read_model.active_views(feed_ids, now)
                news = ChannelNews.from_views(views, self.window, feed_ids, placing)
                self._keep_shared(stamp, news)
                _log.info(
                    "read %d stories of %s in %.2f s",
                    len(news.stories),
                    ref.key(),
                    time.perf_counter() - started,
                )
        except StoreUnavailable as exc:
            _log.error("%s", exc)
            raise StoreDown(DATABASE_DOWN) from exc
        view = _View(channel.id, stamp, news, time.monotonic(), topics)
        self._views[ref.key()] = view
        return view

    def _keep_shared(self, stamp: tuple[object, ...], news: ChannelNews) -> None:
        # Only stamps some channel still uses are worth keeping.
        live = {view.stamp for view in self._views.values()}
        for old in [s for s in self._shared if s not in live]:
            del self._shared[old]
        self._shared[stamp] = news
