"""`flask import-wordpress` and `flask import-ghost`: the commands an editor runs.

Every app registers them, so the importers themselves (and their HTML parser) are loaded
only when one runs.
"""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import TYPE_CHECKING

import click
from flask import Flask, current_app

from blog.models.base import utcnow

if TYPE_CHECKING:
    from blog.importers.loader import Options
    from blog.importers.report import Report

EXPORT = click.Path(exists=True, dir_okay=False, readable=True, path_type=Path)
FOLDER = click.Path(exists=True, file_okay=False, readable=True, path_type=Path)


def register(app: Flask) -> None:
    app.cli.add_command(import_wordpress)
    app.cli.add_command(import_ghost)


def default_section_option(command):
    return click.option(
        "--default-section",
        metavar="SLUG",
        help="The section for posts without a category (default: one named after the site).",
    )(command)


def dry_run_option(command):
    return click.option(
        "--dry-run", is_flag=True, help="Read everything and report, but write nothing."
    )(command)


@click.command("import-wordpress")
@click.argument("export", type=EXPORT)
@click.option("--uploads", type=FOLDER, help="A copy of the old site's wp-content/uploads/.")
@default_section_option
@dry_run_option
def import_wordpress(export: Path, uploads: Path | None, default_section, dry_run: bool) -> None:
    """Import a WordPress export (Tools › Export, WXR 1.1 or 1.2)."""
    from blog.importers.loader import Options
    from blog.importers.wordpress import WordPressExport

    run(WordPressExport, export, Options(uploads, default_section, dry_run))


@click.command("import-ghost")
@click.argument("export", type=EXPORT)
@click.option("--images", type=FOLDER, help="A copy of the old site's content/images/.")
@default_section_option
@dry_run_option
def import_ghost(export: Path, images: Path | None, default_section, dry_run: bool) -> None:
    """Import a Ghost export (Settings › Advanced › Export, Ghost 3 to 6)."""
    from blog.importers.ghost import GhostExport
    from blog.importers.loader import Options

    run(GhostExport, export, Options(images, default_section, dry_run))


def run(reader, path: Path, options: Options) -> None:
    """Read, import with a progress bar, report; a clear one-line error for a bad file."""
    from blog.importers.loader import Loader
    from blog.importers.records import ExportRejected
    from blog.importers.report import Report

    try:
        export = reader(path)
        source = f"{export.site.platform} {export.site.url}".strip()
        report = Report(source=source, dry_run=options.dry_run)
        loader = Loader(export, options, report)
    except ExportRejected as error:
        raise click.ClickException(f"{path.name}: {error}") from None
    stopped = None
    started = time.monotonic()
    with click.progressbar(
        length=max(export.total, 1),
        label="Importing" if not options.dry_run else "Dry run",
        show_pos=True,
        show_eta=True,
        item_show_func=lambda rate: rate,
    ) as bar:

        def advance(n: int) -> None:
            rate = (bar.pos + n) / max(time.monotonic() - started, 0.001)
            bar.update(n, f"{rate:,.0f} items/s")

        try:
            loader.run(advance)
        except ExportRejected as error:
            stopped = f"Stopped: {error}. {kept(options)}"
        except KeyboardInterrupt:
            stopped = f"Stopped before the end. {kept(options)}"
    report.stopped = stopped or ""
    file = save(report)
    click.echo("")
    click.echo("\n".join(report.lines(whole=False)))
    click.echo(f"Full report: {file}")
    if stopped:
        raise click.ClickException(stopped)
    if report.failed:
        failed = len(report.failed)
        noun = "item" if failed == 1 else "items"
        raise click.ClickException(f"{failed} {noun} failed; run the command again.")


def kept(options: Options) -> str:
    if options.dry_run:
        return "Nothing was written (a dry run)."
    return "What was imported is kept; run the same command again to go on."


def save(report: Report) -> Path:
    """The whole report, readable by its owner only (it holds invitation links)."""
    configured = current_app.config.get("IMPORT_REPORTS_DIR")
    folder = Path(configured or Path(current_app.instance_path) / "imports")
    folder.mkdir(parents=True, exist_ok=True)
    suffix = "-dry-run" if report.dry_run else ""
    platform = report.source.split()[0]
    file = folder / f"{platform}-{utcnow():%Y%m%d-%H%M%S}{suffix}.txt"
    descriptor = os.open(file, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as out:
        out.write("\n".join(report.lines(whole=True)) + "\n")
    return file
