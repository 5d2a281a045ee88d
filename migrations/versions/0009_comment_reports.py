"""The reader's conversation: readers' reports of comments, why a comment is held, and
when its poster last edited it (apart from a moderator's changes).

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-05
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

COMMENT_COLUMNS = ("edited_at", "held_reason", "report_count")


def upgrade():
    op.create_table(
        "comment_reports",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("comment_id", sa.Integer(), nullable=False),
        sa.Column("reporter_key", sa.String(length=64), nullable=False),
        sa.Column("reason", sa.String(length=20), nullable=False),
        sa.Column("detail", sa.String(length=500), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("dismissed_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["comment_id"],
            ["comments.id"],
            name=op.f("fk_comment_reports_comment_id_comments"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_comment_reports")),
        sa.UniqueConstraint(
            "comment_id", "reporter_key", name=op.f("uq_comment_reports_comment_id_reporter_key")
        ),
    )
    with op.batch_alter_table("comment_reports", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_comment_reports_comment_id"), ["comment_id"], unique=False
        )

    # Added in place, never by copying the table: on SQLite a batch copy drops the old
    # comments table, which the replies' foreign keys forbid on a live site (as in 0006).
    op.add_column("comments", sa.Column("edited_at", sa.DateTime(timezone=True), nullable=True))
    op.add_column(
        "comments",
        sa.Column("held_reason", sa.String(length=20), server_default="", nullable=False),
    )
    op.add_column(
        "comments",
        sa.Column("report_count", sa.Integer(), server_default="0", nullable=False),
    )


def downgrade():
    # In place (SQLite 3.35+), for the same reason as in upgrade().
    for column in reversed(COMMENT_COLUMNS):
        if op.get_bind().dialect.name == "sqlite":
            op.execute(f"ALTER TABLE comments DROP COLUMN {column}")
        else:
            op.drop_column("comments", column)

    with op.batch_alter_table("comment_reports", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_comment_reports_comment_id"))
    op.drop_table("comment_reports")
