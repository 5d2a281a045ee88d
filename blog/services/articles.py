"""Reading queries: what the public sees of articles, listings, feeds and the sitemap
(the front page is blog.services.frontpage)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import ColumnElement, Select, case, exists, func, select, union
from sqlalchemy.orm import aliased, defer, joinedload, selectinload

from blog.extensions import db
from blog.models import (
    Article,
    ArticleCoauthor,
    ArticleStatus,
    Correction,
    EditorComment,
    PageStatus,
    Section,
    SlugKind,
    Topic,
    User,
    article_topics,
)
from blog.models import Page as StaticPage
from blog.models.base import utcnow
from blog.pagination import Page, paginate

RELATED_LIMIT = 4
RELATED_CANDIDATES_PER_TOPIC = 40  # newest stories of each topic weighed as related
# The topics (an article's first, by id) whose stories are candidates: one branch of the
# compound query each, and SQLite takes at most 500 branches.
RELATED_TOPICS_SEARCHED = 20


def is_public(model=Article) -> ColumnElement[bool]:
    """Published and due: scheduling needs no cron. `model` may be an alias of Article."""
    return (model.status == ArticleStatus.PUBLISHED) & (model.published_at <= utcnow())


# Built once: an alias adapts its columns on first use, a cost worth paying once per process.
_CANDIDATE = aliased(Article, name="candidate")


def is_public_id(article_id: ColumnElement[int]) -> ColumnElement[bool]:
    """The article with this id is public, checked by primary key for each candidate.

    Queries that pick a bounded set of ids filter them this way rather than with
    is_public() on their outer query: a planner without statistics (SQLite) would
    otherwise walk every published article in the date index to find the few wanted.
    """
    return exists().where(_CANDIDATE.id == article_id, is_public(_CANDIDATE))


def card_options(*, coauthors: bool = True):
    """Eager loads for an article card: many-to-one joins, and one query for the
    co-authors of the whole list (leave them out where they are read in one batch
    later: blog.services.bylines.load_coauthors)."""
    options = (
        joinedload(Article.author).joinedload(User.avatar),
        joinedload(Article.section),
        joinedload(Article.cover),
    )
    if not coauthors:
        return options
    return (*options, coauthor_options())


def without_bodies():
    """A card shows no body: its Markdown and HTML, the largest columns by far, are left
    out (raising if a template reads one, rather than loading it card by card)."""
    return (defer(Article.body_md, raiseload=True), defer(Article.body_html, raiseload=True))


def coauthor_options():
    """The co-authors in byline order, with their avatars (the article page shows them)."""
    return (
        selectinload(Article.coauthor_links)
        .joinedload(ArticleCoauthor.user)
        .joinedload(User.avatar)
    )


def public_articles(*, coauthors: bool = True) -> Select[tuple[Article]]:
    """Cards of the public articles, newest first."""
    return (
        select(Article)
        .where(is_public())
        .options(*card_options(coauthors=coauthors))
        .order_by(Article.published_at.desc(), Article.id.desc())
    )


def has_public_article(topic_id: ColumnElement[int]) -> ColumnElement[bool]:
    """The topic has a public article: until then it is public nowhere, since a topic
    made for a draft would tell of a story not yet out. Read from the topic's rows in
    article_topics, each checked by primary key."""
    return exists().where(
        article_topics.c.topic_id == topic_id, is_public_id(article_topics.c.article_id)
    )


def public_topics() -> Select[tuple[Topic]]:
    return select(Topic).where(has_public_article(Topic.id))


def get_public_topic(slug: str) -> Topic | None:
    return db.session.scalar(public_topics().where(Topic.slug == slug))


def public_topic_list() -> list[Topic]:
    """Every topic with a public article, by name."""
    return list(db.session.scalars(public_topics().order_by(Topic.name, Topic.id)))


def topic_index() -> list[tuple[Topic, int]]:
    """The /topics page: every topic with a public article and how many it has, by name,
    in one query (each topic's rows in article_topics, each article checked by id)."""
    count = func.count(article_topics.c.article_id).label("count")
    rows = db.session.execute(
        select(Topic, count)
        .join(article_topics, article_topics.c.topic_id == Topic.id)
        .where(is_public_id(article_topics.c.article_id))
        .group_by(Topic.id)
        .order_by(func.lower(Topic.name), Topic.id)
    )
    return [(topic, number) for topic, number in rows]


def public_article_query(slug: str) -> Select[tuple[Article]]:
    return select(Article).where(Article.slug == slug, is_public())


def get_public_article_only(slug: str) -> Article | None:
    """The public article with this slug, without what its page shows around it."""
    return db.session.scalar(public_article_query(slug))


def get_public_article(slug: str) -> Article | None:
    """The article page's article with everything it shows, in a fixed number of queries."""
    return db.session.scalar(
        public_article_query(slug).options(
            *card_options(),
            selectinload(Article.topics),
            selectinload(Article.editor_comments).joinedload(EditorComment.editor),
            selectinload(Article.corrections).options(
                joinedload(Correction.editor), joinedload(Correction.retracted_by)
            ),
        )
    )


def load_page_relations(article: Article) -> None:
    """Load what the article page shows around an article read alone
    (get_public_article_only): the same article object gains its author, co-authors,
    topics, notes and corrections, in get_public_article's queries."""
    get_public_article(article.slug)


def related_articles(article: Article) -> list[Article]:
    """Up to four: most topics in common first, then same section, then most recent."""
    topic_ids = [t.id for t in article.topics]
    others = is_public() & (Article.id != article.id)
    newest = (Article.published_at.desc(), Article.id.desc())
    # A bounded candidate set keeps this off a scan of the whole archive. Every branch
    # keeps to public articles other than this one, so the outer query reads the
    # candidates by primary key.
    # Per topic, only its newest stories by id (the index's own order): a topic with
    # thousands of stories costs no more than one with a few dozen. Every topic still
    # counts in the ranking below.
    per_topic = [
        select(article_topics.c.article_id)
        .where(
            article_topics.c.topic_id == topic_id,
            article_topics.c.article_id != article.id,
            is_public_id(article_topics.c.article_id),
        )
        .order_by(article_topics.c.article_id.desc())
        .limit(RELATED_CANDIDATES_PER_TOPIC)
        .subquery()
        .select()
        for topic_id in sorted(topic_ids)[:RELATED_TOPICS_SEARCHED]
    ]
    candidates = union(
        *per_topic,
        select(Article.id)
        .where(others, Article.section_id == article.section_id)
        .order_by(*newest)
        .limit(RELATED_LIMIT)
        .subquery()
        .select(),
        select(Article.id).where(others).order_by(*newest).limit(RELATED_LIMIT).subquery().select(),
    ).subquery()
    shared_topics = (
        select(func.count())
        .where(article_topics.c.article_id == Article.id, article_topics.c.topic_id.in_(topic_ids))
        .scalar_subquery()
    )
    same_section = case((Article.section_id == article.section_id, 1), else_=0)
    return list(
        db.session.scalars(
            select(Article)
            .where(Article.id.in_(select(candidates.c[0])))
            .options(*card_options())
            .order_by(shared_topics.desc(), same_section.desc(), *newest)
            .limit(RELATED_LIMIT)
        )
    )


def section_articles(section: Section) -> Select[tuple[Article]]:
    return public_articles().where(Article.section_id == section.id)


def topic_articles(topic_id: int) -> Select[tuple[Article]]:
    """The topic's public articles, read from its rows in article_topics (so its page
    count costs the topic's articles, not every published one)."""
    return (
        select(Article)
        .join(
            article_topics,
            (article_topics.c.article_id == Article.id) & (article_topics.c.topic_id == topic_id),
        )
        .where(is_public_id(Article.id))
        .options(*card_options())
        .order_by(Article.published_at.desc(), Article.id.desc())
    )


def public_ids_crediting(user_id: int):
    """The ids of the public articles that credit this person: those they lead, from the
    author index, and those they co-wrote, from the co-author index (each checked by
    primary key). The lead author is never a co-author, so the two never overlap."""
    return union(
        select(Article.id).where(Article.author_id == user_id, is_public()),
        select(ArticleCoauthor.article_id).where(
            ArticleCoauthor.user_id == user_id, is_public_id(ArticleCoauthor.article_id)
        ),
    ).subquery()


def author_articles(user: User) -> Select[tuple[Article]]:
    """Everything the person wrote or co-wrote, newest first, the articles read by primary
    key (the sort is over one person's stories)."""
    return (
        select(Article)
        .where(Article.id.in_(select(public_ids_crediting(user.id).c[0])))
        .options(*card_options())
        .order_by(Article.published_at.desc(), Article.id.desc())
    )


def is_coauthor_of_public(user_id: ColumnElement[int]) -> ColumnElement[bool]:
    return exists().where(
        ArticleCoauthor.user_id == user_id, is_public_id(ArticleCoauthor.article_id)
    )


def is_public_author(user_id: ColumnElement[int]) -> ColumnElement[bool]:
    """The person has a public article, as its lead author or a co-author (read from the
    author and the co-author indexes): until then they have no public page. A deactivated
    account keeps its page: its stories stay credited."""
    leads = exists().where(Article.author_id == user_id, is_public())
    return leads | is_coauthor_of_public(user_id)


def public_authors() -> Select[tuple[User]]:
    return select(User).where(is_public_author(User.id))


@dataclass
class NewsroomEntry:
    person: User
    article_count: int


def newsroom() -> list[NewsroomEntry]:
    """Everyone with a public article, with their avatar and count, by name: one query
    (each count read from the author and the co-author indexes; the two never overlap)."""
    led = (
        select(func.count())
        .where(Article.author_id == User.id, is_public())
        .correlate(User)
        .scalar_subquery()
    )
    coauthored = (
        select(func.count())
        .where(ArticleCoauthor.user_id == User.id, is_public_id(ArticleCoauthor.article_id))
        .correlate(User)
        .scalar_subquery()
    )
    rows = db.session.execute(
        public_authors()
        .add_columns(led + coauthored)
        .options(joinedload(User.avatar))
        .order_by(func.lower(User.display_name), User.id)
    )
    return [NewsroomEntry(person, article_count) for person, article_count in rows]


Listed = Section | Topic | User


def listing_owner(kind: SlugKind, slug: str) -> Listed | None:
    """The section, public topic or public author whose listing lives under this slug now."""
    if kind == SlugKind.TOPIC:
        return get_public_topic(slug)
    if kind == SlugKind.AUTHOR:  # only someone with a public article has a page, with their avatar
        return db.session.scalar(
            public_authors().where(User.slug == slug).options(joinedload(User.avatar))
        )
    return db.session.scalar(select(Section).where(Section.slug == slug))


def listed_articles(owner: Listed | None) -> Select[tuple[Article]]:
    """The public articles of a section, topic or author (of the whole site for None),
    newest first."""
    if isinstance(owner, Section):
        return section_articles(owner)
    if isinstance(owner, Topic):
        return topic_articles(owner.id)
    if isinstance(owner, User):
        return author_articles(owner)
    return public_articles()


def listing_page(owner: Listed, page: int, per_page: int) -> Page[Article]:
    """One page of a listing; NotFound past its last page."""
    return paginate(listed_articles(owner).options(*without_bodies()), page, per_page)


def newest(owner: Listed | None, limit: int) -> list[Article]:
    """The newest public articles of a feed, with their corrections and updates (an entry
    is updated by them too)."""
    statement = listed_articles(owner).options(selectinload(Article.corrections))
    return list(db.session.scalars(statement.limit(limit)))


@dataclass
class Sitemap:
    published: list  # (slug, modified_at) rows, newest first
    sections: list[str]
    topics: list[str]
    authors: list[str]
    pages: list  # (slug, updated_at) rows of the published static pages, by title


def sitemap() -> Sitemap:
    """The slugs of every public page, in five queries. An article's date is its
    Article.modified_at: the newest of its last edit and its corrections and updates."""
    noted = (
        select(func.max(func.coalesce(Correction.retracted_at, Correction.created_at)))
        .where(Correction.article_id == Article.id)
        .correlate(Article)
        .scalar_subquery()
    )
    rows = db.session.execute(
        select(Article.slug, Article.updated_at, noted)
        .where(is_public())
        .order_by(Article.published_at.desc())
    ).all()
    return Sitemap(
        published=[
            (slug, max(updated_at, note_at) if note_at else updated_at)
            for slug, updated_at, note_at in rows
        ],
        sections=list(db.session.scalars(select(Section.slug))),
        topics=list(db.session.scalars(select(Topic.slug).where(has_public_article(Topic.id)))),
        authors=list(db.session.scalars(select(User.slug).where(is_public_author(User.id)))),
        pages=db.session.execute(
            select(StaticPage.slug, StaticPage.updated_at)
            .where(StaticPage.status == PageStatus.PUBLISHED)
            .order_by(StaticPage.title, StaticPage.id)
        ).all(),
    )


def nav_sections() -> list[Section]:
    return list(db.session.scalars(select(Section).order_by(Section.position, Section.name)))
