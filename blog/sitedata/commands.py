"""The export, import, backup and restore commands of `flask --app blog`."""

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import with_appcontext

from blog.sitedata import SiteDataError, backup, portable

# Said after every backup and export, on standard error (standard output stays the one
# line naming what was written, for scripts).
PRIVATE_DATA_NOTE = (
    "It holds readers' e-mail addresses (commenters' and subscribers') and the staff's "
    "password hashes: keep it private."
)


def register(app: Flask) -> None:
    app.cli.add_command(export_command)
    app.cli.add_command(import_command)
    app.cli.add_command(backup_command)
    app.cli.add_command(restore_command)


def forget_cached_pages() -> None:
    """Pages cached before the database was replaced must not be served again."""
    cache = current_app.extensions.get("byline_page_cache")
    if cache is not None:
        cache.bump()


@contextmanager
def reported() -> Iterator[None]:
    """A refusal or a file error of the work inside, as the command's one-line error."""
    try:
        yield
    except OSError as exc:  # a folder that cannot be written, a full disk, ...
        raise click.ClickException(f"A file could not be read or written: {exc}") from exc
    except SiteDataError as exc:
        raise click.ClickException(str(exc)) from exc


@click.command("export")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@with_appcontext
def export_command(file: Path) -> None:
    """Write the whole site (database and uploads) to FILE, a .tar.gz either engine imports."""
    with reported():
        summary = portable.export_site(file)
    click.echo(
        f"Exported {summary.rows} rows in {summary.tables} tables and {summary.files} upload "
        f"files (schema revision {summary.revision}) to {file}."
    )
    click.echo(PRIVATE_DATA_NOTE, err=True)


@click.command("import")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--replace", is_flag=True, help="Delete everything in this site (rows and uploads) first."
)
@click.option("--yes", is_flag=True, help="Do not ask before replacing.")
@with_appcontext
def import_command(file: Path, replace: bool, yes: bool) -> None:
    """Load an export into this site; the site must be empty unless --replace is given."""
    if replace and not yes:
        click.confirm("Delete everything in this site and replace it with the export?", abort=True)
    with reported():
        summary = portable.import_site(file, replace=replace)
    forget_cached_pages()
    click.echo(
        f"Imported {summary.rows} rows in {summary.tables} tables and {summary.files} upload "
        f"files from {file}."
    )


@click.command("backup")
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path))
@with_appcontext
def backup_command(folder: Path) -> None:
    """Write a consistent backup of the running site into a new folder inside FOLDER.

    The folder is named byline-backup-<UTC date and time>; `restore` reads it back."""
    with reported():
        written = backup.backup_site(folder)
    click.echo(f"Backup written to {written}")
    click.echo(PRIVATE_DATA_NOTE, err=True)


@click.command("restore")
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path))
@click.option("--yes", is_flag=True, help="Do not ask before replacing the site.")
@with_appcontext
def restore_command(folder: Path, yes: bool) -> None:
    """Replace the site's database and uploads with the backup in FOLDER, once it checks out."""
    with reported():
        manifest = backup.verify_backup(folder)
        if not yes:
            click.confirm(
                f"Replace this site's database and uploads with the backup of "
                f"{manifest.get('created_at')}?",
                abort=True,
            )
        backup.restore_site(folder)
    forget_cached_pages()
    click.echo(f"Restored the backup in {folder} (made {manifest.get('created_at')}).")
