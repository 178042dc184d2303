"""Alembic migrations of the store, run from the installed package (no alembic.ini needed)."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import text
from sqlalchemy.engine import Connection

from bot.store.db import Store

SCRIPT_LOCATION = "bot.store:migrations"
# The advisory lock that lets one `briefbot db upgrade` at a time migrate a PostgreSQL database ("brim").
MIGRATION_LOCK_KEY = 0x6272696D


def alembic_config() -> Config:
    """The Alembic configuration of the store's migrations, found inside the package."""
    config = Config()
    config.set_main_option("script_location", SCRIPT_LOCATION)
    return config


def head_revision() -> str | None:
    """The newest revision the code knows."""
    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def _upgrade(connection: Connection, revision: str) -> None:
    config = alembic_config()
    config.attributes["connection"] = connection
    command.upgrade(config, revision)


def _current(connection: Connection) -> str | None:
    return MigrationContext.configure(connection).get_current_revision()


async def upgrade_store(store: Store, revision: str = "head") -> None:
    """Migrate the database to the revision (all of it, or nothing: one transaction where the database allows)."""
    async with store.engine.begin() as connection:
        await connection.run_sync(_upgrade, revision)


async def current_revision(store: Store) -> str | None:
    """The revision the database is at (None: never migrated)."""
    async with store.engine.connect() as connection:
        return await connection.run_sync(_current)


@contextlib.asynccontextmanager
async def migration_lock(store: Store) -> AsyncIterator[None]:
    """Hold the database's migration lock (PostgreSQL): upgrades started together run one after another.

    Containers that each run `briefbot db upgrade` at start would otherwise both find the tables missing and
    both create them, and one would fail. The lock is a session advisory lock on a connection of its own,
    released when the block ends (or when the connection goes, if the process dies). SQLite needs none: it
    is one process's file, and its writes take turns anyway.
    """
    if store.dialect != "postgresql":
        yield
        return
    async with store.engine.connect() as connection:
        await connection.execution_options(isolation_level="AUTOCOMMIT")
        await connection.execute(text("SELECT pg_advisory_lock(:key)"), {"key": MIGRATION_LOCK_KEY})
        try:
            yield
        finally:
            await connection.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": MIGRATION_LOCK_KEY})
