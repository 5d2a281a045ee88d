"""What editors see of the readers who follow by e-mail: how many follow each list (the
whole site, each section, each topic) by cadence, how many have yet to confirm, how many
follow comment threads, and how the latest mailings went.

Counts only: no address, and nothing that would tell one reader from another, leaves
this module. Each figure is one aggregate query (GROUP BY over the lists' index), so the
page costs the same few queries however many readers follow.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import func, select

from blog.domain import NotAllowed
from blog.extensions import db
from blog.models import (
    Article,
    ArticleStatus,
    Mailing,
    Section,
    Subscription,
    ThreadFollow,
    Topic,
    User,
)
from blog.models.base import utcnow
from blog.permissions import can_read_follower_counts
from blog.services.subscribers import CONFIRM_MAX_AGE

RECENT_MAILINGS = 20  # the newest mailings the page lists


@dataclass
class ListCount:
    """One list's followers: confirmed ones by cadence, and those yet to confirm."""

    name: str
    each: int = 0  # "each new article"
    daily: int = 0  # "daily digest"
    waiting: int = 0  # subscribed, not confirmed yet (dropped after a few days)

    @property
    def confirmed(self) -> int:
        return self.each + self.daily

    @property
    def is_empty(self) -> bool:
        return not (self.confirmed or self.waiting)


@dataclass
class ListGroup:
    """The sections' or the topics' lists: those someone follows or has asked to, and
    the names of the others."""

    followed: list[ListCount] = field(default_factory=list)
    nobody: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class MailingRow:
    """One mailing as the page shows it."""

    title: str  # the article's headline, or "Daily digest June 21, 2025"
    state: str  # "waiting", "sending" or "sent"
    sent: int
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None
    # Waiting because its article is not public (unpublished, or scheduled for later).
    is_held: bool = False


@dataclass
class Followers:
    site: ListCount
    sections: ListGroup
    topics: ListGroup
    thread_followers: int  # addresses that follow at least one comment thread
    threads: int  # comment threads someone follows
    mailings: list[MailingRow]
    # Days an unconfirmed subscription waits before it is dropped.
    confirm_days: int = CONFIRM_MAX_AGE // (24 * 3600)


def overview(viewer: User) -> Followers:
    """Every list's counts, the followed threads and the latest mailings; NotAllowed for
    anyone who may not manage sections and topics."""
    if not can_read_follower_counts(viewer):
        raise NotAllowed()
    counts = list_counts()
    sections = db.session.execute(
        select(Section.id, Section.name).order_by(Section.position, Section.id)
    ).all()
    topics = db.session.execute(select(Topic.id, Topic.name).order_by(Topic.name, Topic.id)).all()
    followers, threads = db.session.execute(
        select(
            func.count(ThreadFollow.subscriber_id.distinct()),
            func.count(ThreadFollow.root_comment_id.distinct()),
        )
    ).one()
    return Followers(
        site=counts.get(Subscription.key_of("site"), ListCount("The whole site")),
        sections=_group(counts, "section", sections),
        topics=_group(counts, "topic", topics),
        thread_followers=followers,
        threads=threads,
        mailings=recent_mailings(),
    )


def list_counts() -> dict[str, ListCount]:
    """Each list's counts by its key ("site", "section:<id>", "topic:<id>"), in one pass
    over the lists' index; lists nobody follows are left out."""
    rows = db.session.execute(
        select(
            Subscription.list_key,
            Subscription.cadence,
            func.count(Subscription.confirmed_at),  # counts the rows where it is set
            func.count(),
        ).group_by(Subscription.list_key, Subscription.cadence)
    )
    counts: dict[str, ListCount] = {}
    for key, cadence, confirmed, total in rows:
        found = counts.setdefault(key, ListCount("The whole site" if key == "site" else key))
        if cadence == "daily":
            found.daily += confirmed
        else:
            found.each += confirmed
        found.waiting += total - confirmed
    return counts


def _group(counts: dict[str, ListCount], scope: str, targets) -> ListGroup:
    group = ListGroup()
    for target_id, name in targets:
        found = counts.get(Subscription.key_of(scope, target_id))
        if found is None or found.is_empty:
            group.nobody.append(name)
        else:
            found.name = name
            group.followed.append(found)
    return group


def recent_mailings(limit: int = RECENT_MAILINGS) -> list[MailingRow]:
    """The newest mailings with their articles' headlines, newest first."""
    rows = db.session.execute(
        select(Mailing, Article.title, Article.status, Article.published_at)
        .outerjoin(Article, Article.id == Mailing.article_id)
        .order_by(Mailing.id.desc())
        .limit(limit)
    )
    now = utcnow()
    found = []
    for mailing, title, status, published_at in rows:
        if mailing.finished_at is not None:
            state = "sent"
        elif mailing.started_at is not None:
            state = "sending"
        else:
            state = "waiting"
        is_public = status == ArticleStatus.PUBLISHED and published_at and published_at <= now
        found.append(
            MailingRow(
                title=digest_title(mailing) if mailing.kind == "digest" else title or "An article",
                state=state,
                sent=mailing.sent_count,
                created_at=mailing.created_at,
                started_at=mailing.started_at,
                finished_at=mailing.finished_at,
                is_held=mailing.kind == "article" and state != "sent" and not is_public,
            )
        )
    return found


def digest_title(mailing: Mailing) -> str:
    """ "Daily digest June 21, 2025", the day read from the mailing's key."""
    try:
        day = date.fromisoformat(mailing.key.removeprefix("digest:"))
    except ValueError:
        return "Daily digest"
    return f"Daily digest {day:%B} {day.day}, {day.year}"
