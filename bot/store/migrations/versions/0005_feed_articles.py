"""feed articles: an article stored once belongs to every feed that carries it

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01 10:00:00.000000

Each stored article becomes linked to the feed it was read from (found then, presented as its analysis
says); `articles.feed_id` goes, and the canonical URL is no longer unique (only indexed). The links are
staged in a table without foreign keys while `articles` is rebuilt: SQLite rebuilds a table by dropping
it, which with foreign keys on would delete every link that points at it.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import bot.store.types

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

_STAGING = "_feed_articles_0005"


def _link_columns() -> list[sa.Column[object]]:
    return [
        sa.Column("feed_id", sa.Integer(), nullable=False),
        sa.Column("article_id", sa.Integer(), nullable=False),
        sa.Column("found_at", bot.store.types.UTCDateTime(), nullable=False),
        sa.Column("url", sa.Text(), nullable=True),
        sa.Column("outlet", sa.Text(), nullable=True),
        sa.Column("source", sa.Text(), nullable=False),
    ]


def _analysis_field(name: str) -> str:
    """SQL reading `article.<name>` out of the analysis JSON, on the database at hand."""
    if op.get_bind().dialect.name == "postgresql":
        return f"(CAST(analysis AS json) -> 'article' ->> '{name}')"
    return f"json_extract(analysis, '$.article.{name}')"


def upgrade() -> None:
    """Apply this revision."""
    op.create_table(_STAGING, *_link_columns())
    # Each article was found by its feed when it was stored, presented as its analysis says.
    op.execute(
        f"INSERT INTO {_STAGING} (feed_id, article_id, found_at, url, outlet, source) "
        f"SELECT feed_id, id, fetched_at, url, {_analysis_field('outlet')}, "
        f"COALESCE({_analysis_field('source')}, '') FROM articles WHERE feed_id IS NOT NULL"
    )
    with op.batch_alter_table("articles", schema=None) as batch_op:
        batch_op.drop_index("ix_articles_feed_fetched")
        batch_op.drop_constraint("fk_articles_feed_id_feeds", type_="foreignkey")
        batch_op.drop_constraint("uq_articles_canonical_url", type_="unique")
        batch_op.drop_column("feed_id")
        batch_op.create_index(batch_op.f("ix_articles_canonical_url"), ["canonical_url"], unique=False)
    op.create_table(
        "feed_articles",
        *_link_columns(),
        sa.ForeignKeyConstraint(
            ["article_id"],
            ["articles.id"],
            name=op.f("fk_feed_articles_article_id_articles"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["feed_id"], ["feeds.id"], name=op.f("fk_feed_articles_feed_id_feeds"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("feed_id", "article_id", name=op.f("pk_feed_articles")),
    )
    with op.batch_alter_table("feed_articles", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_feed_articles_article_id"), ["article_id"], unique=False)
        batch_op.create_index("ix_feed_articles_feed_found", ["feed_id", "found_at"], unique=False)
    op.execute(
        f"INSERT INTO feed_articles (feed_id, article_id, found_at, url, outlet, source) "
        f"SELECT feed_id, article_id, found_at, url, outlet, source FROM {_STAGING}"
    )
    op.drop_table(_STAGING)


def downgrade() -> None:
    """Revert this revision.

    Loses what 0004 cannot hold: an article keeps only the feed that found it first, and of several
    articles at one canonical URL only the first stored is kept.
    """
    with op.batch_alter_table("articles", schema=None) as batch_op:
        batch_op.add_column(sa.Column("feed_id", sa.Integer(), nullable=True))
    op.execute(
        "UPDATE articles SET feed_id = (SELECT fa.feed_id FROM feed_articles fa "
        "WHERE fa.article_id = articles.id ORDER BY fa.found_at, fa.feed_id LIMIT 1)"
    )
    op.drop_table("feed_articles")
    op.execute(
        "DELETE FROM articles WHERE canonical_url IS NOT NULL AND id NOT IN "
        "(SELECT MIN(id) FROM articles WHERE canonical_url IS NOT NULL GROUP BY canonical_url)"
    )
    with op.batch_alter_table("articles", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_articles_canonical_url"))
        batch_op.create_unique_constraint("uq_articles_canonical_url", ["canonical_url"])
        batch_op.create_foreign_key(
            "fk_articles_feed_id_feeds", "feeds", ["feed_id"], ["id"], ondelete="SET NULL"
        )
        batch_op.create_index("ix_articles_feed_fetched", ["feed_id", "fetched_at"], unique=False)
