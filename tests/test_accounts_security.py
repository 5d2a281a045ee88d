"""Accounts under attack: password guessing, session fixation and replay, ending sessions,
and whether sign-in timing tells a known e-mail address from an unknown one."""

import statistics
import time
import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from werkzeug.security import check_password_hash

from blog.extensions import db
from blog.models import Role, User
from blog.services import users
from tests.conftest import PASSWORD
from tests.security_helpers import signed_in

LOCKED = "Too many failed sign-in attempts"
SESSION = "session"
REMEMBER = "remember_token"


def post_login(client, email, password=PASSWORD, address="198.51.100.1", **data):
    return client.post(
        "/editor/login",
        data={"email": email, "password": password, **data},
        environ_base={"REMOTE_ADDR": address},
    )


def is_signed_in(client) -> bool:
    return client.get("/editor/").status_code == 200


def cookie(client, name: str) -> str | None:
    found = client.get_cookie(name, domain="byline.test")
    return found.value if found else None


def replay(app, **cookies):
    """A new browser holding only these cookie values (as a thief would)."""
    thief = app.test_client()
    for name, value in cookies.items():
        thief.set_cookie(name, value, domain="byline.test")
    return thief


# ---------- Guessing passwords ----------


def test_five_failures_per_account_lock_it_from_every_address(app, author):
    client = app.test_client()
    for attempt in range(5):
        response = post_login(
            client, author.email, f"guess {attempt}", address=f"203.0.113.{attempt}"
        )
        assert response.status_code == 200
    for address in ("203.0.113.50", "203.0.113.51"):
        response = post_login(client, author.email, address=address)  # even the right password
        assert response.status_code == 429
        assert LOCKED in response.get_data(as_text=True)
        assert "15 minutes" in response.get_data(as_text=True)
    assert not is_signed_in(client)
    # The e-mail's case and surrounding spaces do not give five more tries.
    response = post_login(client, f"  {author.email.upper()} ", "guess", address="203.0.113.52")
    assert response.status_code == 429


def test_five_failures_per_client_lock_it_for_every_account(app, make_user):
    client = app.test_client()
    accounts = [make_user() for _ in range(7)]
    for account in accounts[:5]:
        assert post_login(client, account.email, "wrong", address="203.0.113.9").status_code == 200
    for account in accounts[5:]:
        response = post_login(client, account.email, address="203.0.113.9")
        assert response.status_code == 429
        assert LOCKED in response.get_data(as_text=True)
    # Unknown e-mails and empty forms count as failures too.
    other = app.test_client()
    for n in range(3):
        post_login(other, f"nobody{n}@byline.test", "x", address="203.0.113.10")
    post_login(other, "", "", address="203.0.113.10")
    post_login(other, "not-an-email", "x", address="203.0.113.10")
    response = post_login(other, accounts[6].email, address="203.0.113.10")
    assert response.status_code == 429


# The same account spelled so that a counter keyed on the raw value would be fresh each
# time: controls (the form strips them), invisible format characters, compatibility forms,
# case and odd spaces. Each still names the account.
SPELLINGS = [
    lambda email: email.replace("@", "\x01@"),
    lambda email: email.replace("@", "\x02@"),
    lambda email: "\u200b" + email,
    lambda email: email.replace("@", "\u00ad@"),  # soft hyphen
    lambda email: email.upper().replace("@", "\ufeff@"),
    lambda email: email.replace("@", "\uff20"),  # fullwidth commercial at
    lambda email: f"\u00a0{email}\u2009",
    # The two non-characters the forms drop before the lookup (blog.forms).
    lambda email: email.replace("@", "\uffff@"),
    lambda email: "\ufffe" + email,
]


def test_spellings_of_one_account_share_its_failure_counter(app, author):
    client = app.test_client()
    for n, spell in enumerate(SPELLINGS[:5]):
        response = post_login(client, spell(author.email), "wrong", address=f"203.0.113.{n}")
        assert response.status_code == 200, n
    for n, spell in enumerate(SPELLINGS):
        response = post_login(client, spell(author.email), address=f"203.0.113.{60 + n}")
        assert response.status_code == 429, n
    response = post_login(client, author.email, address="203.0.113.99")
    assert response.status_code == 429 and LOCKED in response.get_data(as_text=True)
    assert not is_signed_in(client)


def test_every_spelling_finds_the_one_account(app, author):
    for n, spell in enumerate(SPELLINGS):
        assert users.authenticate(spell(author.email), PASSWORD) == author, n


def test_spellings_of_one_address_cannot_make_a_second_account(app, runner):
    first = users.create_user("Ed@Example.org", "Ed Itor", Role.AUTHOR, PASSWORD)
    assert first.email == "ed@example.org"
    spellings = [
        "ed@example.org",
        "ed\u200b@example.org",
        "\uff45d@example.org",  # fullwidth e
        "E\u00add@EXAMPLE.org",
        "ed@example.org\u00a0",
    ]
    for spelling in spellings:
        with pytest.raises(users.UserRejected, match="already exists"):
            users.create_user(spelling, "Ed Again", Role.AUTHOR, PASSWORD)
        with pytest.raises(users.UserRejected, match="already exists"):
            users.invite_user(spelling, "Ed Again", Role.AUTHOR)
    result = runner.invoke(args=["create-user", "--email", "e\u200bd@example.org", "--name", "E"])
    assert result.exit_code != 0 and "already exists" in result.output
    result = runner.invoke(args=["set-password", "ED\u200b@example.org", "--password", "x" * 12])
    assert result.exit_code == 0, result.output
    assert db.session.scalar(select(func.count(User.id))) == 1
    assert users.authenticate("\uff25D@example.org", "x" * 12) == first


INVISIBLE = st.sampled_from(
    ["\x01", "\x7f", "\u200b", "\u200d", "\u00ad", "\u2028", "\u3000", "\ufffe", "\uffff"]
)


@settings(max_examples=500, deadline=None, database=None, derandomize=True)
@given(st.text(max_size=30), st.lists(st.tuples(st.integers(0, 30), INVISIBLE), max_size=4))
def test_an_email_identity_is_stable_and_ignores_invisible_characters(text, insertions):
    identity = users.email_identity(text)
    assert users.email_identity(identity) == identity  # a stored identity finds itself
    assert not any(unicodedata.category(ch) in users.INVISIBLE_CATEGORIES for ch in identity)
    padded = text
    for position, character in insertions:
        padded = padded[:position] + character + padded[position:]
    assert users.email_identity(padded) == identity


# ---------- Sessions ----------


def test_the_session_cookie_changes_at_sign_in(app, author):
    """Session fixation: a cookie planted before sign-in is never the one that signs in."""
    attacker = app.test_client()
    with attacker.session_transaction() as planted:
        planted["csrf_token"] = "attacker-chosen"
    fixed = cookie(attacker, SESSION)
    assert fixed

    victim = replay(app, session=fixed)
    response = post_login(victim, author.email)
    assert response.status_code == 302
    issued = cookie(victim, SESSION)
    assert issued and issued != fixed
    assert is_signed_in(victim)
    with victim.session_transaction() as session:
        assert "csrf_token" not in session or session["csrf_token"] != "attacker-chosen"
    assert not is_signed_in(replay(app, session=fixed))  # the planted cookie is still anonymous


def test_logout_ends_the_session_for_a_replayed_cookie(app, author):
    client = app.test_client()
    post_login(client, author.email, remember="y")
    stolen_session, stolen_remember = cookie(client, SESSION), cookie(client, REMEMBER)
    assert stolen_session and stolen_remember
    assert is_signed_in(replay(app, session=stolen_session))

    assert client.post("/editor/logout").status_code == 302
    assert not is_signed_in(client)
    assert not is_signed_in(replay(app, session=stolen_session))
    assert not is_signed_in(replay(app, **{REMEMBER: stolen_remember}))
    assert not is_signed_in(replay(app, session=stolen_session, **{REMEMBER: stolen_remember}))


@pytest.mark.parametrize("ending", ["deactivation", "admin reset", "password change"])
def test_account_changes_end_other_sessions(app, author, admin, ending):
    laptop = signed_in(app, author)
    phone = app.test_client()
    post_login(phone, author.email, remember="y")
    remembered = cookie(phone, REMEMBER)
    root = signed_in(app, admin)

    if ending == "deactivation":
        response = root.post(f"/editor/users/{author.id}/deactivate")
        assert response.status_code == 302
    elif ending == "admin reset":
        response = root.post(f"/editor/users/{author.id}/reset-password")
        assert response.status_code == 200
    else:
        response = laptop.post(
            "/editor/profile/password",
            data={
                "password-current_password": PASSWORD,
                "password-new_password": "a brand new passphrase",
                "password-confirm": "a brand new passphrase",
            },
        )
        assert response.status_code == 302
        assert is_signed_in(laptop)  # the browser that changed it stays signed in
    assert not is_signed_in(phone)
    assert not is_signed_in(replay(app, **{REMEMBER: remembered}))
    if ending != "password change":
        assert not is_signed_in(laptop)
    assert is_signed_in(root)  # the admin's own session is untouched


def test_old_password_no_longer_signs_in_after_a_reset(app, author, admin):
    root = signed_in(app, admin)
    page = root.post(f"/editor/users/{author.id}/reset-password").get_data(as_text=True)
    assert page.count(PASSWORD) == 0
    response = post_login(app.test_client(), author.email, address="198.51.100.7")
    assert response.status_code == 200 and "do not match" in response.get_data(as_text=True)


# ---------- Timing ----------

SAMPLES = 25


def test_unknown_email_and_wrong_password_take_the_same_time(app, make_user):
    """A wrong password checks the account's scrypt hash; an unknown e-mail checks a dummy
    scrypt hash (blog.services.users.authenticate), so both cost one scrypt check and the
    time of the answer cannot tell whether an address has an account."""
    real = users.create_user("timed@byline.test", "Timed Writer", Role.AUTHOR, PASSWORD)
    assert real.password_hash.startswith("scrypt:")  # production hashing, not the test hash
    accounts = [real]
    for _ in range(SAMPLES // 4):  # four failures each, under the account limit
        account = make_user()
        account.password_hash = real.password_hash
        accounts.append(account)
    db.session.commit()

    started = time.perf_counter()
    check_password_hash(real.password_hash, "wrong")
    one_check = time.perf_counter() - started

    client = app.test_client()
    durations: dict[str, list[float]] = {"unknown": [], "wrong": []}
    for n in range(SAMPLES):
        for kind in ("unknown", "wrong") if n % 2 else ("wrong", "unknown"):
            email = f"ghost{n}@byline.test" if kind == "unknown" else accounts[n // 4].email
            started = time.perf_counter()
            response = post_login(
                client, email, "not the password", address=f"10.9.{n}.{len(kind)}"
            )
            durations[kind].append(time.perf_counter() - started)
            assert response.status_code == 200, (kind, n, response.status_code)
            assert "do not match an active account" in response.get_data(as_text=True)

    unknown, wrong = (statistics.median(durations[k]) for k in ("unknown", "wrong"))
    figures = f"unknown {unknown * 1000:.1f} ms, wrong {wrong * 1000:.1f} ms"
    print(f"sign-in medians over {SAMPLES} samples each: {figures}")
    # Both pay for a real scrypt check; without the dummy hash, unknown would be far faster.
    assert min(unknown, wrong) > one_check * 0.5, figures
    assert abs(unknown - wrong) < max(0.25 * max(unknown, wrong), 0.050), figures
    assert db.session.get(User, real.id).last_login_at is None


def test_an_account_written_directly_is_stored_as_its_identity(app):
    """The model, not only the service, keeps the address in its one spelling: a second
    spelling written through the ORM meets the unique index."""
    db.session.add(User(email="Ann\u200b@Example.ORG", display_name="Ann", slug="ann"))
    db.session.commit()
    assert db.session.scalar(select(User.email)) == "ann@example.org"
    db.session.add(User(email="\uff21NN@example.org", display_name="Ann 2", slug="ann-2"))
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()
