"""Old addresses of a site that moved here from WordPress or Ghost: the key each is kept
under, recording them during an import, and finding where a request for one leads now.

A key is what any spelling of an address comes down to: the path alone, percent-decoded
once, in lower case, without trailing slashes; a WordPress query address ("/?p=12") keeps
its one key, since the path alone ("/") says nothing. A request finds a key only while
its target is public, so an old address never tells where a draft went.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Mapping
from urllib.parse import parse_qsl, unquote_to_bytes, urlsplit

from flask import current_app
from sqlalchemy import ColumnElement, exists, or_, select
from sqlalchemy.orm import joinedload

from blog.extensions import db
from blog.models import Article, OldUrl, Page, PageStatus, Section, Topic, User
from blog.services.articles import has_public_article, is_public_author, is_public_id

Target = Article | Page | Section | Topic | User

# The longest key (the column's length).
MAX_KEY_LENGTH = 500
# An address is read only up to this length: room for a key of MAX_KEY_LENGTH characters
# with each one percent-encoded (four UTF-8 bytes, twelve characters) and a host.
MAX_ADDRESS_LENGTH = 6500
MAX_QUERY_FIELDS = 50
# WordPress's addresses by id or slug: /?p=12, /?page_id=5, /?cat=3, /?tag=x, /?author=2.
QUERY_KEYS = frozenset({"p", "page_id", "cat", "tag", "author", "attachment_id"})
# The site's own area, whose addresses never lead elsewhere.
EDITOR_AREA = "/editor"

# Each kind of target: its column on OldUrl, and the public view at its address here.
TARGETS: dict[type, tuple[str, str]] = {
    Article: ("article_id", "public.article"),
    Page: ("page_id", "public.page"),
    Section: ("section_id", "public.section"),
    Topic: ("topic_id", "public.topic"),
    User: ("user_id", "public.author"),
}


def normalise(address: str) -> str | None:
    """The key of a path or full URL ("https://old.example/2024/05/slug/?utm=x" gives
    "/2024/05/slug"), or None when it cannot be an address of a page of this site."""
    address = address.strip(" \t\r\n")
    # Checked before splitting, which silently drops tabs and line breaks.
    if not address or len(address) > MAX_ADDRESS_LENGTH or has_control(address):
        return None
    try:
        parts = urlsplit(address)
    except ValueError:  # a malformed host ("http://[::1/x")
        return None
    # A full URL names its scheme and host; "//host/x" and "https:/x" are neither form.
    if parts.scheme not in ("", "http", "https") or bool(parts.scheme) != bool(parts.netloc):
        return None
    path = parts.path or ("/" if parts.netloc else "")
    try:
        decoded = unquote_to_bytes(path).decode("utf-8")
        pairs = parse_qsl(
            parts.query, keep_blank_values=True, errors="strict", max_num_fields=MAX_QUERY_FIELDS
        )
    except ValueError:  # bytes that are not UTF-8, or too many query fields
        return None
    return key_of(decoded, pairs)


def key_of(path: str, pairs: Iterable[tuple[str, str]]) -> str | None:
    """The key of a decoded path and its query's (name, value) pairs."""
    if len(path) > MAX_ADDRESS_LENGTH or not path.startswith("/"):
        return None
    legacy: dict[str, str] = {}
    for name, value in pairs:
        if name in QUERY_KEYS:
            legacy.setdefault(name, value)  # the first value, as a request reads it
    path = path.rstrip("/")
    query = ""
    if len(legacy) == 1:
        ((name, value),) = legacy.items()
        if value:
            query = f"?{name}={value}"
            # WordPress answers these at its index.php too, with or without a folder.
            path = path.removesuffix("/index.php").rstrip("/")
    key = ((path or "/") + query).lower()
    if (
        len(key) > MAX_KEY_LENGTH
        or key.startswith("//")
        or "\\" in key
        or "\ufffd" in key  # what a request's path holds for bytes that are not UTF-8
        or has_control(key)
    ):
        return None
    return key


def has_control(text: str) -> bool:
    return any(unicodedata.category(char) == "Cc" for char in text)


def is_askable(key: str | None) -> bool:
    """A key a request may find: not the front page itself, nor the editor's area."""
    return (
        key is not None
        and key != "/"
        and key != EDITOR_AREA
        and not key.startswith((EDITOR_AREA + "/", EDITOR_AREA + "?"))
    )


def address_of(target: Target) -> str:
    """The target's address here, without the site's prefix ("/about", "/author/ada")."""
    endpoint = TARGETS[type(target)][1]
    return current_app.url_map.bind("localhost").build(endpoint, {"slug": target.slug})


def add(address: str, target: Target) -> str:
    """Record that `address` leads to the target (flushed, so that it has an id).

    Returns "added"; "exists" when it leads there already; "taken" when it leads to
    something else (the first one kept, nothing changed); "own" when it is the target's
    own address here, which needs no redirect; "invalid" when no request could ask it.
    Nothing is committed."""
    if type(target) not in TARGETS:
        raise TypeError(f"An old address cannot lead to a {type(target).__name__}.")
    if target.id is None:
        raise ValueError("Flush the target before recording an old address of it.")
    column = TARGETS[type(target)][0]
    key = normalise(address)
    if not is_askable(key):
        return "invalid"
    if key == address_of(target).lower():
        return "own"
    row = db.session.scalar(select(OldUrl).where(OldUrl.path == key))
    if row is not None:
        return "exists" if getattr(row, column) == target.id else "taken"
    db.session.add(OldUrl(path=key, **{column: target.id}))
    return "added"


def is_public_target() -> ColumnElement[bool]:
    """The row's target is public now, each kind checked by its own key."""
    return or_(
        is_public_id(OldUrl.article_id),
        exists().where(Page.id == OldUrl.page_id, Page.status == PageStatus.PUBLISHED),
        OldUrl.section_id.is_not(None),
        has_public_article(OldUrl.topic_id),
        is_public_author(OldUrl.user_id),
    )


def find(path: str, args: Mapping[str, str]) -> OldUrl | None:
    """The old address a request asks for, with its target loaded, if that target is
    public now: one query by the unique key, none for what no request may find.

    `path` is already percent-decoded, as a request gives it."""
    key = key_of(path, args.items())
    if not is_askable(key):
        return None
    return db.session.scalar(
        select(OldUrl)
        .where(OldUrl.path == key, is_public_target())
        .options(
            joinedload(OldUrl.article),
            joinedload(OldUrl.page),
            joinedload(OldUrl.section),
            joinedload(OldUrl.topic),
            joinedload(OldUrl.user),
        )
    )


def destination(row: OldUrl) -> tuple[str, str]:
    """The public view and slug of what the old address leads to."""
    target = row.article or row.page or row.section or row.topic or row.user
    return TARGETS[type(target)][1], target.slug
