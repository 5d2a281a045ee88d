"""Revisions of articles and static pages: recording one on every save that changes the
text, listing them with the numbers the newsroom knows them by, restoring one, and
thinning old ones (blog/services/revision_thinning.py).

A revision holds what the editor page holds of the text: title, brief (a page's
summary), body, cover with its alt text and caption, section and topics. A revision is
addressed by its id (in links, forms, `restored_from` and the audit log), always within
its article or page; the numbers shown (1, 2, 3, ...) count a target's revisions in id
order when a page is drawn, and change when thinning removes older ones. Imports
(`blog/importers/`) write no revisions: an imported article's first save records its
state before that save as revision 1, as for any article older than revisions.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select, update
from sqlalchemy.orm import aliased, defer, joinedload

from blog.domain import DomainError, NotFound
from blog.extensions import db
from blog.models import Article, Page, Topic, User
from blog.models.base import utcnow
from blog.models.revisions import Revision
from blog.pagination import Page as ListPage
from blog.services import audit

PER_PAGE = 50
# Ids fit the database's integer column; anything larger is no revision.
MAX_ID = 2**31 - 1
# Articles marked published per statement.
MARK_BATCH = 500

KIND_LABELS = {"save": "Saved", "publish": "Published", "restore": "Restored"}
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
    was_public: bool = False,
    restored_from: int | None = None,
) -> Revision | None:
    """Add the revision of a save to the session (the save commits it), unless the save
    changed none of the revisioned fields. A target saved before it had any revision
    first gets one of `before`, its state before this save. `was_public`: readers saw
    `before`, so the revision holding it is marked published (it may have gone live by
    schedule, unmarked, if the worker missed it). `restored_from`: the id of the revision
    a restore brings back; a restore is audited here."""
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
        latest.is_published = was_public
        db.session.add(latest)
    elif (
        was_public
        and latest is not None
        and not latest.is_published
        and before is not None
        and Snapshot.of_revision(latest).text() == before.text()
    ):
        latest.is_published = True
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


def kind_of(action: str, restored_from: int | None) -> str:
    """The kind of the revision a save records: an article's or a page's action."""
    if restored_from is not None:
        return "restore"
    return "publish" if action == "publish" else "save"


def mark_published(article_ids: list[int]) -> None:
    """The articles went public by schedule: their newest revisions are the text readers
    see now (no commit)."""
    for start in range(0, len(article_ids), MARK_BATCH):
        chunk = article_ids[start : start + MARK_BATCH]
        newest = (
            select(func.max(Revision.id))
            .where(Revision.article_id.in_(chunk))
            .group_by(Revision.article_id)
        )
        db.session.execute(
            update(Revision)
            .where(Revision.id.in_(newest), Revision.is_published.is_(False))
            .values(is_published=True)
            .execution_options(synchronize_session=False)
        )


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
    """One revision as the list shows it, its body left unread: `characters` is the
    body's length, counted by the database."""

    number: int
    revision: Revision
    characters: int
    # For a restore: the number of the revision it brought back, None once thinned.
    restored_number: int | None = None

    @property
    def kind_label(self) -> str:
        label = KIND_LABELS.get(self.revision.kind, self.revision.kind)
        if self.revision.restored_from is None:
            return label
        if self.restored_number is None:
            return f"{label} a revision since thinned"
        return f"{label} revision {self.restored_number}"


def column_of(model, target: Article | Page):
    return model.article_id if isinstance(target, Article) else model.page_id


def count(target: Article | Page) -> int:
    return counted(target)[0]


def counted(target: Article | Page) -> tuple[int, int | None]:
    """(how many revisions the target has, the id of its newest), in one query."""
    total, newest = db.session.execute(
        select(func.count(Revision.id), func.max(Revision.id)).where(
            target_column(target) == target.id
        )
    ).one()
    return total or 0, newest


def listing(target: Article | Page, page: int = 1) -> ListPage[Listed]:
    """The target's revisions, newest first, one page at a time; NotFound past the end.
    No body is read: the list shows their lengths. The caller has checked that the actor
    may see them (see blog/services/revision_history)."""
    total = count(target)
    offset = (page - 1) * PER_PAGE
    if page != 1 and offset >= total:
        raise NotFound()
    found = db.session.execute(
        select(Revision, func.length(Revision.body_md))
        .where(target_column(target) == target.id)
        .options(defer(Revision.body_md), joinedload(Revision.editor))
        .order_by(Revision.id.desc())
        .limit(PER_PAGE)
        .offset(offset)
    ).all()
    restored = numbers_of(target, {r.restored_from for r, _ in found if r.restored_from})
    items = [
        Listed(
            number=total - offset - i,
            revision=r,
            characters=characters or 0,
            restored_number=restored.get(r.restored_from),
        )
        for i, (r, characters) in enumerate(found)
    ]
    return ListPage(items=items, page=page, per_page=PER_PAGE, total=total)


def numbers_of(target: Article | Page, ids: set[int]) -> dict[int, int]:
    """The numbers the target's revisions with these ids are shown by now (an id the
    target no longer has, thinned, is left out)."""
    if not ids:
        return {}
    earlier = aliased(Revision)
    position = (
        select(func.count(earlier.id))
        .where(column_of(earlier, target) == target.id, earlier.id <= Revision.id)
        .correlate(Revision)
        .scalar_subquery()
    )
    return dict(
        db.session.execute(
            select(Revision.id, position).where(
                target_column(target) == target.id, Revision.id.in_(sorted(ids))
            )
        ).all()
    )


def by_id(target: Article | Page, revision_id: int) -> Revision:
    """The target's revision with this id; NotFound when the target has none by that id
    (another article's revision, or one thinned since)."""
    revision = None
    if 1 <= revision_id <= MAX_ID:
        revision = db.session.scalar(
            select(Revision)
            .where(Revision.id == revision_id, target_column(target) == target.id)
            .options(joinedload(Revision.editor))
        )
    if revision is None:
        raise NotFound(f"This {noun(target)} has no such revision: it may have been thinned.")
    return revision


def number_of(target: Article | Page, revision: Revision) -> int:
    """The number the revision is shown by now: its place among the target's, in id order."""
    return numbers_of(target, {revision.id})[revision.id]


# ------------------------------------------------------------------ restoring


@dataclass(frozen=True)
class Restorable:
    """A revision's fields as they can be saved today: topics and a cover deleted since
    are left out (`left_out` says which, in words)."""

    snapshot: Snapshot
    left_out: tuple[str, ...]


def is_cover_deleted(revision: Revision) -> bool:
    """The revision had a cover image, deleted since: deleting an upload empties the
    revision's cover_id, while its alt text (never saved without a cover) stays."""
    return revision.cover_id is None and bool(revision.cover_alt)


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
    if is_cover_deleted(revision):
        left_out.append("a cover image deleted since")
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
