"""A reader in Chromium: front page to article, every piece of the page, comment, reply, share."""

import re

from playwright.sync_api import expect

from blog.models import CommentStatus
from tests.browser.support import (
    article_facts,
    fill_comment,
    share_count,
    stay_local,
    unique,
)


def test_front_page_to_article_shows_every_piece(site, page):
    facts = article_facts(site, site.article_slug)
    page.goto("/")
    page.get_by_role("link", name=facts["title"], exact=True).first.click()
    expect(page).to_have_url(site.url(f"/articles/{site.article_slug}"))

    story = page.locator("article.story")
    expect(story.get_by_role("heading", level=1)).to_have_text(facts["title"])
    expect(story.locator(".byline-name")).to_have_text(facts["author"])
    expect(story.locator(".byline-details time")).to_have_attribute(
        "datetime", re.compile(r"^\d{4}-")
    )
    expect(story.locator(".reading-time")).to_have_text(re.compile(r"^\d+ min read$"))
    cover = story.locator("figure.cover img")
    expect(cover).to_have_attribute("alt", facts["cover_alt"])
    assert facts["cover_alt"]
    # decode() waits for the image to arrive (the page may still be loading) and fails
    # if it cannot be shown.
    loaded = "img => img.decode().then(() => img.naturalWidth > 0, () => false)"
    assert cover.evaluate(loaded), "cover did not load"
    expect(story.locator(".brief p")).to_have_text(facts["brief"])
    expect(story.locator(".article-body p").first).to_be_visible()
    topics = story.get_by_role("navigation", name="Topics").get_by_role("link")
    assert sorted(topics.all_inner_texts()) == facts["topics"]
    notes = story.get_by_role("region", name="Editor's Comments").locator(".editor-comment")
    expect(notes).to_have_count(facts["notes"])
    share = story.get_by_role("region", name="Share this article")
    for label in ("X", "Facebook", "LinkedIn", "Email", "Copy link"):
        expect(share.get_by_role("button", name=label, exact=True)).to_be_visible()
    related = page.get_by_role("region", name="Related Stories").locator(".card")
    assert related.count() >= 1
    thread = page.locator("#comments .comment-list > li.comment")
    assert thread.count() >= 2
    expect(page.locator("#comments-title")).to_have_text(re.compile(r"^\d+ Comments?$"))


def test_reader_comments_and_replies(site, page):
    site.age_reader_forms(page.context)
    name, body = unique("Rita Reader"), unique("A first comment from the browser")
    page.goto(f"/articles/{site.article_slug}")
    fill_comment(page, name, body, email=f"{name.replace(' ', '.').lower()}@readers.example")
    page.get_by_role("button", name="Post comment").click()
    expect(page).to_have_url(re.compile(r"#comment-\d+$"))
    mine = page.locator("li.comment-pending", has_text=body)
    expect(mine).to_be_visible()
    expect(mine.get_by_role("status")).to_have_text(re.compile("awaiting moderation"))
    with site.app.app_context():
        (posted,) = site.comments_by(name)
        assert posted.status == CommentStatus.PENDING

    # Reply to an approved reader comment: the link opens the form for that comment.
    first = page.locator("#comments li.comment:not(.comment-pending)").first
    parent_id = int(first.get_attribute("id").removeprefix("comment-"))
    parent_name = first.locator(".comment-author").first.inner_text()
    first.get_by_role("link", name=f"Reply to {parent_name}").first.click()
    expect(page.locator(".comment-form-title")).to_have_text(f"Reply to {parent_name}")
    reply = unique("A reply from the browser")
    fill_comment(page, name, reply)
    page.get_by_role("button", name="Post comment").click()
    expect(page.locator(f"#comment-{parent_id} li.comment", has_text=reply)).to_be_visible()
    with site.app.app_context():
        replies = [c for c in site.comments_by(name) if c.parent_id == parent_id]
        assert [(c.body_md, c.status) for c in replies] == [(reply, CommentStatus.PENDING)]


def test_reader_shares_and_copies_the_link(site, new_context):
    context = new_context(permissions=["clipboard-read", "clipboard-write"])
    refused = stay_local(context, site)
    page = context.new_page()
    page.goto(f"/articles/{site.article_slug}")
    share = page.locator("#share")
    total = share.locator(".share-total")

    before = share_count(site, site.article_slug)
    with page.expect_popup() as popup:
        share.get_by_role("button", name="X", exact=True).click()
    expect(total).to_have_text(str(before + 1))
    expect(share.get_by_role("status")).to_be_visible()
    expect(share.get_by_role("status")).to_contain_text("Thank you for sharing")
    popup.value.close()
    assert any(url.startswith("https://x.com/intent/post?") for url in refused), refused
    assert share_count(site, site.article_slug) == before + 1

    share.get_by_role("button", name="Copy link").click()
    expect(share.get_by_role("button", name="Link copied")).to_be_visible()
    expect(total).to_have_text(str(before + 2))
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied == site.url(f"/articles/{site.article_slug}")
