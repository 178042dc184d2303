"""Alembic migrations of the store, run from the installed package (no alembic.ini needed)."""

from __future__ import annotations

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.engine import Connection

from bot.store.db import Store

SCRIPT_LOCATION = "bot.store:migrations"


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
