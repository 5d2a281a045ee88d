"""Two-factor sign-in (TOTP with a frozen clock, recovery codes, limits, the site's
requirement, an admin's reset) and passwords that must be replaced at first sign-in."""

import re
import time

import pyotp
import pytest
from flask import before_render_template, current_app
from jinja2 import Template
from sqlalchemy import select

from blog.domain import NotAllowed
from blog.editor.auth import PENDING
from blog.extensions import db
from blog.models import AuditEntry, OutboxMessage, RecoveryCode, Role, User
from blog.services import invitations, settings, two_factor, two_factor_enrolment, users
from tests.conftest import PASSWORD
from tests.harness import password_change, started_app_key

# A moment in the middle of a 30-second step, so ±1 step is unambiguous.
FROZEN = 1_700_000_025.0  # in the past, so real-clock codes come later
LATER = FROZEN + 600  # well after enrolment's step
NEW_PASSWORD = "a password of my very own"


def code_at(user: User, moment: float) -> str:
    return pyotp.TOTP(two_factor.secret_of(user)).at(moment)


def enrol(user: User, moment: float = FROZEN) -> list[str]:
    enrolment = two_factor_enrolment.start(user, now=moment)
    code = pyotp.TOTP(enrolment.secret).at(moment)
    return two_factor_enrolment.confirm(user, enrolment.sealed, code, PASSWORD, now=moment)


def actions(user: User | None = None) -> list[str]:
    statement = select(AuditEntry.action).order_by(AuditEntry.id)
    if user is not None:
        statement = statement.where(AuditEntry.actor_id == user.id)
    return list(db.session.scalars(statement))


def mails() -> list[OutboxMessage]:
    kind = OutboxMessage.kind == "account_security"
    return list(db.session.scalars(select(OutboxMessage).where(kind).order_by(OutboxMessage.id)))


def another_code(code: str) -> str:
    return code[:-1] + str((int(code[-1]) + 1) % 10)


# ---------------------------------------------------------------- the service


def test_enrolment_stores_nothing_until_a_code_confirms_it(app, author, editor):
    enrolment = two_factor_enrolment.start(author, now=FROZEN)
    assert author.totp_secret is None and not two_factor.is_enabled(author)
    assert enrolment.uri.startswith("otpauth://totp/")
    assert f"secret={enrolment.secret}" in enrolment.uri and "issuer=Byline" in enrolment.uri
    assert enrolment.qr_svg.startswith("<svg") and "http" not in enrolment.qr_svg
    assert enrolment.grouped.replace(" ", "") == enrolment.secret
    assert enrolment.secret not in enrolment.sealed  # sealed, not merely signed
    again = two_factor_enrolment.start(author, now=FROZEN)
    assert again.secret != enrolment.secret  # each start makes a fresh secret

    def confirm(sealed, code, password=PASSWORD, moment=FROZEN):
        with pytest.raises(two_factor.TwoFactorRejected) as refused:
            two_factor_enrolment.confirm(author, sealed, code, password, now=moment)
        assert not two_factor.is_enabled(author) and author.totp_secret is None
        return refused.value

    right = pyotp.TOTP(enrolment.secret).at(FROZEN)
    assert confirm(enrolment.sealed, another_code(right)).field == "code"
    assert confirm(enrolment.sealed, right, "not my password").field == "password"
    theirs = two_factor_enrolment.start(editor, now=FROZEN).sealed
    late = FROZEN + two_factor_enrolment.ENROLMENT_MAX_AGE + 1
    tampered = enrolment.sealed[:-6] + ("A" if enrolment.sealed[-6] != "A" else "B")
    for sealed, moment in ((theirs, FROZEN), (enrolment.sealed, late), (tampered, FROZEN)):
        code = pyotp.TOTP(enrolment.secret).at(moment)
        assert confirm(sealed, code, moment=moment).message == two_factor_enrolment.start_again()
    for sealed in (None, 7, ["x"], "x" * 5000):
        assert confirm(sealed, right).message == two_factor_enrolment.start_again()

    moment = FROZEN + two_factor_enrolment.ENROLMENT_MAX_AGE  # the last moment it is good
    code = pyotp.TOTP(enrolment.secret).at(moment)
    codes = two_factor_enrolment.confirm(author, enrolment.sealed, code, PASSWORD, now=moment)
    assert two_factor.is_enabled(author) and two_factor.secret_of(author) == enrolment.secret
    # Stored encrypted under SECRET_KEY: the row alone gives nothing away, and another key
    # opens nothing.
    assert enrolment.secret not in author.totp_secret
    key = current_app.config["SECRET_KEY"]
    current_app.config["SECRET_KEY"] = "another key, as on a site moved without its own"
    try:
        assert two_factor.secret_of(author) is None
        assert not two_factor.check_code(author, code, now=moment)
    finally:
        current_app.config["SECRET_KEY"] = key
    assert len(codes) == len(set(codes)) == 10
    stored = db.session.scalars(select(RecoveryCode.code_hash)).all()
    assert len(stored) == 10 and not set(codes) & set(stored)
    assert not any(code.replace("-", "") in hashed for code in codes for hashed in stored)
    assert actions(author) == ["two_factor.setup_begin"] * 2 + ["two_factor.enable"]
    with pytest.raises(two_factor.TwoFactorRejected):
        two_factor_enrolment.start(author)


def test_a_code_signs_in_once(app, author):
    enrol(author)
    code = code_at(author, LATER)
    assert two_factor.check_code(author, code, now=LATER)
    db.session.commit()
    assert not two_factor.check_code(author, code, now=LATER)  # the same step again
    assert not two_factor.check_code(author, code, now=LATER + 5)
    assert two_factor.check_code(author, code_at(author, LATER + 30), now=LATER + 30)


def test_a_clock_one_step_off_is_accepted_two_steps_is_not(app, author):
    enrol(author)
    for offset in (-60, 60, -90, 90):
        assert not two_factor.check_code(author, code_at(author, LATER + offset), now=LATER)
    assert two_factor.check_code(author, code_at(author, LATER - 30), now=LATER)
    assert two_factor.check_code(author, code_at(author, LATER + 30), now=LATER)
    # The step after a later one cannot go back: the code of "now" is spent by then.
    assert not two_factor.check_code(author, code_at(author, LATER), now=LATER)


def test_wrong_and_malformed_codes_are_refused(app, author):
    enrol(author)
    right = code_at(author, LATER)
    for typed in (another_code(right), "", "12345", "1234567", "abcdef", right + "x", "9" * 64):
        assert not two_factor.check_code(author, typed, now=LATER), typed
    assert two_factor.check_code(author, f" {right[:3]} {right[3:]} ", now=LATER)


def test_a_recovery_code_signs_in_once(app, author):
    codes = enrol(author)
    assert two_factor.complete_sign_in(author, codes[0].upper().replace("-", " "), now=LATER)
    assert two_factor.status(author).codes_left == 9
    assert actions(author)[-2:] == ["two_factor.recovery_used", "auth.sign_in"]
    with pytest.raises(two_factor.TwoFactorRejected):
        two_factor.complete_sign_in(author, codes[0], now=LATER)
    failed = db.session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc())).first()
    assert failed.action == "auth.sign_in_failed"
    assert failed.details == {"reason": "wrong two-factor code"}
    assert two_factor.complete_sign_in(author, codes[1], now=LATER)


def test_new_recovery_codes_replace_the_old(app, author):
    old = enrol(author)
    with pytest.raises(two_factor.TwoFactorRejected) as refused:
        two_factor.regenerate_codes(author, "not my password")
    assert refused.value.field == "password"
    new = two_factor.regenerate_codes(author, PASSWORD)
    assert not set(old) & set(new)
    assert not two_factor.use_recovery_code(author, old[0])
    assert two_factor.use_recovery_code(author, new[0])


def test_turning_it_off_asks_the_password_and_is_refused_when_required(app, author):
    enrol(author)
    with pytest.raises(two_factor.TwoFactorRejected):
        two_factor.disable(author, "not my password")
    settings.update(require_two_factor=True)
    with pytest.raises(two_factor.TwoFactorRejected, match="requires"):
        two_factor.disable(author, PASSWORD)
    settings.update(require_two_factor=False)
    two_factor.disable(author, PASSWORD)
    assert author.totp_secret is None and not two_factor.is_enabled(author)
    assert db.session.scalar(select(RecoveryCode.id)) is None
    assert actions(author)[-1] == "two_factor.disable"


def test_an_admin_resets_someone_elses_second_factor(app, admin, author, editor):
    enrol(author)
    version = author.session_version
    with pytest.raises(NotAllowed):
        two_factor.reset(author, actor=editor)
    with pytest.raises(two_factor.TwoFactorRejected):
        two_factor.reset(admin, actor=admin)
    two_factor.reset(author, actor=admin)
    assert not two_factor.is_enabled(author) and author.totp_secret is None
    assert author.session_version == version + 1
    assert db.session.scalar(select(RecoveryCode.id)) is None
    assert actions(admin) == ["two_factor.reset"]


# ---------------------------------------------------------------- signing in


def start_sign_in(client, user, **data):
    response = client.post(
        "/editor/login", data={"email": user.email, "password": PASSWORD, **data}
    )
    assert response.status_code == 302
    return response


def test_sign_in_asks_for_the_code_and_signs_in_after_it(app, client, author):
    enrol(author)
    started = client.post(
        "/editor/login?next=/editor/articles/",
        data={"email": author.email, "password": PASSWORD, "remember": "y"},
    )
    assert started.headers["Location"] == "/editor/login/code"
    assert client.get("/editor/").status_code == 302  # not signed in yet
    assert "auth.sign_in" not in actions(author)
    page = client.get("/editor/login/code")
    assert page.status_code == 200 and "authenticator app" in page.get_data(as_text=True)

    wrong = client.post("/editor/login/code", data={"code": "000000x"})
    assert wrong.status_code == 200 and "not right" in wrong.get_data(as_text=True)
    assert actions(author)[-1] == "auth.sign_in_failed"

    signed = client.post(
        "/editor/login/code", data={"code": pyotp.TOTP(two_factor.secret_of(author)).now()}
    )
    assert signed.headers["Location"] == "/editor/articles/"
    assert client.get("/editor/").status_code == 200
    assert client.get_cookie("remember_token", domain="byline.test") is not None
    entry = db.session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc())).first()
    assert (entry.action, entry.details) == ("auth.sign_in", {"second_factor": "authenticator app"})
    with client.session_transaction() as session:
        assert PENDING not in session


def test_a_recovery_code_signs_in_over_http(app, client, author):
    codes = enrol(author)
    start_sign_in(client, author)
    signed = client.post("/editor/login/code", data={"code": codes[3]})
    assert signed.headers["Location"] == "/editor/"
    assert "recovery code" in client.get("/editor/").get_data(as_text=True)


def test_guessing_codes_is_limited_like_passwords(app, author, make_user):
    enrol(author)
    client = app.test_client()
    start_sign_in(client, author)
    for attempt in range(5):
        response = client.post(
            "/editor/login/code",
            data={"code": "12345x"},
            environ_base={"REMOTE_ADDR": f"192.0.2.{attempt}"},
        )
        assert response.status_code == 200
    right = client.post(
        "/editor/login/code",
        data={"code": pyotp.TOTP(two_factor.secret_of(author)).now()},
        environ_base={"REMOTE_ADDR": "192.0.2.99"},
    )
    assert right.status_code == 429
    # The account's limit is the sign-in's: its password step is paused too.
    fresh = app.test_client()
    assert (
        fresh.post(
            "/editor/login",
            data={"email": author.email, "password": PASSWORD},
            environ_base={"REMOTE_ADDR": "192.0.2.98"},
        ).status_code
        == 429
    )
    # And one client guessing codes is stopped whatever the account.
    other = make_user()
    enrol(other)
    guesser = app.test_client()
    for _ in range(5):
        start_sign_in(guesser, other)
        assert guesser.post("/editor/login/code", data={"code": "12345x"}).status_code == 200
    assert guesser.post("/editor/login/code", data={"code": "12345x"}).status_code == 429


def at_once(app, template: str, attempts: int, send) -> list[int]:
    """The statuses of `attempts` failing sign-in POSTs, each sent while the one before it
    is past the limiter's check and not yet answered (as when requests race on several
    workers): the next is sent as the one before renders its page (`template`).
    `send(number)` makes attempt `number`."""
    statuses: list[int] = []
    started = [0]

    def another_meanwhile(sender, template: Template, context, **extra):
        if template.name == template_name and started[0] < attempts - 1:
            started[0] += 1
            statuses.append(send(started[0]).status_code)

    template_name = template
    with before_render_template.connected_to(another_meanwhile, app):
        statuses.append(send(0).status_code)
    return statuses


def test_code_guesses_sent_at_once_are_counted_before_any_answer(app, author):
    enrol(author)
    first = app.test_client()
    start_sign_in(first, author)
    cookie = first.get_cookie("session", domain="byline.test").value

    def send(number):
        guesser = app.test_client()
        guesser.set_cookie("session", cookie, domain="byline.test")
        return guesser.post(
            "/editor/login/code",
            data={"code": f"{number:06d}x"},
            environ_base={"REMOTE_ADDR": f"192.0.2.{number + 1}"},
        )

    statuses = at_once(app, "editor/login_code.html", 8, send)
    assert 429 in statuses
    assert len([status for status in statuses if status != 429]) == 5


def test_password_guesses_sent_at_once_are_counted_before_any_answer(app, author):
    def send(number):
        return app.test_client().post(
            "/editor/login",
            data={"email": author.email, "password": f"guess {number}"},
            environ_base={"REMOTE_ADDR": f"198.51.100.{number + 1}"},
        )

    for number in range(15):  # sign-ins that work count too (and not as failures)
        right = {"email": author.email, "password": PASSWORD}
        signed = app.test_client().post(
            "/editor/login", data=right, environ_base={"REMOTE_ADDR": f"203.0.113.{number}"}
        )
        assert signed.headers["Location"] == "/editor/"
    statuses = at_once(app, "editor/login.html", 8, send)
    assert 429 in statuses
    assert len([status for status in statuses if status != 429]) == 5


def test_the_code_step_expires(app, client, author):
    enrol(author)
    assert client.get("/editor/login/code").headers["Location"] == "/editor/login"  # none
    start_sign_in(client, author)
    with client.session_transaction() as session:
        pending = session[PENDING]
        session[PENDING] = {**pending, "at": int(time.time()) - two_factor.PENDING_MAX_AGE - 1}
    response = client.post(
        "/editor/login/code", data={"code": pyotp.TOTP(two_factor.secret_of(author)).now()}
    )
    assert response.headers["Location"] == "/editor/login"
    assert "took too long" in client.get("/editor/login").get_data(as_text=True)
    assert client.get("/editor/").status_code == 302
    # Signing out everywhere in between also ends a pending step.
    start_sign_in(client, author)
    users.end_sessions(author)
    assert client.get("/editor/login/code").headers["Location"] == "/editor/login"


def test_a_copy_of_the_code_step_does_not_sign_in_after_the_real_one(app, client, author):
    enrol(author)
    start_sign_in(client, author)
    copy = app.test_client()
    pending_cookie = client.get_cookie("session", domain="byline.test")
    copy.set_cookie("session", pending_cookie.value, domain="byline.test")
    signed = client.post(
        "/editor/login/code", data={"code": pyotp.TOTP(two_factor.secret_of(author)).now()}
    )
    assert signed.headers["Location"] == "/editor/"
    next_code = pyotp.TOTP(two_factor.secret_of(author)).at(time.time() + two_factor.STEP_SECONDS)
    replayed = copy.post("/editor/login/code", data={"code": next_code})
    assert replayed.headers["Location"] == "/editor/login"
    assert copy.get("/editor/").headers["Location"].startswith("/editor/login")
    db.session.refresh(author)
    with pytest.raises(two_factor.SignInExpired):
        two_factor.pending_account(author.id, author.session_version, time.time() - 1)


def test_the_site_can_require_it_of_every_staff_account(app, client, login, author):
    settings.update(require_two_factor=True)
    login(author)
    sent = client.get("/editor/articles/")
    assert sent.headers["Location"].startswith("/editor/two-factor?next=")
    assert client.get("/editor/profile").headers["Location"].startswith("/editor/two-factor")
    secret = started_app_key(client)
    wrong = client.post("/editor/two-factor", data={"code": "123", "password": PASSWORD})
    assert "not right" in wrong.get_data(as_text=True)
    right = {"code": pyotp.TOTP(secret).now(), "password": PASSWORD}
    done = client.post("/editor/two-factor", data=right)
    shown = re.findall(
        r"<li><code>([a-z0-9]{5}-[a-z0-9]{5})</code></li>", done.get_data(as_text=True)
    )
    assert len(shown) == 10
    assert client.get("/editor/articles/").status_code == 200
    off = client.post("/editor/two-factor/off", data={"off-password": PASSWORD})
    assert "cannot be turned off" in off.get_data(as_text=True)
    db.session.refresh(author)
    assert two_factor.is_enabled(author)
    # Signing out still works for someone who has not set it up.
    other = app.test_client()
    newcomer = users.create_user(
        "newer@byline.test", "Nia Newer", Role.AUTHOR, PASSWORD, must_change_password=False
    )
    start_sign_in(other, newcomer)
    assert other.post("/editor/logout").headers["Location"] == "/editor/login"
    assert other.get("/editor/").headers["Location"].startswith("/editor/login")


def test_the_set_up_page_shows_a_key_only_to_the_session_that_started_it(
    app, client, login, author
):
    login(author)
    page = client.get("/editor/two-factor").get_data(as_text=True)
    assert "Set up an authenticator app" in page and "totp-secret" not in page
    db.session.refresh(author)
    assert author.totp_secret is None and "two_factor.setup_begin" not in actions(author)
    elsewhere = app.test_client()
    start_sign_in(elsewhere, author)
    first = started_app_key(client)
    assert "totp-secret" not in elsewhere.get("/editor/two-factor").get_data(as_text=True)
    assert started_app_key(elsewhere) != first
    assert started_app_key(client) != first  # starting again makes a new key
    db.session.refresh(author)
    assert author.totp_secret is None and actions(author).count("two_factor.setup_begin") == 3

    # A set-up left for more than 10 minutes is started again, with a new key.
    started = time.time() - two_factor_enrolment.ENROLMENT_MAX_AGE - 1
    stale = two_factor_enrolment.start(author, now=started)
    with client.session_transaction() as session:
        session["two_factor_enrolment"] = stale.sealed
    code = pyotp.TOTP(stale.secret).now()
    late = client.post("/editor/two-factor", data={"code": code, "password": PASSWORD})
    assert "more than 10 minutes" in late.get_data(as_text=True)
    db.session.refresh(author)
    assert not two_factor.is_enabled(author) and author.totp_secret is None


def test_profile_turns_it_on_makes_new_codes_and_turns_it_off(app, client, login, author):
    login(author)
    assert "Set up two-factor sign-in" in client.get("/editor/profile").get_data(as_text=True)
    secret = started_app_key(client)
    client.post("/editor/two-factor", data={"code": pyotp.TOTP(secret).now(), "password": PASSWORD})
    profile = client.get("/editor/profile").get_data(as_text=True)
    assert "10 of 10 recovery codes left" in profile
    refused = client.post("/editor/two-factor/recovery-codes", data={"codes-password": "nope"})
    assert "not your current password" in refused.get_data(as_text=True)
    renewed = client.post("/editor/two-factor/recovery-codes", data={"codes-password": PASSWORD})
    assert "no longer work" in renewed.get_data(as_text=True)
    off = client.post("/editor/two-factor/off", data={"off-password": PASSWORD})
    assert off.headers["Location"] == "/editor/profile#two-factor"
    db.session.refresh(author)
    assert not two_factor.is_enabled(author)


def test_turning_it_on_asks_the_password_ends_other_sessions_and_tells_the_owner(
    app, client, login, author
):
    login(author)
    elsewhere = app.test_client()
    start_sign_in(elsewhere, author, remember="y")
    code = pyotp.TOTP(started_app_key(client)).now()
    refused = client.post("/editor/two-factor", data={"code": code, "password": "a guess"})
    assert "not your current password" in refused.get_data(as_text=True)
    assert client.post("/editor/two-factor", data={"code": code}).status_code == 200
    db.session.refresh(author)
    assert not two_factor.is_enabled(author)

    done = client.post("/editor/two-factor", data={"code": code, "password": PASSWORD})
    assert done.status_code == 200 and "recovery" in done.get_data(as_text=True)
    db.session.refresh(author)
    assert two_factor.is_enabled(author)
    assert client.get("/editor/").status_code == 200  # this browser is signed in again
    assert elsewhere.get("/editor/").headers["Location"].startswith("/editor/login")
    elsewhere.delete_cookie("session", domain="byline.test")  # the remember-me cookie alone
    assert elsewhere.get("/editor/").headers["Location"].startswith("/editor/login")
    assert [m.subject for m in mails()] == ["Two-factor sign-in was turned on on Byline"]


def test_the_owner_hears_of_each_change_to_their_second_factor(app, admin, author):
    codes = enrol(author)
    assert two_factor.complete_sign_in(author, codes[0])
    two_factor.disable(author, PASSWORD)
    enrol(author)
    two_factor.reset(author, actor=admin)
    assert [(m.recipient, m.kind) for m in mails()] == [(author.email, "account_security")] * 5
    bodies = [m.body_text for m in mails()]
    assert "turned on" in bodies[0] and "9 recovery codes left" in bodies[1]
    assert "turned off" in bodies[2] and "An administrator reset" in bodies[4]


def test_an_admins_reset_signs_the_person_out(app, client, login, admin, author):
    enrol(author)
    theirs = app.test_client()
    start_sign_in(theirs, author)
    theirs.post("/editor/login/code", data={"code": pyotp.TOTP(two_factor.secret_of(author)).now()})
    assert theirs.get("/editor/").status_code == 200
    login(admin)
    page = client.get(f"/editor/users/{author.id}").get_data(as_text=True)
    assert "Reset two-factor sign-in" in page
    assert "Reset two-factor sign-in" not in client.get(f"/editor/users/{admin.id}").get_data(
        as_text=True
    )
    client.post(f"/editor/users/{author.id}/two-factor/reset")
    db.session.refresh(author)
    assert not two_factor.is_enabled(author)
    assert theirs.get("/editor/").headers["Location"].startswith("/editor/login")
    assert actions(admin)[-1] == "two_factor.reset"
    # Now their password alone signs them in.
    assert start_sign_in(app.test_client(), author).headers["Location"] == "/editor/"


# ---------------------------------------------------------------- printed passwords


def sign_in_with(app, email: str, password: str):
    client = app.test_client()
    response = client.post("/editor/login", data={"email": email, "password": password})
    assert response.headers["Location"] == "/editor/", response.get_data(as_text=True)
    return client


def assert_must_choose(app, email: str, printed: str) -> None:
    """Signed in with a printed password, every editor page leads to the change page
    until a new password is chosen; then the old one stops working."""
    client = sign_in_with(app, email, printed)
    sent = client.get("/editor/articles/")
    assert sent.headers["Location"] == "/editor/password/new?next=/editor/articles/"
    assert client.get("/editor/profile").headers["Location"].startswith("/editor/password/new")
    same = client.post(
        "/editor/password/new?next=/editor/articles/", data=password_change(printed, printed)
    )
    assert "of your own" in same.get_data(as_text=True)
    done = client.post(
        "/editor/password/new?next=/editor/articles/", data=password_change(printed, NEW_PASSWORD)
    )
    assert done.headers["Location"] == "/editor/articles/"
    after = client.get("/editor/articles/")  # the first admin is asked for a name next
    assert after.status_code == 200 or after.headers["Location"].startswith("/editor/welcome")
    user = users.find_by_email(email)
    db.session.refresh(user)
    assert not user.must_change_password
    assert users.authenticate(email, printed) is None


def printed_password(output: str) -> str:
    return re.search(r"password:\s+(\S+)", output).group(1)


def test_cli_passwords_must_be_changed(app, runner):
    made = runner.invoke(args=["init"])
    assert "choose a new password" in made.output
    assert_must_choose(app, "admin@byline.example", printed_password(made.output))

    created = runner.invoke(
        args=["create-user", "--email", "ed@byline.test", "--name", "Ed Itor", "--role", "editor"]
    )
    assert created.exit_code == 0 and "asks for a new password" in created.output
    assert_must_choose(app, "ed@byline.test", printed_password(created.output))

    reset = runner.invoke(args=["set-password", "ed@byline.test", "--password", "typed by ops 1"])
    assert reset.exit_code == 0 and "asks for a new password" in reset.output
    assert_must_choose(app, "ed@byline.test", "typed by ops 1")


def test_passwords_an_admin_made_must_be_changed(app, client, login, admin, author):
    login(admin)
    page = client.post(f"/editor/users/{author.id}/reset-password").get_data(as_text=True)
    temporary = re.search(
        r'id="secret" class="secret-value" type="text" readonly value="([^"]+)"', page
    )
    assert_must_choose(app, author.email, temporary.group(1))

    made = client.post(
        "/editor/users/new",
        data={"email": "tess@byline.test", "display_name": "Tess Temp", "role": "author",
              "access": "password"},
    )  # fmt: skip
    temporary = re.search(r'readonly value="([^"]+)"', made.get_data(as_text=True)).group(1)
    assert_must_choose(app, "tess@byline.test", temporary)


def test_passwords_people_choose_themselves_need_no_change(app):
    invited = users.invite_user("ivy@byline.test", "Ivy Invited", Role.AUTHOR)
    assert not invited.must_change_password
    invitations.accept_invitation(invitations.invitation_token(invited), NEW_PASSWORD)
    client = sign_in_with(app, "ivy@byline.test", NEW_PASSWORD)
    assert client.get("/editor/articles/").status_code == 200

    from blog.services import passwords

    printed = users.create_user("fay@byline.test", "Fay", Role.AUTHOR, "printed password 1")
    assert printed.must_change_password
    passwords.reset(passwords.reset_token(printed), NEW_PASSWORD)
    db.session.refresh(printed)
    assert not printed.must_change_password
