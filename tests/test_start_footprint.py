"""What a start costs: gunicorn's start-up check runs in a child process and loads only the
settings, SQLAlchemy's core and the schema's revisions; a worker builds the app without
the libraries only some requests or commands need, with the garbage collector paused
meanwhile; and the default number of workers."""

import json
import os
import runpy
import subprocess
import sys
from pathlib import Path

import pytest
from alembic.config import Config
from alembic.script import ScriptDirectory
from flask_migrate import upgrade

from blog import create_app
from blog.extensions import db
from blog.startcheck import ERROR, OK, declared_heads, migrations_folder, schema_finding
from tests.test_startup import clean_env

ROOT = Path(__file__).resolve().parent.parent
SECRET = "footprint-test-secret-that-is-long-enough-12"
RUN_WITHIN = 120.0  # seconds for a child interpreter
# Loaded by the requests or commands that need them, never by building the app.
LAZY = ("webauthn", "huey", "confusable_homoglyphs.confusables", "bs4")
# What only the workers load: gunicorn's start check needs none of it.
APP_ONLY = ("blog.extensions", "blog.models", "flask_sqlalchemy", "alembic", "redis")


def child_env(tmp_path: Path) -> dict[str, str]:
    """Byline's settings for a child interpreter, its files in tmp_path."""
    return clean_env(
        tmp_path,
        FLASK_JOBS_FILE=str(tmp_path / "jobs.db"),
        FLASK_MAIL_OUTBOX_DIR=str(tmp_path / "outbox"),
    )


def run_python(code: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=RUN_WITHIN,
    )


@pytest.fixture
def migrated(tmp_path) -> dict[str, str]:
    """A site whose schema is the code's; the environment that names it."""
    env = child_env(tmp_path)
    app = create_app({"TESTING": True, "SECRET_KEY": SECRET, **_paths(env)})
    with app.app_context():
        upgrade()
        db.engine.dispose()
    return env


def _paths(env: dict[str, str]) -> dict[str, str]:
    return {
        "SQLALCHEMY_DATABASE_URI": env["DATABASE_URL"],
        "PAGE_CACHE_GENERATION_FILE": env["FLASK_PAGE_CACHE_GENERATION_FILE"],
        "UPLOADS_DIR": env["FLASK_UPLOADS_DIR"],
        "RATELIMIT_STORAGE_URI": env["FLASK_RATELIMIT_STORAGE_URI"],
    }


# A gunicorn master in all but the serving: gunicorn.conf.py read as gunicorn reads it,
# its start hook called with a server whose log is gunicorn's own logger.
MASTER = """
import json, runpy, sys, types
from gunicorn.config import Config
from gunicorn.glogging import Logger
conf = runpy.run_path("gunicorn.conf.py")
server = types.SimpleNamespace(log=Logger(Config()))
try:
    conf["on_starting"](server)
    outcome = "started"
except SystemExit as exc:
    outcome = f"refused {exc.code}"
print(json.dumps({"outcome": outcome, "byline": sorted(
    name for name in sys.modules if name == "blog" or name.startswith("blog."))}))
"""


def test_the_start_check_passes_without_byline_in_the_master(migrated):
    """The master stays free of Byline, so a HUP gives new workers new code."""
    result = run_python(MASTER, migrated)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout.splitlines()[-1]) == {"outcome": "started", "byline": []}


def test_the_start_check_refuses_outside_the_master_too(tmp_path):
    env = child_env(tmp_path)  # no database file yet: `flask init` was never run
    result = run_python(MASTER, env)
    assert json.loads(result.stdout.splitlines()[-1]) == {"outcome": "refused 1", "byline": []}
    assert "Byline cannot start: DATABASE_URL:" in result.stderr
    assert "flask --app blog init" in result.stderr


def test_the_start_check_loads_only_what_it_checks(migrated):
    code = (
        "import sys; from blog.startcheck import startup_report; code = startup_report(); "
        f"print(code, sorted(m for m in {APP_ONLY!r} if m in sys.modules))"
    )
    result = run_python(code, migrated)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1] == "0 []"


def test_building_the_app_leaves_the_occasional_libraries_unloaded(tmp_path):
    code = (
        "import sys, blog; blog.create_app(); "
        f"print(sorted(m for m in {LAZY!r} if m in sys.modules))"
    )
    result = run_python(code, child_env(tmp_path))
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1] == "[]"


def alembic_heads() -> set[str]:
    config = Config()
    config.set_main_option("script_location", str(migrations_folder()))
    return set(ScriptDirectory.from_config(config).get_heads())


def test_the_revisions_read_without_alembic_are_alembic_s():
    assert declared_heads(migrations_folder()) == alembic_heads()


def test_a_revision_given_as_code_is_left_to_alembic(tmp_path):
    (tmp_path / "versions").mkdir()
    (tmp_path / "versions" / "0001_a.py").write_text('revision = "0001"\ndown_revision = None\n')
    (tmp_path / "versions" / "0002_b.py").write_text(
        'revision = "".join(["0", "002"])\ndown_revision = "0001"\n'
    )
    assert declared_heads(tmp_path) is None
    (tmp_path / "versions" / "0002_b.py").write_text('revision = "0002"\ndown_revision = "0001"\n')
    assert declared_heads(tmp_path) == {"0002"}


def test_the_schema_verdicts_stand():
    heads = alembic_heads()
    (head,) = heads
    assert schema_finding(heads) == schema_finding({head})
    assert schema_finding(heads).level == OK
    assert "up to date" in schema_finding(heads).text
    older = schema_finding({"0001"})
    assert older.level == ERROR and "migration(s) not applied" in older.text
    assert "no Byline tables yet" in schema_finding(set()).text
    assert "does not know" in schema_finding({"9999"}).text


# A worker's life in gunicorn's hooks: forked, then given its app.
WORKER = """
import gc, json, runpy, types
import blog
conf = runpy.run_path("gunicorn.conf.py")
conf["post_fork"](None, None)
paused = not gc.isenabled()
worker = types.SimpleNamespace(wsgi=blog.create_app())
conf["post_worker_init"](worker)
print(json.dumps([paused, gc.isenabled(), gc.get_freeze_count() > 0]))
"""


def test_a_worker_builds_its_app_with_the_collector_paused_then_runs_with_it(tmp_path):
    result = run_python(WORKER, child_env(tmp_path))
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout.splitlines()[-1]) == [True, True, True]


def configured_workers(env: dict[str, str]) -> int:
    with pytest.MonkeyPatch.context() as patch:
        for name in ("BYLINE_WORKERS", "WEB_CONCURRENCY"):
            patch.delenv(name, raising=False)
        for name, value in env.items():
            patch.setenv(name, value)
        return runpy.run_path(str(ROOT / "gunicorn.conf.py"))["workers"]


def test_the_default_worker_count_is_one_per_core_plus_one():
    cores = len(os.sched_getaffinity(0))
    assert configured_workers({}) == cores + 1
    assert configured_workers({"BYLINE_WORKERS": "7"}) == 7
