"""Editorial trust: revisions, corrections and updates, co-authors, and two-factor
sign-in with recovery codes and passkeys (plus the flag that makes a printed password single-use).

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-04
"""

import sqlalchemy as sa
from alembic import op

USER_COLUMNS = ("must_change_password", "totp_secret", "totp_enabled_at", "totp_last_step")

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "recovery_codes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("code_hash", sa.String(length=128), nullable=False),
        sa.Column("used_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_recovery_codes_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_recovery_codes")),
    )
    with op.batch_alter_table("recovery_codes", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_recovery_codes_user_id"), ["user_id"], unique=False)

    op.create_table(
        "passkeys",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("credential_id", sa.String(length=1400), nullable=False),
        sa.Column("public_key", sa.LargeBinary(), nullable=False),
        sa.Column("sign_count", sa.Integer(), nullable=False),
        sa.Column("transports", sa.JSON(), nullable=False),
        sa.Column("name", sa.String(length=80), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_used_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_passkeys_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_passkeys")),
        sa.UniqueConstraint("credential_id", name=op.f("uq_passkeys_credential_id")),
    )
    with op.batch_alter_table("passkeys", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_passkeys_user_id"), ["user_id"], unique=False)

    op.create_table(
        "article_coauthors",
        sa.Column("article_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["article_id"],
            ["articles.id"],
            name=op.f("fk_article_coauthors_article_id_articles"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_article_coauthors_user_id_users"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("article_id", "user_id", name=op.f("pk_article_coauthors")),
    )
    with op.batch_alter_table("article_coauthors", schema=None) as batch_op:
        batch_op.create_index(
            "ix_article_coauthors_user_id_article_id", ["user_id", "article_id"], unique=False
        )

    op.create_table(
        "corrections",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("article_id", sa.Integer(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "correction",
                "update",
                name="correction_kind",
                native_enum=False,
                create_constraint=True,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("body_md", sa.Text(), nullable=False),
        sa.Column("body_html", sa.Text(), nullable=False),
        sa.Column("editor_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("retracted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("retracted_by_id", sa.Integer(), nullable=True),
        sa.Column("retraction_reason", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["article_id"],
            ["articles.id"],
            name=op.f("fk_corrections_article_id_articles"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["editor_id"],
            ["users.id"],
            name=op.f("fk_corrections_editor_id_users"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["retracted_by_id"],
            ["users.id"],
            name=op.f("fk_corrections_retracted_by_id_users"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_corrections")),
    )
    with op.batch_alter_table("corrections", schema=None) as batch_op:
        batch_op.create_index(
            "ix_corrections_article_id_created_at", ["article_id", "created_at"], unique=False
        )
        batch_op.create_index("ix_corrections_created_at", ["created_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_corrections_editor_id"), ["editor_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_corrections_retracted_by_id"), ["retracted_by_id"], unique=False
        )

    op.create_table(
        "revisions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("article_id", sa.Integer(), nullable=True),
        sa.Column("page_id", sa.Integer(), nullable=True),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("brief", sa.Text(), nullable=False),
        sa.Column("body_md", sa.Text(), nullable=False),
        sa.Column("cover_id", sa.Integer(), nullable=True),
        sa.Column("cover_alt", sa.String(length=300), nullable=False),
        sa.Column("cover_caption", sa.String(length=500), nullable=False),
        sa.Column("section_id", sa.Integer(), nullable=True),
        sa.Column("topic_ids", sa.JSON(), nullable=False),
        sa.Column("editor_id", sa.Integer(), nullable=True),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("restored_from", sa.Integer(), nullable=True),
        sa.Column("is_published", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "(article_id IS NULL) <> (page_id IS NULL)", name=op.f("ck_revisions_one_target")
        ),
        sa.ForeignKeyConstraint(
            ["article_id"],
            ["articles.id"],
            name=op.f("fk_revisions_article_id_articles"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["cover_id"],
            ["uploads.id"],
            name=op.f("fk_revisions_cover_id_uploads"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["editor_id"],
            ["users.id"],
            name=op.f("fk_revisions_editor_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["page_id"], ["pages.id"], name=op.f("fk_revisions_page_id_pages"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["section_id"],
            ["sections.id"],
            name=op.f("fk_revisions_section_id_sections"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_revisions")),
    )
    with op.batch_alter_table("revisions", schema=None) as batch_op:
        batch_op.create_index("ix_revisions_article_id_id", ["article_id", "id"], unique=False)
        batch_op.create_index("ix_revisions_created_at_id", ["created_at", "id"], unique=False)
        batch_op.create_index(batch_op.f("ix_revisions_cover_id"), ["cover_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_revisions_editor_id"), ["editor_id"], unique=False)
        batch_op.create_index("ix_revisions_page_id_id", ["page_id", "id"], unique=False)
        batch_op.create_index(batch_op.f("ix_revisions_section_id"), ["section_id"], unique=False)

    # Added in place, never by copying the table: on SQLite a batch copy drops the old
    # users table, which its foreign keys forbid on a live site (as in 0006).
    op.add_column(
        "users",
        sa.Column("must_change_password", sa.Boolean(), nullable=False, server_default=sa.false()),
    )
    if op.get_bind().dialect.name != "sqlite":
        op.alter_column("users", "must_change_password", server_default=None)
    # An account with a password that never signed in holds a password someone else set
    # (printed by `init`, `create-user` or an admin): it must choose its own, as from now on.
    users = sa.table(
        "users",
        sa.column("password_hash", sa.String),
        sa.column("last_login_at", sa.DateTime),
        sa.column("must_change_password", sa.Boolean),
    )
    op.execute(
        users.update()
        .where(users.c.last_login_at.is_(None), users.c.password_hash != "")
        .values(must_change_password=True)
    )
    op.add_column("users", sa.Column("totp_secret", sa.String(length=255), nullable=True))
    op.add_column("users", sa.Column("totp_enabled_at", sa.DateTime(timezone=True), nullable=True))
    op.add_column("users", sa.Column("totp_last_step", sa.Integer(), nullable=True))


def downgrade():
    # In place (SQLite 3.35+), for the same reason as in upgrade().
    for column in reversed(USER_COLUMNS):
        if op.get_bind().dialect.name == "sqlite":
            op.execute(f"ALTER TABLE users DROP COLUMN {column}")
        else:
            op.drop_column("users", column)

    with op.batch_alter_table("revisions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_revisions_section_id"))
        batch_op.drop_index("ix_revisions_page_id_id")
        batch_op.drop_index(batch_op.f("ix_revisions_editor_id"))
        batch_op.drop_index(batch_op.f("ix_revisions_cover_id"))
        batch_op.drop_index("ix_revisions_created_at_id")
        batch_op.drop_index("ix_revisions_article_id_id")

    op.drop_table("revisions")
    with op.batch_alter_table("corrections", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_corrections_retracted_by_id"))
        batch_op.drop_index(batch_op.f("ix_corrections_editor_id"))
        batch_op.drop_index("ix_corrections_created_at")
        batch_op.drop_index("ix_corrections_article_id_created_at")

    op.drop_table("corrections")
    with op.batch_alter_table("article_coauthors", schema=None) as batch_op:
        batch_op.drop_index("ix_article_coauthors_user_id_article_id")

    op.drop_table("article_coauthors")
    with op.batch_alter_table("passkeys", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_passkeys_user_id"))

    op.drop_table("passkeys")
    with op.batch_alter_table("recovery_codes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_recovery_codes_user_id"))

    op.drop_table("recovery_codes")
