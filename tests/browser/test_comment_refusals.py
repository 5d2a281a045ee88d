"""A refused comment in Chromium: every field with an error is drawn as one (the name and
e-mail inputs as well as the textarea), and the address the refusal leaves in the address
bar, opened again, leads back to the article's form (issue 19, bugs 2 and 5)."""

import re

from playwright.sync_api import Page, expect

from tests.browser.demo_site import Site
from tests.browser.support import fill_comment

STAFF_NAME = "Avery Admin"  # the demo site's admin: a reader may not comment as staff


def border(page: Page, selector: str) -> tuple[str, str]:
    colour, width = page.locator(selector).evaluate(
        "el => [getComputedStyle(el).borderTopColor, getComputedStyle(el).borderTopWidth]"
    )
    return colour, width


def error_colour(page: Page, field_id: str) -> str:
    return page.locator(f"#{field_id}-errors").evaluate("el => getComputedStyle(el).color")


def test_every_field_with_an_error_is_drawn_as_one(site: Site, page: Page):
    page.goto(f"/articles/{site.article_slug}")
    normal = border(page, "#comment-name")
    fill_comment(page, STAFF_NAME, "Signed with a borrowed name.")
    page.get_by_role("button", name="Post comment").click()
    expect(page.locator("#comment-name-errors")).to_be_visible()
    expect(page.locator("#comment-name")).to_have_attribute("aria-invalid", "true")
    assert border(page, "#comment-name") == (error_colour(page, "comment-name"), "2px")
    assert border(page, "#comment-name") != normal
    assert border(page, "#comment-body") == normal  # the comment itself was fine

    # The e-mail input and the textarea, refused by the form's own checks (the browser
    # takes both: an address without a dot, and blanks in a required field).
    fill_comment(page, "Bea Reader", "   ", email="bea@b")
    page.get_by_role("button", name="Post comment").click()
    expect(page.locator("#comment-body-errors")).to_be_visible()
    for field_id in ("comment-email", "comment-body"):
        assert border(page, f"#{field_id}") == (error_colour(page, field_id), "2px"), field_id
    assert border(page, "#comment-name") == normal


def test_the_address_a_refusal_leaves_opens_the_form(site: Site, page: Page):
    page.goto(f"/articles/{site.article_slug}")
    fill_comment(page, STAFF_NAME, "Refused, then reloaded.")
    page.get_by_role("button", name="Post comment").click()
    expect(page).to_have_url(re.compile(rf"/articles/{site.article_slug}/comments#comment-form$"))
    expect(page.locator("#comment-name-errors")).to_be_visible()

    again = page.context.new_page()  # the address opened again: a new tab, a bookmark
    response = again.goto(page.url)
    assert response is not None and response.status == 200
    expect(again).to_have_url(re.compile(rf"/articles/{site.article_slug}#comment-form$"))
    expect(again.locator("#comment-form")).to_be_in_viewport()
