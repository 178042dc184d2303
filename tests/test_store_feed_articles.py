"""Migration 0005 on a store with articles: each article linked to its feed, canonical URLs no longer unique."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from conftest_store import *  # noqa: F403 - the store fixtures
from conftest_store import StoreSpec
from sqlalchemy import select, text
from sqlalchemy.exc import IntegrityError

from bot.store.migrate import current_revision, head_revision, upgrade_store
from bot.store.models import ArticleRow, FeedArticle

WHEN = datetime(2026, 1, 14, 6, 0)


def _analysis(source: str, outlet: str | None) -> str:
    return json.dumps({"article": {"id": "x", "source": source, "text": "Words.", "outlet": outlet}})


async def test_0005_links_every_stored_article_to_its_feed(store_spec: StoreSpec) -> None:
    store = store_spec.open()
    try:
        await upgrade_store(store, "0004")
        async with store.engine.begin() as connection:
            for feed_id in (1, 2):
                await connection.execute(
                    text(
                        "INSERT INTO feeds (id, url, interval_s, next_poll_at, consecutive_failures, "
                        "articles_seen, disabled, created_at) VALUES (:id, :url, 900, :at, 0, 0, false, :at)"
                    ),
                    {"id": feed_id, "url": f"https://feeds.example.org/{feed_id}.xml", "at": WHEN},
                )
            rows = [
                (1, 1, "https://news.example.org/a", "h1", "https://feeds.example.org/1.xml#0", "Gazette"),
                (2, 2, "https://news.example.org/b", "h2", "https://feeds.example.org/2.xml#3", None),
                (3, None, "https://news.example.org/c", "h3", "https://gone.example.org/x.xml#1", "Gone"),
            ]
            for article_id, feed_id, url, digest, source, outlet in rows:
                await connection.execute(
                    text(
                        "INSERT INTO articles (id, feed_id, canonical_url, content_hash, title, url, "
                        "published, fetched_at, analysis) VALUES (:id, :feed, :url, :hash, 'T', :url, NULL, "
                        ":at, :analysis)"
                    ),
                    {
                        "id": article_id,
                        "feed": feed_id,
                        "url": url,
                        "hash": digest,
                        "at": WHEN,
                        "analysis": _analysis(source, outlet),
                    },
                )
        await upgrade_store(store)
        assert await current_revision(store) == head_revision()
        async with store.transaction() as session:
            links = (
                (await session.execute(select(FeedArticle).order_by(FeedArticle.article_id))).scalars().all()
            )
            assert [(x.feed_id, x.article_id) for x in links] == [(1, 1), (2, 2)]
            assert [x.found_at for x in links] == [WHEN.replace(tzinfo=UTC)] * 2
            assert [(x.url, x.outlet, x.source) for x in links] == [
                ("https://news.example.org/a", "Gazette", "https://feeds.example.org/1.xml#0"),
                ("https://news.example.org/b", None, "https://feeds.example.org/2.xml#3"),
            ]
            # The article whose feed was removed before stays stored, carried by no feed (read by none).
            assert len((await session.execute(select(ArticleRow))).scalars().all()) == 3
            # Another text at a stored address is stored too; the same words twice are not.
            session.add(
                ArticleRow(
                    id=4,  # rows above were given ids: PostgreSQL's sequence has not moved
                    canonical_url="https://news.example.org/a",
                    content_hash="h4",
                    fetched_at=WHEN.replace(tzinfo=UTC),
                    analysis="{}",
                )
            )
        with pytest.raises(IntegrityError):
            async with store.transaction() as session:
                session.add(
                    ArticleRow(id=5, content_hash="h1", fetched_at=WHEN.replace(tzinfo=UTC), analysis="{}")
                )
        # Down again: each article keeps the feed that found it first, one article per address.
        await upgrade_store_down(store, "0004")
        async with store.engine.connect() as connection:
            kept = (await connection.execute(text("SELECT id, feed_id FROM articles ORDER BY id"))).all()
        assert [tuple(r) for r in kept] == [(1, 1), (2, 2), (3, None)]  # 4 shared 1's address
    finally:
        await store.close()


async def upgrade_store_down(store, revision: str) -> None:  # type: ignore[no-untyped-def]
    from alembic import command

    from bot.store.migrate import alembic_config

    def run(connection):  # type: ignore[no-untyped-def]
        config = alembic_config()
        config.attributes["connection"] = connection
        command.downgrade(config, revision)

    async with store.engine.begin() as connection:
        await connection.run_sync(run)
