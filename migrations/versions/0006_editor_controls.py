"""The editor-in-chief's controls: static pages, front-page picks, menus, the audit log.

Also: old slugs of pages, and whether an account has chosen its public name.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-04
"""

import sqlalchemy as sa
from alembic import op

OLD_SLUG_KINDS = ("article", "section", "topic", "author")
NEW_SLUG_KINDS = (*OLD_SLUG_KINDS, "page")
# The name the first admin was given before accounts chose their own.
PLACEHOLDER_NAME = "Site Admin"


def slug_kind_check(kinds) -> str:
    return "kind IN (" + ", ".join(f"'{kind}'" for kind in kinds) + ")"


def replace_slug_kinds(kinds) -> None:
    with op.batch_alter_table("old_slugs", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_old_slugs_slug_kind"), type_="check")
        batch_op.create_check_constraint(op.f("ck_old_slugs_slug_kind"), slug_kind_check(kinds))


revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "audit_entries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("actor_name", sa.String(length=120), nullable=False),
        sa.Column("action", sa.String(length=40), nullable=False),
        sa.Column("target", sa.String(length=300), nullable=False),
        sa.Column("details", sa.JSON(), nullable=False),
        sa.Column("source", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["actor_id"],
            ["users.id"],
            name=op.f("fk_audit_entries_actor_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_entries")),
    )
    with op.batch_alter_table("audit_entries", schema=None) as batch_op:
        batch_op.create_index("ix_audit_entries_action_at", ["action", "at"], unique=False)
        batch_op.create_index(batch_op.f("ix_audit_entries_actor_id"), ["actor_id"], unique=False)
        batch_op.create_index("ix_audit_entries_at", ["at"], unique=False)

    op.create_table(
        "pages",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("slug", sa.String(length=200), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("body_md", sa.Text(), nullable=False),
        sa.Column("body_html", sa.Text(), nullable=False),
        sa.Column("cover_id", sa.Integer(), nullable=True),
        sa.Column("cover_alt", sa.String(length=300), nullable=False),
        sa.Column("cover_caption", sa.String(length=500), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "draft",
                "published",
                name="page_status",
                native_enum=False,
                create_constraint=True,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("show_byline", sa.Boolean(), nullable=False),
        sa.Column("show_updated", sa.Boolean(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=False),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["author_id"], ["users.id"], name=op.f("fk_pages_author_id_users"), ondelete="RESTRICT"
        ),
        sa.ForeignKeyConstraint(
            ["cover_id"],
            ["uploads.id"],
            name=op.f("fk_pages_cover_id_uploads"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pages")),
        sa.UniqueConstraint("slug", name=op.f("uq_pages_slug")),
    )
    with op.batch_alter_table("pages", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_pages_author_id"), ["author_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_pages_cover_id"), ["cover_id"], unique=False)

    op.create_table(
        "front_page_picks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("article_id", sa.Integer(), nullable=False),
        sa.Column("is_lead", sa.Boolean(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("picked_by_id", sa.Integer(), nullable=True),
        sa.Column("picked_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["article_id"],
            ["articles.id"],
            name=op.f("fk_front_page_picks_article_id_articles"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["picked_by_id"],
            ["users.id"],
            name=op.f("fk_front_page_picks_picked_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_front_page_picks")),
        sa.UniqueConstraint("article_id", name=op.f("uq_front_page_picks_article_id")),
    )
    with op.batch_alter_table("front_page_picks", schema=None) as batch_op:
        batch_op.create_index(
            "ix_front_page_picks_is_lead_position", ["is_lead", "position"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_front_page_picks_picked_by_id"), ["picked_by_id"], unique=False
        )

    op.create_table(
        "menu_links",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column(
            "menu",
            sa.Enum(
                "header",
                "footer",
                name="menu_name",
                native_enum=False,
                create_constraint=True,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "section",
                "topic",
                "page",
                "url",
                name="menu_link_kind",
                native_enum=False,
                create_constraint=True,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("label", sa.String(length=80), nullable=False),
        sa.Column("section_id", sa.Integer(), nullable=True),
        sa.Column("topic_id", sa.Integer(), nullable=True),
        sa.Column("page_id", sa.Integer(), nullable=True),
        sa.Column("url", sa.String(length=500), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["page_id"], ["pages.id"], name=op.f("fk_menu_links_page_id_pages"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["section_id"],
            ["sections.id"],
            name=op.f("fk_menu_links_section_id_sections"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["topic_id"],
            ["topics.id"],
            name=op.f("fk_menu_links_topic_id_topics"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_menu_links")),
    )
    with op.batch_alter_table("menu_links", schema=None) as batch_op:
        batch_op.create_index("ix_menu_links_menu_position", ["menu", "position"], unique=False)
        batch_op.create_index(batch_op.f("ix_menu_links_page_id"), ["page_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_menu_links_section_id"), ["section_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_menu_links_topic_id"), ["topic_id"], unique=False)

    # Added in place, never by copying the table: on SQLite a batch copy drops the old
    # users table, which its foreign keys (articles, uploads, ...) forbid on a live site.
    # SQLite keeps the column's server default, harmless since the models always set it.
    op.add_column(
        "users",
        sa.Column("name_confirmed", sa.Boolean(), nullable=False, server_default=sa.true()),
    )
    if op.get_bind().dialect.name != "sqlite":
        op.alter_column("users", "name_confirmed", server_default=None)
    users = sa.table(
        "users", sa.column("display_name", sa.String), sa.column("name_confirmed", sa.Boolean)
    )
    op.execute(
        users.update().where(users.c.display_name == PLACEHOLDER_NAME).values(name_confirmed=False)
    )

    replace_slug_kinds(NEW_SLUG_KINDS)


def downgrade():
    old_slugs = sa.table("old_slugs", sa.column("kind", sa.String))
    op.execute(old_slugs.delete().where(old_slugs.c.kind == "page"))
    replace_slug_kinds(OLD_SLUG_KINDS)
    # In place (SQLite 3.35+), for the same reason as in upgrade().
    if op.get_bind().dialect.name == "sqlite":
        op.execute("ALTER TABLE users DROP COLUMN name_confirmed")
    else:
        op.drop_column("users", "name_confirmed")

    with op.batch_alter_table("menu_links", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_menu_links_topic_id"))
        batch_op.drop_index(batch_op.f("ix_menu_links_section_id"))
        batch_op.drop_index(batch_op.f("ix_menu_links_page_id"))
        batch_op.drop_index("ix_menu_links_menu_position")

    op.drop_table("menu_links")
    with op.batch_alter_table("front_page_picks", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_front_page_picks_picked_by_id"))
        batch_op.drop_index("ix_front_page_picks_is_lead_position")

    op.drop_table("front_page_picks")
    with op.batch_alter_table("pages", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_pages_cover_id"))
        batch_op.drop_index(batch_op.f("ix_pages_author_id"))

    op.drop_table("pages")
    with op.batch_alter_table("audit_entries", schema=None) as batch_op:
        batch_op.drop_index("ix_audit_entries_at")
        batch_op.drop_index(batch_op.f("ix_audit_entries_actor_id"))
        batch_op.drop_index("ix_audit_entries_action_at")

    op.drop_table("audit_entries")
