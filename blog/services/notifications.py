"""Who hears about what: the newsroom's notices, queued in the outbox with the change that
causes them (blog/mail.py), and the periodic ones the worker runs (blog/jobs.py).

Moderators hear of held comments, one e-mail each or a digest at most every N minutes
(the `moderation_digest_minutes` setting), with signed one-click links to approve a comment
or mark it as spam. Editors hear of articles submitted for review; authors hear when an
editor publishes, schedules or unpublishes their article or leaves them a note. Nobody is
told of their own doing.

Staff mail names a reader by the name they gave, never by their e-mail address: mail
leaves the server and stays in inboxes, and the address is the reader's, kept for the
moderation queue only.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import wraps
from typing import TypeVar

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from blog import links, mail
from blog.domain import DomainError
from blog.extensions import db
from blog.models import Article, Comment, CommentStatus, EditorComment, JobMark, User
from blog.permissions import can_moderate_comments, can_publish

# comments imports this module (a held comment is told of as it is stored), and moderation
# imports comments: moderation's names are read when called, not at import.
from blog.services import moderation, settings
from blog.templating import external_url

logger = logging.getLogger("blog.mail")
T = TypeVar("T")

MODERATION_LINK = "moderation"
MODERATION_LINK_MAX_AGE = 7 * 24 * 3600  # a week: a moderator back from a weekend can act
LINK_ACTIONS = ("approve", "spam")  # what a link may do: never delete or restore
DIGEST_MARK = "moderation_digest"
DIGEST_LIMIT = 50  # comments listed in one digest; the queue has the rest
DIGEST_EXCERPT = 1000  # characters of each comment in a digest
# A digest covers comments held until this long before it runs: a comment being stored
# as the digest is made, its time already stamped, is in the next one, not lost between.
DIGEST_SETTLE = timedelta(seconds=10)


class LinkUsed(DomainError):
    """A genuine moderation link for a comment that no longer waits in the queue."""

    def __init__(self):
        super().__init__(
            "This comment has already been moderated: the link works once, while the "
            "comment waits in the queue."
        )


def one_line(text: str) -> str:
    return " ".join((text or "").split())


def excerpt(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


# ---------- Moderators ----------


@dataclass(frozen=True)
class HeldComment:
    """A held comment as a moderator's e-mail shows it: no e-mail address."""

    author_name: str
    article_title: str
    text: str
    approve_url: str
    spam_url: str


def moderation_url(
    comment: Comment, action: moderation.ModerationAction, moderator: User, **token_options
) -> str:
    """A one-click link made for one moderator: the audit log names them when it acts."""
    payload = [comment.id, action.value, moderator.id]
    token = links.make_token(MODERATION_LINK, payload, **token_options)
    return external_url("editor.mail_action", token=token)


def held(comment: Comment, moderator: User, *, text_limit: int | None = None) -> HeldComment:
    text = comment.body_md if text_limit is None else excerpt(comment.body_md, text_limit)
    return HeldComment(
        author_name=comment.author_name,
        article_title=comment.article.title,
        text=text,
        approve_url=moderation_url(comment, moderation.ModerationAction.APPROVE, moderator),
        spam_url=moderation_url(comment, moderation.ModerationAction.SPAM, moderator),
    )


def moderators() -> list[User]:
    """Who hears of held comments: as mail.staff_addresses(can_moderate_comments), but the
    people, since each gets links of their own."""
    wanted = set(mail.staff_addresses(can_moderate_comments))
    staff = db.session.scalars(select(User).where(User.email.in_(wanted)).order_by(User.id))
    return list(staff)


def needs_links(notice: Callable[..., T | None]) -> Callable[..., T | None]:
    """A notice that carries links is left out, with a line in the log, where no absolute
    link can be made (blog.mail.can_link); the change that caused it goes ahead."""

    @wraps(notice)
    def guarded(*args, **kwargs):
        if not mail.can_link():
            logger.warning("%s: no mail queued, SITE_URL is not set", notice.__name__)
            return None
        return notice(*args, **kwargs)

    return guarded


@needs_links
def comment_held(comment: Comment) -> None:
    """Tell the moderators of a comment that waits for them, unless a digest will (no
    commit: the comment's own change commits the mail with it)."""
    if settings.load().moderation_digest_minutes:
        return
    recipients = moderators()
    if not recipients:
        return
    db.session.flush()  # the comment's id goes into its links
    name, title = one_line(comment.author_name), one_line(comment.article.title)
    for moderator in recipients:  # each message carries links made for its reader
        mail.queue(
            moderator.email,
            "comment_held",
            subject=f"Comment held: {name} on “{title}”",
            kind="comment_held",
            comment=held(comment, moderator),
            queue_url=external_url("editor.comment_list"),
        )


def periodic(now: datetime) -> None:
    """Run by the worker about once a minute: notices that wait for a time (the moderation
    digest, when moderators asked for one)."""
    if settings.load().moderation_digest_minutes:
        send_moderation_digest(now)


@needs_links
def send_moderation_digest(now: datetime) -> int | None:
    """Queue and commit one digest of the comments held since the last one, once the
    digest interval has passed since it; the number of comments it lists. Safe to run
    twice or in two workers at once: the digest's mark is claimed with the mail, so a
    second run finds the interval not yet passed, or loses the claim and sends nothing.
    A quiet spell moves no mark: the first comment held after it goes out at the next run.
    """
    minutes = settings.load().moderation_digest_minutes
    if not minutes:
        return 0
    mark = db.session.get(JobMark, DIGEST_MARK)
    since = mark.at if mark is not None else None
    if since is not None and now < since + timedelta(minutes=minutes):
        return 0
    until = now - DIGEST_SETTLE
    waiting = (Comment.status == CommentStatus.PENDING) & (Comment.updated_at <= until)
    if since is not None:
        waiting &= Comment.updated_at > since
    total = db.session.scalar(select(func.count(Comment.id)).where(waiting)) or 0
    recipients = moderators()
    if not total or not recipients:
        db.session.rollback()
        return 0
    listed = db.session.scalars(
        select(Comment)
        .where(waiting)
        .options(joinedload(Comment.article))
        .order_by(Comment.updated_at, Comment.id)
        .limit(DIGEST_LIMIT)
    ).all()
    try:
        if mark is None:
            db.session.add(JobMark(name=DIGEST_MARK, at=until))
            db.session.flush()
        elif not _claimed(since, until):
            db.session.rollback()
            return 0
        for moderator in recipients:
            mail.queue(
                moderator.email,
                "moderation_digest",
                subject=f"{total} comment{'' if total == 1 else 's'} held for moderation",
                kind="moderation_digest",
                comments=[
                    held(comment, moderator, text_limit=DIGEST_EXCERPT) for comment in listed
                ],
                total=total,
                queue_url=external_url("editor.comment_list"),
            )
        db.session.commit()
    except IntegrityError:  # another run added the first mark at the same moment
        db.session.rollback()
        return 0
    except Exception:
        db.session.rollback()
        raise
    return total


def _claimed(since: datetime, until: datetime) -> bool:
    """Move the digest mark from `since` to `until`; False when another run moved it first."""
    return (
        db.session.execute(
            update(JobMark)
            .where(JobMark.name == DIGEST_MARK, JobMark.at == since)
            .values(at=until)
            .execution_options(synchronize_session=False)
        ).rowcount
        == 1
    )


# ---------- One-click moderation links ----------


def _linked(token: str) -> tuple[Comment, moderation.ModerationAction, User]:
    payload = links.read_token(MODERATION_LINK, token, MODERATION_LINK_MAX_AGE)
    try:
        comment_id, action, moderator_id = payload
    except (TypeError, ValueError) as exc:
        raise links.LinkRejected() from exc
    if not all(isinstance(n, int) for n in (comment_id, moderator_id)):
        raise links.LinkRejected()
    if action not in LINK_ACTIONS:
        raise links.LinkRejected()
    # The link acts for the moderator it was made for, while they still may moderate.
    moderator = db.session.get(User, moderator_id)
    if moderator is None or not moderator.active or not can_moderate_comments(moderator):
        raise links.LinkRejected()
    action = moderation.ModerationAction(action)
    comment = db.session.get(Comment, comment_id)
    if comment is None or comment.status != CommentStatus.PENDING:
        raise LinkUsed()
    return comment, action, moderator


def linked_comment(token: str) -> tuple[Comment, moderation.ModerationAction]:
    """The pending comment and the action a moderation link names; LinkExpired,
    LinkRejected (forged, not a moderation link, or its moderator may no longer
    moderate) or LinkUsed (no longer pending)."""
    comment, action, _ = _linked(token)
    return comment, action


def moderate_by_link(token: str) -> tuple[Comment, moderation.ModerationAction]:
    """Act on a moderation link, once: of two uses, even at the same moment, one acts and
    the other gets LinkUsed. The audit log names the moderator the link was made for."""
    comment, action, moderator = _linked(token)
    if not moderation.moderate_pending(comment, action, actor=moderator):
        raise LinkUsed()
    return comment, action


# ---------- The newsroom ----------


@needs_links
def article_saved(article: Article, action: str, actor: User, was: str) -> None:
    """Queue what an article's save tells others (no commit): `was` is its state before
    the save ("draft", "review", "scheduled" or "published"). Every author it credits
    hears of a publish, schedule or unpublish, except whoever did it."""
    if action == "submit" and was != "review":
        _tell_editors(article, actor)
    if action == "publish" and was != "published":
        _tell_authors(
            article, "article_published", f"Published: “{one_line(article.title)}”", actor=actor
        )
    elif action == "schedule" and was != "scheduled":
        _tell_authors(
            article,
            "article_published",
            f"Scheduled: “{one_line(article.title)}”",
            actor=actor,
            scheduled=True,
        )
    elif action == "unpublish" and was != "draft":
        _tell_authors(
            article, "article_returned", f"Back to draft: “{one_line(article.title)}”", actor=actor
        )


@needs_links
def note_added(note: EditorComment, article: Article, editor: User) -> None:
    """Tell the authors an article credits of an editor's note on it, except the editor
    (no commit)."""
    _tell_authors(
        article,
        "editor_note",
        f"A note from {one_line(editor.display_name)} on “{one_line(article.title)}”",
        actor=editor,
        note=note.body_md,
    )


def _tell_editors(article: Article, actor: User) -> None:
    recipients = mail.staff_addresses(lambda user: can_publish(user) and user.id != actor.id)
    if recipients:
        db.session.flush()  # a new article's id goes into its link
        mail.queue(
            recipients,
            "review_requested",
            subject=f"For review: “{one_line(article.title)}” by {one_line(actor.display_name)}",
            kind="review_requested",
            article=article,
            actor=actor,
            edit_url=external_url("editor.article_edit", article_id=article.id),
        )


def _tell_authors(article: Article, kind: str, subject: str, *, actor: User, **context) -> None:
    """One message to each active author the article credits, the actor left out."""
    db.session.flush()
    authors = [author for author in article.authors if author.id != actor.id and author.active]
    for author in authors:
        mail.queue(
            author.email,
            kind,
            subject=subject,
            kind=kind,
            article=article,
            author=author,
            actor=actor,
            edit_url=external_url("editor.article_edit", article_id=article.id),
            public_url=external_url("public.article", slug=article.slug),
            **context,
        )
