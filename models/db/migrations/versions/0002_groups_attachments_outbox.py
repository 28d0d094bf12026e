"""groups, attachments, outbox

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23 17:35:31.045859
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "group_chat",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("programme_id", sa.Integer(), nullable=False),
        sa.Column("channel", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("chat_ref", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("title", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True),
        sa.Column("agency_id", sa.Integer(), nullable=True),
        sa.Column("bound_by_person_id", sa.Integer(), nullable=True),
        sa.Column("bound_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("deactivated_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(["agency_id"], ["agency.id"], name=op.f("fk_group_chat_agency_id_agency")),
        sa.ForeignKeyConstraint(["bound_by_person_id"], ["person.id"], name=op.f("fk_group_chat_bound_by_person_id_person")),
        sa.ForeignKeyConstraint(["programme_id"], ["programme.id"], name=op.f("fk_group_chat_programme_id_programme")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_group_chat")),
        sa.UniqueConstraint("channel", "chat_ref", name=op.f("uq_group_chat_channel_chat_ref")),
    )
    with op.batch_alter_table("group_chat", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_group_chat_agency_id"), ["agency_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_group_chat_programme_id"), ["programme_id"], unique=False)

    op.create_table(
        "outbox",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("programme_id", sa.Integer(), nullable=True),
        sa.Column("channel", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("chat_ref", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=True),
        sa.Column("group_id", sa.Integer(), nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("not_before", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("claimed_by", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
        sa.Column("claimed_until", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("sent_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("last_error", sqlmodel.sql.sqltypes.AutoString(length=500), nullable=True),
        sa.Column("provider_message_id", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
        sa.ForeignKeyConstraint(["group_id"], ["group_chat.id"], name=op.f("fk_outbox_group_id_group_chat")),
        sa.ForeignKeyConstraint(["person_id"], ["person.id"], name=op.f("fk_outbox_person_id_person")),
        sa.ForeignKeyConstraint(["programme_id"], ["programme.id"], name=op.f("fk_outbox_programme_id_programme")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_outbox")),
        sa.UniqueConstraint("key", name=op.f("uq_outbox_key")),
    )
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.create_index("ix_outbox_due", ["status", "not_before"], unique=False)
        batch_op.create_index(batch_op.f("ix_outbox_group_id"), ["group_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_outbox_person_id"), ["person_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_outbox_programme_id"), ["programme_id"], unique=False)

    op.create_table(
        "attachment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("programme_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=True),
        sa.Column("channel", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("file_ref", sqlmodel.sql.sqltypes.AutoString(length=255), nullable=False),
        sa.Column("file_unique_ref", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(length=255), nullable=True),
        sa.Column("mime", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=True),
        sa.Column("size", sa.Integer(), nullable=True),
        sa.Column("activity_id", sa.Integer(), nullable=True),
        sa.Column("report_item_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["activity_id"], ["activity.id"], name=op.f("fk_attachment_activity_id_activity")),
        sa.ForeignKeyConstraint(["person_id"], ["person.id"], name=op.f("fk_attachment_person_id_person")),
        sa.ForeignKeyConstraint(["programme_id"], ["programme.id"], name=op.f("fk_attachment_programme_id_programme")),
        sa.ForeignKeyConstraint(["report_item_id"], ["report_item.id"], name=op.f("fk_attachment_report_item_id_report_item")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_attachment")),
    )
    with op.batch_alter_table("attachment", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_attachment_activity_id"), ["activity_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_attachment_person_id"), ["person_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_attachment_programme_id"), ["programme_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_attachment_report_item_id"), ["report_item_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("attachment", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_attachment_report_item_id"))
        batch_op.drop_index(batch_op.f("ix_attachment_programme_id"))
        batch_op.drop_index(batch_op.f("ix_attachment_person_id"))
        batch_op.drop_index(batch_op.f("ix_attachment_activity_id"))

    op.drop_table("attachment")
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_outbox_programme_id"))
        batch_op.drop_index(batch_op.f("ix_outbox_person_id"))
        batch_op.drop_index(batch_op.f("ix_outbox_group_id"))
        batch_op.drop_index("ix_outbox_due")

    op.drop_table("outbox")
    with op.batch_alter_table("group_chat", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_group_chat_programme_id"))
        batch_op.drop_index(batch_op.f("ix_group_chat_agency_id"))

    op.drop_table("group_chat")
