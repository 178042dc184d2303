"""Store fixtures shared by the service tests: every store test runs on a SQLite file and on PostgreSQL.

PostgreSQL is the server at $BRIEFBOT_TEST_POSTGRES_URL (default postgresql://postgres@127.0.0.1:5432/test);
each test gets a schema of its own, dropped afterwards, so parallel runs never collide. Without the server
the PostgreSQL half is skipped on a developer's machine and fails in CI (CI=true).
"""

from __future__ import annotations

import asyncio
import os
import uuid
from collections.abc import AsyncIterator, Iterator
from datetime import datetime
from pathlib import Path

import psycopg
import pytest

from bot.delivery import DeliveryFailed, DeliveryReceipt, OutgoingMessage
from bot.identity import ChannelRef
from bot.store.db import Store
from bot.store.migrate import upgrade_store

__all__ = ["RecordingDelivery", "SimulatedCrash", "StoreSpec", "pg_schema", "store", "store_spec"]

POSTGRES_URL = os.environ.get("BRIEFBOT_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")


def postgres_or_skip() -> str:
    """The test server's URL; skip (fail in CI) when it does not answer."""
    try:
        with psycopg.connect(POSTGRES_URL, connect_timeout=3) as connection:
            connection.execute("SELECT 1")
    except psycopg.Error as exc:
        message = f"PostgreSQL at {POSTGRES_URL} is not reachable: {exc}"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message)
        pytest.skip(message)
    return POSTGRES_URL


@pytest.fixture
def pg_schema() -> Iterator[str]:
    """A fresh PostgreSQL schema for one test, dropped after it."""
    url = postgres_or_skip()
    schema = f"bbtest_{os.getpid()}_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute(f'CREATE SCHEMA "{schema}"')
    yield schema
    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')


class StoreSpec:
    """How to open (and re-open, as a restarted process would) the test's database."""

    def __init__(self, url: str, schema: str | None) -> None:
        self.url = url
        self.schema = schema

    def open(self) -> Store:
        """A new Store on the same database (a new process would do this)."""
        return Store.from_url(self.url, schema=self.schema)


@pytest.fixture(params=["sqlite", "postgresql"])
def store_spec(request: pytest.FixtureRequest, tmp_path: Path) -> StoreSpec:
    """The test's database: a SQLite file, or a fresh schema on the PostgreSQL server."""
    if request.param == "sqlite":
        return StoreSpec(f"sqlite:///{tmp_path / 'briefbot.db'}", None)
    schema = request.getfixturevalue("pg_schema")
    return StoreSpec(POSTGRES_URL, schema)


@pytest.fixture
async def store(store_spec: StoreSpec) -> AsyncIterator[Store]:
    """A migrated, empty store."""
    opened = store_spec.open()
    await upgrade_store(opened)
    yield opened
    await opened.close()


class SimulatedCrash(Exception):
    """Stands for the process dying at a given point."""


class RecordingDelivery:
    """Stands in for a chat platform: records what was posted, idempotent on the key as adapters must be."""

    def __init__(self) -> None:
        self.posted: list[OutgoingMessage] = []
        self.deliver_calls = 0
        self.by_key: dict[str, DeliveryReceipt] = {}
        self.crash_after_send = False
        self.fail_with: DeliveryFailed | None = None

    async def deliver(self, message: OutgoingMessage) -> DeliveryReceipt:
        """Post (record) the message; the same key twice returns the first receipt."""
        self.deliver_calls += 1
        if self.fail_with is not None:
            raise self.fail_with
        if message.idempotency_key in self.by_key:
            return self.by_key[message.idempotency_key]
        await asyncio.sleep(0)
        self.posted.append(message)
        receipt = DeliveryReceipt(
            message_ref=f"m{len(self.posted)}", delivered_at=datetime.now().astimezone()
        )
        self.by_key[message.idempotency_key] = receipt
        if self.crash_after_send:
            raise SimulatedCrash("the process died after the platform took the message")
        return receipt

    async def find_delivered(self, channel: ChannelRef, idempotency_key: str) -> DeliveryReceipt | None:
        """The receipt of a message posted earlier with this key."""
        return self.by_key.get(idempotency_key)

    def digests(self) -> list[OutgoingMessage]:
        """The digests posted (not notices)."""
        return [m for m in self.posted if m.kind == "digest"]
