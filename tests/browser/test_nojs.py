"""With JavaScript off, the reader's forms still do the work: comment, reply, share, search."""

import re

from playwright.sync_api import expect

from blog.models import CommentStatus
from tests.browser.support import fill_comment, share_count, unique


def test_comment_and_reply_without_javascript(site, nojs_page):
    page = nojs_page
    site.age_reader_forms(page.context)
    assert page.goto(f"/articles/{site.article_slug}").ok
    name, body = unique("Nell NoScript"), unique("Posted with scripts turned off")
    fill_comment(page, name, body, email=f"{name.replace(' ', '.').lower()}@readers.example")
    page.get_by_role("button", name="Post comment").click()
    expect(page).to_have_url(re.compile(r"#comment-\d+$"))
    expect(page.locator("li.comment-pending", has_text=body)).to_be_visible()

    parent = page.locator("#comments li.comment:not(.comment-pending)").first
    parent_id = int(parent.get_attribute("id").removeprefix("comment-"))
    parent.get_by_role("link", name=re.compile(r"^Reply")).first.click()
    reply = unique("A reply with scripts turned off")
    fill_comment(page, name, reply)
    page.get_by_role("button", name="Post comment").click()
    expect(page.locator(f"#comment-{parent_id} li.comment", has_text=reply)).to_be_visible()
    with site.app.app_context():
        posted = [(c.parent_id, c.status) for c in site.comments_by(name)]
    assert posted == [(None, CommentStatus.PENDING), (parent_id, CommentStatus.PENDING)]


def test_share_and_search_without_javascript(site, nojs_page):
    page = nojs_page
    page.goto(f"/articles/{site.article_slug}")
    share = page.locator("#share")
    # The buttons that need a script stay hidden; the network buttons are plain forms.
    expect(share.get_by_role("button", name="Copy link")).to_be_hidden()
    before = share_count(site, site.article_slug)
    # The e-mail button: its form counts the share, then sends the reader to a mailto:
    # link (the other networks' pages are outside this test's reach).
    action = site.url(f"/articles/{site.article_slug}/share/email")
    with page.expect_response(action) as answer:
        share.get_by_role("button", name="Email").click()
    assert answer.value.status == 303
    assert answer.value.headers["location"].startswith("mailto:?subject=")
    assert share_count(site, site.article_slug) == before + 1

    page.get_by_role("searchbox", name="Search stories").fill("ferry")
    page.get_by_role("button", name="Search", exact=True).click()
    expect(page).to_have_url(re.compile(r"/search\?q=ferry"))
    expect(page.locator(".search-summary")).to_have_text(
        re.compile(r"^\s*\d+ results? for “ferry”")
    )
