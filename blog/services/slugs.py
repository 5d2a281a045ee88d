"""Unique, readable slugs for articles, sections, topics, people and pages, and their old
addresses.

A slug a thing gave up keeps leading to it (an OldSlug row, answered with a 301). That
address stays its own: another thing of the same kind may not take it, neither typed
(refused) nor made from a title (suffixed). Only the thing it leads to may take it back.
"""

from slugify import slugify
from sqlalchemy import delete, exists, select, union

from blog.extensions import db
from blog.models import Article, OldSlug, Page, PageStatus, Section, SlugKind, Topic, User
from blog.services.articles import is_public, public_authors, public_topics

# The longest slug Byline makes or accepts for an article, section, topic or person. The
# shortest slug column (sections and topics) holds 100: the 20 left over take the "-2",
# "-3" ... that unique_slug() appends. Slugs saved under an earlier, longer limit stay as
# they are until someone changes them.
MAX_SLUG_LENGTH = 80

SLUG_KINDS = {
    Article: SlugKind.ARTICLE,
    Section: SlugKind.SECTION,
    Topic: SlugKind.TOPIC,
    User: SlugKind.AUTHOR,
    Page: SlugKind.PAGE,
}


def make_slug(text: str, fallback: str = "item") -> str:
    return slugify(text, max_length=MAX_SLUG_LENGTH, word_boundary=True) or fallback


def unique_slug(model, text: str, *, exclude_id: int | None = None, fallback: str = "item") -> str:
    """make_slug(text), with -2, -3, ... appended while another row has it, live or as
    an old address still leading to it."""
    base = make_slug(text, fallback)
    owner_id = exclude_id or 0
    live = select(model.slug).where(
        (model.slug == base) | model.slug.like(f"{base}-%"), model.id != owner_id
    )
    kept = select(OldSlug.slug).where(
        OldSlug.kind == SLUG_KINDS[model],
        (OldSlug.slug == base) | OldSlug.slug.like(f"{base}-%"),
        OldSlug.target_id != owner_id,
    )
    taken = set(db.session.scalars(union(live, kept)))
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    return slug


def is_slug_in_use(model, slug: str, *, owner_id: int | None) -> bool:
    """Another row of this model has the slug as its live address."""
    return (
        db.session.scalar(select(model.id).where(model.slug == slug, model.id != (owner_id or 0)))
        is not None
    )


def is_old_slug_of_another(model, slug: str, *, owner_id: int | None) -> bool:
    """The slug is an old address that still leads to another row of this model."""
    return (
        db.session.scalar(
            select(OldSlug.id).where(
                OldSlug.kind == SLUG_KINDS[model],
                OldSlug.slug == slug,
                OldSlug.target_id != (owner_id or 0),
            )
        )
        is not None
    )


def keep_old_slug(kind: SlugKind, target_id: int, old: str, new: str) -> None:
    """Record that `old` now leads to the target, which moves to `new`.

    Taking back one of the target's own old addresses drops that redirect (the live page
    answers there). A redirect that leads elsewhere is never touched: callers refuse such
    a `new` first (is_old_slug_of_another) or avoid it (unique_slug).
    """
    if old == new:
        return
    release_own_old_slug(kind, target_id, new)
    row = db.session.scalar(select(OldSlug).where(OldSlug.kind == kind, OldSlug.slug == old))
    if row is None:
        db.session.add(OldSlug(kind=kind, slug=old, target_id=target_id))
    else:  # a redirect left under the target's own live address: the live page had won it
        row.target_id = target_id


def release_own_old_slug(kind: SlugKind, target_id: int, slug: str) -> None:
    """Drop the target's own redirect from `slug`, which it is taking back as its address."""
    db.session.execute(
        delete(OldSlug).where(
            OldSlug.kind == kind, OldSlug.slug == slug, OldSlug.target_id == target_id
        )
    )


# What an old address may lead to: only what is public now.
_REDIRECT_TARGETS = {
    SlugKind.ARTICLE: (Article, lambda: select(Article).where(is_public())),
    SlugKind.SECTION: (Section, lambda: select(Section)),
    SlugKind.TOPIC: (Topic, public_topics),
    SlugKind.PAGE: (Page, lambda: select(Page).where(Page.status == PageStatus.PUBLISHED)),
    SlugKind.AUTHOR: (User, public_authors),
}


def renamed_target(kind: SlugKind, slug: str) -> Article | Section | Topic | User | Page | None:
    """The public article, section, topic, author or page that gave up this slug, if any.

    None when it is not public now, so an old address never shows where a draft or a
    topic without a public article has gone; None too while a thing of this kind lives
    under the slug (a draft's address is not public, so it leads nowhere)."""
    model, public = _REDIRECT_TARGETS[kind]
    target_id = db.session.scalar(
        select(OldSlug.target_id).where(
            OldSlug.kind == kind, OldSlug.slug == slug, ~exists().where(model.slug == slug)
        )
    )
    if target_id is None:
        return None
    return db.session.scalar(public().where(model.id == target_id))
