"""Readers' reports of comments: one per reader per comment, counted on the comment until a
moderator deals with them, and enough of them (the `report_hide_threshold` setting) hide
the comment until a moderator has looked at it."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import delete, func, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from blog.domain import DomainError, NotFound
from blog.extensions import db
from blog.models import Article, Comment, CommentReport, CommentStatus, User
from blog.models.base import utcnow

# comments imports notifications, which imports moderation, which imports this module:
# the names of comments, moderation and notifications are read when called, not at import.
from blog.services import articles, audit, comments, moderation, notifications, settings
from blog.text import strip_control_characters

REPORT_REASONS = {
    "spam": "Spam or advertising",
    "abuse": "Abuse or harassment",
    "off_topic": "Off-topic",
    "other": "Something else",
}
MAX_DETAIL_LENGTH = 500
# The comment's held_reason once reports have hidden it (named in comment_holds.HELD_REASONS).
HELD_REASON = "reported"
GONE_MESSAGE = "This comment is no longer shown, so it cannot be reported."
# Writes to report_count alone change no public page (declared quiet on Comment).
_QUIET = {"synchronize_session": False, "page_cache_quiet": True}


class ReportRejected(DomainError):
    """A report the site will not take; the message is for the reader, `field` names the
    form field it belongs beside."""


@dataclass(frozen=True)
class ReportOutcome:
    is_new: bool  # False: this reader had reported the comment already (nothing stored)
    hides: bool  # this report hid the comment until a moderator looks at it


def _on_public_article(comment_id: int) -> Comment | None:
    return db.session.scalar(
        select(Comment)
        .join(Article, Article.id == Comment.article_id)
        .where(Comment.id == comment_id, articles.is_public())
    )


def reportable_comment(comment_id: int) -> Comment:
    """A comment readers can see and report: approved, on a public article; else NotFound."""
    comment = _on_public_article(comment_id)
    if comment is None or comment.status != CommentStatus.APPROVED:
        raise NotFound(GONE_MESSAGE)
    return comment


def has_reported(comment_id: int, reporter_key: str) -> bool:
    """Whether this reader's report of the comment is still waiting for a moderator."""
    found = db.session.scalar(
        select(CommentReport.id).where(
            CommentReport.comment_id == comment_id, CommentReport.reporter_key == reporter_key
        )
    )
    return found is not None


def report_page_comment(comment_id: int, reporter_key: str) -> tuple[Comment, bool]:
    """The comment of a report page and whether this reader has reported it already: an
    approved comment of a public article, or one that reports have hidden since, for a
    reader who reported it (their thank-you page). NotFound otherwise."""
    comment = _on_public_article(comment_id)
    if comment is not None:
        reported = has_reported(comment_id, reporter_key)
        if comment.status == CommentStatus.APPROVED:
            return comment, reported
        is_hidden_by_reports = (
            comment.status == CommentStatus.PENDING and comment.held_reason == HELD_REASON
        )
        if is_hidden_by_reports and reported:
            return comment, True
    raise NotFound(GONE_MESSAGE)


def clean_detail(value: str | None) -> str:
    """What the reader added: Unix newlines, control characters dropped, trimmed."""
    text = (value or "").replace("\r\n", "\n").replace("\r", "\n")
    return strip_control_characters(text).strip()


def _checked(reason: str, detail: str) -> tuple[str, str]:
    if reason not in REPORT_REASONS:
        raise ReportRejected("Choose why you are reporting this comment.", "reason")
    detail = clean_detail(detail)
    if len(detail) > MAX_DETAIL_LENGTH:
        raise ReportRejected(f"At most {MAX_DETAIL_LENGTH} characters, please.", "detail")
    return reason, detail


def _insert_report():
    """INSERT that skips a second report by the same reader, in the session's dialect."""
    dialect = db.session.get_bind().dialect.name
    if dialect == "postgresql":
        return postgresql.insert(CommentReport)
    if dialect == "sqlite":
        return sqlite.insert(CommentReport)
    raise NotImplementedError(f"comment reports need SQLite or PostgreSQL, not {dialect}")


def report(comment: Comment, reason: str, detail: str = "", *, reporter_key: str) -> ReportOutcome:
    """Store a reader's report of an approved comment (commits). `reporter_key` is the
    reader's hashed client key (blog.ratelimit.client_key), never an address.

    A second report by the same reader stores nothing (is_new False). When the comment's
    reports reach the site's threshold, it waits for a moderator (PENDING, held_reason
    "reported"): the article's count and cached pages follow. ReportRejected for a bad
    reason or detail; NotFound when the comment is no longer shown.
    """
    reason, detail = _checked(reason, detail)
    threshold = settings.load().report_hide_threshold
    try:
        # _changing takes the article's row lock (PostgreSQL), and the INSERT SQLite's write
        # lock: the reports of one comment are stored one after the other, each counting
        # every report stored before it, and the status read below stays true until commit.
        with comments._changing([comment.article_id]):
            stored = db.session.execute(
                _insert_report()
                .values(
                    comment_id=comment.id,
                    reporter_key=reporter_key,
                    reason=reason,
                    detail=detail,
                    created_at=utcnow(),
                )
                .on_conflict_do_nothing(index_elements=["comment_id", "reporter_key"])
                .returning(CommentReport.id)
            ).first()
            if stored is None:
                return ReportOutcome(is_new=False, hides=False)
            status = db.session.scalar(select(Comment.status).where(Comment.id == comment.id))
            if status != CommentStatus.APPROVED:  # hidden or deleted meanwhile
                raise NotFound(GONE_MESSAGE)
            count = db.session.scalar(
                select(func.count(CommentReport.id)).where(CommentReport.comment_id == comment.id)
            )
            db.session.execute(
                update(Comment)
                .where(Comment.id == comment.id)
                .values(report_count=count)
                .execution_options(**_QUIET)
            )
            # Staff comments are reported like any other, but only a moderator hides one:
            # readers acting together cannot silence the newsroom's own answers.
            hides = bool(threshold) and count >= threshold and not comment.is_staff
            if hides:
                # Through the ORM: the page cache sees the status change, _changing recounts.
                comment.status = CommentStatus.PENDING
                comment.held_reason = HELD_REASON
                comment.updated_at = utcnow()
                notifications.comment_held(comment)
    except IntegrityError as exc:  # the comment was deleted meanwhile
        raise NotFound(GONE_MESSAGE) from exc
    return ReportOutcome(is_new=True, hides=hides)


# ---------- The moderators' side ----------


@dataclass(frozen=True)
class ReportSummary:
    """The reports of one comment as the moderation queue shows them."""

    reason: str  # REPORT_REASONS key
    label: str
    count: int
    details: list[str]  # what readers added, newest first (empty ones left out)


def summaries(comment_ids: Iterable[int]) -> dict[int, list[ReportSummary]]:
    """The standing reports of these comments, by comment, grouped by reason (most often
    given first), in one query."""
    ids = sorted(set(comment_ids))
    if not ids:
        return {}
    rows = db.session.execute(
        select(CommentReport.comment_id, CommentReport.reason, CommentReport.detail)
        .where(CommentReport.comment_id.in_(ids))
        .order_by(CommentReport.created_at.desc(), CommentReport.id.desc())
    ).all()
    grouped: dict[int, dict[str, list[str]]] = {}
    for comment_id, reason, detail in rows:
        grouped.setdefault(comment_id, {}).setdefault(reason, []).append(detail)
    return {
        comment_id: sorted(
            (
                ReportSummary(
                    reason,
                    REPORT_REASONS.get(reason, reason),
                    len(details),
                    [d for d in details if d],
                )
                for reason, details in by_reason.items()
            ),
            key=lambda summary: -summary.count,
        )
        for comment_id, by_reason in grouped.items()
    }


def dismiss(comment_ids: Iterable[int], *, actor: User | None = None) -> dict[int, int]:
    """A moderator dealt with these comments: their reports are removed and their counts
    reset, each recorded in the audit log (commits). Returns how many reports each
    comment had, for the comments that had any."""
    ids = sorted({int(i) for i in comment_ids})
    if not ids:
        return {}
    article_ids = db.session.scalars(select(Comment.article_id).where(Comment.id.in_(ids)))
    # The articles' row locks (PostgreSQL), as a report takes them: no report is stored
    # between the delete and the count's reset below.
    with comments._changing(set(article_ids)):
        removed = db.session.scalars(
            delete(CommentReport)
            .where(CommentReport.comment_id.in_(ids))
            .returning(CommentReport.comment_id)
        ).all()
        counts = Counter(removed)
        db.session.execute(
            update(Comment)
            .where(Comment.id.in_(ids), Comment.report_count != 0)
            .values(report_count=0)
            .execution_options(**_QUIET)
        )
        dealt = db.session.scalars(
            select(Comment)
            .options(joinedload(Comment.article))
            .where(Comment.id.in_(sorted(counts)))
            .order_by(Comment.id)
        )
        for comment in dealt:
            audit.record(
                actor,
                "comment.reports_dismiss",
                moderation.audit_target(comment),
                reports=counts[comment.id],
            )
    return dict(counts)
