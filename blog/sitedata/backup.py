"""Backups of a running site and restoring them, checked in full before anything changes.

A backup is a folder: the database (a SQLite file made with the online backup API, a
pg_dump custom-format dump, or a portable export when pg_dump is missing), a copy of the
uploads folder, and `manifest.json` with the sha256 of every file, the engine, the
schema revision, the Byline version and the time. The secret key is never included.
"""

import shutil
import tempfile
from datetime import UTC, datetime
from pathlib import Path

from flask import current_app
from flask_migrate import upgrade

from blog.extensions import db
from blog.sitedata import SiteDataError, engines, files, portable, schema

FORMAT = "byline-backup"
FORMAT_VERSION = 1
# The database part of a backup, by how it was made.
DATABASE_FILES = {
    "sqlite": "database.sqlite3",
    "pg_dump": "database.pgdump",
    "portable": "database.tar.gz",
}
ENGINE_OF = {"sqlite": "sqlite", "pg_dump": "postgresql", "portable": "postgresql"}


def backup_site(parent: Path) -> Path:
    """Write a new backup folder inside `parent` and return it."""
    parent.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    final = parent / f"byline-backup-{stamp}"
    suffix = 1
    while final.exists():
        suffix += 1
        final = parent / f"byline-backup-{stamp}-{suffix}"
    # mkdtemp makes the folder private (0700): a backup holds password hashes and the
    # e-mail addresses of commenters.
    work = Path(tempfile.mkdtemp(prefix=f".{final.name}.", suffix=".partial", dir=parent))
    try:
        kind, revision = _dump_database(work)
        name = DATABASE_FILES[kind]
        listed = {name: files.file_entry(work / name)}
        root = portable.uploads_root()
        for relative in files.list_files(root):
            copy = work / "uploads" / relative
            listed[f"uploads/{relative}"] = files.file_entry(
                copy, files.copy_hashed(root / relative, copy)
            )
        files.write_manifest(
            work,
            {
                "format": FORMAT,
                "format_version": FORMAT_VERSION,
                "engine": db.engine.dialect.name,
                "database": {"kind": kind, "file": name},
                "alembic_revision": revision,
                "byline_version": files.byline_version(),
                "created_at": files.now_iso(),
                "files": listed,
            },
        )
        work.rename(final)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    return final


def _dump_database(work: Path) -> tuple[str, str]:
    """Copy the database into the backup folder; returns (kind, schema revision)."""
    if db.engine.dialect.name == "sqlite":
        target = work / DATABASE_FILES["sqlite"]
        engines.online_copy(engines.sqlite_file(db.engine), target)
        problem = engines.integrity_problem(target)
        if problem:
            raise SiteDataError(f"The database copy fails SQLite's integrity check: {problem}")
        return "sqlite", _require_revision(engines.sqlite_revision(target))
    if engines.pg_tool("pg_dump") and engines.pg_tool("pg_restore"):
        target = work / DATABASE_FILES["pg_dump"]
        engines.pg_dump(db.engine.url, target)
        return "pg_dump", _require_revision(engines.dump_revision(target))
    summary = portable.export_site(work / DATABASE_FILES["portable"], with_uploads=False)
    return "portable", summary.revision


def _require_revision(revision: str | None) -> str:
    if revision is None:
        raise SiteDataError("The database has no Byline schema: there is nothing to back up.")
    return revision


# -------------------------------------------------------------------------- restore


def verify_backup(folder: Path) -> dict:
    """Check a backup without changing anything; returns its manifest."""
    if not folder.is_dir():
        raise SiteDataError(f"There is no backup folder at {folder}.")
    files.refuse_links(folder, "backup")
    manifest = files.read_manifest(folder, FORMAT, "backup")
    if manifest.get("format_version") != FORMAT_VERSION:
        raise SiteDataError(
            f"The backup has format version {manifest.get('format_version')!r}; this Byline "
            f"reads version {FORMAT_VERSION}."
        )
    database = manifest.get("database")
    kind = database.get("kind") if isinstance(database, dict) else None
    if kind not in DATABASE_FILES or database.get("file") != DATABASE_FILES[kind]:
        raise SiteDataError("The backup's manifest does not say how its database was saved.")
    engine = db.engine.dialect.name
    if manifest.get("engine") != ENGINE_OF[kind] or ENGINE_OF[kind] != engine:
        raise SiteDataError(
            f"This is a backup of a {manifest.get('engine')} site and this site uses {engine}: "
            "restore it into a site on the same engine (move between engines with export "
            "and import)."
        )
    for name in manifest["files"]:
        if name != DATABASE_FILES[kind] and not name.startswith("uploads/"):
            raise SiteDataError(f"The backup holds a file Byline does not know: {name}.")
    if DATABASE_FILES[kind] not in manifest["files"]:
        raise SiteDataError(f"The backup is incomplete: {DATABASE_FILES[kind]} is missing.")
    files.verify_tree(folder, manifest["files"], "backup")
    schema.check_not_newer(manifest.get("alembic_revision"), "backup")
    return manifest


def restore_site(folder: Path) -> dict:
    """Bring back the database and uploads of a verified backup; returns its manifest."""
    manifest = verify_backup(folder)
    kind = manifest["database"]["kind"]
    revision = manifest["alembic_revision"]
    root = portable.uploads_root()
    work = files.private_dir_beside(root, "restore")
    try:
        staged = work / "uploads"
        staged.mkdir()
        for name, expected in manifest["files"].items():
            if name.startswith("uploads/"):
                copy = staged / name.removeprefix("uploads/")
                if files.copy_hashed(folder / name, copy) != expected["sha256"]:
                    raise SiteDataError(f"The backup changed while it was read: {name}.")
        swap = files.FolderSwap(root, staged)
        source = folder / DATABASE_FILES[kind]
        db.session.remove()
        if kind == "portable":
            archive = portable.open_archive(source, work / "export")
            if archive.revision != revision:
                raise SiteDataError(
                    f"The backup's export is at schema revision {archive.revision}, its "
                    f"manifest says {revision}."
                )
            portable.load_archive(archive, replace=True, swap=swap)
        else:
            if kind == "sqlite":
                expected = manifest["files"][DATABASE_FILES[kind]]["sha256"]
                _restore_sqlite(source, work, revision, expected)
            else:
                _restore_pg_dump(source, revision)
            try:
                swap.apply()
            except OSError as exc:
                swap.undo()
                raise SiteDataError(
                    f"The database was restored but the uploads folder could not be: {exc}"
                ) from exc
            swap.finish()
    finally:
        shutil.rmtree(work, ignore_errors=True)
    if kind != "portable" and revision != schema.head_revision():
        upgrade(directory=current_app.extensions["migrate"].directory)
    return manifest


def _restore_sqlite(source: Path, work: Path, revision: str, sha256: str) -> None:
    live = engines.sqlite_file(db.engine)
    copy = work / DATABASE_FILES["sqlite"]
    if files.copy_hashed(source, copy) != sha256:
        raise SiteDataError("The backup's database changed while it was read.")
    problem = engines.integrity_problem(copy)
    if problem:
        raise SiteDataError(f"The backup's database fails SQLite's integrity check: {problem}")
    found = engines.sqlite_revision(copy)
    if found != revision:
        raise SiteDataError(
            f"The backup's database is at schema revision {found}, its manifest says {revision}."
        )
    db.engine.dispose()
    live.parent.mkdir(parents=True, exist_ok=True)
    engines.replace_contents(copy, live)
    db.engine.dispose()


def _restore_pg_dump(source: Path, revision: str) -> None:
    found = engines.dump_revision(source)
    if found != revision:
        raise SiteDataError(
            f"The backup's dump is at schema revision {found}, its manifest says {revision}."
        )
    with db.engine.connect() as connection:
        current = schema.database_revision(connection)
    if current is not None:
        schema.check_not_newer(current, "database")
        if schema.is_older(revision, current):
            raise SiteDataError(
                f"The database is at schema revision {current}, newer than the backup's "
                f"{revision}: restore into an empty database (pg_restore replaces only the "
                "objects the backup holds)."
            )
    db.engine.dispose()
    engines.pg_restore(db.engine.url, source)
    db.engine.dispose()
