"""Atom feeds, sitemap, robots.txt and the health check."""

import feedparser
from sqlalchemy import select

from blog.extensions import db
from blog.models import Article, ArticleStatus


def parse(client, url):
    response = client.get(url)
    assert response.status_code == 200
    assert response.mimetype == "application/atom+xml"
    feed = feedparser.parse(response.data)
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.version == "atom10"
    return feed


def test_site_feed_is_valid_atom(client, make_article):
    article = make_article("Harbour <news> & more", body="Body with *emphasis*.")
    make_article("Hidden draft", status=ArticleStatus.DRAFT)
    feed = parse(client, "/feed.xml")
    assert [e.title for e in feed.entries] == ["Harbour <news> & more"]
    entry = feed.entries[0]
    assert entry.link == f"http://byline.test/articles/{article.slug}"
    assert entry.author == article.author.display_name
    assert "<em>emphasis</em>" in entry.content[0].value
    assert entry.summary == article.brief
    assert feed.feed.links[0].href == "http://byline.test/feed.xml"


def test_section_and_topic_feeds(client, make_article, make_section, make_topic):
    section, topic = make_section(), make_topic()
    make_article("In section", section=section)
    make_article("On topic", topics=[topic])
    assert [e.title for e in parse(client, f"/section/{section.slug}/feed.xml").entries] == [
        "In section"
    ]
    assert [e.title for e in parse(client, f"/topic/{topic.slug}/feed.xml").entries] == ["On topic"]
    assert client.get("/section/nope/feed.xml").status_code == 404


def test_feed_is_limited_and_newest_first(app, client, make_article):
    for n in range(25):
        make_article(f"Story {n}")
    feed = parse(client, "/feed.xml")
    assert len(feed.entries) == app.config["FEED_SIZE"]
    dates = [e.published_parsed for e in feed.entries]
    assert dates == sorted(dates, reverse=True)


def test_an_articles_comment_feed_is_valid_atom(client, make_article, make_comment):
    article = make_article("Harbour <news> & more", slug="harbour")
    make_comment(article, "Body with *emphasis* & <b>tags</b>.", author_name="Ann <&> \u202eO'Neil")
    feed = parse(client, "/articles/harbour/comments/feed.xml")
    (entry,) = feed.entries
    assert entry.author == "Ann <&> \u202eO'Neil"
    assert "<em>emphasis</em>" in entry.content[0].value
    assert feed.feed.title.startswith("Comments on “Harbour <news> & more”")
    assert feed.feed.links[0].href == "http://byline.test/articles/harbour/comments/feed.xml"
    assert parse(client, f"/articles/{make_article().slug}/comments/feed.xml").entries == []


def test_empty_feed_is_valid(client):
    assert parse(client, "/feed.xml").entries == []


def test_sitemap_lists_every_published_article(client, make_article):
    for n in range(30):
        make_article(f"Story {n}")
    make_article("Draft", status=ArticleStatus.DRAFT, slug="the-draft")
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    xml = response.get_data(as_text=True)
    published = db.session.scalars(
        select(Article.slug).where(Article.status == ArticleStatus.PUBLISHED)
    ).all()
    assert len(published) == 30
    for slug in published:
        assert f"<loc>http://byline.test/articles/{slug}</loc>" in xml
    assert "the-draft" not in xml


def test_robots_points_to_the_sitemap(client):
    text = client.get("/robots.txt").get_data(as_text=True)
    assert "Sitemap: http://byline.test/sitemap.xml" in text
    assert "Disallow: /editor/" in text


def test_healthz_checks_the_database(app, client):
    assert client.get("/healthz").get_json() == {"status": "ok", "database": "ok"}


def test_healthz_reports_an_unreachable_database(tmp_path):
    from blog import create_app

    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "x",
            "SQLALCHEMY_DATABASE_URI": "postgresql+psycopg://nobody@127.0.0.1:1/none",
        }
    )
    response = app.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.get_json()["database"] == "unreachable"
