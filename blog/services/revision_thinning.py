"""Thinning old revisions: past the `revision_keep_days` setting, only the newest of each
article's or page's day is kept, and every published one (the worker's hourly task)."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import and_, delete, func, or_, select
from sqlalchemy.orm import aliased

from blog.extensions import db
from blog.models import JobMark
from blog.models.revisions import Revision
from blog.services import settings

# At most THIN_BATCHES transactions of THIN_BATCH revisions looked at per run.
THIN_BATCH = 500
THIN_BATCHES = 20
THINNED = "revision_thinning"


def thin(now: datetime, *, batch: int = THIN_BATCH, batches: int = THIN_BATCHES) -> int:
    """For revisions older than the `revision_keep_days` setting, keep only the newest of
    each target per calendar day (on the site's clock); never a published one, never a
    target's newest. Looks at `batch` revisions per transaction, at most `batches` times,
    remembering where it stopped (what it kept stays the newest of its day); the number
    deleted."""
    cutoff = now - timedelta(days=settings.load().revision_keep_days)
    zone = settings.site_timezone()
    mark = db.session.get(JobMark, THINNED)
    since = mark.at if mark is not None else None
    following = aliased(Revision)
    next_id = (
        select(func.min(following.id))
        .where(
            following.id > Revision.id,
            or_(
                and_(Revision.article_id.is_not(None), following.article_id == Revision.article_id),
                and_(Revision.page_id.is_not(None), following.page_id == Revision.page_id),
            ),
        )
        .correlate(Revision)
        .scalar_subquery()
    )
    deleted = 0
    for _ in range(batches):
        statement = select(Revision.id, Revision.created_at, next_id.label("next_id")).where(
            Revision.created_at < cutoff, Revision.is_published.is_(False)
        )
        if since is not None:
            statement = statement.where(Revision.created_at >= since)
        rows = db.session.execute(
            statement.order_by(Revision.created_at, Revision.id).limit(batch)
        ).all()
        next_ids = [row.next_id for row in rows if row.next_id is not None]
        next_days = {
            revision_id: created_at.astimezone(zone).date()
            for revision_id, created_at in db.session.execute(
                select(Revision.id, Revision.created_at).where(Revision.id.in_(next_ids))
            )
        }
        # Not the newest of its day (so not its target's newest either): the next one of
        # the same target was saved on the same calendar day.
        doomed = [
            row.id
            for row in rows
            if next_days.get(row.next_id) == row.created_at.astimezone(zone).date()
        ]
        if doomed:
            db.session.execute(
                delete(Revision)
                .where(Revision.id.in_(doomed))
                .execution_options(synchronize_session=False)
            )
            deleted += len(doomed)
        if rows:
            since = rows[-1].created_at
            remember(since)
        db.session.commit()
        if len(rows) < batch:
            break
    return deleted


def remember(at: datetime) -> None:
    row = db.session.get(JobMark, THINNED)
    if row is None:
        db.session.add(JobMark(name=THINNED, at=at))
    elif row.at < at:
        row.at = at
