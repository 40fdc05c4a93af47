"""The users table: a role and a scope per user for team mode (``python -m data users``).

Revision 0003 (after 0002), for commit 3049bbb (issue #14, item 3). A new,
empty table; nothing else changes. Frozen copy of ``data._sql.USERS``.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create ``users`` (a store that somehow has it already keeps it)."""
    if "users" in sa.inspect(op.get_bind()).get_table_names():
        return
    op.create_table(
        "users",
        sa.Column("name", sa.Text(), primary_key=True),
        sa.Column("role", sa.String(16)),
        sa.Column("cities", sa.Text(), nullable=False),
        sa.Column("agencies", sa.Text(), nullable=False),
        sa.Column("granted_by", sa.Text()),
        sa.Column("granted_at", sa.String(32)),
    )


def downgrade() -> None:
    """Not supported: restore the backup taken before upgrading."""
    raise NotImplementedError("brassmap does not downgrade stores; restore your backup")
