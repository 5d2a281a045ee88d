"""Site settings: defaults merged with the rows an admin saved."""

from dataclasses import asdict, dataclass, fields

from flask import g
from sqlalchemy import select

from blog.extensions import db
from blog.models import SiteSetting


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
    timezone: str = "UTC"


SETTING_NAMES = frozenset(f.name for f in fields(SiteSettings))


def load() -> SiteSettings:
    """The current settings, read once per request."""
    if "site_settings" not in g:
        rows = db.session.execute(select(SiteSetting.key, SiteSetting.value)).all()
        stored = {key: value for key, value in rows if key in SETTING_NAMES}
        g.site_settings = SiteSettings(**stored)
    return g.site_settings


def save(**changes: object) -> SiteSettings:
    """Store the given settings and return the merged result."""
    unknown = set(changes) - SETTING_NAMES
    if unknown:
        raise KeyError(f"unknown settings: {', '.join(sorted(unknown))}")
    for key, value in changes.items():
        row = db.session.get(SiteSetting, key)
        if row is None:
            db.session.add(SiteSetting(key=key, value=value))
        else:
            row.value = value
    db.session.commit()
    g.pop("site_settings", None)
    return load()


def as_dict() -> dict:
    return asdict(load())
