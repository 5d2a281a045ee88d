"""The portable export: a whole site in one .tar.gz that either engine can import.

Layout: `manifest.json` (format version, the schema revision, every table with its
columns, and a sha256 for every other member), `tables/<name>.jsonl` (one JSON object
per row, in primary-key order) and `uploads/...` (the files of UPLOADS_DIR). The search
index is not exported: the triggers of migration 0002 rebuild it as rows are loaded.
"""

import json
import shutil
import tarfile
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from flask import current_app
from flask_migrate import upgrade
from sqlalchemy import Connection, bindparam, create_engine, select, text
from sqlalchemy.exc import SQLAlchemyError

from blog.extensions import db
from blog.sitedata import SiteDataError, files, schema
from blog.sitedata.engines import online_copy, sqlite_file

FORMAT = "byline-export"
FORMAT_VERSION = 1
BATCH = 500


@dataclass
class Summary:
    rows: int
    tables: int
    files: int
    revision: str


def uploads_root() -> Path:
    return Path(current_app.config["UPLOADS_DIR"])


# --------------------------------------------------------------------------- export


@contextmanager
def snapshot(work: Path) -> Iterator[Connection]:
    """A connection that sees the database as of one moment while the site runs on."""
    if db.engine.dialect.name == "sqlite":
        copy = work / "snapshot.sqlite3"
        online_copy(sqlite_file(db.engine), copy)
        engine = create_engine(f"sqlite:///{copy}")
        try:
            with engine.connect() as connection:
                yield connection
        finally:
            engine.dispose()
            copy.unlink(missing_ok=True)
    else:
        with db.engine.connect().execution_options(isolation_level="REPEATABLE READ") as conn:
            conn.execute(text("SET TRANSACTION READ ONLY"))
            yield conn


def write_rows(connection: Connection, plan: schema.TablePlan, path: Path) -> int:
    tbl = db.metadata.tables[plan.name]
    statement = select(tbl).order_by(*(tbl.c[name] for name in plan.primary_key))
    count = 0
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8") as fh:
        for row in connection.execution_options(yield_per=1000).execute(statement).mappings():
            record = {name: schema.encode(tag, row[name]) for name, tag in plan.columns.items()}
            fh.write(json.dumps(record, separators=(",", ":")) + "\n")
            count += 1
    return count


def export_site(target: Path, *, with_uploads: bool = True) -> Summary:
    """Write the site (and, unless told not to, its upload files) to `target`."""
    if target.exists():
        raise SiteDataError(f"{target} already exists: give the export a new file name.")
    work = files.private_dir_beside(target, "export")
    try:
        plans = schema.plan_for(schema.exported_tables())
        listed: dict[str, dict] = {}
        with snapshot(work) as connection:
            revision = schema.database_revision(connection)
            head = schema.head_revision()
            if revision != head:
                raise SiteDataError(
                    f"The database is at schema revision {revision}, this Byline at {head}: "
                    "run 'flask --app blog init' to upgrade it first."
                )
            for plan in plans:
                plan.rows = write_rows(connection, plan, work / plan.file)
                listed[plan.file] = files.file_entry(work / plan.file)
        sources = {plan.file: work / plan.file for plan in plans}
        if with_uploads:
            root = uploads_root()
            for name in files.list_files(root):
                listed[f"uploads/{name}"] = files.file_entry(root / name)
                sources[f"uploads/{name}"] = root / name
        manifest = {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "byline_version": files.byline_version(),
            "alembic_revision": revision,
            "source_engine": db.engine.dialect.name,
            "created_at": files.now_iso(),
            "tables": [plan.as_dict() for plan in plans],
            "files": listed,
        }
        files.write_manifest(work, manifest)
        partial = work / "export.tar.gz"
        with tarfile.open(partial, "w:gz") as tar:
            tar.add(work / files.MANIFEST, arcname=files.MANIFEST)
            for name, source in sources.items():
                tar.add(source, arcname=name, recursive=False)
        partial.replace(target)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return Summary(
        rows=sum(p.rows for p in plans),
        tables=len(plans),
        files=sum(1 for n in listed if n.startswith("uploads/")),
        revision=revision,
    )


# --------------------------------------------------------------------------- import


@dataclass
class Archive:
    """An export unpacked into a working folder and verified against its manifest."""

    folder: Path
    manifest: dict
    plans: list[schema.TablePlan]
    revision: str

    @property
    def uploads(self) -> Path:
        return self.folder / "uploads"

    @property
    def file_count(self) -> int:
        return sum(1 for name in self.manifest["files"] if name.startswith("uploads/"))


def _only_site_files(member: tarfile.TarInfo, destination: str) -> tarfile.TarInfo:
    """Plain files and folders that stay inside the destination; anything else (a link, a
    device, a path leaving the folder) stops the unpacking with a FilterError."""
    if not (member.isfile() or member.isdir()):
        raise tarfile.FilterError(
            f"it holds {member.name!r}, which is a link or a special file, not a plain "
            "file or folder"
        )
    return tarfile.data_filter(member, destination)


def open_archive(path: Path, folder: Path) -> Archive:
    """Unpack and verify an export; refuses a damaged, cut-short or newer one."""
    if not path.is_file():
        raise SiteDataError(f"There is no export at {path}.")
    try:
        with tarfile.open(path, "r:gz") as tar:
            tar.extractall(folder, filter=_only_site_files)
    except tarfile.FilterError as exc:
        raise SiteDataError(f"{path} is refused: {exc}.") from exc
    except (tarfile.TarError, EOFError, zlib.error, OSError) as exc:
        raise SiteDataError(
            f"{path} is not a readable Byline export (damaged or cut short: {exc})."
        ) from exc
    manifest = files.read_manifest(folder, FORMAT, "export")
    if manifest.get("format_version") != FORMAT_VERSION:
        raise SiteDataError(
            f"The export has format version {manifest.get('format_version')!r}; this Byline "
            f"reads version {FORMAT_VERSION}: import it with a matching Byline."
        )
    files.verify_tree(folder, manifest["files"], "export")
    schema.check_not_newer(manifest.get("alembic_revision"), "export")
    if not isinstance(manifest.get("tables"), list):
        raise SiteDataError("The export's manifest lists no tables.")
    plans = [schema.TablePlan.from_dict(data) for data in manifest["tables"]]
    table_files = {plan.file for plan in plans}
    for name in manifest["files"]:
        if name not in table_files and not name.startswith("uploads/"):
            raise SiteDataError(f"The export holds a file Byline does not know: {name}.")
    missing = table_files - set(manifest["files"])
    if missing:
        raise SiteDataError(f"The export is incomplete: {sorted(missing)[0]} is missing.")
    return Archive(folder, manifest, plans, manifest["alembic_revision"])


def import_site(path: Path, *, replace: bool) -> Summary:
    """Load an export into this site's database and uploads folder, all or nothing."""
    root = uploads_root()
    work = files.private_dir_beside(root, "import")
    try:
        archive = open_archive(path, work / "export")
        staged = archive.uploads
        staged.mkdir(exist_ok=True)
        return load_archive(archive, replace=replace, swap=files.FolderSwap(root, staged))
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _check_target(archive: Archive, *, replace: bool, swap: files.FolderSwap | None) -> bool:
    """Refuse a target that is not empty (unless replacing) or whose schema is newer than
    the export's; True when the schema must first be brought to the export's revision."""
    with db.engine.connect() as connection:
        current = schema.database_revision(connection)
        tables = schema.site_tables(connection)
        if current is None and tables:
            raise SiteDataError(
                "The database has tables but no Byline schema revision: import into an "
                "empty database or a Byline site."
            )
        if current is not None:
            schema.check_not_newer(current, "database")
            if schema.is_older(archive.revision, current):
                raise SiteDataError(
                    f"The export is at schema revision {archive.revision}, this database at "
                    f"{current}: import it into an empty database (one without tables), "
                    "which Byline migrates after loading."
                )
            rows = schema.count_rows(connection, tables)
            if rows and not replace:
                raise SiteDataError(
                    f"The database is not empty ({rows} row{'s' if rows != 1 else ''}): import "
                    "into a new site, or pass --replace to delete everything in this one first."
                )
    if swap is not None and not replace and files.has_files(swap.live):
        raise SiteDataError(
            f"The uploads folder {swap.live} is not empty: import into a new site, or pass "
            "--replace to delete everything in this one first."
        )
    return current is None or current != archive.revision


def load_archive(archive: Archive, *, replace: bool, swap: files.FolderSwap | None) -> Summary:
    """Load a verified export in one transaction, then bring the schema up to date.

    `swap`, when given, puts the export's upload files in place just before the commit
    (and puts the old ones back if the commit fails).
    """
    db.session.remove()
    migrations = current_app.extensions["migrate"].directory
    if _check_target(archive, replace=replace, swap=swap):
        upgrade(directory=migrations, revision=archive.revision)
    try:
        with db.engine.connect() as connection:
            _lock(connection, archive)
            _check_tables(connection, archive)
            if replace:
                for plan in reversed(archive.plans):
                    connection.execute(text(f'DELETE FROM "{plan.name}"'))
            elif schema.count_rows(connection, [p.name for p in archive.plans]):
                raise SiteDataError("The database was written to meanwhile: nothing imported.")
            rows = _load_rows(connection, archive)
            schema.fix_sequences(connection, archive.plans)
            if swap is not None:
                swap.apply()
            try:
                connection.commit()
            except BaseException:
                if swap is not None:
                    swap.undo()
                raise
    except SQLAlchemyError as exc:
        first = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]
        raise SiteDataError(f"The import failed and nothing was changed: {first}") from exc
    if swap is not None:
        swap.finish()
    if archive.revision != schema.head_revision():
        upgrade(directory=migrations)
    return Summary(rows, len(archive.plans), archive.file_count, archive.revision)


def _lock(connection: Connection, archive: Archive) -> None:
    """Hold off other writers from the emptiness check to the commit."""
    if connection.dialect.name == "sqlite":
        connection.exec_driver_sql("BEGIN IMMEDIATE")
    else:
        names = ", ".join(f'"{plan.name}"' for plan in archive.plans)
        connection.execute(text(f"LOCK TABLE {names} IN SHARE ROW EXCLUSIVE MODE"))


def _check_tables(connection: Connection, archive: Archive) -> None:
    """The database's tables and columns must be exactly those the export describes."""
    live = schema.site_tables(connection)
    exported = {plan.name for plan in archive.plans}
    for name in sorted(set(live) - exported - set(schema.EXCLUDED_TABLES)):
        raise SiteDataError(f"The database has a table the export lacks: {name}.")
    for plan in archive.plans:
        if live.get(plan.name) != set(plan.columns):
            raise SiteDataError(
                f"The export's table {plan.name} does not match this database's columns."
            )


def _read_rows(archive: Archive, plan: schema.TablePlan) -> Iterator[dict]:
    with open(archive.folder / plan.file, encoding="utf-8") as fh:
        for number, line in enumerate(fh, 1):
            try:
                record = json.loads(line)
                if set(record) != set(plan.columns):
                    raise ValueError("columns differ from the manifest")
                row = {name: schema.decode(tag, record[name]) for name, tag in plan.columns.items()}
                yield plan.render_again(row)
            except (ValueError, TypeError, AttributeError) as exc:
                raise SiteDataError(
                    f"The export's {plan.file} line {number} cannot be read ({exc})."
                ) from exc


def _load_rows(connection: Connection, archive: Archive) -> int:
    total = 0
    later: list[tuple[schema.TablePlan, list[dict]]] = []
    for plan in archive.plans:
        tbl = plan.lightweight_table()
        updates, batch = [], []
        for row in _read_rows(archive, plan):
            values = {name: row[name] for name in plan.deferred if row[name] is not None}
            if values:
                updates.append({"_key": row[plan.primary_key[0]], **values})
                row.update(dict.fromkeys(values))
            batch.append(row)
            if len(batch) == BATCH:
                connection.execute(tbl.insert(), batch)
                total, batch = total + len(batch), []
        if batch:
            connection.execute(tbl.insert(), batch)
            total += len(batch)
        if updates:
            later.append((plan, updates))
    for plan, updates in later:
        tbl = plan.lightweight_table()
        for name in plan.deferred:
            changes = [
                {"_key": item["_key"], "_value": item[name]} for item in updates if name in item
            ]
            if changes:
                connection.execute(
                    tbl.update()
                    .where(tbl.c[plan.primary_key[0]] == bindparam("_key"))
                    .values({name: bindparam("_value")}),
                    changes,
                )
    return total
