"""What followers are sent: a mailing for each newly published article and one daily
digest, who receives each, and the message each recipient gets.

A first publication (now, or scheduled for later) adds the article's mailing in the same
transaction as the save; once that commits the worker is woken if the article is public
already (a scheduled one is taken up by the worker's minute task once its time has come).
An importer never adds one. At FOLLOW_DIGEST_HOUR on the site's clock the worker's minute
task adds the day's digest, covering what was published since the last one. The worker
sends them (blog/services/mailing_sender.py): here are the rules it follows.

- An article's mailing goes to every address with a confirmed "each" subscription to the
  whole site, to the article's section or to one of its topics, once however many of
  those it follows. It waits, sending nothing, while the article is not public.
- A digest goes to every address with a confirmed "daily" subscription that followed at
  least one of the public articles of its period; the others get nothing that day.
  Articles brought in by an importer are never listed.
- Each message says why its reader gets it, and carries a one-click link that ends the
  subscriptions it came through (also as List-Unsubscribe, with RFC 8058's
  List-Unsubscribe-Post), a link to manage them all and one to leave everything. Its
  Message-ID is made from the mailing and the address, so a message sent again after a
  crash is recognised as the same one.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import NamedTuple

from flask import current_app, has_app_context
from sqlalchemy import event, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, joinedload, selectinload

from blog import mail
from blog.extensions import db
from blog.models import (
    Article,
    ArticleCoauthor,
    ArticleStatus,
    ImportedItem,
    Mailing,
    OutboxMessage,
    Section,
    Subscriber,
    Subscription,
    Topic,
    article_topics,
)
from blog.models.base import utcnow
from blog.services import settings, subscribers
from blog.templating import external_url

logger = logging.getLogger("blog.mail")

BATCH = 200  # recipients read at once; whether the article is public is checked before each
DIGEST_STORIES = 200  # a day's articles a digest reads, newest first
DIGEST_REACH = timedelta(days=7)  # how far back one digest looks, at most
DIGEST_LISTED = 30  # of those, the most one message lists; it links to the site for the rest
SITE_LIST = "site"
WAKE = "mailing_wake"  # db.session.info: wake the worker once this transaction commits


@dataclass(frozen=True)
class Story:
    """An article as followers' mail shows it."""

    id: int
    title: str
    brief: str
    byline: str
    section: str
    published_at: datetime
    url: str
    list_keys: frozenset[str]  # the lists it reaches: "site", its section's, its topics'


# ---------- Adding mailings ----------


def article_saved(article: Article, *, was_public: bool) -> Mailing | None:
    """After a save, before its commit: a first publication (now or scheduled) adds the
    article's mailing, once. An article that was public before (edited, or published
    again after being taken down) adds none."""
    if article.status != ArticleStatus.PUBLISHED or was_public:
        return None
    if article.id is None:
        db.session.flush()
    key = f"article:{article.id}"
    if db.session.scalar(select(Mailing.id).where(Mailing.key == key)) is not None:
        return None
    mailing = Mailing(kind="article", key=key, article_id=article.id)
    db.session.add(mailing)
    if is_public(article, utcnow()):  # a scheduled one waits for its time and the minute task
        db.session.info[WAKE] = True
    return mailing


def plan_digest(now: datetime | None = None) -> Mailing | None:
    """Add today's digest once FOLLOW_DIGEST_HOUR has come on the site's clock (and is
    committed), when anyone follows daily: it covers the time since the last digest ended
    (at most DIGEST_REACH back), or the last 24 hours. Run twice, or by two workers at
    once, it adds one."""
    now = now or utcnow()
    local = now.astimezone(settings.site_timezone())
    if local.hour < current_app.config["FOLLOW_DIGEST_HOUR"]:
        return None
    key = f"digest:{local.date().isoformat()}"
    if db.session.scalar(select(Mailing.id).where(Mailing.key == key)) is not None:
        return None
    if not has_daily_followers():
        return None
    last_end = db.session.scalar(
        select(Mailing.period_end)
        .where(Mailing.kind == "digest")
        .order_by(Mailing.period_end.desc())
        .limit(1)
    )
    # A digest's first reader, or one after the worker was down for long, gets no more
    # than DIGEST_REACH of articles.
    start = last_end if last_end is not None else now - timedelta(days=1)
    start = max(start, now - DIGEST_REACH)
    mailing = Mailing(kind="digest", key=key, period_start=min(start, now), period_end=now)
    try:
        db.session.add(mailing)
        db.session.commit()
    except IntegrityError:  # another worker added it at the same moment
        db.session.rollback()
        return None
    return mailing


def has_daily_followers() -> bool:
    confirmed_daily = (Subscription.cadence == "daily") & Subscription.confirmed_at.is_not(None)
    return db.session.scalar(select(Subscription.id).where(confirmed_daily).limit(1)) is not None


def wake() -> None:
    """Ask the worker to send now; a queue that cannot be reached only delays the mailing
    to the worker's next minute."""
    from blog.jobs import jobs

    try:
        jobs().send_mailings()
    except Exception:
        logger.exception("mailings: could not wake the worker; it sends within a minute")


def _after_commit(session: Session) -> None:
    if session.info.pop(WAKE, False) and has_app_context():
        wake()


def _after_rollback(session: Session, previous_transaction) -> None:
    session.info.pop(WAKE, None)


def listen_for_mailings() -> None:
    """Wake the worker after each commit of db.session that added the mailing of an
    article public now."""
    if event.contains(db.session, "after_commit", _after_commit):
        return
    event.listen(db.session, "after_commit", _after_commit)
    event.listen(db.session, "after_soft_rollback", _after_rollback)


# ---------- What is sent ----------


def is_public(article: Article | None, now: datetime) -> bool:
    return (
        article is not None
        and article.status == ArticleStatus.PUBLISHED
        and article.published_at is not None
        and article.published_at <= now
    )


def in_words(names: list[str]) -> str:
    """ "Ada", "Ada and Bo", "Ada, Bo and Cy"."""
    return names[0] if len(names) < 2 else f"{', '.join(names[:-1])} and {names[-1]}"


def story_of(article: Article, topic_ids: Iterable[int]) -> Story:
    keys = {SITE_LIST, *(Subscription.key_of("topic", topic_id) for topic_id in topic_ids)}
    if article.section_id is not None:
        keys.add(Subscription.key_of("section", article.section_id))
    return Story(
        id=article.id,
        title=mail.plain_header(article.title, 300),
        brief=article.brief,
        byline=in_words([author.display_name for author in article.authors]),
        section=article.section.name if article.section is not None else "",
        published_at=article.published_at,
        url=external_url("public.article", slug=article.slug),
        list_keys=frozenset(keys),
    )


def _with_credits(query):
    return query.options(
        joinedload(Article.author),
        joinedload(Article.section),
        selectinload(Article.coauthor_links).joinedload(ArticleCoauthor.user),
    ).execution_options(populate_existing=True)


def article_story(article_id: int, now: datetime) -> Story | None:
    """The mailing's article as it is now (read afresh), or None while it is not public."""
    query = _with_credits(select(Article).where(Article.id == article_id))
    article = db.session.scalars(query.options(selectinload(Article.topics))).first()
    if not is_public(article, now):
        return None
    return story_of(article, [topic.id for topic in article.topics])


def digest_stories(mailing: Mailing, now: datetime) -> list[Story]:
    """The public articles of a digest's period, newest first, as they are now; never one
    an importer brought in."""
    imported = select(ImportedItem.target_id).where(ImportedItem.kind == "article")
    query = _with_credits(
        select(Article)
        .where(
            Article.status == ArticleStatus.PUBLISHED,
            Article.published_at > mailing.period_start,
            Article.published_at <= min(mailing.period_end, now),
            Article.id.not_in(imported),
        )
        .order_by(Article.published_at.desc(), Article.id.desc())
        .limit(DIGEST_STORIES)
    )
    articles = db.session.scalars(query).unique().all()
    topics: dict[int, list[int]] = {article.id: [] for article in articles}
    if topics:
        rows = db.session.execute(
            select(article_topics.c.article_id, article_topics.c.topic_id).where(
                article_topics.c.article_id.in_(list(topics))
            )
        )
        for article_id, topic_id in rows:
            topics[article_id].append(topic_id)
    return [story_of(article, topics[article.id]) for article in articles]


class Through(NamedTuple):
    """A subscription a message comes through."""

    id: int
    list_key: str


def recipients(
    cadence: str, after: int, limit: int, list_keys: Iterable[str] | None = None
) -> list[tuple[Subscriber, list[Through]]]:
    """The next `limit` addresses after id `after`, in id order, with a confirmed
    subscription of this cadence (to one of `list_keys`, when given), each once with the
    subscriptions that make it one. Read as plain values (the addresses as rows outside
    the session), so that the commit after each message has nothing of theirs to expire."""
    follows = (Subscription.cadence == cadence) & Subscription.confirmed_at.is_not(None)
    if list_keys is not None:
        follows &= Subscription.list_key.in_(sorted(list_keys))
    ids = db.session.scalars(
        select(Subscription.subscriber_id)
        .where(follows, Subscription.subscriber_id > after)
        .distinct()
        .order_by(Subscription.subscriber_id)
        .limit(limit)
    ).all()
    if not ids:
        return []
    rows = db.session.execute(
        select(
            Subscriber.id,
            Subscriber.email,
            Subscriber.email_key,
            Subscription.id,
            Subscription.list_key,
        )
        .join(Subscription, Subscription.subscriber_id == Subscriber.id)
        .where(follows, Subscriber.id.in_(ids))
        .order_by(Subscriber.id, Subscription.id)
    ).all()
    grouped: dict[int, tuple[Subscriber, list[Through]]] = {}
    for subscriber_id, email, key, subscription_id, list_key in rows:
        if subscriber_id not in grouped:
            address = Subscriber(id=subscriber_id, email=email, email_key=key)
            grouped[subscriber_id] = (address, [])
        grouped[subscriber_id][1].append(Through(subscription_id, list_key))
    return list(grouped.values())


def still_follows(through: list[Through], cadence: str) -> bool:
    """Whether the address still follows, at this cadence, one of the lists it was read
    with: leaving takes effect at once, even for an address whose batch was read before."""
    ids = [subscription.id for subscription in through]
    still = db.session.scalar(
        select(Subscription.id)
        .where(Subscription.id.in_(ids), Subscription.cadence == cadence)
        .where(Subscription.confirmed_at.is_not(None))
        .limit(1)
    )
    return still is not None


def list_names(keys: Iterable[str]) -> dict[str, str]:
    """What each list is called in a message's footer."""
    keys = set(keys)
    ids = {"section": set(), "topic": set()}
    for key in keys:
        scope, _, number = key.partition(":")
        if scope in ids and number.isdigit():
            ids[scope].add(int(number))
    names = {SITE_LIST: "the whole site"}
    for scope, model in (("section", Section), ("topic", Topic)):
        if ids[scope]:
            rows = db.session.execute(select(model.id, model.name).where(model.id.in_(ids[scope])))
            for row_id, name in rows:
                names[Subscription.key_of(scope, row_id)] = f"the {scope} “{name}”"
    return {key: names.get(key, "a list that no longer exists") for key in keys}


def message_for(
    mailing: Mailing,
    subscriber: Subscriber,
    through: list[Through],
    names: dict[str, str],
    *,
    template: str,
    subject: str,
    **context,
) -> OutboxMessage | None:
    """One recipient's message, never stored: sent as it is made, and made the same again
    (Message-ID and Date included) should the worker die before recording it sent. None
    for an address that is not one plain address."""
    address = mail.checked_address(subscriber.email)
    if address is None:
        logger.warning(
            "mailing %s: subscriber %s has a malformed address", mailing.id, subscriber.id
        )
        return None
    leave_url = subscribers.unsubscribe_url(subscriber, "list", [s.id for s in through])
    subject = mail.plain_header(subject, 300)
    context = {
        **context,
        "site": settings.load(),
        "subject": subject,
        "lists": in_words([names[subscription.list_key] for subscription in through]),
        "through_one": len(through) == 1,
        "leave_url": leave_url,
        "manage_url": subscribers.manage_url(subscriber),
        "leave_all_url": subscribers.unsubscribe_url(subscriber, "all"),
    }
    stamp = int(mailing.created_at.timestamp())
    return OutboxMessage(
        message_id=f"<mailing-{mailing.id}-{stamp}.{subscriber.id}@{mail.site_host()}>",
        kind=template,
        recipient=address,
        subject=subject,
        body_text=mail.render(f"mail/{template}.txt", context),
        body_html=mail.render(f"mail/{template}.html", context),
        headers=json.dumps(mail.unsubscribe_headers(leave_url)),
        created_at=mailing.created_at,
        attempts=0,
        last_error="",
        next_attempt_at=mailing.created_at,
    )


def article_message(
    mailing: Mailing,
    story: Story,
    subscriber: Subscriber,
    through: list[Through],
    names: dict[str, str],
) -> OutboxMessage | None:
    return message_for(
        mailing,
        subscriber,
        through,
        names,
        template="new_article",
        subject=story.title,
        story=story,
    )


def digest_message(
    mailing: Mailing,
    stories: list[Story],
    subscriber: Subscriber,
    through: list[Through],
    names: dict[str, str],
) -> OutboxMessage | None:
    """The digest for one address: the stories of the lists it follows daily, or None
    when there are none (it is sent nothing that day)."""
    followed = {subscription.list_key for subscription in through}
    picked = [story for story in stories if story.list_keys & followed]
    if not picked:
        return None
    used = [s for s in through if any(s.list_key in story.list_keys for story in picked)]
    count = len(picked)
    site_title = settings.load().site_title
    return message_for(
        mailing,
        subscriber,
        used,
        names,
        template="daily_digest",
        subject=f"{site_title} daily: {count} new article{'' if count == 1 else 's'}",
        stories=picked[:DIGEST_LISTED],
        total=count,
        home_url=external_url("public.front"),
    )
