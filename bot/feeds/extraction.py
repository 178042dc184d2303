"""Running the engine on new articles without blocking the event loop: a process pool, or one thread.

Each worker process loads the spaCy pipeline once (in its initializer) and keeps it for its life.
"""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
import signal
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
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
    _worker_nlp = load_pipeline(pipeline)


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
    return BatchingExtractor(ProcessPoolExtractor(pipeline, workers))


class BatchingExtractor:
    """Joins the articles of polls running at the same time into one call of the engine.

    Many feeds finish their fetch within milliseconds of each other; one batch of 32 articles costs the
    worker one round trip and one `nlp.pipe` instead of 32.
    """

    def __init__(self, inner: Extractor, max_batch: int = 32, wait_s: float = 0.02) -> None:
        self.inner = inner
        self.max_batch = max_batch
        self.wait_s = wait_s
        self._pending: list[tuple[list[RawArticle], asyncio.Future[list[ArticleAnalysis]]]] = []
        self._timer_armed = False
        self._running: set[asyncio.Task[None]] = set()

    async def analyze(self, articles: list[RawArticle]) -> list[ArticleAnalysis]:
        """Analyse the articles as part of the next batch."""
        if not articles:
            return []
        future: asyncio.Future[list[ArticleAnalysis]] = asyncio.get_running_loop().create_future()
        self._pending.append((articles, future))
        if sum(len(group) for group, _ in self._pending) >= self.max_batch:
            self._dispatch()
        elif not self._timer_armed:
            self._timer_armed = True
            self._keep(asyncio.create_task(self._dispatch_after_wait()))
        return await future

    async def _dispatch_after_wait(self) -> None:
        await asyncio.sleep(self.wait_s)
        self._timer_armed = False
        self._dispatch()

    def _dispatch(self) -> None:
        batch, self._pending = self._pending, []
        if batch:
            self._keep(asyncio.create_task(self._run(batch)))

    def _keep(self, task: asyncio.Task[None]) -> None:
        self._running.add(task)
        task.add_done_callback(self._running.discard)

    async def _run(self, batch: list[tuple[list[RawArticle], asyncio.Future[list[ArticleAnalysis]]]]) -> None:
        articles = [article for group, _ in batch for article in group]
        try:
            analyses = await self.inner.analyze(articles)
        except Exception as exc:
            for _, future in batch:
                if not future.done():
                    future.set_exception(exc)
            return
        start = 0
        for group, future in batch:
            if not future.done():
                future.set_result(analyses[start : start + len(group)])
            start += len(group)

    async def close(self) -> None:
        """Stop the inner extractor."""
        await self.inner.close()
