"""Exactly one active scheduler among processes: a PostgreSQL advisory lock (a file lock for SQLite).

A session-level advisory lock belongs to one database connection. The active scheduler holds that
connection open; when its process dies the connection closes, PostgreSQL releases the lock, and a standby
that retries every few seconds takes over. A holder that loses its connection (database restarted, network
cut) loses the lock with it, notices on its next check, and stops scheduling.
"""

from __future__ import annotations

import fcntl
import logging
import os
from pathlib import Path
from typing import IO, Protocol

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

_log = logging.getLogger(__name__)


class LeaderLock(Protocol):
    """A lock that at most one process holds at a time."""

    async def try_acquire(self) -> bool:
        """Take the lock if it is free; True if this process holds it now."""
        ...

    async def still_held(self) -> bool:
        """Whether this process still holds the lock (False once its connection is gone)."""
        ...

    async def release(self) -> None:
        """Give the lock up."""
        ...


class PostgresAdvisoryLock:
    """`pg_try_advisory_lock(key)` on a connection of its own, kept open while it is held."""

    def __init__(self, engine: AsyncEngine, key: int) -> None:
        self.engine = engine
        self.key = key
        self._connection: AsyncConnection | None = None

    async def try_acquire(self) -> bool:
        """Take the lock if no other session holds it."""
        if self._connection is not None and await self.still_held():
            return True
        connection = await self.engine.connect()
        try:
            # Autocommit: a session lock must not leave the connection idle inside a transaction.
            await connection.execution_options(isolation_level="AUTOCOMMIT")
            got = (
                await connection.execute(text("SELECT pg_try_advisory_lock(:key)"), {"key": self.key})
            ).scalar()
        except Exception:
            await connection.close()
            raise
        if not got:
            await connection.close()
            return False
        self._connection = connection
        _log.info("took the scheduler lock %d", self.key)
        return True

    async def still_held(self) -> bool:
        """Ask over the lock's own connection; a failure means the lock is gone with the connection."""
        if self._connection is None:
            return False
        try:
            held = (
                await self._connection.execute(
                    text(
                        "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted "
                        "AND pid = pg_backend_pid() AND ((classid::bigint << 32) | objid::bigint) = :key"
                    ),
                    {"key": self.key},
                )
            ).scalar()
        except Exception as exc:
            _log.warning("lost the scheduler lock: its database connection failed (%s)", exc)
            await self._drop()
            return False
        if not held:
            await self._drop()
            return False
        return True

    async def release(self) -> None:
        """Unlock and close the connection."""
        if self._connection is None:
            return
        try:
            await self._connection.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": self.key})
        except Exception:  # closing the connection releases it anyway
            _log.debug("unlock failed; closing the connection releases the lock", exc_info=True)
        await self._drop()

    async def _drop(self) -> None:
        connection, self._connection = self._connection, None
        if connection is not None:
            try:
                await connection.close()
            except Exception:
                await connection.invalidate()


class FileLeaderLock:
    """For SQLite (one machine): an exclusive lock on a file beside the database."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._file: IO[bytes] | None = None

    async def try_acquire(self) -> bool:
        """Take the file lock if no other process has it."""
        if self._file is not None:
            return True
        self.path.parent.mkdir(parents=True, exist_ok=True)
        handle = open(self.path, "ab")  # noqa: SIM115 - held open for as long as the lock is held
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.close()
            return False
        handle.truncate(0)
        handle.write(str(os.getpid()).encode())
        handle.flush()
        self._file = handle
        return True

    async def still_held(self) -> bool:
        """A file lock lasts as long as the process keeps the file open."""
        return self._file is not None

    async def release(self) -> None:
        """Unlock and close the file."""
        if self._file is not None:
            fcntl.flock(self._file.fileno(), fcntl.LOCK_UN)
            self._file.close()
            self._file = None
