"""How errors reach people: pages in the site's layout for every status a reader can meet,
and one plain line, not a traceback, when a `flask` command cannot reach the database."""

import sys
from contextlib import suppress
from urllib.parse import urlsplit

import click
import redis.exceptions
from flask import Flask, render_template, request
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import DisconnectionError, InterfaceError, OperationalError, SQLAlchemyError
from sqlalchemy.exc import TimeoutError as PoolTimeoutError
from werkzeug.exceptions import HTTPException, InternalServerError

from blog import fragments
from blog.domain import NotAllowed, NotFound
from blog.extensions import db
from blog.reachability import describe_database, describe_redis, short_reason

MESSAGES = {
    400: ("Bad request", "The request could not be understood. Please check it and try again."),
    403: ("Forbidden", "You do not have permission to do that."),
    404: ("Page not found", "We could not find that page. It may have moved or never existed."),
    405: ("Method not allowed", "That page does not accept this kind of request."),
    413: ("Too large", "What you sent is larger than this site accepts."),
    429: ("Too many requests", "You are going a little fast. Please wait a moment and try again."),
    500: ("Something went wrong", "An error occurred on our side. It has been logged."),
    503: (
        "Temporarily unavailable",
        "The site cannot reach its database just now. Please try again in a minute.",
    ),
}
# A database or Redis that cannot be reached (or a pool with no free connection): the
# site is down for a while, not broken, so the answer is 503 and the next request retries.
UNAVAILABLE = (
    OperationalError,
    InterfaceError,
    DisconnectionError,
    PoolTimeoutError,
    redis.exceptions.ConnectionError,
    redis.exceptions.TimeoutError,
)
RETRY_AFTER_SECONDS = 30


def render_error(code: int, description: str | None = None):
    title, message = MESSAGES.get(code, ("Error", "The request could not be completed."))
    if code >= 500:  # what renders now may be a fallback (no menus): keep none of it
        fragments.stop()
    try:
        body = render_template(
            "errors/error.html", code=code, title=title, message=description or message
        )
    except Exception:  # last resort: never a stack trace, never a second 500 page
        body = f"<!doctype html><title>{code} {title}</title><h1>{title}</h1><p>{message}</p>"
    return body, code


def unavailable():
    """The 503 page: try again shortly, and let no cache keep it."""
    body, code = render_error(503)
    return body, code, {"Retry-After": str(RETRY_AFTER_SECONDS), "Cache-Control": "no-store"}


def rollback() -> None:
    # When the connection is gone the rollback fails too; the session is discarded anyway.
    with suppress(SQLAlchemyError):
        db.session.rollback()


def register(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def csrf_error(error: CSRFError):
        return render_error(
            400,
            "This form has expired or did not come from this site. Go back, reload the page "
            "and send it again; copy any text you wrote first.",
        )

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        if error.code is None or error.code < 400:
            return error
        # Our own wording: Werkzeug's default descriptions are too technical for readers.
        # A rate limit may carry its own message (e.g. the login lockout).
        limit = getattr(error, "limit", None)
        custom = error.description if getattr(limit, "error_message", None) else None
        if error.code == 503:
            return unavailable()
        return render_error(error.code, custom)

    # What a service finds missing or refuses to this user, when the view lets it through.
    @app.errorhandler(NotFound)
    def not_found(error: NotFound):
        return render_error(404)

    @app.errorhandler(NotAllowed)
    def not_allowed(error: NotAllowed):
        return render_error(403)

    def service_unavailable(error: Exception):
        # One line, not a traceback per request: an outage is expected to pass.
        app.logger.error(
            "service unavailable on %s %s: %s", request.method, request.path, short_reason(error)
        )
        rollback()
        return unavailable()

    for error_class in UNAVAILABLE:
        app.register_error_handler(error_class, service_unavailable)

    @app.errorhandler(Exception)
    def unexpected_error(error: Exception):
        if isinstance(error, HTTPException):
            return http_error(error)
        app.logger.exception("unhandled error on %s %s", request.method, request.path)
        rollback()
        return render_error(InternalServerError.code)

    if click.get_current_context(silent=True) is not None:
        install_command_hook(app)


def install_command_hook(app: Flask) -> None:
    """In a `flask` command (init, db upgrade, demo...), a database or Redis that cannot be
    reached ends the command with one line naming the setting, not a traceback."""
    from sqlalchemy.engine import make_url

    database_url = make_url(app.config["SQLALCHEMY_DATABASE_URI"])
    database = describe_database(database_url)
    redis_url = app.config.get("REDIS_URL")
    redis_password = urlsplit(redis_url).password if redis_url else None
    previous = getattr(sys.excepthook, "byline_previous", sys.excepthook)

    def hook(kind, error, trace):
        if isinstance(error, SQLAlchemyError) and isinstance(error, UNAVAILABLE):
            line = f"DATABASE_URL: cannot use {database}: "
            line += short_reason(error, database_url.password)
        elif isinstance(error, UNAVAILABLE) and redis_url:
            line = f"REDIS_URL: cannot use {describe_redis(redis_url)}: "
            line += short_reason(error, redis_password)
        else:
            previous(kind, error, trace)
            return
        click.echo(f"Error: {line}", err=True)

    hook.byline_previous = previous
    sys.excepthook = hook
