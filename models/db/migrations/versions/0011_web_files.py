"""files published behind signed links, and their use log

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-04 01:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "web_file",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("filename", sqlmodel.sql.sqltypes.AutoString(length=255), nullable=False),
        sa.Column("mime", sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("expires_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["person_id"], ["person.id"], name=op.f("fk_web_file_person_id_person")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_web_file")),
    )
    op.create_index(op.f("ix_web_file_person_id"), "web_file", ["person_id"])
    op.create_index(op.f("ix_web_file_expires_at"), "web_file", ["expires_at"])
    op.create_table(
        "web_file_use",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("web_file_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("via", sqlmodel.sql.sqltypes.AutoString(length=8), nullable=False),
        sa.Column("used_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["person_id"], ["person.id"], name=op.f("fk_web_file_use_person_id_person")),
        sa.ForeignKeyConstraint(["web_file_id"], ["web_file.id"], name=op.f("fk_web_file_use_web_file_id_web_file")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_web_file_use")),
    )
    op.create_index(op.f("ix_web_file_use_web_file_id"), "web_file_use", ["web_file_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_web_file_use_web_file_id"), table_name="web_file_use")
    op.drop_table("web_file_use")
    op.drop_index(op.f("ix_web_file_expires_at"), table_name="web_file")
    op.drop_index(op.f("ix_web_file_person_id"), table_name="web_file")
    op.drop_table("web_file")
