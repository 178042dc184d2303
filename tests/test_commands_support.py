"""Shared by the command, Discord and console tests: short original articles, stored as the poller would.

The articles are fiction written for these tests (Marlow Heights, Orrin and their people are invented).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

import pytest
from spacy.language import Language

from bot.channels.admin import ChannelAdmin, FeedInfo
from bot.clock import FixedClock
from bot.feeds.canonical import content_hash
from bot.identity import Caller, ChannelRef
from bot.store import articles as article_store
from bot.store import feeds as feed_store
from bot.store.db import Store
from bot.store.models import ArticleRow
from briefings.extract.pipeline import analyze_doc
from briefings.ingest.articles import to_article
from briefings.ingest.raw import RawArticle
from briefings.models import ArticleAnalysis

__all__ = [
    "ADMIN",
    "FEED",
    "MEMBER",
    "NOW",
    "AcceptingProbe",
    "news_analyses",
    "set_up_channel",
    "store_articles",
]

NOW = datetime(2026, 3, 12, 12, 0, tzinfo=UTC)
FEED = "https://news.example.org/marlow.xml"
ADMIN = Caller(user_id="admin-1", display_name="Ada", is_channel_admin=True)
MEMBER = Caller(user_id="member-7", display_name="Mo", is_channel_admin=False)

DAM = (
    "Marlow Heights dam spillway cracks after storm",
    "Engineers found a crack in the spillway of the Marlow Heights dam on Tuesday after a storm, the water "
    "board said on Wednesday. Chief engineer Ruth Ambani said 200 homes below the dam were evacuated as a "
    'precaution. "The dam is holding, but we will not take chances," Ambani said. Mayor Colin Dray asked '
    "residents to stay with family until the inspection ends.",
)
DAM_UPDATE = (
    "Marlow Heights dam repairs to take a month, water board says",
    "Repairs to the cracked spillway of the Marlow Heights dam will take a month, chief engineer Ruth Ambani "
    "said on Thursday. Mayor Colin Dray said the evacuated families could return home on Saturday. "
    '"Nobody should worry about the water supply," Dray said.',
)
VOTE = (
    "Orrin council votes to close coal plant by 2030",
    "The council of Orrin voted on Wednesday to close the town's coal plant by 2030. Councillor Bea Lund, "
    'who proposed the plan, said the plant would be replaced by a solar farm. "This is the cheapest power '
    "we can buy,\" Lund said. The plant's owner, Orrin Energy, said it would appeal.",
)
ARTICLES = (DAM, DAM_UPDATE, VOTE)


class AcceptingProbe:
    """Stands in for the network check of a feed URL: every URL is a feed."""

    async def probe(self, url: str) -> FeedInfo:
        return FeedInfo(url=url, title="Marlow News", items=3)


@pytest.fixture(scope="session")
def news_analyses(nlp: Language) -> list[ArticleAnalysis]:
    """The test articles analysed once per session, published a day apart."""
    analyses = []
    for i, (title, text) in enumerate(ARTICLES):
        raw = RawArticle(
            source=f"test#{i}",
            text=f"{title}\n{text}",
            title=title,
            published=datetime(2026, 3, 11 + (i % 2), 9, 0, tzinfo=UTC),
            url=f"https://news.example.org/{i}",
            outlet="Marlow News",
        )
        article = to_article(raw, f"t{i}")
        analyses.append(analyze_doc(nlp(article.text), article))
    return analyses


async def store_articles(
    store: Store, feed_url: str, analyses: Sequence[ArticleAnalysis], fetched_at: datetime
) -> None:
    """Store analysed articles as read from the feed (as the poller stores them)."""
    async with store.transaction() as session:
        feed = await feed_store.find_feed(session, feed_url)
        assert feed is not None
        for analysis in analyses:
            article = analysis.article
            await article_store.add_article(
                session,
                ArticleRow(
                    canonical_url=article.url,
                    content_hash=content_hash(article.title, article.text),
                    title=article.title,
                    url=article.url,
                    published=article.published,
                    fetched_at=fetched_at,
                    analysis=analysis.model_dump_json(),
                ),
                feed.id,
                article.outlet,
                article.source,
            )


async def set_up_channel(store: Store, clock: FixedClock, ref: ChannelRef) -> ChannelAdmin:
    """A channel set up by an admin, following FEED."""
    admin = ChannelAdmin(store, AcceptingProbe(), clock)
    await admin.setup(ref, ADMIN)
    await admin.add_feed(ref, ADMIN, FEED)
    return admin
