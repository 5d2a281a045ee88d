"""Every public page costs a fixed number of SQL queries, whatever the amount of content.

A small newsroom is built and each page's queries counted; then more of everything is
added (stories, sections, topics, a longer comment thread with replies, editor's
comments, shares) and the pages counted again. Both counts must equal the figures in
COSTS. The list of pages is checked against the URL map, so a new public page fails
here until it has a figure of its own.
"""

import itertools
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

import pytest

from blog.config import Defaults
from blog.extensions import db
from blog.models import (
    Article,
    Comment,
    CommentStatus,
    Correction,
    CorrectionKind,
    EditorComment,
    OldSlug,
    PageStatus,
    Role,
    Section,
    SlugKind,
    Topic,
    Upload,
    User,
)
from blog.models import Page as StaticPage
from blog.models.base import utcnow
from blog.services import counters, curation, shares
from blog.services.comment_threads import PAGE_SIZE as THREAD_PAGE_SIZE
from tests.harness import rebuilt

OLD_SLUG = "an-older-headline"
OLD_PAGE_SLUG = "about-the-paper"
_images = itertools.count(1)


@pytest.fixture
def app(app):
    """The suite's app built again with the page cache and the fragments off, so that every
    request here reaches the database and renders everything (same database, same settings
    otherwise): the cost of a first view after a change."""
    with rebuilt(app, PAGE_CACHE=False, FRAGMENT_CACHE=False) as uncached:
        yield uncached


@dataclass
class Site:
    lead: Article  # the article page under test
    section: Section
    topic: Topic
    author: User
    editor: User


@dataclass(frozen=True)
class Page:
    endpoint: str
    path: Callable[[Site], str]
    status: int = 200


PAGES = {
    "front page": Page("public.front", lambda s: "/"),
    "article": Page("public.article", lambda s: f"/articles/{s.lead.slug}"),
    "article, comments page 2": Page(
        "public.article", lambda s: f"/articles/{s.lead.slug}?comments=2"
    ),
    "article, newest first": Page(
        "public.article", lambda s: f"/articles/{s.lead.slug}?sort=newest&comments=2"
    ),
    "article, old slug": Page("public.article", lambda s: f"/articles/{OLD_SLUG}", 301),
    "section": Page("public.section", lambda s: f"/section/{s.section.slug}"),
    "section, page 2": Page("public.section", lambda s: f"/section/{s.section.slug}?page=2"),
    "topic": Page("public.topic", lambda s: f"/topic/{s.topic.slug}"),
    "author": Page("public.author", lambda s: f"/author/{s.author.slug}"),
    "authors": Page("public.authors", lambda s: "/authors"),
    "topics": Page("public.topics", lambda s: "/topics"),
    "search": Page("public.search", lambda s: "/search?q=harbour"),
    "site feed": Page("feeds.site_feed", lambda s: "/feed.xml"),
    "section feed": Page("feeds.section_feed", lambda s: f"/section/{s.section.slug}/feed.xml"),
    "topic feed": Page("feeds.topic_feed", lambda s: f"/topic/{s.topic.slug}/feed.xml"),
    "comment feed": Page(
        "feeds.comment_feed", lambda s: f"/articles/{s.lead.slug}/comments/feed.xml"
    ),
    "sitemap": Page("feeds.sitemap", lambda s: "/sitemap.xml"),
    "robots": Page("feeds.robots", lambda s: "/robots.txt"),
    "healthz": Page("feeds.healthz", lambda s: "/healthz"),
    "static page": Page("public.page", lambda s: "/about"),
    "static page, old slug": Page("public.page", lambda s: f"/{OLD_PAGE_SLUG}", 301),
    "corrections": Page("public.corrections", lambda s: "/corrections"),
    "corrections, page 2": Page("public.corrections", lambda s: "/corrections?page=2"),
}

# Every page reads the navigation's sections and the site settings (2 queries); every HTML
# page also reads its header and footer menus (one query: blog.services.menus), which
# feeds, the sitemap and robots.txt do not show. A list of stories reads their co-authors
# in one more query (blog.services.articles.card_options); the front page reads those of
# all its cards at once, whichever query found them (blog.services.bylines).
COSTS = {
    # sections, the editors' picks, latest, section blocks, most shared, most discussed,
    # the cards' co-authors (+ navigation, settings)
    "front page": 10,
    # article with author, section and cover; its co-authors; topics; editor's comments;
    # corrections and updates with their editors; related stories and their co-authors;
    # the thread page's top-level comments; their replies (+ navigation, settings)
    "article": 12,
    "article, comments page 2": 12,
    "article, newest first": 12,
    # the public article, the old slug (unless an article lives there), its target: a 301
    # renders nothing
    "article, old slug": 3,
    # the section (topic, author), a page of stories, their co-authors, the page count
    "section": 7,
    "section, page 2": 7,
    "topic": 7,
    "author": 7,
    # everyone with a public story, their avatar and count, in one query
    "authors": 4,
    # every topic with a public story and its count, in one query
    "topics": 4,
    # sections and topics for the filters, a page of matches, their cards, their co-authors
    "search": 8,
    # the stories, their co-authors, their corrections and updates (+ the section or topic)
    "site feed": 5,
    "section feed": 6,
    "topic feed": 6,
    # the article; its newest comments with their top-level comments' ids; the thread
    # pages of those (+ navigation, settings)
    "comment feed": 5,
    # stories, authors, sections, topics, static pages
    "sitemap": 7,
    "robots": 2,
    "healthz": 1,
    # the published page with its author, avatar and cover (+ navigation, settings, menus)
    "static page": 4,
    # the page, the old slug (unless a page lives there), its target: a 301 renders nothing
    "static page, old slug": 3,
    # a page of notes with their articles and editors, their count (+ navigation,
    # settings, menus)
    "corrections": 5,
    "corrections, page 2": 5,
}

# Public GET endpoints with no query count, and why.
SKIPPED = {
    "static": "serves the stylesheets, scripts and images from static/; no database",
    "public.upload": "serves stored image files from the uploads folder; no database",
}


def image() -> Upload:
    """A stored image as a cover or an avatar (pages link to it, never open the file)."""
    n = next(_images)
    return Upload(
        path=f"2026/11/image-{n}.jpg",
        content_type="image/jpeg",
        width=1600,
        height=900,
        variants={"480": f"2026/11/image-{n}-480.jpg"},
    )


class Newsroom:
    """Builds the site through the suite's builders, then grows it."""

    def __init__(self, make_article, make_section, make_topic, make_user):
        self.make_article, self.make_section = make_article, make_section
        self.make_topic, self.make_user = make_topic, make_user
        self.sections: list[Section] = []
        self.topics: list[Topic] = []
        self.authors: list[User] = []
        self.site: Site | None = None
        self.correctors: list[User] = []  # the editors who sign corrections
        self.retractors: list[User] = []  # and those who retract them

    def build(self) -> Site:
        self.sections = [self.make_section() for _ in range(3)]
        self.topics = [self.make_topic() for _ in range(3)]
        self.authors = [self.make_user(avatar=image()) for _ in range(2)]
        editor = self.make_user(Role.EDITOR)
        lead = self.make_article(
            body="Harbour news. " * 300,
            section=self.sections[0],
            topics=self.topics[:2],
            author=self.authors[0],
            coauthors=[self.authors[1]],
            cover=image(),
        )
        self.site = Site(lead, self.sections[0], self.topics[0], self.authors[0], editor)
        db.session.add(OldSlug(kind=SlugKind.ARTICLE, slug=OLD_SLUG, target_id=lead.id))
        about = self.add_page("about")
        db.session.add(OldSlug(kind=SlugKind.PAGE, slug=OLD_PAGE_SLUG, target_id=about.id))
        # More than a page of the section, and of the lead's thread.
        self.add_stories(19, in_section=15)
        self.add_notes(1)
        self.add_corrections(Defaults.PAGE_SIZE + 1)  # more than a page of /corrections
        self.add_thread(THREAD_PAGE_SIZE + 5)
        self.add_shares(3)
        return self.site

    def grow(self) -> None:
        self.sections += [self.make_section() for _ in range(2)]
        self.topics += [self.make_topic() for _ in range(5)]
        self.authors += [self.make_user(avatar=image()) for _ in range(3)]
        self.site.lead.topics.extend(self.topics[-5:])
        self.add_stories(30, in_section=10)
        self.add_notes(4)
        self.add_corrections(Defaults.PAGE_SIZE)
        self.add_thread(THREAD_PAGE_SIZE + 10)
        self.add_shares(10)
        self.add_page("contact")

    def add_page(self, slug: str) -> StaticPage:
        """A published static page with a cover, its author's byline and date shown."""
        page = StaticPage(
            title=slug.title(),
            slug=slug,
            summary="Who we are.",
            author=self.authors[0],
            status=PageStatus.PUBLISHED,
            published_at=utcnow(),
            cover=image(),
            cover_alt="The newsroom",
            show_byline=True,
            show_updated=True,
        )
        page.set_body("We are a small newsroom.")
        db.session.add(page)
        db.session.commit()
        return page

    def add_stories(self, count: int, *, in_section: int) -> None:
        """Stories by every author (the site's author among them), most with a cover,
        every third written with the next author (whose avatar its byline shows)."""
        site = self.site
        for n in range(count):
            section = site.section if n < in_section else self.sections[n % len(self.sections)]
            extra = self.topics[n % len(self.topics)]
            self.make_article(
                body=f"Harbour news, part {n}.",
                section=section,
                topics=list({site.topic, extra}),
                author=self.authors[n % len(self.authors)],
                coauthors=[] if n % 3 else [self.authors[(n + 1) % len(self.authors)]],
                cover=image() if n % 4 else None,
            )

    def add_notes(self, count: int) -> None:
        for n in range(count):
            note = EditorComment(article=self.site.lead, editor=self.site.editor)
            note.set_body(f"Editor's note {n}.")
            db.session.add(note)
        db.session.commit()

    def add_corrections(self, count: int) -> None:
        """Corrections and updates on the lead and on other stories, every third retracted
        by an editor who signs none, signed and retracted by more editors each time."""
        self.correctors += [self.make_user(Role.EDITOR) for _ in range(3)]
        self.retractors += [self.make_user(Role.EDITOR) for _ in range(2)]
        stories = db.session.scalars(db.select(Article).order_by(Article.id).limit(count)).all()
        for n in range(count):
            note = Correction(
                article=self.site.lead if n % 2 else stories[n % len(stories)],
                editor=self.correctors[n % len(self.correctors)],
                kind=CorrectionKind.UPDATE if n % 2 else CorrectionKind.CORRECTION,
            )
            note.set_body(f"Correction {n}.")
            if n % 3 == 0:
                note.retracted_at, note.retraction_reason = utcnow(), "Not so."
                note.retracted_by_id = self.retractors[n % len(self.retractors)].id
            db.session.add(note)
        db.session.commit()

    def add_thread(self, roots: int) -> None:
        """Top-level comments, each with a reply and a reply to the reply."""
        lead = self.site.lead
        for n in range(roots):
            parent = None
            for depth in (1, 2, 3):
                comment = Comment(
                    article=lead,
                    parent=parent,
                    depth=depth,
                    status=CommentStatus.APPROVED,
                    author_name=f"Reader {n}",
                )
                comment.set_body(f"Comment {n} at depth {depth}.")
                db.session.add(comment)
                parent = comment
        db.session.flush()
        counters.refresh_article_counters([lead.id])
        db.session.commit()

    def add_shares(self, count: int) -> None:
        stories = db.session.scalars(
            db.select(Article).order_by(Article.share_count, Article.id).limit(count)
        )
        for n, story in enumerate(list(stories)):
            shares.record_share(story, "x", client_key=f"reader-{n}", day=utcnow().date())


@pytest.fixture
def newsroom(make_article, make_section, make_topic, make_user) -> Newsroom:
    return Newsroom(make_article, make_section, make_topic, make_user)


def page_costs(app, client, count_queries, site: Site) -> dict[str, int]:
    urls = app.url_map.bind("byline.test")
    costs = {}
    for name, page in PAGES.items():
        path = page.path(site)
        assert urls.match(path.partition("?")[0])[0] == page.endpoint, name
        with count_queries() as counter:
            response = client.get(path)
        assert response.status_code == page.status, (name, response.status_code)
        costs[name] = counter.count
    return costs


def test_every_public_page_costs_a_fixed_number_of_queries(app, client, count_queries, newsroom):
    site = newsroom.build()
    small = page_costs(app, client, count_queries, site)
    # The same again: nothing served from a cache, nothing loaded once and kept.
    assert page_costs(app, client, count_queries, site) == small
    newsroom.grow()
    large = page_costs(app, client, count_queries, site)
    assert large == small
    assert small == COSTS


def test_the_front_page_costs_the_same_with_the_editors_picks(app, client, count_queries, newsroom):
    """A lead and a full row of top stories (their articles, authors, avatars, sections
    and covers) are read in the one query that finds none on a site without picks."""

    def front_page_cost() -> tuple[int, str]:
        with count_queries() as counter:
            response = client.get("/")
        assert response.status_code == 200
        return counter.count, response.get_data(as_text=True)

    site = newsroom.build()
    # Older stories, each by an author of its own with an avatar, each with a cover: what
    # their cards show is read nowhere else on the page.
    stories = [
        newsroom.make_article(
            f"Archive story {n}",
            section=None,
            author=newsroom.make_user(avatar=image()),
            cover=image(),
            published_at=utcnow() - timedelta(days=60 + n),
        )
        for n in range(1 + curation.TOP_STORIES_LIMIT)
    ]
    without, html = front_page_cost()
    assert "Top stories" not in html and "Archive story" not in html
    curation.set_lead(site.editor, stories[0])
    for story in stories[1:]:
        curation.pin(site.editor, story)
    assert len(stories) == 1 + curation.TOP_STORIES_LIMIT
    with_picks, html = front_page_cost()
    assert "Top stories" in html and all(story.title in html for story in stories)
    assert with_picks == without == COSTS["front page"]


def test_every_public_page_is_counted(app):
    endpoints = {
        rule.endpoint
        for rule in app.url_map.iter_rules()
        if "GET" in rule.methods and rule.endpoint.rpartition(".")[0] in ("", "public", "feeds")
    }
    assert set(SKIPPED) <= endpoints, "a skipped endpoint no longer exists"
    assert endpoints - set(SKIPPED) == {page.endpoint for page in PAGES.values()}


# The same pages with their fragments warm (blog/fragments.py), as on a live site between
# two changes: the menus and each page's list of stories are kept, so the page loads
# none of them (the site settings, and what the page is of, are still read).
WARM_COSTS = {
    # the settings
    "front page": 1,
    # the section (topic, author), the settings
    "section": 2,
    "section, page 2": 2,
    "topic": 2,
    "author": 2,
    # the settings
    "search": 1,
    # nothing: the whole feed is kept (+ the section or topic)
    "site feed": 0,
    "section feed": 1,
    "topic feed": 1,
}


def test_kept_lists_of_stories_cost_fewer_queries(app, count_queries, newsroom, second_worker):
    site = newsroom.build()
    kept = second_worker(app, PAGE_CACHE=False, FRAGMENT_CACHE=True)
    client = kept.test_client()
    warm = {}
    for name in WARM_COSTS:
        path = PAGES[name].path(site)
        assert client.get(path).status_code == 200, name  # renders and keeps its parts
        with kept.app_context(), count_queries() as counter:
            assert client.get(path).status_code == 200, name
        warm[name] = counter.count
    assert warm == WARM_COSTS
    assert all(WARM_COSTS[name] < COSTS[name] for name in WARM_COSTS)
