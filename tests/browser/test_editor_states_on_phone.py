"""What no link in the editor leads to, measured as test_editor_on_phone.py measures every
page (fits the screen, no serious or critical axe violation, tap targets of 24 px) on a 360
and a 390 px touch phone and at 1280 px: a form shown again with its error, the Preview
tab, filtered lists, the second step of the two-factor set-up, a new user's invitation
link and where it leads, and the pages a signed-out person reaches from the sign-in form
or an e-mail. An error page (404, 403) is measured for width and axe only."""

import re

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from blog.extensions import db
from blog.links import make_token
from blog.models import Role, User
from blog.services import notifications, passwords, users
from blog.services.moderation import ModerationAction
from tests.browser.support import unique
from tests.browser.test_editor_on_phone import (
    ROLES,
    WIDTHS,
    check_page,
    newsroom,  # noqa: F401 (a fixture)
    report,
    screen,
    sign_in_as,
)
from tests.browser.test_sign_in_with_code import PASSWORD as APP_PASSWORD
from tests.browser.test_sign_in_with_code import account_with_an_app

GIVEN_PASSWORD = "a password someone else saw"
OWN_PASSWORD = "a password of my very own"


class Measured:
    """The problems of each page shown, by what it is."""

    def __init__(self, width: int):
        self.width = width
        self.problems: dict[str, list[str]] = {}

    def check(self, label: str, page: Page, status: int, expected: int = 200) -> None:
        if status != expected:
            self.problems[label] = [f"answered {status}, not {expected}, at {page.url}"]
        elif found := check_page(page, self.width, taps=expected == 200):
            self.problems[label] = found

    def visit(self, label: str, page: Page, url: str, expected: int = 200) -> None:
        self.check(label, page, page.goto(url).status, expected)

    def assert_none(self, who: str) -> None:
        assert not self.problems, f"{who} at {self.width} px:\n{report(self.problems)}"


def posted(page: Page, path: str, press) -> int:
    """Press a form's button; the status of the POST to `path` (before any redirect)."""
    with page.expect_response(
        lambda response: response.request.method == "POST" and response.url.endswith(path)
    ) as answer:
        press()
    page.wait_for_load_state()
    return answer.value.status


def article_states(measured: Measured, context: BrowserContext, page: Page, site, draft: int):
    """The Preview tab of the draft, then the draft's editor shown again after a save with
    an empty title."""
    path = f"/editor/articles/{draft}"
    page.goto(site.url(path))
    with context.expect_page() as opened:
        page.get_by_role("button", name="Preview (opens in a new tab)").click()
    preview = opened.value
    expect(preview.get_by_role("region", name="Preview")).to_contain_text("Preview")
    measured.check("the Preview tab", preview, 200)
    preview.close()
    page.get_by_label("Title", exact=True).fill("")
    status = posted(page, path, page.get_by_role("button", name="Save draft").click)
    expect(page.locator("#title-errors")).to_be_visible()
    measured.check("the article editor with an empty title", page, status)


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("role", ROLES)
def test_pages_behind_a_form_or_a_query(site, new_context, newsroom, role, width):  # noqa: F811
    context = screen(new_context, width)
    page = context.new_page()
    page.on("dialog", lambda dialog: dialog.accept())  # leaving an editor with typed text
    sign_in_as(page, site, role, newsroom)
    measured = Measured(width)
    measured.visit("articles in draft", page, site.url("/editor/articles/?status=draft"))
    if role == "author":
        # The demo's published article is someone else's.
        measured.visit(
            "another's article", page, site.url(f"/editor/articles/{site.article_id}"), 403
        )
        article_states(measured, context, page, site, newsroom.draft_id)
        measured.assert_none("the author")
        return
    for status in ("all", "spam", "reported"):
        measured.visit(f"comments, {status}", page, site.url(f"/editor/comments/?status={status}"))
    measured.visit("no such article", page, site.url("/editor/articles/999999"), 404)

    page.goto(site.url("/editor/two-factor"))
    page.get_by_role("button", name="Set up an authenticator app").click()
    expect(page.get_by_label("Code from the app")).to_be_visible()
    measured.check("two-factor set-up, second step", page, 200)

    page.goto(site.url("/editor/users/new"))
    name = unique("Ines Invited")
    page.get_by_label("E-mail").fill(name.replace(" ", ".").lower() + "@byline.test")
    page.get_by_label("Name shown to readers").fill(name)
    status = posted(page, "/editor/users/new", page.get_by_role("button", name="Add user").click)
    measured.check("the new user's invitation link", page, status)
    link = page.get_by_label("Invitation link").input_value()
    invited = screen(new_context, width).new_page()
    measured.visit("the invitation link, signed out", invited, link)
    expect(invited.get_by_label("Choose a password")).to_be_visible()

    article_states(measured, context, page, site, newsroom.draft_id)
    measured.assert_none("the admin")


def signed_in_by_hand(page: Page, site, email: str, password: str) -> None:
    page.goto(site.url("/editor/login"))
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in", exact=True).click()


@pytest.mark.parametrize("width", WIDTHS)
def test_pages_from_mail_and_sign_in(site, new_context, newsroom, width):  # noqa: F811
    """Signed out: the sign-in and forgotten-password forms, a reset link and a
    moderation link from an e-mail, the code step; then a first sign-in's steps."""
    measured = Measured(width)
    address = unique("first").replace(" ", "") + "@byline.test"
    with site.app.app_context():
        reset_link = "/editor/reset/" + passwords.reset_token(
            users.create_user(address, unique("Flo First"), Role.AUTHOR, GIVEN_PASSWORD)
        )
        db.session.execute(
            db.update(User).where(User.email == address).values(name_confirmed=False)
        )
        db.session.commit()
        admin = users.find_by_email(site.admin_email)
        moderation = make_token(
            notifications.MODERATION_LINK,
            [newsroom.held_comment_id, ModerationAction.APPROVE.value, admin.id],
        )
        db.session.remove()

    page = screen(new_context, width).new_page()
    measured.visit("the sign-in page", page, site.url("/editor/login"))
    measured.visit("forgotten password", page, site.url("/editor/forgot"))
    measured.visit("a reset link", page, site.url(reset_link))
    expect(page.get_by_label("New password")).to_be_visible()
    measured.visit("a moderation link", page, site.url(f"/editor/mail-action/{moderation}"))
    expect(page.get_by_role("button", name="Approve")).to_be_visible()

    app_account, _ = account_with_an_app(site)
    signed_in_by_hand(page, site, app_account, APP_PASSWORD)
    page.wait_for_url(site.url("/editor/login/code"))
    measured.check("the code step", page, 200)

    page = screen(new_context, width).new_page()
    signed_in_by_hand(page, site, address, GIVEN_PASSWORD)
    page.wait_for_url(re.compile(r"/editor/password/new"))
    measured.check("choosing one's own password", page, 200)
    page.get_by_label("Current password").fill(GIVEN_PASSWORD)
    page.get_by_label("New password").fill(OWN_PASSWORD)
    page.get_by_label("Repeat the password").fill(OWN_PASSWORD)
    page.get_by_role("button", name="Save and continue").click()
    page.wait_for_url(re.compile(r"/editor/welcome"))
    measured.check("choosing one's name", page, 200)
    measured.assert_none("signed out")
