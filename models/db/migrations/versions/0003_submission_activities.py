"""submission activities

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23 17:39:13.762360
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "submission_activity",
        sa.Column("submission_id", sa.Integer(), nullable=False),
        sa.Column("activity_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["activity_id"], ["activity.id"], name=op.f("fk_submission_activity_activity_id_activity")),
        sa.ForeignKeyConstraint(["submission_id"], ["submission.id"], name=op.f("fk_submission_activity_submission_id_submission")),
        sa.PrimaryKeyConstraint("submission_id", "activity_id", name=op.f("pk_submission_activity")),
    )
    with op.batch_alter_table("submission_activity", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_submission_activity_activity_id"), ["activity_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("submission_activity", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_submission_activity_activity_id"))

    op.drop_table("submission_activity")
