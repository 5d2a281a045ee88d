"""`flask --app blog check` against the real SQLite, PostgreSQL and Redis, and against
deliberately broken settings."""

import ast
import os
import re
import shutil
from pathlib import Path

import pytest
from alembic.config import Config
from alembic.script import ScriptDirectory
from flask import Flask
from flask_migrate import upgrade
from sqlalchemy import text

import blog
from blog import create_app
from blog.extensions import db
from tests.conftest import DATABASES, TemporaryPostgres
from tests.live_server import free_port

ROOT = Path(__file__).resolve().parent.parent
LONG_SECRET = "k" * 48
LINE = re.compile(r"^(OK|WARNING|ERROR) +\S")


@pytest.fixture
def site(tmp_path, monkeypatch) -> Path:
    """A checkout of its own: instance/ in tmp_path, the code's migrations, a clean env."""
    monkeypatch.setattr(blog, "ROOT", tmp_path)
    for name in ("migrations", "templates", "static"):
        (tmp_path / name).symlink_to(ROOT / name)
    for name in list(os.environ):
        if name.startswith("FLASK_") or name in ("DATABASE_URL", "REDIS_URL", "SECRET_KEY"):
            monkeypatch.delenv(name)
    monkeypatch.delenv("BYLINE_BIND", raising=False)
    return tmp_path


@pytest.fixture(params=DATABASES)
def migrated_url(request, tmp_path) -> str:
    """A database with the whole schema: a copy of the SQLite template, or the shared
    PostgreSQL test database."""
    if request.param == "postgresql":
        return request.getfixturevalue("postgres_database")
    path = tmp_path / "migrated.db"
    shutil.copyfile(request.getfixturevalue("sqlite_template"), path)
    return f"sqlite:///{path}"


@pytest.fixture(params=DATABASES)
def empty_url(request, tmp_path):
    if request.param == "sqlite":
        (tmp_path / "empty.db").touch()  # an empty file is an empty SQLite database
        yield f"sqlite:///{tmp_path / 'empty.db'}"
    else:
        with TemporaryPostgres(f"byline_check_{os.getpid()}") as database:
            yield database.url


def make(site: Path, database_url: str, **config) -> Flask:
    settings = {
        "SQLALCHEMY_DATABASE_URI": database_url,
        "UPLOADS_DIR": str(site / "uploads"),
        "RATELIMIT_STORAGE_URI": f"byline-sqlite://{site / 'ratelimits.db'}",
        "PAGE_CACHE_GENERATION_FILE": str(site / "page_cache_generation"),
        **config,
    }
    return create_app(settings)


def check(app: Flask) -> tuple[int, list[str]]:
    result = app.test_cli_runner().invoke(args=["check"])
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    lines = result.output.splitlines()
    assert lines and all(LINE.match(line) for line in lines[:-1]), result.output
    return result.exit_code, lines


def lines_with(lines: list[str], level: str, words: str) -> list[str]:
    return [line for line in lines if line.startswith(level) and words in line]


def test_a_ready_site_passes(site, migrated_url):
    exit_code, lines = check(make(site, migrated_url, SECRET_KEY=LONG_SECRET))
    assert exit_code == 0, lines
    assert lines_with(lines, "OK", "DATABASE_URL: connected to")
    assert lines_with(lines, "OK", "Database schema: up to date")
    assert lines_with(lines, "OK", "SECRET_KEY: set (48 characters)")
    assert lines_with(lines, "OK", f"UPLOADS_DIR: {site / 'uploads'} is writable")
    assert not lines_with(lines, "ERROR", "")
    assert lines[-1].startswith("No errors")


def test_a_page_hidden_by_one_of_the_sites_own_addresses_is_reported(site, migrated_url):
    """A page imported at /corrections before that route existed: readers get the route,
    so the check names the page and how to move it."""
    from blog.models import Page, Role, User

    app = make(site, migrated_url, SECRET_KEY=LONG_SECRET)
    with app.app_context():
        owner = User(email="owner@byline.test", display_name="Owner", slug="owner", role=Role.ADMIN)
        db.session.add(owner)
        db.session.add_all(
            Page(title=title, slug=slug, author=owner, body_md="", body_html="")
            for title, slug in (("Our corrections", "corrections"), ("About", "about"))
        )
        db.session.commit()
        db.session.remove()
    try:
        exit_code, lines = check(app)
    finally:
        with app.app_context():
            db.session.execute(text("DELETE FROM pages"))
            db.session.execute(text("DELETE FROM users"))
            db.session.commit()
            db.session.remove()
            db.engine.dispose()
    assert exit_code == 0, lines
    found = lines_with(lines, "WARNING", "Page ")
    assert len(found) == 1, lines
    assert "“Our corrections”" in found[0] and "the site's own /corrections answers" in found[0]
    assert "give it another Address (slug) in the editor" in found[0]


def test_authenticator_secrets_under_another_key_are_counted(site, migrated_url):
    """A site moved without its SECRET_KEY: a count of accounts whose codes cannot be
    checked, naming nobody."""
    from blog.models import Role, User
    from blog.services import two_factor

    with make(site, migrated_url, SECRET_KEY="an old key " * 5).app_context():
        for n in range(2):
            user = User(email=f"s{n}@byline.test", display_name="S", slug=f"s{n}", role=Role.ADMIN)
            two_factor.store_secret(user, "JBSWY3DPEHPK3PXP")
            db.session.add(user)
        db.session.commit()
        db.session.remove()
        db.engine.dispose()
    app = make(site, migrated_url, SECRET_KEY=LONG_SECRET)
    try:
        exit_code, lines = check(app)
    finally:
        with app.app_context():
            db.session.execute(text("DELETE FROM users"))
            db.session.commit()
            db.session.remove()
            db.engine.dispose()
    assert exit_code == 0, lines
    found = lines_with(lines, "WARNING", "SECRET_KEY: 2 account(s)")
    assert len(found) == 1 and "reset-two-factor" in found[0], lines
    assert "@" not in found[0]


def test_postgresql_without_redis_is_a_warning(site, postgres_database):
    exit_code, lines = check(make(site, postgres_database, SECRET_KEY=LONG_SECRET))
    assert exit_code == 0
    assert lines_with(lines, "WARNING", "REDIS_URL is not set while the database is PostgreSQL")
    assert "kept per server" in lines_with(lines, "WARNING", "REDIS_URL")[0]

    with_redis = make(site, postgres_database, SECRET_KEY=LONG_SECRET, REDIS_URL=redis_url())
    exit_code, lines = check(with_redis)
    assert exit_code == 0
    assert lines_with(lines, "OK", "REDIS_URL: Redis at 127.0.0.1:6379 (database 15) answers")
    assert not lines_with(lines, "WARNING", "REDIS_URL")


def redis_url(port: int = 6379, password: str = "") -> str:
    auth = f":{password}@" if password else ""
    return f"redis://{auth}127.0.0.1:{port}/15"


def test_unreachable_redis_is_an_error_without_its_password(site, migrated_url):
    app = make(
        site,
        migrated_url,
        SECRET_KEY=LONG_SECRET,
        REDIS_URL=redis_url(free_port(), "not-a-real-password"),
    )
    exit_code, lines = check(app)
    assert exit_code == 1
    [line] = lines_with(lines, "ERROR", "REDIS_URL: cannot reach Redis at 127.0.0.1:")
    assert "Connection refused" in line
    assert "not-a-real-password" not in "\n".join(lines)


def test_unreachable_database_is_an_error_naming_the_host_not_the_password(site):
    port = free_port()
    url = f"postgresql+psycopg://byline:hunter2@127.0.0.1:{port}/byline"
    exit_code, lines = check(make(site, url, SECRET_KEY=LONG_SECRET))
    assert exit_code == 1
    [line] = lines_with(lines, "ERROR", "DATABASE_URL: cannot connect to PostgreSQL at")
    assert f"127.0.0.1:{port}, database byline, user byline" in line
    assert "hunter2" not in "\n".join(lines)
    assert lines[-1].endswith("Byline is not ready to serve.")


def test_a_missing_sqlite_file_asks_for_init(site):
    exit_code, lines = check(make(site, f"sqlite:///{site / 'nothing-here.db'}"))
    assert exit_code == 1
    assert lines_with(lines, "ERROR", "does not exist yet: run `flask --app blog init`")
    assert not (site / "nothing-here.db").exists()


def code_revisions() -> list[str]:
    config = Config()
    config.set_main_option("script_location", str(ROOT / "migrations"))
    return [r.revision for r in ScriptDirectory.from_config(config).walk_revisions()]


def test_the_schema_revision_is_compared_with_the_code(site, empty_url):
    app = make(site, empty_url, SECRET_KEY=LONG_SECRET)
    revisions = code_revisions()  # newest first
    with app.app_context():
        exit_code, lines = check(app)
        assert exit_code == 1
        assert lines_with(lines, "ERROR", "the database has no Byline tables yet")

        upgrade(revision=revisions[-1])
        exit_code, lines = check(app)
        assert exit_code == 1
        [line] = lines_with(lines, "ERROR", f"{len(revisions) - 1} migration(s) not applied")
        assert f"at {revisions[-1]}, this code at {revisions[0]}" in line
        assert "flask --app blog db upgrade" in line

        upgrade()
        exit_code, lines = check(app)
        assert exit_code == 0, lines
        assert lines_with(lines, "OK", f"up to date (revision {revisions[0]})")

        # A database upgraded by a newer version of Byline.
        db.session.execute(text("UPDATE alembic_version SET version_num = '9999_future'"))
        db.session.commit()
        exit_code, lines = check(app)
        assert exit_code == 1
        assert lines_with(lines, "ERROR", "9999_future, which this version of Byline does not")
        db.engine.dispose()


def test_production_needs_a_long_secret_key(site, migrated_url):
    https = {"SITE_URL": "https://news.example.org", "PROXY_FIX_X_FOR": 1}
    exit_code, lines = check(make(site, migrated_url, SECRET_KEY="changeme", **https))
    assert exit_code == 1
    assert lines_with(lines, "OK", "Production: yes")
    assert lines_with(lines, "ERROR", "SECRET_KEY is only 8 characters long")

    # Outside production the same key is only a warning.
    exit_code, lines = check(make(site, migrated_url, SECRET_KEY="changeme"))
    assert exit_code == 0
    assert lines_with(lines, "WARNING", "SECRET_KEY is only 8 characters long")


def test_the_generated_secret_key_counts_as_set(site, migrated_url):
    app = make(site, migrated_url, SITE_URL="https://news.example.org", PROXY_FIX_X_FOR=1)
    key_file = site / "instance" / "secret_key"
    exit_code, lines = check(app)
    assert exit_code == 0, lines
    assert lines_with(lines, "OK", f"SECRET_KEY: generated in {key_file} (64 characters)")
    assert lines_with(lines, "OK", "Cookies: sent over HTTPS only")

    key_file.chmod(0o644)
    exit_code, lines = check(app)
    assert lines_with(lines, "WARNING", "other users of this machine can read")


def test_unwritable_folders_are_errors(site, migrated_url):
    blocker = site / "a-file"
    blocker.write_text("not a folder")
    app = make(site, migrated_url, SECRET_KEY=LONG_SECRET, UPLOADS_DIR=str(blocker / "uploads"))
    exit_code, lines = check(app)
    assert exit_code == 1
    assert lines_with(lines, "ERROR", f"UPLOADS_DIR: {blocker} is a file, not a folder")

    settings = {"SITE_URL": "https://news.example.org", "PAGE_FILES_DIR": str(blocker / "pages")}
    exit_code, lines = check(make(site, migrated_url, SECRET_KEY=LONG_SECRET, **settings))
    assert exit_code == 1
    assert lines_with(lines, "ERROR", f"PAGE_FILES_DIR: {blocker} is a file, not a folder")
    assert not lines_with(lines, "WARNING", "COOKIE_NAME")

    app = make(site, migrated_url, SECRET_KEY=LONG_SECRET)
    app.instance_path = str(blocker)
    exit_code, lines = check(app)
    assert exit_code == 1
    assert lines_with(lines, "ERROR", "Instance folder:")


def test_renamed_cookies_with_page_files_are_a_warning(site, migrated_url):
    settings = {"SITE_URL": "https://news.example.org", "PAGE_FILES_DIR": str(site / "pages")}
    app = make(site, migrated_url, SESSION_COOKIE_NAME="__Host-s", **settings)
    exit_code, lines = check(app)
    assert lines_with(lines, "WARNING", "SESSION_COOKIE_NAME is not “session”")
    assert not lines_with(lines, "WARNING", "REMEMBER_COOKIE_NAME")


def test_proxy_settings_are_judged_against_the_bind_address(site, migrated_url, monkeypatch):
    https = {"SITE_URL": "https://news.example.org", "SECRET_KEY": LONG_SECRET}
    exit_code, lines = check(make(site, migrated_url, **https))
    assert exit_code == 0
    assert lines_with(lines, "WARNING", "set FLASK_PROXY_FIX_X_FOR=1")

    exit_code, lines = check(make(site, migrated_url, PROXY_FIX_X_FOR=1, **https))
    assert lines_with(lines, "OK", "PROXY_FIX_X_FOR: trusting 1 reverse proxy")
    assert not lines_with(lines, "WARNING", "PROXY_FIX_X_FOR")

    monkeypatch.setenv("BYLINE_BIND", "0.0.0.0:8000")
    exit_code, lines = check(make(site, migrated_url, PROXY_FIX_X_FOR=1, **https))
    assert lines_with(lines, "WARNING", "while gunicorn listens on 0.0.0.0:8000 (BYLINE_BIND)")


def test_debug_mode_in_production_is_an_error(site, migrated_url, monkeypatch):
    app = make(
        site,
        migrated_url,
        SECRET_KEY=LONG_SECRET,
        PRODUCTION=True,
        SITE_URL="https://news.example.org",
        PROXY_FIX_X_FOR=1,
    )
    monkeypatch.setenv("FLASK_DEBUG", "1")  # what `flask --debug` sets
    exit_code, lines = check(app)
    assert exit_code == 1
    assert lines_with(lines, "ERROR", "Debug mode is on")


def imported_modules(path: Path) -> set[str]:
    modules = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            modules.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            modules.add(node.module)
            modules.update(f"{node.module}.{alias.name}" for alias in node.names)
    return modules


def test_pages_and_error_pages_do_not_import_the_operators_checks():
    """`flask check` is for operators; the health check and error pages reach the database
    and Redis through blog.reachability, which both share."""
    package = Path(blog.__file__).parent
    for path in [*sorted((package / "public").glob("*.py")), package / "errors.py"]:
        assert "blog.checks" not in imported_modules(path), path.name
