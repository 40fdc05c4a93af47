"""${message}

Revision ${up_revision} (after ${down_revision | comma,n}), written ${create_date}.
Say what changed for a reader of SCHEMA.md, and how existing rows are carried over.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
${imports if imports else ""}
revision = ${repr(up_revision)}
down_revision = ${repr(down_revision)}
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Bring a store at ${down_revision | comma,n} to ${up_revision}, keeping every row."""
    ${upgrades if upgrades else "pass"}


def downgrade() -> None:
    """Not supported: restore the backup taken before upgrading."""
    raise NotImplementedError("brassmap does not downgrade stores; restore your backup")
