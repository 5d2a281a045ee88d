"""Passkeys over HTTP, with real WebAuthn cryptography (tests/webauthn_device.py): adding
one, signing in with it without a password or as the second step, and everything the
server must refuse (a replayed challenge, another origin, a counter going back, someone
else's passkey, malformed or oversized JSON)."""

import json

import pyotp
import pytest
from sqlalchemy import select

from blog.editor.auth import PASSKEY_CEREMONY
from blog.extensions import db, limiter
from blog.models import AuditEntry, OutboxMessage, Passkey
from blog.services import passkeys, settings, two_factor, two_factor_enrolment
from tests.conftest import PASSWORD
from tests.harness import password_change, started_app_key
from tests.webauthn_device import Device, b64

ORIGIN = "http://byline.test"  # the test app's SERVER_NAME


def options_for_new(client, name: str = "Laptop", password: str = PASSWORD) -> dict:
    body = {"name": name, "password": password}
    response = client.post("/editor/passkeys/new/options", json=body)
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_json()


def add_passkey(client, name: str = "Laptop", **create) -> tuple[Device, object]:
    device = Device(ORIGIN)
    options = options_for_new(client, name)
    credential = device.create(options, **create)
    response = client.post("/editor/passkeys/new", json={"name": name, "credential": credential})
    return device, response


def enrolled(app, user, name: str = "Laptop") -> Device:
    """A passkey added on the user's profile, through the HTTP endpoints."""
    client = app.test_client()
    assert client.post(
        "/editor/login", data={"email": user.email, "password": PASSWORD}
    ).status_code == 302  # fmt: skip
    device, response = add_passkey(client, name)
    assert response.status_code == 200, response.get_data(as_text=True)
    return device


def sign_in_options(client, *, second_step: bool = False) -> dict:
    response = client.post("/editor/login/passkey/options", json={"second_step": second_step})
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_json()


def send_assertion(client, credential: dict, **extra):
    return client.post("/editor/login/passkey", json={"credential": credential, **extra})


def is_signed_in(client) -> bool:
    return client.get("/editor/").status_code == 200


def remove_password(row: Passkey, password: str = PASSWORD) -> dict:
    return {f"remove-{row.id}-password": password}


def last_entry() -> AuditEntry:
    return db.session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc())).first()


def stored(device: Device) -> Passkey:
    db.session.expire_all()
    return db.session.scalar(select(Passkey).where(Passkey.credential_id == device.id))


# ---------------------------------------------------------------- adding one


def test_a_passkey_is_added_on_the_profile(app, client, login, author):
    login(author)
    page = client.get("/editor/profile").get_data(as_text=True)
    assert "You have no passkeys yet" in page and "needs a browser that supports" in page
    assert "data-passkey-add hidden" in page  # shown by the script only

    options = options_for_new(client, "Laptop")
    assert options["rp"] == {"id": "byline.test", "name": "Byline"}
    handle = options["user"]["id"]
    assert author.email not in handle and options["user"]["name"] == author.email
    assert options["authenticatorSelection"]["residentKey"] == "preferred"
    assert options["authenticatorSelection"]["userVerification"] == "preferred"
    assert options["excludeCredentials"] == []

    device = Device(ORIGIN)
    credential = device.create(options)
    added = client.post(
        "/editor/passkeys/new", json={"name": "  Work   laptop ", "credential": credential}
    )
    assert added.get_json() == {"redirect": "/editor/profile#passkeys"}
    row = stored(device)
    assert (row.user_id, row.name, row.sign_count, row.transports) == (
        author.id, "Work laptop", 0, ["internal"],
    )  # fmt: skip
    assert last_entry().action == "passkey.add"
    page = client.get("/editor/profile").get_data(as_text=True)
    assert "Work laptop" in page and "not used yet" in page and "is added" in page

    again = options_for_new(client, "Phone")
    assert again["user"]["id"] == handle  # stable per account
    assert [c["id"] for c in again["excludeCredentials"]] == [device.id]


def test_adding_one_asks_the_password_ends_other_sessions_and_tells_the_owner(
    app, client, login, author
):
    login(author)
    elsewhere = app.test_client()
    elsewhere.post(
        "/editor/login", data={"email": author.email, "password": PASSWORD, "remember": "y"}
    )
    assert is_signed_in(elsewhere)
    for body in ({"name": "Laptop"}, {"name": "Laptop", "password": "a guess"}):
        refused = client.post("/editor/passkeys/new/options", json=body)
        assert refused.status_code == 400 and refused.get_json()["field"] == "password"
        assert "not your current password" in refused.get_json()["error"]
        with client.session_transaction() as session:
            assert PASSKEY_CEREMONY not in session  # no challenge to answer
    assert not list(db.session.scalars(select(OutboxMessage)))

    device, added = add_passkey(client)
    assert added.status_code == 200 and stored(device) is not None
    assert is_signed_in(client)  # this browser is signed in again
    assert not is_signed_in(elsewhere)
    elsewhere.delete_cookie("session", domain="byline.test")  # the remember-me cookie alone
    assert not is_signed_in(elsewhere)
    sent = list(db.session.scalars(select(OutboxMessage)))
    assert [(m.recipient, m.subject) for m in sent] == [
        (author.email, "A passkey was added on Byline")
    ]


def test_wrong_passwords_for_a_passkey_share_the_recheck_limit(app, client, login, author):
    login(author)
    wrong = password_change("a guess", "a new password of mine")
    assert client.post("/editor/profile/password", data=wrong).status_code == 200
    for _ in range(4):
        assert options_for_new_status(client, "a guess") == 400
    assert options_for_new_status(client, PASSWORD) == 429  # the same counters as elsewhere
    assert client.post("/editor/profile/password", data=wrong).status_code == 429


def options_for_new_status(client, password: str) -> int:
    body = {"name": "Laptop", "password": password}
    return client.post("/editor/passkeys/new/options", json=body).status_code


def test_adding_refuses_a_bad_name_another_origin_and_an_old_challenge(app, client, login, author):
    login(author)
    for name, message in (("   ", "Give the passkey a name"), ("x" * 81, "At most 80")):
        refused = client.post("/editor/passkeys/new/options", json={"name": name})
        assert refused.status_code == 400 and message in refused.get_json()["error"]

    device, response = add_passkey(client, origin="https://byline.test.evil.example")
    assert response.status_code == 400 and stored(device) is None

    device = Device(ORIGIN)
    credential = device.create(options_for_new(client))
    with client.session_transaction() as session:
        session[PASSKEY_CEREMONY] = {
            **session[PASSKEY_CEREMONY], "at": session[PASSKEY_CEREMONY]["at"] - 301,
        }  # fmt: skip
    expired = client.post("/editor/passkeys/new", json={"name": "Old", "credential": credential})
    assert expired.status_code == 400 and "took too long" in expired.get_json()["error"]
    assert stored(device) is None


# ---------------------------------------------------------------- signing in


def test_a_passkey_signs_in_without_a_password(app, client, author):
    device = enrolled(app, author)
    page = client.get("/editor/login?next=/editor/articles/").get_data(as_text=True)
    assert "Sign in with a passkey" in page and 'data-next="/editor/articles/"' in page

    options = sign_in_options(client)
    assert options["allowCredentials"] == [] and options["userVerification"] == "required"
    assert options["rpId"] == "byline.test"
    device.sign_count = 1
    signed = send_assertion(client, device.get(options), remember=True, next="/editor/articles/")
    assert signed.get_json() == {"redirect": "/editor/articles/"}
    assert is_signed_in(client)
    assert client.get_cookie("remember_token", domain="byline.test") is not None
    row = stored(device)
    assert row.sign_count == 1 and row.last_used_at is not None
    entry = last_entry()
    assert (entry.action, entry.details) == (
        "auth.sign_in",
        {"method": "passkey", "passkey": "Laptop"},
    )


def test_without_a_password_the_passkey_must_verify_the_user(app, client, author):
    device = enrolled(app, author)
    refused = send_assertion(client, device.get(sign_in_options(client), verified=False))
    assert refused.status_code == 400 and not is_signed_in(client)
    assert last_entry().details == {"reason": "passkey not verified"}


def test_a_passkey_is_the_second_step_after_the_password(app, client, author):
    device = enrolled(app, author)
    started = client.post(
        "/editor/login?next=/editor/articles/",
        data={"email": author.email, "password": PASSWORD, "remember": "y"},
    )
    assert started.headers["Location"] == "/editor/login/code"
    assert not is_signed_in(client)
    page = client.get("/editor/login/code").get_data(as_text=True)
    assert "Use your passkey" in page and 'name="code"' not in page

    options = sign_in_options(client, second_step=True)
    assert [c["id"] for c in options["allowCredentials"]] == [device.id]
    assert options["userVerification"] == "preferred"
    signed = send_assertion(client, device.get(options, verified=False))
    assert signed.get_json() == {"redirect": "/editor/articles/"}
    assert is_signed_in(client)
    assert client.get_cookie("remember_token", domain="byline.test") is not None
    assert last_entry().details == {"second_factor": "passkey", "passkey": "Laptop"}

    # With an authenticator app as well, the code page offers the passkey instead.
    enrolment = two_factor_enrolment.start(author)
    code = pyotp.TOTP(enrolment.secret).now()
    two_factor_enrolment.confirm(author, enrolment.sealed, code, PASSWORD)
    other = app.test_client()
    other.post("/editor/login", data={"email": author.email, "password": PASSWORD})
    page = other.get("/editor/login/code").get_data(as_text=True)
    assert "Use a passkey instead" in page and 'name="code"' in page


def test_the_second_step_expires_with_the_password_step(app, client, author):
    device = enrolled(app, author)
    client.post("/editor/login", data={"email": author.email, "password": PASSWORD})
    options = sign_in_options(client, second_step=True)
    with client.session_transaction() as session:
        session["two_factor_pending"] = {**session["two_factor_pending"], "at": 0}
    refused = send_assertion(client, device.get(options))
    assert refused.status_code == 400 and refused.get_json()["redirect"] == "/editor/login"
    assert not is_signed_in(client)
    no_password = app.test_client().post(
        "/editor/login/passkey/options", json={"second_step": True}
    )
    assert no_password.status_code == 400 and "took too long" in no_password.get_json()["error"]


def test_a_challenge_answers_once(app, client, author):
    device = enrolled(app, author)
    options = sign_in_options(client)
    with client.session_transaction() as session:
        copied = dict(session)  # a copy of the cookie, challenge and all
    assertion = device.get(options)
    assert send_assertion(client, assertion).status_code == 200
    client.post("/editor/logout")
    assert send_assertion(client, assertion).status_code == 400  # no challenge now
    with client.session_transaction() as session:
        session.clear()
        session.update(copied)
    replayed = send_assertion(client, assertion)
    assert replayed.status_code == 400 and "already used" in replayed.get_json()["error"]
    assert not is_signed_in(client)


def test_another_origin_or_relying_party_is_refused(app, client, author):
    device = enrolled(app, author)
    for forged in (
        {"origin": "https://byline.test.evil.example"},
        {"origin": "https://byline.test"},  # another scheme is another origin
        {"rp_id": "evil.example"},
    ):
        refused = send_assertion(client, device.get(sign_in_options(client), **forged))
        assert refused.status_code == 400, forged
        assert not is_signed_in(client)
    assert last_entry().details == {"reason": "passkey not verified"}


def test_a_counter_that_goes_back_is_refused(app, client, author):
    device = enrolled(app, author)
    assert (
        send_assertion(client, device.get(sign_in_options(client), sign_count=0)).status_code == 200
    )
    assert stored(device).sign_count == 0  # an authenticator without a counter: 0 and 0
    client.post("/editor/logout")
    assert (
        send_assertion(client, device.get(sign_in_options(client), sign_count=5)).status_code == 200
    )
    client.post("/editor/logout")
    for count in (5, 3):
        refused = send_assertion(client, device.get(sign_in_options(client), sign_count=count))
        assert refused.status_code == 400 and not is_signed_in(client)
    assert stored(device).sign_count == 5


def test_another_accounts_passkey_is_refused(app, client, author, editor):
    theirs = enrolled(app, editor)
    enrolled(app, author)
    client.post("/editor/login", data={"email": author.email, "password": PASSWORD})
    refused = send_assertion(client, theirs.get(sign_in_options(client, second_step=True)))
    assert refused.status_code == 400 and not is_signed_in(client)
    assert last_entry().details == {"reason": "another account's passkey"}

    # A user handle that is not the passkey's own account's.
    fresh = app.test_client()
    assertion = theirs.get(sign_in_options(fresh))
    assertion["response"]["userHandle"] = b64(passkeys.user_handle(author))
    assert send_assertion(fresh, assertion).status_code == 400
    assert not is_signed_in(fresh)

    unknown = Device(ORIGIN)
    refused = send_assertion(fresh, unknown.get(sign_in_options(fresh)))
    assert refused.status_code == 400 and "not registered" in refused.get_json()["error"]


def test_an_inactive_account_never_signs_in_with_a_passkey(app, client, author):
    device = enrolled(app, author)
    author.active = False
    db.session.commit()
    refused = send_assertion(client, device.get(sign_in_options(client)))
    assert refused.status_code == 400 and not is_signed_in(client)
    assert last_entry().details == {"reason": "account deactivated"}


def test_failed_passkeys_count_against_the_sign_in_limits(app, author):
    device = enrolled(app, author)
    for attempt in range(5):
        client = app.test_client()
        address = {"REMOTE_ADDR": f"192.0.2.{attempt}"}
        options = client.post(
            "/editor/login/passkey/options", json={}, environ_base=address
        ).get_json()
        wrong = device.get(options, origin="https://evil.example")
        assert send_assertion(client, wrong, environ_base=address).status_code == 400
    client = app.test_client()
    address = {"REMOTE_ADDR": "192.0.2.99"}
    options = client.post("/editor/login/passkey/options", json={}, environ_base=address)
    right = client.post(
        "/editor/login/passkey",
        json={"credential": device.get(options.get_json())},
        environ_base=address,
    )
    assert right.status_code == 429
    # The account's password step is paused too: the limits are shared.
    locked = app.test_client().post(
        "/editor/login",
        data={"email": author.email, "password": PASSWORD},
        environ_base={"REMOTE_ADDR": "192.0.2.98"},
    )
    assert locked.status_code == 429


def test_every_passkey_sign_in_counts_when_it_is_checked(app, author):
    # Counted before the answer, failed or not: answers sent at once cannot all pass.
    device = enrolled(app, author)
    statuses = []
    for attempt in range(6):
        client = app.test_client()
        address = {"REMOTE_ADDR": f"192.0.2.{attempt}"}
        options = client.post("/editor/login/passkey/options", json={}, environ_base=address)
        answer = device.get(options.get_json())
        statuses.append(send_assertion(client, answer, environ_base=address).status_code)
    assert statuses == [200] * 5 + [429]


# ---------------------------------------------------------------- managing them


def test_passkeys_are_renamed_and_removed(app, client, author, editor):
    device = enrolled(app, author)
    assert send_assertion(client, device.get(sign_in_options(client))).status_code == 200
    row = stored(device)
    too_long = client.post(
        f"/editor/passkeys/{row.id}/rename", data={f"passkey-{row.id}-name": "y" * 81}
    )
    page = too_long.get_data(as_text=True)
    assert too_long.status_code == 200 and "At most 80" in page and "y" * 81 in page
    renamed = client.post(
        f"/editor/passkeys/{row.id}/rename", data={f"passkey-{row.id}-name": "Phone"}
    )
    assert renamed.headers["Location"] == "/editor/profile#passkeys"
    assert stored(device).name == "Phone" and last_entry().action == "passkey.rename"

    theirs_device = enrolled(app, editor)
    theirs = stored(theirs_device)
    # Another account's passkey is not found, as any id that is not one's own.
    gone = client.post(f"/editor/passkeys/{theirs.id}/remove", data=remove_password(theirs))
    mine = {f"passkey-{theirs.id}-name": "Mine"}
    taken = client.post(f"/editor/passkeys/{theirs.id}/rename", data=mine)
    assert (gone.status_code, taken.status_code) == (404, 404)
    assert stored(theirs_device).name == "Laptop"

    removed = client.post(f"/editor/passkeys/{row.id}/remove", data=remove_password(row))
    assert removed.headers["Location"] == "/editor/profile#passkeys"
    assert stored(device) is None and last_entry().details == {"name": "Phone"}
    fresh = app.test_client()
    assert send_assertion(fresh, device.get(sign_in_options(fresh))).status_code == 400
    # Without a passkey or an app, the password alone signs in again.
    assert fresh.post(
        "/editor/login", data={"email": author.email, "password": PASSWORD}
    ).headers["Location"] == "/editor/"  # fmt: skip


def test_a_passkey_meets_the_sites_requirement(app, client, login, author):
    settings.update(require_two_factor=True)
    login(author)
    assert client.get("/editor/articles/").headers["Location"].startswith("/editor/two-factor")
    assert "Or add a passkey" in client.get("/editor/two-factor").get_data(as_text=True)
    device, added = add_passkey(client)  # from the set-up page: its endpoints stay open
    assert added.status_code == 200
    assert client.get("/editor/articles/").status_code == 200
    row = stored(device)
    refused = client.post(f"/editor/passkeys/{row.id}/remove", data=remove_password(row))
    assert refused.headers["Location"] == "/editor/profile#passkeys"
    assert "requires two-factor sign-in" in client.get("/editor/profile").get_data(as_text=True)
    assert stored(device) is not None

    # An app besides: either may go, as long as one second factor stays.
    def turn_on():  # on the set-up page (which also signs this browser in again)
        code = pyotp.TOTP(started_app_key(client)).now()
        client.post("/editor/two-factor", data={"code": code, "password": PASSWORD})

    turn_on()
    off = client.post("/editor/two-factor/off", data={"off-password": PASSWORD})
    assert off.headers["Location"] == "/editor/profile#two-factor"
    turn_on()
    db.session.refresh(author)
    assert two_factor.is_enabled(author)
    client.post(f"/editor/passkeys/{row.id}/remove", data=remove_password(row))
    assert stored(device) is None
    with pytest.raises(two_factor.TwoFactorRejected, match="requires"):
        two_factor.disable(author, PASSWORD)


def test_an_admins_reset_removes_passkeys(app, client, login, admin, author):
    device = enrolled(app, author)
    login(admin)
    page = client.get(f"/editor/users/{author.id}").get_data(as_text=True)
    assert "Reset two-factor sign-in" in page
    client.post(f"/editor/users/{author.id}/two-factor/reset")
    assert stored(device) is None and last_entry().action == "two_factor.reset"
    fresh = app.test_client()
    assert send_assertion(fresh, device.get(sign_in_options(fresh))).status_code == 400
    assert fresh.post(
        "/editor/login", data={"email": author.email, "password": PASSWORD}
    ).headers["Location"] == "/editor/"  # fmt: skip


# ---------------------------------------------------------------- hostile input

JSON_ENDPOINTS = [
    ("/editor/passkeys/new/options", True),
    ("/editor/passkeys/new", True),
    ("/editor/login/passkey/options", False),
    ("/editor/login/passkey", False),
]
MALFORMED = [
    b"",
    b"not json",
    b"{",
    b"[1, 2]",
    b'"a string"',
    b"[" * 100_000,
    b'{"name": "x", "pad": "' + b"x" * (64 * 1024) + b'"}',
    b"\xff\xfe{}",
]
BAD_CREDENTIALS = [
    {"name": 5, "credential": 5},
    {"credential": {"id": 5, "rawId": [], "response": "s"}},
    {"name": "n", "credential": {
        "id": "!!", "rawId": "!!", "type": "public-key",
        "response": {"clientDataJSON": "%%", "attestationObject": "@@",
                     "authenticatorData": "@@", "signature": "", "userHandle": 7},
    }},
    {"credential": {"id": "x" * 2000, "rawId": "x", "response": {}}},
    {"credential": {"id": "a", "rawId": "a", "response": {"clientDataJSON": "a" * 20000}}},
]  # fmt: skip


@pytest.mark.parametrize(("url", "signed_in"), JSON_ENDPOINTS)
def test_malformed_or_oversized_json_is_a_400(app, author, editor, url, signed_in):
    device = enrolled(app, author)
    bodies = list(MALFORMED)
    if not url.endswith("/options"):
        # A real passkey's id with broken parts reaches the library's parsers too.
        garbled = device.get(sign_in_options(app.test_client()))
        garbled["response"].update(authenticatorData="AAAA", signature="%%%", clientDataJSON="e30")
        shapes = [*BAD_CREDENTIALS, {"name": "n", "credential": garbled}]
        bodies += [json.dumps(shape).encode() for shape in shapes]
    client = app.test_client()
    if signed_in:
        client.post("/editor/login", data={"email": editor.email, "password": PASSWORD})
    for body in bodies:
        limiter.reset()  # a run of failures would end in 429 before the last body
        if not url.endswith("/options"):  # a ceremony under way, so the body is read
            ceremony = "/editor/passkeys/new/options" if signed_in else url + "/options"
            started = client.post(ceremony, json={"name": "n", "password": PASSWORD})
            assert started.status_code == 200
        response = client.post(url, data=body, content_type="application/json")
        assert response.status_code == 400, (url, body[:60], response.status_code)
        assert isinstance(response.get_json()["error"], str), body[:60]
    assert is_signed_in(client) is signed_in
