"""Reply notices: a reader's "e-mail me replies", the link mailed to confirm it, and the
notices that tell a thread's followers of each new reply.

A reader who ticks "e-mail me replies" follows their comment's thread (the top-level
comment and everything under it) once the address is shown to be theirs: at once when the
device carries the trusted-commenter cookie for it (blog.comments.trust), else when they
follow the link mailed for this comment (double opt-in). The same link is how a returning
commenter proves an address under the "first_time" policy: a comment held as a first
comment, under a reader's address that has another approved comment, is published when
its poster follows the link mailed for *this* comment. Typing a known address proves
nothing: the comment stays held until then.

A confirmation mail names the article but quotes nothing the poster wrote: anyone can type
any address, and the site must not carry a stranger's words to it. Confirmation mails are
capped per address and per client network (blog.services.subscribers). The link does
nothing when opened (mail scanners open links), only its page's button does, and once.

When a comment is approved for the first time (at posting, by a moderator in the editor
or from a moderator's mail, or by its poster's confirmation), each follower of its thread
except the replier's own address is sent one notice, in the approval's transaction.
`Comment.notified_at` records it, so an approval after a restore tells nobody again. Each
notice carries one-click links to leave that thread or all reply notices, the first also
as its List-Unsubscribe header.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.attributes import set_committed_value

from blog import links, mail
from blog.domain import DomainError
from blog.extensions import db
from blog.models import Article, Comment, CommentStatus, Subscriber, ThreadFollow
from blog.models.base import utcnow

# comments imports this module, and notifications imports comments through moderation:
# their names are read when called, not at import.
from blog.services import (
    articles,
    comment_holds,
    commenters,
    comments,
    notifications,
    settings,
    subscribers,
)
from blog.templating import external_url
from blog.text import duration_text

if TYPE_CHECKING:
    from blog.services.commenters import Proofs

logger = logging.getLogger("blog.mail")

QUOTE_LIMIT = 1000  # characters of a reply quoted in its notice
_QUIET = {"synchronize_session": False, "page_cache_quiet": True}

NOTHING_TO_CONFIRM = {
    "used": "This comment has already been confirmed: the link works once, and there is "
    "nothing more to do.",
    "gone": "This comment is no longer on the site, so there is nothing to confirm.",
}


class NothingToConfirm(DomainError):
    """A genuine confirmation link that can no longer act; `reason` "used" (it was
    followed already) or "gone" (its comment was deleted or marked as spam, or its article
    is no longer public)."""

    def __init__(self, reason: str):
        super().__init__(NOTHING_TO_CONFIRM[reason])
        self.reason = reason


@dataclass(frozen=True)
class Confirmation:
    """A comment's confirmation link, as its page shows it before the button is pressed."""

    comment: Comment
    subscriber: Subscriber
    publishes: bool  # the held comment appears at once
    follows: bool  # replies in its thread are e-mailed to the address
    # Under "first_time", later comments from this device under the address appear at
    # once (blog.comments.trust); under the other policies the cookie changes nothing.
    trusts: bool


@dataclass(frozen=True)
class Confirmed:
    """What following the link did."""

    comment: Comment
    is_published: bool  # the comment is on the article page (now, or already was)
    follows: bool
    # The keyed digest (commenters.email_digest) of the address this device is now
    # trusted for (blog.comments.trust), or "" when the address has no approved comment.
    device_digest: str


# ---------- Rules ----------


def root_of(comment: Comment) -> Comment:
    """The top-level comment of the comment's thread (itself for a top-level comment)."""
    root = comment
    while root.parent is not None:
        root = root.parent
    return root


def has_approved_history(comment: Comment) -> bool:
    """Another reader comment under the same address is approved."""
    if not comment.author_email:
        return False
    found = db.session.scalar(
        select(Comment.id)
        .where(
            Comment.author_email == comment.author_email,
            Comment.id != comment.id,
            Comment.status == CommentStatus.APPROVED,
            Comment.is_staff.is_(False),
        )
        .limit(1)
    )
    return found is not None


def publishes_on_confirm(comment: Comment) -> bool:
    """Whether following the link mailed for this comment publishes it: under the
    "first_time" policy, a reader's comment held only as a first comment, under an address
    that is not the newsroom's and has another approved comment."""
    return (
        settings.load().moderation_policy == "first_time"
        and comment.status == CommentStatus.PENDING
        and comment.held_reason == "first_time"
        and not comment.is_staff
        and not commenters.is_staff_email(comment.author_email)
        and has_approved_history(comment)
    )


def poster_note(comment: Comment) -> str:
    """What the poster reads under their own held comment about its confirmation link
    ("" for nothing). It reads the same whether or not a link went out: the page must not
    tell whoever typed an address what the site knows of it (whether a comment under it
    was approved, whether it is the newsroom's, whether it had its mails for the day).
    So a hold the poster is not told of, and spam the honeypot caught, read as the site
    policy's hold, as in comment_holds.poster_note."""
    if comment.status not in (CommentStatus.PENDING, CommentStatus.SPAM):
        return ""
    if comment.is_staff or not comment.author_email:
        return ""
    if comment.confirmed_at is not None:
        return "Replies in its thread will be e-mailed to you." if comment.wants_replies else ""
    hold = comment.held_reason if comment.status == CommentStatus.PENDING else ""
    if hold not in comment_holds.POSTER_NOTES:
        hold = comment_holds.POLICY_HOLDS.get(settings.load().moderation_policy, "")
    may_publish = hold == "first_time"
    cap = f"at most {subscribers.MAX_CONFIRMATIONS_PER_DAY} such mails a day go to one address"
    if comment.wants_replies:
        note = (
            f"A link to confirm is mailed to the address you gave ({cap}): follow it to have "
            "replies e-mailed to you."
        )
        if may_publish:
            note += " If a comment under that address was approved before, it publishes this one."
        return note
    if may_publish:
        return (
            "If a comment under the address you gave was approved before, a link that "
            f"publishes this one is mailed to it ({cap})."
        )
    return ""


def _is_public(article_id: int) -> bool:
    query = select(Article.id).where(Article.id == article_id, articles.is_public())
    return db.session.scalar(query) is not None


# ---------- Posting ----------


def posted(comment: Comment, proofs: Proofs, *, client: str) -> None:
    """A reader's comment was stored (no commit: this goes with it). When it asked for
    replies, or following a link would publish it, a confirmation link is mailed, within
    the caps (`client`: the hashed network asking). Replies are only ever mailed to an
    address whose mailbox said yes: a device's trusted-commenter cookie (`proofs`) may
    publish a comment at once, but it was earned by a comment under the address, which
    anyone can type, so it never stands in for that."""
    if comment.is_staff or not comment.author_email or comment.status == CommentStatus.SPAM:
        return
    publishes = publishes_on_confirm(comment)
    if comment.wants_replies or publishes:
        _ask_to_confirm(comment, publishes=publishes, client=client)


def _ask_to_confirm(comment: Comment, *, publishes: bool, client: str) -> None:
    if not mail.can_link():
        logger.warning("comment_confirm: no mail queued, SITE_URL is not set")
        return
    subscriber = subscribers.address(comment.author_email)
    if not subscribers.may_send_confirmation(subscriber, client):
        return
    db.session.flush()  # the comment's id goes into the link
    title = notifications.one_line(comment.article.title)
    queued = mail.queue(
        subscriber.email,
        "comment_confirm",
        subject=f"Confirm your comment on “{title}”",
        kind="comment_confirm",
        article_title=comment.article.title,
        publishes=publishes,
        follows=comment.wants_replies,
        confirm_url=subscribers.confirm_comment_url(subscriber, comment.id),
        valid_for=duration_text(timedelta(seconds=subscribers.CONFIRM_MAX_AGE)),
        **subscribers.forget_links(subscriber),
    )
    if queued:
        comment.confirm_sent_at = utcnow()


def follow(subscriber: Subscriber, comment: Comment) -> None:
    """The address follows the comment's thread (no commit); following it twice is once."""
    db.session.flush()  # a new top-level comment's id is its thread's
    root = root_of(comment)
    known = db.session.scalar(
        select(ThreadFollow.id).where(
            ThreadFollow.subscriber_id == subscriber.id, ThreadFollow.root_comment_id == root.id
        )
    )
    if known is not None:
        return
    try:
        with db.session.begin_nested():
            db.session.add(
                ThreadFollow(
                    subscriber_id=subscriber.id,
                    root_comment_id=root.id,
                    article_id=comment.article_id,
                )
            )
    except IntegrityError:
        pass  # the same follow, made by another request at the same moment


# ---------- The confirmation link ----------


def confirmation(token: str) -> Confirmation:
    """What a comment's confirmation link would do. LinkExpired; LinkRejected when it is
    forged or its address is no longer the comment's; NothingToConfirm when it was used or
    the comment is gone."""
    subscriber, rest = subscribers.read(
        subscribers.CONFIRM_COMMENT, token, subscribers.CONFIRM_MAX_AGE
    )
    if len(rest) != 1 or type(rest[0]) is not int:
        raise links.LinkRejected()
    comment = db.session.get(Comment, rest[0])
    if (
        comment is None
        or comment.status in (CommentStatus.DELETED, CommentStatus.SPAM)
        or not _is_public(comment.article_id)
    ):
        raise NothingToConfirm("gone")
    if subscribers.email_key(comment.author_email) != subscriber.email_key:
        raise links.LinkRejected()
    if comment.confirmed_at is not None:
        raise NothingToConfirm("used")
    publishes = publishes_on_confirm(comment)
    return Confirmation(
        comment=comment,
        subscriber=subscriber,
        publishes=publishes,
        follows=comment.wants_replies,
        trusts=settings.load().moderation_policy == "first_time"
        and (publishes or _earns_trust(comment)),
    )


def confirm(token: str) -> Confirmed:
    """Follow a comment's confirmation link, once (of two uses at the same moment, one
    acts and the other gets NothingToConfirm): the address follows the thread if it asked
    to, and a comment held only until its poster proved the address is published."""
    found = confirmation(token)
    comment, subscriber = found.comment, found.subscriber
    with comments._changing([comment.article_id]):
        if not _claim(comment, utcnow()):
            raise NothingToConfirm("used")
        db.session.refresh(comment)  # as it is now, after a moderator's action meanwhile
        if comment.wants_replies:
            follow(subscriber, comment)
        if publishes_on_confirm(comment):
            comments.approve_proven(comment)
    return Confirmed(
        comment=comment,
        is_published=comment.status == CommentStatus.APPROVED,
        follows=comment.wants_replies,
        device_digest=commenters.email_digest(comment.author_email)
        if _earns_trust(comment)
        else "",
    )


def _earns_trust(comment: Comment) -> bool:
    """A proven address earns the device's trust once a reader comment under it was
    approved (this one or another), as blog.comments.trust asks; a staff address never."""
    if commenters.is_staff_email(comment.author_email):
        return False
    return comment.status == CommentStatus.APPROVED or has_approved_history(comment)


def _claim(comment: Comment, now: datetime) -> bool:
    """Mark the comment confirmed by one conditional write; False when it already was."""
    claim = (
        update(Comment)
        .where(Comment.id == comment.id, Comment.confirmed_at.is_(None))
        .values(confirmed_at=now)
        .execution_options(**_QUIET)
    )
    return db.session.execute(claim).rowcount == 1


# ---------- Notices ----------


def approved(comment: Comment) -> None:
    """The comment was just approved (no commit: in the approval's transaction). The first
    time only, tell its thread's followers; a later approval tells nobody."""
    if comment.notified_at is not None:
        return
    db.session.flush()
    now = utcnow()
    claim = (
        update(Comment)
        .where(Comment.id == comment.id, Comment.notified_at.is_(None))
        .values(notified_at=now)
        .execution_options(**_QUIET)
    )
    if db.session.execute(claim).rowcount != 1:
        return
    set_committed_value(comment, "notified_at", now)
    _tell_followers(comment)


def _tell_followers(comment: Comment) -> None:
    """One notice to each address following the comment's thread, the replier's left out."""
    replier = subscribers.email_key(comment.author_email)
    followers = db.session.execute(
        select(ThreadFollow, Subscriber)
        .join(Subscriber, Subscriber.id == ThreadFollow.subscriber_id)
        .where(ThreadFollow.root_comment_id == root_of(comment).id, Subscriber.email_key != replier)
        .order_by(ThreadFollow.id)
    ).all()
    if not followers or not _is_public(comment.article_id):
        return
    if not mail.can_link():
        logger.warning("reply_notice: no mail queued, SITE_URL is not set")
        return
    # comment_threads imports names from comments, which imports this module.
    from blog.services import comment_threads

    article = comment.article
    page = comment_threads.page_of(comment)
    reply_url = external_url(
        "public.article",
        slug=article.slug,
        comments=page if page > 1 else None,
        _anchor=f"comment-{comment.id}",
    )
    name, title = notifications.one_line(comment.author_name), notifications.one_line(article.title)
    quote = notifications.excerpt(comment.body_md, QUOTE_LIMIT)
    for thread_follow, subscriber in followers:
        leave_thread = subscribers.unsubscribe_url(subscriber, "thread", thread_follow.id)
        mail.queue(
            subscriber.email,
            "reply_notice",
            subject=f"{name} replied on “{title}”",
            kind="reply_notice",
            unsubscribe_url=leave_thread,
            replier=comment.author_name,
            is_staff=comment.is_staff,
            article_title=article.title,
            quote=quote,
            reply_url=reply_url,
            leave_thread_url=leave_thread,
            leave_replies_url=subscribers.unsubscribe_url(subscriber, "replies"),
            manage_url=subscribers.manage_url(subscriber),
        )
