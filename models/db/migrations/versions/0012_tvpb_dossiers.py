"""tvpb tasks, stages, dossier parts, experts, council seats

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-04 01:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _text(length: int) -> sa.types.TypeEngine[str]:
    return sqlmodel.sql.sqltypes.AutoString(length=length)  # type: ignore[attr-defined,no-any-return]


def _moment() -> sa.types.TypeEngine[object]:
    return sqlmodel.sql.sqltypes.UTCDateTime()  # type: ignore[attr-defined,no-any-return]


def upgrade() -> None:
    op.create_table(
        "tvpb_task",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("programme_id", sa.Integer(), nullable=False),
        sa.Column("agency_id", sa.Integer(), nullable=False),
        sa.Column("title", _text(500), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("fields", sa.JSON(), nullable=False),
        sa.Column("submission_on", sa.Date(), nullable=False),
        sa.Column("dossier_due", sa.Date(), nullable=False),
        sa.Column("stage", sa.String(length=16), nullable=False),
        sa.Column("late_at_opening", sa.Boolean(), nullable=False),
        sa.Column("dossier_complete_at", _moment(), nullable=True),
        sa.Column("dossier_late", sa.Boolean(), nullable=True),
        sa.Column("dossier_incomplete", sa.Boolean(), nullable=True),
        sa.Column("council_days", sa.Integer(), nullable=True),
        sa.Column("workshop_on", sa.Date(), nullable=True),
        sa.Column("response_due", sa.Date(), nullable=True),
        sa.Column("cancel_reason", _text(500), nullable=True),
        sa.Column("opened_at", _moment(), nullable=False),
        sa.ForeignKeyConstraint(["agency_id"], ["agency.id"]),
        sa.ForeignKeyConstraint(["programme_id"], ["programme.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(op.f("ix_tvpb_task_agency_id"), "tvpb_task", ["agency_id"], unique=False)
    op.create_index(op.f("ix_tvpb_task_programme_id"), "tvpb_task", ["programme_id"], unique=False)
    op.create_index(op.f("ix_tvpb_task_stage"), "tvpb_task", ["stage"], unique=False)
    op.create_table(
        "tvpb_stage_log",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("task_id", sa.Integer(), nullable=False),
        sa.Column("stage", sa.String(length=16), nullable=False),
        sa.Column("at", _moment(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=True),
        sa.Column("note", _text(500), nullable=True),
        sa.ForeignKeyConstraint(["person_id"], ["person.id"]),
        sa.ForeignKeyConstraint(["task_id"], ["tvpb_task.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(op.f("ix_tvpb_stage_log_task_id"), "tvpb_stage_log", ["task_id"], unique=False)
    op.create_table(
        "tvpb_part",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("task_id", sa.Integer(), nullable=False),
        sa.Column("part", _text(24), nullable=False),
        sa.Column("attachment_id", sa.Integer(), nullable=True),
        sa.Column("missing", sa.Boolean(), nullable=False),
        sa.Column("at", _moment(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=True),
        sa.Column("superseded_at", _moment(), nullable=True),
        sa.ForeignKeyConstraint(["attachment_id"], ["attachment.id"]),
        sa.ForeignKeyConstraint(["person_id"], ["person.id"]),
        sa.ForeignKeyConstraint(["task_id"], ["tvpb_task.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(op.f("ix_tvpb_part_task_id"), "tvpb_part", ["task_id"], unique=False)
    op.create_table(
        "expert",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("programme_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=True),
        sa.Column("full_name", _text(120), nullable=False),
        sa.Column("title", _text(120), nullable=False),
        sa.Column("fields", sa.JSON(), nullable=False),
        sa.Column("affiliation", _text(200), nullable=False),
        sa.Column("contact", _text(200), nullable=False),
        sa.Column("consent_at", _moment(), nullable=False),
        sa.Column("paper_consent_on", sa.Date(), nullable=True),
        sa.Column("created_at", _moment(), nullable=False),
        sa.Column("erased_at", _moment(), nullable=True),
        sa.ForeignKeyConstraint(["person_id"], ["person.id"]),
        sa.ForeignKeyConstraint(["programme_id"], ["programme.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("person_id"),
    )
    op.create_index(op.f("ix_expert_programme_id"), "expert", ["programme_id"], unique=False)
    op.create_table(
        "council_seat",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("task_id", sa.Integer(), nullable=False),
        sa.Column("expert_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("invited_at", _moment(), nullable=False),
        sa.Column("answered_at", _moment(), nullable=True),
        sa.Column("history", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(["expert_id"], ["expert.id"]),
        sa.ForeignKeyConstraint(["task_id"], ["tvpb_task.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("task_id", "expert_id"),
    )
    op.create_index(op.f("ix_council_seat_expert_id"), "council_seat", ["expert_id"], unique=False)
    op.create_index(op.f("ix_council_seat_task_id"), "council_seat", ["task_id"], unique=False)


def downgrade() -> None:
    op.drop_table("council_seat")
    op.drop_table("expert")
    op.drop_table("tvpb_part")
    op.drop_table("tvpb_stage_log")
    op.drop_table("tvpb_task")
