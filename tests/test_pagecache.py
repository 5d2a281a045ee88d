"""The anonymous page cache: what it serves, to whom, and how changes show at once."""

import re
from datetime import date

import pytest
from sqlalchemy import select

from blog import formguard, pagecache, pagechanges
from blog.comments.ownership import COOKIE_NAME
from blog.extensions import db
from blog.models import ArticleStatus, Comment, CommentStatus
from blog.services import (
    moderation,
    notes,
    profiles,
    publishing,
    settings,
    shares,
    taxonomy,
)
from blog.services.moderation import ModerationAction
from tests.harness import publish
from tests.test_comments import TOKEN_FIELD, post_comment


def fetch(client, path: str, **kwargs):
    response = client.get(path, **kwargs)
    assert response.status_code == 200, response.status_code
    return response


def cached_twice(client, path: str):
    """Fetch a page until it comes from the cache; return that response."""
    fetch(client, path)
    response = fetch(client, path)
    assert response.headers["X-Cache"] == "hit", path
    return response


def only_comment(article) -> Comment:
    return db.session.scalars(select(Comment).where(Comment.article_id == article.id)).one()


@pytest.fixture
def story(make_article):
    return make_article("The harbour reopens", slug="harbour")


PUBLIC_PAGES = ["/", "/articles/harbour", "/section/{section}", "/author/{author}", "/feed.xml"]


@pytest.mark.parametrize("template", PUBLIC_PAGES)
def test_a_second_anonymous_visit_is_served_without_the_database(
    client, story, count_queries, template
):
    path = template.format(section=story.section.slug, author=story.author.slug)
    first = fetch(client, path)
    assert first.headers["X-Cache"] == "miss"
    with count_queries() as counter:
        second = fetch(client, path)
    assert second.headers["X-Cache"] == "hit"
    assert counter.count == 0
    assert second.get_data() == first.get_data()
    assert second.headers["ETag"] == first.headers["ETag"]


def test_search_results_and_topic_pages_are_cached_per_address(client, make_article, make_topic):
    make_article("Cranes return", topics=[make_topic("Ports", slug="ports")])
    cached_twice(client, "/topic/ports")
    hit = cached_twice(client, "/search?q=cranes")
    assert "Cranes" in hit.get_data(as_text=True)
    other = fetch(client, "/search?q=harbour")
    assert other.headers["X-Cache"] == "miss"


def test_changes_to_public_content_show_at_once(client, story, editor, make_comment):
    section, author = story.section, story.author
    checks = []

    def change(label, action, path, expected):
        checks.append((label, path))
        cached_twice(client, path)
        action()
        response = fetch(client, path)
        assert response.headers["X-Cache"] == "miss", label
        assert expected in response.get_data(as_text=True), label

    def retitle():
        story.title = "The harbour reopens to ferries"
        db.session.commit()

    change("article edit", retitle, "/", "reopens to ferries")
    change(
        "editor's comment",
        lambda: notes.add_note(story, editor, "Updated with a statement from the port."),
        "/articles/harbour",
        "a statement from the port",
    )
    held = make_comment(story, "Ferries at last!", status=CommentStatus.PENDING)
    change(
        "comment approval",
        lambda: moderation.moderate([held.id], ModerationAction.APPROVE),
        "/articles/harbour",
        "Ferries at last!",
    )
    change(
        "settings",
        lambda: settings.update(site_title="The Harbour Post"),
        "/articles/harbour",
        "The Harbour Post",
    )
    change(
        "section rename",
        lambda: taxonomy.update_section(section, "Waterfront", section.slug, ""),
        "/",
        "Waterfront",
    )
    change(
        "author profile",
        lambda: profiles.update_profile(author, display_name="Ada Lovelace", bio="Port reporter."),
        f"/author/{author.slug}",
        "Port reporter.",
    )

    def unpublish():
        story.status = ArticleStatus.DRAFT
        db.session.commit()

    cached_twice(client, "/articles/harbour")
    unpublish()
    assert client.get("/articles/harbour").status_code == 404
    assert "harbour" not in fetch(client, "/").get_data(as_text=True)
    assert len(checks) == 6


def test_a_held_comment_or_a_share_keeps_the_cached_pages(client, story):
    cached_twice(client, "/")
    posted = post_comment(client, story, name="New Reader", body="First time here.")
    assert posted.status_code == 303
    assert only_comment(story).status == CommentStatus.PENDING
    counted = shares.record_share(story, "x", client_key="reader-1", day=date.today())
    assert counted
    anonymous = client.application.test_client()  # without the poster's cookie
    assert fetch(anonymous, "/").headers["X-Cache"] == "hit"


def test_pages_for_signed_in_staff_are_never_cached_nor_served_from_the_cache(
    client, app, story, editor, login
):
    anonymous = cached_twice(app.test_client(), "/articles/harbour")
    login(editor)
    staff = fetch(client, "/articles/harbour")
    assert "X-Cache" not in staff.headers
    assert "no-store" in staff.headers["Cache-Control"]
    assert staff.get_data() != anonymous.get_data()  # the staff page has their own form
    assert "X-Cache" not in fetch(client, "/articles/harbour").headers


def test_a_reader_with_their_own_comments_gets_a_private_page(client, app, story):
    cached_twice(app.test_client(), "/articles/harbour")
    post_comment(client, story, name="Rosa Reader", body="Pending words of mine.")
    assert COOKIE_NAME in {cookie.key for cookie in client._cookies.values()}
    own = fetch(client, "/articles/harbour")
    assert "X-Cache" not in own.headers
    assert "private" in own.headers["Cache-Control"]
    assert "Pending words of mine." in own.get_data(as_text=True)


def test_the_comment_form_works_on_a_cached_page(client, story):
    page = cached_twice(client, "/articles/harbour").get_data(as_text=True)
    token = TOKEN_FIELD.search(page).group(1)
    assert formguard.token_age(token, "comment", story.id) >= 0  # signed for this article
    response = post_comment(client, story, token=token, body="Posted from a cached page.")
    assert response.status_code == 303
    assert only_comment(story).body_md == "Posted from a cached page."


def test_validators_answer_304_and_say_vary_cookie(client, story):
    first = fetch(client, "/articles/harbour")
    assert first.headers["Vary"] == "Cookie, Accept-Encoding"
    assert "no-cache" in first.headers["Cache-Control"]
    assert first.headers["Last-Modified"]
    for validator in (
        {"If-None-Match": first.headers["ETag"]},
        {"If-Modified-Since": first.headers["Last-Modified"]},
    ):
        again = client.get("/articles/harbour", headers=validator)
        assert again.status_code == 304
        assert again.get_data() == b""
    changed = client.get("/articles/harbour", headers={"If-None-Match": '"something-else"'})
    assert changed.status_code == 200


def test_error_pages_are_not_cached(client, story):
    for _ in range(2):
        response = client.get("/articles/no-such-story")
        assert response.status_code == 404
        assert "X-Cache" not in response.headers


def test_the_cache_can_be_switched_off(app, story, second_worker):
    off = second_worker(app, PAGE_CACHE=False)
    client = off.test_client()
    for _ in range(2):
        response = client.get("/articles/harbour")
        assert response.status_code == 200
        assert "X-Cache" not in response.headers
        assert response.headers["ETag"]


def test_workers_of_one_server_share_their_cached_pages(client, app, story, second_worker):
    fetch(client, "/articles/harbour")  # rendered and stored by this worker
    other = second_worker(app).test_client()
    assert fetch(other, "/articles/harbour").headers["X-Cache"] == "hit"


def test_workers_of_one_server_share_the_generation(client, app, story, second_worker):
    other = second_worker(app)
    other_client = other.test_client()
    cached_twice(other_client, "/articles/harbour")
    story.title = "Ferries are back"
    db.session.commit()  # made through this worker
    assert "Ferries are back" in fetch(other_client, "/articles/harbour").get_data(as_text=True)


def test_with_redis_servers_share_pages_and_invalidation(app, story, redis_config, second_worker):
    first = second_worker(app, **redis_config)
    second = second_worker(app, **redis_config)
    fetch(first.test_client(), "/articles/harbour")
    assert fetch(second.test_client(), "/articles/harbour").headers["X-Cache"] == "hit"
    story_id = story.id  # read here: inside another app, this session would use its engine
    with second.app_context():
        retitled = db.session.get(type(story), story_id)
        retitled.title = "Harbour news from the second server"
        db.session.commit()
    page = fetch(first.test_client(), "/articles/harbour")
    assert page.headers["X-Cache"] == "miss"
    assert "from the second server" in page.get_data(as_text=True)


def test_an_unreachable_redis_serves_pages_uncached(app, story, second_worker):
    down = second_worker(app, REDIS_URL="redis://127.0.0.1:9/0")
    client = down.test_client()
    for _ in range(2):
        response = client.get("/articles/harbour")
        assert response.status_code == 200
        assert "X-Cache" not in response.headers
    story_id = story.id  # read here: inside another app, this session would use its engine
    with down.app_context():
        retitled = db.session.get(type(story), story_id)
        retitled.title = "Still saved without the cache"
        db.session.commit()  # the new generation cannot be stored; the save stands
    assert "Still saved" in fetch(client, "/articles/harbour").get_data(as_text=True)


def test_what_counts_as_a_public_change(app, story, make_comment):
    session = db.session
    story.share_count += 1
    assert pagechanges.changed_generations(session) == set()
    held = make_comment(story, status=CommentStatus.PENDING)
    held.status = CommentStatus.APPROVED
    assert pagechanges.changed_generations(session) == {pagecache.article_generation("harbour")}
    story.brief = "A new brief."
    assert pagecache.SITE_GENERATION in pagechanges.changed_generations(session)
    session.rollback()


def test_an_approved_comment_retires_only_its_articles_pages(client, story, make_article):
    other = make_article("Ferry timetable", slug="ferry")
    for path in ("/", "/articles/harbour", "/articles/harbour?comments=1", "/articles/ferry"):
        cached_twice(client, path)
    post_comment(client.application.test_client(), story, body="Open at last.")
    held = only_comment(story)
    moderation.moderate([held.id], ModerationAction.APPROVE)
    page = fetch(client, "/articles/harbour")
    assert page.headers["X-Cache"] == "miss"
    assert "Open at last." in page.get_data(as_text=True)
    assert fetch(client, "/articles/harbour?comments=1").headers["X-Cache"] == "miss"
    assert fetch(client, "/articles/ferry").headers["X-Cache"] == "hit"
    assert fetch(client, "/").headers["X-Cache"] == "hit"  # its count may lag by the TTL
    assert other.slug == "ferry"


def test_a_session_cookie_alone_bypasses_the_cache(client, story):
    cached_twice(client, "/")
    with client.session_transaction() as session:
        session["anything"] = "x"
    assert "X-Cache" not in fetch(client, "/").headers


STATIC = re.compile(r'href="(/static/css/site\.[0-9a-f]{12}\.css)"')


def test_static_files_have_fingerprinted_names_cached_for_a_year(client, story):
    page = fetch(client, "/").get_data(as_text=True)
    url = STATIC.search(page).group(1)
    with client.get(url) as response:
        assert response.status_code == 200
        assert response.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    with client.get("/static/css/site.000000000000.css") as stale:  # from before a deploy
        assert stale.status_code == 200
        assert "no-cache" in stale.headers["Cache-Control"]
    assert client.get("/static/css/missing.000000000000.css").status_code == 404
    assert client.get("/static/../blog/config.py").status_code == 404


def test_a_comment_published_at_once_shows_at_once(client, story):
    settings.save(moderation_policy="none")
    cached_twice(client, "/articles/harbour")
    reader = client.application.test_client()
    posted = post_comment(reader, story, email="rosa@example.org", body="Known reader again.")
    assert posted.status_code == 303
    page = fetch(client, "/articles/harbour")
    assert page.headers["X-Cache"] == "miss"
    assert "Known reader again." in page.get_data(as_text=True)


def test_saving_a_draft_keeps_the_cached_pages(client, story, editor, make_article):
    draft = make_article("Work in progress", status=ArticleStatus.DRAFT, slug="wip")
    cached_twice(client, "/")
    changes = publishing.ArticleChanges(
        title="Still in progress", brief="A brief.", body="More words.", section_id=draft.section_id
    )
    publishing.update_article(draft, changes, actor=editor, expected_version=draft.version)
    assert fetch(client, "/").headers["X-Cache"] == "hit"
    publish(draft, changes, editor)
    page = fetch(client, "/")
    assert page.headers["X-Cache"] == "miss"
    assert "Still in progress" in page.get_data(as_text=True)


def test_only_the_configured_prefix_and_site_host_are_cached(app, story, second_worker):
    """A page's links start at the request's prefix and host (canonical links, search):
    under APPLICATION_ROOT and SITE_URL's host it is cached, under any other never."""
    mounted = second_worker(app, APPLICATION_ROOT="/news").test_client()  # SCRIPT_NAME /news
    page = cached_twice(mounted, "/")
    assert 'href="/news/articles/harbour"' in page.get_data(as_text=True)
    assert "X-Cache" not in fetch(mounted, "/", base_url="http://byline.test/").headers

    site = second_worker(app, SITE_URL="http://byline.test").test_client()
    cached_twice(site, "/articles/harbour")
    for _ in range(2):
        forged = fetch(site, "/articles/harbour", headers={"Host": "evil.example"})
        assert "X-Cache" not in forged.headers


def test_a_held_run_of_commits_retires_the_pages_once_on_the_way_out(app, client, story):
    """An import commits item by item inside holding(): the cached pages stay until it
    ends, then one new generation retires them, even when the run ends in an error."""
    cache = app.extensions["byline_page_cache"]
    cached_twice(client, "/")
    with pytest.raises(RuntimeError), cache.holding():
        story.title = "The harbour reopens at dawn"
        db.session.commit()
        assert client.get("/").headers["X-Cache"] == "hit"  # put off while held
        raise RuntimeError("the run stops")
    page = fetch(client, "/")
    assert page.headers["X-Cache"] == "miss"
    assert "at dawn" in page.get_data(as_text=True)
    assert cache.held is None
