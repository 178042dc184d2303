"""Running the engine on new articles without blocking the event loop: a process pool, or one thread.

Each worker process loads the spaCy pipeline once (in its initializer) and keeps it for its life.
"""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
import multiprocessing.connection
import os
import signal
import threading
from collections import deque
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from dataclasses import dataclass
from typing import Protocol

from spacy.language import Language

from briefings.extract.pipeline import analyze_articles
from briefings.ingest.articles import to_article
from briefings.ingest.raw import RawArticle
from briefings.models import ArticleAnalysis
from briefings.nlp import load_pipeline

_log = logging.getLogger(__name__)

_worker_nlp: Language | None = None


class Extractor(Protocol):
    """Turns raw articles into their analyses (the engine's extraction), off the event loop."""

    async def analyze(self, articles: list[RawArticle]) -> list[ArticleAnalysis]:
        """Analyse the articles, in order."""
        ...

    async def close(self) -> None:
        """Stop the workers."""
        ...


def _load_worker(pipeline: str) -> None:
    global _worker_nlp
    # Ctrl-C in the terminal reaches the whole process group; the parent shuts the pool down in order,
    # so a worker must not die mid-article with a traceback of its own.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _exit_with_parent()
    _worker_nlp = load_pipeline(pipeline)


def _exit_with_parent() -> None:
    """End this worker as soon as the process that started it dies (SIGKILL, OOM killer).

    A pool's worker waits on a queue whose writing end it also holds, so it would never see its parent go:
    it would live on, orphaned, holding memory and the parent's inherited pipes.
    """
    parent = multiprocessing.parent_process()
    if parent is None:
        return

    def watch() -> None:
        multiprocessing.connection.wait([parent.sentinel])
        os._exit(1)

    threading.Thread(target=watch, name="exit-with-parent", daemon=True).start()


def _analyze_in_worker(articles: list[RawArticle]) -> list[str]:
    if _worker_nlp is None:  # a worker whose initializer did not run: load here, once
        raise RuntimeError("the extraction worker has no spaCy pipeline loaded")
    analyses = analyze_articles(_worker_nlp, (to_article(raw, f"n{i}") for i, raw in enumerate(articles)))
    # JSON crosses the process boundary cheaply and keeps excluded fields (offset maps) out.
    return [analysis.model_dump_json() for analysis in analyses]


class ProcessPoolExtractor:
    """The engine in worker processes, each with the pipeline loaded once."""

    def __init__(self, pipeline: str, workers: int) -> None:
        context = multiprocessing.get_context("spawn")  # no fork of an event loop and its threads
        self._pool = ProcessPoolExecutor(
            max_workers=workers, mp_context=context, initializer=_load_worker, initargs=(pipeline,)
        )

    async def analyze(self, articles: list[RawArticle]) -> list[ArticleAnalysis]:
        """Analyse in a worker process."""
        if not articles:
            return []
        loop = asyncio.get_running_loop()
        payloads = await loop.run_in_executor(self._pool, _analyze_in_worker, articles)
        return [ArticleAnalysis.model_validate_json(payload) for payload in payloads]

    async def close(self) -> None:
        """Stop the worker processes."""
        self._pool.shutdown(wait=True, cancel_futures=True)


class ThreadExtractor:
    """The engine in one thread of this process, with a pipeline already loaded (small set-ups, tests)."""

    def __init__(self, nlp: Language) -> None:
        self._nlp = nlp
        # One thread: spaCy pipelines are not meant to be run from several threads at once.
        self._thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="extract")

    def _run(self, articles: list[RawArticle]) -> list[ArticleAnalysis]:
        return list(analyze_articles(self._nlp, (to_article(raw, f"n{i}") for i, raw in enumerate(articles))))

    async def analyze(self, articles: list[RawArticle]) -> list[ArticleAnalysis]:
        """Analyse in the extraction thread."""
        if not articles:
            return []
        return await asyncio.get_running_loop().run_in_executor(self._thread, self._run, articles)

    async def close(self) -> None:
        """Stop the thread."""
        self._thread.shutdown(wait=False)


def make_extractor(pipeline: str, workers: int) -> Extractor:
    """A process pool of `workers` processes, or with 0 workers a thread with the pipeline loaded here."""
    if workers <= 0:
        return BatchingExtractor(ThreadExtractor(load_pipeline(pipeline)))
    return BatchingExtractor(ProcessPoolExtractor(pipeline, workers), in_flight=workers)


@dataclass(eq=False)
class _Request:
    """One caller's articles: how many were handed to the engine, and the analyses back so far."""

    articles: list[RawArticle]
    future: asyncio.Future[list[ArticleAnalysis]]
    results: list[ArticleAnalysis | None]
    sent: int = 0
    done: int = 0


# A slice of one request in a batch: the request, and the [start, end) of its articles.
_Part = tuple[_Request, int, int]


class BatchingExtractor:
    """Joins the articles of polls running at the same time into calls of the engine, fairly.

    Many feeds finish their fetch within milliseconds of each other; one batch of 32 articles costs the
    worker one round trip and one `nlp.pipe` instead of 32. A batch is filled round-robin, `share` articles
    from each caller waiting in turn, so a caller with thousands of articles never holds up one with a
    single article; at most `in_flight` batches are with the engine at once and the rest wait here, where
    the articles of a caller that gives up (its poll ran out of time) are taken back before they cost
    anything.
    """

    def __init__(
        self, inner: Extractor, max_batch: int = 32, wait_s: float = 0.02, share: int = 8, in_flight: int = 1
    ) -> None:
        self.inner = inner
        self.max_batch = max_batch
        self.wait_s = wait_s
        self.share = max(1, share)
        self.in_flight = max(1, in_flight)
        self._waiting: deque[_Request] = deque()
        self._busy = 0
        self._timer_armed = False
        self._running: set[asyncio.Task[None]] = set()

    async def analyze(self, articles: list[RawArticle]) -> list[ArticleAnalysis]:
        """Analyse the articles as parts of the next batches; cancelled, the ones not yet sent are dropped."""
        if not articles:
            return []
        future: asyncio.Future[list[ArticleAnalysis]] = asyncio.get_running_loop().create_future()
        request = _Request(list(articles), future, [None] * len(articles))
        self._waiting.append(request)
        if self._busy < self.in_flight:
            if sum(len(r.articles) - r.sent for r in self._waiting) >= self.max_batch:
                self._dispatch()
            elif not self._timer_armed:
                self._timer_armed = True
                self._keep(asyncio.create_task(self._dispatch_after_wait()))
        try:
            return await future
        except asyncio.CancelledError:
            self._withdraw(request)
            raise

    def _withdraw(self, request: _Request) -> None:
        if request in self._waiting:
            self._waiting.remove(request)
            _log.debug(
                "extraction: %d articles dropped, their caller gave up", len(request.articles) - request.sent
            )
        request.sent = len(request.articles)

    async def _dispatch_after_wait(self) -> None:
        await asyncio.sleep(self.wait_s)
        self._timer_armed = False
        self._dispatch()

    def _dispatch(self) -> None:
        while self._busy < self.in_flight and self._waiting:
            parts = self._take_batch()
            self._busy += 1
            self._keep(asyncio.create_task(self._run(parts)))

    def _take_batch(self) -> list[_Part]:
        """Up to `max_batch` articles, `share` from each waiting caller in turn."""
        parts: list[_Part] = []
        size = 0
        while self._waiting and size < self.max_batch:
            request = self._waiting.popleft()
            count = min(self.share, self.max_batch - size, len(request.articles) - request.sent)
            parts.append((request, request.sent, request.sent + count))
            request.sent += count
            size += count
            if request.sent < len(request.articles):
                self._waiting.append(request)
        return parts

    def _keep(self, task: asyncio.Task[None]) -> None:
        self._running.add(task)
        task.add_done_callback(self._running.discard)

    async def _run(self, parts: list[_Part]) -> None:
        try:
            await self._analyze_parts(parts)
        finally:
            self._busy -= 1
            self._dispatch()

    async def _analyze_parts(self, parts: list[_Part]) -> None:
        try:
            analyses = await self.inner.analyze([a for r, start, end in parts for a in r.articles[start:end]])
        except Exception as exc:
            callers = list(dict.fromkeys(request for request, _, _ in parts))
            if len(callers) == 1:
                self._fail(callers[0], exc)
                return
            # One caller's article may be what failed: each caller's part alone, so the others get theirs.
            for caller in callers:
                own = [part for part in parts if part[0] is caller]
                try:
                    alone = await self.inner.analyze(
                        [a for r, start, end in own for a in r.articles[start:end]]
                    )
                except Exception as own_exc:
                    self._fail(caller, own_exc)
                else:
                    self._deliver(own, alone)
            return
        self._deliver(parts, analyses)

    def _deliver(self, parts: list[_Part], analyses: list[ArticleAnalysis]) -> None:
        at = 0
        for request, start, end in parts:
            request.results[start:end] = analyses[at : at + end - start]
            at += end - start
            request.done += end - start
            if request.done == len(request.articles) and not request.future.done():
                request.future.set_result([r for r in request.results if r is not None])

    def _fail(self, request: _Request, exc: Exception) -> None:
        self._withdraw(request)
        if not request.future.done():
            request.future.set_exception(exc)

    async def close(self) -> None:
        """Stop the inner extractor."""
        await self.inner.close()
