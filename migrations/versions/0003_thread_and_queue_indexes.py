"""Indexes for the comment thread pages and the moderation queue.

The article page reads a thread's top-level comments in order and then their replies:
(article_id, parent_id, created_at, id) serves both without reading the rest of the
thread or sorting it. The moderation queue with any status lists all comments newest
first: (created_at, id) gives that order without sorting the whole table.

Plain CREATE INDEX statements: no table is rebuilt, so the SQLite search objects of
0002 are left as they are.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-28
"""

from alembic import op

# revision identifiers, used by Alembic.
revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade():
    op.create_index(
        "ix_comments_article_id_parent_id_created_at_id",
        "comments",
        ["article_id", "parent_id", "created_at", "id"],
        unique=False,
    )
    op.create_index("ix_comments_created_at_id", "comments", ["created_at", "id"], unique=False)


def downgrade():
    op.drop_index("ix_comments_created_at_id", table_name="comments")
    op.drop_index("ix_comments_article_id_parent_id_created_at_id", table_name="comments")
