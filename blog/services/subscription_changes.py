"""What a follower changes by the links in their mail: the manage page's changes (a
list's cadence, ending a list, every reply notice, or everything), leaving with one click,
and taking that back.

A link names the address it was made for (blog.services.subscribers), and only that
address's subscriptions and followed threads are touched, whatever ids a form sends.
Leaving is immediate and leaving twice is leaving once: a link whose address row is gone
(it ended everything) finds nothing left to end. What a one-click link ended can be
followed again for UNDO_MAX_AGE from the page that said it ended (confirmed lists and
followed threads; never an address that ended everything, which is forgotten).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import delete, func, select, update
from sqlalchemy.exc import IntegrityError

from blog import links
from blog.extensions import db
from blog.models import Article, Comment, OutboxMessage, Subscriber, Subscription, ThreadFollow
from blog.models.base import utcnow
from blog.models.follows import CADENCES
from blog.services import subscribers
from blog.services.subscribers import MANAGE, MANAGE_MAX_AGE, UNSUBSCRIBE, UNSUBSCRIBE_MAX_AGE
from blog.services.subscriptions import (
    BAD_CADENCE,
    SubscriptionRejected,
    checked_token,
    list_of,
    new_subscription,
    subscription_of,
    titles,
)

# Taking back what a one-click link ended: for a day, from the page that said so.
UNDO = "follow-undo"
UNDO_MAX_AGE = 24 * 3600
UNDO_MAX_ITEMS = 100  # threads re-followed by one undo at most; more are not offered

# What the manage page says after each of its actions (?done=<key>).
DONE = {
    "cadence": "Done: that list now comes as you chose.",
    "ended": "Done: you no longer follow that list.",
    "replies": "Done: you will hear of no more replies to comments.",
    "gone": "That list had already ended.",
}
MANAGE_ACTIONS = ("cadence", "end", "replies", "all")
# The outbox's kinds of mail to readers (blog.services.reply_notices, subscriptions and
# mailing_sender's deferred messages): what forgetting an address deletes.
READER_MAIL = (
    *subscribers.CONFIRMATION_KINDS,
    "reply_notice",
    "new_article",
    "daily_digest",
)


@dataclass(frozen=True)
class ListRow:
    """One subscription as its address's manage page shows it."""

    id: int
    title: str
    cadence: str
    is_confirmed: bool


@dataclass(frozen=True)
class Overview:
    subscriber_id: int
    masked_address: str
    lists: list[ListRow]
    thread_count: int


@dataclass(frozen=True)
class Leaving:
    """What a one-click link ended (names), or nothing when it had ended already."""

    what: str
    names: list[str]
    undo: str | None = None  # a token for the undo form, where taking it back makes sense
    subscriber_id: int = 0

    @property
    def has_ended(self) -> bool:
        return bool(self.names)


# ---------- Managing ----------


def masked(email: str) -> str:
    """ "r…@example.org": enough for its owner to know the address, not for others."""
    local, _, domain = email.rpartition("@")
    return f"{local[:1]}…@{domain}"


def _manage_link(token: str) -> Subscriber:
    subscriber, _ = subscribers.read(MANAGE, checked_token(token), MANAGE_MAX_AGE)
    return subscriber


def overview(token: str) -> Overview:
    """The manage page of the address a link was made for: its lists and followed threads."""
    subscriber = _manage_link(token)
    subscriptions = list(
        db.session.scalars(
            select(Subscription)
            .where(Subscription.subscriber_id == subscriber.id)
            .order_by(Subscription.id)
        )
    )
    named = titles(subscriptions)
    rows = [
        ListRow(s.id, named[s.id], s.cadence, s.confirmed_at is not None) for s in subscriptions
    ]
    threads = db.session.scalar(
        select(func.count(ThreadFollow.id)).where(ThreadFollow.subscriber_id == subscriber.id)
    )
    return Overview(subscriber.id, masked(subscriber.email), rows, threads or 0)


def manage(token: str, action: str, subscription_id: int | None, cadence: str | None) -> str:
    """One change from the manage page: a list's cadence ("cadence"), ending a list
    ("end"), ending every reply notice ("replies"), or everything ("all": the address
    is forgotten). Returns the key of what happened (DONE, or "all")."""
    subscriber = _manage_link(token)
    if action not in MANAGE_ACTIONS:
        raise SubscriptionRejected("Choose one of the buttons on this page.")
    if action == "all":
        forget(subscriber)
        db.session.commit()
        return "all"
    if action == "replies":
        db.session.execute(delete(ThreadFollow).where(ThreadFollow.subscriber_id == subscriber.id))
        _drop_waiting(subscriber, ("reply_notice",))
        db.session.commit()
        return "replies"
    if action == "cadence" and cadence not in CADENCES:
        raise SubscriptionRejected(BAD_CADENCE, "cadence")
    own = (Subscription.id == (subscription_id or 0), Subscription.subscriber_id == subscriber.id)
    if action == "cadence":
        done = db.session.execute(update(Subscription).where(*own).values(cadence=cadence))
    else:
        done = db.session.execute(delete(Subscription).where(*own))
    db.session.commit()
    if done.rowcount != 1:
        return "gone"
    return "cadence" if action == "cadence" else "ended"


# ---------- Leaving by a mail's link ----------


def forget(subscriber: Subscriber) -> None:
    """Everything the address gets here ends and the address is forgotten (no commit):
    its row, and with it its subscriptions and followed threads, and every message to it
    in the outbox, sent or waiting; staff mail is not the outbox's readers' mail."""
    db.session.execute(
        delete(OutboxMessage)
        .where(OutboxMessage.recipient == subscriber.email, OutboxMessage.kind.in_(READER_MAIL))
        .execution_options(synchronize_session=False)
    )
    db.session.execute(delete(Subscriber).where(Subscriber.id == subscriber.id))


def _drop_waiting(subscriber: Subscriber, kinds: tuple[str, ...]) -> None:
    """The address's messages of these kinds still waiting in the outbox go unsent: what
    it left is left at once (no commit)."""
    db.session.execute(
        delete(OutboxMessage)
        .where(
            OutboxMessage.recipient == subscriber.email,
            OutboxMessage.kind.in_(kinds),
            OutboxMessage.sent_at.is_(None),
        )
        .execution_options(synchronize_session=False)
    )


def leaving_what(token: str) -> str:
    """What an unsubscribe link would end (UNSUBSCRIBE_WHAT), without ending it;
    LinkRejected or LinkExpired as leave() would raise."""
    payload = links.read_token(UNSUBSCRIBE, checked_token(token), UNSUBSCRIBE_MAX_AGE)
    what = payload[2] if len(payload) == 4 else None
    if what not in subscribers.UNSUBSCRIBE_WHAT:
        raise links.LinkRejected()
    return what


def leave(token: str) -> Leaving:
    """End what an unsubscribe link names, at once. A link whose address row is gone
    (it left everything) has nothing left to end: that is no error."""
    what = leaving_what(token)
    try:
        subscriber, (_, target) = subscribers.read(UNSUBSCRIBE, token, UNSUBSCRIBE_MAX_AGE)
    except links.LinkRejected:  # genuine (read above), but its address row is gone
        return Leaving(what, [])
    if what == "all":
        forget(subscriber)
        db.session.commit()
        return Leaving(what, ["everything"])
    if what == "list":
        return _leave_lists(subscriber, target)
    follows = select(ThreadFollow).where(ThreadFollow.subscriber_id == subscriber.id)
    if what == "thread":
        follows = follows.where(ThreadFollow.id == (target if isinstance(target, int) else 0))
    ended = list(db.session.scalars(follows.order_by(ThreadFollow.id)))
    names = _thread_names(ended)
    items = [[follow.root_comment_id, follow.article_id] for follow in ended]
    # One statement, not the ORM's row-by-row delete: a mail program's one-click request
    # and the reader's own click may arrive together, and both then simply succeed.
    db.session.execute(delete(ThreadFollow).where(ThreadFollow.id.in_([f.id for f in ended])))
    if what == "replies":
        _drop_waiting(subscriber, ("reply_notice",))
    db.session.commit()
    return Leaving(what, names, _undo_token(subscriber, what, items), subscriber.id)


def _leave_lists(subscriber: Subscriber, target) -> Leaving:
    ids = [i for i in target if isinstance(i, int)] if isinstance(target, list) else []
    ended = list(
        db.session.scalars(
            select(Subscription).where(
                Subscription.id.in_(ids), Subscription.subscriber_id == subscriber.id
            )
        )
    )
    named = titles(ended)
    items = [[s.scope, s.section_id or s.topic_id, s.cadence] for s in ended if s.confirmed_at]
    db.session.execute(delete(Subscription).where(Subscription.id.in_([s.id for s in ended])))
    db.session.commit()
    names = [named[s.id] for s in ended]
    return Leaving("list", names, _undo_token(subscriber, "list", items), subscriber.id)


def _thread_names(follows: list[ThreadFollow]) -> list[str]:
    ids = {follow.article_id for follow in follows}
    if not ids:
        return []
    rows = db.session.execute(select(Article.id, Article.title).where(Article.id.in_(ids)))
    headlines = dict(rows.all())
    return [f"the discussion on “{headlines.get(f.article_id, 'an article')}”" for f in follows]


def _undo_token(subscriber: Subscriber, what: str, items: list) -> str | None:
    if not items or len(items) > UNDO_MAX_ITEMS:
        return None
    return links.make_token(UNDO, [subscriber.id, subscribers.digest(subscriber), what, items])


def undo_subject(token: str) -> int:
    """The address id an undo token was made for (the undo form's token names it)."""
    subscriber, _ = subscribers.read(UNDO, checked_token(token), UNDO_MAX_AGE)
    return subscriber.id


def undo(token: str) -> Leaving:
    """Follow again what a one-click link ended (confirmed lists, or threads): the lists
    and threads followed again by it; those followed already, or gone since, are left."""
    subscriber, rest = subscribers.read(UNDO, checked_token(token), UNDO_MAX_AGE)
    what, items = rest if len(rest) == 2 else (None, [])
    names = []
    for item in items if isinstance(items, list) else []:
        if what == "list":
            names += _follow_list_again(subscriber, *item)
        elif what in ("thread", "replies"):
            names += _follow_thread_again(subscriber, *item)
    db.session.commit()
    return Leaving(what or "", names)


def _follow_list_again(subscriber: Subscriber, scope: str, target_id, cadence: str) -> list[str]:
    listed = list_of(scope, target_id)
    if listed is None or cadence not in CADENCES or subscription_of(subscriber, listed.key):
        return []
    subscription = new_subscription(subscriber, listed, cadence)
    subscription.confirmed_at = subscription.confirmed_at or utcnow()
    return [listed.title]


def _follow_thread_again(subscriber: Subscriber, root_comment_id: int, article_id: int):
    comment = db.session.get(Comment, root_comment_id)
    if comment is None or comment.article_id != article_id:
        return []
    follow = ThreadFollow(
        subscriber_id=subscriber.id, root_comment_id=root_comment_id, article_id=article_id
    )
    try:
        with db.session.begin_nested():
            db.session.add(follow)
    except IntegrityError:
        return []  # followed again already
    return _thread_names([follow])
