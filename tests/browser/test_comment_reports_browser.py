"""Reporting a comment in a real browser, without JavaScript, and the moderation queue that
receives the report, whose rows line up on a desktop screen."""

import re

from playwright.sync_api import expect
from sqlalchemy import select

from blog.extensions import db
from blog.models import Article, Comment, CommentReport, CommentStatus
from blog.services import counters
from tests.browser.support import unique

# Each cell of a row, measured against the row itself: a cell that leaves the table's
# grid (display: flex on a <td>) starts or ends elsewhere, and its border with it.
ROW_CELLS = """
(rows) => rows.slice(0, 4).map(row => {
  const box = row.getBoundingClientRect();
  return [...row.cells].map(cell => {
    const own = cell.getBoundingClientRect();
    return {
      display: getComputedStyle(cell).display,
      top: Math.round(own.top - box.top),
      bottom: Math.round(box.bottom - own.bottom),
    };
  });
})
"""


def shown_comment(site, body: str) -> int:
    """An approved comment of the demo article (for this test alone); its id."""
    with site.app.app_context():
        article = db.session.scalar(select(Article).where(Article.slug == site.article_slug))
        comment = Comment(
            article=article, author_name=unique("Rex Rude"), status=CommentStatus.APPROVED
        )
        comment.set_body(body)
        db.session.add(comment)
        db.session.flush()
        counters.refresh_article_counters([article.id])
        db.session.commit()
        return comment.id


def test_a_reader_reports_a_comment_without_javascript(site, nojs_page):
    page = nojs_page
    body = unique("Everyone here is an idiot")
    comment_id = shown_comment(site, body)
    page.goto(f"/articles/{site.article_slug}")
    comment = page.locator(f"#comment-{comment_id}")
    comment.get_by_role("link", name=re.compile(r"^Report")).click()
    expect(page).to_have_url(re.compile(rf"/comments/{comment_id}/report$"))
    expect(page.get_by_role("heading", name="Report a comment")).to_be_visible()
    expect(page.locator(".comment-reported")).to_contain_text(body)

    detail = page.get_by_label("Anything the moderators should know (optional)")
    detail.fill("Calls people names.")
    # No reason chosen: the browser itself asks for one (the server would too).
    page.get_by_role("button", name="Send report").click()
    reason = page.get_by_label("Abuse or harassment")
    assert reason.evaluate("radio => radio.validity.valueMissing")
    expect(page.get_by_role("heading", name="Report a comment")).to_be_visible()
    expect(detail).to_have_value("Calls people names.")

    reason.check()
    page.get_by_role("button", name="Send report").click()
    expect(page.get_by_role("heading", name="Thank you for your report")).to_be_visible()
    page.get_by_role("link", name="Back to the comments").click()
    expect(page).to_have_url(re.compile(rf"/articles/{site.article_slug}#comments$"))

    with site.app.app_context():
        reports = db.session.execute(
            select(CommentReport.reason, CommentReport.detail).where(
                CommentReport.comment_id == comment_id
            )
        ).all()
    assert reports == [("abuse", "Calls people names.")]


def test_the_queue_rows_line_up_on_a_desktop_screen(site, signed_in_page):
    page = signed_in_page
    shown_comment(site, unique("A comment to keep the queue full"))
    page.goto("/editor/comments/?status=all")
    assert page.viewport_size["width"] == 1280
    rows = page.locator(".comments-table tbody tr")
    expect(rows.first).to_be_visible()
    measured = rows.evaluate_all(ROW_CELLS)
    assert len(measured) >= 2
    for row in measured:
        for cell in row:
            assert cell == {"display": "table-cell", "top": 0, "bottom": 0}, measured
