"""stories.merged_into indexed: a merge repoints the stories merged into the absorbed one by an index

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-06 13:00:00.000000

Each merge the story memory records updates the stories whose `merged_into` is the absorbed story; without
an index that is a scan of every kept story (weeks of them) per merge.
"""

from __future__ import annotations

from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Apply this revision."""
    op.create_index(op.f("ix_stories_merged_into"), "stories", ["merged_into"], unique=False)


def downgrade() -> None:
    """Revert this revision."""
    op.drop_index(op.f("ix_stories_merged_into"), table_name="stories")
