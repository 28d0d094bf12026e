"""first tables

Revision ID: 0001
Revises:
Create Date: 2026-11-23 17:21:01.813843
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "conversation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("channel", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("chat_ref", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("user_ref", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("flow", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=True),
        sa.Column("step", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=True),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.Column("nonce", sqlmodel.sql.sqltypes.AutoString(length=8), nullable=False),
        sa.Column("language", sqlmodel.sql.sqltypes.AutoString(length=5), nullable=True),
        sa.Column("updated_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_conversation")),
        sa.UniqueConstraint("channel", "chat_ref", "user_ref", name=op.f("uq_conversation_channel_chat_ref_user_ref")),
    )
    op.create_table(
        "processed_update",
        sa.Column("channel", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("update_ref", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("channel", "update_ref", name=op.f("pk_processed_update")),
    )
    with op.batch_alter_table("processed_update", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_processed_update_at"), ["at"], unique=False)

    op.create_table(
        "programme",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sqlmodel.sql.sqltypes.AutoString(length=24), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
        sa.Column("timezone", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("source_hash", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("document", sa.JSON(), nullable=False),
        sa.Column("loaded_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_programme")),
        sa.UniqueConstraint("code", name=op.f("uq_programme_code")),
    )
    op.create_table(
        "activity_type",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("programme_id", sa.Integer(), nullable=False),
        sa.Column("code", sqlmodel.sql.sqltypes.AutoString(length=24), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
        sa.Column("name_en", sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(["programme_id"], ["programme.id"], name=op.f("fk_activity_type_programme_id_programme")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_activity_type")),
        sa.UniqueConstraint("programme_id", "code", name=op.f("uq_activity_type_programme_id_code")),
    )
    with op.batch_alter_table("activity_type", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_activity_type_programme_id"), ["programme_id"], unique=False)

    op.create_table(
        "agency",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("programme_id", sa.Integer(), nullable=False),
        sa.Column("code", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
        sa.Column("kind_code", sqlmodel.sql.sqltypes.AutoString(length=24), nullable=True),
        sa.Column("is_coordinator", sa.Boolean(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(["programme_id"], ["programme.id"], name=op.f("fk_agency_programme_id_programme")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_agency")),
        sa.UniqueConstraint("programme_id", "code", name=op.f("uq_agency_programme_id_code")),
    )
    with op.batch_alter_table("agency", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_agency_programme_id"), ["programme_id"], unique=False)

    op.create_table(
        "agency_kind",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("programme_id", sa.Integer(), nullable=False),
        sa.Column("code", sqlmodel.sql.sqltypes.AutoString(length=24), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
        sa.Column("name_en", sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(["programme_id"], ["programme.id"], name=op.f("fk_agency_kind_programme_id_programme")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_agency_kind")),
        sa.UniqueConstraint("programme_id", "code", name=op.f("uq_agency_kind_programme_id_code")),
    )
    with op.batch_alter_table("agency_kind", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_agency_kind_programme_id"), ["programme_id"], unique=False)

    op.create_table(
        "assigned_task",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("programme_id", sa.Integer(), nullable=False),
        sa.Column("code", sqlmodel.sql.sqltypes.AutoString(length=24), nullable=False),
        sa.Column("title", sqlmodel.sql.sqltypes.AutoString(length=1000), nullable=False),
        sa.Column("due_text", sqlmodel.sql.sqltypes.AutoString(length=80), nullable=False),
        sa.Column("due_date", sa.Date(), nullable=False),
        sa.Column("source", sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(["programme_id"], ["programme.id"], name=op.f("fk_assigned_task_programme_id_programme")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_assigned_task")),
        sa.UniqueConstraint("programme_id", "code", name=op.f("uq_assigned_task_programme_id_code")),
    )
    with op.batch_alter_table("assigned_task", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_assigned_task_programme_id"), ["programme_id"], unique=False)

    op.create_table(
        "indicator",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("programme_id", sa.Integer(), nullable=False),
        sa.Column("code", sqlmodel.sql.sqltypes.AutoString(length=24), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
        sa.Column("name_en", sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
        sa.Column("unit", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column("unit_en", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(["programme_id"], ["programme.id"], name=op.f("fk_indicator_programme_id_programme")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_indicator")),
        sa.UniqueConstraint("programme_id", "code", name=op.f("uq_indicator_programme_id_code")),
    )
    with op.batch_alter_table("indicator", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_indicator_programme_id"), ["programme_id"], unique=False)

    op.create_table(
        "period",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("programme_id", sa.Integer(), nullable=False),
        sa.Column("cycle_code", sqlmodel.sql.sqltypes.AutoString(length=24), nullable=False),
        sa.Column("period_code", sqlmodel.sql.sqltypes.AutoString(length=12), nullable=False),
        sa.Column("window_start", sa.Date(), nullable=False),
        sa.Column("window_end", sa.Date(), nullable=False),
        sa.Column("due_date", sa.Date(), nullable=False),
        sa.Column("opened_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("closed_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(["programme_id"], ["programme.id"], name=op.f("fk_period_programme_id_programme")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_period")),
        sa.UniqueConstraint("programme_id", "cycle_code", "period_code", name=op.f("uq_period_programme_id_cycle_code_period_code")),
    )
    with op.batch_alter_table("period", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_period_programme_id"), ["programme_id"], unique=False)

    op.create_table(
        "person",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("programme_id", sa.Integer(), nullable=False),
        sa.Column("agency_id", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("full_name", sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
        sa.Column("language", sqlmodel.sql.sqltypes.AutoString(length=5), nullable=False),
        sa.Column("consent_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("consent_version", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("deactivated_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(["agency_id"], ["agency.id"], name=op.f("fk_person_agency_id_agency")),
        sa.ForeignKeyConstraint(["programme_id"], ["programme.id"], name=op.f("fk_person_programme_id_programme")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_person")),
    )
    with op.batch_alter_table("person", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_person_agency_id"), ["agency_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_person_programme_id"), ["programme_id"], unique=False)

    op.create_table(
        "activity",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("programme_id", sa.Integer(), nullable=False),
        sa.Column("lead_agency_id", sa.Integer(), nullable=False),
        sa.Column("type_id", sa.Integer(), nullable=False),
        sa.Column("title", sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
        sa.Column("planned_date", sa.Date(), nullable=False),
        sa.Column("actual_date", sa.Date(), nullable=True),
        sa.Column("place", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("participants", sa.Integer(), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("created_by_person_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("updated_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["created_by_person_id"], ["person.id"], name=op.f("fk_activity_created_by_person_id_person")),
        sa.ForeignKeyConstraint(["lead_agency_id"], ["agency.id"], name=op.f("fk_activity_lead_agency_id_agency")),
        sa.ForeignKeyConstraint(["programme_id"], ["programme.id"], name=op.f("fk_activity_programme_id_programme")),
        sa.ForeignKeyConstraint(["type_id"], ["activity_type.id"], name=op.f("fk_activity_type_id_activity_type")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_activity")),
    )
    with op.batch_alter_table("activity", schema=None) as batch_op:
        batch_op.create_index("ix_activity_lead_date", ["lead_agency_id", "planned_date"], unique=False)
        batch_op.create_index(batch_op.f("ix_activity_programme_id"), ["programme_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_activity_type_id"), ["type_id"], unique=False)

    op.create_table(
        "channel_identity",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("channel", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("user_ref", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("chat_ref", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("last_seen_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["person_id"], ["person.id"], name=op.f("fk_channel_identity_person_id_person")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_channel_identity")),
        sa.UniqueConstraint("channel", "user_ref", name=op.f("uq_channel_identity_channel_user_ref")),
    )
    with op.batch_alter_table("channel_identity", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_channel_identity_person_id"), ["person_id"], unique=False)

    op.create_table(
        "invite",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("programme_id", sa.Integer(), nullable=False),
        sa.Column("code", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("agency_id", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("created_by_person_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("expires_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("used_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("used_by_person_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["agency_id"], ["agency.id"], name=op.f("fk_invite_agency_id_agency")),
        sa.ForeignKeyConstraint(["created_by_person_id"], ["person.id"], name=op.f("fk_invite_created_by_person_id_person")),
        sa.ForeignKeyConstraint(["programme_id"], ["programme.id"], name=op.f("fk_invite_programme_id_programme")),
        sa.ForeignKeyConstraint(["used_by_person_id"], ["person.id"], name=op.f("fk_invite_used_by_person_id_person")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_invite")),
        sa.UniqueConstraint("code", name=op.f("uq_invite_code")),
    )
    with op.batch_alter_table("invite", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_invite_programme_id"), ["programme_id"], unique=False)

    op.create_table(
        "processing_log",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=True),
        sa.Column("actor_person_id", sa.Integer(), nullable=True),
        sa.Column("action", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column("detail", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(["actor_person_id"], ["person.id"], name=op.f("fk_processing_log_actor_person_id_person")),
        sa.ForeignKeyConstraint(["person_id"], ["person.id"], name=op.f("fk_processing_log_person_id_person")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_processing_log")),
    )
    with op.batch_alter_table("processing_log", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_processing_log_at"), ["at"], unique=False)
        batch_op.create_index(batch_op.f("ix_processing_log_person_id"), ["person_id"], unique=False)

    op.create_table(
        "submission",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("period_id", sa.Integer(), nullable=False),
        sa.Column("agency_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("late", sa.Boolean(), nullable=False),
        sa.Column("submitted_by_person_id", sa.Integer(), nullable=True),
        sa.Column("submitted_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("reviewed_by_person_id", sa.Integer(), nullable=True),
        sa.Column("reviewed_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("return_reason", sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=True),
        sa.Column("updated_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["agency_id"], ["agency.id"], name=op.f("fk_submission_agency_id_agency")),
        sa.ForeignKeyConstraint(["period_id"], ["period.id"], name=op.f("fk_submission_period_id_period")),
        sa.ForeignKeyConstraint(["reviewed_by_person_id"], ["person.id"], name=op.f("fk_submission_reviewed_by_person_id_person")),
        sa.ForeignKeyConstraint(["submitted_by_person_id"], ["person.id"], name=op.f("fk_submission_submitted_by_person_id_person")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_submission")),
        sa.UniqueConstraint("period_id", "agency_id", name=op.f("uq_submission_period_id_agency_id")),
    )
    with op.batch_alter_table("submission", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_submission_agency_id"), ["agency_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_submission_period_id"), ["period_id"], unique=False)

    op.create_table(
        "task_assignment",
        sa.Column("task_id", sa.Integer(), nullable=False),
        sa.Column("agency_id", sa.Integer(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("done_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("done_by_person_id", sa.Integer(), nullable=True),
        sa.Column("done_note", sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=True),
        sa.ForeignKeyConstraint(["agency_id"], ["agency.id"], name=op.f("fk_task_assignment_agency_id_agency")),
        sa.ForeignKeyConstraint(["done_by_person_id"], ["person.id"], name=op.f("fk_task_assignment_done_by_person_id_person")),
        sa.ForeignKeyConstraint(["task_id"], ["assigned_task.id"], name=op.f("fk_task_assignment_task_id_assigned_task")),
        sa.PrimaryKeyConstraint("task_id", "agency_id", name=op.f("pk_task_assignment")),
    )
    with op.batch_alter_table("task_assignment", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_task_assignment_agency_id"), ["agency_id"], unique=False)

    op.create_table(
        "activity_partner",
        sa.Column("activity_id", sa.Integer(), nullable=False),
        sa.Column("agency_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["activity_id"], ["activity.id"], name=op.f("fk_activity_partner_activity_id_activity")),
        sa.ForeignKeyConstraint(["agency_id"], ["agency.id"], name=op.f("fk_activity_partner_agency_id_agency")),
        sa.PrimaryKeyConstraint("activity_id", "agency_id", name=op.f("pk_activity_partner")),
    )
    with op.batch_alter_table("activity_partner", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_activity_partner_agency_id"), ["agency_id"], unique=False)

    op.create_table(
        "report_item",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("submission_id", sa.Integer(), nullable=False),
        sa.Column("code", sqlmodel.sql.sqltypes.AutoString(length=24), nullable=False),
        sa.Column("value", sa.Float(), nullable=True),
        sa.Column("text", sqlmodel.sql.sqltypes.AutoString(length=4000), nullable=True),
        sa.ForeignKeyConstraint(["submission_id"], ["submission.id"], name=op.f("fk_report_item_submission_id_submission")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_report_item")),
        sa.UniqueConstraint("submission_id", "code", name=op.f("uq_report_item_submission_id_code")),
    )
    with op.batch_alter_table("report_item", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_report_item_submission_id"), ["submission_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("report_item", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_report_item_submission_id"))

    op.drop_table("report_item")
    with op.batch_alter_table("activity_partner", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_activity_partner_agency_id"))

    op.drop_table("activity_partner")
    with op.batch_alter_table("task_assignment", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_task_assignment_agency_id"))

    op.drop_table("task_assignment")
    with op.batch_alter_table("submission", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_submission_period_id"))
        batch_op.drop_index(batch_op.f("ix_submission_agency_id"))

    op.drop_table("submission")
    with op.batch_alter_table("processing_log", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_processing_log_person_id"))
        batch_op.drop_index(batch_op.f("ix_processing_log_at"))

    op.drop_table("processing_log")
    with op.batch_alter_table("invite", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_invite_programme_id"))

    op.drop_table("invite")
    with op.batch_alter_table("channel_identity", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_channel_identity_person_id"))

    op.drop_table("channel_identity")
    with op.batch_alter_table("activity", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_activity_type_id"))
        batch_op.drop_index(batch_op.f("ix_activity_programme_id"))
        batch_op.drop_index("ix_activity_lead_date")

    op.drop_table("activity")
    with op.batch_alter_table("person", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_person_programme_id"))
        batch_op.drop_index(batch_op.f("ix_person_agency_id"))

    op.drop_table("person")
    with op.batch_alter_table("period", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_period_programme_id"))

    op.drop_table("period")
    with op.batch_alter_table("indicator", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_indicator_programme_id"))

    op.drop_table("indicator")
    with op.batch_alter_table("assigned_task", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_assigned_task_programme_id"))

    op.drop_table("assigned_task")
    with op.batch_alter_table("agency_kind", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_agency_kind_programme_id"))

    op.drop_table("agency_kind")
    with op.batch_alter_table("agency", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_agency_programme_id"))

    op.drop_table("agency")
    with op.batch_alter_table("activity_type", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_activity_type_programme_id"))

    op.drop_table("activity_type")
    op.drop_table("programme")
    with op.batch_alter_table("processed_update", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_processed_update_at"))

    op.drop_table("processed_update")
    op.drop_table("conversation")
