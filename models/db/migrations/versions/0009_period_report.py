"""period report: what the office writes for a period's consolidated report, and when it was sent

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-04 00:10:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    text = sqlmodel.sql.sqltypes.AutoString
    op.create_table(
        "period_report",
        sa.Column("period_id", sa.Integer(), nullable=False),
        sa.Column("assessment", text(length=4000), nullable=True),
        sa.Column("shortcomings", text(length=4000), nullable=True),
        sa.Column("causes", text(length=4000), nullable=True),
        sa.Column("directions", text(length=4000), nullable=True),
        sa.Column("proposals", text(length=4000), nullable=True),
        sa.Column("signer_name", text(length=120), nullable=True),
        sa.Column("sent_number", text(length=60), nullable=True),
        sa.Column("sent_on", sa.Date(), nullable=True),
        sa.Column("updated_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("updated_by_person_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["period_id"], ["period.id"]),
        sa.ForeignKeyConstraint(["updated_by_person_id"], ["person.id"]),
        sa.PrimaryKeyConstraint("period_id"),
    )


def downgrade() -> None:
    op.drop_table("period_report")
