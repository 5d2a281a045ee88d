"""Readers' reports of comments: one per reader per comment, a reader being the keyed hash
of their network (blog.ratelimit.network_key), so that changing address does not make a
second reader. Reports are counted on the comment until a moderator deals with them, and
enough of them (the `report_hide_threshold` setting) hide the comment until a moderator
has looked at it. A moderator's decision dismisses the reports but keeps their rows: the
same readers cannot report that comment again, and later reports reach the queue without
hiding the comment again."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import exists, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from blog.database import dialect_insert
from blog.domain import DomainError, NotFound
from blog.extensions import db
from blog.models import Article, Comment, CommentReport, CommentStatus, User
from blog.models.base import utcnow

# comments imports notifications, which imports moderation, which imports this module:
# the names of comments, moderation and notifications are read when called, not at import.
from blog.services import articles, audit, comments, moderation, notifications, settings
from blog.services.comment_holds import REPORTED  # the hold that enough reports set
from blog.text import strip_control_characters

REPORT_REASONS = {
    "spam": "Spam or advertising",
    "abuse": "Abuse or harassment",
    "off_topic": "Off-topic",
    "other": "Something else",
}
MAX_DETAIL_LENGTH = 500
GONE_MESSAGE = "This comment is no longer shown, so it cannot be reported."
# Writes to report_count alone change no public page (declared quiet on Comment).
_QUIET = {"synchronize_session": False, "page_cache_quiet": True}


class ReportRejected(DomainError):
    """A report the site will not take; the message is for the reader, `field` names the
    form field it belongs beside."""


@dataclass(frozen=True)
class ReportOutcome:
    is_new: bool  # False: this reader (network) had reported the comment already
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
    """Whether this reader has reported the comment, waiting or dismissed alike."""
    found = db.session.scalar(
        select(CommentReport.id).where(
            CommentReport.comment_id == comment_id, CommentReport.reporter_key == reporter_key
        )
    )
    return found is not None


def report_page_comment(comment_id: int, reporter_key: str) -> tuple[Comment, bool]:
    """The comment of a report page and whether this reader has reported it already: an
    approved comment of a public article, or one that reports have hidden since, for a
    reader who reported it (their thank-you page, which must not show its text). NotFound
    otherwise."""
    comment = _on_public_article(comment_id)
    if comment is not None:
        reported = has_reported(comment_id, reporter_key)
        if comment.status == CommentStatus.APPROVED:
            return comment, reported
        is_hidden_by_reports = (
            comment.status == CommentStatus.PENDING and comment.held_reason == REPORTED
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


def _waiting(comment_id: int):
    """The comment's reports no moderator has dealt with yet."""
    return (CommentReport.comment_id == comment_id) & CommentReport.dismissed_at.is_(None)


def _was_reviewed(comment_id: int):
    """A moderator has dealt with reports of this comment before."""
    return exists().where(
        CommentReport.comment_id == comment_id, CommentReport.dismissed_at.is_not(None)
    )


def report(comment: Comment, reason: str, detail: str = "", *, reporter_key: str) -> ReportOutcome:
    """Store a reader's report of an approved comment (commits). `reporter_key` is the
    reader's hashed network (blog.ratelimit.network_key), never an address.

    A second report by the same reader stores nothing (is_new False), even after a
    moderator dismissed the first. When the comment's waiting reports reach the site's
    threshold, it waits for a moderator (PENDING, held_reason "reported"): the article's
    count and cached pages follow; but never again once a moderator has dealt with its
    reports (the new ones only reach the queue). ReportRejected for a bad reason or
    detail; NotFound when the comment is no longer shown.
    """
    reason, detail = _checked(reason, detail)
    threshold = settings.load().report_hide_threshold
    try:
        # _changing takes the article's row lock (PostgreSQL), and the INSERT SQLite's write
        # lock: the reports of one comment are stored one after the other, each counting
        # every report stored before it, and the status read below stays true until commit.
        with comments._changing([comment.article_id]):
            stored = db.session.execute(
                dialect_insert(CommentReport)
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
                select(func.count(CommentReport.id)).where(_waiting(comment.id))
            )
            db.session.execute(
                update(Comment)
                .where(Comment.id == comment.id)
                .values(report_count=count)
                .execution_options(**_QUIET)
            )
            # Staff comments are reported like any other, but only a moderator hides one:
            # readers acting together cannot silence the newsroom's own answers. Nor can
            # they overrule a moderator who has kept the comment after earlier reports.
            hides = (
                bool(threshold)
                and count >= threshold
                and not comment.is_staff
                and not db.session.scalar(select(_was_reviewed(comment.id)))
            )
            if hides:
                # Through the ORM: the page cache sees the status change, _changing recounts.
                comment.status = CommentStatus.PENDING
                comment.held_reason = REPORTED
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
    """The waiting (not dismissed) reports of these comments, by comment, grouped by
    reason (most often given first), in one query."""
    ids = sorted(set(comment_ids))
    if not ids:
        return {}
    rows = db.session.execute(
        select(CommentReport.comment_id, CommentReport.reason, CommentReport.detail)
        .where(CommentReport.comment_id.in_(ids), CommentReport.dismissed_at.is_(None))
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


def reviewed(comment_ids: Iterable[int]) -> set[int]:
    """Those of these comments whose reports a moderator has dealt with before: reports
    no longer hide them."""
    ids = sorted(set(comment_ids))
    if not ids:
        return set()
    return set(
        db.session.scalars(
            select(CommentReport.comment_id)
            .distinct()
            .where(CommentReport.comment_id.in_(ids), CommentReport.dismissed_at.is_not(None))
        )
    )


def dismiss(comment_ids: Iterable[int], *, actor: User | None = None) -> dict[int, int]:
    """A moderator dealt with these comments: their waiting reports are dismissed (kept,
    with the time) and their counts reset, each recorded in the audit log (commits).
    Returns how many reports each comment had waiting, for the comments that had any."""
    ids = sorted({int(i) for i in comment_ids})
    if not ids:
        return {}
    article_ids = db.session.scalars(select(Comment.article_id).where(Comment.id.in_(ids)))
    # The articles' row locks (PostgreSQL), as a report takes them: no report is stored
    # between the dismissal and the count's reset below.
    with comments._changing(set(article_ids)):
        dismissed = db.session.scalars(
            update(CommentReport)
            .where(CommentReport.comment_id.in_(ids), CommentReport.dismissed_at.is_(None))
            .values(dismissed_at=utcnow())
            .returning(CommentReport.comment_id)
            .execution_options(synchronize_session=False)
        ).all()
        counts = Counter(dismissed)
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
