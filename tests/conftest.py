"""Fixtures: an app per test on SQLite and on PostgreSQL, clients, users and builders."""

import os
import shutil
import uuid
from collections.abc import Callable, Iterator
from datetime import timedelta
from itertools import count

import psycopg
import pytest
from flask import Flask
from flask.testing import FlaskClient
from jinja2 import BytecodeCache
from sqlalchemy import event, text
from werkzeug.security import generate_password_hash

from blog import create_app
from blog.extensions import db
from blog.models import (
    Article,
    ArticleStatus,
    Comment,
    CommentStatus,
    Role,
    Section,
    Topic,
    User,
)
from blog.models.base import utcnow
from blog.services import counters
from tests import markers
from tests.mail_server import mail_app, smtp_server  # noqa: F401  (fixtures for every test)

PG_SERVER = os.environ.get("BYLINE_TEST_PG", "postgresql://postgres@127.0.0.1:5432/test")
DATABASES = os.environ.get("BYLINE_TEST_DATABASES", "sqlite,postgresql").split(",")
PASSWORD = "correct horse battery staple"
# Test accounts use a cheap hash: scrypt is deliberately slow, and these tests are about
# who may sign in, not about the hash (the services' own hashing is tested with scrypt).
PASSWORD_HASH = generate_password_hash(PASSWORD, method="pbkdf2:sha256:1000")


def pytest_collection_modifyitems(config, items) -> None:
    markers.apply(config, items, DATABASES)


@pytest.hookimpl(optionalhook=True)  # a hook of pytest-xdist
def pytest_xdist_make_scheduler(config, log):
    if config.getvalue("dist") == "loadscope":
        return markers.module_scheduler(config, log)
    return None


@pytest.fixture(scope="session", autouse=True)
def own_page_cache(tmp_path_factory) -> Iterator[None]:
    """An app made with the default settings keeps its page cache, job queue and unsent
    mail in this run's own folder (each xdist worker's), not in the checkout's instance/,
    shared with every other run."""
    folder = tmp_path_factory.mktemp("instance")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("FLASK_PAGE_CACHE_GENERATION_FILE", str(folder / "page_cache_generation"))
        patch.setenv("FLASK_JOBS_FILE", str(folder / "jobs.db"))
        patch.setenv("FLASK_MAIL_OUTBOX_DIR", str(folder / "outbox"))
        yield


def pg_url(database: str) -> str:
    base = PG_SERVER.rsplit("/", 1)[0].replace("postgresql://", "postgresql+psycopg://", 1)
    return f"{base}/{database}"


class TemporaryPostgres:
    """A throwaway database on the test server, created and dropped by the suite."""

    def __init__(self, name: str):
        self.name = name
        self.url = pg_url(name)

    def __enter__(self) -> "TemporaryPostgres":
        with psycopg.connect(PG_SERVER, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{self.name}"')
        return self

    def __exit__(self, *exc) -> None:
        with psycopg.connect(PG_SERVER, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')


@pytest.fixture(scope="session")
def postgres_database() -> Iterator[str]:
    """One PostgreSQL database for the session, its schema made by the migrations."""
    with TemporaryPostgres(f"byline_test_{os.getpid()}") as database:
        app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": database.url})
        with app.app_context():
            from flask_migrate import upgrade

            upgrade()
            db.engine.dispose()
        yield database.url


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory) -> str:
    """A SQLite file migrated once; each test gets a copy of it."""
    path = tmp_path_factory.mktemp("template") / "byline.db"
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{path}"})
    with app.app_context():
        from flask_migrate import upgrade

        upgrade()
        db.session.execute(text("PRAGMA wal_checkpoint(TRUNCATE)"))
        db.engine.dispose()
    return str(path)


@pytest.fixture(params=DATABASES)
def live_database(request, tmp_path) -> Iterator[str]:
    """An empty database of its own (not the shared test one) for a live-server test."""
    if request.param == "postgresql":
        with TemporaryPostgres(f"byline_live_{os.getpid()}") as database:
            yield database.url
    else:
        yield f"sqlite:///{tmp_path / 'live.db'}"


def truncate_all() -> None:
    tables = ", ".join(f'"{t.name}"' for t in db.metadata.sorted_tables)
    db.session.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
    db.session.commit()


class RequestScopedClient(FlaskClient):
    """Each request gets its own app context (and so its own session and `g`), as in
    production, even though the test itself holds an app context for its builders."""

    def open(self, *args, **kwargs):
        with self.application.app_context():
            return super().open(*args, **kwargs)


class CompiledTemplates(BytecodeCache):
    """Templates compiled once for the run: every test has an app (and a Jinja environment)
    of its own, which would compile each template it renders again. A template edited
    during the run no longer matches its checksum and is compiled afresh."""

    def __init__(self):
        self.compiled: dict[str, bytes] = {}

    def load_bytecode(self, bucket) -> None:
        if bucket.key in self.compiled:
            bucket.bytecode_from_string(self.compiled[bucket.key])

    def dump_bytecode(self, bucket) -> None:
        self.compiled[bucket.key] = bucket.bytecode_to_string()


COMPILED_TEMPLATES = CompiledTemplates()


@pytest.fixture(params=DATABASES)
def app(request, tmp_path) -> Iterator[Flask]:
    config = {
        "TESTING": True,
        "SECRET_KEY": "test-secret",
        "WTF_CSRF_ENABLED": False,
        "UPLOADS_DIR": str(tmp_path / "uploads"),
        "IMPORT_REPORTS_DIR": str(tmp_path / "imports"),
        "SERVER_NAME": "byline.test",
        "RATELIMIT_STORAGE_URI": f"byline-sqlite://{tmp_path / 'ratelimits.db'}",
        "PAGE_CACHE_GENERATION_FILE": str(tmp_path / "page_cache_generation"),
    }
    if request.param == "postgresql":
        config["SQLALCHEMY_DATABASE_URI"] = request.getfixturevalue("postgres_database")
    else:
        database = tmp_path / "byline.db"
        shutil.copyfile(request.getfixturevalue("sqlite_template"), database)
        config["SQLALCHEMY_DATABASE_URI"] = f"sqlite:///{database}"
    app = create_app(config)
    app.test_client_class = RequestScopedClient
    app.jinja_env.bytecode_cache = COMPILED_TEMPLATES
    with app.app_context():
        try:
            yield app
        finally:
            db.session.remove()
            if request.param == "postgresql":
                truncate_all()
            db.engine.dispose()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def login(client) -> Callable:
    """Sign a user in through the login form: `login(user)`."""

    def sign_in(user: User, password: str = PASSWORD):
        response = client.post("/editor/login", data={"email": user.email, "password": password})
        assert response.status_code == 302, response.get_data(as_text=True)
        return response

    return sign_in


@pytest.fixture
def author(make_user) -> User:
    return make_user(Role.AUTHOR, name="Ada Author")


@pytest.fixture
def editor(make_user) -> User:
    return make_user(Role.EDITOR, name="Eddie Editor")


@pytest.fixture
def admin(make_user) -> User:
    return make_user(Role.ADMIN, name="Alma Admin")


class QueryCounter:
    def __init__(self):
        self.statements: list[str] = []

    def __call__(self, conn, cursor, statement, parameters, context, executemany):
        self.statements.append(statement)

    @property
    def count(self) -> int:
        return len(self.statements)


@pytest.fixture
def count_queries(app) -> Callable:
    """Use as `with count_queries() as counter:` then read counter.count."""
    from contextlib import contextmanager

    @contextmanager
    def counting():
        counter = QueryCounter()
        event.listen(db.engine, "before_cursor_execute", counter)
        try:
            yield counter
        finally:
            event.remove(db.engine, "before_cursor_execute", counter)

    return counting


_serial = count(1)


@pytest.fixture
def make_user(app) -> Callable[..., User]:
    def build(role: Role = Role.AUTHOR, name: str | None = None, **fields) -> User:
        n = next(_serial)
        name = name or f"Writer {n}"
        user = User(
            email=fields.pop("email", f"user{n}@byline.test"),
            display_name=name,
            slug=fields.pop("slug", f"writer-{n}"),
            role=role,
            password_hash=PASSWORD_HASH,
            **fields,
        )
        db.session.add(user)
        db.session.commit()
        return user

    return build


@pytest.fixture
def make_section(app) -> Callable[..., Section]:
    def build(name: str | None = None, **fields) -> Section:
        n = next(_serial)
        section = Section(name=name or f"Section {n}", slug=fields.pop("slug", f"section-{n}"))
        for key, value in fields.items():
            setattr(section, key, value)
        db.session.add(section)
        db.session.commit()
        return section

    return build


@pytest.fixture
def make_topic(app) -> Callable[..., Topic]:
    def build(name: str | None = None, **fields) -> Topic:
        n = next(_serial)
        topic = Topic(name=name or f"Topic {n}", slug=fields.pop("slug", f"topic-{n}"), **fields)
        db.session.add(topic)
        db.session.commit()
        return topic

    return build


@pytest.fixture
def make_article(app, make_user, make_section) -> Callable[..., Article]:
    """A published article by default; pass status/published_at for others."""

    defaults = {}

    def build(title: str | None = None, body: str = "Some words of body text.", **fields):
        n = next(_serial)
        title = title or f"Article number {n}"
        fields.setdefault("status", ArticleStatus.PUBLISHED)
        if fields["status"] == ArticleStatus.PUBLISHED:
            # Each new article is a minute older than the one before, within this test.
            defaults["made"] = defaults.get("made", 0) + 1
            fields.setdefault("published_at", utcnow() - timedelta(minutes=defaults["made"]))
            fields.setdefault("updated_at", fields["published_at"])
        if "author" not in fields:
            fields["author"] = defaults.get("author") or defaults.setdefault("author", make_user())
        if "section" not in fields:
            fields["section"] = defaults.get("section") or defaults.setdefault(
                "section", make_section()
            )
        fields.setdefault("brief", f"The brief of {title}.")
        article = Article(title=title, slug=fields.pop("slug", f"article-{n}"), **fields)
        article.set_body(body)
        db.session.add(article)
        db.session.commit()
        return article

    return build


@pytest.fixture
def make_comment(app) -> Callable[..., Comment]:
    def build(article: Article, body: str = "A thoughtful comment.", **fields) -> Comment:
        n = next(_serial)
        parent = fields.get("parent")
        fields.setdefault("status", CommentStatus.APPROVED)
        fields.setdefault("author_name", f"Reader {n}")
        fields.setdefault("depth", parent.depth + 1 if parent else 1)
        comment = Comment(article=article, **fields)
        comment.set_body(body)
        db.session.add(comment)
        db.session.flush()
        counters.refresh_article_counters([article.id])
        db.session.commit()
        return comment

    return build


@pytest.fixture
def second_worker(app) -> Iterator[Callable[..., Flask]]:
    """Another app on the same database and settings: a second worker or server."""
    made: list[Flask] = []

    def build(app: Flask, **config) -> Flask:
        made.append(create_app({**app.config, **config}))
        return made[-1]

    yield build
    for other in made:
        with other.app_context():
            db.session.remove()
            db.engine.dispose()


@pytest.fixture
def redis_config():
    """Settings for an app on this machine's Redis, under a prefix of its own."""
    return {
        "REDIS_URL": "redis://127.0.0.1:6379/0",
        "PAGE_CACHE_PREFIX": f"byline-test-{uuid.uuid4().hex}:",
    }
