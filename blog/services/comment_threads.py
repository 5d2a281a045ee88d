"""Reading reader comments: the article's threaded pages (oldest or newest first) and
its comment feed, the poster's own comment and the moderation queue."""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field

from sqlalchemy import ColumnElement, Select, exists, func, or_, select
from sqlalchemy.orm import aliased, joinedload

from blog.domain import NotFound
from blog.extensions import db
from blog.models import Article, Comment, CommentStatus
from blog.pagination import Page, paginate
from blog.services import articles, comment_reports
from blog.services.comment_reports import ReportSummary
from blog.services.comments import (
    PLACEHOLDERS,
    CommentRejected,
    clean_email,
    not_yours_message,
    within_edit_window,
)

PAGE_SIZE = 50  # top-level comments per page of the article's thread


# ---------- The moderators' list ----------


def get_comment(comment_id: int) -> Comment:
    """Any comment, whatever its status; NotFound if there is none with this id."""
    comment = db.session.get(Comment, comment_id)
    if comment is None:
        raise NotFound("No such comment.")
    return comment


# Comments with readers' reports no moderator has dealt with yet. Not those their poster
# deleted since: gone from the page, they need no decision (their reports stay counted,
# and a moderator's restore or delete dismisses them).
HAS_WAITING_REPORTS = (Comment.report_count > 0) & (Comment.status != CommentStatus.DELETED)


def moderation_queue(
    status: CommentStatus | None = None,
    article_id: int | None = None,
    email: str = "",
    *,
    reported: bool = False,
) -> Select[tuple[Comment]]:
    """Comments for the moderators' list, newest first; `reported`: only those with
    readers' reports not yet dealt with (HAS_WAITING_REPORTS)."""
    query = (
        select(Comment)
        .options(joinedload(Comment.article))
        .order_by(Comment.created_at.desc(), Comment.id.desc())
    )
    if status is not None:
        query = query.where(Comment.status == status)
    if reported:
        query = query.where(HAS_WAITING_REPORTS)
    if article_id is not None:
        query = query.where(Comment.article_id == article_id)
    if email:
        query = query.where(Comment.author_email == clean_email(email))
    return query


def status_counts(article_id: int | None = None, email: str = "") -> dict[str, int]:
    """How many comments each status holds under the article and e-mail filters, under
    "all" their sum, and under "reported" those with readers' reports not yet dealt with."""
    query = select(
        Comment.status,
        func.count(Comment.id),
        func.count(Comment.id).filter(HAS_WAITING_REPORTS),
    ).group_by(Comment.status)
    if article_id is not None:
        query = query.where(Comment.article_id == article_id)
    if email:
        query = query.where(Comment.author_email == clean_email(email))
    counts = {status.value: 0 for status in CommentStatus}
    reported = 0
    for status, n, with_reports in db.session.execute(query):
        counts[status.value] = n
        reported += with_reports
    counts["all"] = sum(counts.values())
    counts["reported"] = reported
    return counts


@dataclass
class ModerationList:
    page: Page[Comment]  # newest first
    article: Article | None  # the article the list is narrowed to
    counts: dict[str, int]  # by status, under the same article and e-mail
    reports: dict[int, list[ReportSummary]]  # the listed comments' standing reports
    reviewed: set[int]  # those whose earlier reports a moderator dealt with: no longer hidden


def moderation_list(
    status: CommentStatus | None,
    article_id: int | None,
    email: str,
    *,
    page: int,
    per_page: int,
    reported: bool = False,
) -> ModerationList:
    """One page of the moderators' list under its filters; a page past the end is empty."""
    listed = paginate(
        moderation_queue(status, article_id, email, reported=reported),
        page,
        per_page,
        past_end_ok=True,
    )
    return ModerationList(
        page=listed,
        article=db.session.get(Article, article_id) if article_id is not None else None,
        counts=status_counts(article_id, email),
        reports=comment_reports.summaries(c.id for c in listed.items if c.report_count),
        reviewed=comment_reports.reviewed(c.id for c in listed.items if c.report_count),
    )


# ---------- The poster's own comment ----------


def own_comment(comment_id: int, owned_ids: Iterable[int]) -> Comment:
    """The comment of a public article that this device posted and may still change.

    NotFound when no such comment is on show (or it was deleted); CommentRejected
    ("not_yours") when the device did not post it or the edit window has passed.
    """
    comment = db.session.get(Comment, comment_id)
    if comment is None or comment.status == CommentStatus.DELETED:
        raise NotFound("No such comment.")
    on_public_article = db.session.scalar(
        select(Article.id).where(Article.id == comment.article_id, articles.is_public())
    )
    if on_public_article is None:
        raise NotFound("No such comment.")
    if comment.id not in set(owned_ids) or not within_edit_window(comment):
        raise CommentRejected("not_yours", not_yours_message())
    return comment


# ---------- The article's thread ----------


@dataclass
class ThreadNode:
    comment: Comment
    replies: list[ThreadNode] = field(default_factory=list)
    is_own: bool = False
    placeholder: str | None = None  # the text shown instead of a hidden comment

    @property
    def is_pending_for_poster(self) -> bool:
        return self.is_own and self.comment.status in (CommentStatus.PENDING, CommentStatus.SPAM)


@dataclass
class ThreadPage:
    nodes: list[ThreadNode]
    page: int
    pages: int
    roots: int = 0  # top-level comments shown on all pages together

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages


def _own_visible(model, own_ids: set[int]) -> ColumnElement[bool]:
    """The poster's own comments that others do not see yet (spam is kept silent)."""
    if not own_ids:
        return model.id.in_([])
    return model.id.in_(sorted(own_ids)) & model.status.in_(
        [CommentStatus.PENDING, CommentStatus.SPAM]
    )


# Built once: an alias adapts its columns on first use, a cost worth paying once per process.
_CHILD = aliased(Comment, name="child")
_GRANDCHILD = aliased(Comment, name="grandchild")
_LEVEL2 = aliased(Comment, name="level2")


def _shown_root(own_ids: set[int]) -> ColumnElement[bool]:
    """A top-level comment on show: approved, the poster's own, or hidden but with an
    approved reply below it (then shown as a placeholder that keeps the thread)."""
    child, grandchild = _CHILD, _GRANDCHILD
    approved_reply = exists().where(
        child.parent_id == Comment.id,
        or_(
            child.status == CommentStatus.APPROVED,
            exists().where(
                grandchild.parent_id == child.id, grandchild.status == CommentStatus.APPROVED
            ),
        ),
    )
    return or_(
        Comment.status == CommentStatus.APPROVED, _own_visible(Comment, own_ids), approved_reply
    )


def _root_filter(article_id: int, own_ids: set[int]) -> tuple[ColumnElement[bool], ...]:
    return (Comment.article_id == article_id, Comment.parent_id.is_(None), _shown_root(own_ids))


def _root_order(newest_first: bool) -> tuple[ColumnElement, ...]:
    """Top-level comments oldest first, or newest first (the thread index read backwards)."""
    if newest_first:
        return (Comment.created_at.desc(), Comment.id.desc())
    return (Comment.created_at, Comment.id)


def thread_page(
    article: Article, page: int = 1, own_ids: Iterable[int] = (), *, newest_first: bool = False
) -> ThreadPage | None:
    """One page of the thread (PAGE_SIZE top-level comments with all their replies), in
    two queries whatever its size. None when the page number is past the end.

    Newest first orders the top-level comments only: each keeps its replies below it,
    oldest first, so a conversation still reads in the order it was held."""
    own = set(own_ids)
    rows = db.session.execute(
        select(Comment, func.count().over().label("total"))
        .where(*_root_filter(article.id, own))
        .order_by(*_root_order(newest_first))
        .offset((page - 1) * PAGE_SIZE)
        .limit(PAGE_SIZE)
    ).all()
    if not rows:
        return ThreadPage([], 1, 0) if page == 1 else None
    roots = [row[0] for row in rows]
    root_ids = [c.id for c in roots]
    # Replies hang from a root or from a reply to one: one list of parents lets the
    # thread index find them by (article, parent) instead of reading the whole thread.
    level2 = _LEVEL2
    parents = select(level2.id).where(or_(level2.id.in_(root_ids), level2.parent_id.in_(root_ids)))
    replies = db.session.scalars(
        select(Comment)
        .where(Comment.article_id == article.id, Comment.parent_id.in_(parents))
        .order_by(Comment.created_at, Comment.id)
    ).all()
    nodes = {c.id: ThreadNode(c, is_own=c.id in own) for c in [*roots, *replies]}
    for comment in replies:
        nodes[comment.parent_id].replies.append(nodes[comment.id])
    shown = [node for node in (nodes[i] for i in root_ids) if _prune(node)]
    total = rows[0].total
    return ThreadPage(shown, page, math.ceil(total / PAGE_SIZE), roots=total)


def _prune(node: ThreadNode) -> bool:
    """Keep what the reader may see; a hidden comment with shown replies becomes a
    placeholder. Returns whether the node is shown at all."""
    node.replies = [reply for reply in node.replies if _prune(reply)]
    status = node.comment.status
    if status == CommentStatus.APPROVED or node.is_pending_for_poster:
        return True
    if node.replies:
        node.placeholder = PLACEHOLDERS.get(status, PLACEHOLDERS[CommentStatus.DELETED])
        return True
    return False


def page_of(comment: Comment, own_ids: Iterable[int] = (), *, newest_first: bool = False) -> int:
    """The thread page on which this comment appears (through its top-level comment)."""
    root = comment
    while root.parent is not None:
        root = root.parent
    if newest_first:
        before = or_(
            Comment.created_at > root.created_at,
            (Comment.created_at == root.created_at) & (Comment.id > root.id),
        )
    else:
        before = or_(
            Comment.created_at < root.created_at,
            (Comment.created_at == root.created_at) & (Comment.id < root.id),
        )
    earlier = db.session.scalar(
        select(func.count(Comment.id)).where(*_root_filter(root.article_id, set(own_ids)), before)
    )
    return (earlier or 0) // PAGE_SIZE + 1


# ---------- The article's comment feed ----------


@dataclass
class FeedComment:
    comment: Comment
    page: int  # the thread page (oldest first) its permalink points to


_PARENT = aliased(Comment, name="parent")
_GRANDPARENT = aliased(Comment, name="grandparent")


def comment_feed(article: Article, size: int) -> list[FeedComment]:
    """The article's newest `size` approved comments, each with the thread page its
    permalink needs, in two queries: a reply's top-level comment is at most two parents
    up (MAX_DEPTH 3), and the pages come from one numbering of the shown top-level
    comments, as every reader sees them."""
    parent, grandparent = _PARENT, _GRANDPARENT
    root_id = func.coalesce(grandparent.id, parent.id, Comment.id).label("root_id")
    rows = db.session.execute(
        select(Comment, root_id)
        .outerjoin(parent, parent.id == Comment.parent_id)
        .outerjoin(grandparent, grandparent.id == parent.parent_id)
        .where(Comment.article_id == article.id, Comment.status == CommentStatus.APPROVED)
        .order_by(Comment.created_at.desc(), Comment.id.desc())
        .limit(size)
    ).all()
    if not rows:
        return []
    position = func.row_number().over(order_by=_root_order(False)).label("position")
    numbered = select(Comment.id, position).where(*_root_filter(article.id, set())).subquery()
    wanted = sorted({row.root_id for row in rows})
    positions: dict[int, int] = {
        root: number
        for root, number in db.session.execute(
            select(numbered.c.id, numbered.c.position).where(numbered.c.id.in_(wanted))
        )
    }
    return [
        FeedComment(comment, (positions.get(root, 1) - 1) // PAGE_SIZE + 1)
        for comment, root in rows
    ]
