"""The front page: the editors' lead and top stories, the latest, a block per section
and the two rankings (most shared this week, most discussed this month)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, desc, func, select, union
from sqlalchemy.orm import joinedload

from blog.extensions import db
from blog.models import Article, FrontPagePick, Section, ShareTally
from blog.models.base import utcnow
from blog.services.articles import (
    card_options,
    is_public,
    is_public_id,
    public_articles,
    without_bodies,
)
from blog.services.bylines import load_coauthors

SECTION_BLOCK_SIZE = 4
LATEST_SIZE = 12
TOP_STORIES_LIMIT = 6  # pinned top stories on the front page (blog.services.curation)
RANKING_SIZE = 5
MOST_DISCUSSED_DAYS = 30


@dataclass
class FrontPage:
    lead: Article | None
    top_stories: list[Article]
    latest: list[Article]
    section_blocks: list[tuple[Section, list[Article]]]
    most_shared: list[Article]
    most_discussed: list[Article]
    # When the first of the editors' picks on it ends (the page changes then by itself).
    ends_at: datetime | None = None


def is_live_pick(now: datetime) -> ColumnElement[bool]:
    """A pick that has not expired, of an article that is public (checked by primary key)."""
    is_current = FrontPagePick.expires_at.is_(None) | (FrontPagePick.expires_at > now)
    return is_current & is_public_id(FrontPagePick.article_id)


def live_picks() -> tuple[Article | None, list[Article], datetime | None]:
    """The editors' lead and pinned top stories (in order), in one query. An expired pick
    or one of an article no longer public is left out at once (the worker deletes expired
    picks; a pick of an unpublished story waits, and shows again if it is republished)."""
    picks = db.session.scalars(
        select(FrontPagePick)
        .where(is_live_pick(utcnow()))
        .options(
            joinedload(FrontPagePick.article).options(
                *card_options(coauthors=False), *without_bodies()
            )
        )
        # Ascending on both columns: the (is_lead, position) index gives this order.
        .order_by(FrontPagePick.is_lead, FrontPagePick.position, FrontPagePick.id)
    ).all()
    lead = next((pick.article for pick in picks if pick.is_lead), None)
    top = [pick.article for pick in picks if not pick.is_lead][:TOP_STORIES_LIMIT]
    ends = min((pick.expires_at for pick in picks if pick.expires_at), default=None)
    return lead, top, ends


def section_blocks(sections: list[Section], shown: set[int]) -> list[tuple[Section, list[Article]]]:
    """Each section's newest stories not already shown above, in one UNION query."""
    if not sections:
        return []
    per_section = []
    for section in sections:
        query = select(Article.id).where(is_public(), Article.section_id == section.id)
        if shown:
            query = query.where(Article.id.not_in(sorted(shown)))
        per_section.append(
            query.order_by(Article.published_at.desc(), Article.id.desc())
            .limit(SECTION_BLOCK_SIZE)
            .subquery()
            .select()
        )
    ids = select(union(*per_section).subquery().c[0])
    by_section: dict[int, list[Article]] = {s.id: [] for s in sections}
    # The ids are public already: read by primary key, not through the date index.
    blocks_query = (
        select(Article)
        .where(Article.id.in_(ids))
        .options(*card_options(coauthors=False), *without_bodies())
        .order_by(Article.published_at.desc(), Article.id.desc())
    )
    for article in db.session.scalars(blocks_query):
        by_section[article.section_id].append(article)
    return [(s, by_section[s.id]) for s in sections if by_section[s.id]]


def front_page(sections: list[Section]) -> FrontPage:
    """The lead, the top stories, latest, a block per section and the two rankings, in a
    fixed number of queries with or without the editors' picks.

    The lead is the editors' lead pick, else the newest featured story among the latest,
    else the newest. Each story appears once: the lead in no other block, picks not in
    the automatic lists, section blocks without what is shown above them. The cards'
    co-authors are read for all of them at once, at the end."""
    picked_lead, top_stories, picks_end = live_picks()
    picked = {a.id for a in top_stories} | ({picked_lead.id} if picked_lead else set())
    # As many more as were picked, so the automatic lists stay full without them.
    newest = db.session.scalars(
        public_articles(coauthors=False)
        .options(*without_bodies())
        .limit(LATEST_SIZE + 1 + len(picked))
    )
    recent = [a for a in newest if a.id not in picked][: LATEST_SIZE + 1]
    lead = picked_lead or next((a for a in recent if a.is_featured), recent[0] if recent else None)
    latest = [a for a in recent if a is not lead][:LATEST_SIZE]
    shown = picked | {a.id for a in latest} | ({lead.id} if lead else set())
    # The rankings are automatic lists too: without the lead and the pinned stories.
    on_top = sorted(picked | ({lead.id} if lead else set()))
    blocks = section_blocks(sections, shown)
    load_coauthors([lead, *top_stories, *latest, *(a for _, items in blocks for a in items)])
    return FrontPage(
        lead=lead,
        top_stories=top_stories,
        latest=latest,
        section_blocks=blocks,
        most_shared=most_shared_this_week(exclude=on_top),
        most_discussed=most_discussed(exclude=on_top),
        ends_at=picks_end,
    )


def most_shared_this_week(
    limit: int = RANKING_SIZE, exclude: list[int] | tuple[int, ...] = ()
) -> list[Article]:
    """The week's most shared stories but those in `exclude` (the front page's picks)."""
    today = utcnow().date()
    total = func.sum(ShareTally.count).label("total")
    # A closed range of days: SQLite's planner then reads the week from the day index
    # rather than every tally through the unique key (which it picks for the GROUP BY).
    week = (
        select(ShareTally.article_id, total)
        .where(
            ShareTally.day.between(today - timedelta(days=6), today),
            is_public_id(ShareTally.article_id),
            *([ShareTally.article_id.not_in(exclude)] if exclude else []),
        )
        .group_by(ShareTally.article_id)
        .subquery()
    )
    return list(
        db.session.scalars(
            select(Article)
            .join(week, week.c.article_id == Article.id)
            .options(*card_options(coauthors=False), *without_bodies())  # a ranking names no author
            .order_by(desc(week.c.total), Article.published_at.desc())
            .limit(limit)
        )
    )


def most_discussed(
    limit: int = RANKING_SIZE, exclude: list[int] | tuple[int, ...] = ()
) -> list[Article]:
    """The month's most discussed stories but those in `exclude` (the front page's picks)."""
    since = utcnow() - timedelta(days=MOST_DISCUSSED_DAYS)
    return list(
        db.session.scalars(
            select(Article)
            .where(is_public(), Article.published_at >= since, Article.comment_count > 0)
            .where(*([Article.id.not_in(exclude)] if exclude else []))
            .options(*card_options(coauthors=False), *without_bodies())  # a ranking names no author
            .order_by(Article.comment_count.desc(), Article.published_at.desc())
            .limit(limit)
        )
    )
