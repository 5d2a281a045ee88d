"""A new article to 2,000 followers as deployed: published through the editor on gunicorn,
sent by `flask --app blog worker` to a real SMTP server. The worker is killed mid-mailing
while the server holds back one message's answer, then started again: every follower
gets the article, and only the message in flight may come twice, under one Message-ID.
"""

import signal
from collections import Counter

from sqlalchemy import insert, select

from blog.extensions import db
from blog.models import Mailing, Role, Section, Subscriber, Subscription
from blog.models.base import utcnow
from tests.conftest import PASSWORD
from tests.harness import inside, new_user, wait_until
from tests.live_server import LiveServer, make_app, running_server
from tests.test_multiserver import Browser
from tests.test_worker_live import environment, start_worker, stop

FOLLOWERS = 2000
HOLD_AT = 300  # the message whose answer the server keeps back when the worker is killed
ARTICLE_MAILING = select(Mailing).where(Mailing.kind == "article")


def add_followers(section: Section) -> None:
    """FOLLOWERS confirmed addresses, a third following the site, a third the section and a
    third both (each must still get the article once)."""
    now = utcnow()
    db.session.execute(
        insert(Subscriber),
        [
            {
                "email": f"reader{n}@example.org",
                "email_key": f"reader{n}@example.org",
                "created_at": now,
            }
            for n in range(FOLLOWERS)
        ],
    )
    ids = db.session.scalars(select(Subscriber.id).order_by(Subscriber.id)).all()
    rows = []
    for n, subscriber_id in enumerate(ids):
        keys = [["site"], [f"section:{section.id}"], ["site", f"section:{section.id}"]][n % 3]
        for key in keys:
            rows.append(
                {
                    "subscriber_id": subscriber_id,
                    "scope": key.partition(":")[0],
                    "list_key": key,
                    "section_id": section.id if key != "site" else None,
                    "cadence": "each",
                    "created_at": now,
                    "confirmed_at": now,
                }
            )
    db.session.execute(insert(Subscription), rows)
    db.session.commit()


def publish(server: LiveServer, section_id: int, **fields: str) -> None:
    """Publish a new article through the editor's form, as a browser does, signed in as
    desk@byline.test; `fields` replace the form's own (title, slug, brief, topic_ids...)."""
    browser, origin = Browser(), server.origin
    assert browser.sign_in(server, "desk@byline.test", PASSWORD) == 302
    token = browser.csrf(f"{origin}/editor/articles/new")
    status, headers, page = browser.request(
        f"{origin}/editor/articles/new",
        {
            "csrf_token": token,
            "title": "Ferries run all night",
            "slug": "ferries-run-all-night",
            "brief": "The night timetable starts on Monday.",
            "body": "From Monday the harbour ferries run all night.",
            "section_id": str(section_id),
            "comments_open": "y",
            "action": "publish",
            **fields,
        },
        {"Origin": origin},
    )
    assert status == 302, page


def test_a_killed_worker_resumes_the_mailing_and_repeats_only_the_one_in_flight(
    live_database, tmp_path, smtp_server
):
    env = environment(live_database, tmp_path, smtp_server)
    env["FLASK_FOLLOW_MAIL_PER_MINUTE"] = "100000"  # no rate: this is about crashes
    app = make_app(live_database, tmp_path, extra_config={"JOBS_FILE": env["FLASK_JOBS_FILE"]})
    with inside(app, migrate=True):
        section = Section(name="Harbour", slug="harbour")
        db.session.add_all([new_user("desk@byline.test", "Desk Editor", Role.EDITOR), section])
        db.session.commit()
        section_id = section.id
        add_followers(section)

    log = tmp_path / "worker.log"
    with running_server(live_database, tmp_path, extra_env=env) as server:
        worker_env = {**env, "FLASK_SITE_URL": server.origin}  # the worker's links
        smtp_server.hold_at = HOLD_AT
        worker = start_worker(worker_env, log)
        try:
            publish(server, section_id)
            wait_until(lambda: len(smtp_server.messages) >= HOLD_AT, "some hundreds sent", log=log)
            in_flight = smtp_server.messages[HOLD_AT - 1]["Message-ID"]
            worker.send_signal(signal.SIGKILL)
            worker.wait()
            smtp_server.release()
            assert len(smtp_server.messages) == HOLD_AT  # nothing after the one in flight

            worker = start_worker(worker_env, log)
            # Counting only: reading 2,000 parsed headers at each poll would slow the
            # server, which runs in this process.
            wait_until(
                lambda: len(smtp_server.messages) >= FOLLOWERS, "2,000 messages", within=45, log=log
            )

            def finished() -> bool:
                with inside(app):
                    return db.session.scalars(ARTICLE_MAILING).one().finished_at is not None

            wait_until(finished, "the mailing marked finished", log=log)
        finally:
            stop(worker)

    by_address = Counter(str(message["To"]) for message in smtp_server.messages)
    assert set(by_address) == {f"reader{n}@example.org" for n in range(FOLLOWERS)}
    # The worker never heard the server accept the one in flight: that one, and only that
    # one, came twice, under the same Message-ID.
    twice = [address for address, times in by_address.items() if times > 1]
    assert twice == [str(smtp_server.messages[HOLD_AT - 1]["To"])]
    assert max(by_address.values()) == 2
    ids = Counter(smtp_server.message_ids())
    assert [mid for mid, times in ids.items() if times > 1] == [in_flight]
    assert len(ids) == FOLLOWERS
    with inside(app):
        mailing = db.session.scalars(ARTICLE_MAILING).one()
        assert mailing.sent_count == FOLLOWERS
    assert smtp_server.messages[0]["Subject"] == "Ferries run all night"
