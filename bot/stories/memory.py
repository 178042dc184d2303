"""The persisted story memory: the engine's incremental story index, fed each article once, kept for weeks.

Which articles form a story is decided here once, for every tenant, by the engine's `StoryIndex`; what a
channel is shown of a story is merged from its own feeds' articles only (`bot.stories.read_model`).

How it is stored (`bot.store.stories`): each article's place is a row (`story_articles`, with its turn
`seq`), each story a row (`stories`); the index's own state (open stories' profiles, their articles'
reprint signatures, postings, bands, document frequencies) is kept in parts (`bot.stories.index_state`):
each batch writes only what it changed (a delta), and the whole state is written again as the base only
when the deltas add up to a share of it (`compact`): before the call's next batch, or in the background
after its last, so no call (a command's, a poll's) waits for it at its end. So a save costs what the batch
changed, not the state. A process starts from the base and applies the deltas, never replaying articles
(it replays only turns placed by an older version, after its base); closed stories leave the index's
state (`IndexSettings.forget_closed`), and an article's reprint signature leaves it after `REPRINT_DAYS`
(`IndexSettings.reprint_days`), and the document frequencies follow the last `FREQUENCY_DOCUMENTS` or so
articles (`IndexSettings.frequency_documents`), so the state, the start-up and the cost per article follow
the open stories and the last days, not the history.
On PostgreSQL a base written and a prune are followed by a VACUUM of the tables they rewrote or emptied,
and every `VACUUM_EVERY` articles placed, of the story rows and queue each batch rewrites: the store's size
and the cost of a batch follow what it keeps, not how often it was rewritten.

Exactly once: a stored article is queued in the transaction that stores it; it is placed, dequeued and
its place written in one transaction, which first takes the memory's lock (a PostgreSQL transaction-scoped
advisory lock; on SQLite the database's write lock). The index is one shared state: two indexers working
at once would both build on the same snapshot and disagree. With the lock the second waits, replays what
the first placed, and finds the queue empty. A worker that dies, or a database that goes away, mid-update
rolls the transaction back (the lock goes with it): nothing is half-written, the articles stay queued,
and this process drops its in-memory index (it is ahead of the store) and reads it again.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import logging
import time
import weakref
import zlib
from collections.abc import AsyncIterator, Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from pydantic import ValidationError
from sqlalchemy.ext.asyncio import AsyncSession

from bot.collector import collector_held_off, freeze_what_lives
from bot.store import stories as story_store
from bot.store.db import Store
from bot.store.stories import MemoryTurns, Placed, QueuedArticle
from bot.stories.index_state import StateTracker, apply_deltas, decode_base, decode_whole_state
from briefings.models import ArticleAnalysis
from briefings.stories.index import STATE_VERSION, IndexSettings, StoryIndex, StoryIndexState, story_id_for
from briefings.stories.remnants import set_aside_reason

_log = logging.getLogger(__name__)

# The version of what the store keeps (the engine's state version, and how it is written here).
MEMORY_VERSION = STATE_VERSION * 100 + 7
# The version before wrote the same parts, but could leave in its postings stories merged away and features
# a story's centroid had dropped (never emptied: they grew with every story ever merged): still read, and
# its postings tidied once (`StoryIndex.tidy_postings`).
STRAY_POSTINGS_VERSION = STATE_VERSION * 100 + 6
# The version before that wrote each article's entry as a model (`PackedArticle`): still read.
ARTICLE_MODELS_VERSION = STATE_VERSION * 100 + 5
# The version before that wrote changed profiles whole: still read. After loading what an earlier version wrote,
# the first save writes a base (`_base_due`): an earlier process then rebuilds rather than misread a delta.
CENTROIDS_WHOLE_VERSION = STATE_VERSION * 100 + 4
# The version before that wrote postings whole, and compressed with zlib: still read.
POSTINGS_WHOLE_VERSION = STATE_VERSION * 100 + 3
# The version before that wrote profiles unpacked: still read (`apply_deltas` reads either).
UNPACKED_PROFILES_VERSION = STATE_VERSION * 100 + 2
# The earlier version wrote the engine's whole state as its own JSON, every few hundred articles: still read.
WHOLE_STATE_VERSION = STATE_VERSION * 100 + 1
BATCH = 100
# An article's reprint signature is kept this many days after its publication: reprints come within days,
# and a follow-up worded like an earlier report (a story quiet for five days) still finds it a week on.
REPRINT_DAYS = 7
# The document frequencies follow about this many articles (`IndexSettings.frequency_documents`): a month of
# a busy deployment's news. News brings new names and words every day: counted for ever, they grew with the
# weeks kept (some 22 new words an article, on the Multi-News dev set), in memory, in every base written
# and in what a start loads.
FREQUENCY_DOCUMENTS = 50_000
REPLAY_BATCH = 500
# The tables every batch rewrites rows of (`story_store.CHURNED_TABLES`) are vacuumed after this many
# articles placed: each batch leaves dead versions of the story rows it updated and of the queue entries it
# took. Left to autovacuum (off on some servers, and late on a busy one: it waits for a fifth of a table to
# be dead), they pile up, and every read of a story row or of the queue steps over them: at 2,000 articles
# a day, seven dead versions of each kept story row by day 40, and the queue's index 80,000 dead entries long.
VACUUM_EVERY = 2000
# A command places the articles waiting for their stories before it answers, loading the index first when
# this process holds none yet (a restart). A stored state larger than this (base and deltas, compressed) is
# loaded in the background instead, and the command answers from the stories placed so far: a load costs
# about 0.1 s per MB of base and 0.25 s per MB of deltas (day 20 of 2,000 articles a day: 14 MB of base),
# so no answer waits more than about half a second for one, however long the history.
LOAD_BEFORE_ANSWER_BYTES = 2 * 1024 * 1024


def article_key(article_id: int) -> str:
    """The id digests, commands and the index share for a stored article."""
    return f"a{article_id}"


def row_id_of(key: str | None) -> int | None:
    """The stored article behind an id made by `article_key`."""
    if key is None or not key.startswith("a") or not key[1:].isdigit():
        return None
    return int(key[1:])


@dataclass
class IndexingReport:
    """What one call placed: articles, stories opened, merged and closed."""

    placed: int = 0
    opened: int = 0
    merged: int = 0
    closed: int = 0
    replayed: int = 0
    # Articles were still queued when the call stopped at its limit (or before a long load: `index_pending`).
    more: bool = False


def memory_settings() -> IndexSettings:
    """The index settings of the persisted memory: the engine's defaults, forgetting closed stories,
    after a few days the reprint signatures of open ones (what start-up loads follows the days, not the
    fortnight a story stays open), and the frequencies of features not seen for many articles."""
    return IndexSettings(
        forget_closed=True, reprint_days=REPRINT_DAYS, frequency_documents=FREQUENCY_DOCUMENTS
    )


class StoryMemory:
    """Places each stored article in a story, once, and keeps the stories in the store."""

    def __init__(
        self,
        store: Store,
        settings: IndexSettings | None = None,
        snapshot_every: int | None = None,
        batch: int = BATCH,
        vacuum_every: int = VACUUM_EVERY,
        load_before_answer_bytes: int = LOAD_BEFORE_ANSWER_BYTES,
    ) -> None:
        self.store = store
        self.load_before_answer_bytes = load_before_answer_bytes
        self.settings = settings or memory_settings()
        # The most turns between two bases (None: a base is written when the deltas outgrow it).
        self.snapshot_every = snapshot_every
        self.batch = batch
        self.vacuum_every = vacuum_every
        # Articles this process placed since it last vacuumed the tables a batch rewrites.
        self._unvacuumed = 0
        self._index: StoryIndex | None = None
        # What changed in the in-memory index's state since it was last saved (set with `_index`).
        self._tracker: StateTracker | None = None
        # The last turn the in-memory index has applied (placed here or replayed).
        self._seq = 0
        self._turn = asyncio.Lock()
        # Set when the index was rebuilt from the stored articles: its state is written at once.
        self._rebuilt = False
        # Set when what was loaded was written by an earlier version: the next save writes a base.
        self._base_due = False
        # Tests stop a transaction here to play a worker dying mid-update.
        self.before_commit: Callable[[], None] | None = None
        # The task placing a backlog in the background (`place_in_background`), while it runs.
        self.placing: asyncio.Task[IndexingReport] | None = None
        # The task writing the state whole in the background (`compact`), while it runs.
        self.compacting: asyncio.Task[bool] | None = None

    @property
    def loaded(self) -> bool:
        """Whether this process holds the index in memory now."""
        return self._index is not None

    async def index_pending(self, limit: int | None = None) -> IndexingReport:
        """Place the queued articles in their stories, oldest first, in transactions of `batch` articles:
        all of them, or (`limit`: a caller waiting, such as a command) about that many, `more` saying whether
        some are still queued; none when this process holds no index yet and the stored state is larger
        than `load_before_answer_bytes` (a restart: the load is not waited for either). When the
        deltas written since the base have outgrown it, the state is written whole (`compact`) before the
        next batch, or after the last in the background: the caller (a command, a poll, a restarted
        process placing its first article) does not wait for it."""
        report = await self._index_queued(limit)
        self._compact_in_background()
        return report

    async def _index_queued(self, limit: int | None) -> IndexingReport:
        report = IndexingReport()
        while True:
            async with self.store.transaction() as session:
                if not await story_store.has_queued(session):
                    return report
                if limit is not None and await self._long_load_ahead(session):
                    report.more = True
                    return report
            if limit is not None and report.placed >= limit:
                report.more = True
                return report
            if self._tracker is not None and self._tracker.should_compact():
                # More articles wait (a backlog, a busy poll): the deltas are folded now, not after all of
                # them, so what a restart loads stays bounded by the base's share however long the call.
                await self.compact()
            async with self._turn:
                placed = await self._index_batch(report)
            if placed == 0:
                return report

    async def _long_load_ahead(self, session: AsyncSession) -> bool:
        """Whether the next batch would first load a stored state too large for a caller to wait for."""
        if self.loaded:
            return False
        return await story_store.stored_state_bytes(session) > self.load_before_answer_bytes

    async def load(self) -> IndexingReport:
        """Read the index's state into this process (the base, its deltas, any turn to replay), placing
        nothing: what its first batch does first."""
        report = IndexingReport()
        async with self._turn, self._transaction() as session:
            turns = await story_store.lock_memory(session)
            await self._caught_up(session, turns, report)
        return report

    def place_in_background(self) -> asyncio.Task[IndexingReport]:
        """Place every queued article in a task of its own (one at a time per process), e.g. the backlog the
        migration queued: whoever asked answers from the stories placed so far and does not wait."""
        if self.placing is None or self.placing.done():
            self.placing = asyncio.create_task(self._place_backlog(), name="story memory backlog")
        return self.placing

    async def _place_backlog(self) -> IndexingReport:
        started = time.perf_counter()
        try:
            report = await self.index_pending()
        except Exception as exc:  # the articles stay queued: the next reader or poll places them
            _log.error("placing the queued articles in their stories failed: %s", exc)
            return IndexingReport()
        _log.info(
            "placed a backlog of %d articles in their stories in %.1f s",
            report.placed,
            time.perf_counter() - started,
        )
        return report

    def _compact_in_background(self) -> None:
        tracker = self._tracker
        if tracker is None or not tracker.should_compact():
            return
        if self.compacting is None or self.compacting.done():
            self.compacting = asyncio.create_task(self._compact_logged(), name="story memory compaction")

    async def _compact_logged(self) -> bool:
        try:
            return await self.compact()
        except Exception as exc:  # the deltas stay: the next batch asks again
            _log.error("writing the story index state whole failed: %s", exc)
            return False

    async def settled(self) -> None:
        """Wait for the state being written whole in the background, if it is (a bench timing what placing
        costs, a process shutting down cleanly)."""
        if self.compacting is not None:
            await asyncio.shield(self.compacting)

    async def compact(self) -> bool:
        """Write the index's state whole as the new base and drop the deltas, when they add up to enough
        (`StateTracker.should_compact`); whether it did. A batch waits while it runs (the state must not
        change while it is written). A process behind the store writes none: its base would drop what
        the other wrote (its next batch loads that, and compacts if still due)."""
        async with self._turn:
            tracker = self._tracker
            if self._index is None or tracker is None or not tracker.should_compact():
                return False
            async with self._transaction() as session:
                turns = await story_store.lock_memory(session)
                if turns.head != self._seq or turns.seq > self._seq:
                    return False
                await self._write_base(session, self._seq)
        await self._after_base()
        return True

    @contextlib.asynccontextmanager
    async def _transaction(self) -> AsyncIterator[AsyncSession]:
        """A transaction on the store that reads or writes the index's state. When it fails (rolled back),
        the in-memory index may be ahead of the store, or half read: it is forgotten, and read again."""
        try:
            async with self.store.transaction() as session:
                yield session
        except BaseException:
            self._index = None
            self._tracker = None
            self._seq = 0
            raise

    async def _after_base(self) -> None:
        # What the index holds now lives for days (its stories stay open a fortnight): kept out of the
        # collector's full passes, as a loaded state is. Else the state placed since start-up is in them,
        # and at 2,000 articles a day each pass went over 700 MB, twice a day, half a second each (1 s of
        # the 6.7 s of placing on day 25). It is freed as ever when its stories close: the state holds no
        # reference cycles, and reference counting frees what is frozen too.
        freeze_what_lives()
        # The base just replaced was megabytes, and the deltas it holds were dropped.
        await self._reclaim(story_store.STATE_TABLES)

    async def _index_batch(self, report: IndexingReport) -> int:
        async with self._transaction() as session:
            turns = await story_store.lock_memory(session)
            index = await self._caught_up(session, turns, report)
            pending = await story_store.queued(session, self.batch)
            if not pending and not self._rebuilt:
                return 0
            head = max(turns.head, self._seq)
            placed: list[Placed] = []
            analyses = [_analysis(queued) for queued in pending]
            kept = await _KeptIds.asking(session, {story_id_for(a) for a in analyses if a is not None})
            for queued, analysis in zip(pending, analyses, strict=True):
                if await self._place(session, index, queued, analysis, head + 1, report, placed, kept):
                    head += 1
            await story_store.place_all(session, placed)
            await story_store.dequeue(session, [q.article_id for q in pending])
            await self._record_changes(session, index, report)
            await story_store.set_head(session, head)
            based = await self._save(session, turns, head)
            if self.before_commit is not None:
                self.before_commit()
        self._seq = head
        self._rebuilt = False
        report.placed += len(pending)
        if based:
            await self._after_base()
        self._unvacuumed += len(pending)
        if self._unvacuumed >= self.vacuum_every:
            self._unvacuumed = 0
            await self._reclaim(story_store.CHURNED_TABLES)
        return len(pending)

    async def _reclaim(self, tables: Sequence[str]) -> None:
        """Let the store use the space of rows just rewritten or dropped again (a failure only waits for
        the next time: nothing stored depends on it)."""
        try:
            await story_store.reclaim_space(self.store, tables)
        except Exception as exc:
            _log.warning("reclaiming the space of %s failed: %s", ", ".join(tables), exc)

    async def _caught_up(
        self, session: AsyncSession, turns: MemoryTurns, report: IndexingReport
    ) -> StoryIndex:
        """The index as of the store's last turn: kept (with the deltas another process wrote applied), or
        loaded from the base and its deltas; then the turns no delta holds replayed."""
        if self._index is None or self._seq > turns.head or turns.seq > self._seq:
            # None yet, ahead of the store, or another process wrote a base past this one (its deltas are gone).
            self._index, self._seq = await self._load(session)
        elif self._seq < turns.head:
            deltas = await story_store.read_deltas(session, self._seq)
            if deltas:
                self._index, self._seq = await self._applied(self._index.state, self._seq, deltas)
        index = self._index
        while self._seq < turns.head:
            log = await story_store.log_since(session, self._seq, REPLAY_BATCH)
            if not log:
                break
            for logged in log:
                await self._replay(session, index, logged)
                self._seq = logged.seq or self._seq
                report.replayed += 1
            await self._record_changes(session, index, report, replay=True)
        self._seq = max(self._seq, turns.head)
        return index

    async def _applied(
        self,
        state: StoryIndexState,
        seq: int,
        deltas: Sequence[tuple[int, bytes]],
        base_bytes: int | None = None,
    ) -> tuple[StoryIndex, int]:
        """The index of the state (as of turn `seq`) with the deltas after it applied, watched for changes
        from here; and its turn. `base_bytes`: a base just read (else the deltas add to the kept one's)."""
        state = await asyncio.to_thread(apply_deltas, state, [blob for _, blob in deltas])
        written = sum(len(blob) for _, blob in deltas)
        old = self._tracker
        if base_bytes is None:
            base_bytes, written = (old.base_bytes, old.delta_bytes + written) if old else (0, written)
        self._tracker = StateTracker(state, base_bytes, written)
        return StoryIndex(self.settings, state), deltas[-1][0] if deltas else seq

    async def _load(self, session: AsyncSession) -> tuple[StoryIndex, int]:
        version, seq, blob = await story_store.read_snapshot(session)
        if blob is None and seq:
            _log.warning("the story index state is missing: rebuilding it from the stored articles")
            self._rebuilt = True
            return self._fresh(), 0
        started = time.perf_counter()
        try:
            readable = (
                MEMORY_VERSION,
                STRAY_POSTINGS_VERSION,
                ARTICLE_MODELS_VERSION,
                CENTROIDS_WHOLE_VERSION,
                POSTINGS_WHOLE_VERSION,
                UNPACKED_PROFILES_VERSION,
                WHOLE_STATE_VERSION,
            )
            if blob is not None and version not in readable:
                raise ValueError(f"it was written by version {version}, this is {MEMORY_VERSION}")
            deltas = await story_store.read_deltas(session, seq)
            self._base_due = (blob is not None or bool(deltas)) and version != MEMORY_VERSION
            decode = decode_whole_state if version == WHOLE_STATE_VERSION else decode_base
            # The garbage waiting is collected now, not frozen with the state below (a pass after would go
            # over all of the state). The collector is then held off while the state is made (millions of
            # objects in no cycle: its passes over them find nothing), until the index and its tracker are
            # built on it.
            gc.collect()
            with collector_held_off():
                # No base yet: the deltas written so far apply to an empty state.
                state = StoryIndexState() if blob is None else await asyncio.to_thread(decode, blob)
                index, last = await self._applied(state, seq, deltas, len(blob or b""))
                if self._base_due:
                    # Kept by an earlier version: written whole at the first save, with its postings tidy.
                    stray = index.tidy_postings()
                    if stray:
                        _log.info(
                            "story index: %d stray posting entries of an earlier version dropped", stray
                        )
            # What was loaded lives as long as the index: kept out of the collector's full passes (as
            # `briefbot run` keeps what it starts with), which would otherwise go over all of it several
            # times in the first batches, and again now and then; it is freed as ever when forgotten.
            gc.freeze()
        except (ValueError, ValidationError, zlib.error) as exc:
            reason = str(exc).splitlines()[0] if str(exc) else exc.__class__.__name__
            _log.error(
                "the stored story index state cannot be read (%s): rebuilding it from the stored articles",
                reason,
            )
            self._rebuilt = True
            return self._fresh(), 0
        _log.info(
            "story index loaded: %d open stories as of turn %d (a base and %d deltas) in %.2f s",
            len(index.state.stories),
            last,
            len(deltas),
            time.perf_counter() - started,
        )
        return index, last

    def _fresh(self) -> StoryIndex:
        state = StoryIndexState()
        self._tracker = StateTracker(state)
        return StoryIndex(self.settings, state)

    async def _replay(self, session: AsyncSession, index: StoryIndex, logged: QueuedArticle) -> None:
        """Apply an article another process (or an earlier life of this one) placed; correct its row if this
        index places it elsewhere (a rebuilt index)."""
        analysis = _analysis(logged)
        if analysis is None:
            return
        placement = await asyncio.to_thread(index.add, analysis)
        recorded = logged.story_id
        if placement.story == recorded or recorded is None:
            return
        if placement.new_story and recorded not in index.state.stories:
            index.rename(placement.story, recorded)  # the id it was given when placed (a kept id was taken)
        else:
            await story_store.move(session, logged.article_id, placement.story)

    async def _place(
        self,
        session: AsyncSession,
        index: StoryIndex,
        queued: QueuedArticle,
        analysis: ArticleAnalysis | None,
        seq: int,
        report: IndexingReport,
        placed: list[Placed],
        kept: _KeptIds,
    ) -> bool:
        """Place one article (its analysis, None: unreadable) in the index and add its place to `placed`
        (written for the batch at once), as turn `seq`; False when it carries no news: it is in no story
        (dequeued, never placed nor replayed)."""
        if analysis is None:
            # Unreadable analysis: a story of its own, so it is placed (and pruned) like any other.
            placed.append(Placed(queued.article_id, f"st-x{queued.article_id}", seq, None, queued.fetched_at))
            return True
        reason = set_aside_reason(analysis)
        if reason is not None:
            _log.info("article %d is in no story: %s", queued.article_id, reason)
            return False
        placement = await asyncio.to_thread(index.add, analysis)
        story = placement.story
        if placement.new_story:
            report.opened += 1
            # Stories this batch placed articles in are not written yet: they count as kept too.
            batch = {p.story_id for p in placed}

            async def taken(story_id: str) -> bool:
                return story_id in batch or await kept.has(session, story_id)

            if await taken(story):
                # A kept (closed) story has this id: ids are never reused while a story is answerable.
                n, renamed = 2, f"{story}-2"
                while renamed in index.state.stories or await taken(renamed):
                    n += 1
                    renamed = f"{story}-{n}"
                index.rename(story, renamed)
                story = renamed
        reprinted = placement.duplicate_of
        duplicate = row_id_of(reprinted) if reprinted != analysis.article.id else None
        placed.append(Placed(queued.article_id, story, seq, duplicate, queued.fetched_at))
        return True

    async def _record_changes(
        self,
        session: AsyncSession,
        index: StoryIndex,
        report: IndexingReport,
        replay: bool = False,
    ) -> None:
        """Write the merges and closings the index made, and drop them from its state (it keeps open stories)."""
        state = index.state
        ends = {absorbed: index.merged_into(absorbed) for absorbed in state.merged}
        await story_store.merge_all(session, list(state.merged.items()), ends)
        if not replay:
            report.merged += len(state.merged)
        if state.closed:
            await story_store.close(session, state.closed)
            if not replay:
                report.closed += len(state.closed)
        state.merged.clear()
        state.closed.clear()

    async def _save(self, session: AsyncSession, turns: MemoryTurns, head: int) -> bool:
        """Store what this batch changed in the index's state, as of turn `head`: a delta, or the whole
        state as the new base (rebuilt, written by an earlier version, a container replaced,
        `snapshot_every`); whether it was a base. Deltas outgrowing the base are folded into a new one
        after the batch (`compact`)."""
        tracker = self._tracker
        assert tracker is not None and self._index is not None
        delta = None
        due = self.snapshot_every is not None and head - turns.seq >= self.snapshot_every
        if not (self._rebuilt or self._base_due or due):
            delta = await asyncio.to_thread(tracker.delta)
        if delta is not None:
            await story_store.write_delta(session, head, delta)
            tracker.saved()
            tracker.delta_bytes += len(delta)
            return False
        await self._write_base(session, head)
        return True

    async def _write_base(self, session: AsyncSession, head: int) -> None:
        """Store the index's whole state as the base as of turn `head`, and drop the deltas it holds."""
        tracker = self._tracker
        assert tracker is not None
        started = time.perf_counter()
        blob = await asyncio.to_thread(tracker.base)
        await story_store.write_snapshot(session, MEMORY_VERSION, head, blob, _now())
        await story_store.drop_deltas(session)
        tracker.saved()
        tracker.based(len(blob))
        self._base_due = False
        _log.info(
            "story index state written whole at turn %d: %.1f MB in %.2f s",
            head,
            len(blob) / 1e6,
            time.perf_counter() - started,
        )

    async def prune(self, now: datetime, keep: timedelta) -> tuple[int, int]:
        """Drop the stories (and their articles) whose last article is older than `keep`; (stories, articles).

        Never less than the index's idle window: a story the index may still add to is never dropped.
        """
        keep = max(keep, timedelta(days=self.settings.window_days + 2))
        async with self.store.transaction() as session:
            await story_store.lock_memory(session)
            dropped = await story_store.prune(session, now - keep)
        if dropped[0]:
            _log.info("pruned %d stories and %d articles older than %s", dropped[0], dropped[1], keep)
            await self._reclaim(story_store.PRUNED_TABLES)
        return dropped


@dataclass
class _KeptIds:
    """Which story ids the store keeps (a new story must not take one): asked at once for the ids a batch's
    articles would open stories under, then one by one for any other (a renamed id). Valid for one
    transaction holding the memory's lock: nobody else writes stories meanwhile."""

    asked: set[str]
    kept: set[str]

    @classmethod
    async def asking(cls, session: AsyncSession, story_ids: set[str]) -> _KeptIds:
        """Ask the store about these ids in one query."""
        return cls(set(story_ids), await story_store.existing_stories(session, story_ids))

    async def has(self, session: AsyncSession, story_id: str) -> bool:
        """Whether the store keeps a story with this id (open, closed or merged)."""
        if story_id not in self.asked:
            self.asked.add(story_id)
            if await story_store.story_exists(session, story_id):
                self.kept.add(story_id)
        return story_id in self.kept


def _analysis(queued: QueuedArticle) -> ArticleAnalysis | None:
    try:
        analysis = ArticleAnalysis.model_validate_json(queued.analysis)
    except ValidationError as exc:
        _log.warning(
            "article %d: its stored analysis cannot be read (%s)", queued.article_id, exc.error_count()
        )
        return None
    analysis.article.id = article_key(queued.article_id)
    return analysis


def _now() -> datetime:
    from datetime import UTC

    return datetime.now(UTC)


_MEMORIES: weakref.WeakKeyDictionary[Store, StoryMemory] = weakref.WeakKeyDictionary()


def memory_of(store: Store) -> StoryMemory:
    """The one story memory of this process for the store (the poller, digests and commands share it)."""
    memory = _MEMORIES.get(store)
    if memory is None:
        memory = _MEMORIES[store] = StoryMemory(store)
    return memory
