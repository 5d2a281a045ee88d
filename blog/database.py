"""Connection settings for the database engines (SQLite pragmas)."""

from flask import current_app
from sqlalchemy import Engine, event

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
