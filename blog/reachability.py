"""Naming the database and Redis Byline uses, and saying why one cannot be reached, without
their passwords; and asking Redis whether it answers.

Read by the health check, the error pages, the `flask` command hook and `flask check`;
`ping_database` asks the application's own database (in a request or app context).
"""

from pathlib import Path
from urllib.parse import urlsplit

from sqlalchemy import text
from sqlalchemy.engine import URL, make_url

from blog.config import ENGINES

TIMEOUT_SECONDS = 5


def sqlite_file(url: URL) -> Path | None:
    """The database file of a SQLite URL (None for in-memory or URI-style names)."""
    if url.get_backend_name() != "sqlite" or url.database in (None, "", ":memory:"):
        return None
    if url.database.startswith("file:"):
        return None
    return Path(url.database).resolve()


def describe_database(value: str | URL) -> str:
    """ "PostgreSQL at db.example:5432, database byline, user byline" or "the SQLite file ..." """
    url = make_url(value)
    engine = ENGINES.get(url.get_backend_name(), url.get_backend_name())
    if url.get_backend_name() == "sqlite":
        path = sqlite_file(url)
        return f"the SQLite file {path}" if path else "an in-memory SQLite database"
    where = f"{url.host}:{url.port or 5432}" if url.host else "the local socket"
    parts = [f"{engine} at {where}"]
    if url.database:
        parts.append(f"database {url.database}")
    if url.username:
        parts.append(f"user {url.username}")
    return ", ".join(parts)


def describe_redis(value: str) -> str:
    parts = urlsplit(value)
    database = parts.path.strip("/") or "0"
    return f"Redis at {parts.hostname}:{parts.port or 6379} (database {database})"


def short_reason(error: BaseException, *secrets: str | None) -> str:
    """The first line of what the driver said, without any of the given secrets."""
    cause = getattr(error, "orig", None) or error
    lines = str(cause).strip().splitlines()
    reason = lines[0].strip() if lines else type(cause).__name__
    reason = reason.removeprefix("connection failed: ")
    for secret in secrets:
        if secret:
            reason = reason.replace(secret, "***")
    return reason


def ping_database() -> None:
    """Raise SQLAlchemyError unless the application's database answers."""
    from blog.extensions import db  # the app's own; gunicorn's start check has none

    db.session.execute(text("SELECT 1"))


def ping_redis(value: str, timeout: float = TIMEOUT_SECONDS) -> None:
    """Raise redis.RedisError unless the Redis at this URL answers."""
    import redis  # only where REDIS_URL is set

    client = redis.Redis.from_url(value, socket_connect_timeout=timeout, socket_timeout=timeout)
    try:
        client.ping()
    finally:
        client.close()
