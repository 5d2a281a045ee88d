"""Signing in and out: generic errors, throttling, safe redirects, ending sessions."""

import pytest

from blog.extensions import db
from blog.models import Role
from tests.conftest import PASSWORD

GENERIC = "That e-mail and password do not match an active account."


def post_login(client, email, password=PASSWORD, address="127.0.0.1"):
    return client.post(
        "/editor/login",
        data={"email": email, "password": password},
        environ_base={"REMOTE_ADDR": address},
    )


def test_anonymous_editor_pages_redirect_to_login(client):
    response = client.get("/editor/")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/editor/login?next=")


def test_login_and_logout(client, author):
    response = post_login(client, author.email.upper())
    assert response.status_code == 302 and response.headers["Location"] == "/editor/"
    page = client.get("/editor/")
    assert page.status_code == 200
    assert "Good to see you, Ada Author" in page.get_data(as_text=True)
    assert client.get("/editor/").headers["Cache-Control"] == "no-store"

    assert client.get("/editor/logout").status_code == 405
    response = client.post("/editor/logout")
    assert response.status_code == 302
    assert client.get("/editor/").status_code == 302


@pytest.mark.parametrize("email, password", [("nobody@byline.test", PASSWORD), (None, "wrong")])
def test_failures_get_one_generic_message(client, author, email, password):
    response = post_login(client, email or author.email, password)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert GENERIC in html
    assert f'value="{email or author.email}"' in html  # what was typed is kept


def test_deactivated_user_cannot_sign_in(client, author):
    author.active = False
    db.session.commit()
    assert GENERIC in post_login(client, author.email).get_data(as_text=True)


def test_deactivation_and_password_change_end_sessions(app, client, author):
    post_login(client, author.email)
    assert client.get("/editor/").status_code == 200
    author.session_version += 1  # what a password change or reset does
    db.session.commit()
    assert client.get("/editor/").status_code == 302

    post_login(client, author.email)
    assert client.get("/editor/").status_code == 200
    author.active = False
    db.session.commit()
    assert client.get("/editor/").status_code == 302


def test_login_clears_the_previous_session(app, client, author):
    with client.session_transaction() as sess:
        sess["planted"] = "by an attacker"
    post_login(client, author.email)
    with client.session_transaction() as sess:
        assert "planted" not in sess
        assert sess["_user_id"] == f"{author.id}:{author.session_version}"


@pytest.mark.parametrize(
    "target, expected",
    [
        ("/editor/articles/", "/editor/articles/"),
        ("https://evil.example/", "/editor/"),
        ("//evil.example/", "/editor/"),
        ("/\\evil.example", "/editor/"),
        ("javascript:alert(1)", "/editor/"),
        ("/editor/\r\nSet-Cookie:x=1", "/editor/"),
    ],
)
def test_next_accepts_only_site_paths(client, author, target, expected):
    response = client.post(
        "/editor/login",
        query_string={"next": target},
        data={"email": author.email, "password": PASSWORD},
    )
    assert response.headers["Location"] == expected


def test_five_failures_for_an_account_lock_it_out(app, author, make_user):
    client = app.test_client()
    for attempt in range(5):  # from five different addresses
        response = post_login(client, author.email, "wrong", address=f"192.0.2.{attempt}")
        assert response.status_code == 200
    response = post_login(client, author.email, PASSWORD, address="192.0.2.99")
    assert response.status_code == 429
    assert "Too many failed sign-in attempts" in response.get_data(as_text=True)
    # Another account, from an address with no failures, is not affected.
    other = make_user(Role.EDITOR)
    assert post_login(client, other.email, address="192.0.2.98").status_code == 302


def test_five_failures_from_a_client_lock_it_out(app, make_user):
    client = app.test_client()
    accounts = [make_user() for _ in range(6)]
    for account in accounts[:5]:
        assert post_login(client, account.email, "wrong").status_code == 200
    assert post_login(client, accounts[5].email).status_code == 429
    assert client.get("/editor/login").status_code == 200  # only sign-in attempts are limited


def test_successful_logins_do_not_count(app, author):
    client = app.test_client()
    for _ in range(8):
        assert post_login(client, author.email).status_code == 302
        client.post("/editor/logout")


def test_lockout_holds_across_app_instances_sharing_storage(app, author):
    """Two workers of one server share the counters (the SQLite storage file)."""
    from blog import create_app

    for _ in range(5):
        post_login(app.test_client(), author.email, "wrong")
    twin = create_app(dict(app.config))
    twin.test_client_class = type(app.test_client())
    with twin.app_context():
        try:
            response = twin.test_client().post(
                "/editor/login", data={"email": author.email, "password": PASSWORD}
            )
        finally:
            db.session.remove()
            db.engine.dispose()
    assert response.status_code == 429


def test_csrf_is_required_on_login(app, client, author):
    app.config["WTF_CSRF_ENABLED"] = True
    response = client.post("/editor/login", data={"email": author.email, "password": PASSWORD})
    assert response.status_code == 400
    assert "did not come from this site" in response.get_data(as_text=True)
    page = client.get("/editor/login").get_data(as_text=True)
    token = page.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
    response = client.post(
        "/editor/login", data={"email": author.email, "password": PASSWORD, "csrf_token": token}
    )
    assert response.status_code == 302
