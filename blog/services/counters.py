"""The denormalized counters on articles, recomputed from their source rows."""

from sqlalchemy import func, select, update

from blog.extensions import db
from blog.models import Article, Comment, CommentStatus, ShareTally


def refresh_article_counters(article_ids: list[int] | None = None) -> None:
    """Set comment_count and share_count from the comments and share tallies (no commit)."""
    approved = (
        select(func.count(Comment.id))
        .where(Comment.article_id == Article.id, Comment.status == CommentStatus.APPROVED)
        .scalar_subquery()
    )
    shared = (
        select(func.coalesce(func.sum(ShareTally.count), 0))
        .where(ShareTally.article_id == Article.id)
        .scalar_subquery()
    )
    statement = update(Article).values(comment_count=approved, share_count=shared)
    if article_ids is not None:
        statement = statement.where(Article.id.in_(article_ids))
    # A recount follows the comment or share rows it counts, which decide on their own
    # whether cached pages change (blog/pagecache.py).
    db.session.execute(
        statement.execution_options(synchronize_session=False, page_cache_quiet=True)
    )
