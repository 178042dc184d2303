"""Connecting to the store: URLs, engines, sessions, and a clear error when the database is away."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import re
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

from sqlalchemy import event, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, OperationalError
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine

_log = logging.getLogger(__name__)

_ASYNC_DRIVERS = {
    "sqlite": "sqlite+aiosqlite",
    "postgresql": "postgresql+psycopg",
    "postgres": "postgresql+psycopg",
}


class StoreUnavailable(RuntimeError):
    """The database cannot be reached (or went away); the message says which one and what to check."""


_URL_FORMS = "write sqlite:///path/briefbot.db or postgresql://user@host:5432/dbname"
_PASSWORD = re.compile(r"(//[^/@:]*:)[^/@]*@")


def _hidden_password(url: str) -> str:
    """A URL that may not parse, with anything between "user:" and "@" hidden."""
    return _PASSWORD.sub(r"\1***@", url)


def parse_store_url(url: str) -> URL:
    """The database URL parsed, or StoreUnavailable naming in one line what is wrong with it."""
    try:
        parsed = make_url(url)
        parsed.port  # noqa: B018 - SQLAlchemy reads the port only when asked, and raises then
    except ArgumentError as exc:
        raise StoreUnavailable(
            f"the database URL {_hidden_password(url)!r} cannot be read ({_URL_FORMS})"
        ) from exc
    except ValueError as exc:
        raise StoreUnavailable(
            f"the database URL {_hidden_password(url)!r} has a port that is not a number ({_URL_FORMS})"
        ) from exc
    return parsed


def async_url(url: str) -> URL:
    """The SQLAlchemy URL with an asyncio driver: sqlite → aiosqlite, postgresql → psycopg (3)."""
    parsed = parse_store_url(url)
    driver = _ASYNC_DRIVERS.get(parsed.drivername)
    if driver is not None:
        parsed = parsed.set(drivername=driver)
    if parsed.drivername not in ("sqlite+aiosqlite", "postgresql+psycopg"):
        raise StoreUnavailable(
            f"briefbot stores its data in SQLite or PostgreSQL; {parsed.drivername!r} is neither"
        )
    return parsed


def describe_url(url: URL | str) -> str:
    """The URL with its password hidden, for messages and logs."""
    try:
        parsed = url if isinstance(url, URL) else parse_store_url(url)
    except StoreUnavailable:
        return _hidden_password(str(url))
    return parsed.render_as_string(hide_password=True)


def _enable_sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    # WAL lets readers (status, previews) run while the poller writes; foreign keys are off by default.
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.close()


def create_store_engine(url: str, schema: str | None = None, **engine_options: Any) -> AsyncEngine:
    """An async engine for the URL; SQLite gets its folder created, PostgreSQL an optional schema."""
    parsed = async_url(url)
    connect_args: dict[str, Any] = {}
    if parsed.drivername.startswith("sqlite"):
        database = parsed.database
        if database and database != ":memory:":
            Path(database).expanduser().parent.mkdir(parents=True, exist_ok=True)
    else:
        connect_args["connect_timeout"] = 5
        if schema:
            connect_args["options"] = f"-c search_path={schema}"
        engine_options.setdefault("pool_pre_ping", True)
    engine = create_async_engine(parsed, connect_args=connect_args, **engine_options)
    if parsed.drivername.startswith("sqlite"):
        event.listen(engine.sync_engine, "connect", _enable_sqlite_pragmas)
    return engine


def is_connection_error(exc: BaseException) -> bool:
    """Whether an exception means the database is unreachable rather than a bad statement."""
    if isinstance(exc, StoreUnavailable):
        return True
    if isinstance(exc, DBAPIError) and exc.connection_invalidated:
        return True
    if isinstance(exc, OperationalError):
        return True
    return isinstance(exc, OSError | ConnectionError)


class Store:
    """The database behind briefbot: one engine and its sessions."""

    def __init__(self, engine: AsyncEngine) -> None:
        self.engine = engine
        self.sessions = async_sessionmaker(engine, expire_on_commit=False)
        # SQLite has one writer at a time, and a transaction that reads before it writes fails at once
        # ("database is locked") rather than wait when another wrote meanwhile: take turns in-process.
        self._turns: asyncio.Lock | None = asyncio.Lock() if engine.dialect.name == "sqlite" else None

    @classmethod
    def from_url(cls, url: str, schema: str | None = None, **engine_options: Any) -> Store:
        """A store on the database at the URL (nothing is connected until first use)."""
        return cls(create_store_engine(url, schema, **engine_options))

    @property
    def dialect(self) -> str:
        """'sqlite' or 'postgresql'."""
        return self.engine.dialect.name

    def describe(self) -> str:
        """The database URL with its password hidden."""
        return describe_url(self.engine.url)

    async def check(self) -> None:
        """Connect once, or raise StoreUnavailable saying which database and why."""
        try:
            async with self.engine.connect() as connection:
                await connection.execute(text("SELECT 1"))
        except Exception as exc:
            if not is_connection_error(exc):
                raise
            raise StoreUnavailable(self.unavailable_message(exc)) from exc

    def unavailable_message(self, exc: BaseException) -> str:
        """A message for the operator when the database cannot be reached."""
        reason = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0] if str(exc).strip() else ""
        return (
            f"the database {self.describe()} cannot be reached ({reason or exc.__class__.__name__}); "
            "check BRIEFBOT_DATABASE_URL and that the server is running. Nothing stored has been changed."
        )

    @contextlib.asynccontextmanager
    async def transaction(self) -> AsyncIterator[AsyncSession]:
        """A session in one transaction: committed when the block ends, rolled back if it raises.

        A lost connection surfaces as StoreUnavailable, so callers can tell "database away" from a bug.
        Transactions must not be nested (on SQLite they take turns).
        """
        try:
            async with contextlib.AsyncExitStack() as stack:
                if self._turns is not None:
                    await stack.enter_async_context(self._turns)
                session = await stack.enter_async_context(self.sessions())
                await stack.enter_async_context(session.begin())
                yield session
        except StoreUnavailable:
            raise
        except Exception as exc:
            if is_connection_error(exc):
                raise StoreUnavailable(self.unavailable_message(exc)) from exc
            raise

    async def close(self) -> None:
        """Close every pooled connection."""
        await self.engine.dispose()
