"""Staff moderation of reader comments: approve, mark as spam, delete or send back to the
queue (one by one, in bulk, or once from a moderator's e-mail link), a moderator's
correction of the text, and the audit entries each of these writes. A moderator's action
on a comment also deals with its readers' reports (blog.services.comment_reports). Posting
and the poster's own edit and delete are blog.services.comments."""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum
from functools import partial

from sqlalchemy import select, update

from blog.domain import NotAllowed
from blog.extensions import db
from blog.models import Comment, CommentStatus, User
from blog.models.base import utcnow
from blog.permissions import can_moderate_comments

# comments imports notifications, which imports this module: comments' names are read
# when called, not at import.
from blog.services import audit, comment_reports, comments, reply_notices


class ModerationAction(StrEnum):
    APPROVE = "approve"
    SPAM = "spam"
    DELETE = "delete"
    RESTORE = "restore"  # back into the queue, for a second look


ACTION_STATUS = {
    ModerationAction.APPROVE: CommentStatus.APPROVED,
    ModerationAction.SPAM: CommentStatus.SPAM,
    ModerationAction.DELETE: CommentStatus.DELETED,
    ModerationAction.RESTORE: CommentStatus.PENDING,
}


def audit_target(comment: Comment) -> str:
    """How the audit log names a comment: its id and article, never its text or e-mail."""
    return f"comment {comment.id} on “{comment.article.title}”"


STATUS_ACTIONS = {status: action for action, status in ACTION_STATUS.items()}


def record_moderation(
    actor: User | None, comment: Comment, was: CommentStatus, status: CommentStatus, **details
) -> None:
    """The audit entry of a moderator's status change (in the change's transaction)."""
    action = STATUS_ACTIONS[status].value
    audit.record(
        actor,
        f"comment.{action}",
        audit_target(comment),
        status=audit.change(was.value, status.value),
        **details,
    )


def _decided(
    actor: User | None, comment: Comment, was: CommentStatus, status: CommentStatus
) -> None:
    """A moderator changed the comment's status: why it was held no longer applies."""
    comment.held_reason = ""
    record_moderation(actor, comment, was, status)


def _check_moderator(actor: User | None) -> None:
    """NotAllowed for a given actor who may not moderate (None: a command or a test)."""
    if actor is not None and not can_moderate_comments(actor):
        raise NotAllowed()


def moderate(
    comment_ids: Iterable[int], action: ModerationAction, *, actor: User | None = None
) -> list[Comment]:
    """Apply a moderator's action to these comments; counts stay exact. Each comment whose
    status changes gets its own audit entry (it names the comment and its article). Their
    readers' reports are dealt with: dismissed, with an audit entry of their own (approving
    an approved comment that readers reported keeps it and dismisses the reports); later
    reports of these comments reach the queue but no longer hide them."""
    _check_moderator(actor)
    ids = sorted({int(i) for i in comment_ids})
    if not ids:
        return []
    found = list(db.session.scalars(select(Comment).where(Comment.id.in_(ids))))
    if not found:
        return []
    status = ACTION_STATUS[ModerationAction(action)]
    moderated = comments._set_status(found, status, partial(_decided, actor))
    comment_reports.dismiss(ids, actor=actor)
    return moderated


def moderate_pending(
    comment: Comment, action: ModerationAction, *, actor: User | None = None
) -> bool:
    """Apply the action only while the comment still waits in the queue (a one-click link
    from a moderator's e-mail acts once); False when it no longer does. `actor`: the
    moderator the link was made for, named in the audit entry."""
    _check_moderator(actor)
    now = utcnow()
    claimed = False
    with comments._changing([comment.article_id]):
        # Claimed by one conditional write: of two uses at once, the second matches no row.
        claim = update(Comment).where(
            Comment.id == comment.id, Comment.status == CommentStatus.PENDING
        )
        quiet = {"synchronize_session": False, "page_cache_quiet": True}
        if db.session.execute(claim.values(updated_at=now).execution_options(**quiet)).rowcount:
            status = ACTION_STATUS[ModerationAction(action)]
            record_moderation(actor, comment, CommentStatus.PENDING, status, via="e-mail link")
            comment.status, comment.updated_at, comment.held_reason = status, now, ""
            if status == CommentStatus.APPROVED:
                reply_notices.approved(comment)
            claimed = True
    if claimed:
        comment_reports.dismiss([comment.id], actor=actor)
    return claimed


def edit_by_moderator(comment: Comment, body: str, *, actor: User | None = None) -> Comment:
    """A moderator's correction: new text, same status (recorded when the text changed)."""
    _check_moderator(actor)
    body = comments.clean_body(body)
    comments._check_body(body)
    with comments._changing([]):
        if body != comment.body_md:
            audit.record(actor, "comment.edit", audit_target(comment))
        comment.set_body(body)
        comment.updated_at = utcnow()
    return comment
