"""Guards around changes to a second factor: removing a passkey asks the password and
tells the owner; the set-up page's time limit; a form sent twice (or two at once) turns
it on once and leaves one set of recovery codes."""

import time

import pyotp
import pytest
from sqlalchemy import func, select, update
from sqlalchemy.orm.attributes import set_committed_value

from blog.extensions import db
from blog.models import OutboxMessage, Passkey, RecoveryCode, User
from blog.services import two_factor, two_factor_enrolment
from tests.conftest import PASSWORD
from tests.harness import started_app_key
from tests.test_passkeys import (
    enrolled,
    is_signed_in,
    remove_password,
    send_assertion,
    sign_in_options,
    stored,
)


def notices() -> list[OutboxMessage]:
    kind = OutboxMessage.kind == "account_security"
    return list(db.session.scalars(select(OutboxMessage).where(kind).order_by(OutboxMessage.id)))


def test_removing_a_passkey_asks_the_password_and_tells_the_owner(app, client, author):
    device = enrolled(app, author)
    row = stored(device)
    send_assertion(client, device.get(sign_in_options(client)))
    assert is_signed_in(client)
    before = len(notices())
    page = client.get("/editor/profile").get_data(as_text=True)
    assert f'name="remove-{row.id}-password"' in page
    for data in ({}, remove_password(row, "a guess")):
        refused = client.post(f"/editor/passkeys/{row.id}/remove", data=data)
        text = refused.get_data(as_text=True)
        assert refused.status_code == 200, data
        assert "not your current password" in text or "This field is required" in text
        assert stored(device) is not None and len(notices()) == before
    removed = client.post(f"/editor/passkeys/{row.id}/remove", data=remove_password(row))
    assert removed.headers["Location"] == "/editor/profile#passkeys"
    assert db.session.scalar(select(Passkey.id)) is None
    sent = notices()[before:]
    assert [(m.recipient, m.subject) for m in sent] == [
        (author.email, "A passkey was removed on Byline")
    ]


def test_the_set_up_page_says_its_time_limit_once(app, client, login, author, monkeypatch):
    monkeypatch.setattr(two_factor_enrolment, "ENROLMENT_MAX_AGE", 300)
    login(author)
    page = client.get("/editor/two-factor").get_data(as_text=True)
    assert "within 5 minutes" in page and "10 minutes" not in page
    started_app_key(client)
    page = client.get("/editor/two-factor").get_data(as_text=True)
    assert "works for 5 minutes" in page and "10 minutes" not in page

    stale = two_factor_enrolment.start(author, now=time.time() - 301)
    with client.session_transaction() as session:
        session["two_factor_enrolment"] = stale.sealed
    code = pyotp.TOTP(stale.secret).now()
    late = client.post("/editor/two-factor", data={"code": code, "password": PASSWORD})
    page = late.get_data(as_text=True)
    assert page.count("more than 5 minutes") == 1 and "10 minutes" not in page
    # Without a set-up under way at all, the answer's own message says so, once.
    again = client.post("/editor/two-factor", data={"code": code, "password": PASSWORD})
    page = again.get_data(as_text=True)
    assert page.count("more than 5 minutes, or was not started") == 1


def recovery_codes() -> int:
    return db.session.scalar(select(func.count(RecoveryCode.id)))


def test_confirming_twice_turns_it_on_once(app, author):
    """The second of two submits read the account before the first was committed: it
    still finds it on, and the first's codes stay the ones that work."""
    enrolment = two_factor_enrolment.start(author)
    code = pyotp.TOTP(enrolment.secret).now()
    first = two_factor_enrolment.confirm(author, enrolment.sealed, code, PASSWORD)
    set_committed_value(author, "totp_enabled_at", None)  # as the racing request saw it
    with pytest.raises(two_factor.TwoFactorRejected, match="already on"):
        two_factor_enrolment.confirm(author, enrolment.sealed, code, PASSWORD)
    assert recovery_codes() == 10
    assert two_factor.use_recovery_code(db.session.get(User, author.id), first[0])


def test_new_codes_for_an_account_turned_off_meanwhile_are_refused(app, author):
    enrolment = two_factor_enrolment.start(author)
    code = pyotp.TOTP(enrolment.secret).now()
    two_factor_enrolment.confirm(author, enrolment.sealed, code, PASSWORD)
    enabled_at = author.totp_enabled_at
    db.session.execute(update(User).values(totp_enabled_at=None))  # off, in another request
    db.session.execute(RecoveryCode.__table__.delete())
    db.session.commit()
    set_committed_value(author, "totp_enabled_at", enabled_at)  # as this request saw it
    with pytest.raises(two_factor.TwoFactorRejected, match="not on"):
        two_factor.regenerate_codes(author, PASSWORD)
    assert recovery_codes() == 0
