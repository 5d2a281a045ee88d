"""Sections and topics: creating, renaming with kept old slugs, ordering and deleting."""

import re
from collections.abc import Callable

from sqlalchemy import delete, func, select, update
from sqlalchemy.exc import IntegrityError

from blog.domain import DomainError
from blog.extensions import db
from blog.models import (
    Article,
    OldSlug,
    OldUrl,
    Section,
    SlugKind,
    Topic,
    User,
    article_topics,
)
from blog.services import audit, get_by_id
from blog.services.slugs import (
    MAX_SLUG_LENGTH,
    is_old_slug_of_another,
    is_slug_in_use,
    keep_old_slug,
    unique_slug,
)

SLUG_PATTERN = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
MAX_NAME_LENGTH = 80


class TaxonomyError(DomainError):
    """The section or topic change cannot be made as asked."""


def clean_slug(raw: str | None) -> str | None:
    """A hand-typed slug, lower-cased; None when left blank; TaxonomyError when malformed."""
    slug = (raw or "").strip().lower()
    if not slug:
        return None
    if len(slug) > MAX_SLUG_LENGTH or not SLUG_PATTERN.fullmatch(slug):
        raise TaxonomyError(
            "Use only lower-case letters, digits and single hyphens between them, "
            f"at most {MAX_SLUG_LENGTH} characters.",
            field="slug",
        )
    return slug


def _clean_name(name: str, noun: str) -> str:
    name = " ".join((name or "").split())
    if not name:
        raise TaxonomyError(f"Please give the {noun} a name.", field="name")
    if len(name) > MAX_NAME_LENGTH:
        raise TaxonomyError(f"At most {MAX_NAME_LENGTH} characters, please.", field="name")
    return name


def _check_name_free(model, name: str, noun: str, exclude_id: int | None) -> None:
    taken = db.session.scalar(
        select(model.id).where(
            func.lower(model.name) == name.lower(), model.id != (exclude_id or 0)
        )
    )
    if taken:
        raise TaxonomyError(f"There is already a {noun} called “{name}”.", field="name")


def _choose_slug(model, noun: str, item, name: str, slug: str | None) -> str:
    """The typed slug if it is free, else a TaxonomyError; a free one from the name if blank.

    An address that another section (or topic) gave up still leads there: not free either."""
    if slug is None:
        return unique_slug(model, name, exclude_id=item.id, fallback=noun)
    if slug == item.slug:
        return slug
    if is_slug_in_use(model, slug, owner_id=item.id):
        raise TaxonomyError(f"The address “{slug}” is already used by another one.", field="slug")
    if is_old_slug_of_another(model, slug, owner_id=item.id):
        raise TaxonomyError(
            f"The address “{slug}” still leads to the {noun} that used to have it; "
            "please choose another.",
            field="slug",
        )
    return slug


def _commit(record: Callable[[], object] | None = None) -> None:
    """Commit (after flushing and calling `record`, which writes the audit entry naming the
    row's id); a slug claimed by a concurrent request becomes the user's error, not a 500."""
    try:
        if record is not None:
            db.session.flush()
            record()
        db.session.commit()
    except IntegrityError as exc:
        db.session.rollback()
        raise TaxonomyError(
            "That address was taken a moment ago; please choose another.", field="slug"
        ) from exc


def _save(model, kind: SlugKind, noun: str, item, actor: User | None, name, slug, description):
    is_new = item.id is None
    old_name, old_slug, old_description = item.name, item.slug, item.description or ""
    name = _clean_name(name, noun)
    typed = (slug or "").strip().lower()
    # The address it has is kept as it is, even one longer than today's limit allows.
    slug = typed if item.id is not None and typed == item.slug else clean_slug(slug)
    _check_name_free(model, name, noun, item.id)
    if slug is None and item.id is not None:
        slug = item.slug  # renaming keeps the address unless a new one is typed
    slug = _choose_slug(model, noun, item, name, slug)
    if item.id is None:
        db.session.add(item)
    elif item.slug != slug:
        keep_old_slug(kind, item.id, item.slug, slug)
    item.name, item.slug, item.description = name, slug, (description or "").strip()
    details: dict = {}
    if not is_new and old_name != name:
        details["name"] = audit.change(old_name, name)
    if not is_new and old_slug != slug:
        details["slug"] = audit.change(old_slug, slug)
    if not is_new and old_description != item.description:
        details["description"] = "changed"
    if is_new or details:
        action = f"{noun}.create" if is_new else f"{noun}.edit"
        _commit(lambda: audit.record(actor, action, audit.describe(noun, item), **details))
    else:
        _commit()
    return item


# Sections


def get_section(section_id: int) -> Section:
    return get_by_id(Section, section_id)


def ordered_sections() -> list[Section]:
    return list(db.session.scalars(select(Section).order_by(Section.position, Section.id)))


def section_article_counts() -> dict[int, int]:
    """Articles per section id, every status included."""
    rows = db.session.execute(
        select(Article.section_id, func.count(Article.id))
        .where(Article.section_id.is_not(None))
        .group_by(Article.section_id)
    )
    return {section_id: count for section_id, count in rows}


def create_section(
    name: str, slug: str | None = None, description: str = "", *, actor: User | None = None
) -> Section:
    """A new section at the end of the navigation; the slug comes from the name if blank."""
    last = db.session.scalar(select(func.max(Section.position)))
    section = Section(position=(last + 1) if last is not None else 0)
    return _save(Section, SlugKind.SECTION, "section", section, actor, name, slug, description)


def update_section(
    section: Section, name: str, slug: str | None, description: str, *, actor: User | None = None
) -> Section:
    """Rename or re-describe; a changed slug keeps the old one as a redirect."""
    return _save(Section, SlugKind.SECTION, "section", section, actor, name, slug, description)


def move_section(section: Section, direction: str) -> None:
    """Swap the section with its neighbour ("up" or "down"); positions are renumbered 0..n-1."""
    if direction not in ("up", "down"):
        raise TaxonomyError("A section moves up or down.")
    sections = ordered_sections()
    index = sections.index(section)
    other = index - 1 if direction == "up" else index + 1
    if 0 <= other < len(sections):
        sections[index], sections[other] = sections[other], sections[index]
    for position, item in enumerate(sections):
        item.position = position
    db.session.commit()


def delete_section(
    section: Section, move_to: Section | None = None, *, actor: User | None = None
) -> int:
    """Delete the section, first moving its articles to `move_to`; returns how many moved.

    A section that still has articles is only deleted when a destination is given; its
    addresses then redirect to that destination.
    """
    count = section_article_counts().get(section.id, 0)
    if move_to is not None and move_to.id == section.id:
        raise TaxonomyError("Choose a different section to move the articles to.", field="move_to")
    if count and move_to is None:
        noun = "article" if count == 1 else "articles"
        raise TaxonomyError(
            f"“{section.name}” still has {count} {noun}. Choose a section to move "
            f"{'it' if count == 1 else 'them'} to, or move {'it' if count == 1 else 'them'} first.",
            field="move_to",
        )
    old_slugs = OldSlug.kind == SlugKind.SECTION
    if move_to is not None:
        db.session.execute(
            update(Article)
            .where(Article.section_id == section.id)
            .values(section_id=move_to.id)
            .execution_options(synchronize_session=False)
        )
        # Readers following an old link land where the articles went.
        db.session.execute(
            update(OldSlug)
            .where(old_slugs, OldSlug.target_id == section.id)
            .values(target_id=move_to.id)
        )
        keep_old_slug(SlugKind.SECTION, move_to.id, section.slug, move_to.slug)
        # And so do the addresses the section had on a site imported from elsewhere.
        db.session.execute(
            update(OldUrl).where(OldUrl.section_id == section.id).values(section_id=move_to.id)
        )
    else:
        db.session.execute(delete(OldSlug).where(old_slugs, OldSlug.target_id == section.id))
    moved = (
        {"articles_moved": count, "moved_to": audit.describe("section", move_to)}
        if move_to is not None and count
        else {}
    )
    audit.record(actor, "section.delete", audit.describe("section", section), **moved)
    db.session.delete(section)
    db.session.flush()
    for position, item in enumerate(ordered_sections()):
        item.position = position
    db.session.commit()
    return count


# Topics


def get_topic(topic_id: int) -> Topic:
    return get_by_id(Topic, topic_id)


def topics_by_name() -> list[Topic]:
    return list(db.session.scalars(select(Topic).order_by(Topic.name)))


def topic_page(query: str, *, page: int, per_page: int):
    """One page of topics by name, those whose name contains `query` when it is not empty."""
    statement = select(Topic).order_by(Topic.name, Topic.id)
    if query:
        statement = statement.where(Topic.name.icontains(query, autoescape=True))
    return db.paginate(statement, page=page, per_page=per_page)


def topic_article_counts(topic_ids: list[int]) -> dict[int, int]:
    rows = db.session.execute(
        select(article_topics.c.topic_id, func.count())
        .where(article_topics.c.topic_id.in_(topic_ids))
        .group_by(article_topics.c.topic_id)
    )
    return {topic_id: count for topic_id, count in rows}


def create_topic(
    name: str, slug: str | None = None, description: str = "", *, actor: User | None = None
) -> Topic:
    return _save(Topic, SlugKind.TOPIC, "topic", Topic(), actor, name, slug, description)


def update_topic(
    topic: Topic, name: str, slug: str | None, description: str, *, actor: User | None = None
) -> Topic:
    """Rename or re-describe; a changed slug keeps the old one as a redirect."""
    return _save(Topic, SlugKind.TOPIC, "topic", topic, actor, name, slug, description)


def delete_topic(topic: Topic, *, actor: User | None = None) -> int:
    """Delete the topic, unlinking it from its articles (which stay); returns how many."""
    count = topic_article_counts([topic.id]).get(topic.id, 0)
    audit.record(actor, "topic.delete", audit.describe("topic", topic), articles_unlinked=count)
    db.session.execute(delete(article_topics).where(article_topics.c.topic_id == topic.id))
    db.session.execute(
        delete(OldSlug).where(OldSlug.kind == SlugKind.TOPIC, OldSlug.target_id == topic.id)
    )
    db.session.delete(topic)
    db.session.commit()
    return count
