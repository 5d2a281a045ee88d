"""Unique, readable slugs for articles, sections, topics and people."""

from slugify import slugify
from sqlalchemy import select

from blog.extensions import db

MAX_SLUG_LENGTH = 80


def make_slug(text: str, fallback: str = "item") -> str:
    return slugify(text, max_length=MAX_SLUG_LENGTH, word_boundary=True) or fallback


def unique_slug(model, text: str, *, exclude_id: int | None = None, fallback: str = "item") -> str:
    """make_slug(text), with -2, -3, ... appended when another row has it."""
    base = make_slug(text, fallback)
    taken = set(
        db.session.scalars(
            select(model.slug).where(
                (model.slug == base) | model.slug.like(f"{base}-%"),
                model.id != (exclude_id or 0),
            )
        )
    )
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    return slug
