"""Passkeys in Chromium, with a virtual authenticator (the DevTools protocol's WebAuthn
domain): an author adds a passkey on the profile, signs out, and signs in with the
passkey alone, landing on the dashboard.

WebAuthn needs a secure context and a relying-party id that is a host name, never an IP
address: the page uses http://localhost (secure, like 127.0.0.1) on the live server's
port, and without SITE_URL the site takes its relying party from that host.
"""

from playwright.sync_api import Page, expect

from blog.extensions import db
from blog.models import Passkey, Role, User
from blog.services import users
from tests.browser.support import unique
from tests.browser.test_accessibility import blocking_violations, describe

PASSWORD = "a password and a passkey"


def with_authenticator(page: Page) -> None:
    """A platform authenticator that keeps passkeys and verifies its user (a fingerprint)."""
    devtools = page.context.new_cdp_session(page)
    devtools.send("WebAuthn.enable")
    devtools.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "internal",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
            }
        },
    )


def test_a_passkey_is_added_and_signs_in_alone(new_context, site):
    address = unique("passkey").replace(" ", "") + "@byline.test"
    with site.app.app_context():
        users.create_user(address, "Pia Passkey", Role.AUTHOR, PASSWORD, must_change_password=False)
        db.session.remove()
    local = site.origin.replace("127.0.0.1", "localhost")
    page = new_context(base_url=local).new_page()
    with_authenticator(page)

    page.goto(local + "/editor/login")
    page.get_by_label("E-mail").fill(address)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in", exact=True).click()
    page.wait_for_url(local + "/editor/")

    page.goto(local + "/editor/profile")
    expect(page.get_by_text("Adding a passkey needs a browser")).to_be_hidden()
    page.get_by_label("Name for the new passkey").fill("Test laptop")
    page.get_by_label("Your current password").fill("a wrong guess")
    page.get_by_role("button", name="Add a passkey").click()
    expect(page.get_by_text("That is not your current password.")).to_be_visible()
    page.get_by_label("Your current password").fill(PASSWORD)
    page.get_by_role("button", name="Add a passkey").click()
    page.wait_for_url(local + "/editor/profile#passkeys")
    expect(page.get_by_role("heading", name="Test laptop")).to_be_visible()
    expect(page.get_by_text("not used yet")).to_be_visible()
    violations = blocking_violations(page)
    assert not violations, describe(violations)

    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url(local + "/editor/login")
    page.get_by_role("button", name="Sign in with a passkey").click()
    page.wait_for_url(local + "/editor/")
    expect(page.get_by_role("heading", name="Good to see you, Pia Passkey")).to_be_visible()
    with site.app.app_context():
        stored = (
            db.session.query(Passkey)
            .join(User, User.id == Passkey.user_id)
            .filter(User.email == address)
        )
        assert stored.one().last_used_at is not None
        db.session.remove()


def test_without_webauthn_the_passkey_button_is_hidden(new_context, site):
    page = new_context(java_script_enabled=False).new_page()
    page.goto(site.url("/editor/login"))
    expect(page.get_by_role("button", name="Sign in with a passkey")).to_be_hidden()
