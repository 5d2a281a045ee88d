"""Template globals and filters: fingerprinted static URLs, dates, site settings."""

from datetime import datetime
from urllib.parse import urlsplit

from flask import Flask, current_app, has_request_context, request, url_for
from sqlalchemy.exc import SQLAlchemyError

from blog import avatars, pagecache, permissions
from blog.assets import asset_url
from blog.extensions import db
from blog.models.base import utcnow
from blog.services import settings
from blog.services.settings import site_timezone
from blog.services.shares import NETWORK_LABELS, share_url


def local_time(value: datetime) -> datetime:
    try:
        return value.astimezone(site_timezone())
    except OverflowError:  # a date at the calendar's edge: show it in UTC
        return value


def long_date(value: datetime | None) -> str:
    """ "June 21, 2025" in the site's timezone."""
    if value is None:
        return ""
    local = local_time(value)
    return f"{local:%B} {local.day}, {local.year}"


def local_clock(value: datetime | None) -> str:
    """ "14:05 CET": the time of day in the site's timezone."""
    if value is None:
        return ""
    return local_time(value).strftime("%H:%M %Z")


def time_left(moment: datetime | None, *, now: datetime | None = None) -> str:
    """ "14 minutes left" until `moment` (whole minutes, rounded down); static/js/comments.js
    counts on from there in the browser with the same words."""
    if moment is None:
        return ""
    seconds = (moment - (now or utcnow())).total_seconds()
    if seconds <= 0:
        return "the time is up"
    if seconds < 60:
        return "less than a minute left"
    minutes = int(seconds // 60)
    return f"{minutes} minute{'' if minutes == 1 else 's'} left"


def iso_datetime(value: datetime | None) -> str:
    return value.isoformat(timespec="seconds") if value else ""


def upload_url(path: str) -> str:
    return url_for("public.upload", path=path)


def external_url(endpoint: str, **values) -> str:
    """An absolute URL, using SITE_URL when configured (feeds, canonical links, and mail
    queued by a command, outside any request)."""
    site_url = current_app.config.get("SITE_URL")
    if site_url:
        if has_request_context() or current_app.config.get("SERVER_NAME"):
            return site_url.rstrip("/") + url_for(endpoint, **values)
        address = urlsplit(site_url)
        adapter = current_app.url_map.bind(
            address.netloc,
            script_name=current_app.config.get("APPLICATION_ROOT") or "/",
            url_scheme=address.scheme,
        )
        return site_url.rstrip("/") + adapter.build(endpoint, values)
    return url_for(endpoint, _external=True, **values)


def safe_settings():
    """Settings for the layout; defaults when the database cannot answer (error pages)."""
    try:
        return settings.load()
    except SQLAlchemyError:  # the 500 page must render even when the database is down
        db.session.rollback()
        current_app.logger.warning("site settings unavailable; using defaults")
        return settings.SiteSettings()


def combine_attrs(base: dict, *others: dict) -> dict:
    """Merge attribute dicts for form fields (later ones win)."""
    merged = dict(base)
    for other in others:
        merged.update(other)
    return merged


def register(app: Flask) -> None:
    from blog.services.corrections import KIND_LABELS

    app.jinja_env.globals.update(
        correction_labels=KIND_LABELS,
        asset_url=asset_url,
        upload_url=upload_url,
        external_url=external_url,
        share_url=share_url,
        share_networks=NETWORK_LABELS,
    )
    app.jinja_env.filters.update(
        long_date=long_date,
        local_clock=local_clock,
        time_left=time_left,
        iso_datetime=iso_datetime,
        combine_attrs=combine_attrs,
        monogram=avatars.of,
    )
    app.jinja_env.globals.update(permissions.TEMPLATE_PREDICATES)
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True

    @app.context_processor
    def inject_site():
        site = safe_settings()
        pagecache.changes_at(site.breaking_ends_at())  # the banner goes then by itself
        return {"site": site, "current_path": request.path}
