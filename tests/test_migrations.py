"""The migrations build the schema from empty on both engines and match the models."""

import os

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect

from blog import create_app
from blog.extensions import db
from tests.conftest import DATABASES, TemporaryPostgres

TABLES = {
    "alembic_version",
    "article_topics",
    "articles",
    "comments",
    "editor_comments",
    "old_slugs",
    "sections",
    "share_receipts",
    "share_tallies",
    "site_settings",
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


def test_migrations_from_empty_match_the_models(empty_database):
    app = create_app(
        {"TESTING": True, "SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": empty_database}
    )
    with app.app_context():
        upgrade()
        assert set(inspect(db.engine).get_table_names()) == TABLES
        with db.engine.connect() as conn:
            context = MigrationContext.configure(
                conn, opts={"compare_type": True, "render_as_batch": True}
            )
            assert compare_metadata(context, db.metadata) == []
        downgrade(revision="base")
        assert set(inspect(db.engine).get_table_names()) == {"alembic_version"}
        upgrade()
        db.engine.dispose()
