"""The app factory: layered configuration, the generated secret key, no database at start."""

import os
import re
import stat

import pytest

import blog
from blog import create_app


@pytest.fixture
def instance_dir(tmp_path, monkeypatch):
    """Point the factory at a throwaway instance folder."""
    monkeypatch.setattr(blog, "ROOT", tmp_path)
    for name in ("DATABASE_URL", "REDIS_URL", "SECRET_KEY", "FLASK_PAGE_SIZE"):
        monkeypatch.delenv(name, raising=False)
    (tmp_path / "templates").mkdir()
    (tmp_path / "static").mkdir()
    return tmp_path / "instance"


def test_secret_key_is_generated_once_and_kept(instance_dir):
    first = create_app().config["SECRET_KEY"]
    second = create_app().config["SECRET_KEY"]
    key_file = instance_dir / "secret_key"
    assert first == second == key_file.read_text().strip()
    assert len(first) == 64
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600


def test_default_database_is_a_file_in_instance(instance_dir):
    app = create_app()
    assert app.config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{instance_dir / 'byline.db'}"
    assert app.config["UPLOADS_DIR"] == str(instance_dir / "uploads")


def test_instance_config_then_environment(instance_dir, monkeypatch):
    instance_dir.mkdir()
    (instance_dir / "config.py").write_text(
        "PAGE_SIZE = 7\nSECRET_KEY = 'from-file'\nSITE_URL = 'https://file.example'\n"
    )
    app = create_app()
    assert app.config["PAGE_SIZE"] == 7
    assert app.config["SECRET_KEY"] == "from-file"

    monkeypatch.setenv("FLASK_PAGE_SIZE", "9")
    monkeypatch.setenv("SECRET_KEY", "from-env")
    monkeypatch.setenv("DATABASE_URL", "postgresql+psycopg://u@127.0.0.1/x")
    monkeypatch.setenv("REDIS_URL", "redis://127.0.0.1:6379/3")
    app = create_app()
    assert app.config["PAGE_SIZE"] == 9
    assert app.config["SECRET_KEY"] == "from-env"
    assert app.config["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://u@127.0.0.1/x"
    assert app.config["REDIS_URL"] == "redis://127.0.0.1:6379/3"
    assert app.config["SITE_URL"] == "https://file.example"
    assert not (instance_dir / "secret_key").exists()


def test_test_config_wins(instance_dir, monkeypatch):
    monkeypatch.setenv("FLASK_PAGE_SIZE", "9")
    assert create_app({"PAGE_SIZE": 3}).config["PAGE_SIZE"] == 3


def test_creating_the_app_never_touches_the_database(instance_dir, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgresql+psycopg://nobody@127.0.0.1:1/missing")
    app = create_app()
    assert app.name == "blog"
    assert not (instance_dir / "byline.db").exists()
    create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{instance_dir / 'lazy.db'}"})
    assert not (instance_dir / "lazy.db").exists()


def test_templates_and_static_come_from_the_repository_root():
    app = create_app({"SECRET_KEY": "x"})
    root = os.path.dirname(os.path.dirname(blog.__file__))
    assert app.template_folder == os.path.join(root, "templates")
    assert app.static_folder == os.path.join(root, "static")


def test_sqlite_connections_use_wal_foreign_keys_and_a_busy_timeout(tmp_path):
    from sqlalchemy import text

    from blog.extensions import db

    app = create_app({"SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/p.db"})
    with app.app_context(), db.engine.connect() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert conn.execute(text("PRAGMA busy_timeout")).scalar() == 15_000
    with app.app_context():
        db.engine.dispose()


def test_static_urls_are_fingerprinted(app, client):
    html = client.get("/").get_data(as_text=True)
    assert re.search(r'href="/static/css/site\.[0-9a-f]{12}\.css"', html)


def test_proxy_headers_are_trusted_only_when_configured(tmp_path):
    from flask import request

    def seen_address(config):
        app = create_app({"SECRET_KEY": "x", **config})
        app.add_url_rule("/whoami", "whoami", lambda: request.remote_addr or "")
        response = app.test_client().get(
            "/whoami",
            headers={"X-Forwarded-For": "203.0.113.9"},
            environ_base={"REMOTE_ADDR": "127.0.0.1"},
        )
        return response.get_data(as_text=True)

    assert seen_address({}) == "127.0.0.1"
    assert seen_address({"PROXY_FIX_X_FOR": 1}) == "203.0.113.9"
