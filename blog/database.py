"""Connection settings for the database engines (SQLite pragmas), and what differs
between them in the statements Byline writes and the locks it takes."""

from pathlib import Path

from flask import current_app
from sqlalchemy import Engine, event
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import make_url

from blog.extensions import db

_configured = False


def configure_engine_events() -> None:
    """Apply WAL, foreign keys and a busy timeout to every SQLite connection."""
    global _configured
    if _configured:
        return
    _configured = True

    @event.listens_for(Engine, "connect")
    def _sqlite_pragmas(dbapi_connection, connection_record):
        if type(dbapi_connection).__module__ != "sqlite3":
            return
        try:
            timeout_ms = int(current_app.config["SQLITE_BUSY_TIMEOUT_MS"])
        except RuntimeError:
            timeout_ms = 15_000
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {timeout_ms}")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.close()


def dialect_insert(model) -> postgresql.Insert | sqlite.Insert:
    """An INSERT that takes ON CONFLICT clauses, in the dialect of the session's database
    (both dialects spell them alike)."""
    dialect = db.session.get_bind().dialect.name
    if dialect == "postgresql":
        return postgresql.insert(model)
    if dialect == "sqlite":
        return sqlite.insert(model)
    raise NotImplementedError(f"Byline needs SQLite or PostgreSQL, not {dialect}")


def sqlite_lock_path(suffix: str) -> Path | None:
    """On SQLite (one server), a lock file beside the database, `<database>.<suffix>`, for
    work only one process may do at a time; None on PostgreSQL, which locks in the
    database."""
    url = make_url(current_app.config["SQLALCHEMY_DATABASE_URI"])
    if url.get_backend_name() != "sqlite":
        return None
    database = url.database if url.database not in (None, "", ":memory:") else None
    folder = Path(database).parent if database else Path(current_app.instance_path)
    return folder / f"{Path(database).name if database else 'byline'}.{suffix}"
