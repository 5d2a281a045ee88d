"""Static pages (About, Contact, Corrections policy, Privacy): writing and publishing them,
and the address each lives at, /<slug>, which no route of the site itself may hold."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from flask import current_app
from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload
from werkzeug.exceptions import MethodNotAllowed
from werkzeug.exceptions import NotFound as NoRoute
from werkzeug.routing import RequestRedirect

from blog.domain import NotAllowed, NotFound
from blog.extensions import db
from blog.models import OldSlug, Page, PageStatus, SlugKind, User
from blog.models.base import utcnow
from blog.permissions import can_manage_pages
from blog.services import audit, claim_version, revisions
from blog.services.publishing import SLUG_MALFORMED, ArticleRejected, EditConflict, is_well_formed
from blog.services.slugs import (
    is_old_slug_of_another,
    is_slug_in_use,
    keep_old_slug,
    release_own_old_slug,
    unique_slug,
)
from blog.services.uploads import own_upload

# The public view that serves a page at /<slug> (blog/public/pages.py).
PAGE_ENDPOINT = "public.page"
MAX_TITLE_LENGTH = 300
MAX_SUMMARY_LENGTH = 300
MAX_BODY_LENGTH = 200_000
MAX_ALT_LENGTH = 300
MAX_CAPTION_LENGTH = 500

NOT_ALLOWED = "Only editors and admins may change the site's pages."
SLUG_TAKEN = "Another page already uses this address; please choose another."
SLUG_KEPT = "This address still leads to the page that used to have it; please choose another."
CONFLICT = (
    "Someone else saved this page while you were editing it. "
    "Their version is shown; your text is kept below it."
)


class PageAction(StrEnum):
    SAVE = "save"
    PUBLISH = "publish"
    UNPUBLISH = "unpublish"


@dataclass
class PageChanges:
    """The page as the editor wants it: every field, not a patch."""

    title: str
    slug: str = ""  # empty: made from the title (kept as it is once the page was published)
    summary: str = ""
    body: str = ""
    cover_id: int | None = None
    cover_alt: str = ""
    cover_caption: str = ""
    show_byline: bool = False
    show_updated: bool = False


class PageRejected(ArticleRejected):
    """The page cannot be saved as asked: `errors` maps form field names to messages (the
    empty name for a message about the whole form)."""


class PageEditConflict(EditConflict):
    """Someone saved the page after this edit began; `current` is what they saved."""

    def __init__(self, current: Page):
        super().__init__(current)  # type: ignore[arg-type]
        self.message = CONFLICT
        self.args = (CONFLICT,)


def check_may_manage(actor: User) -> None:
    if not can_manage_pages(actor):
        raise NotAllowed(NOT_ALLOWED)


# ------------------------------------------------------------------ reading


def all_pages(actor: User) -> list[Page]:
    """Every page, drafts included, by title, for the editor's list."""
    check_may_manage(actor)
    return list(
        db.session.scalars(
            select(Page).options(joinedload(Page.author)).order_by(Page.title, Page.id)
        )
    )


def editable_page(page_id: int, actor: User) -> Page:
    """The page with what its editor shows; NotAllowed for authors, NotFound if missing."""
    check_may_manage(actor)
    page = db.session.scalar(
        select(Page)
        .where(Page.id == page_id)
        .options(joinedload(Page.author), joinedload(Page.cover))
    )
    if page is None:
        raise NotFound()
    return page


def published_pages() -> list[Page]:
    """The published pages by title (for menus and footers: title, slug, id)."""
    return list(
        db.session.scalars(
            select(Page).where(Page.status == PageStatus.PUBLISHED).order_by(Page.title, Page.id)
        )
    )


def get_public_page(slug: str) -> Page | None:
    """The published page at /<slug> with its author and cover, in one query."""
    return db.session.scalar(
        select(Page)
        .where(Page.slug == slug, Page.status == PageStatus.PUBLISHED)
        .options(joinedload(Page.author).joinedload(User.avatar), joinedload(Page.cover))
    )


def route_holding(slug: str) -> str | None:
    """The site's own address a page at /<slug> would hide or be hidden by, if any: a route
    whose first segment is the slug (/search, /editor/..., /section/<slug>), or one that
    answers at /<slug>. Read from the app's URL map when asked, so routes added later are
    protected as well."""
    url_map = current_app.url_map
    for rule in url_map.iter_rules():
        if rule.endpoint == PAGE_ENDPOINT:
            continue
        if rule.rule.lstrip("/").split("/", 1)[0].lower() == slug.lower():
            return f"/{slug}"
    try:
        rule, _ = url_map.bind("localhost").match(f"/{slug}", method="GET", return_rule=True)
    except (RequestRedirect, MethodNotAllowed):  # a route answers at /<slug>/ or to a POST
        return f"/{slug}"
    except NoRoute:
        return None
    return None if rule.endpoint == PAGE_ENDPOINT else f"/{slug}"


def route_message(path: str) -> str:
    return f"{path} is one of the site's own addresses; please choose another for this page."


# ------------------------------------------------------------------ writing


def save_page(
    page: Page | None,
    changes: PageChanges,
    *,
    actor: User,
    expected_version: int = 0,
    action: PageAction = PageAction.SAVE,
    restored_from: int | None = None,
) -> Page:
    """Create the page (when None) or save over `expected_version`, raising
    PageEditConflict if another save came first, PageRejected for bad input.
    `restored_from`: the id of the revision this save brings back."""
    check_may_manage(actor)
    current_cover = page.cover_id if page else None
    if (
        changes.cover_id not in (None, current_cover)
        and own_upload(changes.cover_id, actor.id) is None
        and not revisions.had_cover(page, changes.cover_id)
    ):
        raise NotAllowed("Only an image you uploaded yourself can become a page's cover.")
    if page is None:
        page = Page(title="", slug="", author_id=actor.id, status=PageStatus.DRAFT, version=1)
        return apply(page, changes, action, actor, is_new=True)
    if not claim_version(Page, page.id, expected_version):
        db.session.rollback()
        current = db.session.get(Page, page.id, populate_existing=True)
        if current is None:
            raise NotFound("This page was deleted while you were editing it.")
        raise PageEditConflict(current)
    page.version = expected_version + 1
    return apply(page, changes, action, actor, restored_from=restored_from)


def create_page(changes: PageChanges, **options) -> Page:
    """A new page; the options are save_page's."""
    return save_page(None, changes, **options)


def check(page: Page, changes: PageChanges, action: PageAction) -> tuple[str, dict[str, str]]:
    """The slug the page will have and what is wrong with the changes, by field."""
    errors: dict[str, str] = {}
    title = changes.title.strip()
    if not title:
        errors["title"] = "Give the page a title."
    for name, value, limit in (
        ("title", title, MAX_TITLE_LENGTH),
        ("summary", changes.summary, MAX_SUMMARY_LENGTH),
        ("body", changes.body, MAX_BODY_LENGTH),
        ("cover_alt", changes.cover_alt, MAX_ALT_LENGTH),
        ("cover_caption", changes.cover_caption, MAX_CAPTION_LENGTH),
    ):
        if len(value) > limit:
            errors[name] = f"At most {limit:,} characters, please."
    # Once published, the address is known to readers: it changes only when asked to.
    if changes.slug or (page.slug and page.published_at is not None):
        slug = changes.slug or page.slug
    else:
        slug = unique_slug(Page, title or "page", exclude_id=page.id, fallback="page")
    will_publish = action == PageAction.PUBLISH or (
        action == PageAction.SAVE and page.status == PageStatus.PUBLISHED
    )
    if slug != page.slug and slug == changes.slug and not is_well_formed(slug):
        errors["slug"] = SLUG_MALFORMED
    # A route added since may hold a page's address: it is not published there again, but
    # may still be unpublished or kept as a draft until it moves.
    elif (slug != page.slug or will_publish) and (path := route_holding(slug)):
        errors["slug"] = route_message(path)
    elif slug != page.slug and is_slug_in_use(Page, slug, owner_id=page.id):
        errors["slug"] = SLUG_TAKEN
    elif slug != page.slug and is_old_slug_of_another(Page, slug, owner_id=page.id):
        errors["slug"] = SLUG_KEPT
    if changes.cover_id and not changes.cover_alt:
        errors["cover_alt"] = "Describe the cover image for readers who cannot see it."
    if will_publish and not changes.summary.strip():
        errors["summary"] = (
            "A summary is required to publish: it describes the page in search results "
            "and share previews."
        )
    return slug, errors


def apply(
    page: Page,
    changes: PageChanges,
    action: PageAction,
    actor: User,
    *,
    is_new: bool = False,
    restored_from: int | None = None,
) -> Page:
    """Check the rules, write every change with its audit entries and revision and commit
    once; roll back on refusal."""
    before = None if is_new else revisions.Snapshot.of(page)
    slug, errors = check(page, changes, action)
    if errors:
        db.session.rollback()
        raise PageRejected(errors)

    now = utcnow()
    old_slug, was_status = page.slug, page.status
    if slug != page.slug and not is_new:
        if page.published_at is not None:  # readers may know the old address: it 301s
            keep_old_slug(SlugKind.PAGE, page.id, page.slug, slug)
        else:
            release_own_old_slug(SlugKind.PAGE, page.id, slug)
    page.slug = slug
    title = changes.title.strip()
    if is_new or (page.title, page.summary, page.body_md) != (
        title,
        changes.summary,
        changes.body,
    ):
        page.updated_at = now
    page.title, page.summary = title, changes.summary
    if is_new or page.body_md != changes.body:
        page.set_body(changes.body)
    page.cover_id = changes.cover_id
    page.cover_alt = changes.cover_alt if changes.cover_id else ""
    page.cover_caption = changes.cover_caption if changes.cover_id else ""
    page.show_byline, page.show_updated = changes.show_byline, changes.show_updated
    if action == PageAction.PUBLISH:
        page.status = PageStatus.PUBLISHED
        page.published_at = page.published_at or now  # a republished page keeps its date
    elif action == PageAction.UNPUBLISH:
        page.status = PageStatus.DRAFT
    db.session.add(page)
    try:
        db.session.flush()  # the new page's id, for its audit entries
        record_changes(page, actor, is_new=is_new, old_slug=old_slug, was_status=was_status)
        revisions.record(
            page,
            before,
            actor=actor,
            kind=revisions.kind_of(action, restored_from),
            is_published=page.status == PageStatus.PUBLISHED,
            was_public=was_status == PageStatus.PUBLISHED,
            restored_from=restored_from,
        )
        db.session.commit()
    except IntegrityError:  # a concurrent save took the slug between our check and commit
        db.session.rollback()
        raise PageRejected({"slug": SLUG_TAKEN}) from None
    return page


def record_changes(
    page: Page, actor: User, *, is_new: bool, old_slug: str, was_status: PageStatus
) -> None:
    target = audit.describe("page", page)
    if is_new:
        audit.record(actor, "page.create", target, slug=page.slug)
    elif page.slug != old_slug:
        audit.record(actor, "page.slug", target, **{"from": old_slug, "to": page.slug})
    if page.status != was_status or (is_new and page.status == PageStatus.PUBLISHED):
        verb = "publish" if page.status == PageStatus.PUBLISHED else "unpublish"
        audit.record(actor, f"page.{verb}", target, slug=page.slug)


def delete_page(page: Page, *, actor: User) -> None:
    """Delete the page, its old addresses and the menu links to it (by the database's
    cascade)."""
    check_may_manage(actor)
    audit.record(
        actor, "page.delete", audit.describe("page", page), slug=page.slug, status=page.status
    )
    db.session.execute(
        delete(OldSlug).where(OldSlug.kind == SlugKind.PAGE, OldSlug.target_id == page.id)
    )
    db.session.delete(page)
    db.session.commit()


def preview(page: Page | None, changes: PageChanges, *, actor: User) -> Page:
    """The page as the changes would make it, never saved: for the editor's preview, drawn
    with the public page's own template."""
    check_may_manage(actor)
    cover = None
    if changes.cover_id is not None:
        if page is not None and changes.cover_id == page.cover_id:
            cover = page.cover
        else:
            cover = own_upload(changes.cover_id, actor.id)
    shown = Page(
        title=changes.title.strip(),
        slug=changes.slug or (page.slug if page else ""),
        summary=changes.summary,
        cover_alt=changes.cover_alt if cover else "",
        cover_caption=changes.cover_caption if cover else "",
        show_byline=changes.show_byline,
        show_updated=changes.show_updated,
        published_at=page.published_at if page else None,
        updated_at=utcnow(),
    )
    # Set after construction, and never added to the session: the preview stays unsaved.
    shown.author = page.author if page else actor
    shown.cover = cover
    shown.set_body(changes.body)
    return shown
