"""An imported site's old addresses: each answers one 301 straight to what it became (a
page of this site wins its own address), only while that is public, never in the editor
area nor to a POST; their keys, recording them, and what looking them up costs."""

from __future__ import annotations

from datetime import timedelta
from types import SimpleNamespace

import pytest
from sqlalchemy import insert, select

from blog.extensions import db
from blog.models import (
    Article,
    ArticleStatus,
    OldSlug,
    OldUrl,
    Page,
    PageStatus,
    SlugKind,
    User,
)
from blog.models.base import utcnow
from blog.services import old_urls, taxonomy
from tests.harness import rebuilt
from tests.test_pagecache import cached_twice

# ------------------------------------------------------------------------ keys

NORMALISED = [
    # WordPress's addresses, as its export and its readers' links spell them.
    ("/?p=123", "/?p=123"),
    ("/?page_id=5", "/?page_id=5"),
    ("/?cat=3", "/?cat=3"),
    ("/?tag=Trams", "/?tag=trams"),
    ("/?author=2", "/?author=2"),
    ("/?attachment_id=9", "/?attachment_id=9"),
    ("/index.php?p=123", "/?p=123"),
    ("/?p=123&utm_source=feed", "/?p=123"),
    ("/?p=123&p=124", "/?p=123"),  # the first value, as a request reads it
    ("https://old.example.com/?p=123", "/?p=123"),
    ("https://old.example.com?p=123", "/?p=123"),
    ("https://old.example.com/blog/?p=7", "/blog?p=7"),
    ("/blog/index.php?p=7", "/blog?p=7"),
    ("https://old.example.com/2024/05/06/Tram-Strike/", "/2024/05/06/tram-strike"),
    ("HTTP://OLD.EXAMPLE.COM/2024/05/06/tram-strike", "/2024/05/06/tram-strike"),
    ("/2024/05/06/tram-strike/?utm_source=x#comments", "/2024/05/06/tram-strike"),
    ("/category/news/", "/category/news"),
    ("/category/news/city///", "/category/news/city"),
    ("/tag/trams/", "/tag/trams"),
    ("/author/zoe/", "/author/zoe"),
    ("  /about/\n", "/about"),
    ("/caf%C3%A9/", "/café"),
    ("/a%2520b", "/a%20b"),  # decoded once only
    ("/", "/"),
    ("https://old.example.com", "/"),
    ("/?s=trams", "/"),  # a query of another key says nothing
    ("/?p=", "/"),
    ("/?p=1&cat=2", "/"),  # two keys: which one is meant is unknown
    # Hostile or not an address of a page.
    ("/" + "x" * 10_000, None),
    ("/" + "x" * 500, None),
    ("/%ff", None),
    ("/%c3", None),
    ("/%00", None),
    ("/a\x00b", None),
    ("/a\nb", None),
    ("/a%0Ab", None),
    ("/a%7fb", None),
    ("/?tag=%ff", None),
    ("//evil.example/x", None),
    ("/%2F/evil.example", None),
    ("/\\evil", None),
    ("/a%5Cb", None),
    ("https:/x", None),
    ("javascript:alert(1)", None),
    ("ftp://old.example.com/x", None),
    ("http://[::1/x", None),
    ("relative/path", None),
    ("", None),
]


@pytest.mark.parametrize(("address", "key"), NORMALISED)
def test_normalise(address, key):
    assert old_urls.normalise(address) == key


def test_the_longest_key_is_the_columns_length():
    assert old_urls.normalise("/" + "x" * 499) == "/" + "x" * 499
    assert old_urls.normalise("/" + "%C3%A9" * 499) == "/" + "é" * 499


# ----------------------------------------------------------------------- site


def new_page(slug: str, author: User, status: PageStatus = PageStatus.PUBLISHED) -> Page:
    page = Page(title=slug.title(), slug=slug, author=author, status=status, published_at=utcnow())
    page.set_body("Who we are.")
    db.session.add(page)
    db.session.commit()
    return page


@pytest.fixture
def site(make_article, make_section, make_topic, make_user):
    """A story with its section, topic and author, and a published page, each with the
    addresses it had on the old site."""
    s = SimpleNamespace()
    s.section = make_section("News", slug="news")
    s.topic = make_topic("Trams", slug="trams")
    s.person = make_user(name="Zoe Writer", slug="zoe-writer")
    s.story = make_article(
        "Tram strike ends",
        slug="tram-strike-ends",
        section=s.section,
        topics=[s.topic],
        author=s.person,
    )
    s.page = new_page("contact", s.person)
    return s


# Old address -> (target's attribute in the site, its address here).
FORMS = {
    "/?p=123": ("story", "/articles/tram-strike-ends"),
    "/?page_id=5": ("page", "/contact"),
    "/?cat=3": ("section", "/section/news"),
    "/?tag=trams-old": ("topic", "/topic/trams"),
    "/?author=2": ("person", "/author/zoe-writer"),
    "/2024/05/06/tram-strike": ("story", "/articles/tram-strike-ends"),
    "/tram-strike": ("story", "/articles/tram-strike-ends"),
    "/about-us/contact-us": ("page", "/contact"),
    "/category/local": ("section", "/section/news"),
    "/category/local/city": ("section", "/section/news"),
    "/tag/transport": ("topic", "/topic/trams"),
    "/author/zoe": ("person", "/author/zoe-writer"),
    "/blog/2024/05/06/tram-strike": ("story", "/articles/tram-strike-ends"),
    "/blog?p=7": ("story", "/articles/tram-strike-ends"),
    "/café-talk": ("story", "/articles/tram-strike-ends"),
}
COLUMNS = {
    "story": "article_id",
    "page": "page_id",
    "section": "section_id",
    "topic": "topic_id",
    "person": "user_id",
}


@pytest.fixture
def imported(site):
    for path, (name, _) in FORMS.items():
        db.session.add(OldUrl(path=path, **{COLUMNS[name]: getattr(site, name).id}))
    db.session.commit()
    return site


def one_hop(client, address: str, location: str) -> None:
    """One 301 straight to `location`, which answers 200."""
    response = client.get(address)
    assert response.status_code == 301, address
    assert response.headers["Location"] == location, address
    assert client.get(location).status_code == 200, location


# How readers ask: with and without the trailing slash, in other cases, percent-encoded.
ASKED = [
    *[(path, path) for path in FORMS if "?" not in path],
    *[(path + "/", path) for path in FORMS if "?" not in path],
    ("/2024/05/06/Tram-Strike/", "/2024/05/06/tram-strike"),
    ("/caf%C3%A9-talk/", "/café-talk"),
    ("/?p=123", "/?p=123"),
    ("/index.php?p=123", "/?p=123"),
    ("/?p=123&utm_source=feed", "/?p=123"),
    ("/?page_id=5", "/?page_id=5"),
    ("/?cat=3", "/?cat=3"),
    ("/?tag=trams-old", "/?tag=trams-old"),
    ("/?author=2", "/?author=2"),
    ("/blog/?p=7", "/blog?p=7"),
    ("/blog?p=7", "/blog?p=7"),
    ("/blog/index.php?p=7", "/blog?p=7"),
]


@pytest.mark.parametrize(("address", "form"), ASKED)
def test_every_old_address_answers_one_301_to_what_it_became(client, imported, address, form):
    one_hop(client, address, FORMS[form][1])


def test_the_redirect_carries_no_query(client, imported):
    one_hop(client, "/author/zoe/?page=2&_external=1", "/author/zoe-writer")
    one_hop(client, "/tag/transport?_scheme=https", "/topic/trams")


def test_a_renamed_target_is_followed(client, imported):
    imported.story.slug = "tram-strike-over"
    db.session.commit()
    one_hop(client, "/2024/05/06/tram-strike/", "/articles/tram-strike-over")
    one_hop(client, "/?p=123", "/articles/tram-strike-over")


def test_a_deleted_target_takes_its_old_addresses(client, imported):
    db.session.delete(imported.story)
    db.session.commit()
    assert client.get("/2024/05/06/tram-strike").status_code == 404
    assert db.session.scalar(select(OldUrl).where(OldUrl.path == "/?p=123")) is None


# ------------------------------------------------------------- what is public


@pytest.fixture
def hidden(site, make_article, make_topic, make_user):
    """Old addresses of a draft, a page in draft, a topic and an author of drafts only."""
    drafter = make_user(name="Hidden Writer", slug="hidden-writer")
    secret = make_topic("Secret plans", slug="secret-plans")
    draft = make_article(
        "Secret merger",
        slug="secret-merger",
        status=ArticleStatus.DRAFT,
        topics=[secret],
        author=drafter,
    )
    scheduled = make_article(
        "Tomorrow", slug="tomorrow-story", published_at=utcnow() + timedelta(days=365)
    )
    page = new_page("secret-page", drafter, PageStatus.DRAFT)
    rows = {
        "/2024/01/01/merger": {"article_id": draft.id},
        "/?p=99": {"article_id": draft.id},
        "/2030/01/01/tomorrow": {"article_id": scheduled.id},
        "/secret": {"page_id": page.id},
        "/tag/plans": {"topic_id": secret.id},
        "/author/hidden": {"user_id": drafter.id},
    }
    for path, target in rows.items():
        db.session.add(OldUrl(path=path, **target))
    db.session.commit()
    return rows


@pytest.mark.parametrize(
    "address",
    ["/2024/01/01/merger/", "/2030/01/01/tomorrow", "/secret/", "/secret", "/tag/plans/"]
    + ["/author/hidden", "/author/hidden/"],
)
def test_an_old_address_of_what_is_not_public_is_a_404(client, hidden, address):
    response = client.get(address)
    if address in ("/secret/", "/author/hidden/"):  # a route's address with a slash too many
        assert response.headers["Location"] == address.rstrip("/")
        response = client.get(response.headers["Location"])
    assert response.status_code == 404
    page = response.get_data(as_text=True)
    for slug in ("secret-merger", "tomorrow-story", "secret-page", "secret-plans", "hidden-w"):
        assert slug not in page


def test_a_query_address_of_a_draft_shows_the_front_page(client, hidden):
    response = client.get("/?p=99")
    assert response.status_code == 200
    assert "secret-merger" not in response.get_data(as_text=True)
    assert client.get("/?p=404").status_code == 200  # an id nothing had


def test_an_old_address_leads_on_once_its_target_is_published(client, hidden):
    draft = db.session.scalar(select(Article).where(Article.slug == "secret-merger"))
    draft.status, draft.published_at = ArticleStatus.PUBLISHED, utcnow()
    db.session.commit()
    one_hop(client, "/2024/01/01/merger", "/articles/secret-merger")
    one_hop(client, "/tag/plans", "/topic/secret-plans")
    one_hop(client, "/author/hidden/", "/author/hidden-writer")


# ---------------------------------------------------- the site's own addresses


def test_a_page_of_the_site_wins_its_own_address(client, imported):
    about = new_page("about", imported.person)
    db.session.add(OldUrl(path="/about", article_id=imported.story.id))
    db.session.add(OldSlug(kind=SlugKind.PAGE, slug="who-we-are", target_id=about.id))
    db.session.add(OldUrl(path="/who-we-are", article_id=imported.story.id))
    db.session.commit()
    one_hop(client, "/about/", "/about")
    assert client.get("/about").status_code == 200
    # The page's own old slug too, straight to where it lives now.
    one_hop(client, "/who-we-are/", "/about")
    one_hop(client, "/who-we-are", "/about")
    # Once the page is gone, the old address leads on.
    db.session.delete(about)
    db.session.commit()
    one_hop(client, "/about/", "/articles/tram-strike-ends")
    one_hop(client, "/about", "/articles/tram-strike-ends")


def test_a_live_author_wins_an_old_author_address(client, imported, make_article, make_user):
    other = make_user(name="Zoe Other", slug="zoe")
    make_article(author=other)
    one_hop(client, "/author/zoe/", "/author/zoe")
    assert client.get("/author/zoe").status_code == 200
    # A fixed page of the site wins as well.
    db.session.add(OldUrl(path="/authors", section_id=imported.section.id))
    db.session.commit()
    one_hop(client, "/authors/", "/authors")


def test_a_trailing_slash_still_drops_without_an_old_address(client, site):
    response = client.get("/section/news/?page=1")
    assert response.status_code == 301
    assert response.headers["Location"] == "/section/news?page=1"
    assert client.get("/nothing/here/").status_code == 404


def test_the_editor_area_and_posts_are_untouched(client, imported):
    db.session.execute(
        insert(OldUrl).values(path="/editor/old-login", article_id=imported.story.id)
    )
    db.session.commit()
    for address in ("/editor/old-login", "/editor/old-login/", "/Editor/old-login"):
        assert client.get(address).status_code == 404, address
    for address in ("/2024/05/06/tram-strike/", "/tram-strike", "/author/zoe"):
        response = client.post(address)
        assert response.status_code in (404, 405), address
        assert "Location" not in response.headers
    assert client.post("/?p=123").status_code == 405


# A path as the server hands it over (bytes as Latin-1), and the key it would come to were
# it not refused (stored, to show that even a row there is never found).
HOSTILE = [
    ("//evil.example/x", "//evil.example/x"),
    ("/\\evil.example", "/\\evil.example"),
    ("/\xff/", "/\ufffd"),  # what a request's path holds for a byte that is not UTF-8
    ("/a\x01b", "/a\x01b"),
    ("/a\x00b", None),  # PostgreSQL stores no NUL
    ("/" + "x" * 10_000, None),
]


@pytest.mark.parametrize(("path", "key"), HOSTILE)
def test_hostile_addresses_lead_nowhere(client, imported, path, key):
    if key is not None:
        db.session.execute(insert(OldUrl).values(path=key, article_id=imported.story.id))
        db.session.commit()
    response = client.get("/", environ_overrides={"PATH_INFO": path})
    assert response.status_code == 404
    assert "Location" not in response.headers


# -------------------------------------------------------------------- recording


def test_add_records_an_address_once_and_the_first_one_wins(imported, make_article):
    story, other = imported.story, make_article(slug="another-story")
    assert old_urls.add("https://old.example.com/2023/01/02/new-one/", story) == "added"
    assert old_urls.add("/2023/01/02/New-One", story) == "exists"
    assert old_urls.add("/2023/01/02/new-one/", other) == "taken"
    assert old_urls.add("/2024/05/06/tram-strike/", imported.page) == "taken"
    assert old_urls.add("/?p=123", story) == "exists"
    assert old_urls.add("/%ff", story) == "invalid"
    assert old_urls.add("/", story) == "invalid"
    assert old_urls.add("/editor/articles/", story) == "invalid"
    db.session.commit()
    rows = db.session.scalars(select(OldUrl).where(OldUrl.path.like("/2023/%"))).all()
    assert [(row.path, row.article_id) for row in rows] == [("/2023/01/02/new-one", story.id)]


def test_add_stores_nothing_for_the_targets_own_address(site):
    # A Ghost page /contact/ became the page "contact"; an author kept their slug.
    assert old_urls.add("https://ghost.example/contact/", site.page) == "own"
    assert old_urls.add("/author/Zoe-Writer/", site.person) == "own"
    assert old_urls.add("/section/news", site.section) == "own"
    assert old_urls.add("/articles/tram-strike-ends/", site.story) == "own"
    assert old_urls.add("/tag/trams/", site.topic) == "added"  # Ghost's, not Byline's
    db.session.flush()
    assert db.session.scalars(select(OldUrl.path)).all() == ["/tag/trams"]


def test_add_commits_nothing_and_refuses_what_cannot_be_a_target(site, make_comment):
    assert old_urls.add("/?cat=3", site.section) == "added"
    db.session.rollback()
    assert db.session.scalar(select(OldUrl)) is None
    with pytest.raises(TypeError):
        old_urls.add("/x", make_comment(site.story))
    with pytest.raises(ValueError):
        old_urls.add("/x", Article(title="Unsaved", slug="unsaved"))


# ------------------------------------------------------------------------ costs


@pytest.fixture
def uncached(app):
    """The app without its page cache, so that every request reaches the database."""
    with rebuilt(app, PAGE_CACHE=False) as variant:
        yield variant


def statements(count_queries, client, address: str) -> tuple[int, list[str]]:
    """The status of a GET and the statements it ran."""
    with count_queries() as counter:
        status = client.get(address).status_code
    return status, counter.statements


def lookups(sql: list[str]) -> int:
    return sum("old_urls" in statement for statement in sql)


def test_pages_that_answer_make_no_lookup(uncached, imported, count_queries):
    client = uncached.test_client()
    for address in ("/", "/?s=trams&page=1", "/contact", "/author/zoe-writer", "/topics"):
        status, sql = statements(count_queries, client, address)
        assert status == 200, address
        assert lookups(sql) == 0, address
    # The front page with an unknown key costs the same as without it.
    assert len(statements(count_queries, client, "/?utm=1")[1]) == len(
        statements(count_queries, client, "/")[1]
    )


def test_find_asks_nothing_for_what_no_request_may_find(app, count_queries):
    with count_queries() as counter:
        for path in ("/", "//", "/editor/x", "/Editor", "//evil.example/x", "/\ufffd"):
            assert old_urls.find(path, {}) is None, path
        assert old_urls.find("/", {"s": "trams"}) is None
    assert counter.count == 0


@pytest.mark.parametrize(
    ("address", "status"),
    [("/nothing/here/", 404), ("/nothing", 404), ("/?p=404", 200), ("/contact/", 301)],
)
def test_an_address_that_may_be_old_costs_one_lookup(
    uncached, imported, count_queries, address, status
):
    answer, sql = statements(count_queries, uncached.test_client(), address)
    assert answer == status
    assert lookups(sql) == 1


def test_a_found_old_address_costs_one_query(uncached, imported, count_queries):
    for address in ("/2024/05/06/tram-strike/", "/?p=123", "/category/local/city"):
        status, sql = statements(count_queries, uncached.test_client(), address)
        assert status == 301
        assert len(sql) == 1, sql


def test_a_query_address_is_answered_before_the_page_cache(client, site):
    """The front page kept for /?p=123 while it led nowhere is not served once it does,
    even when nothing retired the cached pages."""
    cached_twice(client, "/")
    cached_twice(client, "/?p=123")
    db.session.execute(
        insert(OldUrl)
        .values(path="/?p=123", article_id=site.story.id)
        .execution_options(page_cache_quiet=True)
    )
    db.session.commit()
    assert client.get("/").headers["X-Cache"] == "hit"  # the cache still holds its pages
    one_hop(client, "/?p=123", "/articles/tram-strike-ends")


def test_a_section_deleted_into_another_takes_its_imported_addresses_along(
    app, client, make_article, make_section
):
    """Deleting a section and moving its stories elsewhere moves its old addresses from
    the imported site too, as it does its own old slugs."""
    story = make_article("Ballots counted")
    closing, staying = story.section, make_section(name="Politics", slug="politics")
    db.session.add(OldUrl(path="/category/elections", section_id=closing.id))
    db.session.commit()
    taxonomy.delete_section(closing, staying)
    response = client.get("/category/elections/")
    assert response.status_code == 301
    assert response.headers["Location"].endswith("/section/politics")
