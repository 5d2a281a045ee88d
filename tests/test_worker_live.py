"""The worker as deployed: gunicorn, `flask --app blog worker` and a real SMTP server.

A comment held in a request reaches the moderator through the worker; and a worker
killed while a message is in flight, then started again, delivers every message, loses
none and repeats at most the one in flight, under its own Message-ID.
"""

import os
import signal
import subprocess
import sys
from collections import Counter
from pathlib import Path
from types import SimpleNamespace

from jinja2 import ChoiceLoader, DictLoader
from sqlalchemy import select

from blog import mail
from blog.extensions import db
from blog.formguard import SALT
from blog.models import OutboxMessage, Role
from blog.services import settings
from tests.harness import inside, new_user, published_article, send, wait_until
from tests.live_server import ROOT, SECRET, make_app, running_server
from tests.storm_clients import aged_token

FLASK = Path(sys.executable).parent / "flask"
BATCH = 6
TEMPLATES = {"mail/batch.txt": "Message {{ n }}.\n", "mail/batch.html": "<p>Message {{ n }}.</p>"}


def environment(database_url: str, tmp_path: Path, smtp_server) -> dict:
    return {
        "DATABASE_URL": database_url,
        "SECRET_KEY": SECRET,
        "FLASK_JOBS_FILE": str(tmp_path / "jobs.db"),
        "FLASK_PAGE_CACHE_GENERATION_FILE": str(tmp_path / "page_cache_generation"),
        **smtp_server.environment(),
    }


def start_worker(env: dict, log: Path) -> subprocess.Popen:
    with open(log, "ab") as out:
        return subprocess.Popen(
            [str(FLASK), "--app", "blog", "worker"],
            cwd=ROOT,
            env={**os.environ, **env},
            stdout=out,
            stderr=subprocess.STDOUT,
        )


def stop(worker: subprocess.Popen) -> None:
    if worker.poll() is None:
        worker.kill()  # nothing to finish: every message is marked as it is sent
    worker.wait()


def test_held_comment_mail_and_a_killed_worker_lose_nothing(live_database, tmp_path, smtp_server):
    env = environment(live_database, tmp_path, smtp_server)
    app = make_app(live_database, tmp_path, extra_config={"JOBS_FILE": env["FLASK_JOBS_FILE"]})
    app.jinja_env.loader = ChoiceLoader([DictLoader(TEMPLATES), app.jinja_env.loader])
    with inside(app, migrate=True):
        moderator = new_user("moderator@byline.test", "Mo Derator", Role.EDITOR)
        writer = new_user("writer@byline.test", "Writer", Role.AUTHOR)
        article = published_article("Harbour trams", "harbour-trams", "Back.", author=writer)
        db.session.add_all([moderator, writer, article])
        db.session.commit()
        settings.update(moderation_policy="all")
        article_id = article.id

    log = tmp_path / "worker.log"
    worker = start_worker(env, log)
    try:
        with running_server(live_database, tmp_path, extra_env=env) as server:
            fields = {
                "name": "Reader",
                "email": "reader@example.org",
                "body": "Is the night tram back too?",
                "form_token": aged_token(
                    SimpleNamespace(form_secret=SECRET, form_salt=SALT), "comment", article_id
                ),
                "parent_id": "",
            }
            status, _, body = send(server.port, "POST", "/articles/harbour-trams/comments", fields)
            assert status == 303, body
        wait_until(lambda: smtp_server.messages, "the moderator's mail", within=60, log=log)
        (held,) = smtp_server.messages
        assert held["To"] == "moderator@byline.test"
        assert "Harbour trams" in held["Subject"]

        # A batch; the worker is killed while the server keeps the third one's answer back.
        smtp_server.hold_at = len(smtp_server.messages) + 3
        with inside(app):
            for n in range(BATCH):
                mail.queue("moderator@byline.test", "batch", subject=f"Batch {n}", kind="test", n=n)
                db.session.commit()  # each commit wakes the worker
            queued = [
                row.message_id
                for row in db.session.scalars(
                    select(OutboxMessage).where(OutboxMessage.kind == "test")
                )
            ]
        wait_until(lambda: len(smtp_server.messages) == smtp_server.hold_at, "three sent", log=log)
        in_flight = smtp_server.messages[-1]["Message-ID"]
        worker.send_signal(signal.SIGKILL)
        worker.wait()
        smtp_server.release()

        worker = start_worker(env, log)
        received = lambda: Counter(smtp_server.message_ids()[1:])  # noqa: E731
        wait_until(lambda: set(received()) == set(queued), "every message", within=60, log=log)
        repeated = [message_id for message_id, times in received().items() if times > 1]
        assert repeated in ([], [in_flight])

        def all_marked_sent() -> bool:  # each is marked just after the server accepts it
            with inside(app):
                rows = db.session.scalars(select(OutboxMessage)).all()
                return all(row.sent_at is not None for row in rows)

        wait_until(all_marked_sent, "every message marked sent", within=30, log=log)
    finally:
        stop(worker)
