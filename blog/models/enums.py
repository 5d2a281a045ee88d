"""The status and role vocabularies stored in the database."""

from enum import StrEnum

from sqlalchemy import Enum


class Role(StrEnum):
    AUTHOR = "author"
    EDITOR = "editor"
    ADMIN = "admin"


class ArticleStatus(StrEnum):
    DRAFT = "draft"
    REVIEW = "review"
    PUBLISHED = "published"


class CommentStatus(StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    SPAM = "spam"
    DELETED = "deleted"


class SlugKind(StrEnum):
    ARTICLE = "article"
    SECTION = "section"
    TOPIC = "topic"
    AUTHOR = "author"
    PAGE = "page"


class PageStatus(StrEnum):
    DRAFT = "draft"
    PUBLISHED = "published"


class MenuName(StrEnum):
    HEADER = "header"
    FOOTER = "footer"


class MenuLinkKind(StrEnum):
    SECTION = "section"
    TOPIC = "topic"
    PAGE = "page"
    URL = "url"


def enum_column_type(enum_cls: type[StrEnum], name: str) -> Enum:
    """A portable VARCHAR + CHECK column for a StrEnum, storing its values."""
    return Enum(
        enum_cls,
        name=name,
        native_enum=False,
        create_constraint=True,
        length=20,
        values_callable=lambda members: [m.value for m in members],
        validate_strings=True,
    )
