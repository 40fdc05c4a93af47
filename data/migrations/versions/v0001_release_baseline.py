"""Release baseline: the tables of brassmap as of commit 32f4621, the last release before migrations.

Stores of that release hold these tables (made by ``create_all`` at first
use) and no ``alembic_version``; they are read as being at this revision.
Upgrading such a store creates whichever of these tables it lacks (an
older store may predate ``series_registry`` or ``link_events``) and changes
nothing else. The definitions are frozen here, copied from that release's
``data/_sql.py``: later revisions change :mod:`data._sql`, never this file.
Times are epoch nanoseconds (UTC) in BIGINT columns.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def _record(name: str, *columns: sa.Column, meta: sa.MetaData) -> sa.Table:
    return sa.Table(name, meta, *columns, sa.Column("import_id", sa.Integer))


def baseline_metadata() -> sa.MetaData:
    """The release's tables and indexes, as its ``create_all`` made them."""
    meta = sa.MetaData()
    text, ns, day, real, flag = sa.Text, sa.BigInteger, sa.String(10), sa.Float, sa.Boolean
    integer = sa.BigInteger
    incidents = _record(
        "incidents",
        sa.Column("incident_id", text, primary_key=True), sa.Column("city", text), sa.Column("state", text),
        sa.Column("occurred_at", ns), sa.Column("latitude", real), sa.Column("longitude", real),
        sa.Column("incident_type", text), sa.Column("killed", integer), sa.Column("injured", integer),
        sa.Column("agency", text), sa.Column("case_number", text), sa.Column("address", text),
        sa.Column("narrative", text), sa.Column("district", text), sa.Column("neighbourhood", text),
        sa.Column("time_zone", text), sa.Column("is_synthetic", flag), sa.Column("far_from_city", flag),
        meta=meta,
    )  # fmt: skip
    evidence = _record(
        "evidence",
        sa.Column("evidence_id", text, primary_key=True), sa.Column("evidence_kind", text),
        sa.Column("incident_id", text), sa.Column("firearm_id", text), sa.Column("caliber", text),
        sa.Column("entered_at", ns), sa.Column("is_synthetic", flag),
        meta=meta,
    )  # fmt: skip
    _record(
        "firearms",
        sa.Column("firearm_id", text, primary_key=True), sa.Column("make", text), sa.Column("model", text),
        sa.Column("caliber", text), sa.Column("serial_number", text), sa.Column("recovered_at", ns),
        sa.Column("city", text), sa.Column("latitude", real), sa.Column("longitude", real),
        sa.Column("agency", text), sa.Column("is_synthetic", flag),
        meta=meta,
    )  # fmt: skip
    links = _record(
        "links",
        sa.Column("link_id", text, primary_key=True), sa.Column("incident_a", text),
        sa.Column("incident_b", text), sa.Column("firearm_id", text), sa.Column("evidence_a", text),
        sa.Column("evidence_b", text), sa.Column("status", text), sa.Column("lead_number", text),
        sa.Column("lead_date", day), sa.Column("confirmed_date", day), sa.Column("site", text),
        sa.Column("association_count", integer), sa.Column("note", text), sa.Column("is_synthetic", flag),
        meta=meta,
    )  # fmt: skip
    _record(
        "boundaries",
        sa.Column("boundary_id", text, primary_key=True), sa.Column("name", text), sa.Column("city", text),
        sa.Column("layer", text), sa.Column("geometry", sa.LargeBinary),
        meta=meta,
    )  # fmt: skip
    sa.Index("ix_incidents_city_time", incidents.c.city, incidents.c.occurred_at)
    sa.Index("ix_evidence_incident", evidence.c.incident_id)
    sa.Index("ix_links_a", links.c.incident_a)
    sa.Index("ix_links_b", links.c.incident_b)
    sa.Table(
        "imports", meta,
        sa.Column("import_id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("file_name", text, nullable=False), sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("imported_at", sa.String(32), nullable=False), sa.Column("kinds", text),
        sa.Column("rows_read", integer), sa.Column("rows_stored", integer),
        sa.Column("rows_rejected", integer), sa.Column("warnings", integer),
    )  # fmt: skip
    sa.Table(
        "series_registry", meta,
        sa.Column("series_id", text, primary_key=True), sa.Column("first_incident_id", text),
        sa.Column("first_occurred_at", ns), sa.Column("size", integer), sa.Column("incident_ids", text),
        sa.Column("link_ids", text), sa.Column("merged_into", text), sa.Column("retired_on", day),
        sa.Column("created_on", day), sa.Column("updated_on", day), sa.Column("history", text),
    )  # fmt: skip
    sa.Table(
        "link_events", meta,
        sa.Column("event_id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("link_id", text, nullable=False, index=True),
        sa.Column("event", sa.String(16), nullable=False),
        sa.Column("event_status", sa.String(16)), sa.Column("event_date", day),
        sa.Column("recorded_at", sa.String(32), nullable=False), sa.Column("event_by", text),
        sa.Column("event_to", text), sa.Column("event_note", text), sa.Column("file_name", text),
        sa.Column("import_id", sa.Integer),
    )  # fmt: skip
    sa.Table(
        "brassmap_meta", meta, sa.Column("key", sa.String(64), primary_key=True), sa.Column("value", text),
    )  # fmt: skip
    return meta


def upgrade() -> None:
    """Create the release tables a store lacks (none, for a store written by that release)."""
    baseline_metadata().create_all(op.get_bind(), checkfirst=True)


def downgrade() -> None:
    """Not supported: restore the backup taken before upgrading."""
    raise NotImplementedError("brassmap does not downgrade stores; restore your backup")
