"""`briefbot run` with no token, under a pseudo-terminal: a person types commands and reads the answers.

The first start creates the SQLite store, follows the demo feeds shipped with briefbot and reads them, so
the answers come from real (invented) articles through the whole service.
"""

from __future__ import annotations

import fcntl
import os
import pty
import re
import select
import struct
import subprocess
import sys
import termios
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]|\x1b\][^\x07]*\x07|\r")
BRIEFBOT = str(Path(sys.executable).with_name("briefbot"))


def _control_terminal() -> None:
    fcntl.ioctl(0, termios.TIOCSCTTY, 0)


class Terminal:
    """A process on a pseudo-terminal: type lines, read what it printed (escape codes removed)."""

    def __init__(self, args: list[str], cwd: Path, env: dict[str, str]) -> None:
        self.master, slave = pty.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 50, 120, 0, 0))
        self.process = subprocess.Popen(
            args,
            stdin=slave,
            stdout=slave,
            stderr=slave,
            cwd=cwd,
            env=env,
            start_new_session=True,
            preexec_fn=_control_terminal,  # Ctrl-C typed here interrupts it, as in a real terminal
        )
        os.close(slave)
        self.seen = ""

    def read_until(self, text: str, timeout: float) -> str:
        """Everything printed until `text` appears (or fail with what was printed)."""
        deadline = time.monotonic() + timeout
        while text not in self.seen:
            left = deadline - time.monotonic()
            if left <= 0:
                raise AssertionError(f"{text!r} did not appear; the terminal shows:\n{self.seen[-3000:]}")
            ready, _, _ = select.select([self.master], [], [], min(left, 0.5))
            if ready:
                try:
                    chunk = os.read(self.master, 65536)
                except OSError:  # the process ended
                    chunk = b""
                if not chunk and self.process.poll() is not None:
                    raise AssertionError(f"briefbot ended before {text!r}:\n{self.seen[-3000:]}")
                self.seen += ANSI.sub("", chunk.decode("utf-8", "replace"))
        found = self.seen
        self.seen = self.seen[self.seen.index(text) + len(text) :]
        return found

    def type(self, line: str) -> None:
        os.write(self.master, (line + "\r").encode())

    def close(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait(10)
        os.close(self.master)


@pytest.fixture
def briefbot(tmp_path: Path) -> Iterator[Terminal]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("BRIEFBOT_")}  # no token: the console
    env.update(BRIEFBOT_DATA_DIR=str(tmp_path / "data"), TERM="xterm-256color")
    terminal = Terminal([BRIEFBOT, "run"], tmp_path, env)
    yield terminal
    terminal.close()


@pytest.mark.slow
def test_a_person_types_commands_and_reads_the_answers(briefbot: Terminal, tmp_path: Path) -> None:
    briefbot.read_until("briefbot> ", timeout=180)  # first start: store, demo feeds, language model
    assert (tmp_path / "data" / "briefbot.db").exists()

    briefbot.type("/stories")
    stories = briefbot.read_until("briefbot> ", timeout=30)
    assert "Active stories" in stories and "Port Elwin" in stories

    briefbot.type("/who harbour fire")
    who = briefbot.read_until("briefbot> ", timeout=30)
    assert "Who — " in who and "Lindqvist" in who

    briefbot.type('/timeline story:"ferry strike"')
    timeline = briefbot.read_until("briefbot> ", timeout=30)
    assert "Timeline — " in timeline and "Kestrel Bay" in timeline

    briefbot.type("/briefing feeds add ftp://example.org/feed")
    refused = briefbot.read_until("briefbot> ", timeout=30)
    assert "is not a web address" in refused

    briefbot.type("/who story:volcanoes-of-zembla")
    unknown = briefbot.read_until("briefbot> ", timeout=30)
    assert "No story in this channel's news matches" in unknown and "/stories" in unknown

    briefbot.type("/quit")
    assert briefbot.process.wait(60) == 0
    assert "Traceback" not in briefbot.seen
