"""A forgotten password, reset end to end in Chromium on the demo site: the sign-in
page's link, the request, the message the sender writes (.eml, no MAIL_SERVER), its link,
the new password, and signing in with it."""

import re
from email import policy
from email.parser import BytesParser

from playwright.sync_api import Page, expect

from blog import mail
from blog.extensions import db
from blog.models import Role
from blog.services import users
from tests.browser.support import unique

OLD_PASSWORD = "the password I forgot"
NEW_PASSWORD = "the password I will remember"


def delivered_link(site, folder, address: str) -> str:
    """Run the worker's sender against the site's database, writing .eml files to folder,
    and read the reset link from the message to `address`."""
    with site.app.app_context():
        site.app.config["MAIL_OUTBOX_DIR"] = str(folder)
        try:
            mail.send_due()
        finally:
            db.session.remove()
    for path in sorted(folder.glob("*.eml")):
        message = BytesParser(policy=policy.default).parsebytes(path.read_bytes())
        if message["To"] == address:
            text = message.get_body(("plain",)).get_content()
            return re.search(r"https?://\S+/editor/reset/\S+", text).group(0)
    raise AssertionError(f"no message to {address} in {folder}")


def test_a_forgotten_password_is_reset_by_the_link_in_the_mail(page: Page, site, tmp_path):
    address = unique("forgetful").replace(" ", "") + "@byline.test"
    with site.app.app_context():
        users.create_user(address, "Fay Forgetful", Role.AUTHOR, OLD_PASSWORD)
        db.session.remove()

    page.goto(site.url("/editor/login"))
    page.get_by_role("link", name="Forgot password?").click()
    page.get_by_label("E-mail").fill(address)
    page.get_by_role("button", name="Send me a link").click()
    expect(page.get_by_role("status")).to_contain_text("If an account uses that address")

    link = delivered_link(site, tmp_path, address)
    assert link.startswith(site.origin + "/editor/reset/")
    page.goto(link)
    expect(page.get_by_role("heading", name="Choose a new password")).to_be_visible()
    page.get_by_label("New password").fill(NEW_PASSWORD)
    page.get_by_label("Repeat the password").fill(NEW_PASSWORD + " typo")
    page.get_by_role("button", name="Set the new password").click()
    expect(page.get_by_text("The two passwords differ.")).to_be_visible()
    page.get_by_label("New password").fill(NEW_PASSWORD)
    page.get_by_label("Repeat the password").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Set the new password").click()

    page.wait_for_url(site.url("/editor/login"))
    expect(page.get_by_role("status").first).to_contain_text("Your new password is set")
    page.get_by_label("E-mail").fill(address)
    page.get_by_label("Password").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Sign in", exact=True).click()
    page.wait_for_url(site.url("/editor/"))
    expect(page.get_by_role("heading", name="Good to see you, Fay Forgetful")).to_be_visible()

    page.goto(link)  # used: refused
    expect(page.get_by_role("heading", name="This link cannot be used")).to_be_visible()
