"""Is this Byline ready to serve? `flask --app blog check`, and the checks gunicorn runs at start.

Each check gives one finding per line: OK, WARNING (works, but probably not what you
want) or ERROR (the site will not work). Services are reached with short timeouts and
their own connections; passwords are never printed.

gunicorn's start check and the checks of the services it makes are in blog/startcheck.py.
"""

import os
import smtplib
import tempfile
from collections.abc import Iterator
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import with_appcontext
from sqlalchemy import select
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError

from blog.config import is_production
from blog.reachability import (
    TIMEOUT_SECONDS,
    short_reason,
    sqlite_file,
)
from blog.startcheck import (
    ERROR,
    OK,
    WARNING,
    Finding,
    database_findings,
    redis_findings,
)

MIN_SECRET_LENGTH = 32
LOOPBACK_BINDS = ("127.0.0.1:", "localhost:", "[::1]:", "unix:")
NEW_SECRET = "python3 -c 'import secrets; print(secrets.token_hex(32))'"
# A site has a handful of static pages; the check reads at most this many.
MAX_PAGES_CHECKED = 10_000


def worker_findings(app: Flask, production: bool) -> list[Finding]:
    """Has a worker (`flask --app blog worker`) beaten its heart lately? Without one, mail
    waits in the outbox and scheduled articles wait for the page cache's TTL. A worker
    never seen is a warning in production only: a new site in development may not have
    started one yet. One seen, then silent, is always a warning."""
    from blog.extensions import db
    from blog.jobs import WORKER_SEEN_WITHIN, last_seen
    from blog.models.base import utcnow

    start = "start `flask --app blog worker` (deploy/byline-worker.service)"
    with app.app_context():
        try:
            seen = last_seen()
        except SQLAlchemyError:
            return []  # the database findings say why
        finally:
            db.session.remove()
            db.engine.dispose()  # like the other checks, leave no connection behind
    if seen is None:
        return [
            Finding(
                WARNING if production else OK,
                f"Worker: none has run yet; mail waits in the outbox until one does: {start}.",
            )
        ]
    minutes = int((utcnow() - seen).total_seconds() // 60)
    if utcnow() - seen > WORKER_SEEN_WITHIN:
        return [
            Finding(
                WARNING,
                f"Worker: last seen {minutes} minute(s) ago; mail and scheduled articles "
                f"wait until one runs: {start}.",
            )
        ]
    return [Finding(OK, "Worker: running (seen within the last minutes).")]


def page_findings(app: Flask) -> list[Finding]:
    """Is a static page at an address one of the site's own routes answers (such as
    /corrections, added after a page there was imported)? Readers never reach it."""
    from blog.extensions import db
    from blog.models import Page
    from blog.services.pages import route_holding

    with app.app_context():
        try:
            rows = db.session.execute(
                select(Page.id, Page.slug, Page.title).order_by(Page.id).limit(MAX_PAGES_CHECKED)
            ).all()
            hidden = [(page_id, title, route_holding(slug)) for page_id, slug, title in rows]
        except SQLAlchemyError:
            return []  # the database findings say why
        finally:
            db.session.remove()
            db.engine.dispose()
    return [
        Finding(
            WARNING,
            f"Page “{title}” (id {page_id}): the site's own {path} answers at its address, "
            "so readers never see the page: give it another Address (slug) in the editor "
            f"(Pages, then “{title}”).",
        )
        for page_id, title, path in hidden
        if path is not None
    ]


def two_factor_findings(app: Flask) -> list[Finding]:
    """Authenticator secrets stored under another SECRET_KEY (a site moved without it):
    those accounts cannot sign in with a code until `flask reset-two-factor`."""
    from blog.extensions import db
    from blog.services.two_factor import unreadable_secrets

    with app.app_context():
        try:
            unreadable = unreadable_secrets()
        except SQLAlchemyError:
            return []  # the database findings say why
        finally:
            db.session.remove()
            db.engine.dispose()
    if not unreadable:
        return []
    return [
        Finding(
            WARNING,
            f"SECRET_KEY: {unreadable} account(s) set up their authenticator app under "
            "another key, so their codes and recovery codes cannot be checked: restore the "
            "old SECRET_KEY, or reset each with `flask --app blog reset-two-factor <e-mail>`.",
        )
    ]


def mail_findings(app: Flask, production: bool) -> list[Finding]:
    """Where mail goes: the SMTP server, which must answer, or files in instance/outbox/."""
    config = app.config
    server = config.get("MAIL_SERVER")
    if not server:
        return [
            Finding(
                WARNING if production else OK,
                "MAIL_SERVER: not set; mail is written to files in "
                f"{config.get('MAIL_OUTBOX_DIR') or Path(app.instance_path) / 'outbox'}"
                + (", never sent. Set MAIL_SERVER to send it." if production else "."),
            )
        ]
    label = f"{server}:{config['MAIL_PORT']}"
    try:
        kind = smtplib.SMTP_SSL if config["MAIL_USE_SSL"] else smtplib.SMTP
        with kind(server, config["MAIL_PORT"], timeout=TIMEOUT_SECONDS) as connection:
            connection.noop()
    except (OSError, smtplib.SMTPException) as exc:
        reason = short_reason(exc, config.get("MAIL_PASSWORD"))
        return [Finding(WARNING, f"MAIL_SERVER: cannot reach {label}, so mail waits: {reason}")]
    return [Finding(OK, f"MAIL_SERVER: {label} answers.")]


# ----- settings and folders -----


def secret_findings(app: Flask, production: bool) -> Iterator[Finding]:
    key = app.config.get("SECRET_KEY") or ""
    key_file = Path(app.instance_path) / "secret_key"
    try:
        generated = key_file.read_text().strip() == key
    except OSError:
        generated = False
    if generated:
        yield Finding(OK, f"SECRET_KEY: generated in {key_file} ({len(key)} characters).")
        if key_file.stat().st_mode & 0o077:
            yield Finding(
                WARNING,
                f"SECRET_KEY: other users of this machine can read {key_file}: `chmod 600` it.",
            )
        if app.config.get("REDIS_URL"):
            yield Finding(
                WARNING,
                "SECRET_KEY is generated per server while REDIS_URL is set: with several "
                "app servers, set the same SECRET_KEY on every one, or sign-ins and forms "
                "will fail when a reader moves between them.",
            )
    elif len(key) < MIN_SECRET_LENGTH:
        yield Finding(
            ERROR if production else WARNING,
            f"SECRET_KEY is only {len(key)} characters long: use at least "
            f"{MIN_SECRET_LENGTH} random ones, e.g. the output of `{NEW_SECRET}`.",
        )
    else:
        yield Finding(OK, f"SECRET_KEY: set ({len(key)} characters).")


def writable_problem(path: Path) -> str | None:
    """Why Byline could not write in this folder (or create it), or None."""
    existing = path
    while not existing.exists() and existing != existing.parent:
        existing = existing.parent
    if not existing.is_dir():
        return f"{existing} is a file, not a folder"
    try:
        with tempfile.TemporaryFile(dir=existing):
            pass
    except OSError as exc:
        return f"cannot write in {existing} ({exc.strerror})"
    return None


REMEMBER = "REMEMBER_COOKIE_NAME"


def page_file_findings(app: Flask) -> Iterator[Finding]:
    """The shipped nginx and Caddy files pass requests carrying these cookies to Byline
    by their default names; under other names, signed-in staff would get the copies."""
    for name, default in (("SESSION_COOKIE_NAME", "session"), (REMEMBER, "remember_token")):
        if app.config.get(name, default) != default:
            yield Finding(
                WARNING,
                f"{name} is not “{default}”: change the cookie name in the proxy's page-file "
                "rule too (deploy/nginx.conf, deploy/Caddyfile), or signed-in staff get "
                "the copies anonymous readers get.",
            )


def folder_findings(app: Flask) -> Iterator[Finding]:
    instance = Path(app.instance_path)
    folders = {
        "Instance folder": instance,
        "UPLOADS_DIR": Path(app.config["UPLOADS_DIR"]),
    }
    if app.config.get("PAGE_FILES_DIR"):  # the proxy serves what is written there
        folders["PAGE_FILES_DIR"] = Path(app.config["PAGE_FILES_DIR"])
        yield from page_file_findings(app)
    path = sqlite_file(make_url(app.config["SQLALCHEMY_DATABASE_URI"]))
    if path is not None and path.parent != instance.resolve():
        folders["DATABASE_URL folder"] = path.parent  # SQLite writes its journal beside it
    for name, folder in folders.items():
        problem = writable_problem(folder)
        if problem:
            yield Finding(ERROR, f"{name}: {problem}; Byline must be able to write in {folder}.")
        else:
            yield Finding(OK, f"{name}: {folder} is writable.")


def site_findings(app: Flask, production: bool) -> Iterator[Finding]:
    config = app.config
    site_url = config.get("SITE_URL")
    https = config["PREFERRED_URL_SCHEME"] == "https"
    if app.debug and (production or site_url):
        yield Finding(
            ERROR if production else WARNING,
            "Debug mode is on (FLASK_DEBUG): anyone who meets an error gets an interactive "
            "debugger. Never serve the public with it.",
        )
    if not site_url:
        yield Finding(
            WARNING if production else OK,
            "SITE_URL: not set; feeds and links take the host name each request names"
            + (". Set it to the public address." if production else "."),
        )
    elif not https:
        yield Finding(
            WARNING if production else OK,
            f"SITE_URL: {site_url} is not https://, so sign-ins travel unencrypted.",
        )
    else:
        yield Finding(OK, f"SITE_URL: {site_url}.")
    if https and not config["SESSION_COOKIE_SECURE"]:
        yield Finding(
            WARNING,
            "SECURE_COOKIES is off although the site is served over "
            "HTTPS: session cookies may travel unencrypted.",
        )
    elif config["SESSION_COOKIE_SECURE"]:
        yield Finding(OK, "Cookies: sent over HTTPS only.")
    if production and not config.get("RATELIMIT_ENABLED", True):
        yield Finding(
            WARNING, "RATELIMIT_ENABLED is off: sign-in, comment and share limits do not apply."
        )


def proxy_findings(app: Flask, production: bool) -> Iterator[Finding]:
    hops = app.config["PROXY_FIX_X_FOR"]
    bind = os.environ.get("BYLINE_BIND", "127.0.0.1:8000")
    private = bind.startswith(LOOPBACK_BINDS)
    if hops and not private:
        yield Finding(
            WARNING,
            f"PROXY_FIX_X_FOR is {hops} while gunicorn listens on {bind} (BYLINE_BIND): "
            "whoever reaches that address directly can claim any client address. Listen on "
            "127.0.0.1, or let only the proxy through the firewall.",
        )
    elif hops:
        yield Finding(OK, f"PROXY_FIX_X_FOR: trusting {hops} reverse proxy for client addresses.")
    elif production and private and app.config["PREFERRED_URL_SCHEME"] == "https":
        yield Finding(
            WARNING,
            "PROXY_FIX_X_FOR is 0, yet an https site served on 127.0.0.1 sits behind a "
            "reverse proxy: set FLASK_PROXY_FIX_X_FOR=1, or every reader shares the "
            "proxy's address in rate limits.",
        )
    else:
        yield Finding(OK, "PROXY_FIX_X_FOR: 0 (no reverse proxy trusted).")


def run_checks(app: Flask) -> list[Finding]:
    production = is_production(app.config, app.debug)
    findings = [
        Finding(
            OK,
            "Production: yes"
            if production
            else "Production: no, so production-only problems are warnings (production "
            "means SITE_URL set and debug mode off, or PRODUCTION=true).",
        ),
    ]
    findings += secret_findings(app, production)
    findings += site_findings(app, production)
    findings += proxy_findings(app, production)
    findings += folder_findings(app)
    database = database_findings(app)
    findings += database
    findings += redis_findings(app)
    findings += mail_findings(app, production)
    if not any(finding.level == ERROR for finding in database):
        findings += worker_findings(app, production)
        findings += page_findings(app)
        findings += two_factor_findings(app)
    return findings


@click.command("check")
@with_appcontext
def check_command() -> None:
    """Check the settings and the services they name; exit 1 if any is wrong."""
    findings = run_checks(current_app)
    for finding in findings:
        click.echo(finding.line())
    errors = sum(finding.level == ERROR for finding in findings)
    warnings = sum(finding.level == WARNING for finding in findings)
    if errors:
        click.echo(f"{errors} error(s), {warnings} warning(s): Byline is not ready to serve.")
        click.get_current_context().exit(1)
    click.echo(f"No errors, {warnings} warning(s).")
