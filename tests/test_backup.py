"""Backups of a running site and restores, on SQLite files and the real PostgreSQL."""

import json
import os
import shutil
import sqlite3
import threading
from contextlib import closing
from pathlib import Path

import pytest
from sqlalchemy import select

from blog.extensions import db
from blog.models import Article, Comment, CommentStatus
from blog.services import uploads
from blog.sitedata import schema
from blog.sitedata.commands import PRIVATE_DATA_NOTE
from blog.sitedata.files import sha256_file
from tests.sitedata_helpers import (
    SEARCH_WORD,
    fill_site,
    image_bytes,
    needs_postgresql,
    postgres_site,
    run,
    searches,
    site,
    snapshot,
)


def sqlite_site(folder: Path, *, migrate: bool = True):
    return site(f"sqlite:///{folder / 'byline.db'}", folder, migrate=migrate)


def backup(app, parent: Path) -> Path:
    """Back the site up; the command names the folder, alone on standard output, and says
    on standard error that the backup holds private data."""
    result = run(app, "backup", str(parent))
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("Backup written to ")
    assert len(result.stdout.splitlines()) == 1, result.stdout
    assert PRIVATE_DATA_NOTE in result.stderr.splitlines()
    return Path(result.stdout.strip().removeprefix("Backup written to "))


def restore(app, folder: Path):
    return run(app, "restore", str(folder), "--yes")


def change_site(app) -> None:
    """Edits after a backup, which a restore must undo: a new comment, a new upload, a
    changed title and a deleted upload file."""
    with app.app_context():
        article = db.session.scalar(select(Article).where(Article.slug == "zeppelin-returns"))
        article.title = "Renamed"
        comment = Comment(article=article, author_name="Later", status=CommentStatus.APPROVED)
        comment.set_body("Written after the backup.")
        db.session.add(comment)
        uploads.store_image(image_bytes((32, 32), (0, 200, 0)), "late.png")
        db.session.commit()
        (Path(app.config["UPLOADS_DIR"]) / article.cover.path).unlink()
        db.session.remove()


def head_revision(app) -> str:
    with app.app_context():
        return schema.head_revision()


def manifest_of(folder: Path) -> dict:
    return json.loads((folder / "manifest.json").read_text())


def filled_and_backed_up(app, parent: Path) -> tuple[tuple[dict, dict], Path]:
    """Every kind of row in the site, then a backup into `parent`: the site's snapshot as
    backed up, and the backup's folder."""
    fill_site(app)
    original = snapshot(app)
    return original, backup(app, parent)


def checked_manifest(folder: Path, app, engine: str, database: dict) -> dict:
    """The backup's manifest, which names the engine, the database's file and the site's
    schema revision."""
    manifest = manifest_of(folder)
    assert manifest["engine"] == engine
    assert manifest["database"] == database
    assert manifest["alembic_revision"] == head_revision(app)
    return manifest


class CommentWriter(threading.Thread):
    """Inserts and commits comments one by one, through its own SQLite connection."""

    def __init__(self, path: Path, article_id: int):
        super().__init__(daemon=True)
        self.path, self.article_id = path, article_id
        self.count = 0
        self.stopping = threading.Event()
        self.progress = threading.Condition()

    def run(self) -> None:
        with closing(sqlite3.connect(self.path, timeout=15)) as conn:
            while not self.stopping.is_set():
                conn.execute(
                    "INSERT INTO comments (article_id, depth, status, author_name, author_email,"
                    " body_md, body_html, is_staff, client_key, created_at, updated_at) VALUES"
                    " (?, 1, 'approved', ?, '', 'Busy.', '<p>Busy.</p>', 0, '',"
                    " '2026-01-01 00:00:00.000000', '2026-01-01 00:00:00.000000')",
                    (self.article_id, f"Writer {self.count}"),
                )
                conn.commit()
                with self.progress:
                    self.count += 1
                    self.progress.notify_all()

    def wait_for(self, count: int) -> None:
        with self.progress:
            assert self.progress.wait_for(lambda: self.count >= count, timeout=30)


def count_comments(path: Path) -> int:
    with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as conn:
        return conn.execute("SELECT count(*) FROM comments").fetchone()[0]


def test_sqlite_backup_while_a_writer_writes_restores(tmp_path):
    with sqlite_site(tmp_path / "live") as live:
        fill_site(live)
        with live.app_context():
            article_id = db.session.scalar(select(Article.id).where(Article.slug == "tomorrow"))
            db.session.remove()
        live_db = tmp_path / "live" / "byline.db"
        before = count_comments(live_db)
        writer = CommentWriter(live_db, article_id)
        writer.start()
        try:
            writer.wait_for(1)
            folder = backup(live, tmp_path / "backups")
            writer.wait_for(writer.count + 1)  # still writing after the backup
        finally:
            writer.stopping.set()
            writer.join(timeout=30)
        live_files = snapshot(live)[1]

    copy = folder / "database.sqlite3"
    with closing(sqlite3.connect(f"file:{copy}?mode=ro", uri=True)) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    saved = count_comments(copy)
    assert before + 1 <= saved <= before + writer.count

    # The backup restores into a new site with no database yet.
    shutil.copyfile(copy, tmp_path / "expected.db")
    with site(f"sqlite:///{tmp_path / 'expected.db'}", tmp_path / "expected") as reference:
        expected_rows = snapshot(reference)[0]
    with sqlite_site(tmp_path / "fresh", migrate=False) as fresh:
        result = restore(fresh, folder)
        assert result.exit_code == 0, result.output
        assert snapshot(fresh) == (expected_rows, live_files)
        assert count_comments(tmp_path / "fresh" / "byline.db") == saved
        assert searches(fresh, SEARCH_WORD) == ["zeppelin-returns"]


def test_sqlite_backup_manifest_and_restore_over_a_changed_site(tmp_path):
    with sqlite_site(tmp_path / "live") as live:
        original, folder = filled_and_backed_up(live, tmp_path / "backups")
        sqlite_file = {"kind": "sqlite", "file": "database.sqlite3"}
        manifest = checked_manifest(folder, live, "sqlite", sqlite_file)
        assert manifest["byline_version"] and manifest["created_at"]
        on_disk = {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()}
        assert set(manifest["files"]) == on_disk - {"manifest.json"}
        assert {f"uploads/{name}" for name in original[1]} < set(manifest["files"])
        for name, entry in manifest["files"].items():
            assert entry == {
                "sha256": sha256_file(folder / name),
                "size": (folder / name).stat().st_size,
            }
        secret = live.config["SECRET_KEY"].encode()
        assert not any(secret in (folder / name).read_bytes() for name in on_disk)
        assert (folder.stat().st_mode & 0o077) == 0  # private to its owner

        change_site(live)
        changed = snapshot(live)
        assert changed != original
        declined = run(live, "restore", str(folder), input="n\n")
        assert declined.exit_code == 1 and snapshot(live) == changed

        result = restore(live, folder)
        assert result.exit_code == 0, result.output
        assert snapshot(live) == original
        assert searches(live, SEARCH_WORD) == ["zeppelin-returns"]
        assert searches(live, "renamed") == []


def tamper_database(folder: Path) -> None:
    path = folder / "database.sqlite3"
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0xFF
    path.write_bytes(bytes(data))


def remove_an_upload(folder: Path) -> None:
    next(p for p in sorted((folder / "uploads").rglob("*")) if p.is_file()).unlink()


def add_a_file(folder: Path) -> None:
    (folder / "uploads" / "extra.png").write_bytes(b"extra")


def newer_revision(folder: Path) -> None:
    manifest = manifest_of(folder)
    manifest["alembic_revision"] = "9999"
    (folder / "manifest.json").write_text(json.dumps(manifest))


def cut_manifest(folder: Path) -> None:
    path = folder / "manifest.json"
    path.write_text(path.read_text()[:100])


def link_a_folder(folder: Path) -> None:
    """A folder of uploads moved out of the backup, a symbolic link left in its place."""
    year = next(p for p in sorted((folder / "uploads").iterdir()) if p.is_dir())
    outside = folder.parent / "elsewhere"
    year.rename(outside)
    year.symlink_to(outside, target_is_directory=True)


def link_a_file(folder: Path) -> None:
    upload = next(p for p in sorted((folder / "uploads").rglob("*")) if p.is_file())
    outside = folder.parent / "elsewhere.png"
    upload.rename(outside)
    upload.symlink_to(outside)


def add_a_pipe(folder: Path) -> None:
    os.mkfifo(folder / "uploads" / "pipe")


DAMAGE = {
    "tampered database": (tamper_database, "database.sqlite3 does not match its checksum"),
    "missing upload": (remove_an_upload, "The backup is incomplete"),
    "added file": (add_a_file, "a file its manifest does not list: uploads/extra.png"),
    "newer schema": (newer_revision, "upgrade Byline first"),
    "damaged manifest": (cut_manifest, "manifest.json is damaged"),
    "no manifest": (lambda f: (f / "manifest.json").unlink(), "is not a Byline backup"),
    "linked folder": (
        link_a_folder,
        "The backup holds a symbolic link, which Byline does not follow: uploads/",
    ),
    "linked file": (link_a_file, "The backup holds a symbolic link"),
    "pipe": (add_a_pipe, "holds a device, pipe or socket, which Byline does not follow"),
}


@pytest.mark.parametrize("case", DAMAGE)
def test_restore_refuses_a_damaged_backup_and_changes_nothing(tmp_path, case):
    damage, message = DAMAGE[case]
    with sqlite_site(tmp_path / "live") as live:
        fill_site(live)
        folder = backup(live, tmp_path / "backups")
        change_site(live)
        before = snapshot(live)
        damage(folder)
        result = restore(live, folder)
        assert result.exit_code == 1
        assert result.output.startswith("Error: ") and message in result.output
        assert len(result.output.strip().splitlines()) == 1, result.output
        assert snapshot(live) == before
        assert not list((tmp_path / "live").glob(".uploads.*"))


def test_a_backup_reached_through_a_link_and_holding_hard_links_restores(tmp_path):
    """The folder named on the command line may be a link (a "latest" link, say), and hard
    links, which backup rotations make, are plain files with their own checksum."""
    with sqlite_site(tmp_path / "live") as live:
        original, folder = filled_and_backed_up(live, tmp_path / "backups")
        uploads_copy = sorted(p for p in (folder / "uploads").rglob("*") if p.is_file())
        kept = tmp_path / "rotation"
        kept.mkdir()
        for index, path in enumerate(uploads_copy):
            (kept / str(index)).hardlink_to(path)
        latest = tmp_path / "latest"
        latest.symlink_to(folder, target_is_directory=True)
        change_site(live)
        result = restore(live, latest)
        assert result.exit_code == 0, result.output
        assert snapshot(live) == original


@needs_postgresql
def test_postgresql_backup_with_pg_dump_restores_into_a_fresh_database(tmp_path):
    with postgres_site("backup_source", tmp_path / "source", migrate=True) as source:
        original, folder = filled_and_backed_up(source, tmp_path / "backups")
        pg_dump_file = {"kind": "pg_dump", "file": "database.pgdump"}
        checked_manifest(folder, source, "postgresql", pg_dump_file)

        # pg_restore --clean puts the changed site back as it was.
        change_site(source)
        result = restore(source, folder)
        assert result.exit_code == 0, result.output
        assert snapshot(source) == original

        # A PostgreSQL dump is refused by a SQLite site, and the SQLite site stays as it was.
        with sqlite_site(tmp_path / "other") as other:
            fill_site(other)
            before = snapshot(other)
            refused = restore(other, folder)
            assert refused.exit_code == 1
            assert "backup of a postgresql site and this site uses sqlite" in refused.output
            assert snapshot(other) == before
            # ... and the other way round.
            sqlite_backup = backup(other, tmp_path / "sqlite-backups")
        before = snapshot(source)
        refused = restore(source, sqlite_backup)
        assert refused.exit_code == 1 and "backup of a sqlite site" in refused.output
        assert snapshot(source) == before

    with postgres_site("backup_fresh", tmp_path / "fresh") as fresh:
        result = restore(fresh, folder)
        assert result.exit_code == 0, result.output
        assert snapshot(fresh) == original
        assert searches(fresh, SEARCH_WORD) == ["zeppelin-returns"]
        with fresh.app_context():  # the sequences came back too: a new row gets a new id
            comment = Comment(article_id=1, author_name="New", status=CommentStatus.PENDING)
            comment.set_body("Hello.")
            db.session.add(comment)
            db.session.commit()
            assert comment.id == max(row[0] for row in original[0]["comments"]) + 1
            db.session.remove()


@needs_postgresql
def test_postgresql_backup_without_pg_dump_uses_the_portable_export(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path / "no-tools"))  # neither pg_dump nor pg_restore
    with postgres_site("portable_source", tmp_path / "source", migrate=True) as source:
        original, folder = filled_and_backed_up(source, tmp_path / "backups")
    assert manifest_of(folder)["database"] == {"kind": "portable", "file": "database.tar.gz"}
    with postgres_site("portable_fresh", tmp_path / "fresh") as fresh:
        result = restore(fresh, folder)
        assert result.exit_code == 0, result.output
        assert snapshot(fresh) == original
        assert searches(fresh, SEARCH_WORD) == ["zeppelin-returns"]
