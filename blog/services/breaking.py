"""The breaking-news banner: one short line with a link, on every public page until it
expires or is taken down.

It is three site settings (breaking_text, breaking_url, breaking_until: ISO 8601 in UTC,
or "" for no end), so it needs no table; templates/public/_breaking.html shows it while
SiteSettings.is_breaking_live(). The worker's minute task expire() clears an expired one,
so cached pages change then too. Changes are audited as "breaking.set" and
"breaking.clear".
"""

from __future__ import annotations

from datetime import datetime
from urllib.parse import urlsplit

from blog.models import User
from blog.models.base import utcnow
from blog.services import audit, settings
from blog.services.curation import CurationRejected, expiry, refusing, require_curator

BREAKING_TEXT_LIMIT = 140
BREAKING_URL_LIMIT = 500
BAD_URL = (
    "Give a path on this site (such as /articles/harbour-reopens) or a full address "
    "starting with http:// or https://."
)
CLEARED = {"breaking_text": "", "breaking_url": "", "breaking_until": ""}


def check_banner_url(url: str) -> str:
    """A path on this site or an http(s) address; "" for a banner without a link."""
    url = url.strip()
    if not url:
        return ""
    if len(url) > BREAKING_URL_LIMIT:
        raise CurationRejected(f"At most {BREAKING_URL_LIMIT} characters, please.", "url")
    if any(char.isspace() or ord(char) < 32 or char == "\\" for char in url):
        raise CurationRejected(BAD_URL, "url")
    if url.startswith("/"):
        if url.startswith("//"):  # another host, without a scheme
            raise CurationRejected(BAD_URL, "url")
        return url
    parts = urlsplit(url)
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise CurationRejected(BAD_URL, "url")
    return url


@refusing
def set_breaking(actor: User, text: str, url: str = "", until: datetime | None = None) -> None:
    """Put the banner up (or change it) until `until`, read on the site's clock, or until
    taken down."""
    require_curator(actor)
    line = " ".join(text.split())
    if not line:
        raise CurationRejected("Write the banner's line.", "text")
    if len(line) > BREAKING_TEXT_LIMIT:
        raise CurationRejected(
            f"Keep it to one short line: at most {BREAKING_TEXT_LIMIT} characters.", "text"
        )
    link = check_banner_url(url)
    expires_at = expiry(until, utcnow(), "until_date")
    stored_until = expires_at.isoformat(timespec="seconds") if expires_at else ""
    audit.record(
        actor, "breaking.set", "breaking banner", text=line, url=link, until=stored_until or None
    )
    settings.save(breaking_text=line, breaking_url=link, breaking_until=stored_until)


@refusing
def clear_breaking(actor: User) -> bool:
    """Take the banner down; False when there was none."""
    require_curator(actor)
    current = settings.load()
    if not (current.breaking_text or current.breaking_url or current.breaking_until):
        return False
    audit.record(actor, "breaking.clear", "breaking banner", text=current.breaking_text)
    settings.save(**CLEARED)
    return True


def expire(now: datetime | None = None) -> int:
    """Clear a banner whose time has passed (the worker, every minute): 1 if it did."""
    current = settings.load()
    if not current.breaking_text or current.is_breaking_live(now or utcnow()):
        return 0
    settings.save(**CLEARED)
    return 1
