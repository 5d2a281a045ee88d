"""The moderation queue's "select all" box on a phone: it ticks and clears every row's
box, shows a partial choice, and the bulk action then applies to the rows ticked. Without
JavaScript it is not shown, and each row's box still works."""

from playwright.sync_api import expect

from blog.extensions import db
from blog.models import Comment, CommentStatus
from tests.browser.support import sign_in, unique

PHONE = {"width": 390, "height": 844}


def held_comments(site, email: str, count: int) -> list[int]:
    """Readers' comments waiting in the queue, all from one e-mail address."""
    with site.app.app_context():
        comments = []
        for _ in range(count):
            comment = Comment(
                article_id=site.article_id,
                author_name=unique("Select Reader"),
                author_email=email,
                status=CommentStatus.PENDING,
                depth=1,
            )
            comment.set_body(unique("Held for the select-all check"))
            comments.append(comment)
        db.session.add_all(comments)
        db.session.commit()
        ids = [comment.id for comment in comments]
        db.session.remove()
        return ids


def statuses(site, ids: list[int]) -> set[CommentStatus]:
    with site.app.app_context():
        found = {db.session.get(Comment, comment_id).status for comment_id in ids}
        db.session.remove()
        return found


def test_select_all_ticks_every_row_and_the_bulk_action_follows(site, new_context):
    email = f"{unique('select').replace(' ', '.')}@readers.example"
    ids = held_comments(site, email, 3)
    page = new_context(viewport=PHONE, is_mobile=True, has_touch=True).new_page()
    sign_in(page, site)
    # Only this test's comments: the other tests' held comments stay as they are.
    page.goto(site.url(f"/editor/comments/?status=pending&email={email}"))
    every = page.get_by_label("Select all on this page")
    rows = page.locator('input[name="ids"]')
    expect(rows).to_have_count(3)

    every.tap()
    for index in range(3):
        expect(rows.nth(index)).to_be_checked()
    rows.nth(1).tap()  # one row taken out: "select all" is now a partial choice
    expect(every).not_to_be_checked()
    assert every.evaluate("box => box.indeterminate")
    rows.nth(1).tap()
    expect(every).to_be_checked()
    assert not every.evaluate("box => box.indeterminate")
    every.tap()
    for index in range(3):
        expect(rows.nth(index)).not_to_be_checked()

    every.tap()
    page.get_by_label("With the selected comments").select_option(label="Spam")
    page.get_by_role("button", name="Apply to selected").tap()
    expect(page.get_by_role("status")).to_contain_text("Marked as spam: 3 comments")
    assert statuses(site, ids) == {CommentStatus.SPAM}


def test_without_javascript_each_row_is_ticked_on_its_own(site, new_context):
    email = f"{unique('nojs select').replace(' ', '.')}@readers.example"
    ids = held_comments(site, email, 2)
    page = new_context(viewport=PHONE, java_script_enabled=False).new_page()
    sign_in(page, site)
    page.goto(site.url(f"/editor/comments/?status=pending&email={email}"))
    expect(page.get_by_label("Select all on this page")).to_be_hidden()
    page.locator('input[name="ids"]').first.check()
    page.get_by_label("With the selected comments").select_option(label="Spam")
    page.get_by_role("button", name="Apply to selected").click()
    expect(page.get_by_role("status")).to_contain_text("Marked as spam: 1 comment")
    assert statuses(site, ids) == {CommentStatus.SPAM, CommentStatus.PENDING}
