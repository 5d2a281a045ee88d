"""Readers who follow by e-mail: their addresses, the lists and comment threads they
follow, the mailings sent to them, and what a comment's poster asked for and confirmed.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-06
"""

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

COMMENT_COLUMNS = ("wants_replies", "confirm_sent_at", "confirmed_at", "notified_at")


def upgrade():
    op.create_table(
        "subscribers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("email_key", sa.String(length=254), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_subscribers")),
        sa.UniqueConstraint("email_key", name=op.f("uq_subscribers_email_key")),
    )
    op.create_table(
        "subscriptions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("subscriber_id", sa.Integer(), nullable=False),
        sa.Column("scope", sa.String(length=10), nullable=False),
        sa.Column("list_key", sa.String(length=40), nullable=False),
        sa.Column("section_id", sa.Integer(), nullable=True),
        sa.Column("topic_id", sa.Integer(), nullable=True),
        sa.Column("cadence", sa.String(length=10), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("confirmed_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["section_id"],
            ["sections.id"],
            name=op.f("fk_subscriptions_section_id_sections"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["subscriber_id"],
            ["subscribers.id"],
            name=op.f("fk_subscriptions_subscriber_id_subscribers"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["topic_id"],
            ["topics.id"],
            name=op.f("fk_subscriptions_topic_id_topics"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_subscriptions")),
        sa.UniqueConstraint(
            "subscriber_id", "list_key", name=op.f("uq_subscriptions_subscriber_id_list_key")
        ),
    )
    with op.batch_alter_table("subscriptions", schema=None) as batch_op:
        batch_op.create_index(
            "ix_subscriptions_list_key_cadence", ["list_key", "cadence"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_subscriptions_section_id"), ["section_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_subscriptions_subscriber_id"), ["subscriber_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_subscriptions_topic_id"), ["topic_id"], unique=False)

    op.create_table(
        "mailings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("key", sa.String(length=40), nullable=False),
        sa.Column("article_id", sa.Integer(), nullable=True),
        sa.Column("period_start", sa.DateTime(timezone=True), nullable=True),
        sa.Column("period_end", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_subscriber_id", sa.Integer(), nullable=False),
        sa.Column("sent_count", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["article_id"],
            ["articles.id"],
            name=op.f("fk_mailings_article_id_articles"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_mailings")),
        sa.UniqueConstraint("key", name=op.f("uq_mailings_key")),
    )
    with op.batch_alter_table("mailings", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_mailings_article_id"), ["article_id"], unique=False)

    op.create_table(
        "thread_follows",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("subscriber_id", sa.Integer(), nullable=False),
        sa.Column("root_comment_id", sa.Integer(), nullable=False),
        sa.Column("article_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["article_id"],
            ["articles.id"],
            name=op.f("fk_thread_follows_article_id_articles"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["root_comment_id"],
            ["comments.id"],
            name=op.f("fk_thread_follows_root_comment_id_comments"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["subscriber_id"],
            ["subscribers.id"],
            name=op.f("fk_thread_follows_subscriber_id_subscribers"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_thread_follows")),
        sa.UniqueConstraint(
            "subscriber_id",
            "root_comment_id",
            name=op.f("uq_thread_follows_subscriber_id_root_comment_id"),
        ),
    )
    with op.batch_alter_table("thread_follows", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_thread_follows_article_id"), ["article_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_thread_follows_root_comment_id"), ["root_comment_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_thread_follows_subscriber_id"), ["subscriber_id"], unique=False
        )

    # Added in place, never by copying the table: on SQLite a batch copy drops the old
    # comments table, which the replies' foreign keys forbid on a live site (as in 0009).
    op.add_column(
        "comments",
        sa.Column("wants_replies", sa.Boolean(), server_default=sa.false(), nullable=False),
    )
    for column in COMMENT_COLUMNS[1:]:
        op.add_column("comments", sa.Column(column, sa.DateTime(timezone=True), nullable=True))

    with op.batch_alter_table("outbox_messages", schema=None) as batch_op:
        batch_op.create_index(
            "ix_outbox_messages_recipient_created_at", ["recipient", "created_at"], unique=False
        )


def downgrade():
    with op.batch_alter_table("outbox_messages", schema=None) as batch_op:
        batch_op.drop_index("ix_outbox_messages_recipient_created_at")

    # In place (SQLite 3.35+), for the same reason as in upgrade().
    for column in reversed(COMMENT_COLUMNS):
        if op.get_bind().dialect.name == "sqlite":
            op.execute(f"ALTER TABLE comments DROP COLUMN {column}")
        else:
            op.drop_column("comments", column)

    with op.batch_alter_table("thread_follows", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_thread_follows_subscriber_id"))
        batch_op.drop_index(batch_op.f("ix_thread_follows_root_comment_id"))
        batch_op.drop_index(batch_op.f("ix_thread_follows_article_id"))

    op.drop_table("thread_follows")
    with op.batch_alter_table("mailings", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_mailings_article_id"))

    op.drop_table("mailings")
    with op.batch_alter_table("subscriptions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_subscriptions_topic_id"))
        batch_op.drop_index(batch_op.f("ix_subscriptions_subscriber_id"))
        batch_op.drop_index(batch_op.f("ix_subscriptions_section_id"))
        batch_op.drop_index("ix_subscriptions_list_key_cadence")

    op.drop_table("subscriptions")
    op.drop_table("subscribers")
