"""The migrations build the schema from empty on both engines and match the models."""

import os

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect, text
from sqlalchemy.exc import IntegrityError

from blog import create_app
from blog.extensions import db
from blog.services import users
from blog.services.search import is_index_object
from tests.conftest import DATABASES, TemporaryPostgres

TABLES = {
    "alembic_version",
    "article_coauthors",
    "article_topics",
    "articles",
    "audit_entries",
    "comment_reports",
    "comments",
    "corrections",
    "editor_comments",
    "front_page_picks",
    "imported_items",
    "job_failures",
    "job_marks",
    "mailings",
    "menu_links",
    "old_slugs",
    "old_urls",
    "outbox_messages",
    "pages",
    "passkeys",
    "recovery_codes",
    "revisions",
    "sections",
    "share_receipts",
    "share_tallies",
    "site_settings",
    "subscribers",
    "subscriptions",
    "thread_follows",
    "topics",
    "uploads",
    "users",
}


@pytest.fixture(params=DATABASES)
def empty_database(request, tmp_path):
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'migrate.db'}"
    else:
        with TemporaryPostgres(f"byline_migrate_{os.getpid()}") as database:
            yield database.url


def include_name(name, type_, parent_names) -> bool:
    """As migrations/env.py: the engine-specific search index is not in the models."""
    return not is_index_object(name, type_, parent_names)


def table_names() -> set[str]:
    return {t for t in inspect(db.engine).get_table_names() if include_name(t, "table", {})}


def test_migrations_from_empty_match_the_models(empty_database):
    app = create_app(
        {"TESTING": True, "SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": empty_database}
    )
    with app.app_context():
        upgrade()
        assert table_names() == TABLES
        if db.engine.dialect.name == "sqlite":
            assert "articles_fts" in inspect(db.engine).get_table_names()
        else:
            columns = {c["name"] for c in inspect(db.engine).get_columns("articles")}
            assert "search_vector" in columns
        with db.engine.connect() as conn:
            context = MigrationContext.configure(
                conn,
                opts={"compare_type": True, "render_as_batch": True, "include_name": include_name},
            )
            assert compare_metadata(context, db.metadata) == []
        downgrade(revision="base")
        assert set(inspect(db.engine).get_table_names()) == {"alembic_version"}
        upgrade()
        db.engine.dispose()


def test_account_emails_are_stored_as_their_identity(empty_database):
    """0004 respells addresses the way sign-in now looks them up; a clash is left alone."""
    app = create_app(
        {"TESTING": True, "SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": empty_database}
    )
    with app.app_context():
        upgrade(revision="0003")
        rows = {
            1: "strasse@example.org",
            2: "STRAẞE@example.org",  # folds to 1's address: left as it was
            3: "ros\u200ba@example.org",
            4: "plain@example.org",
        }
        for user_id, email in rows.items():
            db.session.execute(
                text(
                    "INSERT INTO users (id, email, display_name, slug, bio, role, password_hash, "
                    "active, session_version, created_at) VALUES (:id, :email, :name, :slug, '', "
                    "'author', '', true, 1, CURRENT_TIMESTAMP)"
                ),
                {"id": user_id, "email": email, "name": f"U{user_id}", "slug": f"u{user_id}"},
            )
        db.session.commit()
        upgrade()
        stored = dict(db.session.execute(text("SELECT id, email FROM users")).all())
        assert stored == {
            1: "strasse@example.org",
            2: "STRAẞE@example.org",
            3: "rosa@example.org",
            4: "plain@example.org",
        }
        assert users.find_by_email("Ros\u200bA@example.org").id == 3
        db.session.remove()  # its connection back to the pool, which dispose() then closes
        downgrade(revision="0003")
        db.engine.dispose()


def test_editor_controls_keep_old_rows_and_take_page_slugs(empty_database):
    """0006: the placeholder admin is asked for a name, others are not; old slugs take
    the page kind, and going down drops only what it added."""
    app = create_app(
        {"TESTING": True, "SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": empty_database}
    )
    insert_user = text(
        "INSERT INTO users (id, email, display_name, slug, bio, role, password_hash, "
        "active, session_version, created_at) VALUES (:id, :email, :name, :slug, '', "
        "'admin', '', true, 1, CURRENT_TIMESTAMP)"
    )
    insert_old_slug = text(
        "INSERT INTO old_slugs (kind, slug, target_id, created_at) "
        "VALUES (:kind, :slug, 1, CURRENT_TIMESTAMP)"
    )
    with app.app_context():
        upgrade(revision="0005")
        db.session.execute(
            insert_user, {"id": 1, "email": "a@example.org", "name": "Site Admin", "slug": "a"}
        )
        db.session.execute(
            insert_user, {"id": 2, "email": "b@example.org", "name": "Rosa Park", "slug": "b"}
        )
        db.session.execute(insert_old_slug, {"kind": "article", "slug": "kept"})
        # A row that refers to an account: the migration must not copy the users table.
        db.session.execute(
            text(
                "INSERT INTO uploads (path, original_name, content_type, size_bytes, sha256, "
                "variants, uploaded_by_id, created_at) VALUES ('a.png', '', 'image/png', 0, "
                "'', '{}', 1, CURRENT_TIMESTAMP)"
            )
        )
        db.session.commit()
        upgrade()
        confirmed = dict(db.session.execute(text("SELECT id, name_confirmed FROM users")).all())
        assert confirmed == {1: False, 2: True}
        db.session.execute(insert_old_slug, {"kind": "page", "slug": "about-us"})
        db.session.commit()
        with pytest.raises(IntegrityError):
            db.session.execute(insert_old_slug, {"kind": "nonsense", "slug": "x"})
        db.session.rollback()
        db.session.remove()
        downgrade(revision="0005")
        kinds = sorted(db.session.scalars(text("SELECT kind FROM old_slugs")))
        assert kinds == ["article"]
        assert db.session.scalar(text("SELECT uploaded_by_id FROM uploads")) == 1
        with pytest.raises(IntegrityError):
            db.session.execute(insert_old_slug, {"kind": "page", "slug": "about-us"})
        db.session.rollback()
        db.session.remove()
        db.engine.dispose()


def test_editorial_trust_adds_to_a_site_with_content_and_leaves_it_as_it_was(empty_database):
    """0008 on a site whose accounts other rows refer to: the account columns are added in
    place, co-authors can be credited, and going down drops only what it added."""
    app = create_app(
        {"TESTING": True, "SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": empty_database}
    )
    with app.app_context():
        upgrade(revision="0007")
        # 1 and 2: invited, no password yet; 3: a printed password never used; 4: signed in.
        accounts = {1: ("", None), 2: ("", None), 3: ("hash", None), 4: ("hash", "2026-01-02")}
        for user_id, (password_hash, last_login_at) in accounts.items():
            db.session.execute(
                text(
                    "INSERT INTO users (id, email, display_name, slug, bio, role, password_hash, "
                    "active, session_version, created_at, name_confirmed, last_login_at) VALUES "
                    "(:id, :email, :name, :slug, '', 'author', :hash, true, 1, CURRENT_TIMESTAMP, "
                    "true, :login)"
                ),
                {
                    "id": user_id,
                    "email": f"u{user_id}@example.org",
                    "name": f"U{user_id}",
                    "slug": f"u{user_id}",
                    "hash": password_hash,
                    "login": last_login_at,
                },
            )
        for article_id, author_id in ((10, 1), (11, 2), (12, 1)):
            db.session.execute(
                text(
                    "INSERT INTO articles (id, slug, title, brief, body_md, body_html, "
                    "word_count, cover_alt, cover_caption, author_id, status, is_featured, "
                    "created_at, updated_at, comments_open, version, comment_count, "
                    "share_count) VALUES (:id, :slug, 'T', '', '', '', 0, '', '', :author, "
                    "'draft', false, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, true, 1, 0, 0)"
                ),
                {"id": article_id, "slug": f"a{article_id}", "author": author_id},
            )
        db.session.commit()
        upgrade()
        db.session.execute(
            text("INSERT INTO article_coauthors (article_id, user_id, position) VALUES (10, 2, 1)")
        )
        db.session.commit()
        flags = db.session.execute(
            text("SELECT must_change_password, totp_secret FROM users ORDER BY id")
        ).all()
        assert [tuple(row) for row in flags] == [
            (False, None),
            (False, None),
            (True, None),
            (False, None),
        ]
        db.session.remove()
        downgrade(revision="0007")
        columns = {c["name"] for c in inspect(db.engine).get_columns("users")}
        assert not columns & {"must_change_password", "totp_secret", "totp_enabled_at"}
        assert "article_coauthors" not in inspect(db.engine).get_table_names()
        assert db.session.scalar(text("SELECT count(*) FROM articles")) == 3
        db.session.remove()
        db.engine.dispose()
