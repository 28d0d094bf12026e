"""an activity's life: cancel reason, notice choices (each time or a daily digest)

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-04 01:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("activity", schema=None) as batch_op:
        batch_op.add_column(sa.Column("cancel_reason", sqlmodel.sql.sqltypes.AutoString(length=300), nullable=True))
    op.create_table(
        "activity_notice_choice",
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("digest", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(["person_id"], ["person.id"], name=op.f("fk_activity_notice_choice_person_id_person")),
        sa.PrimaryKeyConstraint("person_id", name=op.f("pk_activity_notice_choice")),
    )


def downgrade() -> None:
    op.drop_table("activity_notice_choice")
    with op.batch_alter_table("activity", schema=None) as batch_op:
        batch_op.drop_column("cancel_reason")
