"""Front-page curation: the editors' lead story and pinned top stories.

Picks are rows of front_page_picks: at most one lead, and up to TOP_STORIES_LIMIT top
stories numbered 1..n; each may expire. Readers see them through
blog.services.frontpage.front_page(), which ignores an expired pick at once; the worker's
minute task expire() deletes expired picks, so cached pages change then too. Every change
is recorded in the audit log in its own transaction. The breaking-news banner, run from
the same desk, is blog.services.breaking.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import wraps
from typing import ParamSpec, TypeVar
from urllib.parse import urlsplit

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from blog.domain import DomainError, NotAllowed, NotFound
from blog.extensions import db
from blog.models import Article, FrontPagePick, SlugKind, User
from blog.models.base import utcnow
from blog.permissions import can_curate_front_page
from blog.services import audit, settings
from blog.services.articles import is_public
from blog.services.frontpage import TOP_STORIES_LIMIT
from blog.services.publishing import in_utc, state
from blog.services.slugs import renamed_target

CHOICES_LIMIT = 50  # the newest public stories offered in the editor's list
MAX_AHEAD = timedelta(days=366)
ADDRESS_LIMIT = 500
MAX_ID = 2**31 - 1
# What a slug in an article's address can hold (as the public URL converter allows).
ADDRESS_SLUG = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,199}")


class CurationRejected(DomainError):
    """A front-page change the rules refuse; `field` names the form field it belongs to."""


def require_curator(actor: User) -> None:
    if not can_curate_front_page(actor):
        raise NotAllowed("Only editors and admins choose what the front page shows.")


P = ParamSpec("P")
R = TypeVar("R")


def refusing(change: Callable[P, R]) -> Callable[P, R]:
    """A change the rules refuse leaves nothing behind in the session."""

    @wraps(change)
    def run(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return change(*args, **kwargs)
        except DomainError:
            db.session.rollback()
            raise

    return run


# ----------------------------------------------------------------- checks


def expiry(until: datetime | None, now: datetime, field: str) -> datetime | None:
    """The moment a pick or the banner ends, in UTC; `until` without a time zone is read
    on the site's clock. None: until taken off by hand."""
    if until is None:
        return None
    when = in_utc(until)
    if when is None or when > now + MAX_AHEAD:
        raise CurationRejected("Choose a time within the next year.", field)
    if when <= now:
        raise CurationRejected(
            "That time has passed: choose a later one, or leave it empty to keep it up "
            "until you take it off.",
            field,
        )
    return when


def check_public(article: Article, now: datetime, field: str) -> None:
    """Only a story readers can open may go on the front page."""
    current = state(article, now)
    if current == "published":
        return
    if current == "scheduled":
        reason = "is scheduled and not public yet: it can go on the front page once it is live"
    elif current == "review":
        reason = "is waiting for review: publish it first"
    else:
        reason = "is a draft, not public: publish it first"
    raise CurationRejected(f"“{article.title}” {reason}.", field)


def slug_from_address(address: str) -> str | None:
    """The slug in "harbour-reopens", "/articles/harbour-reopens" or a full address."""
    path = urlsplit(address.strip()).path
    if "/articles/" in path:
        path = path.rsplit("/articles/", 1)[1]
    slug = path.strip("/")
    return slug if ADDRESS_SLUG.fullmatch(slug) else None


# ----------------------------------------------------------------- reading


@dataclass
class PickRow:
    pick: FrontPagePick
    article: Article
    hidden_because: str  # "" while readers see it


@dataclass
class Board:
    """What the editor's front-page desk shows."""

    lead: PickRow | None
    top: list[PickRow]
    limit: int
    choices: list[Article]  # the newest public stories, to pick from
    chosen: Article | None  # a story named by the page's address (?article=<id>)
    banner: settings.SiteSettings
    banner_until: datetime | None
    is_banner_live: bool


def all_picks() -> list[FrontPagePick]:
    return list(
        db.session.scalars(
            select(FrontPagePick)
            .options(joinedload(FrontPagePick.article))
            .order_by(FrontPagePick.is_lead, FrontPagePick.position, FrontPagePick.id)
        )
    )


def describe_pick(pick: FrontPagePick, now: datetime) -> PickRow:
    hidden = ""
    if pick.expires_at is not None and pick.expires_at <= now:
        hidden = "expired"
    elif state(pick.article, now) != "published":
        hidden = "not public"
    return PickRow(pick, pick.article, hidden)


def board(actor: User, chosen_id: int | None = None) -> Board:
    require_curator(actor)
    now = utcnow()
    rows = [describe_pick(pick, now) for pick in all_picks()]
    choices = list(
        db.session.scalars(
            select(Article)
            .where(is_public())
            .order_by(Article.published_at.desc(), Article.id.desc())
            .limit(CHOICES_LIMIT)
        )
    )
    chosen = db.session.get(Article, chosen_id) if 0 < (chosen_id or 0) <= MAX_ID else None
    current = settings.load()
    until = None
    if current.breaking_until:
        try:
            until = datetime.fromisoformat(current.breaking_until)
        except ValueError:
            until = None
    return Board(
        lead=next((row for row in rows if row.pick.is_lead), None),
        top=[row for row in rows if not row.pick.is_lead],
        limit=TOP_STORIES_LIMIT,
        choices=choices,
        chosen=chosen,
        banner=current,
        banner_until=until,
        is_banner_live=current.is_breaking_live(now),
    )


def find_article(article_id: int | None, address: str = "") -> Article:
    """The story chosen from the list, or named by its address (which wins when given)."""
    address = address.strip()[:ADDRESS_LIMIT]
    if address:
        slug = slug_from_address(address)
        article = None
        if slug is not None:
            article = db.session.scalar(select(Article).where(Article.slug == slug))
            article = article or renamed_target(SlugKind.ARTICLE, slug)
        if article is None:
            raise CurationRejected(
                "No story has this address. Paste the story's address or its slug.", "address"
            )
        return article
    if article_id is None:
        raise CurationRejected("Choose a story from the list, or give its address.", "article_id")
    # Past the id column's range there is nothing (and the database would refuse to look).
    article = db.session.get(Article, article_id) if 0 < article_id <= MAX_ID else None
    if article is None:
        raise CurationRejected("That story no longer exists.", "article_id")
    return article


def get_pick(pick_id: int) -> FrontPagePick:
    pick = db.session.get(FrontPagePick, pick_id)
    if pick is None:  # an id that does not exist is a 404, as everywhere
        raise NotFound("That story is no longer on the front page.")
    return pick


# ----------------------------------------------------------------- changes


def top_picks(*, without: FrontPagePick | None = None) -> list[FrontPagePick]:
    return [
        pick
        for pick in db.session.scalars(
            select(FrontPagePick)
            .where(FrontPagePick.is_lead.is_(False))
            .order_by(FrontPagePick.position, FrontPagePick.id)
        )
        if pick is not without
    ]


def renumber(picks: list[FrontPagePick]) -> None:
    for position, pick in enumerate(picks, start=1):
        pick.position = position


def until_detail(pick: FrontPagePick) -> str | None:
    return pick.expires_at.isoformat(timespec="minutes") if pick.expires_at else None


def commit() -> None:
    """Commit a change; another editor putting the same story up first is a refusal."""
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        raise CurationRejected(
            "Someone else changed the front page at the same moment; look again and retry."
        ) from None


@refusing
def set_lead(
    actor: User, article: Article, until: datetime | None = None, field: str = "article_id"
) -> FrontPagePick:
    """Lead with this story (one lead at a time); it leaves the top stories if pinned."""
    require_curator(actor)
    now = utcnow()
    expires_at = expiry(until, now, "until_date")
    check_public(article, now, field)
    db.session.execute(
        delete(FrontPagePick).where(
            FrontPagePick.is_lead.is_(True), FrontPagePick.article_id != article.id
        )
    )
    pick = db.session.scalar(select(FrontPagePick).where(FrontPagePick.article_id == article.id))
    if pick is None:
        pick = FrontPagePick(article_id=article.id)
        db.session.add(pick)
    pick.is_lead, pick.position, pick.expires_at = True, 0, expires_at
    pick.picked_by_id, pick.picked_at = actor.id, now
    renumber(top_picks(without=pick))
    audit.record(actor, "front.lead", audit.describe("article", article), until=until_detail(pick))
    commit()
    return pick


@refusing
def pin(
    actor: User, article: Article, until: datetime | None = None, field: str = "article_id"
) -> FrontPagePick:
    """Pin the story last among the top stories (the lead moves down into them)."""
    require_curator(actor)
    now = utcnow()
    expires_at = expiry(until, now, "until_date")
    check_public(article, now, field)
    db.session.execute(delete(FrontPagePick).where(FrontPagePick.expires_at <= now))
    pick = db.session.scalar(select(FrontPagePick).where(FrontPagePick.article_id == article.id))
    if pick is not None and not pick.is_lead:
        raise CurationRejected(f"“{article.title}” is already a top story.", field)
    tops = top_picks(without=pick)
    if len(tops) >= TOP_STORIES_LIMIT:
        raise CurationRejected(
            f"The front page holds {TOP_STORIES_LIMIT} top stories: remove one first.", field
        )
    if pick is None:
        pick = FrontPagePick(article_id=article.id)
        db.session.add(pick)
    pick.is_lead, pick.position, pick.expires_at = False, len(tops) + 1, expires_at
    pick.picked_by_id, pick.picked_at = actor.id, now
    audit.record(
        actor,
        "front.pin",
        audit.describe("article", article),
        position=pick.position,
        until=until_detail(pick),
    )
    commit()
    return pick


@refusing
def unpin(actor: User, pick_id: int) -> Article:
    """Take a story off the front page (the lead too: the automatic lead returns)."""
    require_curator(actor)
    pick = get_pick(pick_id)
    article, was_lead = pick.article, pick.is_lead
    db.session.delete(pick)
    if not was_lead:
        renumber(top_picks(without=pick))
    audit.record(
        actor, "front.unpin", audit.describe("article", article), role="lead" if was_lead else "top"
    )
    commit()
    return article


def place(actor: User, pick: FrontPagePick, position: int) -> bool:
    """Put a top story at this place (1 is first; past the end is last); audited."""
    if pick.is_lead:
        raise CurationRejected("The lead has no place among the top stories.", "position")
    others = top_picks(without=pick)
    new = min(max(position, 1), len(others) + 1)
    old = pick.position
    others.insert(new - 1, pick)
    renumber(others)
    if new == old:
        return False
    audit.record(
        actor, "front.move", audit.describe("article", pick.article), **{"from": old, "to": new}
    )
    return True


@refusing
def move(actor: User, pick_id: int, direction: str) -> None:
    """One place up or down among the top stories."""
    require_curator(actor)
    pick = get_pick(pick_id)
    tops = top_picks()
    if pick.is_lead or pick not in tops:
        raise CurationRejected("The lead has no place among the top stories.")
    index = tops.index(pick) + (-1 if direction == "up" else 1)
    if place(actor, pick, index + 1):
        commit()


@refusing
def update_pick(
    actor: User, pick_id: int, position: int | None, until: datetime | None
) -> FrontPagePick:
    """Save a pick's row of the desk: its place among the top stories and its expiry."""
    require_curator(actor)
    pick = get_pick(pick_id)
    now = utcnow()
    expires_at = expiry(until, now, "until_date")
    if position is not None and not pick.is_lead:
        place(actor, pick, position)
    if expires_at != pick.expires_at:
        pick.expires_at = expires_at
        audit.record(
            actor,
            "front.lead" if pick.is_lead else "front.pin",
            audit.describe("article", pick.article),
            until=until_detail(pick),
        )
    commit()
    return pick


# ----------------------------------------------------------------- the worker


def expire(now: datetime | None = None) -> int:
    """Delete expired picks (the worker, every minute), so cached pages are retired then;
    readers stopped seeing them at their time already. The number deleted."""
    result = db.session.execute(
        delete(FrontPagePick).where(
            FrontPagePick.expires_at.is_not(None), FrontPagePick.expires_at <= (now or utcnow())
        )
    )
    db.session.commit()
    return result.rowcount or 0
