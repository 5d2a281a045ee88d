"""Alembic environment for Byline: runs against the app's configured database."""

import logging
from logging.config import fileConfig

from alembic import context
from flask import current_app

import blog.models  # noqa: F401  (registers every table on the metadata)
from blog.models.base import UTCDateTime
from blog.services import search

config = context.config
if config.config_file_name is not None and not logging.getLogger().handlers:
    fileConfig(config.config_file_name, disable_existing_loggers=False)
logger = logging.getLogger("alembic.env")

target_db = current_app.extensions["migrate"].db


def render_item(type_, obj, autogen_context):
    # Migrations stay independent of the model code: a UTC timestamp is a plain
    # timezone-aware DateTime in the schema.
    if type_ == "type" and isinstance(obj, UTCDateTime):
        return "sa.DateTime(timezone=True)"
    return False


def include_name(name, type_, parent_names) -> bool:
    # The search index (migration 0002) differs per engine and stays outside the models.
    return not search.is_index_object(name, type_, parent_names)


def configure_options() -> dict:
    return {
        "target_metadata": target_db.metadata,
        "render_item": render_item,
        "include_name": include_name,
        "render_as_batch": True,
        "compare_type": True,
        **current_app.extensions["migrate"].configure_args,
    }


def run_migrations_offline() -> None:
    url = target_db.engine.url.render_as_string(hide_password=False)
    context.configure(url=url, literal_binds=True, **configure_options())
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    def process_revision_directives(context, revision, directives):
        if getattr(config.cmd_opts, "autogenerate", False):
            script = directives[0]
            if script.upgrade_ops.is_empty():
                directives[:] = []
                logger.info("No changes in schema detected.")

    options = configure_options()
    options.setdefault("process_revision_directives", process_revision_directives)
    with target_db.engine.connect() as connection:
        context.configure(connection=connection, **options)
        with context.begin_transaction():
            context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
