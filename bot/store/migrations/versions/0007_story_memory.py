"""story memory: stories, each article's place in one, the queue of articles to place, the index state

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-05 10:00:00.000000

Every article stored before this revision is queued, so the memory places it (oldest first) the first
time it runs.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import bot.store.types

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Apply this revision."""
    op.create_table(
        "stories",
        sa.Column("id", sa.String(length=40), nullable=False),
        sa.Column("opened_at", bot.store.types.UTCDateTime(), nullable=False),
        sa.Column("last_article_at", bot.store.types.UTCDateTime(), nullable=False),
        sa.Column("articles", sa.Integer(), nullable=False),
        sa.Column("closed", sa.Boolean(), nullable=False),
        sa.Column("merged_into", sa.String(length=40), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_stories")),
    )
    with op.batch_alter_table("stories", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_stories_last_article_at"), ["last_article_at"], unique=False)
    op.create_table(
        "story_articles",
        sa.Column("article_id", sa.Integer(), nullable=False),
        sa.Column("story_id", sa.String(length=40), nullable=False),
        sa.Column("seq", sa.BigInteger(), nullable=False),
        sa.Column("duplicate_of", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["article_id"],
            ["articles.id"],
            name=op.f("fk_story_articles_article_id_articles"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("article_id", name=op.f("pk_story_articles")),
        sa.UniqueConstraint("seq", name=op.f("uq_story_articles_seq")),
    )
    with op.batch_alter_table("story_articles", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_story_articles_story_id"), ["story_id"], unique=False)
    op.create_table(
        "story_queue",
        sa.Column("article_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["article_id"],
            ["articles.id"],
            name=op.f("fk_story_queue_article_id_articles"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("article_id", name=op.f("pk_story_queue")),
    )
    op.create_table(
        "story_index_state",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("seq", sa.BigInteger(), nullable=False),
        sa.Column("head", sa.BigInteger(), nullable=False),
        sa.Column("state", sa.LargeBinary(), nullable=True),
        sa.Column("taken_at", bot.store.types.UTCDateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_story_index_state")),
    )
    op.execute("INSERT INTO story_index_state (id, version, seq, head) VALUES (1, 0, 0, 0)")
    op.execute("INSERT INTO story_queue (article_id) SELECT id FROM articles")


def downgrade() -> None:
    """Revert this revision (the story memory is dropped; articles are kept)."""
    op.drop_table("story_index_state")
    op.drop_table("story_queue")
    with op.batch_alter_table("story_articles", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_story_articles_story_id"))
    op.drop_table("story_articles")
    with op.batch_alter_table("stories", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_stories_last_article_at"))
    op.drop_table("stories")
