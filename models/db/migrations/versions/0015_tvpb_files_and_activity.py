"""TVPB files through the outbox (a document re-sent by the channel's file id) and a task's activity

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-04 03:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.add_column(sa.Column("document_ref", sqlmodel.sql.sqltypes.AutoString(length=255), nullable=True))
    with op.batch_alter_table("tvpb_task", schema=None) as batch_op:
        batch_op.add_column(sa.Column("activity_id", sa.Integer(), nullable=True))
        batch_op.create_unique_constraint(batch_op.f("uq_tvpb_task_activity_id"), ["activity_id"])
        batch_op.create_foreign_key(batch_op.f("fk_tvpb_task_activity_id_activity"), "activity", ["activity_id"], ["id"])


def downgrade() -> None:
    with op.batch_alter_table("tvpb_task", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_tvpb_task_activity_id_activity"), type_="foreignkey")
        batch_op.drop_constraint(batch_op.f("uq_tvpb_task_activity_id"), type_="unique")
        batch_op.drop_column("activity_id")
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.drop_column("document_ref")
