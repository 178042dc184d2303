"""`briefbot db upgrade` started by several containers at once: one migrates, the others wait and find it done."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest_store import *  # noqa: F403 - the store fixtures
from conftest_store import POSTGRES_URL

from bot.store.db import Store
from bot.store.migrate import current_revision, head_revision, migration_lock, upgrade_store

pytestmark = pytest.mark.postgres

STARTS = 4


async def test_upgrades_started_together_on_an_empty_database_take_turns(pg_schema: str) -> None:
    stores = [Store.from_url(POSTGRES_URL, schema=pg_schema) for _ in range(STARTS)]
    gate = asyncio.Event()

    async def upgrade(store: Store) -> str | None:
        await gate.wait()  # every one of them starts from an empty schema at the same moment
        async with migration_lock(store):
            await upgrade_store(store)
            return await current_revision(store)

    try:
        runs = [asyncio.create_task(upgrade(store)) for store in stores]
        await asyncio.sleep(0.1)
        gate.set()
        results = await asyncio.wait_for(asyncio.gather(*runs, return_exceptions=True), 120)
    finally:
        for store in stores:
            await store.close()
    assert results == [head_revision()] * STARTS


def test_db_upgrade_commands_started_together_all_succeed(tmp_path: Path, pg_schema: str) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("BRIEFBOT_")}
    env.update(
        BRIEFBOT_DATA_DIR=str(tmp_path),
        BRIEFBOT_DATABASE_URL=f"{POSTGRES_URL}?options=-csearch_path%3D{pg_schema}",
        BRIEFBOT_QUEUE__BACKEND="procrastinate",
        PYTHONPATH=os.pathsep.join([str(Path(__file__).parents[1]), os.environ.get("PYTHONPATH", "")]),
    )
    starts = [
        subprocess.Popen(
            [sys.executable, "-m", "bot.cli", "db", "upgrade"],
            env=env,
            cwd=tmp_path,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(3)
    ]
    outputs = [process.communicate(timeout=120) for process in starts]
    assert [process.returncode for process in starts] == [0, 0, 0], [err for _, err in outputs]
    said = sorted(out.split(":")[0].split("(")[0].strip() for out, _ in outputs)
    assert said == ["the database is migrated", "the database is up to date", "the database is up to date"]
