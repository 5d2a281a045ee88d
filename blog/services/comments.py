"""Reader comments: posting and the poster's edit window and delete (thread pages:
blog.services.comment_threads; staff moderation: blog.services.moderation)."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache

from sqlalchemy import func, select, update

from blog import textfold
from blog.domain import DomainError
from blog.extensions import db
from blog.models import Article, Comment, CommentStatus, User
from blog.models.base import utcnow
from blog.models.comments import MAX_DEPTH
from blog.services import commenters, first_steps, notifications, reply_notices, settings
from blog.services.comment_holds import KEPT_THROUGH_EDITS, MAX_LINKS, sending_hold
from blog.services.commenters import NO_PROOF, Proofs
from blog.text import clean_body, clean_email, clean_line, duration_text
from blog.validators import is_email_address

MAX_NAME_LENGTH = 80
MAX_BODY_LENGTH = 5000
EDIT_WINDOW = timedelta(minutes=15)
FIRST_STEPS_LEFT = (
    "Finish signing in to the editor first (a new password, two-factor sign-in or the name "
    "readers see), then comment as staff."
)
REPLIES_NEED_EMAIL = "Give your e-mail address to have replies e-mailed to you."

_LINK = re.compile(r"<a\s")
# Shown in place of a hidden comment that still has replies on show.
PLACEHOLDERS = {
    CommentStatus.DELETED: "This comment was deleted.",
    CommentStatus.SPAM: "This comment was removed.",
    CommentStatus.PENDING: "This comment is awaiting moderation.",
}


class CommentRejected(DomainError):
    """A comment the site will not take; `reason` says why, the message is for the reader.

    Reasons: "closed" (comments are closed), "parent" (the replied-to comment is not on
    this article or no longer shown), "invalid" (a field; `field` names it), "expired"
    (the edit window has passed), "gone" (the comment was deleted), "not_yours" (this
    device did not post it, or the edit window has passed), "first_steps" (a signed-in
    staff account with a first sign-in step left: blog/services/first_steps.py).
    """

    def __init__(self, reason: str, message: str, field: str | None = None):
        super().__init__(message, field)
        self.reason = reason


@dataclass(frozen=True)
class CommentData:
    """What a reader sent. `honeypot` and `seconds_to_submit` come from the form's
    spam traps (the hidden field and the signed time token); None means not measured."""

    name: str
    body: str
    email: str = ""
    parent_id: int | None = None
    honeypot: str = ""
    seconds_to_submit: float | None = None
    wants_replies: bool = False  # "e-mail me replies": needs an address


# ---------- What the reader sent (cleaned by blog.text) ----------


def _checked(data: CommentData) -> tuple[str, str, str]:
    """Clean name, email and body, or CommentRejected naming the field."""
    name, email, body = clean_line(data.name), clean_email(data.email), clean_body(data.body)
    if not name:
        raise CommentRejected("invalid", "Tell us your name.", "name")
    if len(name) > MAX_NAME_LENGTH:
        raise CommentRejected("invalid", f"At most {MAX_NAME_LENGTH} characters.", "name")
    problem = commenters.name_problem(name)
    if problem:
        raise CommentRejected("invalid", problem, "name")
    if email and not is_email_address(email):  # refuses over-long input before parsing it
        raise CommentRejected("invalid", "That does not look like an e-mail address.", "email")
    if data.wants_replies and not email:
        raise CommentRejected("invalid", REPLIES_NEED_EMAIL, "email")
    _check_body(body)
    return name, email, body


def _check_body(body: str) -> None:
    if not body:
        raise CommentRejected("invalid", "Write your comment first.", "body")
    if len(body) > MAX_BODY_LENGTH:
        raise CommentRejected(
            "invalid", f"A comment can be at most {MAX_BODY_LENGTH:,} characters long.", "body"
        )


# ---------- Rules ----------


def comments_open(article: Article, *, now: datetime | None = None) -> bool:
    """Open on this article, and not yet past the site's close-after-N-days."""
    if not article.comments_open:
        return False
    days = settings.load().comments_close_after_days
    if days and article.published_at is not None:
        return (now or utcnow()) < article.published_at + timedelta(days=days)
    return True


def is_automated(data: CommentData) -> bool:
    """The honeypot was filled in: only a robot sees that field."""
    return bool(data.honeypot.strip())


def count_links(body_html: str) -> int:
    return len(_LINK.findall(body_html))


def blocked_phrase(*texts: str) -> str | None:
    """The first block-list entry found as a whole word or phrase in the texts, both
    compared folded (blog.textfold): invisible characters and look-alike letters of other
    scripts do not hide a blocked word."""
    haystack = textfold.fold("\n".join(texts))
    for phrase, folded in _folded_phrases(tuple(settings.blocked_phrases())):
        # The substring test first: most entries are absent, and it needs no pattern.
        if folded in haystack and re.search(rf"(?<!\w){re.escape(folded)}(?!\w)", haystack):
            return phrase
    return None


@lru_cache(maxsize=4)
def _folded_phrases(phrases: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
    """Each entry with its folded form; entries that fold to nothing match nothing."""
    return tuple((phrase, folded) for phrase in phrases if (folded := textfold.fold(phrase)))


def hold_reason(comment: Comment, proofs: Proofs = NO_PROOF) -> str:
    """Why the comment must wait for a moderator (a name in comment_holds.HELD_REASONS),
    or "" to publish it: the site's policy, the link limit and the block list.

    Under "first_time", a reader's comment is published at once only when `proofs` show
    the e-mail address is theirs (an earlier comment under it, sent from this device, was
    approved). A reader comment under a newsroom address is always held.
    """
    if comment.is_staff:
        return ""
    if commenters.is_staff_email(comment.author_email):
        return "staff_email"
    if count_links(comment.body_html) > MAX_LINKS:
        return "links"
    if blocked_phrase(comment.author_name, comment.author_email, comment.body_md):
        return "blocked"
    policy = settings.load().moderation_policy
    if policy == "none":
        return ""
    if policy == "first_time" and proofs.vouches_for(comment.author_email):
        return ""
    return "policy" if policy == "all" else "first_time"


def moderation_status(
    comment: Comment, proofs: Proofs = NO_PROOF, *, kept: str = ""
) -> CommentStatus:
    """Approved, or pending with `comment.held_reason` recorded: the `kept` hold (how the
    form was sent, or readers' reports an edit does not lift) first, else `hold_reason`.
    An approved comment's reason is ""."""
    comment.held_reason = kept or hold_reason(comment, proofs)
    return CommentStatus.PENDING if comment.held_reason else CommentStatus.APPROVED


def replied_comment(article: Article, comment_id: int) -> Comment:
    """The comment a reader replies to: an approved comment of this article, else
    CommentRejected("parent")."""
    comment = db.session.get(Comment, comment_id)
    if comment is None or comment.article_id != article.id:
        raise CommentRejected("parent", "That reply does not belong to this article.")
    if comment.status != CommentStatus.APPROVED:
        raise CommentRejected(
            "parent",
            "The comment you replied to is no longer shown. Send yours as a new comment.",
        )
    return comment


def reply_parent(article: Article, parent_id: int | None) -> Comment | None:
    """The comment a reply hangs from. Threads are at most MAX_DEPTH deep: a reply to a
    comment at that depth becomes its sibling (a reply to the same parent), shown after it."""
    if parent_id is None:
        return None
    parent = replied_comment(article, parent_id)
    while parent.depth >= MAX_DEPTH and parent.parent is not None:
        parent = parent.parent
    return parent


# ---------- Writing (each commits once) ----------


def _lock_articles(article_ids: Iterable[int]) -> None:
    """Take the articles' row locks (PostgreSQL) before changing their comments, so that
    the recount that follows sees every comment committed before it. SQLite locks the
    whole database for a write, and SQLAlchemy leaves FOR UPDATE out there."""
    ids = sorted(set(article_ids))
    if ids:
        db.session.execute(
            select(Article.id).where(Article.id.in_(ids)).with_for_update(key_share=True)
        )


def _recount(article_ids: Iterable[int]) -> None:
    """Set comment_count to the number of approved comments (no commit)."""
    ids = sorted(set(article_ids))
    if not ids:
        return
    approved = (
        select(func.count(Comment.id))
        .where(Comment.article_id == Article.id, Comment.status == CommentStatus.APPROVED)
        .scalar_subquery()
    )
    db.session.execute(
        update(Article)
        .where(Article.id.in_(ids))
        .values(comment_count=approved)
        # The comment rows themselves decide whether cached pages change (blog/pagecache.py).
        .execution_options(synchronize_session=False, page_cache_quiet=True)
    )


@contextmanager
def _changing(article_ids: Iterable[int]) -> Iterator[None]:
    """Lock the articles, let the caller change their comments, then flush, recount and
    commit; a failure anywhere on the way rolls the whole change back."""
    try:
        _lock_articles(article_ids)
        yield
        db.session.flush()
        _recount(article_ids)
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise


def submit(
    article: Article,
    data: CommentData,
    *,
    client_key: str,
    user: User | None = None,
    proofs: Proofs = NO_PROOF,
    client_network: str = "",
) -> Comment:
    """Store a reader's comment (or a signed-in staff member's) under the moderation rules.

    A comment caught by the honeypot is stored as spam without telling the sender; one
    sent too soon after its page loaded, or from a page older than a day, is held.
    `client_network` (blog.ratelimit.network_key; else client_key) is what the cap on
    confirmation mails counts (blog.services.reply_notices).
    """
    if not comments_open(article):
        raise CommentRejected("closed", "Comments are closed for this article.")
    is_staff = user is not None and user.is_authenticated
    if is_staff and not first_steps.all_done(user):
        raise CommentRejected("first_steps", FIRST_STEPS_LEFT)
    if is_staff:
        body = clean_body(data.body)
        _check_body(body)
        name, email = user.display_name[:MAX_NAME_LENGTH], user.email.lower()
    else:
        name, email, body = _checked(data)
    parent = reply_parent(article, data.parent_id)

    comment = Comment(
        article_id=article.id,
        parent_id=parent.id if parent else None,
        depth=parent.depth + 1 if parent else 1,
        author_name=name,
        author_email=email,
        is_staff=is_staff,
        user_id=user.id if is_staff else None,
        client_key=client_key,
        wants_replies=data.wants_replies and not is_staff,
    )
    comment.set_body(body)
    if is_staff:
        comment.status = CommentStatus.APPROVED
    elif is_automated(data):
        comment.status = CommentStatus.SPAM
    else:
        comment.status = moderation_status(
            comment, proofs, kept=sending_hold(data.seconds_to_submit)
        )
    with _changing([article.id]):
        db.session.add(comment)
        if comment.status == CommentStatus.PENDING:
            notifications.comment_held(comment)
        elif comment.status == CommentStatus.APPROVED:
            reply_notices.approved(comment)
        if not is_staff:
            reply_notices.posted(comment, proofs, client=client_network or client_key)
    return comment


# ---------- The poster's edit window ----------


def edit_window_text() -> str:
    """How long a poster may change their comment, in words ("15 minutes")."""
    return duration_text(EDIT_WINDOW)


def not_yours_message() -> str:
    return (
        "Only the person who wrote a comment can change it, from the browser they sent it "
        f"with, in the first {edit_window_text()}."
    )


def edit_closes_at(comment: Comment) -> datetime:
    return comment.created_at + EDIT_WINDOW


def within_edit_window(comment: Comment, *, now: datetime | None = None) -> bool:
    return (now or utcnow()) <= edit_closes_at(comment)


def _check_own_change(comment: Comment) -> None:
    if comment.status == CommentStatus.DELETED:
        raise CommentRejected("gone", "This comment was deleted.")
    if not within_edit_window(comment):
        raise CommentRejected(
            "expired",
            f"A comment can be changed only in the first {edit_window_text()} after posting.",
        )


def edit_own(comment: Comment, body: str, proofs: Proofs = NO_PROOF) -> Comment:
    """The poster's edit in the edit window; the new text is moderated afresh (silently
    caught spam stays spam, and a hold for how the form was sent or for readers' reports
    stays until a moderator decides). `edited_at` is set only here, and only when the
    text changed."""
    _check_own_change(comment)
    body = clean_body(body)
    _check_body(body)
    was = comment.status
    kept_hold = comment.held_reason if was == CommentStatus.PENDING else ""
    with _changing([comment.article_id]):
        now = utcnow()
        if body != comment.body_md:
            comment.edited_at = now
        comment.set_body(body)
        comment.updated_at = now
        if comment.status != CommentStatus.SPAM:
            comment.status = moderation_status(
                comment, proofs, kept=kept_hold if kept_hold in KEPT_THROUGH_EDITS else ""
            )
        if was != CommentStatus.PENDING and comment.status == CommentStatus.PENDING:
            notifications.comment_held(comment)
        elif was != CommentStatus.APPROVED and comment.status == CommentStatus.APPROVED:
            reply_notices.approved(comment)
    return comment


def delete_own(comment: Comment) -> Comment:
    """The poster deletes their comment in the edit window (kept as deleted: replies stay)."""
    _check_own_change(comment)
    return _set_status([comment], CommentStatus.DELETED)[0]


def _set_status(
    comments: list[Comment],
    status: CommentStatus,
    record: Callable[[Comment, CommentStatus, CommentStatus], None] | None = None,
) -> list[Comment]:
    """The new status for each comment; `record(comment, was, status)` is called for each
    comment whose status it changes (a moderator's action: blog.services.moderation writes
    its audit entry; a reader's own deletion is not recorded). An approval tells the
    thread's followers, the first time only (blog.services.reply_notices)."""
    now = utcnow()
    with _changing({c.article_id for c in comments}):
        for comment in comments:
            if comment.status != status:
                if record is not None:
                    record(comment, comment.status, status)
                comment.status = status
                comment.updated_at = now
                if status == CommentStatus.APPROVED:
                    reply_notices.approved(comment)
    return comments


def approve_proven(comment: Comment) -> None:
    """Publish a comment whose poster proved the address (blog.services.reply_notices), as
    an approval does, inside the caller's `_changing` (which recounts and commits)."""
    comment.status = CommentStatus.APPROVED
    comment.held_reason = ""
    comment.updated_at = utcnow()
    reply_notices.approved(comment)
