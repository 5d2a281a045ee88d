"""gunicorn's start check: can this Byline serve at all? Its database and Redis answer and
the schema is the code's. `flask check` (blog/checks.py) runs the same checks among its own.

The check waits in front of every start, so it loads no more than it needs: the settings,
SQLAlchemy's core, and Alembic or the Redis client only when the schema is not the code's
or REDIS_URL is set.
"""

import ast
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import click
from flask import Flask
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import URL, Connection, make_url
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.pool import NullPool

from blog.reachability import (
    TIMEOUT_SECONDS,
    describe_database,
    describe_redis,
    ping_redis,
    short_reason,
    sqlite_file,
)

OK, WARNING, ERROR = "OK", "WARNING", "ERROR"
VERSION_TABLE = "alembic_version"  # Alembic's default, which migrations/env.py keeps


@dataclass(frozen=True)
class Finding:
    level: str
    text: str

    def line(self) -> str:
        return f"{self.level:<8} {self.text}"


# ----- the services -----


def connect_args(url: URL) -> dict:
    if url.get_backend_name() == "postgresql":
        return {"connect_timeout": TIMEOUT_SECONDS}
    return {"timeout": TIMEOUT_SECONDS}


def database_findings(app: Flask) -> list[Finding]:
    """Can the database be reached, and is its schema the one this code expects?"""
    url = make_url(app.config["SQLALCHEMY_DATABASE_URI"])
    label = describe_database(url)
    path = sqlite_file(url)
    if path is not None and not path.exists():
        return [
            Finding(
                ERROR,
                f"DATABASE_URL: {label} does not exist yet: run "
                "`flask --app blog init` to create it.",
            )
        ]
    engine = create_engine(url, poolclass=NullPool, connect_args=connect_args(url))
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
            current = current_revisions(connection)
    except SQLAlchemyError as exc:
        reason = short_reason(exc, url.password)
        return [Finding(ERROR, f"DATABASE_URL: cannot connect to {label}: {reason}")]
    finally:
        engine.dispose()
    return [Finding(OK, f"DATABASE_URL: connected to {label}."), schema_finding(current)]


def current_revisions(connection: Connection) -> set[str]:
    """The revisions the database is at, as Alembic records them (none before `init`)."""
    if not inspect(connection).has_table(VERSION_TABLE):
        return set()
    return set(connection.scalars(text(f"SELECT version_num FROM {VERSION_TABLE}")))


def migrations_folder() -> Path:
    """The code's migrations, where create_app points Flask-Migrate."""
    import blog

    return blog.ROOT / "migrations"


def declared_heads(folder: Path) -> set[str] | None:
    """The newest revisions of the migrations, read from each file's `revision` and
    `down_revision` lines without running Alembic; None when a file says them in any
    other way than as plain values."""
    revisions: set[str] = set()
    parents: set[str] = set()
    for path in sorted((folder / "versions").glob("*.py")):
        values = {}
        for node in ast.parse(path.read_bytes(), filename=str(path)).body:
            if (
                isinstance(node, ast.Assign)
                and len(node.targets) == 1
                and isinstance(node.targets[0], ast.Name)
                and node.targets[0].id in ("revision", "down_revision")
            ):
                try:
                    values[node.targets[0].id] = ast.literal_eval(node.value)
                except ValueError:
                    return None
        revision, down = values.get("revision"), values.get("down_revision")
        if not isinstance(revision, str):
            return None
        revisions.add(revision)
        parents.update([down] if isinstance(down, str) else down or ())
    return revisions - parents


def schema_finding(current: set[str]) -> Finding:
    folder = migrations_folder()
    if current and current == declared_heads(folder):  # the usual case, without Alembic
        return Finding(OK, f"Database schema: up to date (revision {', '.join(sorted(current))}).")
    from alembic.config import Config as AlembicConfig
    from alembic.script import ScriptDirectory

    config = AlembicConfig()
    config.set_main_option("script_location", str(folder))
    script = ScriptDirectory.from_config(config)
    heads = set(script.get_heads())
    if current == heads:
        return Finding(OK, f"Database schema: up to date (revision {', '.join(sorted(heads))}).")
    if not current:
        return Finding(
            ERROR,
            "Database schema: the database has no Byline tables yet: run `flask --app blog init`.",
        )
    known = {revision.revision for revision in script.walk_revisions()}
    if not current <= known:
        return Finding(
            ERROR,
            f"Database schema: the database is at revision {', '.join(sorted(current))}, "
            "which this version of Byline does not know: a newer version has upgraded it. "
            "Run that version, or restore the backup taken before the upgrade.",
        )
    pending = list(script.iterate_revisions(tuple(heads), tuple(current)))
    return Finding(
        ERROR,
        f"Database schema: {len(pending)} migration(s) not applied (the database is at "
        f"{', '.join(sorted(current))}, this code at {', '.join(sorted(heads))}): run "
        "`flask --app blog db upgrade`.",
    )


def redis_findings(app: Flask) -> list[Finding]:
    value = app.config.get("REDIS_URL")
    backend = make_url(app.config["SQLALCHEMY_DATABASE_URI"]).get_backend_name()
    if not value:
        if backend == "postgresql":
            return [
                Finding(
                    WARNING,
                    "REDIS_URL is not set while the database is PostgreSQL: the page cache "
                    "and rate limits are then kept per server. With several app servers, "
                    "set REDIS_URL so they share them.",
                )
            ]
        return [
            Finding(
                OK,
                "REDIS_URL: not set; the page cache and rate limits stay on "
                "this server, which suits a single server.",
            )
        ]
    problem = redis_problem(value)
    if problem:
        return [Finding(ERROR, problem)]
    return [Finding(OK, f"REDIS_URL: {describe_redis(value)} answers.")]


def redis_problem(value: str) -> str | None:
    """Why the Redis at this URL cannot be used, in one line naming REDIS_URL, or None."""
    import redis

    try:
        ping_redis(value)
    except redis.RedisError as exc:
        reason = short_reason(exc, urlsplit(value).password)
        return f"REDIS_URL: cannot reach {describe_redis(value)}: {reason}"
    return None


def startup_problems(app: Flask) -> list[str]:
    """What stops this app from serving at all: an unreachable database or Redis, or a
    schema other than the code's."""
    findings = database_findings(app) + redis_findings(app)
    return [finding.text for finding in findings if finding.level == ERROR]


def startup_report() -> int:
    """For gunicorn's start hook: print each problem on a line of its own; 1 if any.

    It reads the settings as create_app does, but builds no views or extensions: the
    workers do that, each for itself."""
    from blog import configured_app
    from blog.config import ConfigError

    try:
        problems = startup_problems(configured_app())
    except ConfigError as exc:
        problems = [exc.format_message()]
    for problem in problems:
        click.echo(problem)
    return 1 if problems else 0
