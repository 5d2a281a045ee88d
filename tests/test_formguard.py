"""The signed tokens of the reader forms (blog.formguard), on their own: who signed them,
for which form and object, and how old they are."""

import time
from types import SimpleNamespace

import pytest
from flask import Flask
from itsdangerous import SignatureExpired, URLSafeSerializer, URLSafeTimedSerializer

from blog import formguard

KEY = "formguard-test-key"


@pytest.fixture(autouse=True)
def app_context():
    app = Flask(__name__)
    app.config["SECRET_KEY"] = KEY
    with app.app_context():
        yield


@pytest.fixture
def clock(monkeypatch):
    """formguard's clock, fixed at a moment the test moves."""
    moment = SimpleNamespace(now=1_900_000_000.0)
    monkeypatch.setattr(formguard, "time", SimpleNamespace(time=lambda: moment.now))
    return moment


def rejected(token, purpose="comment", subject=7, **options) -> str:
    with pytest.raises(formguard.FormRejected) as raised:
        formguard.token_age(token, purpose, subject, **options)
    return raised.value.message


def test_a_fresh_token_is_for_its_form_and_object(clock):
    token = formguard.issue_token("comment", 7)
    assert formguard.token_age(token, "comment", 7) == 0
    assert formguard.token_age(token, "comment", "7") == 0  # the id as the form sends it
    assert rejected(token, "share", 7) == formguard.EXPIRED
    assert rejected(token, "comment", 8) == formguard.EXPIRED


def test_the_age_is_the_time_since_it_was_issued(clock):
    token = formguard.issue_token("share", 3)
    clock.now += 42
    assert formguard.token_age(token, "share", 3) == 42
    clock.now += 3600 * 24 * 30
    assert formguard.token_age(token, "share", 3) == 42 + 3600 * 24 * 30  # no limit by default


def test_a_token_can_be_stamped_with_an_earlier_time(clock):
    token = formguard.issue_token("comment", 7, issued_at=clock.now - 90)
    assert formguard.token_age(token, "comment", 7) == 90


def test_max_age_refuses_an_older_token(clock):
    token = formguard.issue_token("comment", 7)
    clock.now += 600
    assert formguard.token_age(token, "comment", 7, max_age=600) == 600
    clock.now += 1
    assert rejected(token, max_age=600) == formguard.EXPIRED
    assert formguard.token_age(token, "comment", 7) == 601


def test_max_age_refuses_a_token_from_the_future(clock):
    token = formguard.issue_token("comment", 7, issued_at=clock.now + 60)
    assert rejected(token, max_age=600) == formguard.EXPIRED


def test_the_token_is_an_ordinary_timed_token():
    """What itsdangerous itself reads, so a client that signs with the key can make one."""
    token = formguard.issue_token("comment", 7)
    reader = URLSafeTimedSerializer(KEY, salt=formguard.SALT)
    assert reader.loads(token, max_age=60) == ["comment", "7"]
    with pytest.raises(SignatureExpired):
        reader.loads(formguard.issue_token("comment", 7, issued_at=time.time() - 61), max_age=60)
    made_elsewhere = reader.dumps(["comment", "7"])
    assert 0 <= formguard.token_age(made_elsewhere, "comment", 7) < 60


def test_tokens_not_signed_here_are_refused():
    token = formguard.issue_token("comment", 7)
    body, signature = token.rsplit(".", 1)
    forged = {
        "empty": "",
        "none": None,
        "garbage": "not-a-token",
        "another key": URLSafeTimedSerializer("other-key", salt=formguard.SALT).dumps(
            ["comment", "7"]
        ),
        "another salt": URLSafeTimedSerializer(KEY, salt="other-salt").dumps(["comment", "7"]),
        "no time stamp": URLSafeSerializer(KEY, salt=formguard.SALT).dumps(["comment", "7"]),
        "the untimed layout": URLSafeSerializer(KEY, salt=formguard.SALT).dumps(
            ["comment", "7", int(time.time()) - 60]
        ),
        "a changed signature": f"{body}.{signature[::-1]}",
        "a changed body": token.replace(token[0], "A" if token[0] != "A" else "B", 1),
        "signed, wrong shape": URLSafeTimedSerializer(KEY, salt=formguard.SALT).dumps(["x"]),
        "signed, not a list": URLSafeTimedSerializer(KEY, salt=formguard.SALT).dumps(7),
    }
    for name, value in forged.items():
        assert rejected(value) == formguard.EXPIRED, name
