"""Editor-side queries: the dashboard's lists and the filtered articles list."""

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload, selectinload

from blog.extensions import db
from blog.models import Article, ArticleCoauthor, ArticleStatus, Comment, CommentStatus, User
from blog.models.base import utcnow
from blog.permissions import is_editor
from blog.services.bylines import credits_person

DASHBOARD_LIST_SIZE = 8


@dataclass
class Dashboard:
    my_drafts: list[Article]
    in_review: list[Article]
    scheduled: list[Article]
    recently_published: list[Article]
    pending_comments: list[Comment]
    pending_comment_count: int


def list_options():
    """What an editor's list shows of each article: everyone credited (which also tells
    who may edit it) and the section."""
    return (
        joinedload(Article.author),
        selectinload(Article.coauthor_links).joinedload(ArticleCoauthor.user),
        joinedload(Article.section),
    )


def _articles(*conditions, order) -> list[Article]:
    return list(
        db.session.scalars(
            select(Article)
            .where(*conditions)
            .options(*list_options())
            .order_by(*order)
            .limit(DASHBOARD_LIST_SIZE)
        )
    )


def dashboard(user: User) -> Dashboard:
    """What needs this person's attention; authors see only their own work (co-authored
    work included)."""
    now = utcnow()
    mine = (credits_person(user.id),)
    scope = () if is_editor(user) else mine
    published = Article.status == ArticleStatus.PUBLISHED
    pending: list[Comment] = []
    pending_count = 0
    if is_editor(user):
        pending = list(
            db.session.scalars(
                select(Comment)
                .where(Comment.status == CommentStatus.PENDING)
                .options(joinedload(Comment.article))
                .order_by(Comment.created_at.desc())
                .limit(DASHBOARD_LIST_SIZE)
            )
        )
        pending_count = db.session.scalar(
            select(func.count(Comment.id)).where(Comment.status == CommentStatus.PENDING)
        )
    return Dashboard(
        my_drafts=_articles(
            *mine, Article.status == ArticleStatus.DRAFT, order=(Article.updated_at.desc(),)
        ),
        in_review=_articles(
            *scope, Article.status == ArticleStatus.REVIEW, order=(Article.updated_at.desc(),)
        ),
        scheduled=_articles(
            *scope, published, Article.published_at > now, order=(Article.published_at,)
        ),
        recently_published=_articles(
            *scope, published, Article.published_at <= now, order=(Article.published_at.desc(),)
        ),
        pending_comments=pending,
        pending_comment_count=pending_count or 0,
    )


EDITOR_PAGE_SIZE = 25


def article_page(
    user: User,
    *,
    status: str = "",
    section_id: int | None = None,
    author_id: int | None = None,
    page: int = 1,
):
    """The editor's articles list, newest work first; authors see only their own (an
    article is someone's when it credits them, as lead author or co-author)."""
    now = utcnow()
    query = (
        select(Article)
        .options(*list_options())
        .order_by(Article.updated_at.desc(), Article.id.desc())
    )
    if not is_editor(user):
        query = query.where(credits_person(user.id))
    elif author_id:
        query = query.where(credits_person(author_id))
    if section_id:
        query = query.where(Article.section_id == section_id)
    if status in ("draft", "review"):
        query = query.where(Article.status == ArticleStatus(status))
    elif status in ("scheduled", "published"):
        is_due = Article.published_at <= now
        query = query.where(
            Article.status == ArticleStatus.PUBLISHED, is_due if status == "published" else ~is_due
        )
    return db.paginate(query, page=page, per_page=EDITOR_PAGE_SIZE, error_out=True)


def people(*, keep_ids: Iterable[int] = (), everyone: bool = False) -> list[User]:
    """Active people by name (or everyone), plus those in `keep_ids` (an article's authors
    who have since left): who an article may be credited to, or filtered by."""
    statement = select(User).order_by(User.display_name)
    if not everyone:
        statement = statement.where(User.active | User.id.in_(list(keep_ids)))
    return list(db.session.scalars(statement))
