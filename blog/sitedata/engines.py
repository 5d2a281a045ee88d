"""Engine-specific copying: SQLite's online backup API, PostgreSQL's pg_dump/pg_restore."""

import os
import shutil
import sqlite3
import subprocess
from contextlib import closing
from pathlib import Path

from flask import current_app
from sqlalchemy import URL, Engine

from blog.sitedata import SiteDataError

# --------------------------------------------------------------------------- SQLite


def sqlite_file(engine: Engine) -> Path:
    name = engine.url.database
    if not name or name == ":memory:" or name.startswith("file:"):
        raise SiteDataError(f"Byline can only copy a SQLite database kept in a file, not {name!r}.")
    return Path(name)


def _connect(path: Path) -> sqlite3.Connection:
    timeout_ms = int(current_app.config.get("SQLITE_BUSY_TIMEOUT_MS", 15_000))
    conn = sqlite3.connect(path, timeout=timeout_ms / 1000, isolation_level=None)
    conn.execute(f"PRAGMA busy_timeout = {timeout_ms}")
    return conn


def online_copy(source: Path, target: Path) -> None:
    """A consistent copy of a live database, made while others read and write it.

    sqlite3's backup() copies every page in one step under a read snapshot (in WAL mode
    writers carry on meanwhile). The copy is left in rollback-journal mode: one file.
    """
    if not source.is_file():
        raise SiteDataError(f"The SQLite database {source} does not exist.")
    try:
        with closing(_connect(source)) as src, closing(sqlite3.connect(target)) as dst:
            src.backup(dst)
            dst.execute("PRAGMA journal_mode = DELETE")
    except sqlite3.Error as exc:
        raise SiteDataError(f"SQLite could not copy the database: {exc}") from exc


def integrity_problem(path: Path) -> str | None:
    """None when SQLite's integrity check passes, else its first complaint."""
    try:
        with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as conn:
            rows = [row[0] for row in conn.execute("PRAGMA integrity_check")]
    except sqlite3.DatabaseError as exc:
        return str(exc)
    return None if rows == ["ok"] else rows[0]


def sqlite_revision(path: Path) -> str | None:
    with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as conn:
        try:
            row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
        except sqlite3.DatabaseError:
            return None
    return row[0] if row else None


def replace_contents(source: Path, live: Path) -> None:
    """Make the live database hold exactly the source's pages, in one write transaction.

    Renaming a file over a database that other processes have open (with its -wal and
    -shm beside it) would corrupt it; the backup API writes through SQLite's own locking,
    so every connection sees either the old or the new database.
    """
    try:
        with closing(_connect(source)) as src, closing(_connect(live)) as dst:
            live_size = dst.execute("PRAGMA page_size").fetchone()[0]
            if src.execute("PRAGMA page_size").fetchone()[0] != live_size:
                # A WAL database only takes pages of its own size.
                src.execute(f"PRAGMA page_size = {int(live_size)}")
                src.execute("VACUUM")
            src.backup(dst)
    except sqlite3.Error as exc:
        raise SiteDataError(
            f"SQLite could not restore the database (it is unchanged): {exc}"
        ) from exc


# ----------------------------------------------------------------------- PostgreSQL


def pg_tool(name: str) -> str | None:
    return shutil.which(name)


def libpq_target(url: URL) -> tuple[str, dict]:
    """The connection URI for the PostgreSQL tools and their environment (the password
    goes in PGPASSWORD, never on a command line other users can read)."""
    uri = url.set(drivername="postgresql", password=None).render_as_string(hide_password=False)
    env = dict(os.environ)
    if url.password:
        env["PGPASSWORD"] = str(url.password)
    return uri, env


def run_tool(args: list[str], env: dict, failure: str) -> str:
    """Run a PostgreSQL client tool; on failure raise its last error line after `failure`."""
    result = subprocess.run(args, env=env, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        lines = [line for line in result.stderr.splitlines() if line.strip()]
        detail = lines[-1] if lines else f"exit status {result.returncode}"
        raise SiteDataError(f"{failure}: {detail}")
    return result.stdout


def pg_dump(url: URL, target: Path) -> None:
    """A custom-format dump of the whole database, taken in one snapshot by pg_dump."""
    uri, env = libpq_target(url)
    run_tool(
        [pg_tool("pg_dump") or "pg_dump", "--format=custom", "--no-owner", "--no-privileges",
         f"--file={target}", f"--dbname={uri}"],
        env,
        "pg_dump could not back up the database",
    )  # fmt: skip


def dump_revision(dump: Path) -> str | None:
    """The Alembic revision stored in a custom-format dump (also proves it is readable)."""
    tool = pg_tool("pg_restore")
    if tool is None:
        raise SiteDataError(
            "pg_restore is not installed: install PostgreSQL's client tools (the same major "
            "version as the server) to read this backup."
        )
    output = run_tool(
        [tool, "--data-only", "--table=alembic_version", "--file=-", str(dump)],
        dict(os.environ),
        "The backup's database dump cannot be read",
    )
    lines = output.splitlines()
    for index, line in enumerate(lines):
        if line.startswith("COPY ") and "alembic_version" in line and index + 1 < len(lines):
            value = lines[index + 1].strip()
            return None if value == "\\." else value
    return None


def pg_restore(url: URL, dump: Path) -> None:
    """Replace the objects of the dump in the database, all in one transaction."""
    uri, env = libpq_target(url)
    run_tool(
        [pg_tool("pg_restore") or "pg_restore", "--clean", "--if-exists", "--single-transaction",
         "--exit-on-error", "--no-owner", "--no-privileges", f"--dbname={uri}", str(dump)],
        env,
        "pg_restore failed and the database was left as it was",
    )  # fmt: skip
