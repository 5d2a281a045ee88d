"""Tokens that stand for an account: the remember-me cookie (dated, short-lived, re-issued
on use, dead after sign-out) and invitation links (short-lived, single-use, also under
two requests at once, and retired by a newer link)."""

import time
from datetime import timedelta

import pytest
from flask_login.utils import encode_cookie
from itsdangerous import TimestampSigner, URLSafeTimedSerializer
from sqlalchemy import select

from blog import create_app
from blog.config import ConfigError
from blog.editor import auth
from blog.extensions import db
from blog.models import Role, User
from blog.services import invitations, users
from tests.conftest import PASSWORD
from tests.harness import at_once, password_change
from tests.test_accounts_security import REMEMBER, cookie, is_signed_in, post_login, replay
from tests.test_editor_admin import invitation_link

DAY = 24 * 3600
NEW_PASSWORD = "a long new passphrase"


def backdated(app, token: str, salt: str, seconds: int) -> str:
    """The same signed token, as if issued `seconds` ago."""
    payload = URLSafeTimedSerializer(app.config["SECRET_KEY"], salt=salt).loads(token)
    issued = int(time.time()) - seconds
    signer = type("Backdated", (TimestampSigner,), {"get_timestamp": lambda self: issued})
    return URLSafeTimedSerializer(app.config["SECRET_KEY"], salt=salt, signer=signer).dumps(payload)


def issued_at(app, token: str) -> int:
    serializer = URLSafeTimedSerializer(app.config["SECRET_KEY"], salt=auth.REMEMBER_SALT)
    return int(serializer.loads(token, return_timestamp=True)[1].timestamp())


def set_cookie_header(response, name: str) -> str:
    found = [h for h in response.headers.getlist("Set-Cookie") if h.startswith(f"{name}=")]
    assert len(found) == 1, response.headers.getlist("Set-Cookie")
    return found[0]


def remembered(app, user) -> str:
    """The remember-me cookie a sign-in with "keep me signed in" leaves."""
    client = app.test_client()
    assert post_login(client, user.email, remember="y").status_code == 302
    return cookie(client, REMEMBER)


# ---------- Remember me ----------


def test_the_remember_cookie_is_lax_http_only_and_lives_thirty_days(app, author):
    client = app.test_client()
    response = post_login(client, author.email, remember="y")
    header = set_cookie_header(response, REMEMBER)
    assert "SameSite=Lax" in header and "HttpOnly" in header and "Path=/" in header
    assert f"Max-Age={30 * DAY}" in header and "Secure" not in header  # plain HTTP here

    secure = create_app({**app.config, "SECURE_COOKIES": True})
    try:
        with secure.app_context():
            response = secure.test_client().post(
                "/editor/login",
                data={"email": author.email, "password": PASSWORD, "remember": "y"},
                base_url="https://byline.test",
            )
    finally:
        with secure.app_context():
            db.session.remove()
            db.engine.dispose()
    assert response.status_code == 302
    assert "Secure" in set_cookie_header(response, REMEMBER)
    assert "Secure" in set_cookie_header(response, "session")


def test_a_restore_issues_a_fresh_cookie_and_sign_out_ends_every_copy(app, author):
    ten_days_old = backdated(app, remembered(app, author), auth.REMEMBER_SALT, 10 * DAY)
    browser = replay(app, **{REMEMBER: ten_days_old})  # the session cookie ended with the browser
    response = browser.get("/editor/")
    assert response.status_code == 200
    header = set_cookie_header(response, REMEMBER)
    assert f"Max-Age={30 * DAY}" in header and "SameSite=Lax" in header
    fresh = cookie(browser, REMEMBER)
    assert fresh != ten_days_old
    assert issued_at(app, fresh) > issued_at(app, ten_days_old) + 9 * DAY
    assert is_signed_in(browser)
    with browser.session_transaction() as session:
        assert session["_fresh"] is False  # restored, not typed: not a fresh sign-in

    assert browser.post("/editor/logout").status_code == 302
    assert cookie(browser, REMEMBER) is None
    assert not is_signed_in(browser)
    for copy in (ten_days_old, fresh):
        assert not is_signed_in(replay(app, **{REMEMBER: copy}))


def test_a_cookie_older_than_its_life_is_refused_and_deleted(app, author):
    token = remembered(app, author)
    stale = backdated(app, token, auth.REMEMBER_SALT, 30 * DAY + 60)
    browser = replay(app, **{REMEMBER: stale})
    response = browser.get("/editor/")
    assert response.status_code == 302 and "/editor/login" in response.headers["Location"]
    assert "Expires=Thu, 01 Jan 1970" in set_cookie_header(response, REMEMBER)
    assert cookie(browser, REMEMBER) is None

    app.config["REMEMBER_COOKIE_DURATION"] = timedelta(days=1)  # the setting decides
    assert not is_signed_in(
        replay(app, **{REMEMBER: backdated(app, token, auth.REMEMBER_SALT, 2 * DAY)})
    )
    assert is_signed_in(
        replay(app, **{REMEMBER: backdated(app, token, auth.REMEMBER_SALT, DAY // 2)})
    )


def test_an_undated_flask_login_cookie_is_refused(app, author):
    with app.test_request_context():
        undated = encode_cookie(author.get_id())  # valid forever, were it accepted
    browser = replay(app, **{REMEMBER: undated})
    assert not is_signed_in(browser)
    assert cookie(browser, REMEMBER) is None
    assert not is_signed_in(replay(app, **{REMEMBER: "forged"}))


def test_a_password_change_re_issues_this_devices_cookie(app, author):
    phone = app.test_client()
    post_login(phone, author.email, remember="y")
    before = cookie(phone, REMEMBER)
    response = phone.post("/editor/profile/password", data=password_change(PASSWORD, NEW_PASSWORD))
    assert response.status_code == 302
    after = cookie(phone, REMEMBER)
    assert after and after != before
    assert is_signed_in(replay(app, **{REMEMBER: after}))
    assert not is_signed_in(replay(app, **{REMEMBER: before}))


def test_duration_settings_are_checked(app):
    assert create_app({**app.config, "REMEMBER_COOKIE_DURATION": 86400}).config[
        "REMEMBER_COOKIE_DURATION"
    ] == timedelta(days=1)
    assert 0 < create_app({"SECRET_KEY": "x"}).config["INVITATION_MAX_AGE"] <= 7 * DAY
    for name, value in [
        ("REMEMBER_COOKIE_DURATION", 0),
        ("REMEMBER_COOKIE_DURATION", "a month"),
        ("INVITATION_MAX_AGE", "soon"),
        ("INVITATION_MAX_AGE", -1),
    ]:
        with pytest.raises(ConfigError, match=name):
            create_app({**app.config, name: value})


# ---------- Invitations ----------


def test_two_accepts_of_one_link_at_once_set_one_password(app, admin):
    invited = users.invite_user("ivy@byline.test", "Ivy Invited", Role.AUTHOR)
    token, user_id = invitations.invitation_token(invited), invited.id
    db.session.remove()

    def accept(password: str, wait) -> str:
        invitations.invited_user(token)
        wait()  # both have checked the link before either writes
        invitations.accept_invitation(token, password)
        return "accepted"

    passwords = ["first long password", "second long password"]
    results = at_once(app, accept, passwords, refused=users.InvitationInvalid)
    assert sorted(results.values()) == ["accepted", "refused"], results
    winner = next(password for password, result in results.items() if result == "accepted")
    loser = next(password for password in passwords if password != winner)
    user = db.session.get(User, user_id)
    assert users.authenticate("ivy@byline.test", winner) == user
    assert users.authenticate("ivy@byline.test", loser) is None
    with pytest.raises(users.InvitationInvalid, match="already been used"):
        invitations.invited_user(token)


def test_a_new_link_retires_the_earlier_ones(app, client, login, admin):
    login(admin)
    response = client.post(
        "/editor/users/new",
        data={
            "email": "rae@byline.test",
            "display_name": "Rae",
            "role": "author",
            "access": "invite",
        },
    )
    first = invitation_link(response)
    user = db.session.scalar(select(User).where(User.email == "rae@byline.test"))
    second = invitation_link(client.post(f"/editor/users/{user.id}/invitation"))
    assert second != first
    refused = app.test_client().get(first)
    assert refused.status_code == 400 and "no longer valid" in refused.get_data(as_text=True)
    invitee = app.test_client()
    assert invitee.get(second).status_code == 200
    response = invitee.post(second, data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert response.status_code == 302
    again = client.post(f"/editor/users/{user.id}/invitation")  # nothing left to invite to
    assert again.status_code == 302
    assert "already set a password" in client.get(again.headers["Location"]).get_data(as_text=True)


def test_invitation_links_live_as_long_as_the_setting_says(app, admin):
    invited = users.invite_user("late@byline.test", "Late", Role.AUTHOR)
    token = invitations.invitation_token(invited)
    app.config["INVITATION_MAX_AGE"] = 3600
    two_hours_old = backdated(app, token, invitations.INVITATION_SALT, 2 * 3600)
    half_hour_old = backdated(app, token, invitations.INVITATION_SALT, 1800)
    response = app.test_client().get(f"/editor/invite/{two_hours_old}")
    assert response.status_code == 400 and "expired" in response.get_data(as_text=True)
    assert app.test_client().get(f"/editor/invite/{half_hour_old}").status_code == 200
