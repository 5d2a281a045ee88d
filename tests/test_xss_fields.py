"""Every field a page shows, filled with the XSS corpus through the services, on every page.

One test per engine, as seeding the corpus into every field takes most of its time.
"""

from urllib.parse import quote

from blog.services import settings
from tests.xss_corpus import PAYLOADS, active_content, feed_active_content
from tests.xss_site import SEARCH_WORD, seed, text_settings

EDITOR_PAGE_SIZE = 25
EDIT_PAGE_STRIDE = 5
SETTINGS_GROUP = 8  # payloads per round of settings (the longest fields hold them all)


def check_page(client, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200, path
    body = response.get_data(as_text=True)
    if path.endswith(".xml"):
        assert feed_active_content(body) == [], path
    else:
        assert active_content(body) == [], path
    return body


def editor_paths(site) -> list[str]:
    paths = ["/editor/", "/editor/users/", "/editor/sections/", "/editor/topics/"]
    paths += ["/editor/settings", "/editor/pages/"]
    for page in range(1, -(-len(site.articles) // EDITOR_PAGE_SIZE) + 1):
        paths += [f"/editor/articles/?page={page}", f"/editor/comments/?status=all&page={page}"]
    # The edit form shows the same fields as the list; every fifth is enough there.
    paths += [f"/editor/articles/{a.id}" for a in site.articles[::EDIT_PAGE_STRIDE]]
    paths += [f"/editor/pages/{page.id}" for page in site.pages[::EDIT_PAGE_STRIDE]]
    return paths


def test_every_field_holds_the_corpus_inert_on_every_page(app, client, login, admin):
    app.config.update(PAGE_SIZE=len(PAYLOADS), FEED_SIZE=len(PAYLOADS))
    site = seed(PAYLOADS, admin)
    checked = 0

    # Public pages and feeds: each field's own page, listings, front page, search.
    for path in site.public_paths():
        check_page(client, path)
        checked += 1
    search = check_page(client, f"/search?q={SEARCH_WORD}")
    # Every title highlighted, and the snippets (PostgreSQL's ts_headline may pick a
    # fragment of a few snippets without the word).
    assert search.count("<mark>") >= len(PAYLOADS) + len(PAYLOADS) * 9 // 10
    article = check_page(client, f"/articles/{site.articles[0].slug}")
    for text in ("&lt;script&gt;window.__xss=1&lt;/script&gt;", "comment-body", "figcaption"):
        assert text in article  # the payload arrived, as text
    assert "&amp;lt;script&amp;gt;window.__xss=1" in check_page(client, "/feed.xml")
    page = check_page(client, f"/{site.pages[0].slug}")
    assert "&lt;script&gt;window.__xss=1&lt;/script&gt;" in page and "figcaption" in page

    # The search query, echoed in the box, the title and the summary, beside a word that
    # finds every article (so the highlighted snippets are on the page too).
    for payload in PAYLOADS:
        check_page(client, f"/search?q={quote(SEARCH_WORD + ' ' + payload)}")
        checked += 1

    # Every text setting, a few payloads at a time, where the layout and feeds show them.
    for start in range(0, len(PAYLOADS), SETTINGS_GROUP):
        settings.update(**text_settings(" ".join(PAYLOADS[start : start + SETTINGS_GROUP])))
        for path in ("/", f"/articles/{site.articles[0].slug}", "/feed.xml", "/search?q=x"):
            check_page(client, path)
            checked += 1

    # The newsroom's pages, which show the same fields to editors.
    settings.update(**text_settings(" ".join(PAYLOADS)[: settings.TEXT_LIMITS["about"]]))
    login(admin)
    for path in editor_paths(site):
        check_page(client, path)
        checked += 1
    rounds = -(-len(PAYLOADS) // SETTINGS_GROUP)
    edit_pages = -(-len(PAYLOADS) // EDIT_PAGE_STRIDE)
    comment_feeds = len(site.articles)
    assert (
        checked
        == len(PAYLOADS) * (7 + 1) + comment_feeds + 2 * edit_pages + 5 + 4 * rounds + 6 + 2 * 7
    )
