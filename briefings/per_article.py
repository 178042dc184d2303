"""What one analysed article alone gives, worked out once per analysis object and reused while it lives.

A story is merged many times from overlapping sets of its articles: a service merges each channel's view of
it from that channel's own feeds' articles, so one article is in many merges. What depends on that article
alone (its digest candidates, the days it tells of) is kept beside the analysis object, until the object is
freed, and handed back as a new list each time: the output is the same as working it out again.

The kept result is only used while the parts of the analysis it was worked out from are the ones it has
now (the same article, sentences, times, events, quotes and main event); an analysis changed in place in any
of them gets its result worked out anew.
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from briefings.models import ArticleAnalysis

_T = TypeVar("_T")


def _stamp(analysis: ArticleAnalysis) -> tuple[Any, ...]:
    """What the kept results are worked out from, as it stands: a change to any part makes another stamp."""
    article = analysis.article
    return (
        article.id,
        article.title,
        article.published,
        id(article.text),
        id(analysis.sentences),
        len(analysis.sentences),
        id(analysis.times),
        len(analysis.times),
        id(analysis.events),
        len(analysis.events),
        id(analysis.quotes),
        len(analysis.quotes),
        id(analysis.w),
    )


def kept_per_analysis(work: Callable[[ArticleAnalysis], _T]) -> Callable[[ArticleAnalysis], _T]:
    """`work` done once per analysis object (and again when the analysis was changed since); its result is
    handed back as it is, so `work` must give something no caller changes (a tuple, a frozen dataclass)."""
    kept: dict[int, tuple[weakref.ref[ArticleAnalysis], tuple[Any, ...], _T]] = {}
    lock = threading.Lock()

    def forget(key: int) -> Callable[[weakref.ref[ArticleAnalysis]], None]:
        def drop(ref: weakref.ref[ArticleAnalysis]) -> None:
            with lock:
                entry = kept.get(key)
                if entry is not None and entry[0] is ref:
                    del kept[key]

        return drop

    @wraps(work)
    def once(analysis: ArticleAnalysis) -> _T:
        key = id(analysis)
        stamp = _stamp(analysis)
        entry = kept.get(key)
        if entry is not None and entry[0]() is analysis and entry[1] == stamp:
            return entry[2]
        result = work(analysis)
        with lock:
            kept[key] = (weakref.ref(analysis, forget(key)), stamp, result)
        return result

    return once


def once_per_analysis(work: Callable[[ArticleAnalysis], list[_T]]) -> Callable[[ArticleAnalysis], list[_T]]:
    """`work` done once per analysis object (and again when the analysis was changed since), handed back as
    a new list each time."""
    kept = kept_per_analysis(lambda analysis: tuple(work(analysis)))

    @wraps(work)
    def once(analysis: ArticleAnalysis) -> list[_T]:
        return list(kept(analysis))

    return once
