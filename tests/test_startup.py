"""Starting Byline: unusable settings and unreachable services stop `flask` commands and
gunicorn with one line naming the setting; production settings follow SITE_URL."""

import logging
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from alembic.script import ScriptDirectory
from flask_migrate import upgrade

import blog
from blog import create_app
from blog.config import ConfigError
from blog.extensions import db
from tests.conftest import pg_url
from tests.live_server import free_port

ROOT = Path(__file__).resolve().parent.parent
FLASK = Path(sys.executable).parent / "flask"
GUNICORN = Path(sys.executable).parent / "gunicorn"
SECRET = "startup-test-secret-that-is-long-enough-1234"
EXIT_WITHIN = 60.0  # seconds for a refusing command to exit


def clean_env(tmp_path: Path, **settings: str) -> dict:
    """The environment minus any Byline settings of the caller, with data kept in tmp_path."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("FLASK_") and key not in ("DATABASE_URL", "REDIS_URL", "SECRET_KEY")
    }
    env.update(
        SECRET_KEY=SECRET,
        DATABASE_URL=f"sqlite:///{tmp_path / 'byline.db'}",
        FLASK_UPLOADS_DIR=str(tmp_path / "uploads"),
        FLASK_RATELIMIT_STORAGE_URI=f"byline-sqlite://{tmp_path / 'ratelimits.db'}",
        FLASK_PAGE_CACHE_GENERATION_FILE=str(tmp_path / "page_cache_generation"),
    )
    env.update(settings)
    return env


def run(command: list[str], env: dict) -> subprocess.CompletedProcess:
    return subprocess.run(
        command,
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=EXIT_WITHIN,
    )


def flask(env: dict, *args: str) -> subprocess.CompletedProcess:
    return run([str(FLASK), "--app", "blog", *args], env)


def gunicorn(env: dict) -> subprocess.CompletedProcess:
    port = free_port()
    command = [str(GUNICORN), "-c", "gunicorn.conf.py", "--bind", f"127.0.0.1:{port}"]
    return run([*command, "--workers", "2", "blog:create_app()"], env)


def one_error_line(result: subprocess.CompletedProcess) -> str:
    """The command failed and said why in exactly one line, without a traceback."""
    output = (result.stdout + result.stderr).strip()
    assert result.returncode != 0, output
    assert "Traceback" not in output, output
    lines = output.splitlines()
    assert len(lines) == 1, output
    return lines[0]


def refused_database_url() -> str:
    # A port nobody listens on: the connection is refused at once.
    return f"postgresql+psycopg://byline:hunter2@127.0.0.1:{free_port()}/byline"


BAD_DATABASE_URLS = {
    "malformed": ("nonsense", "is not a database URL"),
    "unknown driver": ("postgresql+nodriver://byline@127.0.0.1/byline", "unknown database driver"),
    "missing package": ("postgresql+asyncpg://byline@127.0.0.1/byline", "'asyncpg'"),
    "another engine": ("mysql://byline@127.0.0.1/byline", "PostgreSQL or SQLite"),
}


@pytest.mark.parametrize("case", BAD_DATABASE_URLS, ids=list(BAD_DATABASE_URLS))
def test_init_names_a_malformed_database_url_in_one_line(tmp_path, case):
    url, words = BAD_DATABASE_URLS[case]
    line = one_error_line(flask(clean_env(tmp_path, DATABASE_URL=url), "init"))
    assert line.startswith("Error: DATABASE_URL") and words in line


def test_init_names_an_unreachable_database_without_its_password(tmp_path):
    url = refused_database_url()
    line = one_error_line(flask(clean_env(tmp_path, DATABASE_URL=url), "init"))
    assert line.startswith("Error: DATABASE_URL: cannot use PostgreSQL at 127.0.0.1:")
    assert "Connection refused" in line
    assert "hunter2" not in line


def test_db_upgrade_names_an_unknown_host_in_one_line(tmp_path):
    url = "postgresql+psycopg://byline@no-such-host.invalid/byline"
    line = one_error_line(flask(clean_env(tmp_path, DATABASE_URL=url), "db", "upgrade"))
    assert "DATABASE_URL" in line and "no-such-host.invalid" in line


@pytest.mark.parametrize(
    "setting, value",
    [
        ("REDIS_URL", "http://127.0.0.1:6379"),
        ("REDIS_URL", "redis://127.0.0.1:notaport/0"),
        ("FLASK_SITE_URL", "news.example.org"),
        ("FLASK_SITE_URL", "https://news.example.org/blog"),
        ("FLASK_PROXY_FIX_X_FOR", "yes"),
        ("FLASK_LOG_LEVEL", "LOUD"),
    ],
)
def test_malformed_settings_stop_every_command_in_one_line(tmp_path, setting, value):
    line = one_error_line(flask(clean_env(tmp_path, **{setting: value}), "check"))
    assert setting.removeprefix("FLASK_") in line


def test_gunicorn_refuses_to_start_when_the_database_is_unreachable(tmp_path):
    result = gunicorn(clean_env(tmp_path, DATABASE_URL=refused_database_url()))
    assert result.returncode != 0
    assert "Traceback" not in result.stdout + result.stderr
    errors = [line for line in result.stderr.splitlines() if "[ERROR]" in line]
    assert len(errors) == 1, result.stderr
    assert "Byline cannot start: DATABASE_URL: cannot connect to PostgreSQL" in errors[0]
    assert "hunter2" not in result.stderr
    assert "Booting worker" not in result.stderr  # it stopped before forking any


@pytest.mark.parametrize(
    "settings, words",
    [
        ({"DATABASE_URL": "nonsense"}, "DATABASE_URL is not a database URL"),
        ({"REDIS_URL": "redis://127.0.0.1:{port}/0"}, "REDIS_URL: cannot reach Redis"),
    ],
    ids=["malformed database", "unreachable redis"],
)
def test_gunicorn_refuses_to_start_on_a_bad_setting(tmp_path, settings, words):
    settings = {key: value.format(port=free_port()) for key, value in settings.items()}
    env = clean_env(tmp_path, **settings)
    if "REDIS_URL" in settings:
        refused = flask(env, "init")  # init refuses too, in the same one line
        assert refused.returncode == 1 and words in refused.stderr
        assert "Traceback" not in refused.stderr
        without_redis = {key: value for key, value in env.items() if key != "REDIS_URL"}
        assert flask(without_redis, "init").returncode == 0  # so only Redis stops gunicorn
    result = gunicorn(env)
    assert result.returncode != 0
    assert "Traceback" not in result.stdout + result.stderr
    errors = [line for line in result.stderr.splitlines() if "[ERROR]" in line]
    assert len(errors) == 1 and words in errors[0], result.stderr
    assert "Booting worker" not in result.stderr


def first_revision() -> str:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(ROOT / "migrations"))
    return ScriptDirectory.from_config(config).get_base()


def test_pending_migrations_stop_gunicorn_until_init_applies_them(tmp_path):
    database = f"sqlite:///{tmp_path / 'byline.db'}"
    app = create_app({"TESTING": True, "SECRET_KEY": SECRET, "SQLALCHEMY_DATABASE_URI": database})
    with app.app_context():
        upgrade(revision=first_revision())
        db.engine.dispose()
    env = clean_env(tmp_path)

    refused = gunicorn(env)
    assert refused.returncode != 0
    assert "migration(s) not applied" in refused.stderr
    assert "flask --app blog db upgrade" in refused.stderr

    # `make run` and `make serve` run `flask init` first: it applies them.
    init = flask(env, "init")
    assert init.returncode == 0, init.stderr
    assert "schema is up to date" in init.stdout
    check = flask(env, "check")
    assert "OK       Database schema: up to date" in check.stdout, check.stdout


def test_app_log_lines_go_to_stdout_once(tmp_path):
    """The app's log lines reach stdout in gunicorn's layout, each once however many apps
    the process built."""
    env = clean_env(tmp_path)
    code = (
        "import blog; a = blog.create_app(); b = blog.create_app(); "
        "b.logger.info('hello from byline')"
    )
    result = run([sys.executable, "-c", code], env)
    assert result.returncode == 0, result.stderr
    lines = [line for line in result.stdout.splitlines() if "hello from byline" in line]
    assert len(lines) == 1, result.stdout
    assert "[INFO] blog: hello from byline" in lines[0]
    assert "hello from byline" not in result.stderr


# ----- configure(): production settings, in process -----


@pytest.fixture
def instance_dir(tmp_path, monkeypatch):
    monkeypatch.setattr(blog, "ROOT", tmp_path)
    for name in list(os.environ):
        if name.startswith("FLASK_") or name in ("DATABASE_URL", "REDIS_URL", "SECRET_KEY"):
            monkeypatch.delenv(name)
    return tmp_path / "instance"


def test_https_site_url_sets_the_scheme_and_secure_cookies(instance_dir):
    app = create_app({"SITE_URL": "https://news.example.org/"})
    assert app.config["SITE_URL"] == "https://news.example.org"
    assert app.config["PREFERRED_URL_SCHEME"] == "https"
    assert app.config["SESSION_COOKIE_SECURE"] and app.config["REMEMBER_COOKIE_SECURE"]

    plain = create_app({"SITE_URL": "http://127.0.0.1:5000"})
    assert plain.config["PREFERRED_URL_SCHEME"] == "http"
    assert not plain.config["SESSION_COOKIE_SECURE"]
    assert not create_app().config["SESSION_COOKIE_SECURE"]


def test_secure_cookies_can_be_set_either_way(instance_dir, monkeypatch):
    off = create_app({"SITE_URL": "https://news.example.org", "SECURE_COOKIES": False})
    assert not off.config["SESSION_COOKIE_SECURE"]
    monkeypatch.setenv("FLASK_SECURE_COOKIES", "true")
    app = create_app()
    assert app.config["SESSION_COOKIE_SECURE"] and app.config["REMEMBER_COOKIE_SECURE"]


def test_session_cookie_is_marked_secure_under_https(instance_dir, monkeypatch):
    from flask import session

    app = create_app({"SITE_URL": "https://news.example.org", "SECRET_KEY": "x" * 40})
    app.add_url_rule("/set", "set", lambda: session.update(seen=True) or "ok")
    cookie = app.test_client().get("/set", base_url="https://news.example.org")
    assert "Secure" in cookie.headers["Set-Cookie"]


def test_postgres_scheme_is_read_as_psycopg(instance_dir):
    app = create_app({"SQLALCHEMY_DATABASE_URI": pg_url("x").replace("+psycopg", "", 1)})
    assert app.config["SQLALCHEMY_DATABASE_URI"] == pg_url("x")
    app = create_app({"SQLALCHEMY_DATABASE_URI": "postgres://u:p@127.0.0.1:5432/x"})
    assert app.config["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://u:p@127.0.0.1:5432/x"


def test_a_broken_instance_config_is_named_in_one_line(instance_dir):
    instance_dir.mkdir()
    (instance_dir / "config.py").write_text("SITE_URL = 'https://news.example.org\n")
    with pytest.raises(ConfigError) as raised:
        create_app()
    assert "config.py (line 1): SyntaxError" in raised.value.format_message()


def test_an_unreadable_secret_key_file_is_named(instance_dir):
    (instance_dir / "secret_key").mkdir(parents=True)  # a folder where the key should be
    with pytest.raises(ConfigError) as raised:
        create_app()
    assert "SECRET_KEY is not set" in raised.value.format_message()


def test_an_empty_secret_key_file_is_refused(instance_dir):
    instance_dir.mkdir()
    (instance_dir / "secret_key").write_text("")
    with pytest.raises(ConfigError, match="is empty"):
        create_app()


def test_the_secret_key_is_created_once_by_racing_processes(instance_dir, tmp_path):
    """Several workers starting together all end up with the same, complete key."""
    code = "import blog, sys; blog.ROOT = __import__('pathlib').Path(sys.argv[1]); "
    code += "print(blog.create_app().config['SECRET_KEY'])"
    env = {k: v for k, v in os.environ.items() if k != "SECRET_KEY"}
    workers = [
        subprocess.Popen(
            [sys.executable, "-c", code, str(tmp_path)],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            text=True,
        )
        for _ in range(6)
    ]
    deadline = time.monotonic() + EXIT_WITHIN
    keys = {w.communicate(timeout=max(1, deadline - time.monotonic()))[0].strip() for w in workers}
    assert keys == {(instance_dir / "secret_key").read_text().strip()}
    assert len(keys.pop()) == 64
    # No draft key files left behind (the page and fragment caches make their folders).
    caches = ("page_cache", "fragment_cache")
    assert sorted(p.name for p in instance_dir.iterdir() if p.name not in caches) == ["secret_key"]


def test_log_level_is_configurable_and_handlers_are_not_repeated(instance_dir):
    create_app()
    app = create_app({"LOG_LEVEL": "warning"})
    logger = logging.getLogger("blog")
    assert logger.level == logging.WARNING
    assert sum(type(h).__name__ == "StdoutHandler" for h in logger.handlers) == 1
    from flask.logging import default_handler

    assert default_handler not in app.logger.handlers
