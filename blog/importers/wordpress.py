"""Reading a WordPress export (WXR 1.1 or 1.2, Tools › Export) into the neutral records.

The file is streamed twice through wxr.py, whose parser refuses DTDs and entities, bounds
every text and lets each child of <channel> go once read, so memory stays flat however long
the export. The first pass, in the constructor, checks the whole file and gathers the site,
the people, the terms and the attachments; the second (`entries()`) yields the posts and
pages one at a time. This module says what the elements mean.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import unquote, urlsplit

from blog.importers.records import (
    CommentRecord,
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
from blog.importers.wxr import (
    BODY_LIMIT,
    FIELD_LIMIT,
    Item,
    children,
    read_fields,
    read_item,
    sniff,
)
from blog.models import CommentStatus

VERSIONS = ("1.1", "1.2")
ENTRY_KINDS = {"post": EntryKind.ARTICLE, "page": EntryKind.PAGE}
STATUSES = {
    "publish": EntryStatus.PUBLISHED,
    "future": EntryStatus.PUBLISHED,  # its date in the future schedules it
    "draft": EntryStatus.DRAFT,
    "pending": EntryStatus.REVIEW,
    "private": EntryStatus.DRAFT,
}
LEFT_OUT = {"auto-draft": "auto-draft", "trash": "in the trash"}
COMMENT_STATUSES = {
    "1": CommentStatus.APPROVED,
    "0": CommentStatus.PENDING,
    "hold": CommentStatus.PENDING,
    "spam": CommentStatus.SPAM,
    "trash": CommentStatus.DELETED,
    "post-trashed": CommentStatus.DELETED,
}
ABSENT = ("", "0")  # WordPress's "no parent", "no user", "no post"

NOT_NICE = re.compile(r"[^a-z0-9_-]+")
TAG = re.compile(r"<[^<>]*>")  # stops at the next "<", so it stays linear on any input
BLOCK_TAG = re.compile(r"</?(?:p|br|div|li|h[1-6]|blockquote|tr|td)\b", re.IGNORECASE)
SPACE = re.compile(r"\s+")


def utc(text: str) -> datetime | None:
    """A WordPress "2024-05-06 10:00:00" as UTC; None for "0000-00-00 00:00:00" or junk."""
    try:
        return datetime.strptime(text.strip()[:40], "%Y-%m-%d %H:%M:%S").replace(tzinfo=UTC)
    except ValueError:
        return None


def plain_text(markup: str) -> str:
    """HTML as one line of text: tags dropped (blocks leave a space), entities decoded."""
    text = TAG.sub(lambda tag: " " if BLOCK_TAG.match(tag.group()) else "", markup)
    return SPACE.sub(" ", html.unescape(text)).strip()


def nicename(login: str) -> str:
    """The author slug WordPress derives from a login: "Jane.Doe" -> "jane-doe"."""
    return NOT_NICE.sub("-", login.lower()).strip("-")


@dataclass
class RawTerm:
    kind: str  # "category" or "tag"
    source_id: str
    nicename: str  # as WordPress stores it: percent-encoded when not ASCII
    parent: str  # the parent's nicename (categories)
    name: str
    description: str = ""


# Element -> its kind ("" for <wp:term>: its taxonomy says) and the names of its fields:
# nicename, parent, name, description.
TERM_FIELDS = {
    "wp:category": ("category", "category_nicename", "category_parent", "cat_name", "category"),
    "wp:tag": ("tag", "tag_slug", "", "tag_name", "tag"),
    "wp:term": ("", "term_slug", "term_parent", "term_name", "term"),
}
TAXONOMIES = {"category": "category", "post_tag": "tag"}
SITE_FIELDS = {"title", "link", "wp:wxr_version", "wp:base_site_url", "wp:base_blog_url"}


def raw_term(names: tuple[str, ...], fields: dict[str, str]) -> list[RawTerm]:
    """A category or a tag as the export lists it (none for other taxonomies)."""

    def get(name: str) -> str:
        return fields.get(f"wp:{name}", "").strip() if name else ""

    kind, nice_field, parent_field, name_field, prefix = names
    kind = kind or TAXONOMIES.get(get("term_taxonomy"), "")
    nice = get(nice_field)
    if not kind or not nice:
        return []
    shown = html.unescape(get(name_field)) or unquote(nice, errors="replace")
    description = html.unescape(get(f"{prefix}_description"))
    return [RawTerm(kind, get("term_id") or nice, nice, get(parent_field), shown, description)]


class WordPressExport:
    """A WXR file: site, people, terms and attachments read on construction; `entries()`
    streams the posts and pages."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        sniff(self.path)
        self.site = SiteInfo(platform="wordpress", title="", url="", version="")
        self.people: list[Person] = []
        self.terms: list[Term] = []
        self.total = 0
        self.skipped: list[Skipped] = []
        self.attachments: dict[str, Image] = {}
        self.prefix = ""  # the old site's folder, "/blog" for one at example.com/blog/
        self.logins: dict[str, str] = {}  # wp:author_id -> login
        self.category_ids: dict[str, str] = {}  # nicename -> Term.source_id
        self.tag_ids: dict[str, str] = {}
        self.first_pass()

    # ------------------------------------------------------------ first pass

    def first_pass(self) -> None:
        site: dict[str, str] = {}
        people: dict[str, Person] = {}
        raw_terms: list[RawTerm] = []
        used: dict[tuple[str, str], str] = {}  # (kind, nicename) an item names -> its name
        for name, element in children(self.path):
            if name == "item":
                if not site.get("wp:wxr_version"):
                    break
                self.first_look(read_item(element), used)
            elif name == "wp:author":
                self.add_person(read_fields(element)[0], people)
            elif name in TERM_FIELDS:
                raw_terms.extend(raw_term(TERM_FIELDS[name], read_fields(element)[0]))
            elif name in SITE_FIELDS:
                site.setdefault(name, (element.text or "").strip())
        version = site.get("wp:wxr_version", "")
        if not version:
            raise ExportRejected(
                "this is an RSS feed, not a WordPress export: use Tools › Export in WordPress"
            )
        if version not in VERSIONS:
            raise ExportRejected(f"WXR version {version[:20]!r} is not supported (only 1.1, 1.2)")
        url = site.get("wp:base_blog_url") or site.get("wp:base_site_url") or site.get("link", "")
        self.site = SiteInfo(
            "wordpress", html.unescape(site.get("title", "")), url.rstrip("/"), version
        )
        self.prefix = urlsplit(self.site.url).path.rstrip("/") if "//" in url else ""
        self.people = list(people.values())
        for person in self.people:  # the site's folder is known once the channel is read
            person.old_paths = [self.prefix + path for path in person.old_paths]
        self.add_terms(raw_terms, used)

    def first_look(self, item: Item, used: dict[tuple[str, str], str]) -> None:
        """Count a post or page and note its terms, keep an attachment, skip the rest."""
        post_type, post_id = item.get("wp:post_type"), item.get("wp:post_id")
        if post_type in ENTRY_KINDS:
            self.total += 1
            for domain, nice, name in item.categories:
                kind = TAXONOMIES.get(domain)
                if kind and nice:
                    used.setdefault((kind, nice), name)
        elif post_type == "attachment":
            self.attachments[post_id] = Image(
                url=item.get("wp:attachment_url"),
                alt=item.meta.get("_wp_attachment_image_alt", "").strip(),
                caption=plain_text(item.fields.get("excerpt:encoded", "")),
            )
        else:
            title = html.unescape(item.get("title"))
            reason = f"{post_type or 'untyped'} items are not imported"
            self.skipped.append(Skipped(post_type or "item", post_id, title, reason))

    def add_person(self, fields: dict[str, str], people: dict[str, Person]) -> None:
        login = fields.get("wp:author_login", "").strip()
        author_id = fields.get("wp:author_id", "").strip()
        if not login or login in people:
            return
        full = " ".join(fields.get(f"wp:author_{p}_name", "").strip() for p in ("first", "last"))
        shown = fields.get("wp:author_display_name", "").strip() or full.strip() or login
        slug = nicename(login)
        paths = [f"/author/{slug}/"] + ([f"/?author={author_id}"] if author_id else [])
        email = fields.get("wp:author_email", "").strip()
        people[login] = Person(login, email, html.unescape(shown), slug, old_paths=paths)
        if author_id:
            self.logins[author_id] = login

    def add_terms(self, raw_terms: list[RawTerm], used: dict[tuple[str, str], str]) -> None:
        """Terms with their old addresses; a category's follows its parents' chain."""
        parents = {t.nicename: t.parent for t in raw_terms if t.kind == "category"}
        known = {(t.kind, t.nicename) for t in raw_terms}
        taken = {t.source_id for t in raw_terms}
        for (kind, nice), label in used.items():
            if (kind, nice) not in known:
                # an item names a term the export does not list: its nicename stands for it
                source_id = nice if nice not in taken else f"{kind}:{nice}"
                taken.add(source_id)
                raw_terms.append(RawTerm(kind, source_id, nice, "", html.unescape(label)))
        for raw in raw_terms:
            ids = self.category_ids if raw.kind == "category" else self.tag_ids
            if raw.nicename in ids:
                continue
            ids[raw.nicename] = raw.source_id
            if raw.kind == "category":
                chain, parent = [raw.nicename], parents.get(raw.nicename, "")
                while parent and parent not in chain and len(chain) < 20:
                    chain.insert(0, parent)
                    parent = parents.get(parent, "")
                paths = [f"/category/{'/'.join(chain)}/"]
                paths += [f"/?cat={raw.source_id}"] if raw.source_id.isdigit() else []
            else:
                paths = [f"/tag/{raw.nicename}/", f"/?tag={raw.nicename}"]
            slug = unquote(raw.nicename, errors="replace")
            paths = [self.prefix + path for path in paths]
            self.terms.append(Term(raw.kind, raw.source_id, slug, raw.name, raw.description, paths))

    # ------------------------------------------------------------ entries

    def entries(self) -> Iterator[Entry | Skipped]:
        """Every post and page, in the export's order (a second pass over the file)."""
        for name, element in children(self.path):
            if name == "item":
                item = read_item(element)
                if item.get("wp:post_type") in ENTRY_KINDS:
                    yield self.entry(item)

    def entry(self, item: Item) -> Entry | Skipped:
        post_type, post_id = item.get("wp:post_type"), item.get("wp:post_id")
        title = html.unescape(item.fields.get("title", "").strip())
        wp_status = item.get("wp:status")
        if wp_status in LEFT_OUT:
            return Skipped(post_type, post_id, title, LEFT_OUT[wp_status])
        if "content:encoded" in item.cut:
            return Skipped(post_type, post_id, title, f"its body is over {BODY_LIMIT:,} characters")
        notes = [f"{name}: over {FIELD_LIMIT:,} characters, cut short" for name in sorted(item.cut)]
        status = STATUSES.get(wp_status)
        if status is None:
            status = EntryStatus.DRAFT
            notes.append(f"status {wp_status[:40]!r}: kept as a draft")
        if wp_status == "private":
            notes.append("private: kept as a draft")
        if item.get("wp:post_password"):
            status = EntryStatus.DRAFT
            notes.append("password-protected: kept as a draft")
        published_at = utc(item.get("wp:post_date_gmt"))
        if published_at is None and wp_status in ("publish", "future"):
            published_at = utc(item.get("wp:post_date"))
        if status is EntryStatus.PUBLISHED and published_at is None:
            status = EntryStatus.DRAFT
            notes.append("no publication date: kept as a draft")
        updated_at = utc(item.get("wp:post_modified_gmt")) or utc(item.get("wp:post_modified"))
        cover = None
        if thumbnail := item.meta.get("_thumbnail_id", "").strip():
            cover = self.attachments.get(thumbnail)
            if cover is None:
                notes.append(f"featured image {thumbnail[:40]} is not in the export")
        creator = item.get("dc:creator")
        return Entry(
            kind=ENTRY_KINDS[post_type],
            source_id=post_id,
            title=title,
            slug=unquote(item.get("wp:post_name"), errors="replace"),
            status=status,
            published_at=published_at,
            updated_at=updated_at,
            author_ids=[creator] if creator else [],
            body_html=item.fields.get("content:encoded", ""),
            excerpt=plain_text(item.fields.get("excerpt:encoded", "")),
            categories=self.term_ids(item, "category", self.category_ids),
            tags=self.term_ids(item, "post_tag", self.tag_ids),
            featured=item.get("wp:is_sticky") == "1",
            cover=cover,
            old_paths=self.old_paths(item.get("link"), post_type, post_id),
            comments=[c for c in (self.comment(*pair, notes) for pair in item.comments) if c],
            notes=notes,
        )

    @staticmethod
    def term_ids(item: Item, domain: str, ids: dict[str, str]) -> list[str]:
        found = [
            ids.get(nice, nice) for kind, nice, _ in item.categories if kind == domain and nice
        ]
        return list(dict.fromkeys(found))

    def old_paths(self, link: str, post_type: str, post_id: str) -> list[str]:
        """The permalink's path and query, then the plain "/?p=12" WordPress also answers."""
        paths = []
        try:
            parts = urlsplit(link[:2048])
        except ValueError:  # an impossible address, such as a broken IPv6 host
            parts = None
        if parts and (parts.scheme in ("http", "https") or link.startswith("/")):
            paths.append((parts.path or "/") + (f"?{parts.query}" if parts.query else ""))
        if post_id:
            key = "page_id" if post_type == "page" else "p"
            paths.append(f"{self.prefix}/?{key}={post_id}")
        return list(dict.fromkeys(paths))

    def comment(
        self, fields: dict[str, str], cut: set[str], notes: list[str]
    ) -> CommentRecord | None:
        """One comment, or None with a note when it cannot come across."""

        def get(key: str) -> str:
            return fields.get(f"wp:comment_{key}", "").strip()

        if "wp:comment_content" in cut:
            notes.append(f"comment {get('id')[:40]} left out: its text is too long")
            return None
        created_at = utc(get("date_gmt")) or utc(get("date"))
        if created_at is None:
            notes.append(f"comment {get('id')[:40]} left out: it has no date")
            return None
        user_id = get("user_id")
        return CommentRecord(
            source_id=get("id"),
            parent_id="" if get("parent") in ABSENT else get("parent"),
            author_name=html.unescape(get("author")),
            author_email=get("author_email"),
            created_at=created_at,
            status=COMMENT_STATUSES.get(get("approved"), CommentStatus.PENDING),
            body_html=fields.get("wp:comment_content", ""),
            kind=get("type") or "comment",
            person_id="" if user_id in ABSENT else self.logins.get(user_id, ""),
        )
