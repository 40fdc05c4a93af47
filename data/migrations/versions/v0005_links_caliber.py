"""Links carry calibre: ``links.caliber``, the calibre a lead report names (issue #13, item 5).

Revision 0005 (after 0004). One nullable text column added to ``links``;
existing rows keep every value and have no calibre (their incidents' calibre
still comes from their casings, as before). Drafted with
``python -m data db revision``, then read.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Add ``links.caliber`` (a store that somehow has it already keeps it)."""
    if "caliber" in {column["name"] for column in sa.inspect(op.get_bind()).get_columns("links")}:
        return
    op.add_column("links", sa.Column("caliber", sa.Text(), nullable=True))


def downgrade() -> None:
    """Not supported: restore the backup taken before upgrading."""
    raise NotImplementedError("brassmap does not downgrade stores; restore your backup")
