"""The neutral records an export reader yields, whatever platform it came from.

Times are aware datetimes in UTC. Source ids are strings (WordPress numbers, Ghost object
ids). Old paths are site-relative addresses as the old site answered them ("/2024/05/06/
a-slug/", "/?p=12"); the loader normalises them (blog/services/old_urls.normalise).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from blog.models import CommentStatus, Role


class ExportRejected(Exception):
    """The file cannot be imported at all (not an export, malformed, an unknown version, a
    DTD or entity payload): one line for the editor, no traceback."""


class EntryKind(StrEnum):
    ARTICLE = "article"
    PAGE = "page"


class EntryStatus(StrEnum):
    """What the old status becomes here; `Entry.notes` says why a post was held back."""

    PUBLISHED = "published"  # published_at in the future: scheduled
    REVIEW = "review"  # WordPress "pending"
    DRAFT = "draft"


@dataclass
class SiteInfo:
    platform: str  # "wordpress" or "ghost"
    title: str
    # The old site's address, "https://old.example.com" (WordPress); "" when unknown.
    url: str
    version: str  # "1.2" (WXR) or "5.82.0" (Ghost)
    key: str = ""  # what names the site when its address does not (Ghost's db_hash)

    @property
    def source(self) -> str:
        """The key ImportedItem.source is stored under: the platform and the site's
        identity, its address without the scheme (an export made over http:// and one
        over https:// are the same site), else its key, else its title."""
        address = self.url.lower().partition("://")[2] or self.url.lower()
        identity = address.rstrip("/") or self.key or self.title
        return f"{self.platform} {identity}".strip()[:200]


@dataclass
class Person:
    source_id: str
    email: str
    display_name: str
    slug: str = ""  # the old site's author slug ("" when unknown)
    bio: str = ""
    role: Role = Role.AUTHOR
    old_paths: list[str] = field(default_factory=list)  # "/author/jane/"
    active: bool = True  # False for an account suspended there (Ghost "inactive", "locked")


@dataclass
class Term:
    """A WordPress category or tag, a Ghost tag."""

    kind: str  # "category" or "tag"
    source_id: str
    slug: str
    name: str
    description: str = ""
    old_paths: list[str] = field(default_factory=list)  # "/category/news/", "/tag/x/"


@dataclass
class Image:
    url: str  # as the export has it (absolute, or Ghost's __GHOST_URL__/content/images/...)
    alt: str = ""
    caption: str = ""


@dataclass
class CommentRecord:
    source_id: str
    parent_id: str  # "" for a top-level comment
    author_name: str
    author_email: str
    created_at: datetime
    status: CommentStatus
    body_html: str
    # "comment", "pingback" or "trackback" (the last two are skipped and counted)
    kind: str = "comment"
    # The commenter's account on the old site when they were staff (a Person.source_id).
    person_id: str = ""


@dataclass
class Entry:
    """A post or a page."""

    kind: EntryKind
    source_id: str
    title: str
    slug: str  # percent-decoded
    status: EntryStatus
    published_at: datetime | None  # None for a draft never published
    updated_at: datetime | None
    author_ids: list[str]  # Person.source_id, in credit order (Ghost: several)
    body_html: str
    excerpt: str = ""  # plain text; "" to make the brief from the first paragraph
    categories: list[str] = field(default_factory=list)  # Term.source_id, in order
    tags: list[str] = field(default_factory=list)  # Term.source_id
    featured: bool = False  # WordPress sticky, Ghost featured
    cover: Image | None = None
    old_paths: list[str] = field(default_factory=list)
    comments: list[CommentRecord] = field(default_factory=list)
    # Why it was kept back or what was left out ("password-protected: kept as a draft").
    notes: list[str] = field(default_factory=list)


@dataclass
class Skipped:
    """An item of the export that does not come across, and why."""

    kind: str  # "attachment", "nav_menu_item", "tag", ...
    source_id: str
    title: str
    reason: str
