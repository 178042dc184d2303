"""story snapshots: what each channel's digests last showed of each story

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-29 12:00:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import bot.store.types

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Apply this revision."""
    op.create_table(
        "story_snapshots",
        sa.Column("channel_id", sa.Integer(), nullable=False),
        sa.Column("story_key", sa.String(length=80), nullable=False),
        sa.Column("snapshot", sa.Text(), nullable=False),
        sa.Column("shown_at", bot.store.types.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["channel_id"],
            ["channels.id"],
            name=op.f("fk_story_snapshots_channel_id_channels"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("channel_id", "story_key", name=op.f("pk_story_snapshots")),
    )
    with op.batch_alter_table("story_snapshots", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_story_snapshots_shown_at"), ["shown_at"], unique=False)


def downgrade() -> None:
    """Revert this revision."""
    with op.batch_alter_table("story_snapshots", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_story_snapshots_shown_at"))
    op.drop_table("story_snapshots")
