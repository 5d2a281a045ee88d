"""The lists of stories kept between renders (blog/fragments.py): the front page, the
section, topic and author listings, search results and the Atom feeds. Once kept, a page
loads none of its stories again; a change to a story shows on every one of them at once,
and the front page is kept no longer than the first editor's pick on it lasts."""

from datetime import timedelta

import pytest
from sqlalchemy import select, update

from blog import fragments
from blog.extensions import db
from blog.models import FrontPagePick, Role
from blog.models.base import utcnow
from blog.services import curation
from tests.harness import rebuilt

TOP_STORIES = "Top stories"
# What loads a list of stories: newest first (front page, listings, feeds) or best match.
LOADING_STORIES = ("ORDER BY articles.published_at DESC", "articles_fts", "search_vector")


@pytest.fixture
def app(app):
    """The suite's app with the page cache off: every request renders, from its kept
    fragments where it has them."""
    with rebuilt(app, PAGE_CACHE=False) as rendering:
        yield rendering


def render(client, count_queries, path: str) -> tuple[str, list[str]]:
    """The page's HTML and the statements it ran."""
    with count_queries() as counter:
        response = client.get(path)
    assert response.status_code == 200, path
    return response.get_data(as_text=True), counter.statements


def loads_stories(statements: list[str]) -> bool:
    return any(part in " ".join(sql.split()) for sql in statements for part in LOADING_STORIES)


def test_a_change_to_a_story_shows_at_once_on_every_kept_page(
    client, count_queries, make_article, make_section, make_topic, make_user
):
    section, topic, author = make_section(), make_topic(), make_user()
    story = make_article(
        "Harbour ferry returns",
        body="Harbour news.",
        brief="Boats again.",
        section=section,
        topics=[topic],
        author=author,
    )
    make_article("Another story", section=section, topics=[topic], author=author)
    paths = [
        "/",
        f"/section/{section.slug}",
        f"/topic/{topic.slug}",
        f"/author/{author.slug}",
        "/search?q=harbour",
        "/feed.xml",
        f"/section/{section.slug}/feed.xml",
        f"/topic/{topic.slug}/feed.xml",
    ]
    for path in paths:
        first, rendered = render(client, count_queries, path)
        again, kept = render(client, count_queries, path)
        assert again == first and "ferry returns" in first, path
        assert loads_stories(rendered) and not loads_stories(kept), path

    story.title = "Harbour ferry delayed"
    db.session.commit()
    for path in paths:
        html, _ = render(client, count_queries, path)
        assert "ferry delayed" in html and "ferry returns" not in html, path


def front_key(app) -> str:
    with app.test_request_context("/"):
        return fragments.key("front")


def test_the_kept_front_page_ends_when_a_pick_on_it_ends(
    app, client, count_queries, make_article, make_user
):
    editor = make_user(Role.EDITOR)
    make_article("Fresh story")
    pinned = make_article("Pinned story", published_at=utcnow() - timedelta(days=2))
    curation.pin(editor, pinned, until=utcnow() + timedelta(seconds=30))  # before the TTL
    html, rendered = render(client, count_queries, "/")
    assert TOP_STORIES in html
    again, kept = render(client, count_queries, "/")
    assert again == html and loads_stories(rendered) and not loads_stories(kept)

    store = app.extensions["byline_fragments"]
    generation, kept_html, until = store.get(front_key(app))
    assert until == db.session.scalar(select(FrontPagePick.expires_at))

    # Time passes: the pick's end comes without a write any page would notice, and the
    # kept front page is then one whose end has come.
    db.session.execute(
        update(FrontPagePick)
        .values(expires_at=utcnow() - timedelta(seconds=1))
        .execution_options(page_cache_quiet=True)
    )
    db.session.commit()
    store.set(front_key(app), (generation, kept_html, utcnow() - timedelta(seconds=1)))
    html, _ = render(client, count_queries, "/")
    assert TOP_STORIES not in html  # the pinned story is among the latest again


def test_a_page_cached_from_the_kept_front_page_lasts_no_longer_than_its_pick(
    app, client, make_article, make_user, second_worker, monkeypatch
):
    editor = make_user(Role.EDITOR)
    make_article("Fresh story")
    pinned = make_article("Pinned story", published_at=utcnow() - timedelta(days=2))
    curation.pin(editor, pinned, until=utcnow() + timedelta(seconds=30))
    assert TOP_STORIES in client.get("/").get_data(as_text=True)  # kept, for 30 s

    # A worker that caches pages, on the same store: its front page is the kept one.
    caching = second_worker(app, PAGE_CACHE=True)
    cache = caching.extensions["byline_page_cache"]
    assert cache.ttl > 30
    kept_for: dict[str, int] = {}
    store = cache.store.set

    def remember(key, entry, timeout):
        kept_for[key] = timeout
        return store(key, entry, timeout=timeout)

    monkeypatch.setattr(cache.store, "set", remember)
    response = caching.test_client().get("/")
    assert response.headers["X-Cache"] == "miss"
    assert TOP_STORIES in response.get_data(as_text=True)
    # Only the page was stored (its stories were kept), and until the pick ends.
    ((key, timeout),) = kept_for.items()
    assert key.startswith("page:") and 0 < timeout <= 30
