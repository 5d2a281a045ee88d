"""Two-factor sign-in in Chromium on the demo site: an account with an authenticator app
gives its password, then the code the app would show, and reaches the dashboard."""

import time

import pyotp
from playwright.sync_api import Page, expect

from blog.extensions import db
from blog.models import Role
from blog.services import two_factor_enrolment, users
from tests.browser.support import unique
from tests.browser.test_accessibility import blocking_violations, describe

PASSWORD = "a password and a phone"


def account_with_an_app(site) -> tuple[str, str]:
    """A new author with two-factor sign-in on (confirmed with a code of a minute and a
    half ago, so the codes of now are still unused); their e-mail and TOTP secret."""
    address = unique("totp").replace(" ", "") + "@byline.test"
    earlier = time.time() - 90
    with site.app.app_context():
        user = users.create_user(
            address, "Tomas Totp", Role.AUTHOR, PASSWORD, must_change_password=False
        )
        enrolment = two_factor_enrolment.start(user, now=earlier)
        secret = enrolment.secret
        code = pyotp.TOTP(secret).at(earlier)
        two_factor_enrolment.confirm(user, enrolment.sealed, code, PASSWORD, now=earlier)
        db.session.remove()
    return address, secret


def test_an_account_with_an_app_signs_in_with_its_code(page: Page, site):
    address, secret = account_with_an_app(site)
    page.goto(site.url("/editor/login"))
    page.get_by_label("E-mail").fill(address)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in", exact=True).click()
    page.wait_for_url(site.url("/editor/login/code"))
    expect(page.get_by_role("heading", name="Enter your code")).to_be_visible()
    violations = blocking_violations(page)
    assert not violations, describe(violations)

    page.get_by_label("Code from your authenticator app").fill("000000x")
    page.get_by_role("button", name="Sign in", exact=True).click()
    expect(page.get_by_text("That code is not right")).to_be_visible()

    page.get_by_label("Code from your authenticator app").fill(pyotp.TOTP(secret).now())
    page.get_by_role("button", name="Sign in", exact=True).click()
    page.wait_for_url(site.url("/editor/"))
    expect(page.get_by_role("heading", name="Good to see you, Tomas Totp")).to_be_visible()
