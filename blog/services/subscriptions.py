"""Following the whole site, a section or a topic by e-mail: asking to (double opt-in),
confirming by the mailed link, and dropping what was never confirmed. What a follower
changes later by the links in their mail is blog.services.subscription_changes.

Asking to follow makes the address's row and an unconfirmed subscription, and mails a
link to confirm it; an address that already follows the list is mailed a link to manage
its subscriptions instead. Both are confirmation mails, under subscribers' caps (per
address and per client network), and whoever asked is told the same whatever happened:
nothing says whether the address is known or whether a mail went out. Nothing but those
mails goes to an address before its owner confirms, and what is still unconfirmed when
its link expires (subscribers.CONFIRM_MAX_AGE) is dropped by the worker every hour.

The links (subscribers' tokens) are the only way to an address's subscriptions: no
account, no password.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, exists, select, update
from sqlalchemy.exc import IntegrityError

from blog import links, mail
from blog.domain import DomainError
from blog.extensions import db
from blog.models import (
    OutboxMessage,
    Section,
    Subscriber,
    Subscription,
    ThreadFollow,
    Topic,
)
from blog.models.base import utcnow
from blog.models.follows import CADENCES
from blog.services import articles, settings, subscribers
from blog.services.subscribers import (
    CONFIRM_MAX_AGE,
    CONFIRM_SUBSCRIPTION,
    CONFIRMATION_KINDS,
    MANAGE_MAX_AGE,
)
from blog.text import clean_line, duration_text
from blog.validators import is_email_address

logger = logging.getLogger("blog.subscriptions")

CADENCE_WORDS = {"each": "each new article", "daily": "a daily digest"}
# No link of ours is longer; a longer one is refused before it is decoded.
MAX_TOKEN_LENGTH = 4096

BAD_ADDRESS = "That does not look like an e-mail address."
BAD_CADENCE = "Choose how often: each new article, or a daily digest."


class SubscriptionRejected(DomainError):
    """Asking to follow, or a change on the manage page, that the rules refuse."""


class AlreadyConfirmed(DomainError):
    def __init__(self):
        super().__init__(
            "This subscription is confirmed already: the link works once. Every message "
            "you get carries a link to manage or end it."
        )


class SubscriptionGone(DomainError):
    def __init__(self):
        super().__init__(
            "This subscription no longer waits to be confirmed: it was ended, or it waited "
            "too long. Ask to follow again and a new link will be mailed."
        )


@dataclass(frozen=True)
class FollowList:
    """What can be followed: the whole site, one section or one topic."""

    scope: str
    target_id: int | None
    name: str  # the section's or topic's name, or the site's title
    slug: str | None = None

    @property
    def key(self) -> str:
        return Subscription.key_of(self.scope, self.target_id)

    @property
    def title(self) -> str:
        """ "everything on Byline", "the section City", "the topic Ports"."""
        if self.scope == "site":
            return f"everything on {self.name}"
        return f"the {self.scope} {self.name}"


@dataclass(frozen=True)
class Confirmation:
    subscription_id: int
    title: str
    cadence: str
    is_confirmed: bool


# ---------- What can be followed ----------


def followable(scope: str, slug: str | None = None) -> FollowList | None:
    """The list behind a follow page: the site, a section, or a topic with a public
    article (one with none is public nowhere); None for anything else."""
    if scope == "site":
        return FollowList("site", None, settings.load().site_title)
    if scope == "section":
        section = db.session.scalar(select(Section).where(Section.slug == (slug or "")))
        return None if section is None else FollowList("section", section.id, section.name, slug)
    if scope == "topic":
        topic = articles.get_public_topic(slug or "")
        return None if topic is None else FollowList("topic", topic.id, topic.name, slug)
    return None


def list_of(scope: str, target_id: int | None) -> FollowList | None:
    """The list a subscription names (the section or topic by id, public or not)."""
    if scope == "site":
        return followable("site")
    model = {"section": Section, "topic": Topic}.get(scope)
    term = db.session.get(model, int(target_id or 0)) if model is not None else None
    return None if term is None else FollowList(scope, term.id, term.name, term.slug)


def titles(subscriptions: list[Subscription]) -> dict[int, str]:
    """Each subscription's list title, two queries at most whatever their number."""
    site = settings.load().site_title
    names = {}
    for scope, model, column in (
        ("section", Section, "section_id"),
        ("topic", Topic, "topic_id"),
    ):
        ids = {getattr(s, column) for s in subscriptions if s.scope == scope}
        if ids:
            rows = db.session.execute(select(model.id, model.name).where(model.id.in_(ids)))
            names[scope] = dict(rows.all())
    named = {}
    for subscription in subscriptions:
        target = (
            subscription.section_id if subscription.scope == "section" else subscription.topic_id
        )
        name = site if subscription.scope == "site" else names[subscription.scope].get(target, "")
        named[subscription.id] = FollowList(subscription.scope, target, name).title
    return named


# ---------- Asking to follow ----------


def subscribe(email: str, scope: str, target_id: int | None, cadence: str, *, client: str) -> None:
    """Ask for `email` to follow a list. Makes the address's row and an unconfirmed
    subscription and mails the link that confirms it, or, when the address follows the
    list already, a link to manage its subscriptions; either only within the caps on
    confirmation mails (`client`: blog.ratelimit.network_key). Says nothing of which."""
    address = clean_line(email)
    if not is_email_address(address) or mail.checked_address(address) is None:
        raise SubscriptionRejected(BAD_ADDRESS, "email")
    if cadence not in CADENCES:
        raise SubscriptionRejected(BAD_CADENCE, "cadence")
    listed = list_of(scope, target_id)
    if listed is None:
        raise SubscriptionRejected("There is nothing to follow here any more.")
    subscriber = subscribers.address(address)
    subscription = subscription_of(subscriber, listed.key)
    if subscription is not None and subscription.confirmed_at is not None:
        if mail.can_link() and subscribers.may_send_confirmation(subscriber, client):
            _mail_manage_link(subscriber, already=listed)
        db.session.commit()
        return
    if subscription is None:
        subscription = new_subscription(subscriber, listed, cadence)
    subscription.cadence = cadence
    if mail.can_link() and subscribers.may_send_confirmation(subscriber, client):
        subscription.created_at = utcnow()  # it waits from the newest link on
        db.session.flush()
        mail.queue(
            subscriber.email,
            "follow_confirm",
            subject=f"Confirm that you want to follow {listed.title}",
            kind="follow_confirm",
            title=listed.title,
            cadence=CADENCE_WORDS[cadence],
            link=subscribers.confirm_subscription_url(subscriber, subscription.id),
            valid_for=duration_text(timedelta(seconds=CONFIRM_MAX_AGE)),
            **subscribers.forget_links(subscriber),
        )
    db.session.commit()


def ask_for_manage_link(email: str, *, client: str) -> None:
    """Mail a link to the manage page to an address that follows something (a list or a
    thread), within the caps; nothing for any other. Says nothing of which."""
    address = clean_line(email)
    if not is_email_address(address) or mail.checked_address(address) is None:
        raise SubscriptionRejected(BAD_ADDRESS, "email")
    subscriber = subscribers.find(address)
    if (
        subscriber is not None
        and _follows_anything(subscriber.id)
        and mail.can_link()
        and subscribers.may_send_confirmation(subscriber, client)
    ):
        _mail_manage_link(subscriber, already=None)
        db.session.commit()
    db.session.rollback()


def _follows_anything(subscriber_id: int) -> bool:
    return bool(
        db.session.scalar(
            select(
                exists().where(Subscription.subscriber_id == subscriber_id)
                | exists().where(ThreadFollow.subscriber_id == subscriber_id)
            )
        )
    )


def _mail_manage_link(subscriber: Subscriber, *, already: FollowList | None) -> None:
    site = settings.load().site_title
    subject = f"You already follow {already.title}" if already else f"Your subscriptions to {site}"
    mail.queue(
        subscriber.email,
        "manage_link",
        subject=subject,
        kind="manage_link",
        already=already.title if already else None,
        link=subscribers.manage_url(subscriber),
        valid_for=duration_text(timedelta(seconds=MANAGE_MAX_AGE)),
        **subscribers.forget_links(subscriber),
    )


def subscription_of(subscriber: Subscriber, list_key: str) -> Subscription | None:
    return db.session.scalar(
        select(Subscription).where(
            Subscription.subscriber_id == subscriber.id, Subscription.list_key == list_key
        )
    )


def new_subscription(subscriber: Subscriber, listed: FollowList, cadence: str) -> Subscription:
    """Made and flushed; of two requests making it at once, the second finds the first's."""
    subscription = Subscription(
        subscriber_id=subscriber.id,
        scope=listed.scope,
        list_key=listed.key,
        section_id=listed.target_id if listed.scope == "section" else None,
        topic_id=listed.target_id if listed.scope == "topic" else None,
        cadence=cadence,
    )
    try:
        with db.session.begin_nested():
            db.session.add(subscription)
    except IntegrityError:
        found = subscription_of(subscriber, listed.key)
        if found is None:
            raise
        return found
    return subscription


# ---------- Confirming ----------


def checked_token(token: str) -> str:
    """The token of a link, refused (LinkRejected) before it is decoded when it is longer
    than any link of ours."""
    if len(token or "") > MAX_TOKEN_LENGTH:
        raise links.LinkRejected()
    return token


def _confirm_link(token: str) -> tuple[Subscription, str]:
    subscriber, rest = subscribers.read(CONFIRM_SUBSCRIPTION, checked_token(token), CONFIRM_MAX_AGE)
    if len(rest) != 1 or not isinstance(rest[0], int):
        raise links.LinkRejected()
    subscription = db.session.get(Subscription, rest[0])
    if subscription is None:
        raise SubscriptionGone()
    if subscription.subscriber_id != subscriber.id:
        raise links.LinkRejected()
    return subscription, titles([subscription])[subscription.id]


def confirmation(token: str) -> Confirmation:
    """What a confirmation link would confirm (reading it changes nothing): LinkExpired,
    LinkRejected, SubscriptionGone or AlreadyConfirmed when it cannot."""
    subscription, title = _confirm_link(token)
    if subscription.confirmed_at is not None:
        raise AlreadyConfirmed()
    return Confirmation(subscription.id, title, CADENCE_WORDS[subscription.cadence], False)


def confirm(token: str) -> Confirmation:
    """Confirm the subscription a link names, once (AlreadyConfirmed after, even when two
    requests race)."""
    subscription, title = _confirm_link(token)
    done = db.session.execute(
        update(Subscription)
        .where(Subscription.id == subscription.id, Subscription.confirmed_at.is_(None))
        .values(confirmed_at=utcnow())
    )
    if done.rowcount != 1:
        db.session.rollback()
        raise AlreadyConfirmed()
    cadence = CADENCE_WORDS[subscription.cadence]
    db.session.commit()
    return Confirmation(subscription.id, title, cadence, True)


# ---------- The worker's clean-up ----------


def drop_unconfirmed(now: datetime | None = None) -> int:
    """Delete the subscriptions left unconfirmed for longer than their link lives, then
    the addresses older than that which follow nothing and were sent no confirmation
    mail in that time (a commenter's link may still name one). The subscriptions
    dropped."""
    cutoff = (now or utcnow()) - timedelta(seconds=CONFIRM_MAX_AGE)
    dropped = db.session.execute(
        delete(Subscription).where(
            Subscription.confirmed_at.is_(None), Subscription.created_at < cutoff
        )
    ).rowcount
    recent_mail = exists().where(
        OutboxMessage.recipient == Subscriber.email,
        OutboxMessage.kind.in_(CONFIRMATION_KINDS),
        OutboxMessage.created_at > cutoff,
    )
    forgotten = db.session.execute(
        delete(Subscriber).where(
            Subscriber.created_at < cutoff,
            ~exists().where(Subscription.subscriber_id == Subscriber.id),
            ~exists().where(ThreadFollow.subscriber_id == Subscriber.id),
            ~recent_mail,
        )
    ).rowcount
    db.session.commit()
    if dropped or forgotten:
        logger.info("dropped %d unconfirmed subscription(s), %d address(es)", dropped, forgotten)
    return dropped
