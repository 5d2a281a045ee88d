"""The public reading site, tested through HTTP as a reader meets it."""

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from blog.extensions import db
from blog.models import ArticleStatus, CommentStatus, EditorComment, OldSlug, SlugKind
from blog.models.base import utcnow
from blog.services import publishing
from tests.harness import publish
from tests.test_pagecache import cached_twice

ANATOMY = [
    "nav.breadcrumb",
    "article h1",
    ".byline",
    ".reading-time",
    ".brief",
    ".article-body",
    ".topics",
    ".editor-comments",
    "#share",
    ".related",
    "#comments",
]
# One marker in the HTML for each piece of the markup contract, in page order.
MARKERS = {
    "nav.breadcrumb": '<nav class="breadcrumb"',
    "article h1": "<h1>",
    ".byline": 'class="byline"',
    ".reading-time": 'class="reading-time"',
    ".brief": 'class="brief"',
    ".article-body": 'class="article-body"',
    ".topics": 'class="topics"',
    ".editor-comments": 'class="editor-comments"',
    "#share": 'id="share"',
    ".related": 'class="related"',
    "#comments": 'id="comments"',
}


@pytest.fixture
def full_article(make_article, make_topic, make_comment, make_user):
    from blog.models import Role

    topic = make_topic("Transport", slug="transport")
    article = make_article(
        "Trams return to the harbour",
        body="## What changes\n\n" + "word " * 700,
        topics=[topic],
    )
    make_article("A related story", topics=[topic], section=article.section)
    editor = make_user(Role.EDITOR, name="Edna Editor")
    note = EditorComment(article=article, editor=editor)
    note.set_body("This story was updated with the council's reply.")
    db.session.add(note)
    db.session.commit()
    first = make_comment(article, "First!")
    make_comment(article, "A reply", parent=first)
    return article


def test_article_page_has_every_piece_in_order(client, full_article):
    html = client.get(f"/articles/{full_article.slug}").get_data(as_text=True)
    positions = [html.find(MARKERS[piece]) for piece in ANATOMY]
    assert all(p >= 0 for p in positions), dict(zip(ANATOMY, positions, strict=True))
    assert positions == sorted(positions)


def test_article_page_content(client, full_article):
    html = client.get(f"/articles/{full_article.slug}").get_data(as_text=True)
    assert f"<h1>{full_article.title}</h1>" in html
    assert "4 min read" in html  # 702 words at 230 wpm, rounded up
    assert f'href="/author/{full_article.author.slug}"' in html
    assert re.search(r'<time datetime="\d{4}-\d\d-\d\dT[^"]+">\w+ \d{1,2}, \d{4}</time>', html)
    assert f'href="/section/{full_article.section.slug}"' in html
    assert 'href="/topic/transport"' in html
    assert "Edna Editor" in html and "council’s reply" in html
    assert "A related story" in html
    assert "2 Comments" in html and "First!" in html and "A reply" in html
    assert full_article.body_html in html


def test_article_head_metadata(client, full_article):
    html = client.get(f"/articles/{full_article.slug}").get_data(as_text=True)
    url = f"http://byline.test/articles/{full_article.slug}"
    assert f'<link rel="canonical" href="{url}">' in html
    assert f'<meta name="description" content="{full_article.brief}">' in html
    assert f'<meta property="og:url" content="{url}">' in html
    assert '<meta property="og:type" content="article">' in html
    assert '<meta name="twitter:card" content="summary">' in html
    assert 'type="application/atom+xml"' in html
    assert '"@type": "NewsArticle"' in html


def test_json_ld_is_escaped(client, make_article):
    article = make_article("Breaking </script><script>alert(1)</script>")
    html = client.get(f"/articles/{article.slug}").get_data(as_text=True)
    assert "</script><script>alert(1)" not in html
    assert "\\u003c/script\\u003e" in html


def test_updated_shown_only_after_an_edit(client, make_article):
    article = make_article()
    assert "Updated" not in client.get(f"/articles/{article.slug}").get_data(as_text=True)
    article.updated_at = article.published_at + timedelta(hours=5)
    db.session.commit()
    assert 'class="updated"' in client.get(f"/articles/{article.slug}").get_data(as_text=True)


@pytest.mark.parametrize(
    "status, delta",
    [
        (ArticleStatus.DRAFT, None),
        (ArticleStatus.REVIEW, None),
        (ArticleStatus.PUBLISHED, timedelta(hours=2)),  # scheduled
    ],
)
def test_unpublished_articles_are_404(client, make_article, status, delta):
    published_at = utcnow() + delta if delta else None
    article = make_article(status=status, published_at=published_at)
    response = client.get(f"/articles/{article.slug}")
    assert response.status_code == 404
    assert "Page not found" in response.get_data(as_text=True)
    assert article.title not in client.get("/").get_data(as_text=True)


def test_scheduled_article_appears_when_due(client, make_article):
    article = make_article(published_at=utcnow() + timedelta(hours=1))
    assert client.get(f"/articles/{article.slug}").status_code == 404
    article.published_at = utcnow() - timedelta(seconds=1)
    db.session.commit()
    assert client.get(f"/articles/{article.slug}").status_code == 200


def test_old_slug_redirects_permanently(client, make_article):
    article = make_article(slug="new-name")
    db.session.add(OldSlug(kind=SlugKind.ARTICLE, slug="old-name", target_id=article.id))
    db.session.commit()
    response = client.get("/articles/old-name")
    assert response.status_code == 301
    assert response.headers["Location"].endswith("/articles/new-name")


def test_old_section_slug_redirects(client, make_section):
    section = make_section(slug="city-hall")
    db.session.add(OldSlug(kind=SlugKind.SECTION, slug="politics", target_id=section.id))
    db.session.commit()
    response = client.get("/section/politics?page=2")
    assert response.status_code == 301
    assert response.headers["Location"].endswith("/section/city-hall?page=2")


def test_unknown_slugs_are_404(client):
    for url in ("/articles/nope", "/section/nope", "/topic/nope", "/author/nope"):
        assert client.get(url).status_code == 404


def test_only_approved_comments_are_shown(client, make_article, make_comment):
    article = make_article()
    make_comment(article, "Visible words")
    for status in (CommentStatus.PENDING, CommentStatus.SPAM, CommentStatus.DELETED):
        make_comment(article, f"Hidden {status}", status=status)
    html = client.get(f"/articles/{article.slug}").get_data(as_text=True)
    assert "Visible words" in html and "Hidden" not in html
    assert "1 Comment<" in html


def test_front_page(client, make_article, make_section):
    city = make_section("City", slug="city", position=0)
    arts = make_section("Arts", slug="arts", position=1)
    lead = make_article("The lead story", section=city, is_featured=True)
    later = make_article("A newer story", section=arts, published_at=utcnow())
    make_article("Draft piece", status=ArticleStatus.DRAFT, section=city)
    # Older stories past the latest list: the section blocks show what is not above them.
    for n in range(14):
        published = utcnow() - timedelta(days=1, minutes=n)
        make_article(f"Older {n}", section=(city, arts)[n % 2], published_at=published)
    html = client.get("/").get_data(as_text=True)
    assert html.index("The lead story") < html.index("Latest")
    assert "A newer story" in html and "Draft piece" not in html
    assert 'id="section-city"' in html and 'id="section-arts"' in html
    assert html.index('id="section-city"') < html.index('id="section-arts"')
    assert lead.title in html and later.title in html


def test_front_page_of_an_empty_site(client):
    response = client.get("/")
    assert response.status_code == 200
    assert "Nothing published yet" in response.get_data(as_text=True)


def test_listings_paginate(client, make_article, make_section, make_topic, make_user):
    section, topic, author = make_section(), make_topic(), make_user()
    for n in range(15):
        make_article(f"Story {n:02d}", section=section, topics=[topic], author=author)
    for url in (f"/section/{section.slug}", f"/topic/{topic.slug}", f"/author/{author.slug}"):
        first = client.get(url).get_data(as_text=True)
        second = client.get(url + "?page=2").get_data(as_text=True)
        assert "Page 1 of 2" in first and 'rel="next"' in first
        assert "Page 2 of 2" in second and 'rel="prev"' in second
        assert first.count('class="card-title"') == 12
        assert second.count('class="card-title"') == 3


@pytest.mark.parametrize("page", ["0", "-1", "abc", "999999", "1.5", "", "١"])
def test_bad_page_numbers_are_404(client, make_article, page):
    article = make_article()
    response = client.get(f"/section/{article.section.slug}?page={page}")
    assert response.status_code == 404


def test_a_listing_page_past_the_last_is_a_404_page(client, make_article, make_topic):
    """The listing's service finds the page missing; the reader gets the site's 404."""
    topic = make_topic()
    article = make_article(topics=[topic])
    for url in (
        f"/section/{article.section.slug}",
        f"/topic/{topic.slug}",
        f"/author/{article.author.slug}",
    ):
        assert client.get(url).status_code == 200, url
        response = client.get(url + "?page=2")
        assert response.status_code == 404, url
        assert "Error 404" in response.get_data(as_text=True)


def test_non_utf8_and_overlong_paths_are_404(client):
    assert client.get("/articles/%ff%fe").status_code == 404
    assert client.get("/articles/" + "a" * 5000).status_code == 404
    assert client.get("/section/%00").status_code == 404


def test_error_pages_use_the_site_layout(client):
    response = client.get("/no/such/page")
    html = response.get_data(as_text=True)
    assert response.status_code == 404
    assert 'class="masthead"' in html and "Error 404" in html
    response = client.post("/")
    assert response.status_code == 405
    assert "Method not allowed" in response.get_data(as_text=True)


def test_server_errors_render_without_a_trace(app, client):
    @app.get("/boom")
    def boom():
        raise RuntimeError("secret detail")

    app.testing = False  # let the error handler answer as in production
    app.config["PROPAGATE_EXCEPTIONS"] = False
    response = client.get("/boom")
    html = response.get_data(as_text=True)
    assert response.status_code == 500
    assert "Something went wrong" in html and "secret detail" not in html


@pytest.mark.parametrize("code", [400, 403, 413, 429])
def test_other_error_codes_are_styled(app, client, code):
    from flask import abort

    app.add_url_rule(f"/fail-{code}", f"fail_{code}", lambda: abort(code))
    response = client.get(f"/fail-{code}")
    assert response.status_code == code
    assert f"Error {code}" in response.get_data(as_text=True)


def test_uploads_refuse_path_traversal(client, app):
    assert client.get("/uploads/../blog/__init__.py").status_code == 404
    assert client.get("/uploads/%2e%2e/secret_key").status_code == 404


def test_author_page_shows_bio_and_only_their_published_work(client, make_article, make_user):
    author = make_user(name="Ravi Banerjee", bio="Covers the harbour.")
    make_article("Ravi's story", author=author)
    make_article("Someone else's story")
    make_article("Ravi's draft", author=author, status=ArticleStatus.DRAFT)
    html = client.get(f"/author/{author.slug}").get_data(as_text=True)
    assert "Covers the harbour." in html
    assert "Ravi&#39;s story" in html
    assert "Someone else" not in html and "draft" not in html


def test_section_order_in_navigation(client, make_section):
    make_section("Second", position=2)
    make_section("First", position=1)
    html = client.get("/").get_data(as_text=True)
    nav = html[html.index('class="section-nav"') :]
    assert nav.index("First") < nav.index("Second")
    assert db.session.scalars(select(OldSlug)).all() == []


def test_error_pages_render_when_the_database_is_down(tmp_path):
    from blog import create_app

    app = create_app(
        {"SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": "postgresql+psycopg://nobody@127.0.0.1:1/x"}
    )
    response = app.test_client().get("/articles/anything")
    html = response.get_data(as_text=True)
    assert response.status_code == 503 and response.headers["Retry-After"].isdigit()
    assert "Temporarily unavailable" in html and 'class="masthead"' in html
    assert "psycopg" not in html


def test_error_pages_carry_the_section_navigation(client, make_section):
    make_section("Culture")
    html = client.get("/nowhere").get_data(as_text=True)
    assert 'class="section-nav"' in html and "Culture" in html


# A topic is public only once one of its articles is


def topic_sightings(client, slug: str, name: str) -> dict[str, bool]:
    """Where the topic shows to an anonymous reader."""
    search = client.get(f"/search?q=signed&topic={slug}").get_data(as_text=True)
    return {
        "page": client.get(f"/topic/{slug}").status_code == 200,
        "feed": client.get(f"/topic/{slug}/feed.xml").status_code == 200,
        "sitemap": f"/topic/{slug}</loc>" in client.get("/sitemap.xml").get_data(as_text=True),
        "search filter": f'value="{slug}"' in search or name in search,
    }


NOWHERE = dict.fromkeys(["page", "feed", "sitemap", "search filter"], False)


def test_a_topic_made_for_a_draft_shows_once_the_article_is_published(
    client, editor, make_section, make_article
):
    make_article("Another story", body="Signed and sealed.")
    changes = publishing.ArticleChanges(
        title="Acme buys Widgetco",
        brief="The deal is done.",
        body="Signed this morning.",
        section_id=make_section().id,
        new_topic_names=["Acme merger"],
    )
    draft = publishing.create_article(changes, actor=editor)
    assert [t.slug for t in draft.topics] == ["acme-merger"]
    assert topic_sightings(client, "acme-merger", "Acme merger") == NOWHERE
    # The listings that leave it out are cached; publishing starts a new generation.
    cached_twice(client, "/sitemap.xml")
    cached_twice(client, "/search?q=signed&topic=acme-merger")

    publish(draft, changes, editor)
    assert topic_sightings(client, "acme-merger", "Acme merger") == dict.fromkeys(NOWHERE, True)


@pytest.mark.parametrize(
    "status, delta",
    [
        (ArticleStatus.DRAFT, None),
        (ArticleStatus.REVIEW, None),
        (ArticleStatus.PUBLISHED, timedelta(hours=2)),  # scheduled
    ],
)
def test_a_topic_without_a_public_article_is_public_nowhere(
    client, make_article, make_topic, status, delta
):
    topic = make_topic("Embargoed deal", slug="embargoed-deal")
    make_article(topics=[topic], status=status, published_at=utcnow() + delta if delta else None)
    make_article("Public story", body="Signed today.")
    db.session.add(OldSlug(kind=SlugKind.TOPIC, slug="the-deal", target_id=topic.id))
    db.session.commit()
    assert topic_sightings(client, "embargoed-deal", "Embargoed deal") == NOWHERE
    # Its old address does not tell where it went.
    assert client.get("/topic/the-deal").status_code == 404
