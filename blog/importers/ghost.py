"""Reading a Ghost JSON export (Ghost 3 to 6) into the neutral records, in two passes.

The first pass reads everything but the posts (people, tags, their links to posts: small
next to the posts), counts the posts and, reading to the end, refuses a malformed file;
entries() then streams the posts one at a time (ghost_stream.py walks the JSON). Nothing
holds the whole file.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from blog.importers.ghost_stream import NOT_GHOST, rows, sniff
from blog.importers.records import (
    Entry,
    EntryKind,
    EntryStatus,
    ExportRejected,
    Image,
    Person,
    SiteInfo,
    Skipped,
    Term,
)
from blog.models import Role

SUPPORTED = "Byline imports Ghost 3 to 6"
# The tables the first pass reads whole; "posts" is the one streamed.
LINK_TABLES = frozenset({"posts_tags", "posts_authors", "posts_meta"})
SMALL_TABLES = frozenset({"settings", "users", "roles", "roles_users", "tags"}) | LINK_TABLES
TABLES = SMALL_TABLES | {"posts"}
ROLES = {
    "Owner": Role.ADMIN,
    "Administrator": Role.ADMIN,
    "Editor": Role.EDITOR,
    "Super Editor": Role.EDITOR,
}
MAJOR = re.compile(r"(\d{1,3})\.")


class GhostExport:
    """A Ghost export: site, people, tags and counts on construction; posts from entries()."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._start = sniff(self.path)
        self.people: list[Person] = []
        self.terms: list[Term] = []
        self.skipped: list[Skipped] = []
        self.attachments: dict[str, Image] = {}  # Ghost exports list no media
        self.total = 0
        self._user_ids: set[str] = set()
        self._internal_tags: set[str] = set()
        self._tag_ids: set[str] = set()
        self._authors: dict[str, list[tuple[float, int, str]]] = {}
        self._tags: dict[str, list[tuple[float, int, str]]] = {}
        self._cover_text: dict[str, tuple[str, str]] = {}
        self.site = self._first_pass()

    def entries(self) -> Iterator[Entry | Skipped]:
        """The posts and pages, one at a time, in the export's order."""
        posts = frozenset({"posts"})
        for table, post in rows(
            self.path, self._start, tables=posts, build=posts, place_errors=False
        ):
            if table == "posts":
                yield self._entry(post)

    def _first_pass(self) -> SiteInfo:
        meta: Any = None
        has_data = False
        databases = 0
        title = install = ""
        users: list[dict] = []
        tags: list[dict] = []
        roles: dict[str, str] = {}
        user_roles: dict[str, str] = {}
        read = rows(self.path, self._start, tables=TABLES, build=SMALL_TABLES, place_errors=True)
        for table, row in read:
            if table == "posts":
                self.total += 1
            elif table == "database":
                databases += 1
            elif table == "meta":
                meta = row
            elif table == "data":
                has_data = True
            elif table == "settings" and row.get("key") == "title":
                title = _text(row.get("value"))
            elif table == "settings" and row.get("key") == "db_hash":
                install = _text(row.get("value"))
            elif table == "users":
                users.append(row)
            elif table == "tags":
                tags.append(row)
            elif table == "roles":
                roles[_text(row.get("id"))] = _text(row.get("name"))
            elif table == "roles_users":
                user_roles.setdefault(_text(row.get("user_id")), _text(row.get("role_id")))
            elif table in ("posts_tags", "posts_authors"):
                self._link(table, row)
            elif table == "posts_meta":
                alt, caption = row.get("feature_image_alt"), row.get("feature_image_caption")
                self._cover_text[_text(row.get("post_id"))] = (_text(alt), _text(caption))
        if databases > 1:
            raise ExportRejected(f"the export holds {databases} databases; Byline reads one")
        if not isinstance(meta, dict) or not has_data:
            raise ExportRejected(NOT_GHOST)
        version = _check_version(meta.get("version"))
        for user in users:
            self._person(user, roles.get(user_roles.get(_text(user.get("id")), ""), ""))
        for tag in tags:
            self._term(tag)
        # Ghost exports no address; its install's db_hash (else its title) names the site.
        return SiteInfo(platform="ghost", title=title, url="", version=version, key=install)

    def _link(self, table: str, row: dict) -> None:
        """Remember a post's author or tag with its place in the credit order."""
        post_id = _text(row.get("post_id"))
        other = _text(row.get("author_id" if table == "posts_authors" else "tag_id"))
        order = row.get("sort_order")
        links = (self._authors if table == "posts_authors" else self._tags).setdefault(post_id, [])
        links.append((order if isinstance(order, int | float) else 0, len(links), other))

    def _person(self, user: dict, role_name: str) -> None:
        source_id, slug = _text(user.get("id")), _text(user.get("slug"))
        self._user_ids.add(source_id)
        self.people.append(
            Person(
                source_id=source_id,
                email=_text(user.get("email")),
                display_name=_text(user.get("name")),
                slug=slug,
                bio=_text(user.get("bio")),
                role=ROLES.get(role_name, Role.AUTHOR),
                old_paths=[f"/author/{slug}/"] if slug else [],
                active=user.get("status") not in ("inactive", "locked"),
            )
        )

    def _term(self, tag: dict) -> None:
        source_id, name, slug = _text(tag.get("id")), _text(tag.get("name")), _text(tag.get("slug"))
        if tag.get("visibility") == "internal" or name.startswith("#"):
            self._internal_tags.add(source_id)
            self.skipped.append(Skipped("tag", source_id, name, "internal tag"))
            return
        self._tag_ids.add(source_id)
        self.terms.append(
            Term(
                kind="tag",
                source_id=source_id,
                slug=slug,
                name=name,
                description=_text(tag.get("description")),
                old_paths=[f"/tag/{slug}/"] if slug else [],
            )
        )

    def _entry(self, post: dict) -> Entry | Skipped:
        source_id, title = _text(post.get("id")), _text(post.get("title"))
        post_type = post.get("type")
        if post_type is None:  # Ghost 3 may mark pages with `page` alone
            post_type = "page" if post.get("page") in (True, 1) else "post"
        kinds = {"post": EntryKind.ARTICLE, "page": EntryKind.PAGE}
        if not source_id:
            return Skipped("post", "", title, "no id in the export")
        if not isinstance(post_type, str) or post_type not in kinds:
            return Skipped("post", source_id, title, f"unknown post type {str(post_type)[:40]!r}")
        notes: list[str] = []
        status = self._status(post, notes)
        published_at = _when(post.get("published_at"))
        if published_at is None and status is EntryStatus.PUBLISHED:
            published_at = _when(post.get("created_at"))
            notes.append("no publication date in the export: used the creation date")
        slug = unquote(_text(post.get("slug")))
        return Entry(
            kind=kinds[post_type],
            source_id=source_id,
            title=title,
            slug=slug,
            status=status,
            published_at=published_at,
            updated_at=_when(post.get("updated_at")),
            author_ids=self._post_authors(post, notes),
            body_html=_body(post, notes),
            excerpt=_text(post.get("custom_excerpt")),
            tags=self._post_tags(source_id, notes),
            featured=post.get("featured") in (True, 1, "1", "true"),
            cover=self._cover(post),
            old_paths=[f"/{slug}/"] if slug else [],
            notes=notes,
        )

    def _status(self, post: dict, notes: list[str]) -> EntryStatus:
        status = post.get("status")
        result = EntryStatus.DRAFT
        if status in ("published", "scheduled"):  # scheduled: a future published_at
            result = EntryStatus.PUBLISHED
        elif status == "sent":
            notes.append("sent as a newsletter only: kept as a draft")
        elif status != "draft":
            notes.append(f"unknown status {str(status)[:40]!r}: kept as a draft")
        visibility = post.get("visibility") or "public"
        if visibility != "public":
            notes.append(f"members-only ({str(visibility)[:40]}): kept as a draft")
            result = EntryStatus.DRAFT
        return result

    def _post_authors(self, post: dict, notes: list[str]) -> list[str]:
        links = self._authors.get(_text(post.get("id")))
        wanted = [other for *_, other in sorted(links)] if links else [_text(post.get("author_id"))]
        found = _known(wanted, self._user_ids, "author", notes)
        if not found:
            notes.append("no author in the export")
        return found

    def _post_tags(self, post_id: str, notes: list[str]) -> list[str]:
        wanted = [other for *_, other in sorted(self._tags.get(post_id, []))]
        public = [tag_id for tag_id in wanted if tag_id not in self._internal_tags]
        return _known(public, self._tag_ids, "tag", notes)

    def _cover(self, post: dict) -> Image | None:
        url = _text(post.get("feature_image"))
        if not url:
            return None
        alt, caption = self._cover_text.get(_text(post.get("id")), ("", ""))
        return Image(
            url=url,
            alt=alt or _text(post.get("feature_image_alt")),
            caption=caption or _text(post.get("feature_image_caption")),
        )


def _known(wanted: list[str], known: set[str], what: str, notes: list[str]) -> list[str]:
    """The ids the export defines, in order and once each; a note for each it does not."""
    found: list[str] = []
    for source_id in wanted:
        if source_id in known:
            if source_id not in found:
                found.append(source_id)
        elif source_id:
            notes.append(f"{what} {source_id[:40]!r} is not in the export: left out")
    return found


def _body(post: dict, notes: list[str]) -> str:
    body = _text(post.get("html"))
    if body:
        return body
    plain = _text(post.get("plaintext"))
    if plain:
        notes.append("no HTML in the export: imported from the plain text")
        return _paragraphs(plain)
    notes.append("no HTML or plain text in the export: imported empty")
    return ""


def _paragraphs(text: str) -> str:
    """Plain text as HTML paragraphs: a blank line between paragraphs, a line break within."""
    paragraphs: list[str] = []
    lines: list[str] = []
    for line in [*text.splitlines(), ""]:
        if line.strip():
            lines.append(html.escape(line.strip()))
        elif lines:
            paragraphs.append("<p>" + "<br>".join(lines) + "</p>")
            lines = []
    return "\n".join(paragraphs)


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""


def _when(value: Any) -> datetime | None:
    """An export date ("2024-05-06T10:00:00.000Z") as an aware UTC datetime; None when
    missing or unreadable. A date without an offset is taken as UTC, as Ghost stores it."""
    if not isinstance(value, str) or not value or len(value) > 40:
        return None
    try:
        moment = datetime.fromisoformat(value)
        return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
    except (ValueError, OverflowError):  # OverflowError: year 1 with an offset east of UTC
        return None


def _check_version(version: Any) -> str:
    if not isinstance(version, str) or not version:
        raise ExportRejected(f"the export does not say which Ghost made it; {SUPPORTED}")
    match = MAJOR.match(version)
    if match is None:
        raise ExportRejected(f"unknown Ghost version {version[:20]!r}; {SUPPORTED}")
    major = int(match.group(1))
    if not 3 <= major <= 6:
        raise ExportRejected(
            f"this file was exported by Ghost {major}.x; {SUPPORTED}"
            + (": upgrade the old site and export again" if major < 3 else "")
        )
    return version
