"""Staff account mail: "Forgot password?" and its single-use, expiring link; invitations
sent by e-mail."""

import re
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from sqlalchemy import select

from blog import accesslog, mail
from blog.extensions import db
from blog.models import OutboxMessage, Role
from blog.models.base import utcnow
from blog.services import invitations, passwords, users
from tests.conftest import PASSWORD

NEW_PASSWORD = "a brand new passphrase"
SENT = "If an account uses that address, a link to choose a new password is on its way."
LINK = re.compile(r"https?://[^\s\"<>]+/editor/(?:reset|invite)/[^\s\"<>]+")


def outbox(kind: str) -> list[OutboxMessage]:
    db.session.expire_all()
    query = select(OutboxMessage).where(OutboxMessage.kind == kind).order_by(OutboxMessage.id)
    return list(db.session.scalars(query))


def link_path(text: str) -> str:
    """The path of the one link (reset or invitation) in a message's text."""
    (link,) = set(LINK.findall(text))
    return urlsplit(link).path


def ask(client, email: str):
    return client.post("/editor/forgot", data={"email": email})


def choose(client, path: str, password: str = NEW_PASSWORD, confirm: str | None = None):
    return client.post(path, data={"password": password, "confirm": confirm or password})


def signs_in(client, email: str, password: str) -> bool:
    response = client.post("/editor/login", data={"email": email, "password": password})
    return response.status_code == 302


def test_sign_in_page_links_to_forgot_password(client):
    page = client.get("/editor/login").get_data(as_text=True)
    assert 'href="/editor/forgot"' in page
    assert "Forgot password?" in page


def test_a_known_address_gets_a_link_and_the_answer_is_the_same_for_any_address(client, make_user):
    user = make_user(Role.AUTHOR, email="ada@byline.test")
    make_user(Role.EDITOR, email="gone@byline.test", active=False)
    answers = [ask(client, email) for email in ("ADA@Byline.test", "nobody@byline.test")]
    answers.append(ask(client, "gone@byline.test"))
    assert {answer.status_code for answer in answers} == {200}
    bodies = {answer.get_data(as_text=True) for answer in answers}
    assert len(bodies) == 1 and SENT in bodies.pop()
    (message,) = outbox("password_reset")
    assert message.recipient == "ada@byline.test"
    assert "new password" in message.subject
    assert link_path(message.body_text) == link_path(message.body_html)
    assert link_path(message.body_text).startswith("/editor/reset/")
    assert user.display_name in message.body_text


def test_the_link_sets_a_new_password_once_and_signs_out_every_session(client, app, make_user):
    user = make_user(Role.EDITOR, email="eddie@byline.test")
    other_device = app.test_client()
    assert signs_in(other_device, user.email, PASSWORD)
    ask(client, user.email)
    path = link_path(outbox("password_reset")[0].body_text)

    page = client.get(path)
    assert page.status_code == 200 and "eddie@byline.test" in page.get_data(as_text=True)
    response = choose(client, path)
    assert response.status_code == 302 and response.location.endswith("/editor/login")
    landing = client.get(response.location).get_data(as_text=True)
    assert "Your new password is set" in landing

    assert other_device.get("/editor/").status_code == 302  # signed out there too
    assert not signs_in(client, user.email, PASSWORD)
    assert signs_in(client, user.email, NEW_PASSWORD)
    again = app.test_client()
    for method in (again.get, lambda p: choose(again, p, "yet another passphrase")):
        refused = method(path)
        assert refused.status_code == 400
        assert "already been used" in refused.get_data(as_text=True)
    assert signs_in(app.test_client(), user.email, NEW_PASSWORD)


def test_a_new_link_retires_none_but_a_new_password_retires_all(client, make_user):
    user = make_user(email="two@byline.test")
    ask(client, user.email)
    ask(client, user.email)
    first, second = (link_path(m.body_text) for m in outbox("password_reset"))
    assert choose(client, second).status_code == 302
    assert client.get(first).status_code == 400


@pytest.mark.parametrize(
    ("password", "confirm", "message"),
    [
        ("short", "short", "at least 10 characters"),
        (NEW_PASSWORD, NEW_PASSWORD + "!", "The two passwords differ."),
        ("x" * 1025, "x" * 1025, "At most 1,024 characters."),
    ],
)
def test_the_new_password_follows_the_profile_rules(client, make_user, password, confirm, message):
    user = make_user(email="rules@byline.test")
    path = "/editor/reset/" + passwords.reset_token(user)
    response = choose(client, path, password, confirm)
    assert response.status_code == 200
    assert message in response.get_data(as_text=True)
    assert client.get(path).status_code == 200  # the link still works
    assert signs_in(client, user.email, PASSWORD)


def test_the_rules_hold_in_the_service_too(make_user):
    user = make_user()
    with pytest.raises(users.UserRejected, match="at least 10") as refused:
        passwords.reset(passwords.reset_token(user), "short")
    assert refused.value.field == "password"


def test_an_expired_a_forged_and_a_deactivated_accounts_link_are_refused(
    client, app, make_user, admin
):
    user = make_user(email="late@byline.test")
    max_age = app.config["PASSWORD_RESET_MAX_AGE"]
    assert max_age == 3600
    made = utcnow() - timedelta(seconds=max_age - 60)
    recent = passwords.reset_token(user, issued_at=made)
    assert client.get("/editor/reset/" + recent).status_code == 200
    old = passwords.reset_token(user, issued_at=utcnow() - timedelta(seconds=max_age + 60))
    expired = choose(client, "/editor/reset/" + old)
    assert expired.status_code == 400 and "expired" in expired.get_data(as_text=True)

    valid = passwords.reset_token(user)
    forged = client.get("/editor/reset/" + valid[:-2] + ("AA" if valid[-2:] != "AA" else "BB"))
    assert forged.status_code == 400 and "not valid" in forged.get_data(as_text=True)

    users.deactivate(user)
    assert client.get("/editor/reset/" + valid).status_code == 400
    users.reactivate(user)  # deactivation moved the session version on: still refused
    assert client.get("/editor/reset/" + valid).status_code == 400
    assert signs_in(client, user.email, PASSWORD)


def test_asking_is_limited_per_address_in_every_spelling(client, make_user):
    make_user(email="many@byline.test")
    spellings = ["many@byline.test", "MANY@byline.test", " many@BYLINE.test"]
    assert [ask(client, email).status_code for email in spellings] == [200, 200, 200]
    refused = ask(client, "Many@Byline.Test")
    assert refused.status_code == 429
    assert "Too many reset links" in refused.get_data(as_text=True)
    assert len(outbox("password_reset")) == 3
    assert ask(client, "someone.else@byline.test").status_code == 200  # other addresses


def test_asking_is_limited_per_client(client, app):
    for n in range(10):
        assert ask(client, f"reader{n}@byline.test").status_code == 200
    assert ask(client, "reader10@byline.test").status_code == 429
    elsewhere = app.test_client()
    response = elsewhere.post(
        "/editor/forgot", data={"email": "x@byline.test"}, environ_base={"REMOTE_ADDR": "10.9.8.7"}
    )
    assert response.status_code == 200


def test_an_empty_or_malformed_address_is_asked_again(client):
    response = ask(client, "")
    assert response.status_code == 200
    assert "This field is required." in response.get_data(as_text=True)
    assert outbox("password_reset") == []


def test_the_reset_token_is_redacted_from_logs():
    token = "eyJhbGciOi.abc-DEF_123"
    line = f'"GET /editor/reset/{token} HTTP/1.1" 200 "https://h.test/editor/reset/{token}"'
    assert token not in accesslog.redact(line)
    assert accesslog.redact(f"/editor/reset/{token}") == "/editor/reset/[redacted]"


def test_the_whole_reset_by_real_smtp(mail_app, smtp_server, make_user):
    """Ask, the worker's sender delivers, the received link works once."""
    user = make_user(Role.AUTHOR, email="smtp@byline.test", name="Sam Smtp")
    client = mail_app.test_client()
    assert ask(client, "smtp@byline.test").status_code == 200
    assert mail.send_due() == 1
    (received,) = smtp_server.messages
    assert received["To"] == "smtp@byline.test"
    text = received.get_body(("plain",)).get_content()
    html = received.get_body(("html",)).get_content()
    path = link_path(text)
    assert link_path(html.replace("&amp;", "&")) == path

    assert choose(client, path).status_code == 302
    assert signs_in(client, user.email, NEW_PASSWORD)
    refused = mail_app.test_client().get(path)
    assert refused.status_code == 400


def test_an_invitation_is_emailed_and_still_shown_to_the_admin(client, login, admin):
    login(admin)
    response = client.post(
        "/editor/users/new",
        data={
            "email": "ivy@byline.test",
            "display_name": "Ivy Invited",
            "role": "editor",
            "access": "invite",
        },
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "/editor/invite/" in page
    assert "on its way to <strong>ivy@byline.test</strong>" in page
    (message,) = outbox("invitation")
    assert message.recipient == "ivy@byline.test"
    assert "invitation" in message.subject.lower()
    path = link_path(message.body_text)
    assert path.startswith("/editor/invite/") and link_path(message.body_html) == path
    client.post("/editor/logout")
    accepted = client.post(path, data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert accepted.status_code == 302
    assert signs_in(client, "ivy@byline.test", NEW_PASSWORD)


def test_a_renewed_invitation_is_emailed_too_and_the_first_one_is_retired(client):
    invited = users.invite_user("rue@byline.test", "Rue", Role.AUTHOR)
    invitations.renew_invitation(invited)
    first, second = (link_path(m.body_text) for m in outbox("invitation"))
    assert client.get(first).status_code == 400
    assert client.get(second).status_code == 200


def test_a_refused_invitation_queues_no_mail(make_user):
    make_user(email="taken@byline.test")
    with pytest.raises(users.UserRejected):
        users.invite_user("taken@byline.test", "Again", Role.AUTHOR)
    assert outbox("invitation") == []


def test_without_a_site_address_an_invitation_made_outside_a_request_is_not_mailed(app, caplog):
    app.config.update(SERVER_NAME=None, SITE_URL=None)
    invited = users.invite_user("quiet@byline.test", "Quiet", Role.AUTHOR)
    assert invitations.invitation_token(invited)
    assert outbox("invitation") == []
    assert "not e-mailed: SITE_URL is not set" in caplog.text
