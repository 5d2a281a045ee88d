"""What static/js/comments.js and share.js add for readers: reply in place, remember me,
copy a comment's link, the edit page's deadline in local time with a destructive Delete,
and a share count that a cached page cannot take back; and the same pages without them.
Also where a jump to the thread or to a comment lands: not flush against the window's top."""

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from blog.extensions import db
from blog.models import Article, ArticleStatus, CommentStatus
from blog.templating import local_clock
from tests.browser.support import post_comment, share_count, stay_local, unique

READER_ZONE = "Asia/Kolkata"  # +05:30: no whole-hour offset can pass for it


def email_of(name: str) -> str:
    return f"{name.replace(' ', '.').lower()}@readers.example"


def open_edit_page(page: Page, comment_id: int) -> None:
    page.locator(f"#comment-{comment_id}").get_by_role("link", name="Edit or delete").click()
    expect(page.get_by_role("heading", name="Edit your comment")).to_be_visible()


def another_article(site) -> str:
    """A second published article with open comments, for what carries across articles."""
    with site.app.app_context():
        slug = db.session.scalar(
            select(Article.slug)
            .where(
                Article.status == ArticleStatus.PUBLISHED,
                Article.comments_open.is_(True),
                Article.id != site.article_id,
            )
            .order_by(Article.published_at.desc())
        )
        db.session.remove()
    assert slug, "the demo site has only one article open for comments"
    return slug


def status_of(site, comment_id: int) -> str:
    from blog.models import Comment

    with site.app.app_context():
        status = db.session.get(Comment, comment_id).status
        db.session.remove()
    return status


# Every browser test is one reader (127.0.0.1), counted once per article, network and day:
# no other test shares the first article to Telegram, nor copies the second one's link
# (tests/browser/test_reader.py copies the first one's).
SHARED = {"Telegram": "first", "Copy link": "second"}


@pytest.mark.parametrize("button", SHARED)
def test_share_count_survives_a_reload_of_the_cached_page(site, new_context, button):
    copies = button == "Copy link"
    context = new_context(permissions=["clipboard-read", "clipboard-write"] if copies else [])
    stay_local(context, site)
    page = context.new_page()
    slug = another_article(site) if SHARED[button] == "second" else site.article_slug
    path = f"/articles/{slug}"
    page.goto(path)  # the page is now in the cache, with the count of this moment
    total = page.locator("#share .share-total")
    before = share_count(site, slug)

    share = page.locator("#share").get_by_role("button", name=button, exact=True)
    if copies:  # bug 6 as reported: Copy link showed 44 → 45, a reload 44 again
        share.click()
        expect(page.locator("#share").get_by_role("button", name="Link copied")).to_be_visible()
    else:
        with page.expect_popup() as popup:
            share.click()
        popup.value.close()
    expect(total).to_have_text(str(before + 1))
    assert share_count(site, slug) == before + 1
    cached = page.request.get(site.url(path))
    assert cached.headers.get("x-cache") == "hit", "the test needs the page from the cache"
    assert f'<span class="share-total">{before + 1}</span>' not in cached.text()

    page.reload()
    expect(total).to_have_text(str(before + 1))
    expect(page.locator("#share .share-noun")).to_have_text("share" if before == 0 else "shares")


def test_edit_page_shows_local_time_minutes_left_and_a_destructive_delete(site, new_context):
    context = new_context(timezone_id=READER_ZONE, locale="en-GB")
    site.age_reader_forms(context)
    page = context.new_page()
    page.clock.install()  # the page's clock runs as usual until the test moves it on
    page.goto(f"/articles/{site.article_slug}")
    name = unique("Zia Zone")
    comment_id = post_comment(page, name, unique("A comment to edit"), email_of(name))
    open_edit_page(page, comment_id)

    deadline = page.locator(".comment-edit-window time")
    closes_at = datetime.fromisoformat(deadline.get_attribute("datetime"))
    assert closes_at.utcoffset() == timedelta(0)
    local = closes_at.astimezone(ZoneInfo(READER_ZONE)).strftime("%H:%M")
    expect(deadline).to_have_text(re.compile(rf"^{local}\b"))
    expect(deadline).not_to_contain_text("UTC")
    left = page.locator(".comment-time-left")
    expect(left).to_have_text(re.compile(r"^1[45] minutes left$"))
    page.clock.run_for("10:00")
    expect(left).to_have_text(re.compile(r"^[45] minutes left$"))

    save = page.get_by_role("button", name="Save changes")
    delete = page.get_by_role("button", name="Delete this comment")
    style = "el => { const s = getComputedStyle(el); return [s.backgroundColor, s.color]; }"
    save_look, delete_look = save.evaluate(style), delete.evaluate(style)
    assert delete_look[0] != save_look[0], (save_look, delete_look)
    red, green, blue = (int(c) for c in re.findall(r"\d+", delete_look[0])[:3])
    assert red > green + 60 and red > blue + 60, f"Delete is not red: {delete_look}"

    asked: list[str] = []

    def answer(accept: bool):
        def handle(dialog) -> None:
            asked.append(dialog.message)
            dialog.accept() if accept else dialog.dismiss()

        return handle

    page.once("dialog", answer(False))
    delete.click()
    expect(page.get_by_role("heading", name="Edit your comment")).to_be_visible()
    assert asked == ["Delete this comment? This cannot be undone."]
    assert status_of(site, comment_id) == CommentStatus.PENDING

    page.once("dialog", answer(True))
    delete.click()
    expect(page).to_have_url(re.compile(r"#comments$"))
    assert status_of(site, comment_id) == CommentStatus.DELETED


def test_edit_page_without_javascript_gives_site_time_and_deletes_at_once(site, nojs_page):
    page = nojs_page
    site.age_reader_forms(page.context)
    page.goto(f"/articles/{site.article_slug}")
    expect(page.locator(".comment-remember")).to_be_hidden()
    expect(page.locator(".comment-copy-link")).to_have_count(0)
    name = unique("Noor NoScript")
    comment_id = post_comment(page, name, unique("Edited without scripts"), email_of(name))
    open_edit_page(page, comment_id)

    deadline = page.locator(".comment-edit-window time")
    closes_at = datetime.fromisoformat(deadline.get_attribute("datetime"))
    with site.app.app_context():
        expect(deadline).to_have_text(local_clock(closes_at))
    expect(page.locator(".comment-time-left")).to_have_text(re.compile(r"^1[45] minutes left$"))
    page.get_by_role("button", name="Delete this comment").click()
    expect(page).to_have_url(re.compile(r"#comments$"))
    assert status_of(site, comment_id) == CommentStatus.DELETED


def test_reply_opens_under_the_comment_and_posts_there(site, page):
    site.age_reader_forms(page.context)
    page.goto(f"/articles/{site.article_slug}")
    page.evaluate("window.sameDocument = true")
    form = page.locator("#comment-form")
    title = form.locator(".comment-form-title")
    parent_field = form.locator('input[name="parent_id"]')
    draft = unique("Typed before choosing whom to answer")
    page.get_by_label("Comment", exact=True).fill(draft)

    approved = page.locator("#comments li.comment:not(.comment-pending)")
    parent = approved.nth(1)
    parent_id = int(parent.get_attribute("id").removeprefix("comment-"))
    parent_name = parent.locator(".comment-author").first.inner_text()
    parent.get_by_role("link", name=f"Reply to {parent_name}").first.click()

    expect(parent.locator(":scope > #comment-form")).to_have_count(1)
    expect(title).to_have_text(f"Reply to {parent_name}")
    expect(parent_field).to_have_value(str(parent_id))
    expect(page.get_by_label("Comment", exact=True)).to_be_focused()
    expect(page.get_by_label("Comment", exact=True)).to_have_value(draft)
    assert page.evaluate("window.sameDocument === true"), "Reply loaded a new page"
    assert "reply=" not in page.url

    page.get_by_role("button", name="Cancel reply").click()
    expect(page.locator("#comments > #comment-form")).to_have_count(1)
    expect(title).to_have_text("Leave a comment")
    expect(parent_field).to_have_value("")
    expect(page.get_by_label("Comment", exact=True)).to_have_value(draft)
    expect(page.get_by_role("button", name="Cancel reply")).to_have_count(0)

    parent.get_by_role("link", name=f"Reply to {parent_name}").first.click()
    expect(parent.locator(":scope > #comment-form")).to_have_count(1)
    name = unique("Ines Inline")
    reply = unique("A reply written in place")
    post_comment(page, name, reply, email_of(name))
    expect(page.locator(f"#comment-{parent_id} li.comment", has_text=reply)).to_be_visible()
    with site.app.app_context():
        assert [(c.parent_id, c.body_md) for c in site.comments_by(name)] == [(parent_id, reply)]


def test_remember_me_fills_the_next_article_and_forgets_when_unticked(site, page):
    site.age_reader_forms(page.context)
    name = unique("Remy Remembered")
    first, second = f"/articles/{site.article_slug}", f"/articles/{another_article(site)}"
    page.goto(first)
    remember = page.get_by_label("Remember my name and e-mail on this device")
    expect(remember).to_be_visible()
    expect(remember).not_to_be_checked()
    remember.check()
    post_comment(page, name, unique("Remember me, please"), email_of(name))

    page.goto(second)
    expect(page.get_by_label("Name", exact=True)).to_have_value(name)
    expect(page.get_by_label("E-mail (optional, never shown)")).to_have_value(email_of(name))
    expect(remember).to_be_checked()
    assert not any(name in cookie["value"] for cookie in page.context.cookies())

    remember.uncheck()
    post_comment(page, None, unique("Forget me now"))
    page.goto(first)
    expect(page.get_by_label("Name", exact=True)).to_have_value("")
    expect(page.get_by_label("E-mail (optional, never shown)")).to_have_value("")
    expect(remember).not_to_be_checked()
    with site.app.app_context():
        assert [c.author_email for c in site.comments_by(name)] == [email_of(name)] * 2


def test_copy_a_comments_link(site, new_context):
    page = new_context(permissions=["clipboard-read", "clipboard-write"]).new_page()
    # The link keeps the thread's order (and page), not the reply the form was opened for.
    page.goto(f"/articles/{site.article_slug}?sort=newest&reply=0")
    comment = page.locator("#comments li.comment:not(.comment-pending)").first
    comment_id = comment.get_attribute("id").removeprefix("comment-")
    author = comment.locator(".comment-author").first.inner_text()
    button = comment.locator(".comment-header button.comment-copy-link").first
    expect(button).to_have_accessible_name(f"Copy link to {author}’s comment")
    button.click()
    expect(page.locator("#comments > [role=status]")).to_have_text("Link to the comment copied.")
    expect(button).to_contain_text("Link copied")
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied == site.url(f"/articles/{site.article_slug}?sort=newest#comment-{comment_id}")


# A jump lands with this much room above its target, at least (scroll-margin-top).
ROOM_ABOVE = 16
LANDED = """el => {
  const box = el.getBoundingClientRect();
  const s = getComputedStyle(el);
  const outline = parseFloat(s.outlineOffset) + parseFloat(s.outlineWidth);
  const frame = s.outlineStyle === "none" ? 0 : outline;
  return {top: box.top - frame, scrolled: window.scrollY};
}"""


def test_a_jump_to_the_thread_or_a_comment_leaves_room_above_it(site, page):
    page.goto(f"/articles/{site.article_slug}")
    page.locator(".byline-comments").click()
    expect(page).to_have_url(re.compile(r"#comments$"))
    landed = page.locator("#comments").evaluate(LANDED)
    assert landed["scrolled"] > 0 and ROOM_ABOVE <= landed["top"] <= 3 * ROOM_ABOVE, landed

    first = page.locator("#comments li.comment").first
    page.goto(f"/articles/{site.article_slug}#{first.get_attribute('id')}")
    # The highlighted frame of the comment the permalink leads to, outline included.
    landed = first.locator("> article").evaluate(LANDED)
    assert landed["scrolled"] > 0 and ROOM_ABOVE <= landed["top"] <= 3 * ROOM_ABOVE, landed
