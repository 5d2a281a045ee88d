"""Writing and publishing articles: version-guarded saves, status changes by role, slugs."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload, selectinload

from blog import jobs
from blog.domain import DomainError, NotAllowed, NotFound
from blog.extensions import db
from blog.models import (
    Article,
    ArticleCoauthor,
    ArticleStatus,
    Correction,
    EditorComment,
    SlugKind,
    Topic,
    User,
)
from blog.models.base import utcnow
from blog.permissions import can_edit_article, can_manage_taxonomy, can_publish, is_editor
from blog.services import audit, bylines, claim_version, mailings, notifications, revisions
from blog.services.settings import site_timezone
from blog.services.slugs import (
    MAX_SLUG_LENGTH,
    is_old_slug_of_another,
    is_slug_in_use,
    keep_old_slug,
    make_slug,
    release_own_old_slug,
    unique_slug,
)
from blog.services.taxonomy import SLUG_PATTERN
from blog.services.uploads import own_upload

SLUG_TAKEN = "Another article already uses this address; please choose another."
SLUG_KEPT = "This address still leads to the article that used to have it; please choose another."
SLUG_MALFORMED = (
    f"Use lowercase letters, digits and single hyphens, at most {MAX_SLUG_LENGTH} characters."
)


class Action(StrEnum):
    SAVE = "save"
    SUBMIT = "submit"
    PUBLISH = "publish"
    SCHEDULE = "schedule"
    UNPUBLISH = "unpublish"


EDITOR_ACTIONS = frozenset({Action.PUBLISH, Action.SCHEDULE, Action.UNPUBLISH})


# Far enough for any real plan, near enough that every date shows in any time zone.
MAX_SCHEDULE_AHEAD = timedelta(days=3653)
TOO_FAR_AHEAD = "Choose a time within the next ten years."
# Topics file a story with its closest neighbours: a few do that, dozens no longer do.
MAX_TOPICS = 50
TOO_MANY_TOPICS = (
    f"An article can have at most {MAX_TOPICS} topics: keep the ones readers would follow."
)


class ArticleRejected(DomainError):
    """The article cannot be saved as asked, for one or more reasons: `errors` maps form
    field names to messages (the empty name for a message about the whole form)."""

    def __init__(self, errors: dict[str, str]):
        super().__init__(" ".join(errors.values()))
        self._errors = dict(errors)

    @property
    def errors(self) -> dict[str, str]:
        return self._errors


class EditConflict(DomainError):
    """Someone saved the article after this edit began; `current` is what they saved."""

    def __init__(self, current: Article):
        super().__init__(
            "Someone else saved this article while you were editing it. "
            "Their version is shown; your text is kept below it."
        )
        self.current = current


@dataclass
class ArticleChanges:
    """The article as the writer wants it: every field, not a patch."""

    title: str
    body: str = ""
    brief: str = ""
    slug: str = ""  # empty: made from the title (kept as it is once the article was public)
    section_id: int | None = None
    topic_ids: list[int] = field(default_factory=list)
    new_topic_names: list[str] = field(default_factory=list)
    cover_id: int | None = None
    cover_alt: str = ""
    cover_caption: str = ""
    comments_open: bool = True
    # Everyone credited, lead author first. None: the writer alone, for a new article;
    # unchanged otherwise.
    author_ids: list[int] | None = None


def is_well_formed(slug: str) -> bool:
    return len(slug) <= MAX_SLUG_LENGTH and SLUG_PATTERN.fullmatch(slug) is not None


def has_too_many_topics(changes: ArticleChanges, kept_ids: Iterable[int] = ()) -> bool:
    """More than MAX_TOPICS topics, counting each typed name as one more (one that turns
    out to be a chosen topic counts twice: the bound errs by a name, never lets more in).
    An article that has more already (imported, or older than the bound) may keep them or
    drop some, but not add any: `kept_ids` are its topics now."""
    chosen = set(changes.topic_ids)
    if len(chosen) + len(changes.new_topic_names) <= MAX_TOPICS:
        return False
    return bool(changes.new_topic_names) or not chosen <= set(kept_ids)


def state(article: Article, now: datetime | None = None) -> str:
    """ "draft", "review", "scheduled" or "published", as the newsroom speaks of it."""
    if article.status != ArticleStatus.PUBLISHED:
        return article.status.value
    is_due = article.published_at is None or article.published_at <= (now or utcnow())
    return "published" if is_due else "scheduled"


def in_utc(moment: datetime) -> datetime | None:
    """The moment in UTC; one without a time zone is read on the site's clock (its time
    zone setting). None when it cannot be expressed (the far edge of the calendar)."""
    try:
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=site_timezone())
        return moment.astimezone(UTC)
    except (OverflowError, ValueError):
        return None


def site_datetime(day: date, clock: time) -> datetime | None:
    """A date and time read on the site's clock, in UTC; None when it cannot be expressed."""
    return in_utc(datetime.combine(day, clock))


def editable_article(article_id: int, actor: User) -> Article:
    """The article with all the editor page shows; NotFound if missing, NotAllowed if the
    actor may not edit it."""
    article = db.session.scalar(
        select(Article)
        .where(Article.id == article_id)
        .options(
            joinedload(Article.author),
            selectinload(Article.coauthor_links).joinedload(ArticleCoauthor.user),
            joinedload(Article.cover),
            selectinload(Article.topics),
            selectinload(Article.editor_comments).joinedload(EditorComment.editor),
            selectinload(Article.corrections).options(
                joinedload(Correction.editor), joinedload(Correction.retracted_by)
            ),
        )
    )
    if article is None:
        raise NotFound()
    if not can_edit_article(actor, article):
        raise NotAllowed()
    return article


def save_article(
    article: Article | None,
    changes: ArticleChanges,
    *,
    actor: User,
    expected_version: int = 0,
    action: Action = Action.SAVE,
    publish_at: datetime | None = None,
    restored_from: int | None = None,
) -> Article:
    """Create the article (when None) or save over `expected_version`, raising EditConflict
    if another save came first. `publish_at`, for a schedule, may be a time read on the
    site's clock (no time zone). `restored_from`: the id of the revision this save
    brings back."""
    check_allowed(actor, article, action, changes)
    if article is None:
        article = Article(
            title="", slug="", author_id=actor.id, status=ArticleStatus.DRAFT, version=1
        )
        return apply(article, changes, action, publish_at, is_new=True, actor=actor)
    if not claim_version(Article, article.id, expected_version):
        db.session.rollback()
        db.session.refresh(article)
        raise EditConflict(article)
    article.version = expected_version + 1
    return apply(article, changes, action, publish_at, actor=actor, restored_from=restored_from)


def create_article(changes: ArticleChanges, **options) -> Article:
    """A new article; the options are save_article's."""
    return save_article(None, changes, **options)


def update_article(article: Article, changes: ArticleChanges, **options) -> Article:
    """Save over options["expected_version"]; the options are save_article's."""
    return save_article(article, changes, **options)


def check_allowed(
    actor: User, article: Article | None, action: Action, changes: ArticleChanges
) -> None:
    """NotAllowed unless the actor's role permits this action with these changes. A new
    cover must be an image the actor uploaded: nobody puts another's upload on a page.
    Only editors change the lead author; a writer may change the co-authors."""
    current_author = article.author_id if article else actor.id
    current_cover = article.cover_id if article else None
    if (
        (article is not None and not can_edit_article(actor, article))
        or (action in EDITOR_ACTIONS and not can_publish(actor))
        or (changes.author_ids and changes.author_ids[0] != current_author and not is_editor(actor))
        or (changes.new_topic_names and not can_manage_taxonomy(actor))
        or (
            changes.cover_id not in (None, current_cover)
            and own_upload(changes.cover_id, actor.id) is None
            and not revisions.had_cover(article, changes.cover_id)
        )
    ):
        raise NotAllowed(f"{actor.role} may not {action} this article")


def apply(
    article: Article,
    changes: ArticleChanges,
    action: Action,
    publish_at: datetime | None,
    *,
    is_new: bool = False,
    actor: User | None = None,
    restored_from: int | None = None,
) -> Article:
    """Check the rules, write every change and commit once, with the notices the change
    sends (the actor's own doing tells nobody) and its revision; roll back on refusal."""
    now = utcnow()
    before = None if is_new else revisions.Snapshot.of(article)
    was = state(article, now)
    was_public = article.published_at is not None and article.published_at <= now
    errors: dict[str, str] = {}
    slug = changes.slug or (
        article.slug
        if was_public
        else unique_slug(Article, changes.title, exclude_id=article.id, fallback="article")
    )
    if slug != article.slug:
        # A typed one is measured before the pattern sees it; an address the article
        # already has is never re-measured.
        if slug == changes.slug and not is_well_formed(slug):
            errors["slug"] = SLUG_MALFORMED
        elif is_slug_in_use(Article, slug, owner_id=article.id):
            errors["slug"] = SLUG_TAKEN
        elif is_old_slug_of_another(Article, slug, owner_id=article.id):
            errors["slug"] = SLUG_KEPT
    if changes.cover_id and not changes.cover_alt:
        errors["cover_alt"] = "Describe the cover image for readers who cannot see it."
    if has_too_many_topics(changes, (topic.id for topic in article.topics)):
        errors["topic_ids"] = TOO_MANY_TOPICS
    authors = bylines.chosen_authors(article, changes.author_ids, errors)
    status, published_at = transition(article, action, publish_at, now, errors)
    if status == ArticleStatus.PUBLISHED and not changes.brief:
        errors["brief"] = "A brief is required to publish."
    if errors:
        db.session.rollback()
        raise ArticleRejected(errors)

    if slug != article.slug:
        move_slug(article, slug, keep_old=was_public and not is_new)
    is_text_changed = is_new or (article.title, article.brief, article.body_md) != (
        changes.title,
        changes.brief,
        changes.body,
    )
    article.title, article.brief = changes.title, changes.brief
    if is_new or article.body_md != changes.body:
        article.set_body(changes.body)
    article.section_id = changes.section_id
    article.topics = resolve_topics(changes.topic_ids, changes.new_topic_names)
    article.cover_id = changes.cover_id
    article.cover_alt = changes.cover_alt if changes.cover_id else ""
    article.cover_caption = changes.cover_caption if changes.cover_id else ""
    if not is_new and article.comments_open != changes.comments_open:
        verb = "open" if changes.comments_open else "close"
        audit.record(actor, f"article.comments_{verb}", audit.describe("article", article))
    article.comments_open = changes.comments_open
    if authors is not None:
        bylines.credit(article, authors)
    article.status, article.published_at = status, published_at
    if is_text_changed:
        article.updated_at = now
    db.session.add(article)
    try:
        if actor is not None:
            notifications.article_saved(article, action, actor, was)
        mailings.article_saved(article, was_public=was_public)  # a first publication
        record_status_change(article, action, actor, was, now)
        revisions.record(
            article,
            before,
            actor=actor,
            kind=revisions.kind_of(action, restored_from),
            is_published=state(article, now) == "published",
            was_public=was_public,
            restored_from=restored_from,
        )
        db.session.commit()
    except IntegrityError:  # a concurrent save took the slug between our check and commit
        db.session.rollback()
        raise ArticleRejected({"slug": SLUG_TAKEN}) from None
    jobs.schedule_publication(article)  # a scheduled article goes public at its time
    return article


def record_status_change(
    article: Article, action: Action, actor: User | None, was: str, now: datetime
) -> None:
    """The audit entry of a submit, publish, schedule or unpublish that changed something
    (a schedule always does: it names a time)."""
    if action == Action.SAVE or (state(article, now) == was and action != Action.SCHEDULE):
        return
    if article.id is None:
        db.session.flush()  # the entry names the new article's id
    details: dict = {"was": was}
    if action == Action.SCHEDULE:
        details["at"] = article.published_at.isoformat(timespec="minutes")
    audit.record(actor, f"article.{action.value}", audit.describe("article", article), **details)


def transition(
    article: Article,
    action: Action,
    publish_at: datetime | None,
    now: datetime,
    errors: dict[str, str],
) -> tuple[ArticleStatus, datetime | None]:
    """The status and publication time the action leads to; problems go into errors."""
    if action == Action.SUBMIT:
        if article.status == ArticleStatus.PUBLISHED:
            errors[""] = "This article is published; unpublish it to send it back to review."
        return ArticleStatus.REVIEW, article.published_at
    if action == Action.PUBLISH:
        # A first publication is dated now; a republished article keeps its original date.
        keeps_date = article.published_at is not None and article.published_at <= now
        return ArticleStatus.PUBLISHED, article.published_at if keeps_date else now
    if action == Action.SCHEDULE:
        when = in_utc(publish_at) if publish_at is not None else None
        if publish_at is None:
            errors["publish_date"] = "Choose the date and time to publish."
        elif when is None or when > now + MAX_SCHEDULE_AHEAD:
            errors["publish_date"] = TOO_FAR_AHEAD
        elif when <= now:
            errors["publish_date"] = "Choose a time in the future, or publish now."
        elif state(article, now) == "published":
            errors[""] = "This article is already live; unpublish it before scheduling it."
        return ArticleStatus.PUBLISHED, when
    if action == Action.UNPUBLISH:
        return ArticleStatus.DRAFT, article.published_at
    return article.status, article.published_at


def move_slug(article: Article, slug: str, *, keep_old: bool) -> None:
    """Give the article a new slug; once public, its old one keeps answering with a 301.

    Only the article's own old address may be taken back (apply() refuses another's)."""
    if keep_old:
        keep_old_slug(SlugKind.ARTICLE, article.id, article.slug, slug)
    else:
        release_own_old_slug(SlugKind.ARTICLE, article.id, slug)
    article.slug = slug


def resolve_topics(topic_ids: list[int], new_names: list[str]) -> list[Topic]:
    """The chosen topics plus the named ones, created when no topic has that name or slug."""
    topics = list(db.session.scalars(select(Topic).where(Topic.id.in_(topic_ids))))
    for name in new_names:
        topic = db.session.scalar(
            select(Topic).where(
                (func.lower(Topic.name) == name.lower()) | (Topic.slug == make_slug(name, "topic"))
            )
        )
        if topic is None:
            topic = Topic(name=name, slug=unique_slug(Topic, name, fallback="topic"))
            db.session.add(topic)
        if topic not in topics:
            topics.append(topic)
    return topics
