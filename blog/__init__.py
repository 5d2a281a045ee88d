"""Byline: a self-hosted, server-rendered news blog. The application factory lives here."""

import logging
import os
import secrets
import sys
from pathlib import Path

from flask import Flask

ROOT = Path(__file__).resolve().parent.parent


def create_app(test_config: dict | None = None) -> Flask:
    """Build the app; reads configuration but never touches the database."""
    app = configured_app(test_config)
    register_extensions(app)
    register_blueprints(app)
    register_errorhandlers(app)
    register_security(app)
    register_template_helpers(app)
    register_commands(app)
    register_page_hits(app)  # after every hook it stands in for
    register_proxy(app)  # outermost: the page hits see the client's scheme and host
    return app


def configured_app(test_config: dict | None = None) -> Flask:
    """A Flask app with Byline's settings and nothing else: no views, no extensions (what
    gunicorn's start check needs)."""
    app = Flask(
        __name__,
        template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "static"),
        instance_path=str(ROOT / "instance"),
        instance_relative_config=True,
    )
    configure(app, test_config)
    return app


def configure(app: Flask, test_config: dict | None) -> None:
    """Layer the settings, fill in the instance defaults, and refuse unusable ones.

    A setting Byline cannot use raises ConfigError, one line naming the setting. Only
    its form is checked here: whether the database answers is for `flask --app blog
    check`, `flask --app blog init` and gunicorn's start hook.
    """
    from blog.config import ConfigError, Defaults, finalize

    app.config.from_object(Defaults)
    try:
        app.config.from_pyfile("config.py", silent=True)
    except Exception as exc:  # a mistake in the operator's Python file: name it, no traceback
        line = getattr(exc, "lineno", None)
        where = f" (line {line})" if line else ""
        raise ConfigError(
            f"{Path(app.instance_path) / 'config.py'}{where}: {type(exc).__name__}: {exc}"
        ) from exc
    app.config.from_prefixed_env()
    for env_name, key in (
        ("DATABASE_URL", "SQLALCHEMY_DATABASE_URI"),
        ("REDIS_URL", "REDIS_URL"),
        ("SECRET_KEY", "SECRET_KEY"),
    ):
        if os.environ.get(env_name):
            app.config[key] = os.environ[env_name]
    if test_config:
        app.config.update(test_config)

    instance = Path(app.instance_path)
    try:
        instance.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ConfigError(
            f"The instance folder {instance} cannot be created ({exc.strerror}): create it "
            "and let the user running Byline write in it."
        ) from exc
    app.config.setdefault("SQLALCHEMY_DATABASE_URI", f"sqlite:///{instance / 'byline.db'}")
    if not app.config.get("UPLOADS_DIR"):
        app.config["UPLOADS_DIR"] = str(instance / "uploads")
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = instance_secret_key(instance / "secret_key")
    finalize(app.config)
    if not app.config.get("RATELIMIT_STORAGE_URI"):
        app.config["RATELIMIT_STORAGE_URI"] = app.config.get("REDIS_URL") or (
            f"byline-sqlite://{instance / 'ratelimits.db'}"
        )
    configure_logging(app)


def instance_secret_key(path: Path) -> str:
    """Read the generated key in instance/, creating it once (safe across workers)."""
    from blog.config import ConfigError

    try:
        key = path.read_text().strip()
    except FileNotFoundError:
        key = None
    except OSError as exc:
        raise ConfigError(
            f"SECRET_KEY is not set and {path} cannot be read ({exc.strerror}): set "
            "SECRET_KEY, or let the user running Byline read that file."
        ) from exc
    if key:
        return key
    if key is not None:
        raise ConfigError(
            f"{path} is empty: set SECRET_KEY, or delete the file to have a new key "
            "generated (which signs everyone out)."
        )
    # Written in full under a private name, then linked into place: another worker sees
    # either no file or the whole key, and the first link wins.
    key = secrets.token_hex(32)
    draft = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
    try:
        fd = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as fh:
            fh.write(key + "\n")
        try:
            os.link(draft, path)
        except FileExistsError:
            return instance_secret_key(path)
        finally:
            draft.unlink()
    except OSError as exc:
        raise ConfigError(
            f"SECRET_KEY is not set and {path} cannot be written ({exc.strerror}): set "
            "SECRET_KEY, or let the user running Byline write in that folder."
        ) from exc
    return key


LOG_FORMAT = "[%(asctime)s] [%(process)d] [%(levelname)s] %(name)s: %(message)s"
LOG_DATE_FORMAT = "%Y-%m-%d %H:%M:%S %z"


class StdoutHandler(logging.StreamHandler):
    """Writes to whatever sys.stdout is at the time of each record."""

    def __init__(self):
        super().__init__(sys.stdout)

    @property
    def stream(self):
        return sys.stdout

    @stream.setter
    def stream(self, value) -> None:
        pass


def configure_logging(app: Flask) -> None:
    """The app's log on standard output, one line a record in gunicorn's layout.

    The logger is shared by every app in the process, so the handler is added once. Its
    lines go through the same redaction as gunicorn's access log: an error logged with a
    request's path never carries the token of an invitation link.
    """
    from flask.logging import default_handler

    from blog.accesslog import RedactSecrets

    logger = logging.getLogger(app.name)
    if not any(isinstance(handler, StdoutHandler) for handler in logger.handlers):
        handler = StdoutHandler()
        handler.setFormatter(logging.Formatter(LOG_FORMAT, LOG_DATE_FORMAT))
        handler.addFilter(RedactSecrets())
        logger.addHandler(handler)
    logger.removeHandler(default_handler)
    logger.setLevel(logging.DEBUG if app.debug else app.config["LOG_LEVEL"])


def register_proxy(app: Flask) -> None:
    """Trust the reverse proxy's X-Forwarded-* headers when configured to."""
    hops = int(app.config.get("PROXY_FIX_X_FOR") or 0)
    if hops:
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)


def register_page_hits(app: Flask) -> None:
    from blog import pagehits

    pagehits.init_app(app)  # page-cache hits answered in front of Flask


def register_extensions(app: Flask) -> None:
    from blog import compression, database, fragments, jobs, pagecache
    from blog.extensions import csrf, db, limiter, login_manager, migrate

    db.init_app(app)
    database.configure_engine_events()
    compression.init_app(app)  # before the page cache: its hook runs after the cache's
    pagecache.init_app(app)  # first: a cached page skips the other request hooks
    fragments.init_app(app)  # after the page cache, whose store and generations it uses
    jobs.init_app(app)  # the worker's queue, woken after a commit that wrote mail
    migrate.init_app(app, db, directory=str(ROOT / "migrations"), render_as_batch=True)
    csrf.init_app(app)
    limiter.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "editor.login"
    login_manager.login_message = "Please sign in to continue."
    login_manager.login_message_category = "info"

    from blog.models import User

    @login_manager.user_loader
    def load_user(user_id: str) -> User | None:
        ident, _, version = user_id.partition(":")
        if not ident.isdigit() or not version.isdigit():
            return None
        user = db.session.get(User, int(ident))
        if user is None or not user.active or user.session_version != int(version):
            return None
        return user


def register_blueprints(app: Flask) -> None:
    from blog.comments import confirm  # noqa: F401  (add /mail/comment/ to comments)
    from blog.comments.reports import bp as comment_reports_bp
    from blog.comments.views import bp as comments_bp
    from blog.editor import (  # noqa: F401  (each module adds its views to the blueprint)
        articles,
        audit,
        auth,
        dashboard,
        front,
        images,
        mail_actions,
        mail_admin,
        menus,
        moderation,
        notes,
        pages,
        passkeys,
        password_reset,
        people,
        preview,
        revisions,
        site_settings,
        subscribers,
        taxonomy,
        two_factor,
        welcome,
    )
    from blog.editor.blueprint import bp as editor_bp
    from blog.public import corrections as public_corrections  # noqa: F401  (/corrections)
    from blog.public import follow_links as follow_mail_links  # noqa: F401  (/mail/ pages)
    from blog.public import pages as public_pages  # noqa: F401  (add /<slug> to public)
    from blog.public import search, shares  # noqa: F401  (add /search and share POSTs to public)
    from blog.public.converters import IdConverter, SlugConverter
    from blog.public.feeds import bp as feeds_bp
    from blog.public.follow import bp as follow_bp
    from blog.public.views import bp as public_bp

    app.url_map.converters["slug"] = SlugConverter
    app.url_map.converters["int"] = IdConverter
    app.register_blueprint(public_bp)
    app.register_blueprint(feeds_bp)
    app.register_blueprint(editor_bp)
    app.register_blueprint(comments_bp)
    app.register_blueprint(comment_reports_bp)
    app.register_blueprint(follow_bp)


def register_errorhandlers(app: Flask) -> None:
    from blog.errors import register

    register(app)


def register_security(app: Flask) -> None:
    from blog import security

    security.register(app)  # CSP and the other security headers on every response


def register_template_helpers(app: Flask) -> None:
    from blog import assets, templating

    assets.register(app)  # static files under fingerprinted names
    templating.register(app)


def register_commands(app: Flask) -> None:
    from blog.cli import register

    register(app)
