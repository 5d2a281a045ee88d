"""The newsroom on phones alone: an author writes a story, previews it as readers will see
it, and sends it for review; an admin opens it from the articles list, publishes it and
approves a reader's comment from the moderation queue. No screen on the way scrolls
sideways."""

import re

from playwright.sync_api import BrowserContext, Page, expect

from blog.extensions import db
from blog.models import Article, ArticleStatus, CommentStatus, Role
from blog.services import users
from tests.browser.support import post_comment, sign_in, unique
from tests.browser.test_editor_on_phone import SHOWN, SIDEWAYS, comment_status

PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}
PASSWORD = "newsroom on a phone password"
BODY = """The night bus to the harbour runs again from Friday, every half hour until two.

## What changes

- A new stop at the station's east entrance
- Tickets bought on the phone are valid all night"""


class Steps:
    """Each screen of the flow, measured as it is reached: anything wider than the phone."""

    def __init__(self) -> None:
        self.too_wide: dict[str, dict] = {}

    def fits(self, page: Page, step: str) -> None:
        width = page.viewport_size["width"]
        wide = page.evaluate(SIDEWAYS, [width, SHOWN])
        if wide["scrollWidth"] > width or wide["culprits"]:
            self.too_wide[step] = wide


def status_of(site, title: str) -> tuple[ArticleStatus, str]:
    with site.app.app_context():
        article = db.session.scalar(db.select(Article).where(Article.title == title))
        found = article.status, article.slug
        db.session.remove()
        return found


def phone(new_context) -> tuple[BrowserContext, Page]:
    context = new_context(**PHONE)
    return context, context.new_page()


def test_a_story_from_draft_to_live_on_phones(site, new_context):
    steps = Steps()
    name = unique("Robin Roaming")
    email = f"{name.replace(' ', '.').lower()}@byline.test"
    with site.app.app_context():
        users.create_user(email, name, Role.AUTHOR, PASSWORD, must_change_password=False)
        db.session.remove()
    title = unique("Night bus to the harbour returns on Friday")

    # The author writes the story.
    author_context, author = phone(new_context)
    sign_in(author, site, email, PASSWORD)
    steps.fits(author, "author's dashboard")
    author.get_by_role("link", name="Write an article").tap()
    author.get_by_label("Title").fill(title)
    author.get_by_label("Brief").fill("Buses every half hour until two, from Friday.")
    author.get_by_label("Body", exact=True).fill(BODY)
    author.get_by_label("Section").select_option(label=site.section_name)
    steps.fits(author, "article editor, filled in")

    # Preview: the public article page, in a tab of its own.
    with author_context.expect_page() as opened:
        author.get_by_role("button", name=re.compile(r"^Preview")).tap()
    preview = opened.value
    preview.wait_for_load_state()
    expect(preview.get_by_role("heading", level=1)).to_have_text(title)
    expect(preview.locator("article.story .article-body")).to_contain_text("east entrance")
    expect(preview.get_by_role("region", name="Preview")).to_contain_text("not published")
    steps.fits(preview, "preview")
    with preview.expect_event("close"):
        preview.get_by_role("link", name="Close the preview").tap()

    # The editor still holds the text: save it, then send it for review.
    expect(author.get_by_label("Title")).to_have_value(title)
    author.get_by_role("button", name="Save draft").tap()
    expect(author.locator(".flash")).to_contain_text("Draft created")
    steps.fits(author, "draft saved")
    author.get_by_role("button", name="Submit for review").tap()
    expect(author.locator(".article-state")).to_contain_text("In review")
    steps.fits(author, "submitted for review")
    status, slug = status_of(site, title)
    assert status == ArticleStatus.REVIEW

    # The admin finds it in the list, shown as cards, and publishes it.
    _, admin = phone(new_context)
    sign_in(admin, site)
    admin.get_by_role("navigation", name="Editor").get_by_role("link", name="Articles").tap()
    card = admin.locator("tbody tr", has_text=title)
    expect(card).to_be_visible()
    assert card.evaluate("row => getComputedStyle(row).display") != "table-row"
    steps.fits(admin, "articles list")
    card.get_by_role("link", name=title).tap()
    admin.get_by_role("button", name="Publish now").tap()
    expect(admin.locator(".article-state")).to_contain_text("Published")
    steps.fits(admin, "article published")
    assert status_of(site, title)[0] == ArticleStatus.PUBLISHED

    # A reader comments on it from their phone; the comment waits for a moderator.
    reader_context, reader = phone(new_context)
    site.age_reader_forms(reader_context)
    assert reader.goto(site.url(f"/articles/{slug}")).ok
    commenter, words = unique("Mo Mobile"), unique("Good news for the late shift")
    comment_id = post_comment(reader, commenter, words, "mo.mobile@readers.example")
    assert comment_status(site, comment_id) == CommentStatus.PENDING

    # The admin approves it from the moderation queue.
    admin.get_by_role("navigation", name="Editor").get_by_role("link", name="Comments").tap()
    expect(admin.get_by_role("heading", name="Reader comments")).to_be_visible()
    steps.fits(admin, "moderation queue")
    admin.get_by_role("button", name=f"Approve the comment by {commenter}").tap()
    expect(admin.locator(".flash")).to_contain_text("Approved 1 comment")
    steps.fits(admin, "comment approved")
    assert comment_status(site, comment_id) == CommentStatus.APPROVED

    # The story is live, with the comment, for anyone.
    _, anyone = phone(new_context)
    assert anyone.goto(site.url(f"/articles/{slug}")).status == 200
    expect(anyone.get_by_role("heading", level=1)).to_have_text(title)
    expect(anyone.locator("li.comment", has_text=words)).to_be_visible()
    steps.fits(anyone, "the live article")
    assert not steps.too_wide, f"wider than 390 px: {steps.too_wide}"
