"""feed notices: failure episodes on feeds, and notices recorded among the deliveries

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-29 13:00:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import bot.store.types

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Apply this revision."""
    with op.batch_alter_table("feeds", schema=None) as batch_op:
        batch_op.add_column(sa.Column("failing_since", bot.store.types.UTCDateTime(), nullable=True))
        batch_op.add_column(sa.Column("recovered_from", bot.store.types.UTCDateTime(), nullable=True))
    # A feed failing at the upgrade is in an episode already: it began at the latest by its last error.
    op.execute("UPDATE feeds SET failing_since = last_error_at WHERE consecutive_failures > 0")
    with op.batch_alter_table("deliveries", schema=None) as batch_op:
        batch_op.add_column(sa.Column("kind", sa.String(length=16), server_default="digest", nullable=False))


def downgrade() -> None:
    """Revert this revision."""
    with op.batch_alter_table("deliveries", schema=None) as batch_op:
        batch_op.drop_column("kind")
    with op.batch_alter_table("feeds", schema=None) as batch_op:
        batch_op.drop_column("recovered_from")
        batch_op.drop_column("failing_since")
