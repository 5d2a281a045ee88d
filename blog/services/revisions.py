"""Revisions of articles and static pages: recording one on every save that changes the
text, listing them with the numbers the newsroom knows them by, restoring one, and
thinning old ones.

A revision holds what the editor page holds of the text: title, brief (a page's
summary), body, cover with its alt text and caption, section and topics. Numbers (1, 2,
3, ...) count a target's revisions in id order and are computed, never stored. Imports
(`blog/importers/`) write no revisions: an imported article's first save records its
state before that save as revision 1, as for any article older than revisions.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import and_, delete, func, or_, select
from sqlalchemy.orm import aliased, joinedload

from blog.domain import DomainError, NotFound
from blog.extensions import db
from blog.models import Article, JobMark, Page, Topic, Upload, User
from blog.models.base import utcnow
from blog.models.revisions import Revision
from blog.pagination import Page as ListPage
from blog.rendering import count_words
from blog.services import audit, settings

PER_PAGE = 50
# Thinning: at most THIN_BATCHES transactions of THIN_BATCH revisions looked at per run.
THIN_BATCH = 500
THIN_BATCHES = 20
THINNED = "revision_thinning"

KIND_LABELS = {"save": "Saved", "publish": "Published", "restore": "Restored", "import": "Imported"}
SAME_TEXT = "The {noun} already reads like revision {number}: there is nothing to restore."

FIELDS = (
    "title",
    "brief",
    "body_md",
    "cover_id",
    "cover_alt",
    "cover_caption",
    "section_id",
    "topic_ids",
)


@dataclass(frozen=True)
class Snapshot:
    """The revisioned fields of an article or a page at one moment."""

    title: str
    brief: str
    body_md: str
    cover_id: int | None
    cover_alt: str
    cover_caption: str
    section_id: int | None
    topic_ids: tuple[int, ...]
    updated_at: datetime | None = None

    @classmethod
    def of(cls, target: Article | Page) -> Snapshot:
        if isinstance(target, Article):
            brief, section_id = target.brief, target.section_id
            topic_ids = tuple(sorted(topic.id for topic in target.topics))
        else:
            brief, section_id, topic_ids = target.summary, None, ()
        return cls(
            title=target.title or "",
            brief=brief or "",
            body_md=target.body_md or "",
            cover_id=target.cover_id,
            cover_alt=target.cover_alt or "",
            cover_caption=target.cover_caption or "",
            section_id=section_id,
            topic_ids=topic_ids,
            updated_at=target.updated_at,
        )

    @classmethod
    def of_revision(cls, revision: Revision) -> Snapshot:
        return cls(
            **{name: getattr(revision, name) for name in FIELDS if name != "topic_ids"},
            topic_ids=tuple(sorted(int(i) for i in revision.topic_ids or [])),
            updated_at=revision.created_at,
        )

    def text(self) -> tuple:
        """What decides whether two snapshots differ (never the time)."""
        return tuple(getattr(self, name) for name in FIELDS)


def owner(target: Article | Page) -> dict:
    """The column naming the revision's target."""
    return {"article_id": target.id} if isinstance(target, Article) else {"page_id": target.id}


def target_column(target: Article | Page):
    return Revision.article_id if isinstance(target, Article) else Revision.page_id


def noun(target: Article | Page) -> str:
    return "article" if isinstance(target, Article) else "page"


# ------------------------------------------------------------------ recording


def record(
    target: Article | Page,
    before: Snapshot | None,
    *,
    actor: User | None,
    kind: str,
    is_published: bool,
    restored_from: int | None = None,
) -> Revision | None:
    """Add the revision of a save to the session (the save commits it), unless the save
    changed none of the revisioned fields. A target saved before it had any revision
    first gets one of `before`, its state before this save. A restore is audited here."""
    if target.id is None:
        db.session.flush()
    latest = db.session.scalar(
        select(Revision)
        .where(target_column(target) == target.id)
        .order_by(Revision.id.desc())
        .limit(1)
    )
    now = Snapshot.of(target)
    if latest is None and before is not None and before.text() != now.text():
        latest = revision_of(target, before, kind="save", created_at=before.updated_at)
        db.session.add(latest)
    is_same_text = latest is not None and Snapshot.of_revision(latest).text() == now.text()
    # The same text gets a new revision only to mark it as the one readers see now.
    if is_same_text and (latest.is_published or not is_published):
        return None
    revision = revision_of(target, now, kind=kind, editor=actor, created_at=utcnow())
    revision.is_published = is_published
    revision.restored_from = restored_from
    db.session.add(revision)
    if restored_from is not None:
        audit.record(
            actor,
            f"{noun(target)}.restore",
            audit.describe(noun(target), target),
            revision=restored_from,
        )
    return revision


def revision_of(
    target: Article | Page,
    snapshot: Snapshot,
    *,
    kind: str,
    created_at: datetime | None,
    editor: User | None = None,
) -> Revision:
    return Revision(
        **owner(target),
        **{name: getattr(snapshot, name) for name in FIELDS if name != "topic_ids"},
        topic_ids=list(snapshot.topic_ids),
        editor_id=editor.id if editor is not None else None,
        kind=kind,
        is_published=False,
        created_at=created_at or utcnow(),
    )


def had_cover(target: Article | Page | None, upload_id: int | None) -> bool:
    """True when the upload was once this target's cover (a restore may bring it back,
    whoever uploaded it)."""
    if target is None or target.id is None or upload_id is None:
        return False
    found = db.session.scalar(
        select(Revision.id)
        .where(target_column(target) == target.id, Revision.cover_id == upload_id)
        .limit(1)
    )
    return found is not None


# ------------------------------------------------------------------ reading


@dataclass(frozen=True)
class Listed:
    """One revision as the list shows it."""

    number: int
    revision: Revision
    words: int

    @property
    def kind_label(self) -> str:
        label = KIND_LABELS.get(self.revision.kind, self.revision.kind)
        if self.revision.restored_from is not None:
            return f"{label} revision {self.revision.restored_from}"
        return label


def count(target: Article | Page) -> int:
    return (
        db.session.scalar(select(func.count(Revision.id)).where(target_column(target) == target.id))
        or 0
    )


def listing(target: Article | Page, page: int = 1) -> ListPage[Listed]:
    """The target's revisions, newest first, one page at a time; NotFound past the end.
    The caller has checked that the actor may see them (see blog/services/revision_views)."""
    total = count(target)
    offset = (page - 1) * PER_PAGE
    if page != 1 and offset >= total:
        raise NotFound()
    found = db.session.scalars(
        select(Revision)
        .where(target_column(target) == target.id)
        .options(joinedload(Revision.editor))
        .order_by(Revision.id.desc())
        .limit(PER_PAGE)
        .offset(offset)
    ).all()
    items = [
        Listed(number=total - offset - i, revision=r, words=count_words(r.body_md))
        for i, r in enumerate(found)
    ]
    return ListPage(items=items, page=page, per_page=PER_PAGE, total=total)


def by_number(target: Article | Page, number: int) -> Revision:
    """The target's revision shown as `number`; NotFound when it has none by that number."""
    if not 1 <= number <= 10**9:
        raise NotFound(f"This {noun(target)} has no revision {number}.")
    revision = db.session.scalar(
        select(Revision)
        .where(target_column(target) == target.id)
        .options(joinedload(Revision.editor))
        .order_by(Revision.id)
        .offset(number - 1)
        .limit(1)
    )
    if revision is None:
        raise NotFound(f"This {noun(target)} has no revision {number}.")
    return revision


# ------------------------------------------------------------------ restoring


@dataclass(frozen=True)
class Restorable:
    """A revision's fields as they can be saved today: topics and a cover deleted since
    are left out (`left_out` says which, in words)."""

    snapshot: Snapshot
    left_out: tuple[str, ...]


def restorable(revision: Revision) -> Restorable:
    old = Snapshot.of_revision(revision)
    left_out: list[str] = []
    topic_ids = old.topic_ids
    if topic_ids:
        existing = set(db.session.scalars(select(Topic.id).where(Topic.id.in_(topic_ids))))
        if len(existing) < len(topic_ids):
            left_out.append("topics deleted since")
        topic_ids = tuple(i for i in topic_ids if i in existing)
    cover_id, cover_alt, cover_caption = old.cover_id, old.cover_alt, old.cover_caption
    if cover_id is not None and db.session.get(Upload, cover_id) is None:
        left_out.append("a cover image deleted since")
        cover_id, cover_alt, cover_caption = None, "", ""
    snapshot = Snapshot(
        title=old.title,
        brief=old.brief,
        body_md=old.body_md,
        cover_id=cover_id,
        cover_alt=cover_alt if cover_id else "",
        cover_caption=cover_caption if cover_id else "",
        section_id=old.section_id,
        topic_ids=topic_ids,
    )
    return Restorable(snapshot=snapshot, left_out=tuple(left_out))


def check_changes_something(target: Article | Page, wanted: Snapshot, number: int) -> None:
    if Snapshot.of(target).text() == wanted.text():
        raise DomainError(SAME_TEXT.format(noun=noun(target), number=number))


# ------------------------------------------------------------------ thinning


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
