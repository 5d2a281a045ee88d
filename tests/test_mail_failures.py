"""The administrator's page of failed mail and failed jobs: listed, retried, dismissed."""

from types import SimpleNamespace

import pytest

from blog import jobs, mail
from blog.extensions import db
from blog.models import JobFailure, OutboxMessage, Role
from blog.models.base import utcnow
from tests.conftest import PASSWORD

PAGE = "/editor/mail/failures"


def queued(recipient: str, subject: str) -> OutboxMessage:
    person = SimpleNamespace(display_name="Gone", email=recipient)
    (message,) = mail.queue(
        recipient,
        "password_reset",
        subject=subject,
        kind="comment_held",
        user=person,
        link="https://byline.test/editor/",
        valid_for="1 hour",
    )
    return message


@pytest.fixture
def failures(app):
    """One message given up after its last attempt, one sent, one job failure, one dismissed."""
    now = utcnow()
    message = queued("gone@byline.test", "Held: a comment")
    message.attempts, message.failed_at = 6, now
    message.last_error = "SMTPRecipientsRefused: 550 <gone@byline.test> no such user"
    sent = queued("fine@byline.test", "Sent fine")
    sent.sent_at = now
    failure = JobFailure(job="publish_due", error="OperationalError: database is locked")
    old = JobFailure(job="heartbeat", error="Old trouble", dismissed_at=now)
    db.session.add_all([failure, old])
    db.session.commit()
    return message.id, failure.id


def fresh(model, item_id):
    db.session.expire_all()
    return db.session.get(model, item_id)


def test_only_admins_see_the_page(client, login, make_user, failures):
    assert client.get(PAGE).status_code == 302  # to the sign-in page
    login(make_user(Role.EDITOR))
    assert client.get(PAGE).status_code == 403
    message_id, _ = failures
    assert client.post(f"{PAGE}/messages/{message_id}/retry").status_code == 403
    assert fresh(OutboxMessage, message_id).failed_at is not None


def test_the_page_lists_failed_messages_and_open_job_failures(client, login, admin, failures):
    login(admin)
    page = client.get(PAGE).get_data(as_text=True)
    for shown in (
        "gone@byline.test",
        "Held: a comment",
        "comment_held",
        "550 &lt;gone@byline.test&gt; no such user",
        "publish_due",
        "database is locked",
    ):
        assert shown in page
    assert "Sent fine" not in page and "Old trouble" not in page


def test_the_dashboard_tells_admins_only(client, app, login, admin, make_user, failures):
    login(admin)
    board = client.get("/editor/").get_data(as_text=True)
    assert "1 message could not be sent." in board
    assert "1 background job failed." in board
    assert f'href="{PAGE}"' in board
    editor_client = app.test_client()
    editor = make_user(Role.EDITOR)
    editor_client.post("/editor/login", data={"email": editor.email, "password": PASSWORD})
    assert "could not be sent" not in editor_client.get("/editor/").get_data(as_text=True)


def test_no_notice_when_nothing_failed(client, login, admin):
    login(admin)
    board = client.get("/editor/").get_data(as_text=True)
    assert "could not be sent" not in board and PAGE not in board


def test_retry_sends_the_message_again_from_its_first_attempt(
    client, login, admin, failures, mail_app, smtp_server
):
    message_id, _ = failures
    login(admin)
    response = client.post(f"{PAGE}/messages/{message_id}/retry", follow_redirects=True)
    assert "queued again" in response.get_data(as_text=True)
    message = fresh(OutboxMessage, message_id)
    assert (message.failed_at, message.attempts) == (None, 0)
    assert message.next_attempt_at <= utcnow()
    assert mail.send_due() == 1
    assert smtp_server.message_ids() == [message.message_id]
    again = client.post(f"{PAGE}/messages/{message_id}/retry", follow_redirects=True)
    assert "no longer waiting" in again.get_data(as_text=True)


def test_dismiss_drops_the_message(client, login, admin, failures):
    message_id, _ = failures
    login(admin)
    response = client.post(f"{PAGE}/messages/{message_id}/dismiss", follow_redirects=True)
    assert "will not be sent" in response.get_data(as_text=True)
    assert fresh(OutboxMessage, message_id) is None
    assert "gone@byline.test" not in response.get_data(as_text=True)


def test_a_job_failure_is_retried_or_dismissed(client, app, login, admin, failures):
    _, failure_id = failures
    login(admin)
    queue = jobs.jobs(app).huey
    waiting = queue.pending_count()
    response = client.post(f"{PAGE}/jobs/{failure_id}/retry", follow_redirects=True)
    assert "queued again" in response.get_data(as_text=True)
    assert queue.pending_count() == waiting + 1
    assert [task.name for task in queue.pending()][-1] == "publish_due"
    assert fresh(JobFailure, failure_id).dismissed_at is not None

    another = JobFailure(job="notices", error="KeyError: 'x'")
    db.session.add(another)
    db.session.commit()
    client.post(f"{PAGE}/jobs/{another.id}/dismiss")
    assert fresh(JobFailure, another.id).dismissed_at is not None
    assert queue.pending_count() == waiting + 1
    twice = client.post(f"{PAGE}/jobs/{another.id}/dismiss", follow_redirects=True)
    assert "already dealt with" in twice.get_data(as_text=True)


def test_the_buttons_need_the_forms_csrf_token(client, app, login, admin, failures):
    message_id, failure_id = failures
    login(admin)
    app.config["WTF_CSRF_ENABLED"] = True
    for action in (f"messages/{message_id}/retry", f"jobs/{failure_id}/dismiss"):
        assert client.post(f"{PAGE}/{action}").status_code == 400
    assert fresh(OutboxMessage, message_id).failed_at is not None
    assert fresh(JobFailure, failure_id).dismissed_at is None


def test_jobs_named_in_the_page_are_the_queues_tasks(app):
    """Every name a failure can carry maps to a task the worker runs."""
    from blog.services import mail_admin

    queue = jobs.jobs(app)
    for name, attribute in mail_admin.TASKS.items():
        assert getattr(queue, attribute).name == name
    assert jobs.PUBLISHED in mail_admin.TASKS
