"""A site moved under another SECRET_KEY: authenticator codes cannot be checked, which the
code step says plainly (and does not count as a failed attempt), while passkeys keep
working."""

import pyotp
from flask import current_app
from sqlalchemy import select

from blog.extensions import db
from blog.models import AuditEntry
from blog.services import passkeys, two_factor, two_factor_enrolment
from tests.conftest import PASSWORD
from tests.test_passkeys import enrolled, is_signed_in, send_assertion, sign_in_options

OTHER_KEY = "another key, as on a site moved without its own"


def enrol(user) -> str:
    enrolment = two_factor_enrolment.start(user)
    code = pyotp.TOTP(enrolment.secret).now()
    two_factor_enrolment.confirm(user, enrolment.sealed, code, PASSWORD)
    return enrolment.secret


def test_the_code_step_says_the_key_changed_and_counts_no_failure(app, author):
    secret = enrol(author)
    current_app.config["SECRET_KEY"] = OTHER_KEY
    for attempt in range(5):
        client = app.test_client()
        started = client.post("/editor/login", data={"email": author.email, "password": PASSWORD})
        assert started.headers["Location"] == "/editor/login/code"
        answer = client.post("/editor/login/code", data={"code": pyotp.TOTP(secret).now()})
        page = answer.get_data(as_text=True)
        assert answer.status_code == 200, attempt
        assert "secret key changed" in page and "not right" not in page
        assert "reset-two-factor" in page and not is_signed_in(client)
    entry = db.session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc())).first()
    assert entry.action == "auth.sign_in_failed"
    assert entry.details == {"reason": "authenticator secret sealed under another SECRET_KEY"}
    # Five of them, and the account's failed-attempt limit (five) is untouched.
    fresh = app.test_client()
    again = fresh.post("/editor/login", data={"email": author.email, "password": PASSWORD})
    assert again.status_code == 302


def test_a_wrong_code_under_the_right_key_is_still_just_wrong(app, client, author):
    secret = enrol(author)
    client.post("/editor/login", data={"email": author.email, "password": PASSWORD})
    right = pyotp.TOTP(secret).now()
    wrong = right[:-1] + str((int(right[-1]) + 1) % 10)
    page = client.post("/editor/login/code", data={"code": wrong}).get_data(as_text=True)
    assert "not right" in page and "secret key changed" not in page


def test_passkeys_survive_a_change_of_secret_key(app, author):
    device = enrolled(app, author)
    handle = passkeys.user_handle(author)
    current_app.config["SECRET_KEY"] = OTHER_KEY
    assert passkeys.user_handle(author) == handle
    client = app.test_client()
    signed = send_assertion(client, device.get(sign_in_options(client)))
    assert signed.status_code == 200, signed.get_data(as_text=True)
    assert is_signed_in(client)


def test_unreadable_secrets_are_counted(app, author, editor, make_user):
    enrol(author)
    enrol(editor)
    assert two_factor.unreadable_secrets() == 0
    current_app.config["SECRET_KEY"] = OTHER_KEY
    enrol(make_user())  # set up under the new key: readable
    assert two_factor.unreadable_secrets() == 2
