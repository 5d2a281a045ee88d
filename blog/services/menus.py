"""The header and footer menus: what readers see in them, and the admins' edits.

A menu with no links shows its default: the section bar in the header; links to the
topics, the authors, the published pages and /corrections in the footer (see
templates/base.html).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from sqlalchemy import exists, func, literal, null, or_, select, union_all
from sqlalchemy.orm import joinedload

from blog import permissions
from blog.domain import DomainError, NotAllowed, NotFound
from blog.extensions import db
from blog.models import MenuLink, MenuLinkKind, MenuName, Page, PageStatus, Section, Topic, User
from blog.services import audit, pages
from blog.services.articles import has_public_article
from blog.text import strip_control_characters

MAX_LINKS = 20  # per menu: a bar or a footer row, not a site map
LABEL_LENGTH = 80  # MenuLink.label
URL_LENGTH = 500  # MenuLink.url
FOOTER_PAGES = 12  # published pages in the default footer
CACHE_KEY = "public_menus"
MENU_NAMES = {MenuName.HEADER: "header", MenuName.FOOTER: "footer"}
KIND_NAMES = {
    MenuLinkKind.SECTION: "section",
    MenuLinkKind.TOPIC: "topic",
    MenuLinkKind.PAGE: "page",
    MenuLinkKind.URL: "web address",
}

# What may follow the host of a web address, or make up a site path: RFC 3986's
# unreserved and delimiter characters and well-formed %-escapes. No space, quote, angle
# bracket or backslash; nothing a browser would read as another scheme.
_TAIL = r"(?:[A-Za-z0-9\-._~!$&'()*+,;=:@/?#]|%[0-9A-Fa-f]{2})*"
# "/about", "/section/city?page=2"; never "//host" (another site, for a browser).
SITE_PATH = re.compile(r"/(?!/)" + _TAIL)
_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
# http(s), a host name (no user name: "https://trusted@elsewhere" is refused), a port.
WEB_ADDRESS = re.compile(
    rf"https?://{_LABEL}(?:\.{_LABEL})*(?::[0-9]{{1,5}})?(?:[/?#]{_TAIL})?", re.IGNORECASE
)


class MenuError(DomainError):
    """The menu change cannot be made as asked."""


def check_link_url(url: str) -> str:
    """A site path ("/about") or an http(s) address, as typed; MenuError otherwise.

    Only these two shapes pass, so no javascript:, data: or other scheme can, and no
    "//host" path that a browser would take to another site."""
    url = (url or "").strip()
    if not url:
        raise MenuError("Give the address to link to.", field="url")
    if len(url) > URL_LENGTH:
        raise MenuError(f"At most {URL_LENGTH} characters, please.", field="url")
    if url.startswith("/"):
        if not SITE_PATH.fullmatch(url):
            raise MenuError(
                "A path on this site starts with one “/”, such as /about, and holds no "
                "spaces or quotes.",
                field="url",
            )
        return url
    if not WEB_ADDRESS.fullmatch(url):
        raise MenuError(
            "Give a path on this site, such as /about, or a web address starting with "
            "https:// or http://.",
            field="url",
        )
    scheme, rest = url.split(":", 1)
    return scheme.lower() + ":" + rest


# ------------------------------------------------------------------ reading


@dataclass(frozen=True)
class NavLink:
    """A link as readers see it."""

    kind: MenuLinkKind
    label: str
    slug: str = ""  # the section's, topic's or page's
    url: str = ""  # a web address or site path (URL links)


@dataclass(frozen=True)
class Menus:
    header: list[NavLink] = field(default_factory=list)  # none: the section bar
    footer: list[NavLink] = field(default_factory=list)  # none: the default footer
    pages: list[NavLink] = field(default_factory=list)  # published pages, read only then


def is_shown() -> object:
    """A link readers see: its page is published, its topic has a public article."""
    return or_(
        MenuLink.kind == MenuLinkKind.SECTION,
        MenuLink.kind == MenuLinkKind.URL,
        (MenuLink.kind == MenuLinkKind.PAGE) & (Page.status == PageStatus.PUBLISHED),
        (MenuLink.kind == MenuLinkKind.TOPIC) & has_public_article(Topic.id),
    )


def _public_statement():
    """Both menus' shown links, and the published pages when the footer has no link
    (its default lists them): one statement, whatever the number of links."""
    links = (
        select(
            MenuLink.menu,
            MenuLink.position,
            MenuLink.id,
            MenuLink.kind,
            MenuLink.label,
            MenuLink.url,
            func.coalesce(Section.slug, Topic.slug, Page.slug).label("slug"),
            func.coalesce(Section.name, Topic.name, Page.title).label("name"),
        )
        .outerjoin(Section, Section.id == MenuLink.section_id)
        .outerjoin(Topic, Topic.id == MenuLink.topic_id)
        .outerjoin(Page, Page.id == MenuLink.page_id)
        .where(MenuLink.menu.in_(list(MenuName)), is_shown())
    )
    # In the order of the slug index, so that this reads no more than its few rows.
    published = (
        select(Page.slug, Page.title)
        .where(
            Page.status == PageStatus.PUBLISHED,
            ~exists().where(MenuLink.menu == MenuName.FOOTER),
        )
        .order_by(Page.slug)
        .limit(FOOTER_PAGES)
        .subquery()
    )
    default_pages = select(
        null(),
        literal(0),
        literal(0),
        literal(MenuLinkKind.PAGE, MenuLink.kind.type),
        literal(""),
        literal(""),
        published.c.slug,
        published.c.title,
    )
    return union_all(links, default_pages)


def public_menus() -> Menus:
    """The menus of public pages, read once per request."""
    cached = db.session.info.get(CACHE_KEY)
    if cached is not None:
        return cached
    by_menu: dict[MenuName | None, list] = {MenuName.HEADER: [], MenuName.FOOTER: [], None: []}
    for row in db.session.execute(_public_statement()):
        link = NavLink(row.kind, row.label or row.name or "", row.slug or "", row.url or "")
        by_menu[row.menu].append(((row.position, row.id), link))
    ordered = {
        menu: [link for _, link in sorted(rows, key=lambda row: row[0])]
        for menu, rows in by_menu.items()
    }
    menus = Menus(
        header=ordered[MenuName.HEADER],
        footer=ordered[MenuName.FOOTER],
        pages=sorted(ordered[None], key=lambda link: (link.label.casefold(), link.slug)),
    )
    db.session.info[CACHE_KEY] = menus
    return menus


# ------------------------------------------------------------------ editing


def link_name(link: MenuLink) -> str:
    """The label, else the name or title of what the link leads to."""
    if link.label:
        return link.label
    if link.page is not None:
        return link.page.title
    target = link.section or link.topic
    return target.name if target is not None else link.url


@dataclass(frozen=True)
class EditedLink:
    """A saved link as the admin sees it: shown to readers or not, and why."""

    link: MenuLink
    is_shown: bool

    @property
    def name(self) -> str:
        return link_name(self.link)

    @property
    def hidden_because(self) -> str:
        if self.is_shown:
            return ""
        if self.link.kind == MenuLinkKind.PAGE:
            return "Hidden: the page is not published."
        return "Hidden until the topic has a published story."


@dataclass(frozen=True)
class Choices:
    """What the add form offers to link to."""

    sections: list[Section]
    topics: list[Topic]
    pages: list[Page]


def _require_admin(actor: User) -> None:
    if not permissions.can_manage_menus(actor):
        raise NotAllowed()


def edited_menus(actor: User) -> dict[MenuName, list[EditedLink]]:
    """Both menus in order, every saved link with whether readers see it."""
    _require_admin(actor)
    rows = db.session.execute(
        select(MenuLink, is_shown())
        .outerjoin(Topic, Topic.id == MenuLink.topic_id)
        .outerjoin(Page, Page.id == MenuLink.page_id)
        .options(
            joinedload(MenuLink.section), joinedload(MenuLink.topic), joinedload(MenuLink.page)
        )
        .order_by(MenuLink.menu, MenuLink.position, MenuLink.id)
    )
    menus: dict[MenuName, list[EditedLink]] = {menu: [] for menu in MenuName}
    for link, shown in rows:
        menus[link.menu].append(EditedLink(link, bool(shown)))
    return menus


def link_choices(actor: User) -> Choices:
    _require_admin(actor)
    return Choices(
        sections=list(db.session.scalars(select(Section).order_by(Section.position, Section.id))),
        topics=list(db.session.scalars(select(Topic).order_by(Topic.name, Topic.id))),
        pages=pages.published_pages(),
    )


def _ordered(menu: MenuName) -> list[MenuLink]:
    return list(
        db.session.scalars(
            select(MenuLink).where(MenuLink.menu == menu).order_by(MenuLink.position, MenuLink.id)
        )
    )


def _renumber(links: list[MenuLink]) -> None:
    for position, link in enumerate(links):
        if link.position != position:
            link.position = position


def _describe(link: MenuLink, name: str) -> str:
    return f"{MENU_NAMES[link.menu]} menu link {link.id}: {name}"[: audit.TARGET_LENGTH]


def _commit() -> None:
    db.session.commit()
    db.session.info.pop(CACHE_KEY, None)


def _choice(value: str, enum, message: str, field_name: str):
    try:
        return enum(value)
    except ValueError:
        raise MenuError(message, field=field_name) from None


def _target(kind: MenuLinkKind, target_id: int | None):
    """The section, topic or page a new link names; MenuError if it is gone."""
    model = {
        MenuLinkKind.SECTION: Section,
        MenuLinkKind.TOPIC: Topic,
        MenuLinkKind.PAGE: Page,
    }[kind]
    target = db.session.get(model, target_id) if target_id and 0 < target_id < 2**31 else None
    if target is None:
        raise MenuError(f"Choose the {KIND_NAMES[kind]} to link to.", field=kind.value)
    return target


def add_link(
    actor: User,
    menu: str,
    kind: str,
    *,
    target_id: int | None = None,
    url: str = "",
    label: str = "",
) -> MenuLink:
    """Add a link at the end of a menu: to a section, topic or page (target_id), or to a
    web address or site path (url, with a label)."""
    _require_admin(actor)
    menu = _choice(menu, MenuName, "Choose the header or the footer menu.", "menu")
    kind = _choice(kind, MenuLinkKind, "Choose what to link to.", "kind")
    label = " ".join(strip_control_characters(label or "").split())
    if len(label) > LABEL_LENGTH:
        raise MenuError(f"At most {LABEL_LENGTH} characters, please.", field="label")
    link = MenuLink(menu=menu, kind=kind, label=label)
    if kind == MenuLinkKind.URL:
        link.url = check_link_url(url)
        if not label:
            raise MenuError("Give the link a label: the words readers click.", field="label")
        name = label
        duplicate = MenuLink.url == link.url
    else:
        target = _target(kind, target_id)
        setattr(link, kind.value, target)
        name = link_name(link)
        duplicate = getattr(MenuLink, f"{kind.value}_id") == target.id
    existing = _ordered(menu)
    if len(existing) >= MAX_LINKS:
        raise MenuError(f"A menu holds at most {MAX_LINKS} links; remove one first.")
    if db.session.scalar(select(MenuLink.id).where(MenuLink.menu == menu, duplicate)):
        raise MenuError(
            f"The {MENU_NAMES[menu]} menu already links there.",
            field="url" if kind == MenuLinkKind.URL else kind.value,
        )
    link.position = existing[-1].position + 1 if existing else 0
    db.session.add(link)
    db.session.flush()
    audit.record(actor, "menu.add", _describe(link, name), menu=menu.value, kind=kind.value)
    _commit()
    return link


def get_link(actor: User, link_id: int) -> MenuLink:
    _require_admin(actor)
    link = db.session.get(MenuLink, link_id)
    if link is None:
        raise NotFound()
    return link


def remove_link(actor: User, link_id: int) -> MenuLink:
    """Take a link off its menu; the others close up."""
    link = get_link(actor, link_id)
    audit.record(actor, "menu.remove", _describe(link, link_name(link)), menu=link.menu.value)
    db.session.delete(link)
    db.session.flush()
    _renumber(_ordered(link.menu))
    _commit()
    return link


def move_link(actor: User, link_id: int, direction: str) -> MenuLink:
    """Swap a link with its neighbour, "up" (earlier) or "down"."""
    link = get_link(actor, link_id)
    if direction not in ("up", "down"):
        raise MenuError("A link moves up or down.")
    links = _ordered(link.menu)
    index = links.index(link)
    other = index - 1 if direction == "up" else index + 1
    if 0 <= other < len(links):
        links[index], links[other] = links[other], links[index]
    return _place(actor, link, links, moved=0 <= other < len(links))


def set_position(actor: User, link_id: int, position: int) -> MenuLink:
    """Put a link at `position` of its menu, counting from 1."""
    link = get_link(actor, link_id)
    links = _ordered(link.menu)
    if not 1 <= position <= len(links):
        raise MenuError(f"Give a position from 1 to {len(links)}.", field="position")
    moved = links.index(link) != position - 1
    links.remove(link)
    links.insert(position - 1, link)
    return _place(actor, link, links, moved=moved)


def _place(actor: User, link: MenuLink, links: list[MenuLink], *, moved: bool) -> MenuLink:
    """Number the menu in this order; a link that moved is written to the audit log."""
    _renumber(links)
    if moved:
        audit.record(
            actor,
            "menu.move",
            _describe(link, link_name(link)),
            menu=link.menu.value,
            position=links.index(link) + 1,
        )
    _commit()
    return link
