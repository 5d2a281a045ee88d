"""Portable export and import: a whole site moves between SQLite and PostgreSQL intact."""

import json
import tarfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import func, select, text

from blog import demo
from blog.extensions import db
from blog.models import Article, Comment, CommentStatus, User
from blog.sitedata import schema
from tests.sitedata_helpers import (
    SEARCH_WORD,
    fill_site,
    needs_postgresql,
    postgres_site,
    rewrite_archive,
    run,
    searches,
    site,
    site_rows,
    snapshot,
    upload_files,
)


def add_comment(app) -> int:
    """A new row after an import gets an id of its own (PostgreSQL's sequences moved on)."""
    with app.app_context():
        article = db.session.scalar(select(Article).where(Article.slug == "zeppelin-returns"))
        comment = Comment(article=article, author_name="Late", status=CommentStatus.PENDING)
        comment.set_body("After the move.")
        db.session.add(comment)
        db.session.commit()
        new_id = comment.id
        db.session.remove()
    return new_id


def search_index_is_exact(app) -> bool:
    with app.app_context():
        if db.engine.dialect.name == "sqlite":
            # Compares the index with the text it should hold; raises when they differ.
            db.session.execute(
                text("INSERT INTO articles_fts(articles_fts, rank) VALUES ('integrity-check', 1)")
            )
            stale = 0
        else:
            stale = db.session.scalar(
                text(
                    "SELECT count(*) FROM articles WHERE search_vector IS DISTINCT FROM "
                    "articles_search_vector(id, title, brief, body_md)"
                )
            )
        db.session.remove()
    return stale == 0


@needs_postgresql
def test_round_trip_sqlite_postgresql_sqlite_keeps_every_row_and_file(tmp_path):
    with site(f"sqlite:///{tmp_path / 'first.db'}", tmp_path / "first", migrate=True) as first:
        with first.app_context():
            assert demo.load() > 40
        fill_site(first)
        original = snapshot(first)
        result = run(first, "export", str(tmp_path / "one.tar.gz"))
        assert result.exit_code == 0, result.output
        assert "to " + str(tmp_path / "one.tar.gz") in result.output
    rows, files = original
    assert all(rows[name] for name in rows), "the site should have rows in every table"
    assert len(files) > 30

    # Into an empty PostgreSQL database without a schema: import builds it.
    with postgres_site("export_middle", tmp_path / "middle") as middle:
        result = run(middle, "import", str(tmp_path / "one.tar.gz"))
        assert result.exit_code == 0, result.output
        assert snapshot(middle) == original
        assert searches(middle, SEARCH_WORD) == ["zeppelin-returns"]
        assert search_index_is_exact(middle)
        result = run(middle, "export", str(tmp_path / "two.tar.gz"))
        assert result.exit_code == 0, result.output
        assert add_comment(middle) == max(row[0] for row in rows["comments"]) + 1

    with site(f"sqlite:///{tmp_path / 'last.db'}", tmp_path / "last") as last:
        result = run(last, "import", str(tmp_path / "two.tar.gz"))
        assert result.exit_code == 0, result.output
        assert snapshot(last) == original
        assert searches(last, SEARCH_WORD) == ["zeppelin-returns"]
        assert search_index_is_exact(last)
        page = last.test_client().get(f"/search?q={SEARCH_WORD}")
        assert page.status_code == 200 and "/zeppelin-returns" in page.get_data(as_text=True)
        cover = rows["uploads"][1]  # (id, path, ...)
        with last.test_client().get(f"/uploads/{cover[1]}") as served:
            assert served.status_code == 200 and served.data == files[cover[1]]
        assert add_comment(last) == max(row[0] for row in rows["comments"]) + 1


def test_every_model_table_is_exported_or_excluded(app, runner, tmp_path):
    fill_site(app)
    target = tmp_path / "site.tar.gz"
    result = runner.invoke(args=["export", str(target)])
    assert result.exit_code == 0, result.output
    with tarfile.open(target, "r:gz") as tar:
        manifest = json.load(tar.extractfile("manifest.json"))
        members = set(tar.getnames())
    exported = {table["name"]: table for table in manifest["tables"]}
    models = set(db.metadata.tables)
    # A new model table must be exported or named in EXCLUDED_TABLES with its reason.
    assert set(exported) | set(schema.EXCLUDED_TABLES) == models
    assert not set(exported) & set(schema.EXCLUDED_TABLES)
    assert all(reason for reason in schema.EXCLUDED_TABLES.values())
    # The database holds no table the models do not know (search objects aside).
    assert set(schema.site_tables(db.session.connection())) == models
    for name, table in exported.items():
        assert list(table["columns"]) == [c.name for c in db.metadata.tables[name].columns]
        count = db.session.scalar(select(func.count()).select_from(db.metadata.tables[name]))
        assert table["rows"] == count
        assert f"tables/{name}.jsonl" in members
    assert manifest["alembic_revision"] == schema.head_revision()
    assert manifest["source_engine"] == db.engine.dialect.name
    uploads = {name for name in members if name.startswith("uploads/")}
    assert uploads == {f"uploads/{name}" for name in upload_files(app)}
    assert set(manifest["files"]) == members - {"manifest.json"}
    # An existing file is never overwritten.
    again = runner.invoke(args=["export", str(target)])
    assert again.exit_code == 1 and "already exists" in again.output


@pytest.fixture(scope="module")
def exported(tmp_path_factory) -> tuple[Path, tuple[dict, dict]]:
    """An export of a filled SQLite site, and that site's rows and files."""
    folder = tmp_path_factory.mktemp("source")
    with site(f"sqlite:///{folder / 'source.db'}", folder, migrate=True) as source:
        fill_site(source)
        result = run(source, "export", str(folder / "site.tar.gz"))
        assert result.exit_code == 0, result.output
        return folder / "site.tar.gz", snapshot(source)


def test_import_into_an_empty_site(app, runner, exported):
    path, original = exported
    result = runner.invoke(args=["import", str(path)])
    assert result.exit_code == 0, result.output
    assert snapshot(app) == original
    assert searches(app, SEARCH_WORD) == ["zeppelin-returns"]


def truncate(source: Path, target: Path) -> None:
    data = source.read_bytes()
    target.write_bytes(data[: len(data) // 2])


@contextmanager
def table_rows(folder: Path, table: str) -> Iterator[list[dict]]:
    """The rows of one table of an unpacked export, written back as the block leaves them."""
    path = folder / "tables" / f"{table}.jsonl"
    rows = [json.loads(line) for line in path.read_text().splitlines()]
    yield rows
    path.write_text("".join(json.dumps(row) + "\n" for row in rows))


def edit_table(folder: Path) -> None:
    path = folder / "tables" / "articles.jsonl"
    path.write_text(path.read_text().replace("Zeppelin", "Balloon"))


def remove_an_upload(folder: Path) -> None:
    next(p for p in sorted((folder / "uploads").rglob("*")) if p.is_file()).unlink()


def newer_revision(folder: Path) -> None:
    manifest = json.loads((folder / "manifest.json").read_text())
    manifest["alembic_revision"] = "9999"
    (folder / "manifest.json").write_text(json.dumps(manifest))


def link_a_file(folder: Path) -> None:
    (folder / "uploads" / "link.png").symlink_to("../manifest.json")


def hard_link_a_file(folder: Path) -> None:
    upload = next(p for p in sorted((folder / "uploads").rglob("*")) if p.is_file())
    (folder / "uploads" / "twin.png").hardlink_to(upload)


def rewritten(change, *, fix_checksums: bool = False):
    """Makes the archive from the export with `change` made to its files."""
    return lambda source, target: rewrite_archive(
        source, target, change, fix_checksums=fix_checksums
    )


LINK_REFUSED = "which is a link or a special file"
REFUSALS = {
    "cut short": (truncate, "damaged or cut short"),
    "not an archive": (lambda _, t: t.write_text("hello"), "not a readable Byline export"),
    "edited rows": (rewritten(edit_table), "tables/articles.jsonl does not match its checksum"),
    "missing file": (rewritten(remove_an_upload), "is missing"),
    "newer schema": (rewritten(newer_revision, fix_checksums=True), "upgrade Byline first"),
    "symbolic link": (rewritten(link_a_file), f"holds 'uploads/link.png', {LINK_REFUSED}"),
    "hard link": (rewritten(hard_link_a_file), f"holds 'uploads/twin.png', {LINK_REFUSED}"),
}


@pytest.mark.parametrize("case", REFUSALS)
def test_import_refuses_a_bad_export_and_changes_nothing(app, runner, exported, tmp_path, case):
    make, message = REFUSALS[case]
    bad = tmp_path / "bad.tar.gz"
    make(exported[0], bad)
    before = snapshot(app)
    result = runner.invoke(args=["import", str(bad)])
    assert result.exit_code == 1
    assert result.output.startswith("Error: ") and message in result.output
    assert len(result.output.strip().splitlines()) == 1, result.output
    assert snapshot(app) == before
    assert not list(Path(app.config["UPLOADS_DIR"]).parent.glob(".uploads.*"))


HOSTILE_HTML = '<script>alert("planted")</script><img src=x onerror=alert("planted")>'


def test_import_makes_every_html_column_again_from_its_markdown(app, runner, exported, tmp_path):
    def plant_scripts(folder: Path) -> None:
        for table, columns in schema.RENDERED.items():
            with table_rows(folder, table) as rows:
                assert rows, table
                for row in rows:
                    row.update(dict.fromkeys(columns, HOSTILE_HTML))

    tampered = tmp_path / "tampered.tar.gz"
    rewrite_archive(exported[0], tampered, plant_scripts, fix_checksums=True)
    result = runner.invoke(args=["import", str(tampered)])
    assert result.exit_code == 0, result.output
    # Every row as the exporting site had it: the HTML made from the Markdown again.
    assert snapshot(app) == exported[1]
    page = app.test_client().get("/articles/zeppelin-returns")
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and "Corrected the <strong>date</strong>" in text
    assert "planted" not in text


def test_every_html_column_is_made_again_on_import_as_its_model_makes_it(app):
    markdown = "# Heading\n\n<b>raw</b> [link](javascript:alert(1)) *em*"
    seen = set()
    for mapper in db.Model.registry.mappers:
        table = mapper.local_table.name
        if table in schema.EXCLUDED_TABLES:
            continue
        html_columns = {c.name for c in mapper.local_table.columns if c.name.endswith("_html")}
        assert html_columns == set(schema.RENDERED.get(table, {})), table
        for column, (source, render) in schema.RENDERED.get(table, {}).items():
            row = mapper.class_()
            row.set_body(markdown)
            assert getattr(row, source) == markdown
            assert getattr(row, column) == render(markdown), table
            seen.add(table)
    assert seen == set(schema.RENDERED)


def test_import_refuses_a_site_that_is_not_empty(app, runner, exported, make_user, tmp_path):
    make_user()
    before = snapshot(app)
    result = runner.invoke(args=["import", str(exported[0])])
    assert result.exit_code == 1
    assert "The database is not empty (1 row)" in result.output and "--replace" in result.output
    assert snapshot(app) == before

    db.session.execute(text("DELETE FROM users"))
    db.session.commit()
    stray = Path(app.config["UPLOADS_DIR"]) / "2020" / "01" / "stray.png"
    stray.parent.mkdir(parents=True)
    stray.write_bytes(b"not ours")
    result = runner.invoke(args=["import", str(exported[0])])
    assert result.exit_code == 1 and "uploads folder" in result.output
    assert site_rows(app) == {t.name: [] for t in schema.exported_tables()}


def test_import_replace_swaps_the_whole_site(app, runner, exported, make_article):
    path, original = exported
    make_article(title="Soon gone", slug="soon-gone")
    stray = Path(app.config["UPLOADS_DIR"]) / "old.png"
    stray.parent.mkdir(parents=True)
    stray.write_bytes(b"old")
    before = snapshot(app)

    declined = runner.invoke(args=["import", str(path), "--replace"], input="n\n")
    assert declined.exit_code == 1 and "Aborted" in declined.output
    assert snapshot(app) == before

    result = runner.invoke(args=["import", str(path), "--replace", "--yes"])
    assert result.exit_code == 0, result.output
    assert snapshot(app) == original
    assert not stray.exists()
    assert searches(app, "soon gone") == []
    assert searches(app, SEARCH_WORD) == ["zeppelin-returns"]


def test_import_is_all_or_nothing(app, runner, exported, tmp_path):
    def duplicate_slug(folder: Path) -> None:
        with table_rows(folder, "articles") as rows:
            rows[-1]["slug"] = rows[0]["slug"]  # breaks a unique constraint, late in the load

    bad = tmp_path / "bad.tar.gz"
    rewrite_archive(exported[0], bad, duplicate_slug, fix_checksums=True)
    result = runner.invoke(args=["import", str(bad)])
    assert result.exit_code == 1
    assert "The import failed and nothing was changed" in result.output
    assert site_rows(app) == {t.name: [] for t in schema.exported_tables()}
    assert upload_files(app) == {}


# The tables later revisions added to those an export moves: an export made at 0001 has
# none of them. Revision 0006 also added a column, and old slugs of pages.
ADDED_TABLES = {
    "0006": {"pages", "front_page_picks", "menu_links", "audit_entries"},
    "0007": {"imported_items", "old_urls"},
    "0008": {"article_coauthors", "corrections", "passkeys", "recovery_codes", "revisions"},
    "0009": {"comment_reports"},
    "0010": {"subscribers", "subscriptions", "thread_follows"},
}
ADDED_SINCE_0001 = set().union(*ADDED_TABLES.values())
# Columns later revisions added to the tables an export at 0001 has.
COLUMNS_ADDED = {
    "users": (
        "name_confirmed",  # 0006
        "must_change_password",  # 0008
        "totp_secret",
        "totp_enabled_at",
        "totp_last_step",
    ),
    "comments": (
        "edited_at",  # 0009
        "held_reason",
        "report_count",
        "wants_replies",  # 0010
        "confirm_sent_at",
        "confirmed_at",
        "notified_at",
    ),
}


def as_first_revision(folder: Path) -> None:
    """Make a current export into one written at revision 0001."""
    manifest = json.loads((folder / "manifest.json").read_text())
    manifest["alembic_revision"] = "0001"
    kept = []
    for plan in manifest["tables"]:
        if plan["name"] in ADDED_SINCE_0001:
            file = f"tables/{plan['name']}.jsonl"
            (folder / file).unlink()
            del manifest["files"][file]
            continue
        for column in COLUMNS_ADDED.get(plan["name"], ()):
            del plan["columns"][column]
        kept.append(plan)
    manifest["tables"] = kept
    (folder / "manifest.json").write_text(json.dumps(manifest))
    for table, columns in COLUMNS_ADDED.items():
        with table_rows(folder, table) as rows:
            for row in rows:
                for column in columns:
                    del row[column]
    with table_rows(folder, "old_slugs") as rows:
        rows[:] = [row for row in rows if row["kind"] != "page"]


def test_an_older_export_is_loaded_then_migrated(live_database, tmp_path, exported):
    """An export from before the search migration: the empty database is built up to the
    export's revision, loaded, then upgraded (which indexes the loaded articles and adds
    the later tables, empty)."""
    older = tmp_path / "older.tar.gz"
    rewrite_archive(exported[0], older, as_first_revision, fix_checksums=True)
    rows, files = exported[1]
    expected = {name: [] if name in ADDED_SINCE_0001 else table for name, table in rows.items()}
    expected["old_slugs"] = [row for row in rows["old_slugs"] if row[1] != "page"]
    assert expected["old_slugs"] != rows["old_slugs"]  # the site had an old page slug
    # The account columns added since 0001 take their defaults; 0008 asks an account
    # with a password that never signed in to choose its own.
    names = [column.name for column in User.__table__.columns]

    def upgraded(row: tuple) -> tuple:
        account = dict(zip(names, row, strict=True))
        account |= {
            "name_confirmed": True,
            "must_change_password": account["password_hash"] != ""
            and account["last_login_at"] is None,
            "totp_secret": None,
            "totp_enabled_at": None,
            "totp_last_step": None,
        }
        return tuple(account.values())

    expected["users"] = [upgraded(row) for row in rows["users"]]
    # 0009's and 0010's comment columns take their defaults.
    comment_columns = [column.name for column in Comment.__table__.columns]

    def upgraded_comment(row: tuple) -> tuple:
        comment = dict(zip(comment_columns, row, strict=True))
        comment |= {"edited_at": None, "held_reason": "", "report_count": 0}
        comment |= {
            "wants_replies": False,
            "confirm_sent_at": None,
            "confirmed_at": None,
            "notified_at": None,
        }
        return tuple(comment.values())

    expected["comments"] = [upgraded_comment(row) for row in rows["comments"]]
    with site(live_database, tmp_path / "target") as target:
        result = run(target, "import", str(older))
        assert result.exit_code == 0, result.output
        assert snapshot(target) == (expected, files)
        assert searches(target, SEARCH_WORD) == ["zeppelin-returns"]
        assert search_index_is_exact(target)
        with target.app_context():
            assert schema.database_revision(db.session.connection()) == schema.head_revision()
            db.session.remove()
        # A database already past the export's revision cannot take it.
        result = run(target, "import", str(older), "--replace", "--yes")
        assert result.exit_code == 1
        assert "import it into an empty database" in result.output
        assert snapshot(target)[0]["pages"] == []


def test_import_stores_each_address_as_its_identity(app, runner, exported, tmp_path):
    """An edited export cannot bring in an address spelt otherwise than Byline stores it,
    so the unique index still stands for one account, or one follower, per address."""

    def respell(folder: Path) -> None:
        with table_rows(folder, "users") as rows:
            for row in rows:
                row["email"] = "\u200b" + row["email"].upper()
        with table_rows(folder, "subscribers") as rows:
            assert rows
            for row in rows:
                row["email_key"] = f" {row['email_key'].upper()}"

    respelt = tmp_path / "respelt.tar.gz"
    rewrite_archive(exported[0], respelt, respell, fix_checksums=True)
    result = runner.invoke(args=["import", str(respelt)])
    assert result.exit_code == 0, result.output
    assert snapshot(app) == exported[1]
