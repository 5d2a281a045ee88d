"""Site settings: defaults merged with the rows an admin saved, and the rules for them."""

from dataclasses import asdict, dataclass, fields
from datetime import UTC, datetime
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from sqlalchemy import select

from blog import textfold
from blog.domain import DomainError
from blog.extensions import db
from blog.models import SiteSetting, User
from blog.services import audit


@dataclass(frozen=True)
class SiteSettings:
    site_title: str = "Byline"
    tagline: str = "Independent news, carefully edited."
    about: str = ""
    share_prompt: str = "Found this useful? Share it with someone who should read it."
    share_thanks: str = "Thank you for sharing — it helps independent journalism reach people."
    moderation_policy: str = "first_time"  # "all", "first_time" or "none"
    block_list: str = ""
    comments_close_after_days: int = 0  # 0: never close automatically
    # This many readers' reports hide an approved comment until a moderator looks at it
    # (blog.services.comment_reports); 0: reports never hide a comment by themselves.
    report_hide_threshold: int = 3
    timezone: str = "UTC"
    moderation_digest_minutes: int = 0  # 0: moderators hear of each held comment at once
    audit_retention_days: int = 365  # audit entries older than this are deleted
    # Corrections and updates are shown above the article's text ("top") or below it.
    corrections_position: str = "bottom"
    # Every revision is kept this many days; older ones are thinned out (blog.services
    # .revisions), never those that were published.
    revision_keep_days: int = 30
    # Every staff account must turn on two-factor sign-in before using the editor.
    require_two_factor: bool = False
    # The breaking-news banner, set and cleared by blog.services.curation (not this form).
    breaking_text: str = ""
    breaking_url: str = ""
    breaking_until: str = ""  # ISO 8601 in UTC; "" for until cleared

    def breaking_ends_at(self) -> datetime | None:
        """When the banner's end was set for (None: no end, or no banner). A value that
        is no time at all ends it already."""
        if not self.breaking_text or not self.breaking_until:
            return None
        try:
            until = datetime.fromisoformat(self.breaking_until)
        except ValueError:
            return datetime.min.replace(tzinfo=UTC)
        return until.replace(tzinfo=UTC) if until.tzinfo is None else until

    def is_breaking_live(self, now: datetime | None = None) -> bool:
        """Whether the breaking-news banner shows now: it has a text and has not expired."""
        if not self.breaking_text:
            return False
        until = self.breaking_ends_at()
        return until is None or until > (now or datetime.now(UTC))


BREAKING_NAMES = frozenset({"breaking_text", "breaking_url", "breaking_until"})
# What the admin's settings form edits; every stored name is STORED_NAMES.
SETTING_NAMES = frozenset(f.name for f in fields(SiteSettings)) - BREAKING_NAMES
STORED_NAMES = SETTING_NAMES | BREAKING_NAMES
MODERATION_POLICIES = {
    "all": "Hold every comment for review",
    # Trusted: sent from a browser that had a comment under the same address approved.
    "first_time": "Hold comments until a reader's first one is approved (then trusted)",
    "none": "Publish comments at once (links and blocked words are still held)",
}
MAX_CLOSE_AFTER_DAYS = 36_500
MAX_REPORT_HIDE_THRESHOLD = 100
MAX_DIGEST_MINUTES = 1440
MIN_AUDIT_RETENTION_DAYS, MAX_AUDIT_RETENTION_DAYS = 1, 3650
CORRECTIONS_POSITIONS = {
    "bottom": "Below the article's text",
    "top": "Above the article's text",
}
MIN_REVISION_KEEP_DAYS, MAX_REVISION_KEEP_DAYS = 1, 3650
# How long things are kept, in days: the smallest and largest value of each setting.
KEEP_DAYS = {
    "audit_retention_days": (MIN_AUDIT_RETENTION_DAYS, MAX_AUDIT_RETENTION_DAYS),
    "revision_keep_days": (MIN_REVISION_KEEP_DAYS, MAX_REVISION_KEEP_DAYS),
}
# Settings whose values the audit log leaves out (only their names): anything secret, the
# block list (its words are the moderators' business), and texts too long or too many
# lines to read in a log row.
SECRET_HINTS = ("secret", "password", "token", "api_key")
NAMED_ONLY = frozenset({"block_list"})
AUDIT_VALUE_LENGTH = 120
TEXT_LIMITS = {
    "site_title": 120,
    "tagline": 200,
    "about": 5_000,
    "share_prompt": 300,
    "share_thanks": 300,
    "block_list": 20_000,
}


class SettingsRejected(DomainError):
    """A setting value Byline cannot use; `field` names the setting, the message is for the user."""

    def __init__(self, message: str, field: str):
        super().__init__(message, field)


# Where load() keeps what it read: the database session's own `info`, which lives as long
# as the session does (one request, one command) and no longer.
CACHE_KEY = "site_settings"


def load() -> SiteSettings:
    """The current settings, read once per request."""
    cached = db.session.info.get(CACHE_KEY)
    if cached is None:
        rows = db.session.execute(select(SiteSetting.key, SiteSetting.value)).all()
        stored = {key: value for key, value in rows if key in STORED_NAMES}
        cached = db.session.info[CACHE_KEY] = SiteSettings(**stored)
    return cached


def save(**changes: object) -> SiteSettings:
    """Store the given settings and return the merged result."""
    unknown = set(changes) - STORED_NAMES
    if unknown:
        raise KeyError(f"unknown settings: {', '.join(sorted(unknown))}")
    for key, value in changes.items():
        row = db.session.get(SiteSetting, key)
        if row is None:
            db.session.add(SiteSetting(key=key, value=value))
        else:
            row.value = value
    db.session.commit()
    db.session.info.pop(CACHE_KEY, None)
    return load()


def as_dict() -> dict:
    return asdict(load())


@lru_cache(maxsize=1)
def timezone_names() -> tuple[str, ...]:
    """The IANA time zone names this server knows, sorted."""
    return tuple(sorted(available_timezones()))


def normalise_block_list(text: str) -> str:
    """One word or phrase per line: trimmed, invisible characters, blank lines and repeats
    (by their folded form, blog.textfold) dropped, order kept."""
    seen: set[str] = set()
    entries = []
    for line in text.splitlines():
        visible = "".join(char for char in line if not textfold.is_invisible(char))
        entry = " ".join(visible.split())
        key = textfold.fold(entry)
        if key and key not in seen:
            seen.add(key)
            entries.append(entry)
    return "\n".join(entries)


def blocked_phrases(current: SiteSettings | None = None) -> list[str]:
    """The block list as lower-cased entries; comments.blocked_phrase matches them folded."""
    current = current or load()
    return [line.lower() for line in current.block_list.splitlines() if line.strip()]


def validate(changes: dict) -> dict:
    """Checked and normalised values; SettingsRejected on the first one that cannot be used."""
    unknown = set(changes) - SETTING_NAMES
    if unknown:
        raise KeyError(f"unknown settings: {', '.join(sorted(unknown))}")
    clean: dict = {}
    for key, value in changes.items():
        if key in TEXT_LIMITS:
            value = str(value or "").strip()
            if key == "block_list":
                value = normalise_block_list(value)
            if len(value) > TEXT_LIMITS[key]:
                raise SettingsRejected(f"At most {TEXT_LIMITS[key]} characters, please.", key)
            if key == "site_title" and not value:
                raise SettingsRejected("The site needs a title.", key)
        elif key == "moderation_policy":
            if value not in MODERATION_POLICIES:
                raise SettingsRejected("Choose one of the moderation policies.", key)
        elif key == "comments_close_after_days":
            if isinstance(value, bool) or not isinstance(value, int):
                raise SettingsRejected("Give a whole number of days.", key)
            if not 0 <= value <= MAX_CLOSE_AFTER_DAYS:
                raise SettingsRejected(
                    f"Give a number of days from 0 (never close) to {MAX_CLOSE_AFTER_DAYS}.", key
                )
        elif key == "report_hide_threshold":
            if isinstance(value, bool) or not isinstance(value, int):
                raise SettingsRejected("Give a whole number of reports.", key)
            if not 0 <= value <= MAX_REPORT_HIDE_THRESHOLD:
                raise SettingsRejected(
                    f"Give a number of reports from 0 (never hide) to {MAX_REPORT_HIDE_THRESHOLD}.",
                    key,
                )
        elif key == "moderation_digest_minutes":
            if isinstance(value, bool) or not isinstance(value, int):
                raise SettingsRejected("Give a whole number of minutes.", key)
            if not 0 <= value <= MAX_DIGEST_MINUTES:
                raise SettingsRejected(
                    f"Give a number of minutes from 0 (each at once) to {MAX_DIGEST_MINUTES}.",
                    key,
                )
        elif key in KEEP_DAYS:
            if isinstance(value, bool) or not isinstance(value, int):
                raise SettingsRejected("Give a whole number of days.", key)
            low, high = KEEP_DAYS[key]
            if not low <= value <= high:
                raise SettingsRejected(f"Give a number of days from {low} to {high}.", key)
        elif key == "corrections_position":
            if value not in CORRECTIONS_POSITIONS:
                raise SettingsRejected("Choose where corrections are shown.", key)
        elif key == "require_two_factor":
            if not isinstance(value, bool):
                raise SettingsRejected("Choose whether two-factor sign-in is required.", key)
        elif key == "timezone":
            value = str(value or "").strip()
            if value not in timezone_names():
                raise SettingsRejected(
                    "That is not a time zone we know. Use a name such as Europe/Berlin, "
                    "America/New_York or UTC.",
                    key,
                )
        clean[key] = value
    return clean


def update(*, actor: User | None = None, **changes: object) -> SiteSettings:
    """Validate, then save: the admin form's way in. What changed goes into the audit log,
    in the same transaction, under the actor's name."""
    clean = validate(changes)
    before = asdict(load())
    changed = [key for key in before if key in clean and before[key] != clean[key]]
    if changed:
        values = {
            key: audit.change(before[key], clean[key])
            for key in changed
            if is_loggable(key, before[key], clean[key])
        }
        audit.record(actor, "settings.save", "site settings", changed=changed, **values)
    return save(**clean)


def is_loggable(key: str, *values: object) -> bool:
    """Whether the audit log may show these values of a setting: nothing secret-sounding,
    nothing long or on several lines."""
    if key in NAMED_ONLY or any(hint in key for hint in SECRET_HINTS):
        return False
    return not any(len(str(value)) > AUDIT_VALUE_LENGTH or "\n" in str(value) for value in values)


def site_timezone() -> ZoneInfo:
    """The site's timezone setting, UTC when the stored name is unknown."""
    try:
        return ZoneInfo(load().timezone)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")
