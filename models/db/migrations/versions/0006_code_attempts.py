"""code attempts

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-03 18:30:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "code_attempt",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("account_hash", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("blocked_until", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_code_attempt")),
    )
    with op.batch_alter_table("code_attempt", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_code_attempt_account_hash"), ["account_hash"], unique=False)
        batch_op.create_index(batch_op.f("ix_code_attempt_at"), ["at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("code_attempt", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_code_attempt_at"))
        batch_op.drop_index(batch_op.f("ix_code_attempt_account_hash"))
    op.drop_table("code_attempt")
