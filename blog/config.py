"""Default settings, and the checks that turn a setting Byline cannot use into one line."""

import logging
import re
from datetime import timedelta
from urllib.parse import urlsplit

import click
from flask import Config
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError


class Defaults:
    # SQLALCHEMY_DATABASE_URI is filled in by the factory (a file in instance/)
    # unless DATABASE_URL or instance/config.py names another database.
    SQLALCHEMY_ENGINE_OPTIONS: dict = {"pool_pre_ping": True}
    SQLITE_BUSY_TIMEOUT_MS = 15_000

    MAX_CONTENT_LENGTH = 16 * 1024 * 1024
    MAX_FORM_MEMORY_SIZE = 1024 * 1024
    UPLOADS_DIR = None  # default: instance/uploads
    IMPORT_REPORTS_DIR = None  # default: instance/imports (blog/importers/commands.py)
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    PERMANENT_SESSION_LIFETIME = timedelta(days=14)
    # "Keep me signed in" (blog/editor/auth.py): a dated token, re-issued on each use, so a
    # device left unused this long is signed out. Seconds are accepted too.
    REMEMBER_COOKIE_NAME = "remember_token"
    REMEMBER_COOKIE_DURATION = timedelta(days=30)
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    WTF_CSRF_TIME_LIMIT = None  # tied to the session instead of a clock

    PAGE_SIZE = 12
    FEED_SIZE = 20
    SITE_URL = None  # e.g. "https://news.example.org"; used where no request exists
    # Production: None = when SITE_URL is set and debug mode is off; True/False to say so.
    PRODUCTION = None
    # Session and remember-me cookies only over HTTPS. None = when SITE_URL (or
    # PREFERRED_URL_SCHEME) is https; True/False to say so.
    SECURE_COOKIES = None
    LOG_LEVEL = "INFO"  # the app's own log lines, written to standard output

    REDIS_URL = None
    # Behind a reverse proxy: how many proxies to trust for the client address and scheme
    # (X-Forwarded-For/-Proto/-Host). 0 = none, the right value when serving directly.
    PROXY_FIX_X_FOR = 0
    # Said explicitly: Flask-Limiter's one limiter object otherwise keeps the last app's
    # choice for the next app built in the same process.
    RATELIMIT_ENABLED = True
    SHARE_RATE_LIMIT = "30 per minute; 300 per day"  # counted shares per reader
    INVITATION_MAX_AGE = 72 * 3600  # seconds an invitation link stays valid (and used once)
    PASSWORD_RESET_MAX_AGE = 3600  # seconds a "Forgot password?" link stays valid (used once)

    # Whole public pages for anonymous readers (blog/pagecache.py): files shared by the
    # server's workers, or Redis when REDIS_URL is set. Changes show at once; counts lag <= TTL.
    PAGE_CACHE = True
    # Parts of pages every reader sees alike, kept between renders (blog/fragments.py);
    # independent of PAGE_CACHE, with its store, generations and TTL.
    FRAGMENT_CACHE = True
    FRAGMENT_CACHE_SIZE = 10_000  # fragments kept on disk (without Redis), beside the pages
    PAGE_CACHE_TTL = 60  # seconds
    PAGE_CACHE_SIZE = 2000  # pages kept on disk (without Redis)
    PAGE_CACHE_PREFIX = "byline:"  # Redis key prefix; give each site on one Redis its own
    # Default instance/page_cache_generation; the pages go in page_cache/ beside it.
    PAGE_CACHE_GENERATION_FILE = None
    # Behind nginx or Caddy: a folder where each cached page is also written as a file for
    # the proxy to serve (blog/pagefiles.py, deploy/nginx.conf). Needs SITE_URL. None = off.
    PAGE_FILES_DIR = None

    # Mail (blog/mail.py), sent by the worker. Without MAIL_SERVER, each message is
    # written to MAIL_OUTBOX_DIR (default instance/outbox/) as an .eml file instead.
    MAIL_SERVER = None
    MAIL_PORT = 25
    MAIL_USE_TLS = False  # STARTTLS after connecting (usually port 587)
    MAIL_USE_SSL = False  # TLS from the start (usually port 465)
    MAIL_USERNAME = None
    MAIL_PASSWORD = None
    MAIL_DEFAULT_SENDER = None  # "Newsroom <news@example.org>"; default noreply@ the site's host
    MAIL_TIMEOUT = 10  # seconds for each step of talking to the server
    MAIL_OUTBOX_DIR = None
    # Mail to readers who follow the site, a section or a topic (blog/services/mailings.py):
    # at most this many messages a minute, and the daily digest at this hour of the site's
    # clock (its time zone setting), 0 to 23.
    FOLLOW_MAIL_PER_MINUTE = 300
    FOLLOW_DIGEST_HOUR = 7

    # Background jobs (blog/jobs.py): a queue in JOBS_FILE (default instance/jobs.db), or
    # in Redis when REDIS_URL is set, under JOBS_NAME (give each site on one Redis its own).
    JOBS_FILE = None
    JOBS_NAME = "byline"


class ConfigError(click.ClickException):
    """A setting Byline cannot use, said in one line that names it.

    A ClickException, so `flask --app blog ...` prints it as "Error: ..." instead of a
    traceback; gunicorn's start hook (gunicorn.conf.py) logs it the same way and stops.
    """


DATABASE_EXAMPLES = "postgresql+psycopg://user:password@host:5432/byline or sqlite:////srv/byline/instance/byline.db"
ENGINES = {"postgresql": "PostgreSQL", "sqlite": "SQLite"}
HOST = re.compile(r"[^\s/?#@\\]+")


def finalize(config: Config) -> None:
    """Check and normalise the settings whose mistakes would otherwise show up later as a
    traceback (on the first request, or in workers that cannot boot), and derive the
    HTTPS-dependent ones from SITE_URL."""
    config["SQLALCHEMY_DATABASE_URI"] = checked_database_url(config["SQLALCHEMY_DATABASE_URI"])
    if config.get("REDIS_URL"):
        config["REDIS_URL"] = checked_redis_url(config["REDIS_URL"])
    if config.get("SITE_URL"):
        config["SITE_URL"] = checked_site_url(config["SITE_URL"])
        config["PREFERRED_URL_SCHEME"] = urlsplit(config["SITE_URL"]).scheme
    if config.get("PAGE_FILES_DIR") and not config.get("SITE_URL"):
        raise ConfigError(
            "PAGE_FILES_DIR needs SITE_URL: only the site's own address is written as files."
        )
    config["PROXY_FIX_X_FOR"] = whole_number("PROXY_FIX_X_FOR", config.get("PROXY_FIX_X_FOR"))
    for name in ("PRODUCTION", "SECURE_COOKIES"):
        if config.get(name) not in (None, True, False):
            raise ConfigError(f"{name} must be true or false, or unset to follow SITE_URL.")
    secure = config.get("SECURE_COOKIES")
    if secure is None:
        secure = config["PREFERRED_URL_SCHEME"] == "https" or bool(
            config.get("SESSION_COOKIE_SECURE")
        )
    config["SESSION_COOKIE_SECURE"] = config["REMEMBER_COOKIE_SECURE"] = bool(secure)
    config["REMEMBER_COOKIE_DURATION"] = timedelta(
        seconds=seconds_above_zero("REMEMBER_COOKIE_DURATION", config["REMEMBER_COOKIE_DURATION"])
    )
    config["INVITATION_MAX_AGE"] = seconds_above_zero(
        "INVITATION_MAX_AGE", config["INVITATION_MAX_AGE"]
    )
    config["PASSWORD_RESET_MAX_AGE"] = seconds_above_zero(
        "PASSWORD_RESET_MAX_AGE", config["PASSWORD_RESET_MAX_AGE"]
    )
    finalize_mail(config)
    level = str(config.get("LOG_LEVEL") or "INFO").upper()
    if level not in logging.getLevelNamesMapping():
        raise ConfigError("LOG_LEVEL must be one of DEBUG, INFO, WARNING, ERROR or CRITICAL.")
    config["LOG_LEVEL"] = level


def finalize_mail(config: Config) -> None:
    """The mail settings, in the types smtplib takes (environment values come as text)."""
    for name in ("MAIL_USE_TLS", "MAIL_USE_SSL"):
        value = config.get(name)
        if isinstance(value, str) and value.strip().lower() in ("true", "false", "1", "0", ""):
            value = value.strip().lower() in ("true", "1")
        if value not in (True, False, None):
            raise ConfigError(f"{name} must be true or false.")
        config[name] = bool(value)
    if config["MAIL_USE_TLS"] and config["MAIL_USE_SSL"]:
        raise ConfigError(
            "MAIL_USE_TLS and MAIL_USE_SSL are both on: use MAIL_USE_SSL for a server that "
            "speaks TLS at once (port 465), MAIL_USE_TLS for STARTTLS (port 587)."
        )
    port = whole_number("MAIL_PORT", config.get("MAIL_PORT"))
    if not 0 < port < 65536:
        raise ConfigError("MAIL_PORT must be a port number, 1 to 65535.")
    config["MAIL_PORT"] = port
    config["MAIL_TIMEOUT"] = seconds_above_zero("MAIL_TIMEOUT", config.get("MAIL_TIMEOUT"))
    if config.get("MAIL_SERVER"):
        config["MAIL_SERVER"] = str(config["MAIL_SERVER"]).strip()
    rate = whole_number("FOLLOW_MAIL_PER_MINUTE", config.get("FOLLOW_MAIL_PER_MINUTE"))
    if rate < 1:
        raise ConfigError("FOLLOW_MAIL_PER_MINUTE must be a whole number, 1 or more.")
    config["FOLLOW_MAIL_PER_MINUTE"] = rate
    hour = whole_number("FOLLOW_DIGEST_HOUR", config.get("FOLLOW_DIGEST_HOUR"))
    if hour > 23:
        raise ConfigError("FOLLOW_DIGEST_HOUR must be an hour of the day, 0 to 23.")
    config["FOLLOW_DIGEST_HOUR"] = hour


def is_production(config: Config, debug: bool) -> bool:
    """PRODUCTION when set; otherwise a site with a public address, not in debug mode."""
    if config.get("PRODUCTION") is not None:
        return bool(config["PRODUCTION"])
    return bool(config.get("SITE_URL")) and not debug


def checked_database_url(value: object) -> str:
    """The URL if SQLAlchemy can use it with an installed driver; never echoes a password."""
    text = str(value).strip()
    try:
        url = make_url(text)
    except ArgumentError:
        raise ConfigError(
            f"DATABASE_URL is not a database URL. Expected something like {DATABASE_EXAMPLES}."
        ) from None
    # A PostgreSQL URL without a driver means psycopg, the one Byline installs: `postgres://`
    # is what some hosting services hand out, and SQLAlchemy before 2.1 would read
    # `postgresql://` as psycopg2.
    if url.drivername in ("postgres", "postgresql"):
        url = url.set(drivername="postgresql+psycopg")
        text = url.render_as_string(hide_password=False)
    if url.get_backend_name() not in ENGINES:
        raise ConfigError(
            f"DATABASE_URL names '{url.drivername}', but Byline runs on PostgreSQL or SQLite: "
            f"use {DATABASE_EXAMPLES}."
        )
    try:
        url.get_dialect().import_dbapi()
    except NoSuchModuleError:
        raise ConfigError(
            f"DATABASE_URL names the unknown database driver '{url.drivername}': "
            f"use {DATABASE_EXAMPLES}."
        ) from None
    except ImportError as exc:
        raise ConfigError(
            f"DATABASE_URL needs the Python package '{exc.name}', which is not installed: "
            "for PostgreSQL use postgresql+psycopg://..."
        ) from None
    return text


def checked_redis_url(value: object) -> str:
    text = str(value).strip()
    parts = urlsplit(text)
    try:
        port = parts.port
        database = int(parts.path.strip("/") or 0)
    except ValueError:
        port = database = -1
    if parts.scheme not in ("redis", "rediss") or not parts.hostname or port == -1 or database < 0:
        raise ConfigError(
            "REDIS_URL is not a Redis URL: expected redis://host:6379/0 "
            "(redis://:password@host:6379/0 with a password, rediss:// for TLS)."
        )
    return text


def checked_site_url(value: object) -> str:
    text = str(value).strip()
    parts = urlsplit(text)
    try:
        parts.port  # noqa: B018  (raises ValueError for a port that is not a number)
        port_ok = True
    except ValueError:
        port_ok = False
    if (
        parts.scheme not in ("http", "https")
        or not parts.hostname
        or not HOST.fullmatch(parts.hostname)
        or not port_ok
        or parts.username is not None
        or parts.path not in ("", "/")
        or parts.query
        or parts.fragment
    ):
        raise ConfigError(
            "SITE_URL must be the site's public address, scheme and host only, like "
            "https://news.example.org."
        )
    return f"{parts.scheme}://{parts.netloc}"


def seconds_above_zero(name: str, value: object) -> int:
    """A duration setting, given in seconds or (in Python configuration) as a timedelta."""
    if isinstance(value, timedelta):
        value = int(value.total_seconds())
    text = str(value).strip()
    if isinstance(value, bool) or not text.isdigit() or int(text) < 1:
        raise ConfigError(f"{name} must be a whole number of seconds, 1 or more.")
    return int(text)


def whole_number(name: str, value: object) -> int:
    if isinstance(value, bool) or not str(value or 0).strip().isdigit():
        raise ConfigError(f"{name} must be a whole number, 0 or more.")
    return int(str(value or 0).strip())
