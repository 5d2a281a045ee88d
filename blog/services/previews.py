"""The editor's Preview: an article or a page as its form has it, drawn by the public
template readers get, and never saved.

`article_preview` builds a `PreviewArticle`, a plain object with the attributes the public
article template reads from an Article, and not a transient Article. An Article's
relationships reach persistent rows in both directions: giving a new Article the saved
one's editor's comments re-points those rows at it (EditorComment.article back-populates),
so they turn dirty, and the next autoflush, which SQLAlchemy 2 no longer cascades along a
backref to the new Article, fails on them or writes them without their article. A plain
object has no such events, so the preview needs no care to stay out of the session. The
properties that hold a rule (reading time, "Updated", the byline order, the date of the
last change) are the model's own, borrowed, so the preview cannot drift from the page.

Nothing here adds to the session, flushes or commits: the only queries are reads. (A
cover chosen in the form is stored before the preview, by the editor's upload step, as
for any other button.)
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import TypeVar

from sqlalchemy import func, select

from blog.extensions import db
from blog.models import (
    Article,
    ArticleStatus,
    Correction,
    EditorComment,
    Page,
    Section,
    Topic,
    Upload,
    User,
)
from blog.models.base import utcnow
from blog.rendering import count_words, render_article
from blog.services import articles, comment_threads, comments, pages
from blog.services.bylines import MAX_AUTHORS, credited_ids
from blog.services.comment_threads import ThreadPage
from blog.services.pages import PageChanges
from blog.services.publishing import (
    MAX_TOPICS,
    TOO_MANY_TOPICS,
    ArticleChanges,
    has_too_many_topics,
    is_well_formed,
    state,
)
from blog.services.slugs import make_slug
from blog.services.uploads import own_upload

UNTITLED = "(No title yet)"
# The largest id a column holds: a form sent with a larger one names nothing.
MAX_ID = 2**31 - 1

Changes = TypeVar("Changes", ArticleChanges, PageChanges)


def real_ids(ids: list[int] | None) -> list[int]:
    """The ids a form named that a row could have, each once, in their order."""
    return [i for i in dict.fromkeys(ids or []) if isinstance(i, int) and 0 < i <= MAX_ID]


@dataclass(frozen=True)
class PreviewTopic:
    """A topic typed as a new name: shown as a plain name, created only by a save."""

    name: str
    id: None = None
    slug: None = None


@dataclass
class PreviewArticle:
    """What the public article template reads, as the editor's form has it."""

    id: int | None
    slug: str
    title: str
    brief: str
    body_html: str
    word_count: int
    section: Section | None
    topics: list[Topic | PreviewTopic]
    cover: Upload | None
    cover_alt: str
    cover_caption: str
    author: User
    coauthors: list[User]
    published_at: datetime
    updated_at: datetime
    comments_open: bool
    comment_count: int = 0
    share_count: int = 0
    editor_comments: list[EditorComment] = field(default_factory=list)
    corrections: list[Correction] = field(default_factory=list)

    # The model's own rules, read from these attributes.
    authors = Article.authors
    reading_minutes = Article.reading_minutes
    was_updated = Article.was_updated
    modified_at = Article.modified_at

    @property
    def section_id(self) -> int | None:
        return self.section.id if self.section else None


@dataclass(frozen=True)
class PreviewDiscussion:
    """The comments section of a preview: the saved article's first page of published
    comments, to read only. No form, no reply links, no "Jump to comments"."""

    thread: ThreadPage
    is_open: bool
    offers_jump: bool = False


@dataclass(frozen=True)
class ArticlePreview:
    article: PreviewArticle
    discussion: PreviewDiscussion
    related: list[Article]
    nav_sections: list[Section]
    # What a save would refuse beyond the form's own checks: field name -> message.
    problems: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class PagePreview:
    page: Page
    nav_sections: list[Section]


@dataclass(frozen=True)
class PreviewBanner:
    """The banner above a preview: what it shows, what still stops a save, the way back."""

    noun: str  # "article" or "page"
    is_live: bool  # readers see the saved version now, not these changes
    back_url: str
    problems: tuple[str, ...] = ()
    clipped_at: int | None = None  # the body shown stops after this many characters


def clip_body(changes: Changes, limit: int) -> tuple[Changes, int | None]:
    """The changes with at most `limit` characters of body, and `limit` when it cut any:
    a body longer than a save takes is still previewed, as far as a save would take it."""
    if len(changes.body) <= limit:
        return changes, None
    return replace(changes, body=changes.body[:limit]), limit


def shown_publication(saved: Article | None, now: datetime) -> datetime:
    """The date readers will see: the saved one while it stands (a published or scheduled
    article, or one published before, which keeps its first date when published again);
    otherwise now, the date publishing would give it."""
    if saved is None or saved.published_at is None:
        return now
    if saved.status == ArticleStatus.PUBLISHED or saved.published_at <= now:
        return saved.published_at
    return now


def shown_authors(saved: Article | None, author_ids: list[int] | None, actor: User) -> list[User]:
    """The byline as chosen, lead first: people who exist, each once, active or credited
    already (as a save would allow); the saved byline, or the writer, when none is left."""
    kept = credited_ids(saved) if saved is not None else set()
    wanted = real_ids(author_ids)[:MAX_AUTHORS]
    found = {user.id: user for user in db.session.scalars(select(User).where(User.id.in_(wanted)))}
    people = [
        found[person_id]
        for person_id in wanted
        if person_id in found and (found[person_id].active or person_id in kept)
    ]
    if people:
        return people
    return saved.authors if saved is not None else [actor]


def shown_topics(topic_ids: list[int], new_names: list[str]) -> list[Topic | PreviewTopic]:
    """The chosen topics and the typed names, by name; a name an existing topic has (or
    whose slug it has) shows as that topic, as a save would file it. At most MAX_TOPICS of
    each, the most a save takes, however many the form sent."""
    wanted = real_ids(topic_ids)[:MAX_TOPICS]
    new_names = new_names[:MAX_TOPICS]
    chosen = list(db.session.scalars(select(Topic).where(Topic.id.in_(wanted))))
    shown: dict[str, Topic | PreviewTopic] = {topic.name.lower(): topic for topic in chosen}
    if new_names:
        existing = list(
            db.session.scalars(
                select(Topic).where(
                    func.lower(Topic.name).in_([name.lower() for name in new_names])
                    | Topic.slug.in_([make_slug(name, "topic") for name in new_names])
                )
            )
        )
        for name in new_names:
            match = next(
                (
                    topic
                    for topic in existing
                    if topic.name.lower() == name.lower() or topic.slug == make_slug(name, "topic")
                ),
                None,
            )
            shown.setdefault((match.name if match else name).lower(), match or PreviewTopic(name))
    return sorted(shown.values(), key=lambda topic: topic.name.lower())


def shown_cover(saved_cover: Upload | None, cover_id: int | None, actor: User) -> Upload | None:
    """The saved cover, or an image the writer uploaded; never another's upload."""
    if cover_id is None or not real_ids([cover_id]):
        return None
    if saved_cover is not None and saved_cover.id == cover_id:
        return saved_cover
    return own_upload(cover_id, actor.id)


def article_preview(
    saved: Article | None, changes: ArticleChanges, *, actor: User
) -> ArticlePreview:
    """The article as the changes would make it (`saved` is the article as stored, None
    for a new one), with what its public page shows around it."""
    now = utcnow()
    cover = shown_cover(saved.cover if saved else None, changes.cover_id, actor)
    is_text_changed = saved is None or (saved.title, saved.brief, saved.body_md) != (
        changes.title,
        changes.brief,
        changes.body,
    )
    title = (changes.title or "").strip() or UNTITLED
    section_id = next(iter(real_ids([changes.section_id])), None)
    lead, *coauthors = shown_authors(saved, changes.author_ids, actor)
    shown = PreviewArticle(
        id=saved.id if saved else None,
        slug=(
            changes.slug
            if changes.slug and is_well_formed(changes.slug)
            else saved.slug
            if saved
            else make_slug(title, "article")
        ),
        title=title,
        brief=changes.brief,
        body_html=render_article(changes.body),
        word_count=count_words(changes.body),
        section=db.session.get(Section, section_id) if section_id else None,
        topics=shown_topics(changes.topic_ids, changes.new_topic_names),
        cover=cover,
        cover_alt=changes.cover_alt if cover else "",
        cover_caption=changes.cover_caption if cover else "",
        author=lead,
        coauthors=coauthors,
        published_at=shown_publication(saved, now),
        updated_at=now if is_text_changed else saved.updated_at,
        comments_open=changes.comments_open,
        comment_count=saved.comment_count if saved else 0,
        share_count=saved.share_count if saved else 0,
        editor_comments=list(saved.editor_comments) if saved else [],
        corrections=list(saved.corrections) if saved else [],
    )
    thread = comment_threads.thread_page(saved, 1) if saved else None
    saved_topics = [topic for topic in shown.topics if topic.id is not None]
    return ArticlePreview(
        article=shown,
        discussion=PreviewDiscussion(
            thread=thread or ThreadPage([], 1, 0), is_open=comments.comments_open(shown)
        ),
        related=articles.related_articles(replace(shown, topics=saved_topics)),
        nav_sections=articles.nav_sections(),
        problems=(
            {"topic_ids": TOO_MANY_TOPICS}
            if has_too_many_topics(changes, (topic.id for topic in saved.topics) if saved else ())
            else {}
        ),
    )


def is_article_live(saved: Article | None) -> bool:
    """Readers see the saved article now: a preview shows changes they do not see yet."""
    return saved is not None and state(saved) == "published"


def page_preview(saved: Page | None, changes: PageChanges, *, actor: User) -> PagePreview:
    """The static page as the changes would make it (blog.services.pages.preview), with the
    site's sections for the header; an untitled page shows as UNTITLED, as an article does."""
    if not changes.title.strip():
        changes = replace(changes, title=UNTITLED)
    return PagePreview(
        page=pages.preview(saved, changes, actor=actor), nav_sections=articles.nav_sections()
    )
