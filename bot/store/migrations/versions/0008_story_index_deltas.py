"""story index deltas: what each batch changed in the story index's state, applied after its base

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-06 08:00:00.000000

The base stays in `story_index_state` (its format is unchanged); a store upgraded from 0007 loads it and
replays the articles placed after it, as before, then writes deltas.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Apply this revision."""
    op.create_table(
        "story_index_deltas",
        sa.Column("seq", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("state", sa.LargeBinary(), nullable=False),
        sa.PrimaryKeyConstraint("seq", name=op.f("pk_story_index_deltas")),
    )


def downgrade() -> None:
    """Revert this revision: the deltas are dropped (the base keeps its turn: the articles placed after it
    are replayed from `story_articles`)."""
    op.drop_table("story_index_deltas")
