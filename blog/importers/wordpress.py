"""Reading a WordPress export (WXR 1.1 or 1.2, Tools › Export) into the neutral records.

The file is streamed twice by a parser that refuses DTDs and entities. The first pass, in
the constructor, checks the whole file and gathers the site, the people, the terms and the
attachments; the second (`entries()`) yields the posts and pages one at a time. Every child
of <channel> is dropped once read and every text is bounded while it is parsed, so memory
stays flat however long the export.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import unquote, urlsplit
from xml.etree.ElementTree import Element, ParseError, TreeBuilder

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import DefusedXMLParser, iterparse

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
from blog.models import CommentStatus

# Namespace addresses (without their scheme: WordPress.com writes https) -> prefix.
NAMESPACES = {
    **{f"wordpress.org/export/1.{n}/": "wp" for n in range(3)},
    **{f"wordpress.org/export/1.{n}/excerpt/": "excerpt" for n in range(3)},
    "purl.org/rss/1.0/modules/content/": "content",
    "purl.org/dc/elements/1.1/": "dc",
}
VERSIONS = ("1.1", "1.2")
# The most text kept of one element; beyond it the item is held back or noted.
BODY_LIMIT = 5_000_000
LIMITS = {
    "content:encoded": BODY_LIMIT,
    "wp:comment_content": 1_000_000,
    "wp:meta_value": 1_000_000,
}
FIELD_LIMIT = 65_536
# A WXR nests six deep; anything far deeper is an attack on the parser, not an export.
MAX_DEPTH = 32

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
MAGIC = {b"PK\x03\x04": "a zip archive", b"\x1f\x8b": "a gzip archive", b"%PDF": "a PDF"}

_names: dict[str, str] = {}


def local_name(tag: str) -> str:
    """A tag's short name ("wp:post_id") in any WXR namespace (http or https, 1.0 to 1.2)."""
    name = _names.get(tag)
    if name is None:
        name = tag
        if tag.startswith("{"):
            uri, _, local = tag[1:].partition("}")
            prefix = NAMESPACES.get(uri.removeprefix("https://").removeprefix("http://"))
            name = f"{prefix}:{local}" if prefix else tag
        if len(_names) < 1000:
            _names[tag] = name
    return name


class BoundedBuilder(TreeBuilder):
    """Builds the tree keeping at most each element's limit of text, plus one character so
    the reader can tell a text was cut, and refusing absurd nesting."""

    def __init__(self) -> None:
        super().__init__()
        self.depth = 0
        self.room = FIELD_LIMIT + 1

    def start(self, tag: str, attrs: dict[str, str]) -> Element:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise ExportRejected(f"refused: the XML nests deeper than {MAX_DEPTH} levels")
        self.room = LIMITS.get(local_name(tag), FIELD_LIMIT) + 1
        return super().start(tag, attrs)

    def end(self, tag: str) -> Element:
        self.depth -= 1
        self.room = FIELD_LIMIT + 1
        return super().end(tag)

    def data(self, text: str) -> None:
        if len(text) > self.room:
            text = text[: self.room]
        self.room -= len(text)
        if text:
            super().data(text)


@dataclass
class Item:
    """An <item> flattened: the first text of each field, its categories, its postmeta and
    its comments, with the names of the fields that were over their limit."""

    fields: dict[str, str]
    cut: set[str]
    categories: list[tuple[str, str, str]] = field(default_factory=list)  # domain, nicename, name
    meta: dict[str, str] = field(default_factory=dict)
    comments: list[tuple[dict[str, str], set[str]]] = field(default_factory=list)

    def get(self, name: str) -> str:
        return self.fields.get(name, "").strip()


def read_fields(element: Element) -> tuple[dict[str, str], set[str]]:
    """Child name -> text (the first of each name), and the names cut at their limit."""
    fields: dict[str, str] = {}
    cut: set[str] = set()
    for child in element:
        name = local_name(child.tag)
        text = child.text or ""
        limit = LIMITS.get(name, FIELD_LIMIT)
        if len(text) > limit:
            cut.add(name)
            text = text[:limit]
        fields.setdefault(name, text)
    return fields, cut


def read_item(element: Element) -> Item:
    fields, cut = read_fields(element)
    item = Item(fields, cut)
    for child in element:
        name = local_name(child.tag)
        if name == "category":
            nicename = child.get("nicename", "")[:FIELD_LIMIT]
            item.categories.append((child.get("domain", ""), nicename, child.text or ""))
        elif name == "wp:postmeta":
            meta, _ = read_fields(child)
            item.meta.setdefault(meta.get("wp:meta_key", ""), meta.get("wp:meta_value", ""))
        elif name == "wp:comment":
            item.comments.append(read_fields(child))
    return item


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


def sniff(path: Path) -> None:
    """Refuse, before parsing, what is plainly not a WXR file, with a reason that helps."""
    try:
        with path.open("rb") as file:
            head = file.read(4096)
    except OSError as error:
        raise ExportRejected(f"cannot read the file: {error.strerror}") from None
    start = head.removeprefix(b"\xef\xbb\xbf").lstrip()
    if not start:
        raise ExportRejected("the file is empty")
    for magic, what in MAGIC.items():
        if start.startswith(magic):
            raise ExportRejected(f"this is {what}, not a WordPress export (.xml)")
    if start[:1] in (b"{", b"["):
        raise ExportRejected("this looks like a JSON file; use import-ghost")
    if b"\x00" in head:
        raise ExportRejected("this is a binary file, not a WordPress export (.xml)")
    if not start.startswith(b"<"):
        raise ExportRejected("the file is not XML, so not a WordPress export (.xml)")
    if re.match(rb"<(?:!doctype\s+html|html)\b", start[:40], re.IGNORECASE):
        raise ExportRejected("this is a web page, not a WordPress export (.xml)")


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

    # ------------------------------------------------------------ streaming

    def children(self) -> Iterator[tuple[str, Element]]:
        """Each child of <channel>, once complete; it is then cleared and let go."""
        parser = DefusedXMLParser(target=BoundedBuilder(), forbid_dtd=True)
        depth, channel = 0, None
        try:
            with self.path.open("rb") as file:
                for event, element in iterparse(file, ("start", "end"), parser=parser):
                    if event == "start":
                        depth += 1
                        if depth == 1 and element.tag != "rss":
                            root = element.tag.rpartition("}")[2][:40]
                            raise ExportRejected(f"not a WordPress export: its root is <{root}>")
                        if depth == 2 and element.tag == "channel":
                            channel = element
                        continue
                    depth -= 1
                    if depth == 2 and channel is not None:
                        yield local_name(element.tag), element
                        element.clear()
                        del channel[:]
        except ParseError as error:
            raise ExportRejected(f"the XML is malformed: {error}") from None
        except DefusedXmlException:
            raise ExportRejected("refused: the file declares a DTD") from None
        except OSError as error:
            raise ExportRejected(f"cannot read the file: {error.strerror}") from None

    def first_pass(self) -> None:
        site: dict[str, str] = {}
        people: dict[str, Person] = {}
        raw_terms: list[RawTerm] = []
        used: dict[tuple[str, str], str] = {}  # (kind, nicename) an item names -> its name
        for name, element in self.children():
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
        for name, element in self.children():
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
