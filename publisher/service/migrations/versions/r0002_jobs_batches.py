"""Drafts become jobs (status, the record until done, requested formats, batch); rendered
files in the database; batches.

Revision ID: r0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "r0002"
down_revision = "r0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("drafts") as table:
        table.add_column(sa.Column("status", sa.String(16), nullable=False, server_default="done"))
        table.add_column(sa.Column("error", sa.Text))
        table.add_column(sa.Column("record", sa.LargeBinary))
        table.add_column(sa.Column("formats", sa.Text, nullable=False, server_default=""))
        table.add_column(sa.Column("batch_id", sa.Text))
        table.add_column(sa.Column("updated", sa.Text))
        table.add_column(sa.Column("position", sa.Integer))
        table.create_index("ix_drafts_batch_id", ["batch_id"])
    op.create_table(
        "outputs",
        sa.Column("draft_id", sa.Text, sa.ForeignKey("drafts.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("kind", sa.String(16), primary_key=True),
        sa.Column("data", sa.LargeBinary, nullable=False),
    )
    op.create_table(
        "batches",
        sa.Column("id", sa.Text, primary_key=True),
        sa.Column("created", sa.Text, nullable=False),
        sa.Column("total", sa.Integer, nullable=False),
        sa.Column("formats", sa.Text, nullable=False),
        sa.Column("callback_url", sa.Text),
        sa.Column("notified", sa.Integer, nullable=False, server_default="0"),
    )


def downgrade() -> None:
    op.drop_table("batches")
    op.drop_table("outputs")
    with op.batch_alter_table("drafts") as table:
        table.drop_index("ix_drafts_batch_id")
        for name in ("position", "updated", "batch_id", "formats", "record", "error", "status"):
            table.drop_column(name)
