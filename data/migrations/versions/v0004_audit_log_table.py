"""The audit trail: ``audit_log``, append-only and hash-chained (``python -m data audit verify|export``).

Revision 0004 (after 0003), for commit b069546 (issue #14, item 4). A new,
empty table: an upgraded store's trail starts with the first action after the
upgrade (its head, kept in ``brassmap_meta``, is absent until then). Nothing
else changes. Drafted with ``python -m data db revision``, then read.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create ``audit_log`` with its unique hashes and the index on ``action``."""
    op.create_table(
        "audit_log",
        sa.Column("seq", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("user_name", sa.Text(), nullable=False),
        sa.Column("action", sa.String(length=32), nullable=False),
        sa.Column("details", sa.Text(), nullable=False),
        sa.Column("prev_hash", sa.String(length=64), nullable=False),
        sa.Column("hash", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("seq"),
        sa.UniqueConstraint("hash"),
        sa.UniqueConstraint("prev_hash"),
    )
    op.create_index("ix_audit_log_action", "audit_log", ["action"], unique=False)


def downgrade() -> None:
    """Not supported: restore the backup taken before upgrading."""
    raise NotImplementedError("brassmap does not downgrade stores; restore your backup")
