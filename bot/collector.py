"""Holding Python's cyclic garbage collector off while a digest run or a state load makes its objects.

A run over thousands of channels parses thousands of analyses and merges thousands of story views: millions
of objects that live until the run ends and form no reference cycles (reference counting frees them). The
collector's full passes over them found nothing and took a quarter of the run. It is held off for the
run, and back on as it was afterwards; the cyclic garbage made meanwhile (a run's worth at most) is
collected then.

Holders nest and overlap (two runs, or a run and a preview, in one process): the collector comes back on
when the last of them ends, and only if it was on when the first began.
"""

from __future__ import annotations

import functools
import gc
import threading
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from typing import ParamSpec, TypeVar

_P = ParamSpec("_P")
_R = TypeVar("_R")
_lock = threading.Lock()
_holders = 0
_was_enabled = False


@contextmanager
def collector_held_off() -> Iterator[None]:
    """Hold the cyclic garbage collector off until the block (and every other holder's) ends."""
    global _holders, _was_enabled
    with _lock:
        if _holders == 0:
            _was_enabled = gc.isenabled()
            gc.disable()
        _holders += 1
    try:
        yield
    finally:
        with _lock:
            _holders -= 1
            if _holders == 0 and _was_enabled:
                gc.enable()


def holding_collector_off(function: Callable[_P, Awaitable[_R]]) -> Callable[_P, Awaitable[_R]]:
    """An async function run with the collector held off (`collector_held_off`) until it has returned and
    its locals are gone: what it made and dropped is freed by reference counting, never passed over."""

    @functools.wraps(function)
    async def held(*args: _P.args, **kwargs: _P.kwargs) -> _R:
        with collector_held_off():
            return await function(*args, **kwargs)

    return held


def freeze_what_lives() -> None:
    """Keep every object alive now out of the collector's passes for good (`gc.freeze`): what a process
    starts with, or a story state written whole. The cyclic garbage waiting is collected first: frozen, it
    would never be (nor anything it holds). The pass goes over what is not frozen yet; to freeze a state
    just made of millions of objects in no cycle, collect before making it instead (see `StoryMemory`)."""
    gc.collect()
    gc.freeze()
