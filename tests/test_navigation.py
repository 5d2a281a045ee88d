"""What readers find in the header and footer, the /topics index, the topic breadcrumb,
and public addresses asked for with a trailing slash."""

import re

import pytest

from blog import create_app
from blog.extensions import db
from blog.models import ArticleStatus, Page, PageStatus, Topic
from blog.models.base import utcnow
from blog.services import menus
from blog.text import strip_control_characters
from tests.xss_corpus import PAYLOADS, active_content


def header_nav(html: str) -> str:
    # Named "Sections" while it is the section bar, "Site" once it holds the admins' links.
    match = re.search(
        r'<nav class="section-nav" aria-label="(Sections|Site)">.*?</nav>', html, re.S
    )
    assert match, "no section bar"
    return match.group(0)


def footer_nav(html: str) -> str:
    match = re.search(r'<nav class="footer-nav" aria-label="Footer">.*?</nav>', html, re.S)
    assert match, "no footer menu"
    return match.group(0)


def links(nav: str) -> list[tuple[str, str]]:
    """(href, text) of each link, in order."""
    return re.findall(r'<a href="([^"]*)"[^>]*>([^<]*)</a>', nav)


def text(client, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    return response.get_data(as_text=True)


def new_page(admin, title: str, slug: str, status=PageStatus.PUBLISHED) -> Page:
    page = Page(title=title, slug=slug, author=admin, status=status)
    page.set_body(f"{title}.")
    db.session.add(page)
    db.session.commit()
    return page


# ----------------------------------------------------------------------- defaults


def test_without_saved_links_the_header_is_the_section_bar(client, make_section):
    make_section("Politics", slug="politics", position=1)
    make_section("Culture", slug="culture", position=2)
    nav = header_nav(text(client, "/section/culture"))
    assert links(nav) == [("/section/politics", "Politics"), ("/section/culture", "Culture")]
    assert '<a href="/section/culture" aria-current="page">Culture</a>' in nav
    assert nav.count("aria-current") == 1
    assert 'aria-label="Sections"' in nav


def test_without_saved_links_the_footer_leads_to_topics_authors_and_published_pages(client, admin):
    new_page(admin, "About us", "about")
    new_page(admin, "Privacy", "privacy", status=PageStatus.DRAFT)
    nav = footer_nav(text(client, "/"))
    assert links(nav) == [
        ("/about", "About us"),
        ("/corrections", "Corrections"),
        ("/topics", "Topics"),
        ("/authors", "Authors"),
        ("/feed.xml", "Atom feed"),
        ("/follow", "Follow by e-mail"),
        ("/sitemap.xml", "Sitemap"),
    ]
    assert '<a href="/topics" aria-current="page">Topics</a>' in footer_nav(text(client, "/topics"))


# ------------------------------------------------------------------- saved links


def test_saved_links_replace_the_pages_but_not_the_indexes_feed_and_sitemap(
    client, admin, make_section, make_topic, make_article
):
    city = make_section("City", slug="city")
    make_section("Sport", slug="sport")
    ports = make_topic("Ports", slug="ports")
    make_article(section=city, topics=[ports])
    about = new_page(admin, "About us", "about")
    menus.add_link(admin, "header", "topic", target_id=ports.id, label="The harbour")
    menus.add_link(admin, "header", "section", target_id=city.id)
    menus.add_link(admin, "header", "url", url="https://weather.example/?q=1&r=2", label="Weather")
    menus.add_link(admin, "footer", "page", target_id=about.id)
    menus.add_link(admin, "footer", "url", url="/corrections", label="Corrections")
    html = text(client, "/section/city")
    assert links(header_nav(html)) == [
        ("/topic/ports", "The harbour"),
        ("/section/city", "City"),
        ("https://weather.example/?q=1&amp;r=2", "Weather"),
    ]
    assert '<a href="/section/city" aria-current="page">City</a>' in header_nav(html)
    assert 'aria-label="Site"' in header_nav(html)
    assert links(footer_nav(html)) == [
        ("/about", "About us"),
        ("/corrections", "Corrections"),
        ("/topics", "Topics"),
        ("/authors", "Authors"),
        ("/feed.xml", "Atom feed"),
        ("/follow", "Follow by e-mail"),
        ("/sitemap.xml", "Sitemap"),
    ]


def test_a_site_path_follows_the_sites_prefix(app, admin):
    menus.add_link(admin, "footer", "url", url="/corrections", label="Corrections")
    response = app.test_client().get("/", base_url="http://byline.test/news")
    assert response.status_code == 200
    assert links(footer_nav(response.get_data(as_text=True)))[:2] == [
        ("/news/corrections", "Corrections"),
        ("/news/topics", "Topics"),
    ]


def test_hidden_links_stay_out_until_their_page_or_topic_is_public(
    client, admin, make_topic, make_article
):
    draft = new_page(admin, "Coming soon", "soon", status=PageStatus.DRAFT)
    quiet = make_topic("Quiet", slug="quiet")
    story = make_article(topics=[quiet], status=ArticleStatus.DRAFT)
    menus.add_link(admin, "header", "page", target_id=draft.id)
    menus.add_link(admin, "header", "topic", target_id=quiet.id)
    menus.add_link(admin, "header", "url", url="/search", label="Search")
    assert links(header_nav(text(client, "/"))) == [("/search", "Search")]
    draft.status = PageStatus.PUBLISHED
    story.status, story.published_at = ArticleStatus.PUBLISHED, utcnow()
    db.session.commit()
    assert links(header_nav(text(client, "/"))) == [
        ("/soon", "Coming soon"),
        ("/topic/quiet", "Quiet"),
        ("/search", "Search"),
    ]


def test_menu_changes_show_on_cached_pages_at_once(client, admin, make_section):
    city = make_section("City", slug="city")
    first = client.get("/")
    again = client.get("/")
    assert (first.headers["X-Cache"], again.headers["X-Cache"]) == ("miss", "hit")
    link = menus.add_link(admin, "header", "url", url="/tips", label="Send us tips")
    fresh = client.get("/")
    assert fresh.headers["X-Cache"] == "miss"
    assert links(header_nav(fresh.get_data(as_text=True))) == [("/tips", "Send us tips")]
    menus.add_link(admin, "header", "section", target_id=city.id)
    menus.move_link(admin, link.id, "down")
    assert links(header_nav(text(client, "/"))) == [
        ("/section/city", "City"),
        ("/tips", "Send us tips"),
    ]
    menus.remove_link(admin, link.id)
    db.session.delete(city)  # the section goes, and its link with it: the section bar is back
    db.session.commit()
    assert "section-nav" not in text(client, "/")
    assert ("/topics", "Topics") in links(footer_nav(text(client, "/")))


def test_error_pages_carry_the_menus(client, admin):
    menus.add_link(admin, "footer", "url", url="/tips", label="Tips")
    response = client.get("/no/such/page")
    assert response.status_code == 404
    assert ("/tips", "Tips") in links(footer_nav(response.get_data(as_text=True)))


def test_an_error_page_shows_the_default_menus_when_the_database_is_down():
    app = create_app(
        {"SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": "postgresql+psycopg://nobody@127.0.0.1:1/x"}
    )
    response = app.test_client().get("/articles/anything")
    assert response.status_code == 503
    assert links(footer_nav(response.get_data(as_text=True))) == [
        ("/corrections", "Corrections"),
        ("/topics", "Topics"),
        ("/authors", "Authors"),
        ("/feed.xml", "Atom feed"),
        ("/follow", "Follow by e-mail"),
        ("/sitemap.xml", "Sitemap"),
    ]


# ------------------------------------------------------------------------ /topics


def test_topics_lists_public_topics_by_name_with_their_counts(
    client, make_topic, make_article, count_queries
):
    ports, ferries, drafts = make_topic("ports"), make_topic("Ferries"), make_topic("Drafts")
    tomorrow = make_topic("Tomorrow")
    make_article(topics=[ports, ferries])
    make_article(topics=[ports])
    make_article(topics=[ports, drafts], status=ArticleStatus.DRAFT)
    make_article(topics=[tomorrow], published_at=utcnow().replace(year=utcnow().year + 1))
    html = text(client, "/topics")
    index = re.search(r'<ul class="topic-index">.*?</ul>', html, re.S).group(0)
    found = re.findall(r'<a href="/topic/([^"]+)"[^>]*>([^<]+)</a>\s*<span[^>]*>([^<]+)<', index)
    assert found == [
        (ferries.slug, "Ferries", "1 story"),
        (ports.slug, "ports", "2 stories"),
    ]
    crumbs = re.search(r'<nav class="breadcrumb" aria-label="Breadcrumb">.*?</nav>', html).group(0)
    assert links(crumbs) == [("/", "Home")] and '<span aria-current="page">Topics</span>' in crumbs
    assert "<h1>Topics</h1>" in html


def test_topics_on_a_site_without_stories(client, make_topic):
    make_topic("Unused")
    html = text(client, "/topics")
    assert "No stories have been published yet." in html and "Unused" not in html


def test_a_topic_page_breadcrumb_leads_to_the_topics(client, make_topic, make_article):
    ports = make_topic("Ports", slug="ports")
    make_article(topics=[ports])
    html = text(client, "/topic/ports")
    crumbs = re.search(r'<nav class="breadcrumb" aria-label="Breadcrumb">.*?</nav>', html).group(0)
    assert links(crumbs) == [("/", "Home"), ("/topics", "Topics")]
    assert crumbs.endswith('<span aria-current="page">Ports</span></nav>')


# ---------------------------------------------------------------- trailing slashes


@pytest.fixture
def site(make_section, make_topic, make_article, admin):
    city = make_section("City", slug="city")
    ports = make_topic("Ports", slug="ports")
    make_article(slug="harbour", section=city, topics=[ports])
    new_page(admin, "About us", "about")


@pytest.mark.usefixtures("site")
@pytest.mark.parametrize(
    ("asked", "target"),
    [
        ("/section/city/", "/section/city"),
        ("/section/city/?page=1&x=%C3%A9", "/section/city?page=1&x=%C3%A9"),
        ("/section/city///", "/section/city"),
        ("/topic/ports/", "/topic/ports"),
        ("/articles/harbour/?comments=1#c", "/articles/harbour?comments=1"),
        ("/about/", "/about"),
        ("/topics/", "/topics"),
        ("/authors/", "/authors"),
        ("/search/?q=harbour", "/search?q=harbour"),
        ("/feed.xml/", "/feed.xml"),
        ("/section/city/feed.xml/", "/section/city/feed.xml"),
    ],
)
def test_a_public_address_with_a_trailing_slash_redirects_to_it_without(client, asked, target):
    for method in ("GET", "HEAD"):
        response = client.open(asked, method=method)
        assert response.status_code == 301, (method, asked)
        assert response.headers["Location"] == target
    assert client.get(target).status_code == 200


@pytest.mark.usefixtures("site")
def test_only_an_existing_public_page_get_or_head_is_redirected(client, login, editor):
    for path in ("/nothing/here/", "/section/city/nowhere/", "/feed.xml/more/"):
        assert client.get(path).status_code == 404, path
    # Another method is not redirected: the address answers as before.
    assert client.post("/section/city/").status_code in (404, 405)
    assert client.post("/articles/harbour/comments/").status_code in (404, 405)
    # The editor area keeps its own addresses.
    for path in ("/editor/login/", "/editor/menus/", "/editor/sections/1/"):
        assert client.get(path).status_code == 404, path
    login(editor)
    assert client.get("/editor/sections/").status_code == 200
    assert client.get("/editor/").status_code == 200


@pytest.mark.usefixtures("site")
@pytest.mark.parametrize(
    "path",
    [
        "//evil.example/",
        "//evil.example//",
        "///evil.example/",
        "/\\evil.example/",
        "/%2F%2Fevil.example/",
        "//evil/",
        "///evil/?next=x",
        "/\t/evil/",
    ],
)
def test_a_trailing_slash_never_redirects_to_another_site(client, path):
    # Sent as the raw path: the test client would read "//host/" as a host of its own.
    response = client.get("/", environ_overrides={"PATH_INFO": path})
    location = response.headers.get("Location", "")
    if response.status_code == 301:
        assert re.fullmatch(r"/[A-Za-z0-9][^/\\]*", location.split("?")[0]), location
    else:
        assert response.status_code == 404 and not location
    assert not location.startswith(("//", "/\\", "http"))


# ------------------------------------------------------------------------ hostile text


def test_hostile_labels_and_topic_names_stay_text(client, login, admin, make_article):
    """The XSS corpus as menu labels (a menu's worth at a time) and as topic names: inert
    in the header, the footer, /topics and the admins' menus page."""
    for number, payload in enumerate(PAYLOADS):
        name = strip_control_characters(payload)[:70]  # as every form stores text
        make_article(topics=[Topic(name=f"{name} {number}", slug=f"t-{number}")])
    login(admin)
    per_round = menus.MAX_LINKS
    for start in range(0, len(PAYLOADS), per_round):
        added = []
        for number, payload in enumerate(PAYLOADS[start : start + per_round], start):
            label = " ".join(payload.split())[: menus.LABEL_LENGTH] or "x"
            for menu in ("header", "footer"):
                added.append(menus.add_link(admin, menu, "url", url=f"/n{number}", label=label))
        for path in ("/", "/topics", "/editor/menus"):
            assert active_content(text(client, path)) == [], (path, start)
        for link in added:
            menus.remove_link(admin, link.id)
    assert "&lt;script&gt;window.__xss=1&lt;/script&gt; 0</a>" in text(client, "/topics")
